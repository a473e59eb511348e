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
  const pageNumbers = new Set(findPageNumbers(lines));
  for (const index of pageNumbers) drop.add(index);
  for (const index of findRunningLines(lines, pageNumbers)) drop.add(index);
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

/** Keys of one page's edge lines: from the top down, and from the bottom up. */
export interface PageBands {
  top: string[];
  bottom: string[];
}

/** Options of findRunningBands. */
export interface RunningBandOptions {
  /**
   * Keys that also count as running when they recur on this many consecutive pages, however
   * few of the document's pages that is (the letterhead of an annex that fills a fifth of the
   * document). Only keys for which `partOnly` says yes; off when absent.
   */
  consecutive?: number;
  partOnly?: (key: string) => boolean;
}

/**
 * How many lines to drop from the top and from the bottom of each page: the run of edge lines,
 * from the page edge inwards, whose key recurs on at least half of the pages (and on two or
 * more), or on `consecutive` pages in a row (see RunningBandOptions). The run stops at the first
 * line that does not recur, so the band can be any height (a five-line letterhead) but never
 * reaches into body text that happens to repeat.
 */
export function findRunningBands(
  pages: PageBands[],
  options: RunningBandOptions = {},
): Array<{ top: number; bottom: number }> {
  const none = pages.map(() => ({ top: 0, bottom: 0 }));
  if (pages.length < 2) return none;
  const threshold = Math.max(2, Math.ceil(pages.length / 2));
  const frequent = (edge: "top" | "bottom") => {
    const seen = new Map<string, number>();
    const longestRun = new Map<string, number>();
    const run = new Map<string, number>();
    let previous = new Set<string>();
    for (const page of pages) {
      const keys = new Set(page[edge]);
      for (const key of keys) {
        seen.set(key, (seen.get(key) ?? 0) + 1);
        const length = previous.has(key) ? (run.get(key) ?? 0) + 1 : 1;
        run.set(key, length);
        longestRun.set(key, Math.max(longestRun.get(key) ?? 0, length));
      }
      previous = keys;
    }
    const { consecutive, partOnly } = options;
    const exact = (key: string) =>
      (seen.get(key) ?? 0) >= threshold ||
      (consecutive !== undefined &&
        (partOnly?.(key) ?? false) &&
        (longestRun.get(key) ?? 0) >= consecutive);
    // A footer that differs on one page by a slip ("Ver. 3.O" for "3.0", "GE.CO" for "GE.CO.")
    // is the same footer: a key within a small edit distance of a recurring one recurs too.
    const recurring = [...seen.keys()].filter(
      (key) => key.length >= MIN_FUZZY_KEY && (seen.get(key) ?? 0) >= threshold,
    );
    const memo = new Map<string, boolean>();
    return (key: string) => {
      if (exact(key)) return true;
      if (key.length < MIN_FUZZY_KEY) return false;
      let found = memo.get(key);
      if (found === undefined) {
        const limit = Math.floor(key.length / FUZZY_CHARS_PER_EDIT);
        found = recurring.some((other) => withinEdits(key, other, limit));
        memo.set(key, found);
      }
      return found;
    };
  };
  const top = frequent("top");
  const bottom = frequent("bottom");
  return pages.map((page) => {
    let t = 0;
    while (t < page.top.length && top(page.top[t] as string)) t++;
    let b = 0;
    while (b < page.bottom.length && bottom(page.bottom[b] as string)) b++;
    return { top: t, bottom: b };
  });
}

/** Keys shorter than this must recur exactly: "Pag. 3" is not "Fig. 3". */
const MIN_FUZZY_KEY = 16;
/** One edit tolerated per this many characters of a key. */
const FUZZY_CHARS_PER_EDIT = 12;

/** Whether `a` turns into `b` with at most `limit` insertions, deletions or substitutions. */
export function withinEdits(a: string, b: string, limit: number): boolean {
  if (Math.abs(a.length - b.length) > limit) return false;
  if (a === b) return true;
  if (limit <= 0) return false;
  // Only the diagonal band of width 2·limit+1 can stay within the limit.
  const big = limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => (j <= limit ? j : big));
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1).fill(big);
    if (i <= limit) current[0] = i;
    let best = current[0] as number;
    const from = Math.max(1, i - limit);
    const to = Math.min(b.length, i + limit);
    for (let j = from; j <= to; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j - 1] as number) + cost,
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        big,
      );
      current[j] = value;
      if (value < best) best = value;
    }
    if (best > limit) return false;
    previous = current;
  }
  return (previous[b.length] as number) <= limit;
}

/**
 * List items and lines ending in ":" or ";" are instructions, however often they repeat:
 * headers and footers are names, addresses, titles and page numbers.
 */
export function looksLikeBody(text: string): boolean {
  return /^\s*(?:[-•*]|\d{1,2}[.)])\s+\S|[:;]\s*$/.test(text);
}

/** Edge lines of a text page considered for headers and footers. */
const EDGE_LINES = 8;

/**
 * Running headers and footers of text: only at page boundaries. Pages are those of the form
 * feeds, or else the stretches between lone page numbers; a line is furniture when it belongs
 * to the recurring band at the top or bottom of its page (see findRunningBands).
 */
function findRunningLines(lines: BoilerplateLine[], pageNumbers: Set<number>): number[] {
  const pages = new Map<number, number[]>();
  const paged = lines.some((l) => l.page !== undefined);
  let virtual = 1;
  lines.forEach((line, i) => {
    if (!paged && pageNumbers.has(i)) virtual++;
    if (isBlank(line) || pageNumbers.has(i)) return;
    const page = paged ? line.page : virtual;
    if (page === undefined) return;
    const list = pages.get(page) ?? [];
    list.push(i);
    pages.set(page, list);
  });
  if (pages.size < 3) return [];
  const indices = [...pages.values()];
  const keyOf = (i: number) =>
    lines[i]?.keep || looksLikeBody(lines[i]?.text ?? "")
      ? `\u0000body${i}`
      : runningKey(lines[i]?.text ?? "");
  const bands = findRunningBands(
    indices.map((list) => ({
      top: list.slice(0, EDGE_LINES).map(keyOf),
      bottom: list.slice(-EDGE_LINES).reverse().map(keyOf),
    })),
  );
  return indices.flatMap((list, p) => {
    const { top, bottom } = bands[p] ?? { top: 0, bottom: 0 };
    return [...list.slice(0, top), ...list.slice(list.length - bottom)];
  });
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
    // Instructions a leaflet repeats are list items and sentences; table headers are neither.
    const prose = run.filter((k) => /^- |[.;:!?]$/.test(lines[k]?.text.trim() ?? "")).length;
    if (run.length >= MIN_BLOCK_LINES && meanLength <= MAX_CELL_LINE && prose * 3 < run.length) {
      found.push(...run);
    }
    i = j;
  }
  return found;
}
