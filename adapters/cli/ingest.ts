// `sportello ingest [paths…]`: adds documents to the knowledge folder (copied under documents/
// and listed in the manifest) and rebuilds the index, with progress on stderr. A file that cannot
// be read is reported and left out; the index in use is replaced only once the new one is whole.
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
} from "node:fs";
import { basename, extname, join, relative, resolve } from "node:path";
import { parseDocument } from "yaml";
import { type OpenedEngine, openEngine, writeFileAtomically } from "../../src/answer/open.js";
import { SportelloError } from "../../src/errors.js";
import {
  findManifest,
  inferMeta,
  isSupportedFile,
  loadDocument,
  loadManifest,
  readDocumentLines,
} from "../../src/knowledge/index.js";
import { type DocumentMeta, documentMetaSchema } from "../../src/knowledge/types.js";
import { say } from "../../src/prompts.js";

export interface IngestOptions {
  knowledgeDir: string;
  cacheDir: string;
  paths: string[];
  /** Metadata for a single added file; inferred from the text when absent. */
  meta?: Partial<
    Pick<DocumentMeta, "title" | "shortTitle" | "kind" | "region" | "date" | "origin">
  >;
  log: (line: string) => void;
  progress: (line: string, final: boolean) => void;
}

/** Files named on the command line; a folder stands for the documents directly inside it. */
function expandPaths(paths: string[]): string[] {
  return paths.flatMap((path) =>
    existsSync(path) && statSync(path).isDirectory()
      ? readdirSync(path)
          .sort()
          .filter((name) => isSupportedFile(name))
          .map((name) => join(path, name))
      : [path],
  );
}

/** Validates and copies new documents into the knowledge folder, then updates the manifest. */
async function addDocuments(options: IngestOptions): Promise<{ added: string[]; failed: number }> {
  const { knowledgeDir, log } = options;
  const manifestPath = findManifest(knowledgeDir);
  const manifest = manifestPath ? loadManifest(knowledgeDir) : null;
  const usedIds = new Set(manifest?.documents.map((d) => d.id) ?? []);
  const added: DocumentMeta[] = [];
  const copies: Array<{ from: string; to: string }> = [];
  let failed = 0;
  const files = expandPaths(options.paths);
  for (const file of files) {
    try {
      // A link is refused rather than followed: `ingest` of a link to /etc/passwd must not copy
      // the system's accounts into the corpus.
      if (existsSync(file) && lstatSync(file).isSymbolicLink()) {
        throw new SportelloError(
          "DOCUMENT_UNREADABLE",
          say("ingest.document_unreadable", {
            file: basename(file),
            reason: say("ingest.reason_symlink"),
          }),
        );
      }
      const lines = await readDocumentLines(file);
      const inferred = inferMeta(file, lines);
      let id = inferred.id;
      for (let n = 2; usedIds.has(id); n++) id = `${inferred.id}-${n}`;
      const target = join("documents", `${id}${extname(file).toLowerCase()}`);
      const meta = documentMetaSchema.parse({
        ...inferred,
        ...(files.length === 1 ? options.meta : {}),
        id,
        file: target,
        origin: options.meta?.origin ?? basename(file),
      });
      // Segmenting now proves the file yields passages before anything is copied.
      await loadDocument(file, meta);
      usedIds.add(id);
      added.push(meta);
      copies.push({ from: file, to: join(knowledgeDir, target) });
    } catch (error) {
      failed++;
      log(
        error instanceof SportelloError
          ? error.message
          : say("cli.ingest_failed", { file: basename(file), reason: String(error) }),
      );
    }
  }
  mkdirSync(join(knowledgeDir, "documents"), { recursive: true });
  for (const copy of copies) copyFileSync(copy.from, copy.to);
  if (manifestPath && added.length > 0) {
    // Edit the YAML document rather than re-serialising it, so trainers' comments survive.
    const doc = parseDocument(readFileSync(manifestPath, "utf8"));
    for (const meta of added) doc.addIn(["documents"], doc.createNode(meta));
    writeFileAtomically(manifestPath, doc.toString());
  }
  return {
    added: added.map((m) => `${m.id} (${relative(knowledgeDir, join(knowledgeDir, m.file))})`),
    failed,
  };
}

export async function runIngest(options: IngestOptions): Promise<OpenedEngine> {
  const knowledgeDir = resolve(options.knowledgeDir);
  if (options.paths.length > 0) {
    const { added, failed } = await addDocuments({ ...options, knowledgeDir });
    for (const entry of added) options.log(say("cli.ingest_added", { document: entry }));
    if (added.length === 0 && failed > 0) {
      throw new SportelloError("DOCUMENT_UNREADABLE", say("cli.ingest_nothing_added"));
    }
  }
  const opened = await openEngine({
    knowledgeDir,
    cacheDir: options.cacheDir,
    rebuild: true,
    onProgress: (done, total, file) =>
      options.progress(say("ingest.progress", { done, total, file }), done === total),
    onError: (error) => options.log(error.message),
  });
  options.log(
    say("cli.ingest_done", {
      documents: opened.corpus.documents.length,
      passages: opened.corpus.passages.length,
      skipped: opened.errors.length,
      seconds: ((opened.timings.ingestMs + opened.timings.buildMs) / 1000).toFixed(1),
    }),
  );
  return opened;
}
