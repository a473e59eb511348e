// Text extraction from PDF with pdfjs (legacy build, runs in Node without a worker or canvas):
// text items are grouped back into lines by their baseline, keeping the page of each line.
import type { RawLine } from "./segment.js";

interface PositionedText {
  str: string;
  x: number;
  y: number;
  width: number;
  height: number;
  hasEOL: boolean;
}

/** Lines of a PDF, numbered from 1 across the whole document, each with its page. */
export async function extractPdfLines(bytes: Uint8Array): Promise<RawLine[]> {
  // Loaded on first use: pdf.js is large, and most starts read no PDF.
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const task = getDocument({
    data: bytes,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  });
  try {
    const pdf = await task.promise;
    const lines: RawLine[] = [];
    for (let pageNumber = 1; pageNumber <= pdf.numPages; pageNumber++) {
      const page = await pdf.getPage(pageNumber);
      const content = await page.getTextContent();
      const items: PositionedText[] = [];
      for (const item of content.items) {
        if (!("str" in item)) continue;
        items.push({
          str: item.str,
          x: item.transform[4] ?? 0,
          y: item.transform[5] ?? 0,
          width: item.width,
          height: item.height || Math.abs(item.transform[3] ?? 0),
          hasEOL: item.hasEOL,
        });
      }
      for (const text of groupIntoLines(items)) {
        lines.push({ text, line: lines.length + 1, page: pageNumber });
      }
      page.cleanup();
    }
    return lines;
  } finally {
    await task.destroy();
  }
}

/**
 * Items on the same baseline (within a third of the font height) form one line; a vertical gap
 * larger than 1.6 line heights becomes a blank line, so paragraphs stay apart.
 */
function groupIntoLines(items: PositionedText[]): string[] {
  const out: string[] = [];
  let current = "";
  let previousY: number | undefined;
  let lastEnd = 0;
  let lineHeight = 12;
  const flush = () => {
    if (current.trim()) out.push(current.replace(/\s+$/, ""));
    current = "";
  };
  for (const item of items) {
    if (item.str === "" && !item.hasEOL) continue;
    const tolerance = Math.max(2, item.height / 3);
    if (current && previousY !== undefined && Math.abs(item.y - previousY) > tolerance) flush();
    if (item.str) {
      if (!current && previousY !== undefined && previousY - item.y > lineHeight * 1.6) {
        out.push("");
      }
      const needsSpace =
        current !== "" && !/\s$/.test(current) && !/^\s/.test(item.str) && item.x > lastEnd + 1;
      current += (needsSpace ? " " : "") + item.str;
      lastEnd = item.x + item.width;
      previousY = item.y;
      if (item.height > 0) lineHeight = item.height;
    }
    if (item.hasEOL) flush();
  }
  flush();
  return out;
}
