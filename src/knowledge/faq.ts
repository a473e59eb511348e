// The FAQ file format: one Markdown file per FAQ, YAML front matter with the fields of faqSchema
// and the answer as body. Written by trainers by hand, so every error names file and field.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SportelloError } from "../errors.js";
import { say } from "../prompts.js";
import { yaml } from "../yaml.js";
import { issueField, issueProblem } from "./manifest.js";
import { type Faq, faqSchema } from "./types.js";

const frontMatter = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/;

/** FAQ files of a folder: every `.md` except README.md, sorted by name. */
export function listFaqFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.toLowerCase().endsWith(".md") && name.toLowerCase() !== "readme.md")
    .sort();
}

/** Parses the text of one FAQ file; `file` is only used in error messages. */
export function parseFaq(text: string, file: string): Faq {
  const match = frontMatter.exec(text.replace(/^\uFEFF/, ""));
  if (!match) {
    throw new SportelloError("KNOWLEDGE_INVALID", say("ingest.faq_no_front_matter", { file }));
  }
  let header: unknown;
  try {
    header = yaml().parse(match[1] ?? "");
  } catch (error) {
    const problem = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    throw new SportelloError(
      "KNOWLEDGE_INVALID",
      say("ingest.faq_invalid", { file, field: "intestazione", problem }),
      { cause: error },
    );
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    throw new SportelloError("KNOWLEDGE_INVALID", say("ingest.faq_no_front_matter", { file }));
  }
  const fields: Record<string, unknown> = { ...header, answer: (match[2] ?? "").trim() };
  // YAML may read an unquoted date as a Date; the schema wants the written form.
  if (fields.reviewed instanceof Date) fields.reviewed = fields.reviewed.toISOString().slice(0, 10);
  const parsed = faqSchema.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issueField(issue);
    const missing = issue?.code === "invalid_type" && issue.input === undefined;
    throw new SportelloError(
      "KNOWLEDGE_INVALID",
      say("ingest.faq_invalid", {
        file,
        field: field === "answer" ? say("ingest.field_faq_answer") : field,
        problem: missing ? say("ingest.field_missing") : issueProblem(issue),
      }),
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

/**
 * Loads every FAQ of `dir`. Without `onError`, the first invalid file or a repeated id throws
 * KNOWLEDGE_INVALID; with it, each bad file is reported and skipped and the rest load.
 */
export function loadFaqs(dir: string, onError?: (error: unknown, file: string) => void): Faq[] {
  const faqs: Faq[] = [];
  const owners = new Map<string, string>();
  for (const name of listFaqFiles(dir)) {
    try {
      const faq = parseFaq(readFileSync(join(dir, name), "utf8"), name);
      const other = owners.get(faq.id);
      if (other) {
        throw new SportelloError(
          "KNOWLEDGE_INVALID",
          say("ingest.faq_duplicate_id", { file: name, id: faq.id, other }),
        );
      }
      owners.set(faq.id, name);
      faqs.push(faq);
    } catch (error) {
      if (!onError) throw error;
      onError(error, name);
    }
  }
  return faqs;
}

/** The file text for `faq`: parseFaq(serializeFaq(faq)) gives back an equal FAQ. */
export function serializeFaq(faq: Faq): string {
  const header = {
    id: faq.id,
    question: faq.question,
    alternatives: faq.alternatives,
    sources: faq.sources,
    tags: faq.tags,
    region: faq.region,
    reviewed: faq.reviewed,
  };
  const front = yaml().stringify(header, { lineWidth: 0, defaultStringType: "PLAIN" });
  return `---\n${front}---\n\n${faq.answer.trim()}\n`;
}

/** File name for a FAQ: its id with the .md extension. */
export function faqFileName(faq: Pick<Faq, "id">): string {
  return `${faq.id}.md`;
}
