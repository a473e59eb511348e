// The knowledge folder's manifest as a file the library edits: read (an absent file is an empty
// manifest), changed through the YAML document so trainers' comments survive, and written
// atomically (temporary file, then rename), so a reader sees the old manifest or the new one.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Document, Node, YAMLSeq } from "yaml";
import {
  findManifest,
  loadManifest,
  manifestNames,
  rememberManifest,
} from "../knowledge/manifest.js";
import type { DocumentMeta, Manifest } from "../knowledge/types.js";
import { yaml } from "../yaml.js";

/** Writes `content` to `path` through a temporary file renamed over it. */
export function writeAtomically(path: string, content: string | Uint8Array): void {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

export interface ManifestFile {
  path: string;
  /** False when the folder had no manifest: the first write creates it. */
  exists: boolean;
  manifest: Manifest;
}

export function readManifestFile(dir: string): ManifestFile {
  const found = findManifest(dir);
  if (!found) {
    return {
      path: join(dir, manifestNames[0]),
      exists: false,
      manifest: { version: 1, documents: [] },
    };
  }
  return { path: found, exists: true, manifest: loadManifest(dir) };
}

const header = `# Documents of this knowledge folder: edit with \`sportello ingest\`, \`sportello remove\`
# and \`sportello documents edit\`, or by hand (kinds and fields: see the README).
`;

/** The YAML document of `file`, with `documents` as a sequence to edit. */
function yamlOf(file: ManifestFile): Document {
  const text = file.exists ? readFileSync(file.path, "utf8") : "";
  const doc = yaml().parseDocument(text.trim() ? text : `${header}version: 1\ndocuments: []\n`);
  if (!doc.has("version")) doc.set("version", 1);
  const documents = doc.get("documents");
  if (documents === null || documents === undefined) doc.set("documents", doc.createNode([]));
  return doc;
}

/** Plain YAML values: no undefined fields in the file. */
function entryOf(meta: DocumentMeta): Record<string, unknown> {
  return Object.fromEntries(Object.entries(meta).filter(([, value]) => value !== undefined));
}

/**
 * The manifest text after putting `documents` in place of the old list. The list is edited in
 * place: unchanged entries keep their YAML node, a changed one keeps the comment above it, and
 * the comments on the list itself stay where they are.
 */
export function renderManifest(file: ManifestFile, documents: DocumentMeta[]): string {
  const doc = yamlOf(file);
  let seq = doc.get("documents", true);
  if (!yaml().isSeq(seq)) {
    seq = doc.createNode([]);
    doc.set("documents", seq);
  }
  const list = seq as YAMLSeq;
  // Block style, one entry under another, as people write the manifest.
  list.flow = false;
  const oldIndex = new Map(file.manifest.documents.map((d, i) => [d.id, i]));
  list.items = documents.map((meta) => {
    const at = oldIndex.get(meta.id);
    const before = at === undefined ? undefined : file.manifest.documents[at];
    const oldNode = at === undefined ? undefined : (list.items[at] as Node | undefined);
    if (oldNode && before && JSON.stringify(entryOf(before)) === JSON.stringify(entryOf(meta))) {
      return oldNode;
    }
    const node = doc.createNode(entryOf(meta)) as Node;
    if (oldNode?.commentBefore) node.commentBefore = oldNode.commentBefore;
    return node;
  });
  return doc.toString({ lineWidth: 0 });
}

/**
 * The manifest text with `added` appended, when that is all that changes and the file allows it:
 * its `documents` list is in block style and is the last key of the file, so the new entries go
 * at its end without parsing the file again (a thousand entries take a quarter of a second to
 * parse and print). Undefined otherwise: the file is rendered whole.
 */
export function appendToManifest(text: string, added: DocumentMeta[]): string | undefined {
  const list = blockListOf(text);
  if (!list) return undefined;
  const indent = list.indent ?? "  ";
  const entries = yaml()
    .stringify(added.map(entryOf), { lineWidth: 0 })
    .trimEnd()
    .split("\n")
    .map((line) => `${indent}${line}`);
  return `${text.replace(/\n*$/, "\n")}${entries.join("\n")}\n`;
}

/**
 * Where the `documents` block list of a manifest's text is, when it is the file's last key (so it
 * runs to the end): its first line after `documents:` and its entries' indentation (undefined
 * with no entry yet). Undefined for any other shape.
 */
function blockListOf(
  text: string,
): { lines: string[]; start: number; indent?: string } | undefined {
  const lines = text.split("\n");
  // Top-level keys start in the first column; `documents:` must be the last and open a block.
  let at = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (/^[^\s#-]/.test(line)) at = /^documents\s*:\s*(#.*)?$/.test(line) ? i : -2;
    if (/^(---|\.\.\.)/.test(line)) return undefined;
  }
  if (at < 0) return undefined;
  for (const line of lines.slice(at + 1)) {
    const item = /^(\s*)- /.exec(line);
    if (item) {
      const indent = item[1] ?? "";
      return /\t/.test(indent) ? undefined : { lines, start: at + 1, indent };
    }
    // Anything else than comments and blank lines before the first item: not a plain list.
    if (line.trim() !== "" && !line.trim().startsWith("#")) return undefined;
  }
  return { lines, start: at + 1 };
}

/**
 * The manifest text without the entry of `removed`, cut out of the text when the file allows it
 * (see `blockListOf`) and the lines cut read back as exactly that entry; undefined otherwise. The
 * comment lines after the entry stay: they introduce the next one.
 */
export function removeFromManifest(text: string, removed: DocumentMeta): string | undefined {
  const list = blockListOf(text);
  if (!list || list.indent === undefined) return undefined;
  const { lines, indent } = list;
  const isItem = (line: string) => line.startsWith(`${indent}- `) || line === `${indent}-`;
  const isAside = (line: string) => line.trim() === "" || line.trim().startsWith("#");
  for (let first = list.start; first < lines.length; first++) {
    if (!isItem(lines[first] ?? "")) continue;
    let end = first + 1;
    while (end < lines.length && !isItem(lines[end] ?? "")) end++;
    // Trailing comments and blank lines belong to what follows.
    let last = end;
    while (last > first + 1 && isAside(lines[last - 1] ?? "")) last--;
    const chunk = lines.slice(first, last).map((line) => line.slice(indent.length));
    let entries: unknown;
    try {
      entries = yaml().parse(chunk.join("\n"));
    } catch {
      return undefined;
    }
    const entry = Array.isArray(entries) && entries.length === 1 ? entries[0] : undefined;
    const id = (entry as { id?: unknown } | undefined)?.id;
    if (id !== removed.id) continue;
    // The lines cut must read back as that very entry (in any key order), or nothing is cut.
    const canonical = (value: object) => JSON.stringify(value, Object.keys(value).sort());
    if (canonical(entry as object) !== canonical(entryOf(removed))) return undefined;
    return [...lines.slice(0, first), ...lines.slice(last)].join("\n");
  }
  return undefined;
}

/** True when `documents` is `before` with entries added at its end, the others untouched. */
function onlyAppended(before: DocumentMeta[], documents: DocumentMeta[]): boolean {
  return (
    documents.length > before.length &&
    before.every(
      (meta, i) => JSON.stringify(entryOf(meta)) === JSON.stringify(entryOf(documents[i] ?? meta)),
    )
  );
}

/** The one entry of `before` missing from `documents`, when nothing else changed. */
function onlyRemoved(before: DocumentMeta[], documents: DocumentMeta[]): DocumentMeta | undefined {
  if (documents.length !== before.length - 1) return undefined;
  const at = before.findIndex((meta, i) => meta.id !== documents[i]?.id);
  const removed = before[at < 0 ? before.length - 1 : at];
  const rest = before.filter((meta) => meta !== removed);
  const same = rest.every(
    (meta, i) => JSON.stringify(entryOf(meta)) === JSON.stringify(entryOf(documents[i] ?? meta)),
  );
  return same ? removed : undefined;
}

/**
 * Adding or removing one document edits the text where it can (see `appendToManifest` and
 * `removeFromManifest`): parsing and printing a manifest of a thousand entries takes a quarter of
 * a second. Anything else is rendered whole.
 */
function editedText(file: ManifestFile, documents: DocumentMeta[]): string | undefined {
  if (!file.exists) return undefined;
  const before = file.manifest.documents;
  if (onlyAppended(before, documents)) {
    return appendToManifest(readFileSync(file.path, "utf8"), documents.slice(before.length));
  }
  const removed = onlyRemoved(before, documents);
  return removed && removeFromManifest(readFileSync(file.path, "utf8"), removed);
}

export function writeManifestFile(file: ManifestFile, documents: DocumentMeta[]): void {
  writeAtomically(file.path, editedText(file, documents) ?? renderManifest(file, documents));
  rememberManifest(dirname(file.path), { ...file.manifest, documents });
}

export function manifestExists(dir: string): boolean {
  return manifestNames.some((name) => existsSync(join(dir, name)));
}
