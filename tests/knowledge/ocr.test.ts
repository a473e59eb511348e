import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PDFDocument } from "pdf-lib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { formatWhere } from "../../src/answer/compose.js";
import { loadDocument } from "../../src/knowledge/load.js";
import { foldForMatch } from "../../src/knowledge/normalize.js";
import type { DocumentMeta } from "../../src/knowledge/types.js";
import { pdfBytes, wrap } from "./pdf-builder.js";

// A scanned page made here: text drawn with pdf-lib, rendered to a PNG by pdftoppm, and that
// image alone put on the page of a new PDF, so the page has no text layer at all. Needs the
// Debian packages tesseract-ocr, tesseract-ocr-ita and poppler-utils (.ci/run installs them).

const scannedText = wrap(
  "Il centro per l'impiego riceve le domande di iscrizione al collocamento mirato dal lunedì al venerdì. Per la domanda servono il verbale di invalidità e un documento di identità.",
  60,
);
const typedText = wrap(
  "La presente guida descrive le procedure del collocamento mirato previste dalla legge 68 del 1999 e le regole che gli sportelli applicano nella provincia per ogni richiesta.",
  80,
);

let dir: string;
let scanned: string;
let mixed: string;
const meta = (file: string): DocumentMeta => ({
  id: file.replace(/\.pdf$/, ""),
  file,
  title: "Avviso collocamento mirato",
  kind: "altro",
  region: null,
  date: null,
  origin: "test",
});

/** An A4 page holding nothing but the picture of `lines` of text. */
async function scanOf(lines: string[], into: PDFDocument) {
  const source = join(dir, "source.pdf");
  writeFileSync(
    source,
    await pdfBytes([
      { lines: lines.map((text, i) => ({ text, x: 60, y: 760 - i * 24, size: 14 })) },
    ]),
  );
  execFileSync("pdftoppm", ["-r", "150", "-png", "-singlefile", source, join(dir, "scan")]);
  const png = await into.embedPng(readFileSync(join(dir, "scan.png")));
  into.addPage([595, 842]).drawImage(png, { x: 0, y: 0, width: 595, height: 842 });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sportello-ocr-"));
  const onlyScan = await PDFDocument.create();
  await scanOf(scannedText, onlyScan);
  scanned = join(dir, "scansione.pdf");
  writeFileSync(scanned, await onlyScan.save());

  const both = await PDFDocument.load(
    await pdfBytes([
      { lines: typedText.map((text, i) => ({ text, x: 60, y: 760 - i * 16, size: 11 })) },
    ]),
  );
  await scanOf(scannedText, both);
  mixed = join(dir, "misto.pdf");
  writeFileSync(mixed, await both.save());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const path = process.env.PATH;
afterEach(() => {
  process.env.PATH = path;
});

/** Runs `load` with a PATH where neither tesseract nor pdftoppm can be found. */
async function withoutOcr<T>(load: () => Promise<T>): Promise<T> {
  const empty = join(dir, "empty-bin");
  mkdirSync(empty, { recursive: true });
  process.env.PATH = empty;
  return load();
}

describe("scanned PDF", () => {
  it("is read by OCR and cited as OCR", async () => {
    const doc = await loadDocument(scanned, meta("scansione.pdf"));
    const text = foldForMatch(doc.passages.map((p) => p.text).join(" "));
    expect(text).toContain("collocamento mirato");
    expect(text).toContain("verbale di invalidita");
    expect(doc.passages[0]?.location).toMatchObject({ pageStart: 1, pageEnd: 1, ocr: true });
    expect(formatWhere(doc.passages[0] as (typeof doc.passages)[number])).toBe("p. 1 (OCR)");
    expect(doc.warnings).toBeUndefined();
  }, 120_000);

  it("keeps a scanned page in its place between typed ones", async () => {
    const doc = await loadDocument(mixed, meta("misto.pdf"));
    const typed = doc.passages.find((p) => p.text.includes("legge 68 del 1999"));
    const ocr = doc.passages.find((p) => foldForMatch(p.text).includes("verbale di invalidita"));
    expect(typed?.location.ocr).toBeUndefined();
    expect(ocr?.location).toMatchObject({ pageEnd: 2, ocr: true });
  }, 120_000);

  it("without Tesseract is refused with the packages to install, naming the file", async () => {
    const error = await withoutOcr(() => loadDocument(scanned, meta("scansione.pdf"))).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "DOCUMENT_UNREADABLE" });
    const message = (error as Error).message;
    expect(message).toContain("«scansione.pdf»");
    expect(message).toContain("tesseract-ocr, tesseract-ocr-ita, poppler-utils");
    expect(message).toContain("regione");
  });

  it("without Tesseract loads the typed pages and warns about the scanned one", async () => {
    const doc = await withoutOcr(() => loadDocument(mixed, meta("misto.pdf")));
    expect(doc.passages.some((p) => p.text.includes("legge 68 del 1999"))).toBe(true);
    expect(doc.warnings?.map((w) => w.message)).toEqual([
      expect.stringMatching(/«misto\.pdf».*pagine 2\b.*tesseract-ocr/),
    ]);
  });
});
