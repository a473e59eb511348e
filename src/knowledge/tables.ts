// Tables in plain text and their rendering: columns aligned with runs of spaces (pdftotext
// -layout) become cells, and each row is written as "colonna: valore" pairs so that the words
// of the header row are indexed with every row and a cited row reads on its own.
import type { RawLine } from "./segment.js";
import type { PassageTable } from "./types.js";

/** Cells are separated by three spaces or more in layout text. */
const WIDE_GAP = /\S(\s{3,})(?=\S)/g;
const MIN_ROWS = 3;

/** Start columns of the cells of a layout-text line, or undefined when it has one cell. */
function cellStarts(text: string): number[] | undefined {
  if (text.includes("\t") || text.includes("|")) return undefined;
  const starts = [text.search(/\S/)];
  for (const match of text.matchAll(WIDE_GAP)) {
    starts.push((match.index ?? 0) + 1 + (match[1]?.length ?? 0));
  }
  return starts.length >= 2 ? starts : undefined;
}

const near = (a: number, b: number) => Math.abs(a - b) <= 2;

/**
 * Lines of a text file whose cells are aligned by spaces in the same columns on three or more
 * consecutive lines get their cells; everything else passes through unchanged.
 */
export function splitAlignedColumns(lines: RawLine[]): RawLine[] {
  const starts = lines.map((l) => (l.cells ? undefined : cellStarts(l.text)));
  const out = [...lines];
  for (let i = 0; i < lines.length; ) {
    const first = starts[i];
    if (!first) {
      i++;
      continue;
    }
    // Columns shared by every line of the run (the first column always is).
    let shared = first.slice(1);
    let j = i + 1;
    while (j < lines.length) {
      const next = starts[j];
      if (!next) break;
      const common = shared.filter((x) => next.some((y) => near(x, y)));
      if (common.length === 0) break;
      shared = common;
      j++;
    }
    if (j - i >= MIN_ROWS) {
      const columns = [0, ...shared];
      for (let k = i; k < j; k++) {
        const line = lines[k] as RawLine;
        out[k] = { ...line, cells: cutAt(line.text, columns) };
      }
    }
    i = j;
  }
  return out;
}

/** Each space-separated piece of `text` goes to the column it starts in (give or take 2). */
function cutAt(text: string, columns: number[]): string[] {
  const cells = columns.map(() => "");
  for (const piece of text.matchAll(/\S+(?:\s{1,2}\S+)*/g)) {
    const start = piece.index ?? 0;
    let k = columns.length - 1;
    while (k > 0 && (columns[k] as number) > start + 2) k--;
    cells[k] = cells[k] ? `${cells[k]} ${piece[0]}` : piece[0];
  }
  return cells;
}

/** A first row of short labels, not numbers: the table's header. */
export function isHeaderRow(cells: string[]): boolean {
  const filled = cells.filter((c) => c.trim() !== "");
  return (
    filled.length >= 2 &&
    filled.length >= cells.length - 1 &&
    filled.every((c) => c.length <= 60 && /\p{L}{2}/u.test(c) && !/\d{3}|€/.test(c))
  );
}

/** "Servizio: Orientamento; Durata: 1 ora"; a row with only its first cell is that text. */
export function renderRow(header: string[], cells: string[]): string {
  const filled = cells.map((c, k) => ({ c: c.trim(), k })).filter(({ c }) => c !== "");
  if (header.length === 0) return filled.map(({ c }) => c).join(" | ");
  if (filled.length === 1 && filled[0]?.k === 0) return filled[0].c;
  return filled
    .map(({ c, k }) => {
      const name = header[k]?.trim();
      return name ? `${name}: ${c}` : c;
    })
    .join("; ");
}

/**
 * The header (when the first row is one), the data rows, each rendered, and for each data row
 * its index in `rows`.
 */
export function renderTable(rows: string[][]): PassageTable & { lines: string[]; from: number[] } {
  const first = rows[0] ?? [];
  const header = rows.length >= 2 && isHeaderRow(first) ? first.map((c) => c.trim()) : [];
  // A header repeated further down (the table went on over a page break) is not a row.
  const same = (cells: string[]) => cells.every((c, k) => c.trim() === (header[k] ?? ""));
  const from = rows
    .map((_, i) => i)
    .filter((i) => header.length === 0 || (i > 0 && !same(rows[i] ?? [])));
  const body = from.map((i) => rows[i] ?? []);
  return { header, rows: body, lines: body.map((cells) => renderRow(header, cells)), from };
}
