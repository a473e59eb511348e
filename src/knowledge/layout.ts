// Rebuilds reading order from positioned text (a PDF page's items): lines by baseline, running
// headers and footers by recurrence in the page's top and bottom bands, columns by vertical
// gutters (two, three or more), tables by their drawn grid (ruled.ts) or by x-aligned gaps,
// paragraphs by vertical gaps and headings by font size and weight relative to the document's
// body text. Pure geometry: pdf.ts feeds it, tests can too.
import { findRunningBands, looksLikeBody } from "./boilerplate.js";
import { foldForMatch } from "./normalize.js";
import { findGrids, type Grid, type Rule } from "./ruled.js";
import { joinLines } from "./segment.js";
import { isHeaderRow } from "./tables.js";

/** One text run as a PDF gives it: baseline origin, advance width, font size and weight. */
export interface PositionedItem {
  str: string;
  x: number;
  y: number;
  width: number;
  size: number;
  bold: boolean;
}

export interface PageText {
  number: number;
  width: number;
  height: number;
  items: PositionedItem[];
  /** Horizontal and vertical rules drawn on the page, when it was looked at for them. */
  rules?: Rule[];
}

/** A line in reading order, with what the layout says about it. */
export interface LayoutLine {
  text: string;
  page: number;
  /** Heading level from the font (1 = largest); absent for body text. */
  headingLevel?: number;
  /** Cells of a table row found from aligned positions. */
  cells?: string[];
  /** The page is a slide: its text is one passage, never merged with another page. */
  slide?: boolean;
}

interface Segment {
  x0: number;
  x1: number;
  text: string;
  size: number;
  bold: boolean;
  chars: number;
}

interface Line {
  y: number;
  segments: Segment[];
  size: number;
  bold: boolean;
  /** A whole table found across the page, standing in for its lines. */
  table?: string[][];
}

/** Items closer than this (in font sizes) on one baseline belong to the same segment. */
const SEGMENT_GAP = 0.9;
/** A vertical step above this many usual line steps separates paragraphs. */
const PARAGRAPH_GAP = 1.35;
/** Larger than body text by this factor: a heading. */
const HEADING_RATIO = 1.15;
/** An annex's own header or footer: recurring on this many pages in a row is enough. */
const PART_PAGES = 4;
const PART_KEY = "\u0001";
/** Headers and footers are looked for in this share of the page from each edge. */
const BAND = 0.4;
const HEADING_MAX_CHARS = 160;

/** Lines of all pages in reading order, blank lines between blocks. */
export function layoutPages(pages: PageText[]): LayoutLine[] {
  const grids = pages.map((page) => findGrids(page.items, page.rules ?? []));
  const linesByPage = pages.map((page, i) => {
    const found = grids[i] ?? [];
    const items =
      found.length === 0 ? page.items : page.items.filter((item) => !inGrid(found, item));
    return toLines(items);
  });
  const cellLines = grids.flat().map((grid) => toLines([...grid.items]));
  const bodySize = dominantSize([...linesByPage.flat(), ...cellLines.flat()]);
  removeRunningLines(pages, linesByPage, bodySize);
  const tables = grids.map((found) => found.map((grid) => ruledTable(grid, bodySize)));
  // A title row across a table may be set as a heading.
  const titles = tables.flat(2).filter((line) => !line.table);
  const headingSizes = headingSizeLevels([...linesByPage.flat(), ...titles], bodySize);
  // A page with a ruled table is a page of the document, not a slide.
  const slides = pages.map(
    (page, i) => (grids[i] ?? []).length === 0 && isSlide(page, linesByPage[i] ?? []),
  );
  // Running headers and footers are gone: each table goes in among the lines, where it starts.
  linesByPage.forEach((lines, i) => {
    (grids[i] ?? []).forEach((grid, k) => {
      const at = lines.findIndex((line) => line.y < grid.top);
      lines.splice(at < 0 ? lines.length : at, 0, ...(tables[i]?.[k] ?? []));
    });
  });
  const deck = slides.filter(Boolean).length >= Math.max(1, pages.length * 0.6);
  const pageBody = linesByPage.map((lines) => pageBodySize(lines, bodySize));

  const out: LayoutLine[] = [];
  pages.forEach((page, i) => {
    const lines = linesByPage[i] ?? [];
    if (lines.length === 0) return;
    if (out.length > 0) out.push({ text: "", page: page.number });
    if (deck) {
      out.push(...slideLines(page.number, lines));
      return;
    }
    for (const flow of readingFlows(listsInColumns(lines))) {
      if (out.length > 0 && out.at(-1)?.text !== "") out.push({ text: "", page: page.number });
      out.push(...flowLines(page.number, flow, pageBody[i] ?? bodySize, headingSizes));
    }
  });
  return out;
}

// ---- lines and segments ----

function toLines(items: PositionedItem[]): Line[] {
  const sorted = items
    .filter((item) => item.str.trim() !== "")
    .sort((a, b) => b.y - a.y || a.x - b.x);
  const groups: PositionedItem[][] = [];
  for (const item of sorted) {
    const group = groups.at(-1);
    const first = group?.[0];
    if (group && first && Math.abs(first.y - item.y) <= Math.max(2, 0.35 * item.size)) {
      group.push(item);
    } else groups.push([item]);
  }
  return groups.map((group) => {
    const segments: Segment[] = [];
    for (const item of group.sort((a, b) => a.x - b.x)) {
      const last = segments.at(-1);
      const gap = last ? item.x - last.x1 : Number.POSITIVE_INFINITY;
      const chars = item.str.trim().length;
      if (last && gap <= Math.max(4, SEGMENT_GAP * item.size)) {
        // A lone "o" opening the line, a tab stop before its text: Word's second-level bullet.
        // (Also at the head of a later segment: the second column of a list set in columns.)
        if (last.text === "o" && gap >= 0.5 * item.size) last.text = "-";
        const space = gap > 0.15 * item.size && !/\s$/.test(last.text) && !/^\s/.test(item.str);
        last.text += (space ? " " : "") + item.str;
        last.x1 = Math.max(last.x1, item.x + item.width);
        last.bold = last.bold && item.bold;
        last.size = last.chars >= chars ? last.size : item.size;
        last.chars += chars;
      } else {
        segments.push({
          x0: item.x,
          x1: item.x + item.width,
          text: item.str,
          size: item.size,
          bold: item.bold,
          chars,
        });
      }
    }
    for (const s of segments) s.text = s.text.replace(/\s+/g, " ").trim();
    mergeListMarkers(segments);
    const biggest = segments.reduce((a, b) => (b.chars > a.chars ? b : a));
    return {
      y: group[0]?.y ?? 0,
      segments,
      size: biggest.size,
      bold: segments.every((s) => s.bold),
    };
  });
}

/** A list marker drawn on its own, a tab stop before its item: "•", "o", "‐", a Wingdings glyph. */
const listMarker = /^(?:[•·▪▫►▶➤➢➔✓✔☑❖◦■□●○\u2043\u2219\uf000-\uf0ff]|[-‐–—o])$/u;

/**
 * A bullet and its item are one segment: kept apart by the tab stop, the marker would read as a
 * table's first column and every bulleted list as a table.
 */
function mergeListMarkers(segments: Segment[]) {
  for (let k = segments.length - 2; k >= 0; k--) {
    const marker = segments[k] as Segment;
    const item = segments[k + 1] as Segment;
    if (!listMarker.test(marker.text)) continue;
    // Word's second-level bullet is a letter "o" in Courier: as a marker it reads as a dash.
    item.text = `${marker.text === "o" ? "-" : marker.text} ${item.text}`;
    item.x0 = marker.x0;
    item.chars += marker.chars;
    segments.splice(k, 1);
  }
}

const lineText = (line: Line) => line.segments.map((s) => s.text).join(" ");

// ---- tables drawn with rules ----

const inGrid = (grids: Grid[], item: PositionedItem) => grids.some((g) => g.items.has(item));

/**
 * A ruled table as one line standing in for its rows, each cell's lines joined; leading rows
 * that are one cell across the whole table (its title) go before it as text.
 */
function ruledTable(grid: Grid, bodySize: number): Line[] {
  const text = (items: PositionedItem[] | null) =>
    items ? toLines(items).map(lineText).reduce(joinLines, "").trim() : "";
  let first = 0;
  // One cell of text spanning the table (or all of it but an empty corner).
  const across = (row: Array<PositionedItem[] | null>) =>
    row.filter((cell) => cell?.length).length === 1 &&
    row.filter((cell) => cell === null).length >= row.length - 2;
  while (grid.rows.length - first > 2 && across(grid.rows[first] ?? [])) first++;
  // Each title one line, its cell's lines joined like any cell's (a title set on two lines).
  const titles = grid.rows.slice(0, first).flatMap((row): Line[] => {
    const cell = row.find((c) => c?.length) ?? null;
    const lines = toLines(cell ?? []);
    const top = lines[0];
    if (!top) return [];
    const segments = lines.flatMap((line) => line.segments);
    const size = Math.max(...lines.map((line) => line.size));
    const bold = lines.every((line) => line.bold);
    const joined = text(cell);
    const x0 = Math.min(...segments.map((s) => s.x0));
    const x1 = Math.max(...segments.map((s) => s.x1));
    const chars = segments.reduce((n, s) => n + s.chars, 0);
    return [{ y: top.y, segments: [{ x0, x1, text: joined, size, bold, chars }], size, bold }];
  });
  const rows = grid.rows.slice(first).map((row) => row.map(text));
  // A header cell spanning columns names each of them.
  const named = (row: Array<PositionedItem[] | null>) => {
    let left = "";
    return row.map((cell) => {
      if (cell !== null) left = text(cell);
      return left;
    });
  };
  // A header on two rows, a group's name over its columns' ("Importo" over "minimo",
  // "massimo") or a name set on two rows, the other names spanning both: one header row,
  // "Importo minimo".
  const [upper, lower] = grid.rows.slice(first);
  const shared = upper?.some((cell, c) => cell?.length && lower?.[c] === cell);
  if (upper && lower && rows.length >= 3 && shared && isHeaderRow(named(upper))) {
    const header = named(upper).map((name, c) => {
      const below = lower[c] === upper[c] ? "" : text(lower[c] ?? null);
      return [name, below].filter(Boolean).join(" ");
    });
    if (isHeaderRow(header)) rows.splice(0, 2, header);
  } else if (upper?.includes(null) && isHeaderRow(named(upper))) rows[0] = named(upper);
  const table: Line = {
    y: grid.bottom,
    segments: [{ x0: grid.left, x1: grid.right, text: "", size: bodySize, bold: false, chars: 0 }],
    size: bodySize,
    bold: false,
    table: rows,
  };
  return [...titles, table];
}

// ---- lists set in columns ----

/** A segment that is a list item: its marker, then its text (see mergeListMarkers). */
const listItem = /^(?:[•·▪▫►▶➤➢➔✓✔☑❖◦■□●○\u2043\u2219\uf000-\uf0ff]|[-‐–—])\s/u;

/**
 * A bulleted list set in two or more columns ("- Google Chrome 32+    - Microsoft Edge 12+")
 * is read column by column, one item a line. Its items are too short to be columns of prose
 * (findGutters) and, side by side, would read as one item or as the rows of a table. The list
 * is a run of lines, one of them at least with two or more items side by side, whose every
 * segment is an item starting at one of the columns' markers or the wrapped text of an item
 * (right of a marker, before the next column's).
 */
function listsInColumns(lines: Line[]): Line[] {
  const out: Line[] = [];
  // Lines before this one are already read as a list's.
  let floor = 0;
  for (let i = 0; i < lines.length; ) {
    const line = lines[i] as Line;
    const markers = line.segments.map((s) => s.x0);
    if (line.segments.length < 2 || !line.segments.every((s) => listItem.test(s.text))) {
      out.push(line);
      i++;
      continue;
    }
    // Lines above that are items at the first column's marker belong to the list too.
    let start = i;
    while (start > floor) {
      const above = lines[start - 1] as Line;
      const only = above.segments.length === 1 ? above.segments[0] : undefined;
      if (!only || !listItem.test(only.text) || Math.abs(only.x0 - (markers[0] ?? 0)) > 3) break;
      if (above.y - (lines[start] as Line).y > 2.6 * Math.max(above.size, line.size)) break;
      start--;
      out.pop();
    }
    const column = (s: Segment) => {
      const k = markers.findLastIndex((x) => s.x0 >= x - 3);
      if (k < 0) return -1;
      const atMarker = Math.abs(s.x0 - (markers[k] ?? 0)) <= 3;
      return atMarker === listItem.test(s.text) ? k : -1;
    };
    let end = i + 1;
    for (; end < lines.length; end++) {
      const next = lines[end] as Line;
      const previous = lines[end - 1] as Line;
      if (previous.y - next.y > 2.6 * Math.max(previous.size, next.size)) break;
      const ks = next.segments.map(column);
      if (ks.some((k, n) => k < 0 || (n > 0 && k <= (ks[n - 1] ?? 0)))) break;
    }
    const run = lines.slice(start, end);
    for (let k = 0; k < markers.length; k++) {
      for (const member of run) {
        for (const s of member.segments) {
          if (column(s) === k) out.push({ y: member.y, segments: [s], size: s.size, bold: s.bold });
        }
      }
    }
    i = end;
    floor = end;
  }
  return out;
}

// ---- running headers and footers ----

/**
 * Drops, in place, the lines of each page's top and bottom bands that recur (same text with
 * digits masked, same height on the page) on at least half of the pages. Only the bands are
 * looked at, so text the body repeats (an instruction block on every page) survives.
 */
function removeRunningLines(pages: PageText[], linesByPage: Line[][], bodySize: number) {
  // Digits are masked so that page numbers match; not in text larger than the body, where
  // they number headings ("2. Iscrizione") that may sit at the same height on every page.
  // The height is measured from the edge the line is near: a header sits as far from the top
  // of a landscape page as of a portrait one.
  let unique = 0;
  const keyOf = (line: Line, fromEdge: number) => {
    if (looksLikeBody(lineText(line))) return `\u0000body${unique++}`;
    const text = foldForMatch(lineText(line));
    const heading = line.size >= bodySize * HEADING_RATIO;
    // A number alone numbers nothing: a page number, however large its type.
    const masked = heading && /\p{L}/u.test(text) ? text : text.replace(/\d+/g, "#");
    // Lines that may be an annex's own letterhead: one run of text in body type or smaller (a
    // table's repeated header row has several cells; a continued slide's title is larger).
    const part = !heading && line.segments.length === 1 ? PART_KEY : "";
    return `${part}${masked}@${Math.round(fromEdge / 3)}`;
  };
  const bands = linesByPage.map((lines, i) => {
    const height = pages[i]?.height ?? 842;
    return {
      top: lines.filter((l) => l.y >= height * (1 - BAND)).map((l) => keyOf(l, height - l.y)),
      bottom: lines
        .filter((l) => l.y < height * BAND)
        .map((l) => keyOf(l, l.y))
        .reverse(),
    };
  });
  const drop = findRunningBands(bands, {
    consecutive: PART_PAGES,
    partOnly: (key) => key.startsWith(PART_KEY),
  });
  linesByPage.forEach((lines, i) => {
    const height = pages[i]?.height ?? 842;
    const topCount = lines.filter((l) => l.y >= height * (1 - BAND)).length;
    const bottomCount = lines.filter((l) => l.y < height * BAND).length;
    const { top, bottom } = drop[i] ?? { top: 0, bottom: 0 };
    const keep = lines.filter((_, k) => {
      if (k < Math.min(top, topCount)) return false;
      return k < lines.length - Math.min(bottom, bottomCount);
    });
    linesByPage[i] = keep;
  });
}

// ---- font sizes ----

const roundSize = (size: number) => Math.round(size * 2) / 2;

/** The size most characters are set in: the body text. */
function dominantSize(lines: Line[]): number {
  const weight = new Map<number, number>();
  for (const line of lines) {
    for (const s of line.segments) {
      const size = roundSize(s.size);
      weight.set(size, (weight.get(size) ?? 0) + s.chars);
    }
  }
  let best = 10;
  let bestWeight = -1;
  for (const [size, w] of weight) {
    if (w > bestWeight) [best, bestWeight] = [size, w];
  }
  return best;
}

/** Characters of running text a page needs before its own body size counts. */
const PAGE_BODY_CHARS = 400;

/**
 * The body size of one page: the document's, unless the page sets most of a good amount of text
 * in a larger size (a letter at 12 pt before annexes at 10 pt). Lines at that size are then the
 * page's paragraphs, not headings, however they compare with the document's body text.
 */
function pageBodySize(lines: Line[], bodySize: number): number {
  const plain = lines.filter((line) => !line.table);
  const chars = plain.reduce((n, l) => n + l.segments.reduce((m, s) => m + s.chars, 0), 0);
  if (chars < PAGE_BODY_CHARS) return bodySize;
  const size = dominantSize(plain);
  const share =
    plain.reduce(
      (n, l) => n + l.segments.reduce((m, s) => m + (roundSize(s.size) === size ? s.chars : 0), 0),
      0,
    ) / chars;
  return size > bodySize && share >= 0.5 ? size : bodySize;
}

/** Heading sizes, largest first, each with its level (1 = outermost). */
function headingSizeLevels(lines: Line[], bodySize: number): Map<number, number> {
  const sizes = new Set<number>();
  // Segment by segment: two column headings side by side share one baseline.
  for (const s of lines.flatMap((line) => line.segments)) {
    const single: Line = { y: 0, segments: [s], size: s.size, bold: s.bold };
    if (isHeadingCandidate(single) && s.size >= bodySize * HEADING_RATIO) {
      sizes.add(roundSize(s.size));
    }
  }
  return new Map([...sizes].sort((a, b) => b - a).map((size, i) => [size, i + 1]));
}

/** "… AI SENSI DEL D.P.R.", "… L.R.": a title may end on an abbreviation's dot. */
const endsOnInitials = /(?:^|[\s(])(?:\p{Lu}{1,4}\.){1,4}$/u;

function isHeadingCandidate(line: Line): boolean {
  const text = lineText(line);
  return (
    line.segments.length === 1 &&
    text.length <= HEADING_MAX_CHARS &&
    // A bulleted line is a list item, however bold.
    !listMarker.test(text.split(" ")[0] ?? "") &&
    /\p{L}{2}/u.test(text) &&
    !/[;,]$/.test(text) &&
    (!text.endsWith(".") || endsOnInitials.test(text))
  );
}

function headingLevel(line: Line, bodySize: number, levels: Map<number, number>) {
  if (!isHeadingCandidate(line)) return undefined;
  if (line.size >= bodySize * HEADING_RATIO) return levels.get(roundSize(line.size));
  // Bold at body size: the innermost heading level. A bold line ending in a colon
  // ("Gli strumenti del controllo di I livello:") introduces the text or list below it: it is
  // that paragraph's first line, not the title of a section.
  const text = lineText(line);
  if (line.bold && line.size >= bodySize * 0.95 && text.length <= 120 && !text.endsWith(":")) {
    return levels.size + 1;
  }
  return undefined;
}

// ---- slides ----

function isSlide(page: PageText, lines: Line[]): boolean {
  if (page.width <= page.height * 1.15 || lines.length === 0) return false;
  const words = lines.reduce((n, l) => n + lineText(l).split(/\s+/).length, 0);
  return words <= 150 && dominantSize(lines) >= 14;
}

/** A slide: its biggest line near the top is the title, everything else is its text. */
function slideLines(page: number, lines: Line[]): LayoutLine[] {
  const top = lines.filter((line) => !line.table).slice(0, 3);
  const title = top.reduce<Line | undefined>((a, b) => (a && a.size >= b.size ? a : b), undefined);
  const out: LayoutLine[] = [];
  const titleText = title ? lineText(title) : "";
  if (title && titleText.length <= HEADING_MAX_CHARS) {
    out.push({ text: titleText, page, headingLevel: 1, slide: true });
  }
  const body = lines.filter((line) => line !== title || titleText.length > HEADING_MAX_CHARS);
  // Slides set text in columns too (steps side by side): each is read to its end.
  for (const flow of readingFlows(body, false)) {
    if (out.length > 0 && out.at(-1)?.text !== "") out.push({ text: "", page, slide: true });
    let previous: Line | undefined;
    for (const line of flow) {
      if (line.table) {
        if (out.length > 0 && out.at(-1)?.text !== "") out.push({ text: "", page, slide: true });
        for (const cells of line.table) {
          out.push({ text: cells.filter(Boolean).join(" | "), page, cells, slide: true });
        }
        out.push({ text: "", page, slide: true });
        previous = undefined;
        continue;
      }
      if (previous && previous.y - line.y > PARAGRAPH_GAP * previous.size) {
        out.push({ text: "", page, slide: true });
      }
      out.push({ text: lineText(line), page, slide: true });
      previous = line;
    }
  }
  return out;
}

// ---- columns ----

/** A vertical strip free of text between two columns. */
interface Gutter {
  from: number;
  to: number;
}

/**
 * The page cut into flows read one after the other: a line crossing a gutter (a title over the
 * columns) ends the columns above it, which are read from the leftmost column to the right.
 */
function readingFlows(pageLines: Line[], tables = true): Line[][] {
  const lines = tables ? withTables(pageLines) : pageLines;
  const gutters = findGutters(lines.filter((l) => !l.table));
  if (gutters.length === 0) return [lines];
  const flows: Line[][] = [];
  let columns: Line[][] = gutters.map(() => []).concat([[]]);
  let full: Line[] = [];
  const flushColumns = () => {
    for (const column of columns) if (column.length > 0) flows.push(column);
    columns = columns.map(() => []);
  };
  for (const line of lines) {
    const crosses = line.segments.some((s) =>
      gutters.some((g) => s.x0 < g.from - 1 && s.x1 > g.to + 1),
    );
    if (crosses) {
      flushColumns();
      full.push(line);
      continue;
    }
    if (full.length > 0) {
      flows.push(full);
      full = [];
    }
    const parts = columns.map((): Segment[] => []);
    for (const s of line.segments) parts[gutters.filter((g) => s.x1 > g.to).length]?.push(s);
    parts.forEach((segments, k) => {
      if (segments.length > 0) columns[k]?.push({ ...line, segments });
    });
  }
  flushColumns();
  if (full.length > 0) flows.push(full);
  return flows;
}

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/**
 * The strips between columns, left to right: vertical strips that almost no line crosses, each
 * with prose on both sides (several lines of several words each, between it and the next
 * strip), so that two, three or more columns are told from a table or a ragged margin.
 */
function findGutters(lines: Line[]): Gutter[] {
  if (lines.length < 6) return [];
  const minX = Math.min(...lines.flatMap((l) => l.segments.map((s) => s.x0)));
  const maxX = Math.max(...lines.flatMap((l) => l.segments.map((s) => s.x1)));
  const width = Math.ceil(maxX - minX);
  if (width < 100) return [];
  const coverage = new Array<number>(width + 1).fill(0);
  for (const line of lines) {
    for (const s of line.segments) {
      for (let x = Math.max(0, Math.floor(s.x0 - minX)); x <= Math.min(width, s.x1 - minX); x++) {
        coverage[x] = (coverage[x] ?? 0) + 1;
      }
    }
  }
  // A title above the columns and a note below them may cross every strip.
  const allowed = Math.max(2, Math.floor(lines.length * 0.1));
  const gutters: Gutter[] = [];
  for (let x = Math.floor(width * 0.15); x <= width * 0.85; x++) {
    if ((coverage[x] ?? 0) > allowed) continue;
    let end = x;
    while (end + 1 <= width * 0.85 && (coverage[end + 1] ?? 0) <= allowed) end++;
    if (end - x >= 8) gutters.push(emptiestPart(coverage, x, end, minX));
    x = end;
  }
  const segments = lines.flatMap((l) => l.segments).filter((s) => wordCount(s.text) >= 4);
  const prose = (from: number, to: number) =>
    segments.filter((s) => s.x0 >= from - 1 && s.x1 <= to + 1).length;
  // The strip with the least prose beside it goes first, until every one left has enough.
  for (;;) {
    const scores = gutters.map((g, i) =>
      Math.min(
        prose(gutters[i - 1]?.to ?? -Infinity, g.from),
        prose(g.to, gutters[i + 1]?.from ?? Infinity),
      ),
    );
    const worst = scores.indexOf(Math.min(...scores));
    if (worst < 0 || (scores[worst] ?? 0) >= 3) return gutters;
    gutters.splice(worst, 1);
  }
}

/**
 * The widest run of a strip's least-covered points, when 8 points wide or more: the strip may
 * begin where a few lines reach into it (the one long line of a column set ragged), and the
 * text on each side of the gutter is measured from where the gap really is.
 */
function emptiestPart(coverage: number[], from: number, to: number, minX: number): Gutter {
  let least = Number.POSITIVE_INFINITY;
  for (let x = from; x <= to; x++) least = Math.min(least, coverage[x] ?? 0);
  let best = { from, to: from - 1 };
  for (let x = from; x <= to; x++) {
    if ((coverage[x] ?? 0) !== least) continue;
    let end = x;
    while (end + 1 <= to && (coverage[end + 1] ?? 0) === least) end++;
    if (end - x > best.to - best.from) best = { from: x, to: end };
    x = end;
  }
  const part = best.to - best.from >= 8 ? best : { from, to };
  return { from: part.from + minX, to: part.to + minX };
}

/**
 * Tables found over the whole page width, before columns are looked for (a table's cells must
 * not be read as columns of text); each becomes one line that spans the page.
 */
function withTables(lines: Line[]): Line[] {
  const out: Line[] = [];
  for (let i = 0; i < lines.length; ) {
    const table = tableAt(lines, i);
    if (!table) {
      out.push(lines[i] as Line);
      i++;
      continue;
    }
    if (!table.rows) {
      out.push(...lines.slice(i, i + table.used));
      i += table.used;
      continue;
    }
    const used = lines.slice(i, i + table.used);
    const x0 = Math.min(...used.flatMap((l) => l.segments.map((s) => s.x0)));
    const x1 = Math.max(...used.flatMap((l) => l.segments.map((s) => s.x1)));
    const last = used.at(-1) as Line;
    out.push({
      y: last.y,
      segments: [{ x0, x1, text: "", size: last.size, bold: false, chars: 0 }],
      size: last.size,
      bold: false,
      table: table.rows,
    });
    i += table.used;
  }
  return out;
}

// ---- tables, paragraphs and headings of one flow ----

function flowLines(
  page: number,
  flow: Line[],
  bodySize: number,
  levels: Map<number, number>,
): LayoutLine[] {
  const out: LayoutLine[] = [];
  const pitch = typicalPitch(flow);
  const left = Math.min(...flow.flatMap((l) => l.segments.map((s) => s.x0)));
  const right = Math.max(...flow.flatMap((l) => l.segments.map((s) => s.x1)));
  // A heading goes on to the next line only when it ran out of room on this one.
  const full = (line: Line) =>
    Math.max(...line.segments.map((s) => s.x1)) - left >= 0.6 * (right - left);
  // A paragraph break between two lines: a wider gap than the line spacing, or a change of size.
  const breaksBetween = (previous: Line | undefined, line: Line) => {
    if (previous === undefined) return false;
    const gap = previous.y - line.y;
    return (
      gap > Math.max(PARAGRAPH_GAP * pitch, 1.1 * Math.max(previous.size, line.size)) ||
      Math.abs(roundSize(previous.size) - roundSize(line.size)) >= 1
    );
  };
  // The flow's tables and lines, each line with its heading level from the font.
  const parts: ({ rows: string[][]; last: Line } | { line: Line; level: number | undefined })[] =
    [];
  for (let i = 0; i < flow.length; ) {
    const found = flow[i]?.table;
    const table = found ? { rows: found, used: 1 } : tableAt(flow, i);
    if (table?.rows) {
      parts.push({ rows: table.rows, last: flow[i + table.used - 1] as Line });
      i += table.used;
      continue;
    }
    const line = flow[i] as Line;
    parts.push({ line, level: headingLevel(line, bodySize, levels) });
    i++;
  }
  demoteRunOnHeadings(parts, breaksBetween);
  let previous: Line | undefined;
  for (const part of parts) {
    if ("rows" in part) {
      if (out.length > 0 && out.at(-1)?.text !== "") out.push({ text: "", page });
      for (const cells of part.rows) {
        out.push({ text: cells.filter(Boolean).join(" | "), page, cells });
      }
      out.push({ text: "", page });
      previous = part.last;
      continue;
    }
    const { line, level } = part;
    const breaks = breaksBetween(previous, line);
    const last = out.at(-1);
    if (
      level !== undefined &&
      last?.headingLevel === level &&
      !breaks &&
      previous !== undefined &&
      full(previous) &&
      last.text.length + lineText(line).length < HEADING_MAX_CHARS
    ) {
      // A heading wrapped on two lines is one heading.
      last.text = `${last.text} ${lineText(line)}`;
    } else {
      if (breaks && last && last.text !== "") out.push({ text: "", page });
      out.push(
        level !== undefined
          ? { text: lineText(line), page, headingLevel: level }
          : { text: lineText(line), page },
      );
    }
    previous = line;
  }
  return withoutLabelLists(out);
}

/**
 * Lines that look like headings (bold, or larger than the body) but run on, with no paragraph
 * break, into a line of the same size and weight that is not one (it ends a sentence, or is cut
 * by wide justified spaces) are the lines of a paragraph set in bold or in a larger type: a
 * paragraph is never a heading, whatever its font. A heading and the text under it differ in
 * size or weight, or are apart.
 */
function demoteRunOnHeadings(
  parts: ({ rows: string[][]; last: Line } | { line: Line; level: number | undefined })[],
  breaksBetween: (previous: Line | undefined, line: Line) => boolean,
) {
  for (let i = 0; i < parts.length; ) {
    const first = parts[i];
    if (!first || "rows" in first) {
      i++;
      continue;
    }
    const block = [first];
    let j = i + 1;
    for (; j < parts.length; j++) {
      const part = parts[j];
      const previous = block.at(-1)?.line;
      if (!part || "rows" in part || !previous) break;
      if (part.line.bold !== previous.bold || breaksBetween(previous, part.line)) break;
      block.push(part);
    }
    if (block.some((p) => p.level !== undefined) && block.some((p) => p.level === undefined)) {
      for (const p of block) p.level = undefined;
    }
    i = j;
  }
}

/**
 * Three or more short, unnumbered headings of one level in a row with nothing between them are a list of names
 * ("DATI ANAGRAFICI", "DATI DELLA RESIDENZA", "FORMAZIONE": the sections of a form), not
 * sections: they stay as text, and the last one does not title the paragraph after it.
 */
function withoutLabelLists(lines: LayoutLine[]): LayoutLine[] {
  for (let i = 0; i < lines.length; ) {
    const level = lines[i]?.headingLevel;
    if (level === undefined) {
      i++;
      continue;
    }
    const run = [i];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j] as LayoutLine;
      if (line.text === "") continue;
      if (line.headingLevel !== level) break;
      run.push(j);
    }
    // Numbered headings in a row are an outline's chapters; names of a list are short.
    const names = run.every((k) => {
      const text = lines[k]?.text ?? "";
      return text.length <= 60 && !/^\d/.test(text);
    });
    if (run.length >= 3 && names) {
      for (const k of run) {
        const { headingLevel: _level, ...plain } = lines[k] as LayoutLine;
        lines[k] = plain;
      }
    }
    i = j;
  }
  return lines;
}

/** The usual step from one line to the next in a flow (its line spacing), in points. */
function typicalPitch(flow: Line[]): number {
  const steps: number[] = [];
  for (let k = 1; k < flow.length; k++) {
    const a = flow[k - 1] as Line;
    const b = flow[k] as Line;
    if (roundSize(a.size) === roundSize(b.size) && a.y > b.y) steps.push(a.y - b.y);
  }
  if (steps.length === 0) return 1.2 * (flow[0]?.size ?? 10);
  steps.sort((x, y) => x - y);
  return steps[Math.floor(steps.length / 2)] ?? 12;
}

interface Table {
  /** None when the aligned lines are columns of text, not a table. */
  rows: string[][] | undefined;
  /** Lines of the flow the table (or the columns of text) takes. */
  used: number;
}

/** Empty strips of the x axis between a line's segments. */
function gapsOf(line: Line): Gutter[] {
  const gaps: Gutter[] = [];
  for (let k = 1; k < line.segments.length; k++) {
    const a = line.segments[k - 1] as Segment;
    const b = line.segments[k] as Segment;
    gaps.push({ from: a.x1, to: b.x0 });
  }
  return gaps;
}

/** The parts of `gaps` that `line` leaves empty. */
function narrowGaps(gaps: Gutter[], line: Line): Gutter[] {
  const out: Gutter[] = [];
  for (const gap of gaps) {
    let parts: Gutter[] = [gap];
    for (const s of line.segments) {
      parts = parts.flatMap((p) => {
        if (s.x1 <= p.from || s.x0 >= p.to) return [p];
        const pieces: Gutter[] = [];
        if (s.x0 > p.from) pieces.push({ from: p.from, to: s.x0 });
        if (s.x1 < p.to) pieces.push({ from: s.x1, to: p.to });
        return pieces;
      });
    }
    out.push(...parts.filter((p) => p.to - p.from >= 3));
  }
  return out;
}

/** Words a line's first cell has, on average, when the line is prose from the margin. */
const PROSE_LEAD_WORDS = 4;

/**
 * Lines of a paragraph whose words an inline icon or justified spacing set apart, so that the
 * pieces line up like cells: on every line each cell goes on with the sentence of the cell to
 * its left (no closing punctuation before it, a lower-case word to open it), and the lines open
 * with runs of words, not with a table's labels.
 */
function spreadProse(rows: string[][]): boolean {
  const continues = rows.every((cells) => {
    const filled = cells.filter(Boolean);
    return filled.every(
      (cell, k) => k === 0 || (/^\p{Ll}/u.test(cell) && !/[.;:!?]$/.test(filled[k - 1] ?? "")),
    );
  });
  if (!continues) return false;
  const lead = rows.reduce((n, cells) => n + wordCount(cells[0] ?? ""), 0);
  return lead >= PROSE_LEAD_WORDS * rows.length;
}

/** A line's segments in the columns whose right edges are `columns`, each cell's joined. */
function cellsOf(line: Line, columns: number[]): string[] {
  const cells = new Array<string>(columns.length).fill("");
  for (const s of line.segments) {
    const centre = (s.x0 + s.x1) / 2;
    const index = columns.findIndex((c) => centre < c);
    const k = index < 0 ? columns.length - 1 : index;
    cells[k] = cells[k] ? `${cells[k]} ${s.text}` : s.text;
  }
  return cells;
}

/**
 * A table starting at `flow[start]`: three or more rows whose cells sit in the same columns
 * (the strips between them stay empty on every row). A line with nothing in the first column
 * continues the cells of the row above (a wrapped cell).
 */
function tableAt(flow: Line[], start: number): Table | undefined {
  const first = flow[start];
  if (!first || first.segments.length < 2) return undefined;
  let gaps = gapsOf(first);
  const members: Line[] = [first];
  for (let j = start + 1; j < flow.length; j++) {
    const line = flow[j] as Line;
    const previous = members.at(-1) as Line;
    if (line.table || previous.y - line.y > 2.6 * Math.max(previous.size, line.size)) break;
    const narrowed = narrowGaps(gaps, line);
    // Every surviving gap must still separate text that is on both of its sides somewhere.
    if (narrowed.length === 0) break;
    // A line alone in the first column, short of the second, is more of the first cell (a cell
    // set vertically centred: "ANNULLATA" / "(stato finale)"); one reaching over is text below.
    const alone = line.segments.length < 2 ? line.segments[0] : undefined;
    if (alone && alone.x0 <= firstColumnEnd(gaps) && alone.x1 > secondColumnStart(gaps)) break;
    gaps = narrowed;
    members.push(line);
  }
  const multi = members.filter((l) => l.segments.length >= 2);
  if (multi.length < 3) return undefined;
  // Mostly runs of five words or more on each side of the gaps: columns of text, not a table.
  const words = multi.flatMap((l) => l.segments.map((s) => wordCount(s.text)));
  if (gaps.length <= 2 && words.filter((n) => n >= 5).length >= 0.6 * words.length) {
    // Columns of text: their lower lines are not looked at again as the start of a table.
    return { rows: undefined, used: members.length };
  }
  const columns = columnsFrom(gaps);
  if (spreadProse(multi.map((line) => cellsOf(line, columns)))) {
    return { rows: undefined, used: members.length };
  }
  // Trailing single-segment lines are text after the table, not wrapped cells.
  while (members.length > 0 && (members.at(-1) as Line).segments.length < 2) members.pop();

  const rows: string[][] = [];
  for (const line of members) {
    const cells = cellsOf(line, columns);
    const previous = rows.at(-1);
    const firstOnly = cells[0] !== "" && cells.slice(1).every((cell) => cell === "");
    if (previous && (cells[0] === "" || firstOnly || wrapsOnto(previous, cells))) {
      cells.forEach((cell, k) => {
        if (cell) previous[k] = previous[k] ? `${previous[k]} ${cell}` : cell;
      });
    } else rows.push(cells);
  }
  return { rows, used: members.length };
}

/**
 * A row whose every cell goes on in lower case, under a row whose cells end mid-sentence, is
 * the second line of that row's cells ("Descrizione" / "modifiche:", "…il sistema permette" /
 * "di inserire…").
 */
function wrapsOnto(previous: string[], cells: string[]): boolean {
  const filled = cells.filter(Boolean);
  if (filled.length === 0 || !filled.every((cell) => /^\p{Ll}/u.test(cell))) return false;
  const last = [...previous].reverse().find(Boolean) ?? "";
  return !/[.;:!?]["')]?$/.test(last);
}

/** Right edges of the columns: the middle of each gap, then infinity. */
function columnsFrom(gaps: Gutter[]): number[] {
  const sorted = [...gaps].sort((a, b) => a.from - b.from);
  const merged: Gutter[] = [];
  for (const gap of sorted) {
    const last = merged.at(-1);
    if (last && gap.from - last.to < 3) last.to = Math.max(last.to, gap.to);
    else merged.push({ ...gap });
  }
  return [...merged.map((g) => (g.from + g.to) / 2), Number.POSITIVE_INFINITY];
}

function secondColumnStart(gaps: Gutter[]): number {
  const first = gaps.reduce((a, b) => (b.from < a.from ? b : a));
  return first.to;
}

function firstColumnEnd(gaps: Gutter[]): number {
  return Math.min(...gaps.map((g) => g.from));
}
