// Passages from a document that carries its own structure (.docx, .odt, .html): headings with
// their levels, paragraphs, list items, tables and question/answer pairs come from the file, so
// nothing is guessed from the look of a line. Sections are cut like the line-based segmenter's
// (same sizes, same passage ids), tables row by row as "colonna: valore", each FAQ pair alone.
import { normalizeCharacters } from "./normalize.js";
import { PASSAGE_MAX, PASSAGE_MIN, PASSAGE_TARGET, passageId } from "./segment.js";
import type { Passage } from "./types.js";

export type OutlineBlock =
  | { kind: "heading"; level: number; text: string }
  | {
      kind: "paragraph";
      text: string /** The whole paragraph is bold: a question, maybe. */;
      strong?: boolean;
    }
  | { kind: "item"; text: string; depth: number }
  | { kind: "table"; header: string[] | null; rows: string[][] }
  | { kind: "faq"; question: string; answer: string[] };

export interface Outline {
  /** The document's own title (HTML <title>, docx/odt metadata), when it has one. */
  title: string | null;
  blocks: OutlineBlock[];
}

/** One space between words, typographic characters normalised. */
export function cleanText(text: string): string {
  return normalizeCharacters(text).replace(/\s+/g, " ").trim();
}

const isQuestion = (text: string) => /\?\s*$/.test(text) && text.length <= 300;

/**
 * A heading (or a bold paragraph) ending in "?" followed by text becomes one FAQ block whose
 * answer is everything up to the next heading of the same or an outer level, or the next question.
 */
export function foldQuestions(blocks: OutlineBlock[]): OutlineBlock[] {
  const out: OutlineBlock[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i] as OutlineBlock;
    const question =
      (block.kind === "heading" || (block.kind === "paragraph" && block.strong)) &&
      isQuestion(block.text);
    if (!question) {
      out.push(block);
      continue;
    }
    const level = block.kind === "heading" ? block.level : Number.POSITIVE_INFINITY;
    const answer: string[] = [];
    let j = i + 1;
    for (; j < blocks.length; j++) {
      const next = blocks[j] as OutlineBlock;
      if (next.kind === "heading" && (next.level <= level || isQuestion(next.text))) break;
      if (next.kind === "faq") break;
      if (next.kind === "paragraph" && next.strong && isQuestion(next.text)) break;
      answer.push(...blockLines(next));
    }
    if (answer.length === 0) {
      out.push(block);
      continue;
    }
    out.push({ kind: "faq", question: block.text, answer });
    i = j - 1;
  }
  return out;
}

/** The text lines of a block as they appear in a passage. */
export function blockLines(block: OutlineBlock): string[] {
  switch (block.kind) {
    case "heading":
    case "paragraph":
      return [block.text];
    case "item":
      return [`${"  ".repeat(Math.max(0, block.depth))}- ${block.text}`];
    case "table":
      return tableLines(block);
    case "faq":
      return [block.question, ...block.answer];
  }
}

/**
 * Rows as "colonna: valore; colonna: valore" when the table has a header row; a two-column
 * table without one reads as "etichetta: valore"; otherwise cells are joined with " | ".
 */
export function tableLines(table: { header: string[] | null; rows: string[][] }): string[] {
  const { header } = table;
  return table.rows
    .map((cells) => {
      if (header) {
        const pairs = cells
          .map((cell, c) => {
            if (!cell) return "";
            const name = header[c];
            return name && name !== cell ? `${name}: ${cell}` : cell;
          })
          .filter(Boolean);
        return pairs.join("; ");
      }
      const filled = cells.filter(Boolean);
      if (cells.length === 2 && filled.length === 2) return `${cells[0]}: ${cells[1]}`;
      return filled.join(" | ");
    })
    .filter((line) => line.length > 0);
}

interface Chunk {
  breadcrumb: string[];
  text: string[];
  /** Ordinals of the blocks the chunk holds: its location in the document. */
  blocks: number[];
  kind: "text" | "table" | "faq";
}

const size = (chunk: Chunk) => chunk.text.reduce((sum, t) => sum + t.length + 1, 0);

/** Cuts a line longer than the target at sentence ends, or at words as a last resort. */
function splitLong(text: string): string[] {
  if (text.length <= PASSAGE_TARGET) return [text];
  const pieces: string[] = [];
  let buffer = "";
  const words = text.split(/(?<=[.;!?])\s+|\s+(?=\S)/);
  for (const word of words) {
    if (buffer && buffer.length + word.length + 1 > PASSAGE_TARGET) {
      pieces.push(buffer);
      buffer = word;
    } else buffer = buffer ? `${buffer} ${word}` : word;
  }
  if (buffer) pieces.push(buffer);
  return pieces;
}

/** Passages of an outline; `documentId` prefixes their ids. */
export function segmentOutline(documentId: string, outline: Outline): Passage[] {
  const blocks = foldQuestions(outline.blocks);
  const chunks: Chunk[] = [];
  const stack: Array<{ level: number; text: string }> = [];
  let current: Chunk | undefined;
  const breadcrumb = () => stack.map((h) => h.text);
  const close = () => {
    if (current && current.text.length > 0) chunks.push(current);
    current = undefined;
  };
  // A heading opens the first chunk of its section (text or table), never a chunk of its own.
  let heading: { text: string; ordinal: number } | undefined;
  const add = (kind: Chunk["kind"], line: string, ordinal: number) => {
    for (const piece of splitLong(line)) {
      if (current && (current.kind !== kind || size(current) + piece.length > PASSAGE_TARGET))
        close();
      if (!current) {
        current = { breadcrumb: breadcrumb(), text: [], blocks: [], kind };
        if (heading) {
          current.text.push(heading.text);
          current.blocks.push(heading.ordinal);
          heading = undefined;
        }
      }
      current.text.push(piece);
      if (current.blocks.at(-1) !== ordinal) current.blocks.push(ordinal);
    }
  };

  blocks.forEach((block, index) => {
    const ordinal = index + 1;
    if (block.kind === "heading") {
      close();
      while (stack.length > 0 && (stack.at(-1)?.level ?? 0) >= block.level) stack.pop();
      stack.push({ level: block.level, text: block.text });
      heading = { text: block.text, ordinal };
      return;
    }
    if (block.kind === "faq") {
      // One passage per pair (more only when the answer is long), never merged with another.
      close();
      heading = undefined;
      const crumbs = [...breadcrumb(), block.question];
      let chunk: Chunk = {
        breadcrumb: crumbs,
        text: [block.question],
        blocks: [ordinal],
        kind: "faq",
      };
      for (const line of block.answer.flatMap(splitLong)) {
        if (chunk.text.length > 1 && size(chunk) + line.length > PASSAGE_MAX) {
          chunks.push(chunk);
          chunk = { breadcrumb: crumbs, text: [block.question], blocks: [ordinal], kind: "faq" };
        }
        chunk.text.push(line);
      }
      chunks.push(chunk);
      return;
    }
    if (block.kind === "table") {
      close();
      for (const line of tableLines(block)) add("table", line, ordinal);
      close();
      return;
    }
    for (const line of blockLines(block)) add("text", line, ordinal);
  });
  close();
  return toPassages(documentId, mergeSmall(chunks));
}

const isPrefix = (prefix: string[], of: string[]) =>
  prefix.length <= of.length && prefix.every((x, i) => x === of[i]);

/**
 * A chunk under the minimum joins the next one when that is its child (a heading's intro) or its
 * sibling of the same kind; sibling breadcrumbs read "A · B". FAQ pairs stay alone.
 */
function mergeSmall(chunks: Chunk[]): Chunk[] {
  const out: Chunk[] = [];
  let pending: Chunk | undefined;
  for (const chunk of chunks) {
    if (pending) {
      const parent = pending.breadcrumb.slice(0, -1);
      const child = isPrefix(pending.breadcrumb, chunk.breadcrumb);
      const sibling =
        pending.breadcrumb.length === chunk.breadcrumb.length && isPrefix(parent, chunk.breadcrumb);
      if (
        chunk.kind === pending.kind &&
        chunk.kind !== "faq" &&
        (child || sibling) &&
        size(pending) + size(chunk) <= PASSAGE_MAX
      ) {
        const same = pending.breadcrumb.join("\u0000") === chunk.breadcrumb.join("\u0000");
        const merged: Chunk = {
          breadcrumb:
            child || same
              ? chunk.breadcrumb
              : [...parent, `${pending.breadcrumb.at(-1)} · ${chunk.breadcrumb.at(-1)}`],
          text: [...pending.text, ...chunk.text],
          blocks: [...pending.blocks, ...chunk.blocks],
          kind: chunk.kind,
        };
        pending = size(merged) < PASSAGE_MIN ? merged : undefined;
        if (!pending) out.push(merged);
        continue;
      }
      out.push(pending);
      pending = undefined;
    }
    if (chunk.kind !== "faq" && size(chunk) < PASSAGE_MIN) pending = chunk;
    else out.push(chunk);
  }
  if (pending) out.push(pending);
  return out;
}

function toPassages(documentId: string, chunks: Chunk[]): Passage[] {
  const seen = new Map<string, number>();
  return chunks.map((chunk) => {
    const text = chunk.text.join("\n");
    let id = passageId(documentId, chunk.breadcrumb, text);
    const count = (seen.get(id) ?? 0) + 1;
    seen.set(id, count);
    if (count > 1) id = `${id}-${count}`;
    return {
      id,
      documentId,
      breadcrumb: chunk.breadcrumb,
      // Blocks, not lines: such a document is cited by its section.
      location: {
        lineStart: Math.min(...chunk.blocks),
        lineEnd: Math.max(...chunk.blocks),
        bySection: true,
      },
      text,
      kind: chunk.kind === "table" ? "table" : "text",
    };
  });
}
