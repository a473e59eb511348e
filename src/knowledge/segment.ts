// Cuts a document into passages: sections from the heading structure, paragraphs re-joined from
// broken lines, then chunks of 300–1,500 characters with the section's breadcrumb on each.
import { createHash } from "node:crypto";
import { findBoilerplate } from "./boilerplate.js";
import { normalizeLine } from "./normalize.js";
import { splitAtSentenceEnds } from "./sentences.js";
import {
  captionPattern,
  type DocLine,
  detectStructure,
  type Heading,
  type Item,
  numbersAfter,
} from "./structure.js";
import { renderTable, splitAlignedColumns } from "./tables.js";
import { findTocLines } from "./toc.js";
import type { Passage, PassageLocation, PassageTable } from "./types.js";

export const PASSAGE_MIN = 300;
export const PASSAGE_TARGET = 1_100;
export const PASSAGE_MAX = 1_500;
/** The overlap sentence carried into the next chunk of the same section is at most this long. */
const OVERLAP_MAX = 250;

/** One line of extracted text as a loader produces it. */
export interface RawLine {
  text: string;
  /** 1-based line number in the extracted text. */
  line: number;
  page?: number;
  /** Heading level from a PDF's fonts (1 = largest). */
  headingLevel?: number;
  /** Cells of a table row found from positions. */
  cells?: string[];
  /** From positioned text: fonts decide headings, geometry already removed page furniture. */
  layout?: boolean;
  /** A slide's line: one passage per slide. */
  slide?: boolean;
  /** Read by OCR from a scanned page. */
  ocr?: boolean;
}

interface Block {
  text: string;
  kind: "heading" | "text" | "table";
  lines: DocLine[];
}

interface Section {
  breadcrumb: string[];
  blocks: Block[];
  /** The page of a slide: its chunks never merge with another page's. */
  slide?: number;
  /** Under a cover's title lines: text that names the document, not one of its sections. */
  cover?: boolean;
}

interface Chunk {
  breadcrumb: string[];
  text: string[];
  lines: DocLine[];
  kind: "text" | "table";
  slide?: number;
  cover?: boolean;
  table?: PassageTable;
}

/** Normalises, strips boilerplate and segments the raw lines of one document. */
export function segmentDocument(documentId: string, raw: RawLine[]): Passage[] {
  const normalized: DocLine[] = splitAlignedColumns(raw).map((r) => {
    const line: DocLine = { ...normalizeLine(r.text), line: r.line, page: r.page };
    if (r.cells) {
      line.cells = r.cells.map((c) => normalizeLine(c).text);
      line.text = line.cells.filter(Boolean).join(" | ");
    }
    if (r.headingLevel !== undefined) line.headingLevel = r.headingLevel;
    if (r.layout) line.layout = true;
    if (r.slide) line.slide = true;
    if (r.ocr) line.ocr = true;
    return line;
  });
  // Geometry has already taken the furniture off positioned text: only plain text is searched.
  const keep = normalized.map((l) => isStructural(l.text) || l.layout === true);
  // A stand-alone bare "LINEA 5" inside a repeated table header is structure, but the capitalised
  // scheda title above a "Data inizio … Data fine" line must survive as well.
  normalized.forEach((l, i) => {
    if (/^Data inizio\s+\d/i.test(l.text)) {
      for (let j = i - 1, seen = 0; j >= 0 && seen < 2 && i - j <= 4; j--) {
        if (normalized[j]?.text) {
          keep[j] = true;
          seen++;
        }
      }
    }
  });
  const drop = findBoilerplate(
    normalized.map((l, i) => ({ text: l.text, page: l.page, keep: keep[i] })),
  );
  for (const index of findTocLines(normalized)) drop.add(index);
  const lines = normalized.filter((_, i) => !drop.has(i));
  const sections = buildSections(detectStructure(lines));
  const chunks = mergeSmallChunks(sections.flatMap(chunkSection));
  return toPassages(documentId, chunks);
}

const structural =
  /^(?:ARTICOLO\s+\d|Art\.\s*\d+\s*(?:[-:.]|$)|LINEA\s+0?\d+[A-Z]?\b|OBIETTIVO SPECIFICO\s+\d|Obiettivo specifico\s+\d|Data inizio\s+\d)/;

function isStructural(text: string): boolean {
  return structural.test(text);
}

/** A first page with fewer words of text than this, under its headings, is a cover. */
const COVER_WORDS = 60;

/** Whether the first page of positioned text is a cover: headings and a few words. */
function hasCover(items: Item[]): boolean {
  const laid = items.filter(
    (item) => (item.kind === "heading" ? item.lines[0] : item.line)?.layout,
  );
  if (
    !laid.some((item) => ((item.kind === "heading" ? item.lines[0] : item.line)?.page ?? 1) > 1)
  ) {
    return false;
  }
  let words = 0;
  for (const item of laid) {
    if (item.kind !== "text" && item.kind !== "row") continue;
    if (item.line.page === 1) words += item.line.text.split(/\s+/).filter(Boolean).length;
  }
  return words < COVER_WORDS;
}

function buildSections(items: Item[]): Section[] {
  const stack: Heading[] = [];
  // A cover's title lines name the document, which citations already do: the sections of the
  // following pages are not under them.
  const cover = hasCover(items);
  const sections: Section[] = [];
  let current: Section = { breadcrumb: [], blocks: [] };
  sections.push(current);
  let paragraph: Block | undefined;
  let table: Block | undefined;
  let blankSince = false;

  const flush = () => {
    if (paragraph) current.blocks.push(paragraph);
    if (table) current.blocks.push(table);
    paragraph = undefined;
    table = undefined;
  };

  // Whether the numbering starts again at 1 right after the heading at `index`: its next
  // heading is numbered 1, or is an unnumbered title line right under it followed by 1.
  const startsNumbering = (index: number) => {
    let textSeen = false;
    for (let k = index + 1; k < items.length; k++) {
      const later = items[k] as Item;
      if (later.kind === "blank") continue;
      if (later.kind !== "heading") {
        textSeen = true;
        continue;
      }
      if (later.number !== undefined) return later.number === "1";
      if (textSeen) return false;
    }
    return false;
  };

  /** Where in the stack the last heading of each series sits. */
  const seriesAt = new Map<string, number>();
  for (const [index, item] of items.entries()) {
    if (item.kind === "blank") {
      blankSince = true;
      continue;
    }
    // Each slide is a section of its own, even when its title did not stand out.
    const slide =
      item.kind === "heading"
        ? item.lines[0]?.slide && item.lines[0].page
        : item.line.slide && item.line.page;
    if (slide && item.kind !== "heading" && slide !== current.slide) {
      flush();
      current = { breadcrumb: stack.map((h) => h.title), blocks: [], slide };
      sections.push(current);
    }
    if (item.kind === "heading") {
      // Page headers repeat the open "LINEA 5": the section simply goes on.
      if (item.key && stack.some((h) => h.key === item.key)) continue;
      flush();
      if (cover && (item.lines[0]?.page ?? 1) > 1) {
        for (let k = stack.length - 1; k >= 0; k--) {
          if ((stack[k]?.lines[0]?.page ?? 1) === 1) stack.splice(k, 1);
        }
      }
      // "SCHEDA 4" sits where "SCHEDA 3" did, whatever points and labels that one opened.
      const sibling = item.series !== undefined ? seriesAt.get(item.series) : undefined;
      if (sibling !== undefined) stack.length = Math.min(stack.length, sibling);
      let heading =
        sibling !== undefined ? item : placeAmongNumbered(item, stack, startsNumbering(index));
      // A document that labels its sections "SCHEDA n" titles their parts in the same font:
      // an unlabelled heading in that font is a part of the open sheet, not the next sheet.
      const level = item.lines[0]?.headingLevel;
      const sheet =
        item.series === undefined && level !== undefined
          ? stack.findLast((h) => h.series?.endsWith(`@${level}`))
          : undefined;
      if (sheet) heading = { ...heading, rank: Math.max(heading.rank, sheet.rank + 1) };
      while (stack.length > 0 && (stack[stack.length - 1] as Heading).rank >= heading.rank)
        stack.pop();
      stack.push(heading);
      if (heading.series !== undefined) seriesAt.set(heading.series, stack.length - 1);
      current = { breadcrumb: stack.map((h) => h.title), blocks: [] };
      if (slide) current.slide = slide;
      if (cover && (item.lines[0]?.page ?? 1) === 1) current.cover = true;
      current.blocks.push({
        text: heading.text.replace(/\n/g, " "),
        kind: "heading",
        lines: item.lines,
      });
      sections.push(current);
      blankSince = false;
      continue;
    }
    if (item.kind === "row") {
      if (paragraph) {
        current.blocks.push(paragraph);
        paragraph = undefined;
      }
      table ??= { text: "", kind: "table", lines: [] };
      table.text = table.text ? `${table.text}\n${item.line.text}` : item.line.text;
      table.lines.push(item.line);
      blankSince = false;
      continue;
    }
    if (table) {
      current.blocks.push(table);
      table = undefined;
    }
    const text = item.line.text;
    if (paragraph && !startsNewParagraph(paragraph.text, text, item.bullet, blankSince)) {
      paragraph.text = joinLines(paragraph.text, text);
      paragraph.lines.push(item.line);
    } else {
      if (paragraph) current.blocks.push(paragraph);
      paragraph = { text, kind: "text", lines: [item.line] };
    }
    blankSince = false;
  }
  flush();
  if (cover) gatherCover(sections);
  return sections.filter((s) => s.blocks.some((b) => b.kind !== "heading"));
}

/**
 * A cover's lines, its titles included, as one section with no breadcrumb: apart, each title
 * with nothing under it would be an empty section and be lost ("INFORMATIVA SUI RISCHI…" set
 * alone at the foot of the cover), and the others would name the chapters after them.
 */
function gatherCover(sections: Section[]) {
  const onCover = (s: Section) =>
    s.blocks.length > 0 && s.blocks.every((b) => b.lines.every((l) => (l.page ?? 1) === 1));
  const front = sections.filter(onCover);
  const first = front[0];
  if (!first) return;
  // Only a cover of titles: a first page with a sentence or a slide keeps its sections.
  const lines = front.flatMap((s) => s.blocks.flatMap((b) => b.text.split("\n")));
  if (front.some((s) => s.slide) || lines.some(isSentence)) return;
  const at = sections.indexOf(first);
  // Its titles are its text: a section of headings alone would be dropped as empty.
  const blocks = front.flatMap((s) => s.blocks.map((b): Block => ({ ...b, kind: "text" })));
  const merged: Section = { breadcrumb: [], blocks, cover: true };
  for (let k = sections.length - 1; k >= 0; k--) {
    if (front.includes(sections[k] as Section)) sections.splice(k, 1);
  }
  sections.splice(at, 0, merged);
}

/**
 * In positioned text, numbered sections ("5.", "5.1", "5.1.4") and headings known only from
 * their font (a bold "SEDE OPERATIVA") share one outline: a font heading met inside a numbered
 * section is a part of it, below its deepest open number, unless its font is larger than the
 * section's (a part title over the chapters); and a numbered heading ends the font headings
 * opened inside the numbered sections. Font and number ranks are on different scales, so
 * without this a label would hold every later chapter under it, or close the chapter it is in.
 */
function placeAmongNumbered(item: Heading, stack: Heading[], restartsNumbers: boolean): Heading {
  if (!item.lines[0]?.layout) return item;
  const numbered = stack.filter((h) => h.depth !== undefined);
  const outer = numbered[0];
  const deepest = numbered.at(-1);
  const level = item.lines[0]?.headingLevel;
  if (outer && item.depth === undefined && level !== undefined && restartsNumbers) {
    // A font heading in the font of the one the numbered sections are under, whose own
    // numbering starts again from 1, is that heading's sibling ("SCHEDA 3 – Portatili" after
    // "SCHEDA 2 – Videoterminali" with its "1. Attrezzature", "2. Ambiente"), not a label inside
    // the last number.
    const above = stack.slice(0, stack.indexOf(outer));
    if (above.some((h) => h.depth === undefined && h.lines[0]?.headingLevel === level)) {
      return item;
    }
  }
  if (item.depth !== undefined && !outer) {
    // The first chapter ends the front matter: a cover's lines and the contents' title are not
    // sections the chapters belong to.
    const page = item.lines[0]?.page ?? 1;
    while (stack.length > 0 && frontMatter(stack.at(-1) as Heading, page)) stack.pop();
  }
  if (!outer || !deepest) return item;
  if (item.number !== undefined && deepest.number !== undefined) {
    // "1. Servizio", "2. Appuntamento" inside section 4.1: numbered steps, not chapters.
    // A number fits the outline when it follows an open one, repeats it, opens a section under
    // one, or is a later chapter (an excerpt may skip from 2 to 11).
    const parts = item.number.split(".");
    const parent = parts.slice(0, -1).join(".");
    const chapter = Number(outer.number?.split(".")[0] ?? Number.NaN);
    const fits =
      numbersAfter(deepest.number).has(item.number) ||
      numbered.some((h) => h.number === item.number || h.number === parent) ||
      (parts.length === 1 && Number(parts[0]) > chapter);
    if (!fits) {
      const { depth: _depth, number: _number, ...step } = item;
      return { ...step, rank: Math.max(item.rank, deepest.rank + 1) };
    }
  }
  if (item.depth !== undefined) {
    const outerAt = stack.indexOf(outer);
    while (stack.length - 1 > outerAt && stack.at(-1)?.depth === undefined) stack.pop();
    return item;
  }
  const outerLevel = outer.lines[0]?.headingLevel;
  const larger = level !== undefined && (outerLevel === undefined || level < outerLevel);
  if (larger) return item;
  return { ...item, rank: Math.max(item.rank, deepest.rank + 1) };
}

const contentsTitle = /^(?:sommario|indice(?: generale)?|contents|table of contents)$/i;

function frontMatter(heading: Heading, chapterPage: number): boolean {
  const first = heading.lines[0];
  if (!first?.layout) return false;
  return contentsTitle.test(heading.title) || (first.page === 1 && chapterPage > 1);
}

const listStart = /^(?:\d{1,2}(?:\.\d{1,2}){0,3}[.)]?\s+\S|[a-z][.)]\s+\S)/;

function startsNewParagraph(previous: string, next: string, bullet: boolean, blank: boolean) {
  // "Figura 9 – Riepilogo incontri" names the picture above: a line of its own, never the start
  // of the next paragraph's first sentence.
  if (captionPattern.test(next) || captionPattern.test(previous)) return true;
  // "… composto da" / "16 cifre.": a sentence wrapped before a number goes on; a list item
  // numbered without a dot or a parenthesis starts with a capital ("1 Introduzione").
  if (!bullet && /^\d{1,3}\s+\p{Ll}/u.test(next) && !/[.;:!?]["')]?$/.test(previous)) return false;
  // "Risultati attesi:" labels what follows: it never ends the paragraph above.
  if (bullet || listStart.test(next) || /^\p{Lu}[^.;:]{0,40}:$/u.test(next)) return true;
  const ended = /[.;:!?]["')]?$/.test(previous);
  return ended && (blank || /^\p{Lu}/u.test(next));
}

/** "scuola-" + "formazione" → "scuola-formazione"; anything else joins with one space. */
export function joinLines(previous: string, next: string): string {
  if (/\p{L}-$/u.test(previous) && /^\p{Ll}/u.test(next)) return previous + next;
  return `${previous} ${next}`;
}

function chunkSection(section: Section): Chunk[] {
  const chunks: Chunk[] = [];
  let current: Chunk | undefined;
  const size = (chunk: Chunk) => chunk.text.reduce((sum, t) => sum + t.length + 1, 0);
  const close = () => {
    if (current && current.text.length > 0) chunks.push(current);
    current = undefined;
  };
  const open = (overlap?: string): Chunk => {
    const chunk: Chunk = {
      breadcrumb: section.breadcrumb,
      text: overlap ? [overlap] : [],
      lines: [],
      kind: "text",
    };
    if (section.slide) chunk.slide = section.slide;
    if (section.cover) chunk.cover = true;
    current = chunk;
    return chunk;
  };

  for (const block of section.blocks) {
    if (block.kind === "table") {
      close();
      chunks.push(...chunkTable(section.breadcrumb, block, section.slide));
      continue;
    }
    const ocr = block.lines.some((line) => line.ocr);
    if (current && current.lines.length > 0 && isOcr(current) !== ocr) close();
    for (const piece of splitLongText(block.text)) {
      let chunk = current ?? open();
      if (chunk.text.length > 0 && size(chunk) + piece.length > PASSAGE_TARGET) {
        const carried = lastSentence(chunk.text[chunk.text.length - 1] ?? "");
        close();
        chunk = open(carried);
        if (chunk.text.length > 0 && size(chunk) + piece.length > PASSAGE_MAX) chunk.text = [];
      }
      chunk.text.push(piece);
      chunk.lines.push(...block.lines);
    }
  }
  close();
  return chunks;
}

/** What may open a sentence in a document: a capital, a digit, a quote, a bracket, a dash. */
const SENTENCE_START = /[\p{Lu}\d"'(-]/u;
/** The overlap is the last whole sentence, whatever opens it. */
const ANY_START = /\S/u;

/** A paragraph longer than the target is cut at sentence ends, or at words as a last resort. */
function splitLongText(text: string): string[] {
  if (text.length <= PASSAGE_TARGET) return [text];
  const sentences = splitAtSentenceEnds(text, SENTENCE_START);
  const pieces: string[] = [];
  let buffer = "";
  for (const sentence of sentences) {
    const parts = sentence.length > PASSAGE_TARGET ? splitAtWords(sentence) : [sentence];
    for (const part of parts) {
      if (buffer && buffer.length + part.length + 1 > PASSAGE_TARGET) {
        pieces.push(buffer);
        buffer = part;
      } else buffer = buffer ? `${buffer} ${part}` : part;
    }
  }
  if (buffer) pieces.push(buffer);
  return pieces;
}

function splitAtWords(text: string): string[] {
  const words = text.split(" ");
  const parts: string[] = [];
  let buffer = "";
  for (const word of words) {
    if (buffer && buffer.length + word.length + 1 > PASSAGE_TARGET * 0.8) {
      parts.push(buffer);
      buffer = word;
    } else buffer = buffer ? `${buffer} ${word}` : word;
  }
  if (buffer) parts.push(buffer);
  return parts;
}

function lastSentence(text: string): string | undefined {
  const sentences = splitAtSentenceEnds(text, ANY_START);
  const last = sentences[sentences.length - 1];
  if (!last || last.length > OVERLAP_MAX || last === text) return undefined;
  return last;
}

/**
 * A table's rows, rendered "colonna: valore" with the header's words, in chunks of whole rows;
 * each chunk keeps its header and rows in `table`.
 */
function chunkTable(breadcrumb: string[], block: Block, slide?: number): Chunk[] {
  const rows = block.lines.map((line) => line.cells ?? [line.text]);
  const { header, rows: body, lines: rendered, from } = renderTable(rows);
  const chunks: Chunk[] = [];
  const open = (): Chunk => {
    const chunk: Chunk = { breadcrumb, text: [], lines: [], kind: "table" };
    chunk.table = { header, rows: [] };
    if (slide) chunk.slide = slide;
    if (header.length > 0 && block.lines[0]) chunk.lines.push(block.lines[0]);
    return chunk;
  };
  let current = open();
  let length = 0;
  rendered.forEach((row, i) => {
    const pieces = row.length > PASSAGE_MAX ? splitAtWords(row) : [row];
    const line = block.lines[from[i] ?? -1];
    for (const piece of pieces) {
      if (current.text.length > 0 && length + piece.length > PASSAGE_TARGET) {
        chunks.push(current);
        current = open();
        length = 0;
      }
      current.text.push(piece);
      length += piece.length + 1;
      // A row too long for one passage is cut: each piece is cited at the row's place.
      if (line && !current.lines.includes(line)) current.lines.push(line);
    }
    current.table?.rows.push(body[i] ?? []);
  });
  if (current.text.length > 0) chunks.push(current);
  return chunks;
}

/** Text read by OCR stays apart, so that only its own citations say "(OCR)". */
const isOcr = (chunk: Chunk) => chunk.lines.some((line) => line.ocr);
const chunkSize = (chunk: Chunk) => chunk.text.reduce((sum, t) => sum + t.length + 1, 0);
const sameList = (a: string[], b: string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);
const isPrefix = (prefix: string[], of: string[]) =>
  prefix.length <= of.length && prefix.every((x, i) => x === of[i]);

/**
 * A cover's chunk of title lines only ("Richiesta documenti", "Manuale d'uso", "Ver. 3.0
 * Ottobre 2022"): a sentence on the first page ("Questa guida riassume le scadenze.") makes
 * it a short first section instead, named like any other.
 */
const titlesOnly = (chunk: Chunk) =>
  chunk.cover === true && !chunk.text.some((text) => text.split("\n").some(isSentence));

/** A line ending like a sentence; not one ending in an acronym's dot ("… Obbligatorie GE.CO."). */
const isSentence = (line: string) =>
  /\p{L}{2}.*[.;:!?]$/u.test(line) &&
  !/(?:^|\s)(?:\p{L}{1,4}\.){2,}$/u.test(line) &&
  line.split(" ").length >= 4;

/**
 * A fragment under 300 characters joins the next chunk when that one is a sibling or a child of
 * its section (the merged breadcrumb names both siblings), otherwise the previous one when that is
 * its sibling or parent, as long as the result stays under the maximum size.
 */
function mergeSmallChunks(chunks: Chunk[]): Chunk[] {
  const out: Chunk[] = [];
  let pending: Chunk | undefined;
  for (const chunk of chunks) {
    let next = chunk;
    if (pending && titlesOnly(pending)) {
      // A cover stays a passage of its own, cited at its page: joined to the first chapter it
      // would make the chapter start on page 1.
      out.push(pending);
      pending = undefined;
    }
    if (pending) {
      const parent = pending.breadcrumb.slice(0, -1);
      const sibling =
        pending.breadcrumb.length === next.breadcrumb.length && isPrefix(parent, next.breadcrumb);
      const child = isPrefix(pending.breadcrumb, next.breadcrumb);
      if (
        pending.kind === next.kind &&
        pending.slide === next.slide &&
        isOcr(pending) === isOcr(next) &&
        (sibling || child) &&
        chunkSize(pending) + chunkSize(next) <= PASSAGE_MAX
      ) {
        // A cover joining the first chapter leaves the chapter's name alone: the citation
        // already names the document the cover's lines name.
        const breadcrumb =
          sibling && !titlesOnly(pending) && !sameList(pending.breadcrumb, next.breadcrumb)
            ? [...parent, `${pending.breadcrumb.at(-1)} · ${next.breadcrumb.at(-1)}`]
            : next.breadcrumb;
        next = {
          ...next,
          breadcrumb: child ? next.breadcrumb : breadcrumb,
          text: [...pending.text, ...next.text],
          lines: [...pending.lines, ...next.lines],
          table: mergeTables(pending.table, next.table),
        };
      } else {
        out.push(pending);
      }
      pending = undefined;
    }
    if (chunkSize(next) < PASSAGE_MIN) pending = next;
    else out.push(next);
  }
  if (pending) {
    const previous = out[out.length - 1];
    const related =
      previous &&
      !titlesOnly(previous) &&
      previous.kind === pending.kind &&
      previous.slide === pending.slide &&
      isOcr(previous) === isOcr(pending) &&
      (isPrefix(previous.breadcrumb, pending.breadcrumb) ||
        isPrefix(pending.breadcrumb.slice(0, -1), previous.breadcrumb));
    if (previous && related && chunkSize(previous) + chunkSize(pending) <= PASSAGE_MAX) {
      // A last section too small to stand alone ("4.2 Logout" after "4.1 Richiesta documenti")
      // is named next to the one it joins, as when a fragment joins its next sibling.
      if (!isPrefix(previous.breadcrumb, pending.breadcrumb)) {
        const parent = pending.breadcrumb.slice(0, -1);
        previous.breadcrumb = [
          ...parent,
          `${previous.breadcrumb[parent.length]} · ${pending.breadcrumb.at(-1)}`,
        ];
      }
      previous.text.push(...pending.text);
      previous.lines.push(...pending.lines);
      previous.table = mergeTables(previous.table, pending.table);
    } else out.push(pending);
  }
  return out;
}

/** Rows of two merged table chunks; their headers differ when two tables were merged. */
function mergeTables(a?: PassageTable, b?: PassageTable): PassageTable | undefined {
  if (!a || !b) return a ?? b;
  if (!sameList(a.header, b.header)) return b.rows.length > a.rows.length ? b : a;
  return { header: a.header, rows: [...a.rows, ...b.rows] };
}

function locate(lines: DocLine[]): PassageLocation {
  const numbers = lines.map((l) => l.line);
  const pages = lines.map((l) => l.page).filter((p): p is number => p !== undefined);
  const location: PassageLocation = {
    lineStart: numbers.length ? Math.min(...numbers) : 0,
    lineEnd: numbers.length ? Math.max(...numbers) : 0,
  };
  if (pages.length > 0) {
    location.pageStart = Math.min(...pages);
    location.pageEnd = Math.max(...pages);
  }
  if (lines.some((l) => l.ocr)) location.ocr = true;
  return location;
}

/** Stable id: the same breadcrumb and text always give the same id. */
export function passageId(documentId: string, breadcrumb: string[], text: string): string {
  const hash = createHash("sha1")
    .update(`${breadcrumb.join(" › ")}\n${text}`)
    .digest("hex");
  return `${documentId}:${hash.slice(0, 10)}`;
}

function toPassages(documentId: string, chunks: Chunk[]): Passage[] {
  const seen = new Map<string, number>();
  return chunks.map((chunk) => {
    const text = chunk.text.join("\n");
    let id = passageId(documentId, chunk.breadcrumb, text);
    const count = (seen.get(id) ?? 0) + 1;
    seen.set(id, count);
    if (count > 1) id = `${id}-${count}`;
    const passage: Passage = {
      id,
      documentId,
      breadcrumb: chunk.breadcrumb,
      location: locate(chunk.lines),
      text,
      kind: chunk.kind,
    };
    if (chunk.table) passage.table = chunk.table;
    return passage;
  });
}
