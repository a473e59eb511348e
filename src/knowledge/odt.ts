// .odt (OpenDocument text): content.xml read in order. Headings are text:h with their outline
// level, lists text:list (nested for depth), tables table:table with table:table-header-rows;
// indexes and tables of contents are left out; the title comes from meta.xml.
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

/** Generated content (tables of contents, indexes), notes and comments are not the text. */
const skipped = new Set([
  "text:note",
  "office:annotation",
  "text:table-of-content",
  "text:alphabetical-index",
  "text:illustration-index",
  "text:table-index",
  "text:object-index",
  "text:user-index",
  "text:bibliography",
  "text:tracked-changes",
  "svg:desc",
  "svg:title",
]);

function inlineText(node: ChildNode): string {
  if (isText(node)) return node.data;
  if (!isTag(node) || skipped.has(node.name)) return "";
  switch (node.name) {
    case "text:s":
      return " ".repeat(Math.min(Number(node.attribs["text:c"] ?? 1) || 1, 10));
    case "text:tab":
    case "text:line-break":
      return " ";
    case "text:p":
    case "text:h":
      return ` ${node.children.map(inlineText).join("")} `;
    default:
      return node.children.map(inlineText).join("");
  }
}

function readList(list: Element, depth: number, out: OutlineBlock[]) {
  for (const item of elements(list)) {
    if (item.name !== "text:list-item" && item.name !== "text:list-header") continue;
    const own: string[] = [];
    for (const part of elements(item)) {
      if (part.name === "text:list") {
        if (own.length) out.push({ kind: "item", text: own.splice(0).join(" "), depth });
        readList(part, depth + 1, out);
      } else {
        const text = cleanText(inlineText(part));
        if (text) own.push(text);
      }
    }
    if (own.length) out.push({ kind: "item", text: own.join(" "), depth });
  }
}

function readRow(row: Element): string[] {
  const cells: string[] = [];
  for (const cell of elements(row)) {
    if (cell.name !== "table:table-cell" && cell.name !== "table:covered-table-cell") continue;
    const text = cleanText(cell.children.map(inlineText).join(" "));
    // Spreadsheet-like tables repeat empty trailing cells thousands of times.
    const repeat = Math.min(Number(cell.attribs["table:number-columns-repeated"] ?? 1) || 1, 50);
    for (let i = 0; i < repeat; i++) cells.push(text);
  }
  while (cells.length > 0 && cells.at(-1) === "") cells.pop();
  return cells;
}

function readTable(table: Element): OutlineBlock | null {
  let header: string[] | null = null;
  const rows: string[][] = [];
  const collect = (node: Element, inHeader: boolean) => {
    for (const part of elements(node)) {
      if (part.name === "table:table-row") {
        const cells = readRow(part);
        if (!cells.some(Boolean)) continue;
        if (inHeader && !header) header = cells;
        else rows.push(cells);
      } else if (part.name === "table:table-header-rows") collect(part, true);
      else if (part.name === "table:table-rows" || part.name === "table:table-row-group")
        collect(part, inHeader);
    }
  };
  collect(table, false);
  if (!header && rows.length === 0) return null;
  const columns = Math.max(0, ...rows.map((r) => r.length));
  if (!header && rows.length > 1 && columns >= 3) header = rows.shift() ?? null;
  return { kind: "table", header, rows };
}

function readText(container: Element, out: OutlineBlock[]) {
  for (const node of elements(container)) {
    if (skipped.has(node.name)) continue;
    switch (node.name) {
      case "text:h": {
        const text = cleanText(inlineText(node));
        const level = Number(node.attribs["text:outline-level"] ?? 1);
        if (text) out.push({ kind: "heading", level: Number.isFinite(level) ? level : 1, text });
        break;
      }
      case "text:p": {
        const text = cleanText(inlineText(node));
        const style = node.attribs["text:style-name"] ?? "";
        if (!text) break;
        if (/^title$/i.test(style)) out.push({ kind: "heading", level: 0, text });
        else out.push({ kind: "paragraph", text });
        break;
      }
      case "text:list":
        readList(node, 0, out);
        break;
      case "table:table": {
        const block = readTable(node);
        if (block) out.push(block);
        break;
      }
      case "text:section":
      case "text:change-start":
        readText(node, out);
        break;
    }
  }
}

/** The outline of an .odt file. */
export function readOdt(bytes: Uint8Array): Outline {
  const files = readZipEntries(bytes, ["content.xml", "meta.xml"]);
  const content = files.get("content.xml");
  if (!content) throw new MarkupError(say("library.markup_odt_no_content"));
  const body = findFirst(parseXml(content), "office:text");
  if (!body) throw new MarkupError(say("library.markup_odt_not_text"));
  const blocks: OutlineBlock[] = [];
  readText(body, blocks);
  const meta = files.get("meta.xml");
  const titleElement = meta ? findFirst(parseXml(meta), "dc:title") : undefined;
  const title = titleElement ? cleanText(inlineText(titleElement)) : "";
  return { title: title || null, blocks };
}
