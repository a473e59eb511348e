// Text extraction from PDF with pdfjs (legacy build, runs in Node without a worker or canvas):
// each page's positioned text items, with font size and weight, and the straight rules it draws
// (for tables drawn with borders) go to layout.ts for reading order; pages without text but with
// images are scanned pages, read by OCR when the system has Tesseract (ocr.ts) and reported
// otherwise.
import { layoutPages, type PageText, type PositionedItem } from "./layout.js";
import { missingOcrPackages, ocrPdfPages } from "./ocr.js";
import { MAX_RULES, mayHoldTable, type Rule } from "./ruled.js";
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

type PdfJs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");
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
      const text: PageText = { number, width: viewport.width, height: viewport.height, items };
      // The drawing is read only where the text could be a table's (it costs as much again).
      if (mayHoldTable(items)) {
        try {
          const operators = await page.getOperatorList();
          text.rules = rulesOf(operators, OPS, viewport.transform, viewport.height);
        } catch {
          // A page whose drawing fails still has its text, read without rules.
        }
      }
      pages.push(text);
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

/** A filled rectangle this thin (points) is a rule drawn as a bar. */
const BAR = 2.5;

/**
 * Horizontal and vertical straight lines the page draws (stroked paths' sides, filled
 * rectangles' edges, thin filled bars as one rule), in layout coordinates: x from the left,
 * y from the bottom of the page as displayed. Annotations (form fields) are left out.
 */
function rulesOf(
  operators: { fnArray: number[]; argsArray: unknown[] },
  OPS: PdfJs["OPS"],
  view: number[],
  height: number,
): Rule[] {
  const filling = new Set<number>([
    OPS.fill,
    OPS.eoFill,
    OPS.fillStroke,
    OPS.eoFillStroke,
    OPS.closeFillStroke,
    OPS.closeEOFillStroke,
  ]);
  const stroking = new Set<number>([OPS.stroke, OPS.closeStroke]);
  const rules: Rule[] = [];
  let ctm = [1, 0, 0, 1, 0, 0];
  const stack: number[][] = [];
  let annotation = 0;
  const { fnArray, argsArray } = operators;
  for (let i = 0; i < fnArray.length && rules.length <= MAX_RULES; i++) {
    const fn = fnArray[i];
    const args = argsArray[i] as unknown[] | null;
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.transform) ctm = onScreen(ctm, (args ?? []) as number[]);
    else if (fn === OPS.paintFormXObjectBegin) {
      stack.push(ctm);
      const matrix = args?.[0];
      if (Array.isArray(matrix) || ArrayBuffer.isView(matrix)) {
        ctm = onScreen(ctm, Array.from(matrix as ArrayLike<number>));
      }
    } else if (fn === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.beginAnnotation) annotation++;
    else if (fn === OPS.endAnnotation) annotation--;
    else if (fn === OPS.constructPath && annotation === 0 && args) {
      // Clipping paths, painted by nothing, are not borders.
      const filled = filling.has(args[0] as number);
      if (!filled && !stroking.has(args[0] as number)) continue;
      const data = (args[1] as unknown[] | undefined)?.[0];
      if (!ArrayBuffer.isView(data)) continue;
      pathRules(data as Float32Array, filled, onScreen(view, ctm), height, rules);
    }
  }
  return rules;
}

/** A rule at `at` (its y, or x when vertical) between `a` and `b` along it, in either order. */
const ruleAlong = (horizontal: boolean, at: number, a: number, b: number): Rule => ({
  horizontal,
  at,
  from: Math.min(a, b),
  to: Math.max(a, b),
});

/** The rules of one path: its straight sides, or the middle of a thin filled bar. */
function pathRules(data: Float32Array, filled: boolean, m: number[], height: number, out: Rule[]) {
  const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = m;
  const point = (x: number, y: number): [number, number] => [
    a * x + c * y + e,
    height - (b * x + d * y + f),
  ];
  let sides: Array<[number, number, number, number]> = [];
  let start: [number, number] = [0, 0];
  let current: [number, number] = [0, 0];
  const flush = () => {
    if (filled && (current[0] !== start[0] || current[1] !== start[1])) {
      sides.push([...current, ...start]);
    }
    const straight = sides.filter(
      ([x0, y0, x1, y1]) => Math.abs(x1 - x0) < 0.5 || Math.abs(y1 - y0) < 0.5,
    );
    const xs = straight.flatMap(([x0, , x1]) => [x0, x1]);
    const ys = straight.flatMap(([, y0, , y1]) => [y0, y1]);
    const width = Math.max(...xs) - Math.min(...xs);
    const tall = Math.max(...ys) - Math.min(...ys);
    if (
      filled &&
      straight.length >= 3 &&
      straight.length === sides.length &&
      Math.min(width, tall) <= BAR
    ) {
      // A bar: one rule along its middle.
      const horizontal = width >= tall;
      const at = horizontal
        ? (Math.max(...ys) + Math.min(...ys)) / 2
        : (Math.max(...xs) + Math.min(...xs)) / 2;
      const along = horizontal ? xs : ys;
      out.push(ruleAlong(horizontal, at, Math.min(...along), Math.max(...along)));
    } else {
      for (const [x0, y0, x1, y1] of straight) {
        const horizontal = Math.abs(y1 - y0) < 0.5;
        if (horizontal && Math.abs(x1 - x0) < 0.5) continue;
        out.push(
          horizontal
            ? ruleAlong(true, (y0 + y1) / 2, x0, x1)
            : ruleAlong(false, (x0 + x1) / 2, y0, y1),
        );
      }
    }
    sides = [];
  };
  for (let i = 0; i < data.length; ) {
    const op = data[i++];
    if (op === 0) {
      // moveTo
      flush();
      start = current = point(data[i++] ?? 0, data[i++] ?? 0);
    } else if (op === 1) {
      // lineTo
      const next = point(data[i++] ?? 0, data[i++] ?? 0);
      sides.push([...current, ...next]);
      current = next;
    } else if (op === 2) {
      // curveTo: not a rule.
      i += 4;
      current = point(data[i++] ?? 0, data[i++] ?? 0);
      sides.push([Number.NaN, Number.NaN, ...current]);
    } else if (op === 3) {
      i += 2;
      current = point(data[i++] ?? 0, data[i++] ?? 0);
      sides.push([Number.NaN, Number.NaN, ...current]);
    } else if (op === 4) {
      // closePath
      if (current[0] !== start[0] || current[1] !== start[1]) sides.push([...current, ...start]);
      current = start;
    } else break;
  }
  flush();
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
