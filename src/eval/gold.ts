// Reads evaluation questions in the two formats the project measures itself with: the evidence
// format of shared/eval/gold_dev.jsonl and the passage-id format of SQuAD-it's questions.
import { readFileSync } from "node:fs";
import * as z from "zod";
import { SportelloError } from "../errors.js";
import { say } from "../prompts.js";

const evidenceQuestionSchema = z.object({
  id: z.string(),
  question: z.string(),
  style: z.string().default("unknown"),
  file: z.string().nullable().optional(),
  evidence: z.string().nullable(),
});

const passageQuestionSchema = z.object({
  id: z.string(),
  question: z.string(),
  passage: z.string(),
});

export interface GoldQuestion {
  id: string;
  question: string;
  style: string;
  /** What makes a retrieved passage a hit; null when the question must be declined. */
  expected: { kind: "evidence"; evidence: string } | { kind: "passage"; passageId: string } | null;
}

export function loadGold(path: string): GoldQuestion[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new SportelloError("INPUT_INVALID", say("cli.file_unreadable", { path }), { cause });
  }
  const questions: GoldQuestion[] = [];
  text.split("\n").forEach((line, index) => {
    if (!line.trim()) return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (cause) {
      throw new SportelloError(
        "INPUT_INVALID",
        say("cli.gold_line_invalid", { path, line: index + 1 }),
        { cause },
      );
    }
    const asPassage = passageQuestionSchema.safeParse(raw);
    if (asPassage.success) {
      questions.push({
        id: asPassage.data.id,
        question: asPassage.data.question,
        style: "squad",
        expected: { kind: "passage", passageId: asPassage.data.passage },
      });
      return;
    }
    const asEvidence = evidenceQuestionSchema.safeParse(raw);
    if (!asEvidence.success) {
      throw new SportelloError(
        "INPUT_INVALID",
        say("cli.gold_line_invalid", { path, line: index + 1 }),
      );
    }
    const { id, question, style, evidence } = asEvidence.data;
    questions.push({
      id,
      question,
      style,
      expected: evidence ? { kind: "evidence", evidence } : null,
    });
  });
  return questions;
}

/**
 * The scoring rule's comparison: lower-case, fold accents, every run of non-alphanumeric
 * characters becomes one space. Tolerates what normalisation does to raw text.
 */
export function normaliseForEvidence(text: string): string {
  return ` ${text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()} `;
}

export function isHit(
  expected: NonNullable<GoldQuestion["expected"]>,
  passage: { id: string; text: string },
): boolean {
  if (expected.kind === "passage") return passage.id === expected.passageId;
  return normaliseForEvidence(passage.text).includes(normaliseForEvidence(expected.evidence));
}
