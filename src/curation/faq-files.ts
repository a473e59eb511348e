// FAQ in and out of files: importing a folder, one .md file or a .csv as published versions (all
// or nothing), bringing knowledge/faq in line at start-up (new files imported, changed ones
// drafted for review), exporting the answering set as files, and every FAQ as CSV.
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { SportelloConfig } from "../config/schema.js";
import { SportelloError } from "../errors.js";
import { faqFileName, listFaqFiles, parseFaq, serializeFaq } from "../knowledge/faq.js";
import { issueField, issueProblem } from "../knowledge/manifest.js";
import { type Faq, faqSchema } from "../knowledge/types.js";
import { say } from "../prompts.js";
import type { Store } from "../store/store.js";
import { type Actor, type ActorCheck, describeActor } from "./actors.js";
import { parseCsvRecords, toCsv } from "./csv.js";
import { type FaqLifecycle, fileAuthor, sameContent } from "./faq-lifecycle.js";
import { writeFileAtomically } from "./write-file.js";

export interface ImportResult {
  /** knowledge/faq files changed since their import, now drafts waiting for review. */
  drafted?: string[];
  added: string[];
  updated: string[];
  unchanged: string[];
}

export interface FaqFiles {
  /** Imports FAQ files (a folder, one .md file, or a .csv) as published versions; all or nothing. */
  importFrom(path: string, actor: Actor): ImportResult;
  /**
   * At start-up: file FAQ the store does not know yet are imported as published version 1;
   * a file changed since its last import becomes a draft for trainers to review (the published
   * version keeps answering), unless trainers changed the FAQ in the store since (then the
   * store wins). Either way a line is logged. Invalid files are skipped.
   */
  syncKnowledge(dir: string): ImportResult;
  /** Writes the answering FAQ as files into `dir`; returns the paths written. */
  exportTo(dir: string): string[];
  /** Every FAQ's latest version as CSV (RFC 4180), with its state and answering version. */
  csv(): string;
}

export interface FaqFilesDeps {
  store: Store;
  actors: ActorCheck;
  config: Pick<SportelloConfig, "names">;
  faqs: Pick<FaqLifecycle, "importPublished" | "draftFromFiles" | "published" | "list">;
  log: (line: string) => void;
}

/** The CSV columns a FAQ is read from (and written to, before its state and versions). */
const faqCsvColumns = [
  "id",
  "question",
  "alternatives",
  "answer",
  "sources",
  "tags",
  "region",
  "reviewed",
] as const;

function parseFaqCsv(text: string): Faq[] {
  const records = parseCsvRecords(text, ["id", "question", "answer", "reviewed"]);
  return records.map((record, index) => {
    const lines = (value: string | undefined) =>
      (value ?? "")
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean);
    let sources: unknown = [];
    if (record.sources?.trim()) {
      try {
        sources = JSON.parse(record.sources);
      } catch {
        sources = record.sources;
      }
    }
    const parsed = faqSchema.safeParse({
      id: record.id?.trim(),
      question: record.question?.trim(),
      alternatives: lines(record.alternatives),
      answer: record.answer?.trim(),
      sources,
      tags: lines(record.tags),
      region: record.region?.trim() ? record.region.trim() : null,
      reviewed: record.reviewed?.trim(),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SportelloError(
        "INPUT_INVALID",
        say("curation.csv_bad_faq", {
          record: index + 1,
          field: issueField(issue),
          problem: issueProblem(issue),
        }),
      );
    }
    return parsed.data;
  });
}

function readFaqSources(path: string): Faq[] {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new SportelloError("NOT_FOUND", say("curation.import_missing", { path }));
  }
  if (path.toLowerCase().endsWith(".csv")) return parseFaqCsv(readFileSync(path, "utf8"));
  const files = isDir ? listFaqFiles(path).map((name) => join(path, name)) : [path];
  if (files.length === 0)
    throw new SportelloError("INPUT_INVALID", say("curation.import_empty", { path }));
  const list = files.map((file) => parseFaq(readFileSync(file, "utf8"), file));
  const ids = new Set<string>();
  for (const faq of list) {
    if (ids.has(faq.id)) {
      throw new SportelloError("INPUT_INVALID", say("curation.import_duplicate", { id: faq.id }));
    }
    ids.add(faq.id);
  }
  return list;
}

export function createFaqFiles(deps: FaqFilesDeps): FaqFiles {
  const { store, actors, config, faqs, log } = deps;

  return {
    importFrom(path, actor) {
      actors.authorize(actor, "faq.import");
      const list = readFaqSources(path);
      return faqs.importPublished(
        list,
        describeActor(store, actor, config.names),
        say("curation.reason_import", { path }),
        { actor, source: path, always: true },
      );
    },

    syncKnowledge(dir) {
      const fresh: Faq[] = [];
      const changed: Array<{ faq: Faq; file: string }> = [];
      const result: ImportResult = { added: [], updated: [], unchanged: [] };
      for (const name of listFaqFiles(dir)) {
        let faq: Faq;
        try {
          faq = parseFaq(readFileSync(join(dir, name), "utf8"), name);
        } catch (error) {
          log(`sportello: ${(error as Error).message}`);
          continue;
        }
        const history = store.faqs.history(faq.id);
        const head = history.at(-1);
        const { id: _id, ...content } = faq;
        const fileContent = { ...content };
        if (!head) fresh.push(faq);
        // A file equal to any version the store has (an export, an old copy) is not news.
        else if (history.some((v) => sameContent(v.content, fileContent))) {
          result.unchanged.push(faq.id);
        } else if (head.authorHash === fileAuthor) changed.push({ faq, file: name });
        else {
          log(say("curation.file_faq_diverged", { id: faq.id, file: name }));
          result.unchanged.push(faq.id);
        }
      }
      if (fresh.length > 0) {
        const imported = faqs.importPublished(
          fresh,
          { hash: fileAuthor, name: `knowledge/faq` },
          say("curation.reason_file_import"),
          { actor: { system: fileAuthor }, source: "knowledge/faq", always: false },
        );
        result.added.push(...imported.added);
        result.updated.push(...imported.updated);
      }
      if (changed.length > 0) {
        faqs.draftFromFiles(
          changed.map((c) => c.faq),
          { hash: fileAuthor, name: "knowledge/faq" },
          say("curation.reason_file_changed"),
          { system: fileAuthor },
        );
        for (const { faq, file } of changed) {
          log(say("curation.file_faq_drafted", { id: faq.id, file }));
        }
        result.drafted = changed.map((c) => c.faq.id);
      }
      return result;
    },

    exportTo(dir) {
      mkdirSync(dir, { recursive: true });
      return faqs.published().map((faq) => {
        const { version: _v, ...plain } = faq;
        const path = join(dir, faqFileName(plain));
        writeFileAtomically(path, serializeFaq(plain));
        return path;
      });
    },

    csv() {
      return toCsv(
        [...faqCsvColumns, "state", "version", "published_version"],
        faqs
          .list()
          .map((f) => [
            f.id,
            f.question,
            f.alternatives.join("\n"),
            f.answer,
            f.sources.length ? JSON.stringify(f.sources) : "",
            f.tags.join("\n"),
            f.region,
            f.reviewed,
            f.status,
            f.version,
            f.publishedVersion,
          ]),
      );
    },
  };
}
