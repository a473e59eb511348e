// `sportello ask`: one question, or a batch (one per line, plain text or {"question","id"}),
// rendered for a terminal or as one JSON object per line.
import { createReadStream, existsSync, statSync } from "node:fs";
import { createInterface } from "node:readline";
import * as z from "zod";
import {
  type Answer,
  askInConversation,
  ConversationMemory,
  SportelloError,
  say,
  withFollowUp,
} from "../../src/index.js";
import { answerToJson, renderTerminalAnswer } from "./render.js";

export type AskFn = (question: string) => Promise<Answer>;

const batchObjectSchema = z.object({
  question: z.string(),
  id: z.union([z.string(), z.number()]).nullish(),
  /** Lines with the same conversation are read in order, follow-ups against the line before. */
  conversation: z.union([z.string(), z.number()]).nullish(),
});

export interface BatchLine {
  line: number;
  id: string | number | null;
  question: string;
  conversation?: string;
  error?: string;
}

/** Parses one batch line: a JSON object with `question` (and `id`), or the question itself. */
export function parseBatchLine(raw: string, line: number): BatchLine | null {
  const text = raw.trim();
  if (!text) return null;
  if (text.startsWith("{")) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { line, id: null, question: "", error: `riga ${line}: JSON non valido` };
    }
    const parsed = batchObjectSchema.safeParse(value);
    if (!parsed.success) {
      return { line, id: null, question: "", error: `riga ${line}: manca il campo "question"` };
    }
    const { conversation } = parsed.data;
    return {
      line,
      id: parsed.data.id ?? null,
      question: parsed.data.question,
      ...(conversation !== undefined && conversation !== null
        ? { conversation: String(conversation) }
        : {}),
    };
  }
  return { line, id: null, question: text };
}

async function* readLines(file: string): AsyncGenerator<string> {
  if (file !== "-" && !(existsSync(file) && statSync(file).isFile())) {
    throw new SportelloError("INPUT_INVALID", say("cli.file_unreadable", { path: file }));
  }
  const input = file === "-" ? process.stdin : createReadStream(file, { encoding: "utf8" });
  const reader = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of reader) yield line;
}

export async function askBatch(
  file: string,
  ask: AskFn,
  json: boolean,
  write: (line: string) => void,
): Promise<{ answered: number; errors: number }> {
  let count = 0;
  let errors = 0;
  let lineNumber = 0;
  // Batch lines have no clock: a conversation's lines follow each other at once.
  const conversations = new ConversationMemory();
  for await (const raw of readLines(file)) {
    lineNumber++;
    const entry = parseBatchLine(raw, lineNumber);
    if (!entry) continue;
    if (entry.error) {
      errors++;
      write(
        json ? JSON.stringify({ id: entry.id, line: entry.line, error: entry.error }) : entry.error,
      );
      continue;
    }
    let answer: Answer;
    if (entry.conversation !== undefined) {
      const read = await askInConversation(
        ask,
        conversations,
        entry.conversation,
        entry.question,
        0,
      );
      answer = read.followUp
        ? withFollowUp(read.answer, read.asked, read.followUp.previous)
        : read.answer;
      conversations.remember(entry.conversation, {
        question: read.asked,
        interactionId: entry.line,
        at: 0,
      });
    } else {
      answer = await ask(entry.question);
    }
    count++;
    write(
      json
        ? JSON.stringify(answerToJson(entry.id, entry.question, answer))
        : `» ${entry.question}\n\n${renderTerminalAnswer(answer)}\n`,
    );
  }
  return { answered: count, errors };
}
