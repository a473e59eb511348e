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
  const lines = text.split("\n");
  // Top-level keys start in the first column; `documents:` must be the last and open a block.
  let at = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (/^[^\s#-]/.test(line)) at = /^documents\s*:\s*(#.*)?$/.test(line) ? i : -2;
    if (/^(---|\.\.\.)/.test(line)) return undefined;
  }
  if (at < 0) return undefined;
  // The entries' indentation, as the existing ones are written; none yet: two spaces.
  let indent = "  ";
  for (const line of lines.slice(at + 1)) {
    const item = /^(\s*)- /.exec(line);
    if (item) {
      indent = item[1] ?? "";
      break;
    }
    // Anything else than comments and blank lines before the first item: not a plain list.
    if (line.trim() !== "" && !line.trim().startsWith("#")) return undefined;
  }
  if (/\t/.test(indent)) return undefined;
  const entries = yaml()
    .stringify(added.map(entryOf), { lineWidth: 0 })
    .trimEnd()
    .split("\n")
    .map((line) => `${indent}${line}`);
  return `${text.replace(/\n*$/, "\n")}${entries.join("\n")}\n`;
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

export function writeManifestFile(file: ManifestFile, documents: DocumentMeta[]): void {
  const appended =
    file.exists && onlyAppended(file.manifest.documents, documents)
      ? appendToManifest(
          readFileSync(file.path, "utf8"),
          documents.slice(file.manifest.documents.length),
        )
      : undefined;
  writeAtomically(file.path, appended ?? renderManifest(file, documents));
  rememberManifest(dirname(file.path), { ...file.manifest, documents });
}

export function manifestExists(dir: string): boolean {
  return manifestNames.some((name) => existsSync(join(dir, name)));
}
