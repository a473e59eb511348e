// Finds page furniture in extracted text by how often it recurs, never by its wording: running
// headers and footers, lone page numbers, and table-header blocks repeated on every page.

import { foldForMatch } from "./normalize.js";

export interface BoilerplateLine {
  text: string;
  page?: number;
  /** Structural lines (article, linea, scheda headings) are never dropped as boilerplate. */
  keep?: boolean;
}

/** Words per shingle: long enough to be specific, short enough to survive re-wrapped cells. */
const SHINGLE = 4;
/** A shingle seen this many times is repeated furniture (when its lines look like table cells). */
const MIN_REPEATS = 3;
/** Longer lines are prose or titles, never table cells. */
const MAX_CELL = 50;
/** A block of at least this many fully repeated lines is dropped... */
const MIN_BLOCK_LINES = 3;
/** ...when its lines are as short as wrapped table cells (mean length in characters). */
const MAX_CELL_LINE = 45;

const isBlank = (line: BoilerplateLine | undefined) => !line || line.text.trim() === "";

/** Indices of lines to drop from `lines`. */
export function findBoilerplate(lines: BoilerplateLine[]): Set<number> {
  const drop = new Set<number>();
  for (const index of findPageNumbers(lines)) drop.add(index);
  for (const index of findRunningLines(lines)) drop.add(index);
  for (const index of findRepeatedBlocks(lines)) drop.add(index);
  return drop;
}

const pageLabel = /^(?:pag\.?|pagina|page)\s*\d{1,4}(?:\s*(?:di|of|\/)\s*\d{1,4})?$/i;

/** A lone 1–3 digit line between blank lines (or at a page edge) is a page number. */
function findPageNumbers(lines: BoilerplateLine[]): number[] {
  const found: number[] = [];
  lines.forEach((line, i) => {
    const text = line.text.trim();
    if (pageLabel.test(text)) {
      found.push(i);
      return;
    }
    if (!/^\d{1,3}$/.test(text) || line.keep) return;
    const before = lines[i - 1];
    const after = lines[i + 1];
    const pageEdge =
      line.page !== undefined &&
      (before?.page !== line.page || after?.page !== line.page || isEdgeOfPage(lines, i));
    if ((isBlank(before) && isBlank(after)) || pageEdge) found.push(i);
  });
  return found;
}

function isEdgeOfPage(lines: BoilerplateLine[], i: number): boolean {
  const page = lines[i]?.page;
  const firstOrLast = (step: number) => {
    for (let j = i + step; j >= 0 && j < lines.length; j += step) {
      if (lines[j]?.page !== page) return true;
      if (!isBlank(lines[j])) return false;
    }
    return true;
  };
  return firstOrLast(-1) || firstOrLast(1);
}

const runningKey = (text: string) => foldForMatch(text).replace(/\d+/g, "#");

/**
 * Running headers and footers. With pages (PDF, or text with form feeds): a line among the first
 * or last two of a page whose digit-masked form recurs on at least half the pages (and at least 3).
 * Without pages: a stand-alone line (blank lines around it) recurring identically 4 or more times.
 */
function findRunningLines(lines: BoilerplateLine[]): number[] {
  const pages = new Map<number, number[]>();
  lines.forEach((line, i) => {
    if (line.page === undefined || isBlank(line)) return;
    const list = pages.get(line.page) ?? [];
    list.push(i);
    pages.set(line.page, list);
  });
  if (pages.size >= 3) {
    const pagesByKey = new Map<string, Set<number>>();
    const candidates: Array<[number, string]> = [];
    for (const [page, indices] of pages) {
      const edges = new Set([...indices.slice(0, 2), ...indices.slice(-2)]);
      for (const i of edges) {
        const key = runningKey(lines[i]?.text ?? "");
        if (key.length < 3 || lines[i]?.keep) continue;
        candidates.push([i, key]);
        const seen = pagesByKey.get(key) ?? new Set<number>();
        seen.add(page);
        pagesByKey.set(key, seen);
      }
    }
    const threshold = Math.max(3, Math.ceil(pages.size / 2));
    return candidates
      .filter(([, key]) => (pagesByKey.get(key)?.size ?? 0) >= threshold)
      .map(([i]) => i);
  }
  const occurrences = new Map<string, number[]>();
  lines.forEach((line, i) => {
    const text = line.text.trim();
    if (text.length < 12 || !/\p{L}/u.test(text) || line.keep) return;
    if (!isBlank(lines[i - 1]) || !isBlank(lines[i + 1])) return;
    const key = runningKey(text);
    occurrences.set(key, [...(occurrences.get(key) ?? []), i]);
  });
  return [...occurrences.values()].filter((list) => list.length >= 4).flat();
}

/**
 * Table headers and first-column cells repeated on every page of a flattened landscape table.
 * The cells re-wrap differently on each page, so lines are compared through word shingles: a
 * line is "repeated" when every word of it sits inside a 4-word sequence seen 3+ times in the
 * document. Runs of 3+ such lines that are as short as table cells are dropped; long repeated
 * lines are prose that the document genuinely repeats and are kept.
 */
function findRepeatedBlocks(lines: BoilerplateLine[]): number[] {
  const words: Array<{ word: string; line: number }> = [];
  lines.forEach((line, i) => {
    for (const word of foldForMatch(line.text).split(" ")) if (word) words.push({ word, line: i });
  });
  const counts = new Map<string, number>();
  const keyAt = (j: number) =>
    words
      .slice(j, j + SHINGLE)
      .map((w) => w.word)
      .join(" ");
  for (let j = 0; j + SHINGLE <= words.length; j++) {
    const key = keyAt(j);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const covered = new Array<boolean>(words.length).fill(false);
  for (let j = 0; j + SHINGLE <= words.length; j++) {
    if ((counts.get(keyAt(j)) ?? 0) >= MIN_REPEATS) covered.fill(true, j, j + SHINGLE);
  }
  const repeated = new Array<boolean>(lines.length).fill(false);
  const hasWord = new Array<boolean>(lines.length).fill(false);
  const uncovered = new Array<boolean>(lines.length).fill(false);
  words.forEach((w, j) => {
    hasWord[w.line] = true;
    if (!covered[j]) uncovered[w.line] = true;
  });
  lines.forEach((line, i) => {
    repeated[i] = Boolean(
      hasWord[i] && !uncovered[i] && !line.keep && line.text.trim().length <= MAX_CELL,
    );
  });

  const found: number[] = [];
  let i = 0;
  while (i < lines.length) {
    if (!repeated[i]) {
      i++;
      continue;
    }
    const run: number[] = [];
    let j = i;
    while (j < lines.length && (repeated[j] || (isBlank(lines[j]) && !lines[j]?.keep))) {
      if (repeated[j]) run.push(j);
      j++;
    }
    const meanLength =
      run.reduce((sum, k) => sum + (lines[k]?.text.trim().length ?? 0), 0) / run.length;
    if (run.length >= MIN_BLOCK_LINES && meanLength <= MAX_CELL_LINE) found.push(...run);
    i = j;
  }
  return found;
}
