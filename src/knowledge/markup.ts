// The two libraries behind .docx, .odt and .html: fflate opens the zip container of office
// files, htmlparser2 parses their XML (xmlMode) and HTML pages into one DOM shape (domhandler).
import { type ChildNode, type Document, type Element, isTag, isText } from "domhandler";
import { strFromU8, unzipSync } from "fflate";
import { parseDocument } from "htmlparser2";
import { say } from "../prompts.js";

/** A zip entry larger than this is refused unread: an office file's XML is never that big. */
const MAX_ENTRY_BYTES = 200 * 1024 * 1024;

export class MarkupError extends Error {
  override readonly name = "MarkupError";
}

/** The named entries of a zip container, as UTF-8 text; absent entries are missing. */
export function readZipEntries(bytes: Uint8Array, names: string[]): Map<string, string> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        if (!names.includes(file.name)) return false;
        if (file.originalSize > MAX_ENTRY_BYTES)
          throw new MarkupError(say("library.markup_entry_too_large", { entry: file.name }));
        return true;
      },
    });
  } catch (error) {
    if (error instanceof MarkupError) throw error;
    throw new MarkupError(say("library.markup_zip_invalid", { detail: (error as Error).message }));
  }
  const out = new Map<string, string>();
  for (const [name, data] of Object.entries(files)) out.set(name, strFromU8(data));
  return out;
}

export function parseXml(text: string): Document {
  return parseDocument(text, { xmlMode: true, decodeEntities: true });
}

export function parseHtml(text: string): Document {
  return parseDocument(text, { decodeEntities: true, lowerCaseTags: true });
}

/** Direct children that are elements, optionally only those named `name`. */
export function elements(node: { children: ChildNode[] }, name?: string): Element[] {
  return node.children.filter(
    (child): child is Element => isTag(child) && (name === undefined || child.name === name),
  );
}

/** The first element named `name` at any depth under `node`, in document order. */
export function findFirst(node: { children: ChildNode[] }, name: string): Element | undefined {
  for (const child of node.children) {
    if (!isTag(child)) continue;
    if (child.name === name) return child;
    const found = findFirst(child, name);
    if (found) return found;
  }
  return undefined;
}

/** Every element named `name` at any depth, in document order (not inside another match). */
export function findAll(node: { children: ChildNode[] }, name: string, out: Element[] = []) {
  for (const child of node.children) {
    if (!isTag(child)) continue;
    if (child.name === name) out.push(child);
    else findAll(child, name, out);
  }
  return out;
}

/** Concatenated text of a node; `skip` names elements whose text is left out. */
export function textContent(node: ChildNode, skip: ReadonlySet<string> = new Set()): string {
  if (isText(node)) return node.data;
  if (!isTag(node) || skip.has(node.name)) return "";
  return node.children.map((child) => textContent(child, skip)).join("");
}

export { type ChildNode, type Element, isTag, isText };
