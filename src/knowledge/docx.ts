// .docx (Office Open XML): word/document.xml read in order. Headings from the paragraph's style
// (Heading 1…n, Titolo 1…n, any style with an outline level) or a direct outline level, list items
// from numbering, tables from w:tbl with their header row, and the title from docProps/core.xml.
import { say } from "../prompts.js";
import {
  type ChildNode,
  type Element,
  elements,
  findFirst,
  isTag,
  isText,
  MarkupError,
  parseXml,
  readZipEntries,
} from "./markup.js";
import { cleanText, type Outline, type OutlineBlock } from "./outline.js";

interface StyleInfo {
  name: string;
  basedOn?: string;
  outlineLevel?: number;
  list: boolean;
}

const attr = (element: Element | undefined, name: string) => element?.attribs[name];
const child = (element: Element | undefined, name: string) =>
  element ? elements(element, name)[0] : undefined;

/** A heading level from a style name: "heading 2", "Titolo 2", "Title" (0). */
function levelFromName(name: string): number | undefined {
  const numbered = /^(?:heading|titolo|intestazione|überschrift|titre)\s*(\d)$/i.exec(name.trim());
  if (numbered?.[1]) return Number(numbered[1]);
  if (/^(?:title|titolo)$/i.test(name.trim())) return 0;
  return undefined;
}

function readStyles(xml: string | undefined): Map<string, StyleInfo> {
  const styles = new Map<string, StyleInfo>();
  if (!xml) return styles;
  const root = findFirst(parseXml(xml), "w:styles");
  for (const style of root ? elements(root, "w:style") : []) {
    const id = attr(style, "w:styleId");
    if (!id) continue;
    const pPr = child(style, "w:pPr");
    const outline = attr(child(pPr, "w:outlineLvl"), "w:val");
    styles.set(id, {
      name: attr(child(style, "w:name"), "w:val") ?? id,
      basedOn: attr(child(style, "w:basedOn"), "w:val"),
      outlineLevel: outline !== undefined ? Number(outline) : undefined,
      list: Boolean(child(pPr, "w:numPr")),
    });
  }
  return styles;
}

/** Heading level (0 = title, 1…9) and list membership of a style, following basedOn. */
function styleTraits(styles: Map<string, StyleInfo>, id: string | undefined) {
  let level: number | undefined;
  let list = false;
  const seen = new Set<string>();
  for (let current = id; current && !seen.has(current); ) {
    seen.add(current);
    const style = styles.get(current);
    if (!style) break;
    level ??= levelFromName(style.name) ?? levelFromName(current);
    if (level === undefined && style.outlineLevel !== undefined && style.outlineLevel < 9) {
      level = style.outlineLevel + 1;
    }
    list ||= style.list;
    current = style.basedOn;
  }
  return { level, list };
}

/** Text of runs: deleted text, field codes and the fallback copy of drawings are left out. */
const skipped = new Set(["w:del", "w:delText", "w:instrText", "mc:Fallback", "w:rPr", "w:pPr"]);

function runText(node: ChildNode): string {
  if (isText(node)) return "";
  if (!isTag(node) || skipped.has(node.name)) return "";
  switch (node.name) {
    case "w:t":
      return node.children.map((c) => (isText(c) ? c.data : "")).join("");
    case "w:tab":
    case "w:br":
    case "w:cr":
      return " ";
    case "w:noBreakHyphen":
      return "-";
    case "w:p":
      // A paragraph inside a text box of this paragraph.
      return ` ${node.children.map(runText).join("")} `;
    default:
      return node.children.map(runText).join("");
  }
}

function isBold(rPr: Element | undefined): boolean {
  const b = child(rPr, "w:b");
  if (!b) return false;
  const value = attr(b, "w:val");
  return value === undefined || !["0", "false", "off"].includes(value);
}

/** True when every run that carries text is bold. */
function allBold(paragraph: Element): boolean {
  const runs: Element[] = [];
  const collect = (node: Element) => {
    for (const c of elements(node)) {
      if (c.name === "w:r") runs.push(c);
      else if (!skipped.has(c.name)) collect(c);
    }
  };
  collect(paragraph);
  const withText = runs.filter((run) => /\S/.test(runText(run)));
  return withText.length > 0 && withText.every((run) => isBold(child(run, "w:rPr")));
}

function paragraphBlock(paragraph: Element, styles: Map<string, StyleInfo>): OutlineBlock | null {
  const text = cleanText(runText(paragraph));
  if (!text) return null;
  const pPr = child(paragraph, "w:pPr");
  const traits = styleTraits(styles, attr(child(pPr, "w:pStyle"), "w:val"));
  const direct = attr(child(pPr, "w:outlineLvl"), "w:val");
  const level = direct !== undefined && Number(direct) < 9 ? Number(direct) + 1 : traits.level;
  if (level !== undefined) return { kind: "heading", level, text };
  const numPr = child(pPr, "w:numPr");
  if (numPr || traits.list) {
    const depth = Number(attr(child(numPr, "w:ilvl"), "w:val") ?? 0);
    return { kind: "item", text, depth: Number.isFinite(depth) ? depth : 0 };
  }
  // Boldness matters only for a question (see foldQuestions): checked only then.
  return { kind: "paragraph", text, strong: text.endsWith("?") && allBold(paragraph) };
}

/** Cell text (its paragraphs joined), with the column span and vertical merge of the cell. */
function readCell(cell: Element) {
  const tcPr = child(cell, "w:tcPr");
  const span = Number(attr(child(tcPr, "w:gridSpan"), "w:val") ?? 1);
  const vMerge = child(tcPr, "w:vMerge");
  const continues = vMerge !== undefined && attr(vMerge, "w:val") !== "restart";
  const paragraphs: string[] = [];
  const collect = (node: Element) => {
    for (const c of elements(node)) {
      if (c.name === "w:p") paragraphs.push(cleanText(runText(c)));
      else if (c.name !== "w:tcPr") collect(c);
    }
  };
  collect(cell);
  return {
    text: paragraphs.filter(Boolean).join(" "),
    span: Number.isFinite(span) && span > 0 ? Math.min(span, 50) : 1,
    continues,
    bold: elements(cell, "w:p").every((p) => !/\S/.test(runText(p)) || allBold(p)),
  };
}

function tableBlock(table: Element): OutlineBlock | null {
  const rows: string[][] = [];
  let headerMarked = false;
  let firstRowBold = false;
  for (const [r, row] of elements(table, "w:tr").entries()) {
    const cells: string[] = [];
    const cellInfos = elements(row, "w:tc").map(readCell);
    for (const info of cellInfos) {
      // A vertically merged cell repeats the value above it, so each row reads whole.
      const value = info.continues ? (rows.at(-1)?.[cells.length] ?? "") : info.text;
      cells.push(value);
      for (let s = 1; s < info.span; s++) cells.push("");
    }
    if (r === 0) {
      headerMarked = Boolean(child(child(row, "w:trPr"), "w:tblHeader"));
      firstRowBold = cellInfos.length > 0 && cellInfos.every((c) => c.bold);
    }
    if (cells.some(Boolean)) rows.push(cells);
  }
  if (rows.length === 0) return null;
  const columns = Math.max(...rows.map((r) => r.length));
  const hasHeader = rows.length > 1 && (headerMarked || firstRowBold || columns >= 3);
  return hasHeader
    ? { kind: "table", header: rows[0] ?? null, rows: rows.slice(1) }
    : { kind: "table", header: null, rows };
}

function readBody(container: Element, styles: Map<string, StyleInfo>, out: OutlineBlock[]) {
  for (const node of elements(container)) {
    if (node.name === "w:p") {
      const block = paragraphBlock(node, styles);
      if (block) out.push(block);
    } else if (node.name === "w:tbl") {
      const block = tableBlock(node);
      if (block) out.push(block);
    } else if (["w:sdt", "w:sdtContent", "w:customXml", "w:ins"].includes(node.name)) {
      readBody(node, styles, out);
    }
  }
}

/** The outline of a .docx file. */
export function readDocx(bytes: Uint8Array): Outline {
  const files = readZipEntries(bytes, [
    "word/document.xml",
    "word/styles.xml",
    "docProps/core.xml",
  ]);
  const documentXml = files.get("word/document.xml");
  if (!documentXml) throw new MarkupError(say("library.markup_docx_no_document"));
  const body = findFirst(parseXml(documentXml), "w:body");
  if (!body) throw new MarkupError(say("library.markup_docx_no_body"));
  const blocks: OutlineBlock[] = [];
  readBody(body, readStyles(files.get("word/styles.xml")), blocks);
  const core = files.get("docProps/core.xml");
  const titleElement = core ? findFirst(parseXml(core), "dc:title") : undefined;
  const title = titleElement ? cleanText(textOf(titleElement)) : "";
  return { title: title || null, blocks };
}

function textOf(element: Element): string {
  return element.children.map((c) => (isText(c) ? c.data : isTag(c) ? textOf(c) : "")).join("");
}
