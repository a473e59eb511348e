// Reads one document file into passages: .txt, .md and .pdf as numbered lines cut by the
// line-based segmenter, .docx, .odt and .html by their own structure (outline.ts).
// Every way a file can be unusable ends in a DOCUMENT_UNREADABLE error that names the file.
import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import { SportelloError } from "../errors.js";
import { say } from "../prompts.js";
import { foldForMatch } from "./normalize.js";
import { blockLines, type Outline, segmentOutline } from "./outline.js";
import { findRegions } from "./regions.js";
import { type RawLine, segmentDocument } from "./segment.js";
import type { DocumentMeta, LoadedDocument, Passage } from "./types.js";

export const supportedExtensions = [
  ".txt",
  ".md",
  ".markdown",
  ".pdf",
  ".docx",
  ".odt",
  ".html",
  ".htm",
] as const;

/** Formats that carry their own headings, lists and tables. */
const structuredExtensions = new Set([".docx", ".odt", ".html", ".htm"]);

export function isSupportedFile(file: string): boolean {
  return (supportedExtensions as readonly string[]).includes(extname(file).toLowerCase());
}

function unreadable(file: string, reason: string, cause?: unknown): SportelloError {
  return new SportelloError(
    "DOCUMENT_UNREADABLE",
    say("ingest.document_unreadable", { file: basename(file), reason }),
    { cause },
  );
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw unreadable(
      path,
      code === "ENOENT"
        ? say("ingest.reason_missing")
        : say("ingest.reason_io", { detail: code ?? String(error) }),
      error,
    );
  }
}

/** UTF-8 text of a .txt/.md file; binary or mis-encoded content is refused. */
function decodeText(path: string, bytes: Uint8Array): string {
  if (bytes.includes(0)) throw unreadable(path, say("ingest.reason_binary"));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch (error) {
    throw unreadable(path, say("ingest.reason_encoding"), error);
  }
}

/**
 * Lines of a text file. A form feed (as written by pdftotext) starts a new page; when the file
 * has none, lines carry no page.
 */
export function textToLines(text: string): RawLine[] {
  const paged = text.includes("\f");
  let page = 1;
  return text.split(/\r\n|\r|\n/).map((line, i) => {
    let clean = line;
    if (paged && clean.includes("\f")) {
      page += (clean.match(/\f/g) ?? []).length;
      clean = clean.replace(/\f/g, "");
    }
    return paged ? { text: clean, line: i + 1, page } : { text: clean, line: i + 1 };
  });
}

/**
 * The outline of a .docx, .odt or .html file. The readers (and their zip and HTML parsers) are
 * loaded on first use, so answering a question never pays for them.
 */
async function readOutline(path: string, extension: string, bytes: Uint8Array): Promise<Outline> {
  const { MarkupError } = await import("./markup.js");
  try {
    if (extension === ".docx") return (await import("./docx.js")).readDocx(bytes);
    if (extension === ".odt") return (await import("./odt.js")).readOdt(bytes);
    const { declaredCharset, readHtml } = await import("./html.js");
    let html: string;
    try {
      html = new TextDecoder(declaredCharset(bytes)).decode(bytes);
    } catch {
      html = new TextDecoder("utf-8").decode(bytes);
    }
    return readHtml(html);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    if (error instanceof MarkupError || error instanceof SyntaxError) {
      throw unreadable(path, say("library.reason_damaged", { format: extension, detail }), error);
    }
    throw error;
  }
}

/** A document read from its file, before it has an id. */
export interface ReadDocument {
  /** The document's own title, or its first heading or short first line. */
  title: string | null;
  /** Its lines (the blocks of a structured file, one per line). */
  lines: RawLine[];
  /** Its passages, with ids under `documentId`. */
  segment(documentId: string): Passage[];
  /** What could not be read of it (scanned pages left out), a message per problem. */
  warnings: SportelloError[];
}

/** Lines of a text or PDF file, and what could not be read of it. */
async function readFlatDocument(
  path: string,
  extension: string,
  bytes: Uint8Array,
): Promise<{ lines: RawLine[]; warnings: SportelloError[] }> {
  if (extension !== ".pdf") {
    const text = decodeText(path, bytes);
    if (text.trim() === "") throw unreadable(path, say("ingest.reason_empty"));
    return { lines: textToLines(text), warnings: [] };
  }
  // pdf.js and the layout code load on the first PDF only.
  const { extractPdf } = await import("./pdf.js");
  let pdf: Awaited<ReturnType<typeof extractPdf>>;
  try {
    pdf = await extractPdf(bytes);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw unreadable(path, say("ingest.reason_pdf", { detail }), error);
  }
  const unread = pdf.imagePages.filter((p) => !pdf.ocrPages.includes(p));
  const packages = pdf.missingPackages.join(", ");
  const apt = pdf.missingPackages.join(" ");
  const hasText = pdf.lines.some((l) => l.text.trim() !== "");
  if (!hasText && unread.length > 0) {
    throw unreadable(
      path,
      packages ? say("ingest.reason_scanned", { packages, apt }) : say("ingest.reason_ocr_empty"),
    );
  }
  const warnings =
    unread.length === 0
      ? []
      : [
          new SportelloError(
            "DOCUMENT_UNREADABLE",
            say(packages ? "ingest.pages_not_read" : "ingest.pages_ocr_empty", {
              file: basename(path),
              pages: unread.join(", "),
              packages,
            }),
          ),
        ];
  return { lines: pdf.lines, warnings };
}

/**
 * Reads any supported file. A scanned PDF is read by OCR when Tesseract is installed; otherwise
 * it is refused naming the packages to install, and scanned pages of a PDF that has text as well
 * are left out with a warning that names them.
 */
export async function readDocument(path: string): Promise<ReadDocument> {
  const extension = extname(path).toLowerCase();
  if (!isSupportedFile(path)) throw unreadable(path, say("ingest.reason_format"));
  const bytes = await readBytes(path);
  if (bytes.length === 0) throw unreadable(path, say("ingest.reason_empty"));
  if (structuredExtensions.has(extension)) {
    const outline = await readOutline(path, extension, bytes);
    const first = outline.blocks.find((b) => b.kind === "heading");
    return {
      title: outline.title ?? (first?.kind === "heading" ? first.text : null),
      lines: outline.blocks.flatMap(blockLines).map((text, i) => ({ text, line: i + 1 })),
      segment: (documentId) => segmentOutline(documentId, outline),
      warnings: [],
    };
  }
  const { lines, warnings } = await readFlatDocument(path, extension, bytes);
  return {
    title: titleFromLines(lines),
    lines,
    segment: (documentId) => segmentDocument(documentId, lines),
    warnings,
  };
}

/** Raw lines of any supported file (see readDocument). */
export async function readDocumentLines(path: string): Promise<RawLine[]> {
  return (await readDocument(path)).lines;
}

/** Loads and segments one document described by `meta`. */
export async function loadDocument(path: string, meta: DocumentMeta): Promise<LoadedDocument> {
  const read = await readDocument(path);
  const passages = read.segment(meta.id);
  const { warnings } = read;
  if (passages.length === 0) throw unreadable(path, say("ingest.reason_no_text"));
  return warnings.length > 0 ? { meta, passages, warnings } : { meta, passages };
}

/** The Italian region a title names ("Regione Emilia Romagna" → "Emilia-Romagna"), or null. */
export function regionInTitle(title: string): string | null {
  return findRegions(title)[0] ?? null;
}

/** "piano_regionale AT.pdf" → "piano-regionale-at". */
export function slugify(name: string): string {
  const slug = foldForMatch(name).replace(/\s+/g, "-").slice(0, 60).replace(/-+$/, "");
  return /^[a-z0-9]/.test(slug) ? slug : `doc-${slug || "senza-nome"}`;
}

/** The first markdown heading, or the first line when it is short enough to be a title. */
export function titleFromLines(lines: RawLine[]): string | null {
  const heading = lines.find((l) => /^\s{0,3}#{1,3}\s+\S/.test(l.text));
  if (heading) return heading.text.replace(/^\s*#+\s*/, "").trim();
  const firstLine = lines.find((l) => l.text.trim().length >= 3);
  if (firstLine && firstLine.text.trim().length <= 120) return firstLine.text.trim();
  return null;
}

/**
 * Metadata for a file found without a manifest: title from the document (see ReadDocument),
 * else from the file name; kind "altro"; region only if the title names one.
 */
export function inferMeta(file: string, documentTitle: string | null): DocumentMeta {
  const stem = basename(file, extname(file));
  let title = documentTitle?.trim() || stem.replace(/[_-]+/g, " ").trim();
  title = title.replace(/[*_`]/g, "").replace(/\s+/g, " ");
  if (title.length > 200) title = `${title.slice(0, 199)}…`;
  if (title.length < 3) title = `Documento ${stem}`;
  return {
    id: slugify(stem),
    file: basename(file),
    title,
    kind: "altro",
    region: regionInTitle(title),
    date: null,
    origin: basename(file),
  };
}
