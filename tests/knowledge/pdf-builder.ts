// Builds test PDFs with pdf-lib: text placed at given positions in Helvetica (bold or not),
// straight lines and rectangles (a table's borders, a framed box).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { degrees, grayscale, PDFDocument, StandardFonts } from "pdf-lib";
import { loadDocument } from "../../src/knowledge/load.js";
import { foldForMatch } from "../../src/knowledge/normalize.js";
import type { LoadedDocument, Passage } from "../../src/knowledge/types.js";

export interface PlacedText {
  text: string;
  x: number;
  y: number;
  size: number;
  bold?: boolean;
}

export interface PdfPage {
  /** Width and height in points; A4 portrait by default. */
  size?: [number, number];
  /**
   * Stored as a portrait page with /Rotate 90 that viewers turn to landscape, as scanners and
   * some word processors save landscape pages: positions stay those of the page as displayed.
   */
  rotated?: boolean;
  lines: PlacedText[];
  /** Straight lines stroked 0.75 points wide, from (x0, y0) to (x1, y1). */
  rules?: Array<{ x0: number; y0: number; x1: number; y1: number }>;
  /** Rectangles from their lower left corner: filled in light grey, or outlined. */
  boxes?: Array<{ x: number; y: number; width: number; height: number; filled?: boolean }>;
}

export async function pdfBytes(pages: PdfPage[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  for (const spec of pages) {
    const [width, height] = spec.size ?? [595, 842];
    const page = pdf.addPage(spec.rotated ? [height, width] : [width, height]);
    if (spec.rotated) page.setRotation(degrees(90));
    // Turned a quarter clockwise on screen: the displayed (x, y) is (height - y, x) stored.
    const stored = (x: number, y: number) => (spec.rotated ? { x: height - y, y: x } : { x, y });
    for (const box of spec.boxes ?? []) {
      const corner = stored(box.x, box.y + (spec.rotated ? box.height : 0));
      page.drawRectangle({
        ...corner,
        width: spec.rotated ? box.height : box.width,
        height: spec.rotated ? box.width : box.height,
        ...(box.filled
          ? { color: grayscale(0.85) }
          : { borderColor: grayscale(0), borderWidth: 0.75 }),
      });
    }
    for (const rule of spec.rules ?? []) {
      page.drawLine({
        start: stored(rule.x0, rule.y0),
        end: stored(rule.x1, rule.y1),
        thickness: 0.75,
        color: grayscale(0),
      });
    }
    for (const line of spec.lines) {
      page.drawText(line.text, {
        x: spec.rotated ? height - line.y : line.x,
        y: spec.rotated ? line.x : line.y,
        size: line.size,
        font: line.bold ? bold : regular,
        ...(spec.rotated ? { rotate: degrees(90) } : {}),
      });
    }
  }
  return pdf.save();
}

/** A ruled table's text: 9-point type on an 11-point pitch, 6 points inside each cell's borders. */
const SIZE = 9;
const PITCH = 11;
const PADDING = 6;

export interface Cell {
  lines: string[];
  /** Columns this cell takes (1 when absent). */
  across?: number;
  /** Rows this cell takes, from this one down (1 when absent). */
  down?: number;
}

/**
 * A table at (x, top) with columns of the given widths, each cell's lines vertically centred
 * in its row (or rows). "rules": full-length horizontal and vertical lines; "boxes": each cell
 * outlined on its own, the first row shaded. Rows list their cells left to right, leaving out
 * the places taken by a cell spanning down from above.
 */
export function ruledTable(
  x: number,
  top: number,
  widths: number[],
  rows: Cell[][],
  style: "rules" | "boxes",
): Pick<PdfPage, "lines" | "rules" | "boxes"> {
  const heights = rows.map(
    (cells) =>
      Math.max(...cells.filter((c) => !c.down).map((c) => c.lines.length), 1) * PITCH + 2 * PADDING,
  );
  const tops = heights.map((_, r) => top - heights.slice(0, r).reduce((a, b) => a + b, 0));
  const bottom = top - heights.reduce((a, b) => a + b, 0);
  const lefts = widths.map((_, c) => x + widths.slice(0, c).reduce((a, b) => a + b, 0));
  const right = x + widths.reduce((a, b) => a + b, 0);
  const lines: PlacedText[] = [];
  const boxes: NonNullable<PdfPage["boxes"]> = [];
  // Columns still taken by a cell spanning down, row by row.
  const taken = rows.map(() => new Set<number>());
  rows.forEach((cells, r) => {
    let c = 0;
    for (const cell of cells) {
      while (taken[r]?.has(c)) c++;
      const across = cell.across ?? 1;
      const down = cell.down ?? 1;
      for (let k = 1; k < down; k++) for (let j = 0; j < across; j++) taken[r + k]?.add(c + j);
      const cellTop = tops[r] as number;
      const cellBottom = (tops[r + down - 1] as number) - (heights[r + down - 1] as number);
      const middle = (cellTop + cellBottom) / 2;
      const first = middle + ((cell.lines.length - 1) * PITCH) / 2 - 0.35 * SIZE;
      cell.lines.forEach((text, k) => {
        lines.push({
          text,
          x: (lefts[c] as number) + 5,
          y: first - k * PITCH,
          size: SIZE,
          bold: r === 0,
        });
      });
      const cellRight = (lefts[c + across] as number | undefined) ?? right;
      if (style === "boxes") {
        if (r === 0) {
          boxes.push({
            x: lefts[c] as number,
            y: cellBottom,
            width: cellRight - (lefts[c] as number),
            height: cellTop - cellBottom,
            filled: true,
          });
        }
        boxes.push({
          x: lefts[c] as number,
          y: cellBottom,
          width: cellRight - (lefts[c] as number),
          height: cellTop - cellBottom,
        });
      }
      c += across;
    }
  });
  if (style === "boxes") return { lines, boxes };
  const rules: NonNullable<PdfPage["rules"]> = [];
  for (const y of [...tops, bottom]) rules.push({ x0: x, y0: y, x1: right, y1: y });
  for (const left of [...lefts, right]) rules.push({ x0: left, y0: top, x1: left, y1: bottom });
  return { lines, rules };
}

/** Words of `text` in lines of at most `width` characters. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(" ")) {
    if (current && current.length + word.length + 1 > width) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(current);
  return lines;
}

/** Writes `pages` as `<dir>/<name>.pdf` and reads it back through the loader. */
export async function loadPdf(
  dir: string,
  name: string,
  pages: PdfPage[],
): Promise<LoadedDocument> {
  const path = join(dir, `${name}.pdf`);
  writeFileSync(path, await pdfBytes(pages));
  return loadDocument(path, {
    id: name,
    file: `${name}.pdf`,
    title: `Documento ${name}`,
    kind: "altro",
    region: null,
    date: null,
    origin: "test",
  });
}

/** Every passage's text, in order. */
export const allText = (doc: LoadedDocument) => doc.passages.map((p) => p.text).join("\n");

/** The first passage holding `words` (accents and case aside). */
export const containing = (doc: LoadedDocument, words: string): Passage | undefined =>
  doc.passages.find((p) => foldForMatch(p.text).includes(foldForMatch(words)));
