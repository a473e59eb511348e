// Loads a whole knowledge folder (manifest + documents + FAQ), a JSONL file of ready-made
// passages for benchmarks, and fingerprints everything the search index is built from.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { basename, join, relative, sep } from "node:path";
import * as z from "zod";
import { isSportelloError, SportelloError } from "../errors.js";
import { say } from "../prompts.js";
import { listFaqFiles, loadFaqs } from "./faq.js";
import { inferMeta, isSupportedFile, loadDocument, readDocument, slugify } from "./load.js";
import { findManifest, loadManifest } from "./manifest.js";
import type { DocumentMeta, Faq, LoadedDocument, Passage } from "./types.js";

/**
 * Bumped whenever normalisation or segmentation changes what passages come out of the same
 * bytes, so fingerprints change and indexes are rebuilt.
 */
export const INGEST_VERSION = 14;

export interface LoadKnowledgeOptions {
  /** Called after each document, loaded or not. */
  onProgress?(done: number, total: number, file: string): void;
  /** Called for each document or FAQ file that is skipped. */
  onError?(error: SportelloError): void;
  /** Called for each document loaded without some of its content (scanned pages). */
  onWarning?(error: SportelloError): void;
  /** Folder of FAQ files; default `<dir>/faq`. */
  faqDir?: string;
}

export interface LoadedKnowledge {
  documents: LoadedDocument[];
  /** One per skipped file; the rest of the folder still loads. */
  errors: SportelloError[];
  /** One per document loaded without some of its content. */
  warnings: SportelloError[];
  faqs: Faq[];
}

function asSportelloError(error: unknown, file: string): SportelloError {
  if (isSportelloError(error)) return error;
  const reason = say("ingest.reason_io", {
    detail: error instanceof Error ? error.message : String(error),
  });
  return new SportelloError(
    "DOCUMENT_UNREADABLE",
    say("ingest.document_unreadable", { file, reason }),
    {
      cause: error,
    },
  );
}

/**
 * Whether `path`, once symbolic links and ".." are resolved, is inside `dir`: a manifest entry
 * or a link pointing elsewhere (../../etc/passwd, a link to /etc/passwd) must not be indexed.
 * A path that does not exist counts as inside; reading it reports it missing.
 */
export function insideKnowledgeFolder(dir: string, path: string): boolean {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return !relative(dir, path).startsWith(`..${sep}`);
  }
  const root = realpathSync(dir);
  const rel = relative(root, real);
  return rel !== "" && !rel.startsWith(`..${sep}`) && rel !== ".." && !rel.startsWith(sep);
}

function outsideError(path: string): SportelloError {
  return new SportelloError(
    "DOCUMENT_UNREADABLE",
    say("ingest.document_unreadable", {
      file: basename(path),
      reason: say("ingest.reason_outside"),
    }),
  );
}

/** Documents of a folder without manifest: supported files at the top level and in documents/. */
export function discoverDocuments(dir: string): string[] {
  const found: string[] = [];
  for (const folder of [dir, join(dir, "documents")]) {
    if (!existsSync(folder)) continue;
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (name.toLowerCase() === "readme.md" || !isSupportedFile(name)) continue;
      if (statSync(path).isFile()) found.push(path);
    }
  }
  return found;
}

/**
 * Loads every document of `dir` (listed in manifest.yaml, or every .txt/.md/.pdf when there is
 * no manifest) and the FAQ of `dir/faq`. A bad document or FAQ file is reported through
 * `onError` and in `errors`, and skipped. An invalid manifest throws KNOWLEDGE_INVALID: without
 * it nothing can be attributed correctly.
 */
export async function loadKnowledge(
  dir: string,
  options: LoadKnowledgeOptions = {},
): Promise<LoadedKnowledge> {
  const errors: SportelloError[] = [];
  const report = (error: SportelloError) => {
    errors.push(error);
    options.onError?.(error);
  };
  const warnings: SportelloError[] = [];
  const documents: LoadedDocument[] = [];
  const manifestPath = findManifest(dir);
  const entries: Array<{ path: string; meta?: DocumentMeta }> = manifestPath
    ? loadManifest(dir).documents.map((meta) => ({ path: join(dir, meta.file), meta }))
    : discoverDocuments(dir).map((path) => ({ path }));

  const usedIds = new Set<string>();
  let done = 0;
  for (const entry of entries) {
    try {
      if (!insideKnowledgeFolder(dir, entry.path)) throw outsideError(entry.path);
      if (entry.meta) {
        const document = await loadDocument(entry.path, entry.meta);
        documents.push(document);
        for (const warning of document.warnings ?? []) {
          const error = asSportelloError(warning, basename(entry.path));
          warnings.push(error);
          options.onWarning?.(error);
        }
      } else {
        const read = await readDocument(entry.path);
        for (const error of read.warnings) {
          warnings.push(error);
          options.onWarning?.(error);
        }
        const meta = inferMeta(entry.path, read.title);
        let id = meta.id;
        for (let n = 2; usedIds.has(id); n++) id = `${meta.id}-${n}`;
        usedIds.add(id);
        const passages = read.segment(id);
        if (passages.length === 0) {
          throw new SportelloError(
            "DOCUMENT_UNREADABLE",
            say("ingest.document_unreadable", {
              file: basename(entry.path),
              reason: say("ingest.reason_no_text"),
            }),
          );
        }
        documents.push({ meta: { ...meta, id }, passages });
      }
    } catch (error) {
      report(asSportelloError(error, basename(entry.path)));
    }
    done++;
    options.onProgress?.(done, entries.length, basename(entry.path));
  }

  const faqs = loadFaqs(options.faqDir ?? join(dir, "faq"), (error, name) =>
    report(asSportelloError(error, name)),
  );
  return { documents, errors, warnings, faqs };
}

const jsonlPassage = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  text: z.string().min(1),
});

/**
 * Passages from a JSONL file of `{"id","title","text"}`, taken as they are (no segmentation):
 * each keeps its own id, and every distinct title becomes one pseudo-document.
 */
export function loadPassagesJsonl(path: string): LoadedDocument[] {
  const file = basename(path);
  let content: string;
  try {
    content = readFileSync(path, "utf8");
  } catch (error) {
    throw asSportelloError(error, file);
  }
  const byTitle = new Map<string, LoadedDocument>();
  const usedIds = new Set<string>();
  content.split("\n").forEach((raw, index) => {
    if (!raw.trim()) return;
    let row: z.infer<typeof jsonlPassage>;
    try {
      row = jsonlPassage.parse(JSON.parse(raw));
    } catch (error) {
      const problem =
        error instanceof z.ZodError
          ? `${error.issues[0]?.path.join(".")}: ${error.issues[0]?.message}`
          : error instanceof Error
            ? error.message
            : String(error);
      throw new SportelloError(
        "KNOWLEDGE_INVALID",
        say("ingest.passages_invalid", { file, line: index + 1, problem }),
        { cause: error },
      );
    }
    let document = byTitle.get(row.title);
    if (!document) {
      let id = slugify(row.title);
      for (let n = 2; usedIds.has(id); n++) id = `${slugify(row.title)}-${n}`;
      usedIds.add(id);
      document = {
        meta: { id, file, title: row.title, kind: "altro", region: null, date: null, origin: file },
        passages: [],
      };
      byTitle.set(row.title, document);
    }
    const passage: Passage = {
      id: row.id,
      documentId: document.meta.id,
      breadcrumb: [],
      location: { lineStart: index + 1, lineEnd: index + 1 },
      text: row.text,
      kind: "text",
    };
    document.passages.push(passage);
  });
  return [...byTitle.values()];
}

export interface FingerprintOptions {
  /** Thesaurus file; default `<dir>/thesaurus.yaml` when it exists. */
  thesaurusPath?: string;
  faqDir?: string;
}

/**
 * A hash of everything the index is built from: the ingestion version, the manifest, the bytes
 * of each document, the FAQ files and the thesaurus. Any edit changes it.
 */
export function fingerprintKnowledge(dir: string, options: FingerprintOptions = {}): string {
  const hash = createHash("sha256");
  const add = (label: string, path: string) => {
    hash.update(`\u0000${label}\u0000`);
    if (existsSync(path)) hash.update(readFileSync(path));
    else hash.update("\u0000missing");
  };
  hash.update(`sportello-ingest-${INGEST_VERSION}`);
  const manifestPath = findManifest(dir);
  if (manifestPath) {
    add("manifest", manifestPath);
    let files: string[] = [];
    try {
      files = loadManifest(dir).documents.map((d) => d.file);
    } catch {
      // An invalid manifest is fingerprinted by its bytes alone; loading reports the error.
    }
    for (const file of files) add(`document:${file}`, join(dir, file));
  } else {
    for (const path of discoverDocuments(dir)) add(`document:${path.slice(dir.length)}`, path);
  }
  const faqDir = options.faqDir ?? join(dir, "faq");
  for (const name of listFaqFiles(faqDir)) add(`faq:${name}`, join(faqDir, name));
  const thesaurus = options.thesaurusPath ?? join(dir, "thesaurus.yaml");
  if (existsSync(thesaurus)) add("thesaurus", thesaurus);
  return hash.digest("hex").slice(0, 16);
}
