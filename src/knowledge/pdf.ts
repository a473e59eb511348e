// Text extraction from PDF with pdfjs (legacy build, runs in Node without a worker or canvas):
// each page's positioned text items, with font size and weight, go to layout.ts for reading
// order; pages without text but with images are scanned pages, read by OCR when the system has
// Tesseract (ocr.ts) and reported otherwise.
import { layoutPages, type PageText, type PositionedItem } from "./layout.js";
import { missingOcrPackages, ocrPdfPages } from "./ocr.js";
import type { RawLine } from "./segment.js";

export interface PdfText {
  /** Lines numbered from 1 across the whole document, each with its page. */
  lines: RawLine[];
  /** Pages that are images without text (scans). */
  imagePages: number[];
  /** Of those, the pages read by OCR. */
  ocrPages: number[];
  /** Debian packages to install to read the scans that were not read (empty when none). */
  missingPackages: string[];
}

/** Fewer characters than this on a page with images: a scan, perhaps with a stamp or a number. */
const SCAN_MAX_CHARS = 20;
const BOLD_FONT = /bold|black|heavy|semibold|demi/i;

type PdfPage = Awaited<
  ReturnType<
    Awaited<
      ReturnType<typeof import("pdfjs-dist/legacy/build/pdf.mjs").getDocument>["promise"]
    >["getPage"]
  >
>;

/** Text of a PDF in reading order; scanned pages go through OCR when it is installed. */
export async function extractPdf(bytes: Uint8Array): Promise<PdfText> {
  // Loaded on first use: pdf.js is large, and most starts read no PDF.
  const { getDocument, OPS } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const imageOps = new Set<number>([
    OPS.paintImageXObject,
    OPS.paintInlineImageXObject,
    OPS.paintImageMaskXObject,
    OPS.paintImageXObjectRepeat,
  ]);
  // pdf.js keeps the bytes it is given: a copy leaves the caller's buffer (used for OCR) intact.
  const task = getDocument({
    data: bytes.slice(),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  });
  const pages: PageText[] = [];
  const imagePages: number[] = [];
  try {
    const pdf = await task.promise;
    const bold = new Map<string, boolean>();
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      // Positions are taken in the page as displayed: the viewport undoes the media box's
      // offset and the page's /Rotate (a landscape page stored as a rotated portrait one).
      const viewport = page.getViewport({ scale: 1 });
      const items: PositionedItem[] = [];
      const raw = content.items.filter((item) => "str" in item && item.str.trim() !== "");
      const chars = raw.reduce((n, item) => n + ("str" in item ? item.str.trim().length : 0), 0);
      if (chars < SCAN_MAX_CHARS && (await hasImages(page, imageOps))) imagePages.push(number);
      if (raw.some((item) => "fontName" in item && !bold.has(item.fontName))) {
        await learnFonts(page, raw, bold);
      }
      for (const item of raw) {
        if (!("str" in item)) continue;
        const [a = 0, b = 0, c = 0, d = 0, x = 0, y = 0] = onScreen(
          viewport.transform,
          item.transform as number[],
        );
        // Rotated or vertical text (stamps, margin notes) is left out of the reading order.
        if (Math.abs(b) > 0.01 * Math.abs(a) || Math.abs(c) > 0.01 * Math.abs(d)) continue;
        items.push({
          str: item.str,
          x,
          // The screen's y grows downwards; layout.ts measures from the bottom.
          y: viewport.height - y,
          width: item.width,
          size: Math.abs(d) || item.height || 10,
          bold: bold.get(item.fontName) ?? false,
        });
      }
      pages.push({ number, width: viewport.width, height: viewport.height, items });
      page.cleanup();
    }
  } finally {
    await task.destroy();
  }

  const laid = layoutPages(pages.filter((p) => !imagePages.includes(p.number)));
  const lines: Omit<RawLine, "line">[] = laid.map((l) => ({ ...l, layout: true }));
  let ocrPages: number[] = [];
  let missingPackages: string[] = [];
  if (imagePages.length > 0) {
    missingPackages = await missingOcrPackages();
    if (missingPackages.length === 0) {
      const texts = await ocrPdfPages(bytes, imagePages);
      ocrPages = imagePages.filter((p) => (texts.get(p) ?? "").trim() !== "");
      for (const page of ocrPages) lines.push(...ocrLines(page, texts.get(page) ?? ""));
      // Reading order is page order: a scanned page sits between its neighbours.
      lines.sort((a, b) => (a.page ?? 0) - (b.page ?? 0));
    }
  }
  return {
    lines: lines.map((l, i) => ({ ...l, line: i + 1 })),
    imagePages,
    ocrPages,
    missingPackages,
  };
}

/** A text item's matrix composed with the viewport's: where and how it is drawn on screen. */
function onScreen(view: number[], text: number[]): number[] {
  const [va = 1, vb = 0, vc = 0, vd = 1, ve = 0, vf = 0] = view;
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = text;
  return [
    va * a + vc * b,
    vb * a + vd * b,
    va * c + vc * d,
    vb * c + vd * d,
    va * e + vc * f + ve,
    vb * e + vd * f + vf,
  ];
}

function ocrLines(page: number, text: string): Omit<RawLine, "line">[] {
  const out: Omit<RawLine, "line">[] = [{ text: "", page, ocr: true }];
  for (const line of text.split(/\r?\n/)) out.push({ text: line, page, ocr: true });
  return out;
}

async function hasImages(page: PdfPage, imageOps: Set<number>): Promise<boolean> {
  const operators = await page.getOperatorList();
  return operators.fnArray.some((fn) => imageOps.has(fn));
}

/**
 * Text content names fonts only by an internal id; the operator list loads the fonts
 * themselves, whose PostScript names say the weight ("Arial-BoldMT"). Fonts are shared across
 * pages, so this runs on the first pages that use a new font only.
 */
async function learnFonts(page: PdfPage, items: object[], bold: Map<string, boolean>) {
  try {
    await page.getOperatorList();
  } catch {
    // A page whose drawing fails still has its text; weights stay unknown.
  }
  for (const item of items) {
    if (!("fontName" in item) || typeof item.fontName !== "string" || bold.has(item.fontName)) {
      continue;
    }
    let isBold = false;
    try {
      const font = page.commonObjs.get(item.fontName) as
        | { name?: string; bold?: boolean; black?: boolean }
        | undefined;
      isBold = Boolean(font?.bold || font?.black || BOLD_FONT.test(font?.name ?? ""));
    } catch {
      // Not loaded: treated as regular.
    }
    bold.set(item.fontName, isBold);
  }
}
