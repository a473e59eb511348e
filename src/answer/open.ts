// Opens an answer engine on a knowledge folder: reuses the index cached on disk when it matches,
// brings it up to date document by document when only some documents changed, otherwise ingests
// and builds a new one. The lunr engine's cache is one JSON file written atomically and checked
// by length and hash; the on-disk engine keeps its own folder. A cache that cannot be written
// (full or read-only disk) leaves the engine answering from memory with one warning.
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, join, resolve } from "node:path";
import * as z from "zod";
import { SportelloError } from "../errors.js";
import {
  findManifest,
  fingerprintKnowledge,
  INGEST_VERSION,
  type LoadedKnowledge,
  listFaqFiles,
  loadDocument,
  loadKnowledge,
  loadManifest,
  loadPassagesJsonl,
} from "../knowledge/index.js";
import type {
  Corpus,
  DocumentMeta,
  Faq,
  LoadedDocument,
  Passage,
  PublishedFaq,
} from "../knowledge/types.js";
import { say } from "../prompts.js";
import { ANALYSIS_VERSION } from "../search/analysis.js";
import { DiskSearchIndex } from "../search/disk-index.js";
import { INDEX_FORMAT_VERSION, SearchIndex } from "../search/index.js";
import {
  chooseEngine,
  IndexFormatError,
  type SearchEngineChoice,
  type SearchEngineName,
} from "../search/port.js";
import { Thesaurus } from "../search/thesaurus.js";
import type { CalibrationModel } from "./confidence.js";
import { createEngine, type Engine, type FaqIndexStore, searchDocumentsOf } from "./engine.js";

export interface OpenEngineOptions {
  /** The knowledge folder (manifest, documents, faq/, thesaurus.yaml). */
  knowledgeDir: string;
  /**
   * Answer from another corpus instead: a folder of documents, or a JSONL file of
   * `{"id","title","text"}` passages. The knowledge folder's thesaurus still applies.
   */
  corpusPath?: string;
  /** Where the built index is cached; none when undefined. */
  cacheDir?: string;
  /** Rebuild even when the cache matches. */
  rebuild?: boolean;
  /** Search engine: lunr, disk, or auto (the default: disk, see `chooseEngine`). */
  engine?: SearchEngineChoice;
  onProgress?(done: number, total: number, file: string): void;
  onError?(error: SportelloError): void;
  /** Problems that do not stop the engine (a cache that cannot be written); default stderr. */
  onWarning?(message: string): void;
  calibration?: CalibrationModel;
}

export interface OpenedEngine {
  engine: Engine;
  corpus: Corpus;
  /** FAQ read from the knowledge folder's faq/ (published as version 1). */
  fileFaqs: Faq[];
  /** Documents or FAQ files skipped while ingesting. */
  errors: SportelloError[];
  /** True when the index came from the cache unchanged. */
  cached: boolean;
  timings: { ingestMs: number; buildMs: number; loadMs: number };
  /**
   * Brings the engine up to date with the knowledge folder: documents added, changed or removed
   * since it was opened are applied one by one (no rebuild of the rest) and the cache updated.
   * Returns what changed; cheap when nothing did.
   */
  refresh(): Promise<{ added: string[]; removed: string[] }>;
}

/** 3: the fingerprint combines the documents' hashes, each file's bytes hashed once (`files`). */
const CACHE_FORMAT = 3;

const cacheSchema = z.object({
  format: z.literal(CACHE_FORMAT),
  ingestVersion: z.literal(INGEST_VERSION),
  analysisVersion: z.literal(ANALYSIS_VERSION),
  indexVersion: z.literal(INDEX_FORMAT_VERSION),
  fingerprint: z.string(),
  /** Hash of each document's manifest entry and bytes, for updates document by document. */
  documentHashes: z.record(z.string(), z.string()),
  /** Hash of the thesaurus and FAQ files: when they change, everything is rebuilt. */
  extrasHash: z.string(),
  /** See `FileHashes`. */
  files: z.record(z.string(), z.string()).optional(),
  /** See `statSignatureOf`. */
  statSignature: z.string().optional(),
  /** The parsed thesaurus (see ThesaurusSource). */
  thesaurus: z.unknown().optional(),
  documents: z.array(z.custom<DocumentMeta>()),
  passages: z.array(z.custom<Passage>()),
  faqs: z.array(z.custom<Faq>()),
  index: z.unknown(),
});

const diskCacheSchema = cacheSchema.omit({ passages: true, index: true, indexVersion: true });

/** The cache file: `{"integrity":{…},"body":<JSON>}`, so truncation of the body is detected. */
const INTEGRITY_PREFIX = '{"integrity":';
const BODY_KEY = ',"body":';

export function publishFileFaqs(faqs: Faq[]): PublishedFaq[] {
  return faqs.map((faq) => ({ ...faq, version: 1 }));
}

/**
 * The knowledge folder's thesaurus, parsed from YAML only when the cache does not hold it already
 * parsed for the same bytes (a start that loads a cached index parses no YAML).
 */
class ThesaurusSource {
  private readonly path: string;
  private readonly hash: string;
  private thesaurus: Thesaurus | undefined;

  constructor(knowledgeDir: string) {
    this.path = join(knowledgeDir, "thesaurus.yaml");
    this.hash = existsSync(this.path)
      ? createHash("sha256")
          .update(`${ANALYSIS_VERSION}\u0000`)
          .update(readFileSync(this.path))
          .digest("hex")
          .slice(0, 16)
      : "none";
  }

  /** Takes the thesaurus from a cache entry written by `toCache` for the same file. */
  adopt(cached: unknown): void {
    if (this.thesaurus) return;
    const entry = cached as { hash?: unknown; rules?: unknown } | undefined;
    if (entry?.hash === this.hash) this.thesaurus = Thesaurus.fromJSON(entry.rules);
  }

  get(): Thesaurus {
    this.thesaurus ??= existsSync(this.path) ? Thesaurus.load(this.path) : Thesaurus.empty();
    return this.thesaurus;
  }

  toCache(): { hash: string; rules: unknown } {
    return { hash: this.hash, rules: this.get().toJSON() };
  }
}

/**
 * Sizes and modification times of everything the fingerprint reads: when none changed since the
 * cache was written, the cache's fingerprint stands and no document is read or hashed.
 */
function statSignatureOf(options: OpenEngineOptions, documents: DocumentMeta[]): string {
  const source = options.corpusPath ?? options.knowledgeDir;
  const stamp = (path: string) => {
    try {
      const stat = statSync(path);
      return `${path}:${stat.size}:${stat.mtimeMs}:${stat.ino}`;
    } catch {
      return `${path}:missing`;
    }
  };
  const parts = [stamp(source), stamp(join(options.knowledgeDir, "thesaurus.yaml"))];
  if (statSync(source).isDirectory()) {
    for (const folder of [source, join(source, "documents"), join(source, "faq")]) {
      parts.push(stamp(folder));
      if (!existsSync(folder)) continue;
      for (const name of readdirSync(folder).sort()) parts.push(stamp(join(folder, name)));
    }
    for (const document of documents) parts.push(stamp(join(source, document.file)));
  }
  return createHash("sha256").update(parts.join("\n")).digest("hex").slice(0, 16);
}

/**
 * The fingerprint of a knowledge folder as the index cache records it (what the log stores with
 * every answer): after a change, only the changed documents are read.
 */
export function knowledgeFingerprint(knowledgeDir: string): string {
  return fingerprintOf({ knowledgeDir });
}

function fingerprintOf(options: OpenEngineOptions, known?: FileHashes): string {
  const thesaurusPath = join(options.knowledgeDir, "thesaurus.yaml");
  if (options.corpusPath && statSync(options.corpusPath).isFile()) {
    const hash = createHash("sha256");
    hash.update(`sportello-jsonl-${INGEST_VERSION}`);
    hash.update(readFileSync(options.corpusPath));
    if (existsSync(thesaurusPath)) hash.update(readFileSync(thesaurusPath));
    return hash.digest("hex").slice(0, 16);
  }
  const source = options.corpusPath ?? options.knowledgeDir;
  const hashes = documentHashesOf(source, known);
  if (hashes) return combinedFingerprint(hashes, extrasHashOf(options));
  return fingerprintKnowledge(source, { thesaurusPath });
}

/**
 * Each document file's stamp (size, modification time, inode) and the hash of its bytes, as
 * `stamp|hash`: a file whose stamp is the one recorded is not read again, so finding what changed
 * in a folder of many documents costs a stat per document plus the reading of the changed ones.
 */
type FileHashes = Record<string, string>;

/** The files this process hashed or read a record of, by path: a long-running service hashes
 * a document again only when its stamp changed. */
const hashedFiles = new Map<string, string>();

function fileStamp(path: string): string | undefined {
  try {
    const stat = statSync(path);
    return `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
  } catch {
    return undefined;
  }
}

interface DocumentHashes {
  documents: Map<string, { meta: DocumentMeta; hash: string }>;
  files: FileHashes;
}

/**
 * Each manifest document's hash (its entry and its bytes), or null when the folder has no valid
 * manifest (then any change rebuilds everything). `known` spares reading unchanged files.
 */
function documentHashesOf(dir: string, known: FileHashes = {}): DocumentHashes | null {
  if (!existsSync(dir) || !statSync(dir).isDirectory() || !findManifest(dir)) return null;
  let manifest: DocumentMeta[];
  try {
    manifest = loadManifest(dir).documents;
  } catch {
    return null;
  }
  const documents = new Map<string, { meta: DocumentMeta; hash: string }>();
  const files: FileHashes = {};
  for (const meta of manifest) {
    const path = join(dir, meta.file);
    const stamp = fileStamp(path);
    let bytes = "\u0000missing";
    if (stamp !== undefined) {
      const recorded = [known[meta.file], hashedFiles.get(path)].find((r) =>
        r?.startsWith(`${stamp}|`),
      );
      bytes =
        recorded?.slice(stamp.length + 1) ??
        createHash("sha256").update(readFileSync(path)).digest("hex").slice(0, 32);
      const entry = `${stamp}|${bytes}`;
      files[meta.file] = entry;
      hashedFiles.set(path, entry);
    }
    const hash = createHash("sha256")
      .update(`${INGEST_VERSION}\u0000${JSON.stringify(meta)}\u0000${bytes}`)
      .digest("hex")
      .slice(0, 16);
    documents.set(meta.id, { meta, hash });
  }
  return { documents, files };
}

/** The fingerprint of a folder with a manifest: its documents' hashes in order, and the extras. */
function combinedFingerprint(hashes: DocumentHashes, extrasHash: string): string {
  const hash = createHash("sha256").update(`sportello-ingest-${INGEST_VERSION}\u0000${extrasHash}`);
  for (const [id, { hash: document }] of hashes.documents) hash.update(`\u0000${id}:${document}`);
  return hash.digest("hex").slice(0, 16);
}

/** The thesaurus and the FAQ files, which an update document by document does not cover. */
function extrasHashOf(options: OpenEngineOptions): string {
  const hash = createHash("sha256");
  const thesaurus = join(options.knowledgeDir, "thesaurus.yaml");
  if (existsSync(thesaurus)) hash.update(readFileSync(thesaurus));
  const source = options.corpusPath ?? options.knowledgeDir;
  const faqDir = join(source, "faq");
  if (existsSync(faqDir) && statSync(faqDir).isDirectory()) {
    for (const name of listFaqFiles(faqDir)) {
      hash.update(`\u0000${name}\u0000`);
      hash.update(readFileSync(join(faqDir, name)));
    }
  }
  return hash.digest("hex").slice(0, 16);
}

function cacheKey(source: string): string {
  const key = createHash("sha256").update(resolve(source)).digest("hex").slice(0, 12);
  return `index-${basename(source).replace(/[^\w.-]+/g, "_")}-${key}`;
}

/** Writes `content` next to `path` and renames it over: readers see the old or the new file. */
export function writeFileAtomically(path: string, content: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (error) {
    // A full or read-only disk must not leave a half-written temporary file behind.
    rmSync(temporary, { force: true });
    throw error;
  }
}

function encodeCache(body: string): string {
  const integrity = {
    length: Buffer.byteLength(body),
    sha256: createHash("sha256").update(body).digest("hex"),
  };
  return `${INTEGRITY_PREFIX}${JSON.stringify(integrity)}${BODY_KEY}${body}}`;
}

/**
 * The cache's body when its length and hash match; undefined for a damaged or truncated file.
 * Checked on the file's bytes, so that only the body is decoded, once.
 */
function decodeCache(bytes: Buffer): unknown {
  const prefix = Buffer.from(INTEGRITY_PREFIX);
  if (!bytes.subarray(0, prefix.length).equals(prefix) || bytes.at(-1) !== 0x7d) return undefined;
  const split = bytes.indexOf(BODY_KEY);
  if (split < 0) return undefined;
  let integrity: { length?: unknown; sha256?: unknown };
  try {
    integrity = JSON.parse(bytes.toString("utf8", prefix.length, split));
  } catch {
    return undefined;
  }
  const body = bytes.subarray(split + BODY_KEY.length, -1);
  if (
    integrity.length !== body.length ||
    integrity.sha256 !== createHash("sha256").update(body).digest("hex")
  ) {
    return undefined;
  }
  return JSON.parse(body.toString("utf8"));
}

/**
 * The FAQ index, kept in one file next to the passage index as `{"key":…,"index":…}` and written
 * over when the published FAQ change. Not written, it is only built again at the next start (the
 * passage index's cache, in the same folder, has said why already).
 */
function faqIndexFile(path: string | undefined): FaqIndexStore | undefined {
  if (!path) return undefined;
  return {
    read(key) {
      try {
        const saved = JSON.parse(readFileSync(path, "utf8")) as { key?: unknown; index?: unknown };
        return saved.key === key ? saved.index : undefined;
      } catch {
        return undefined;
      }
    },
    write(key, index) {
      try {
        writeFileAtomically(path, JSON.stringify({ key, index }));
      } catch {
        // Built again next time: slower, never wrong.
      }
    },
  };
}

/** Warnings about the cache are said once per process and folder, not at every refresh. */
const warned = new Set<string>();

function cacheUnwritable(options: OpenEngineOptions, path: string, error: unknown): void {
  if (warned.has(path)) return;
  warned.add(path);
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === "ENOSPC"
      ? say("cli.cache_reason_full")
      : code === "EROFS" || code === "EACCES" || code === "EPERM"
        ? say("cli.cache_reason_readonly")
        : (error as Error).message;
  const message = say("cli.cache_unwritable", { path, reason });
  if (options.onWarning) options.onWarning(message);
  else process.stderr.write(`${message}\n`);
}

async function ingest(options: OpenEngineOptions): Promise<LoadedKnowledge> {
  const source = options.corpusPath ?? options.knowledgeDir;
  if (statSync(source).isFile()) {
    const documents = loadPassagesJsonl(source);
    options.onProgress?.(1, 1, basename(source));
    return { documents, errors: [], warnings: [], faqs: [] };
  }
  return loadKnowledge(source, {
    onProgress: options.onProgress,
    onError: options.onError,
    // A document loaded without its scanned pages is said the same way, but not counted skipped.
    onWarning: options.onError,
  });
}

/** What a cache holds besides the index. */
interface CachedKnowledge {
  fingerprint: string;
  documentHashes: Record<string, string>;
  extrasHash: string;
  files?: FileHashes;
  statSignature?: string;
  thesaurus?: unknown;
  documents: DocumentMeta[];
  faqs: Faq[];
}

interface Opened {
  engine: Engine;
  corpus: Corpus;
  knowledge: CachedKnowledge;
}

/** The corpus a cache holds: its documents and fingerprint, with the passages read back. */
function corpusOf(cached: CachedKnowledge, passages: Passage[]): Corpus {
  return { documents: cached.documents, passages, fingerprint: cached.fingerprint };
}

/** What either cache gives once its index is open: the engine and the state it was built from. */
function openedFromCache(
  cached: CachedKnowledge,
  corpus: Corpus,
  index: Parameters<MakeEngine>[1],
  makeEngine: MakeEngine,
): Opened {
  return {
    engine: makeEngine(corpus, index, cached.faqs),
    corpus,
    knowledge: knowledgeOf(cached),
  };
}

/** The record of a cache's knowledge, without what else the cache holds. */
function knowledgeOf(cached: CachedKnowledge): CachedKnowledge {
  const { fingerprint, documentHashes, extrasHash, files, statSignature, documents, faqs } = cached;
  return { fingerprint, documentHashes, extrasHash, files, statSignature, documents, faqs };
}

function hashRecord(hashes: DocumentHashes | null): Record<string, string> {
  return Object.fromEntries([...(hashes?.documents ?? [])].map(([id, { hash }]) => [id, hash]));
}

/** One engine's cache: read, written whole, or updated after a change. */
interface CacheBackend {
  read(): Opened | undefined;
  write(opened: Opened, passages: Passage[]): void;
  /** After `applyDocumentChanges`: record the new state. */
  update(opened: Opened): void;
  /**
   * Takes in what another process (`sportello ingest`) already wrote to the cache since it was
   * read: documents added or removed there. Only the disk engine's cache is shared that way.
   */
  catchUp(opened: Opened): { added: string[]; removed: string[] };
}

export async function openEngine(options: OpenEngineOptions): Promise<OpenedEngine> {
  const source = options.corpusPath ?? options.knowledgeDir;
  if (!existsSync(source)) {
    throw new SportelloError("KNOWLEDGE_INVALID", say("cli.knowledge_missing", { path: source }));
  }
  const thesaurus = new ThesaurusSource(options.knowledgeDir);
  let currentFingerprint: string | undefined;
  const fingerprintNow = () => {
    currentFingerprint ??= fingerprintOf(options, opened?.knowledge.files);
    return currentFingerprint;
  };
  const choice = options.engine ?? "auto";
  const key = options.cacheDir ? join(options.cacheDir, cacheKey(source)) : undefined;
  const makeEngine = (corpus: Corpus, index: SearchIndex | DiskSearchIndex, faqs: Faq[]) =>
    createEngine({
      corpus,
      thesaurus: thesaurus.get(),
      index,
      faqs: publishFileFaqs(faqs),
      calibration: options.calibration,
      faqIndexStore: faqIndexFile(key && `${key}.faq.json`),
      buildIndex:
        index instanceof DiskSearchIndex
          ? (units) =>
              DiskSearchIndex.build(units, {
                dir: key && `${key}.disk`,
                thesaurus: thesaurus.get(),
              })
          : undefined,
    });

  const backends: Record<SearchEngineName, CacheBackend> = {
    lunr: lunrCache(key && `${key}.json`, options, thesaurus, makeEngine),
    disk: diskCache(key && `${key}.disk`, options, thesaurus, makeEngine),
  };

  const started = performance.now();
  let opened: Opened | undefined;
  let engineName: SearchEngineName | undefined;
  if (!options.rebuild) {
    const name = chooseEngine(choice);
    opened = backends[name].read();
    if (opened) engineName = name;
  }
  const refresh = async () => {
    const none = { added: [], removed: [] };
    if (!opened || !engineName) return none;
    return (await refreshFrom(opened, backends[engineName], options)) ?? none;
  };

  if (opened && engineName) {
    const loadMs = performance.now() - started;
    const current = opened;
    const unchanged =
      current.knowledge.statSignature !== undefined &&
      current.knowledge.statSignature === statSignatureOf(options, current.knowledge.documents);
    if (unchanged || current.knowledge.fingerprint === fingerprintNow()) {
      return result(current, [], true, { ingestMs: 0, buildMs: 0, loadMs }, refresh);
    }
    // Some documents changed: bring the cached index up to date document by document.
    const changed = await refreshFrom(current, backends[engineName], options, {
      fingerprint: fingerprintNow(),
      strict: true,
    });
    if (changed) {
      return result(current, [], false, { ingestMs: 0, buildMs: 0, loadMs }, refresh);
    }
  }

  const ingestStarted = performance.now();
  const loaded = await ingest(options);
  const ingestMs = performance.now() - ingestStarted;
  const fingerprint = fingerprintNow();
  const corpus: Corpus = {
    documents: loaded.documents.map((d) => d.meta),
    passages: loaded.documents.flatMap((d) => d.passages),
    fingerprint,
  };
  // A folder of FAQ alone is a knowledge base too: the FAQ answer, documents can come later. So
  // is a manifest that lists no document yet: every question is declined politely. Documents
  // listed and none readable is a fault.
  const nothingListed = loaded.documents.length === 0 && loaded.errors.length === 0;
  const emptyManifest = nothingListed && findManifest(source) !== undefined;
  if (corpus.passages.length === 0 && loaded.faqs.length === 0 && !emptyManifest) {
    throw new SportelloError(
      "KNOWLEDGE_INVALID",
      say("cli.knowledge_unreadable", { path: source }),
    );
  }
  const buildStarted = performance.now();
  engineName = chooseEngine(choice);
  const hashes = documentHashesOf(source);
  const knowledge: CachedKnowledge = {
    fingerprint,
    documentHashes: hashRecord(hashes),
    files: hashes?.files ?? {},
    extrasHash: extrasHashOf(options),
    documents: corpus.documents,
    faqs: loaded.faqs,
  };
  let index: SearchIndex | DiskSearchIndex;
  if (engineName === "disk") {
    const dir = key && `${key}.disk`;
    try {
      index = DiskSearchIndex.build(searchDocumentsOf(corpus, { payload: true }), {
        dir,
        thesaurus: thesaurus.get(),
      });
    } catch (error) {
      if (!dir || !isWriteFailure(error)) throw error;
      cacheUnwritable(options, dir, error);
      index = DiskSearchIndex.build(searchDocumentsOf(corpus), { thesaurus: thesaurus.get() });
    }
  } else {
    index = SearchIndex.build(searchDocumentsOf(corpus), { thesaurus: thesaurus.get() });
  }
  const buildMs = performance.now() - buildStarted;
  opened = { engine: makeEngine(corpus, index, loaded.faqs), corpus, knowledge };
  backends[engineName].write(opened, corpus.passages);
  return result(opened, loaded.errors, false, { ingestMs, buildMs, loadMs: 0 }, refresh);
}

function result(
  opened: Opened,
  errors: SportelloError[],
  cached: boolean,
  timings: OpenedEngine["timings"],
  refresh: OpenedEngine["refresh"],
): OpenedEngine {
  return {
    engine: opened.engine,
    get corpus() {
      return opened.corpus;
    },
    fileFaqs: opened.knowledge.faqs,
    errors,
    cached,
    timings,
    refresh,
  };
}

/** A stale, damaged or truncated cache: rebuilt, never a fault. */
function isDamagedCache(error: unknown): boolean {
  if (error instanceof z.ZodError || error instanceof SyntaxError) return true;
  if (error instanceof IndexFormatError) return true;
  if (error instanceof SportelloError) return error.code === "INDEX_CORRUPT";
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_");
}

function isWriteFailure(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && ["ENOSPC", "EROFS", "EACCES", "EPERM", "EDQUOT", "EIO"].includes(code)) return true;
  // better-sqlite3 reports SQLITE_FULL, SQLITE_READONLY, SQLITE_CANTOPEN … as SqliteError.
  return typeof code === "string" && code.startsWith("SQLITE_");
}

/**
 * Applies the documents that changed in the knowledge folder since `opened` was built, one by
 * one. A document that cannot be read keeps its previous passages (and is retried next time).
 * Null when this cannot be done document by document (no manifest, another corpus, or, with
 * `strict`, a document that cannot be read): the caller ingests everything instead.
 */
async function refreshFrom(
  opened: Opened,
  backend: CacheBackend,
  options: OpenEngineOptions,
  settings: { fingerprint?: string; strict?: boolean } = {},
): Promise<{ added: string[]; removed: string[] } | null> {
  const source = options.corpusPath ?? options.knowledgeDir;
  const caught = backend.catchUp(opened);
  const fingerprint = settings.fingerprint ?? fingerprintOf(options, opened.knowledge.files);
  if (fingerprint === opened.knowledge.fingerprint) return caught;
  const current = documentHashesOf(source, opened.knowledge.files);
  if (!current || extrasHashOf(options) !== opened.knowledge.extrasHash) return null;
  const previous = opened.knowledge.documentHashes;
  const gone = Object.keys(previous).filter((id) => !current.documents.has(id));
  const added: LoadedDocument[] = [];
  for (const { meta, hash } of current.documents.values()) {
    if (previous[meta.id] === hash) continue;
    try {
      added.push(await loadDocument(join(source, meta.file), meta));
    } catch (error) {
      if (!(error instanceof SportelloError)) throw error;
      if (settings.strict) return null;
      options.onError?.(error);
    }
  }
  const replaced = new Set([...gone, ...added.map((d) => d.meta.id)]);
  const passages = [
    ...opened.corpus.passages.filter((p) => !replaced.has(p.documentId)),
    ...added.flatMap((d) => d.passages),
  ];
  // Never swap in an empty corpus, unless the manifest lists no document any more: the previous
  // index stays in use.
  if (passages.length === 0 && current.documents.size > 0) return null;
  opened.engine.applyDocumentChanges({ added, removedDocumentIds: gone, fingerprint });
  const documentHashes: Record<string, string> = {};
  for (const [id, { hash }] of current.documents) {
    if (added.some((d) => d.meta.id === id)) documentHashes[id] = hash;
    else if (previous[id] !== undefined) documentHashes[id] = previous[id];
  }
  opened.corpus = { documents: opened.engine.documents(), passages, fingerprint };
  opened.knowledge = {
    ...opened.knowledge,
    fingerprint,
    documentHashes,
    files: current.files,
    documents: opened.corpus.documents,
  };
  backend.update(opened);
  const addedIds = added.map((d) => d.meta.id);
  return {
    added: [...new Set([...caught.added, ...addedIds])],
    removed: [...new Set([...caught.removed.filter((id) => !addedIds.includes(id)), ...gone])],
  };
}

type MakeEngine = (corpus: Corpus, index: SearchIndex | DiskSearchIndex, faqs: Faq[]) => Engine;

/** The lunr engine's cache: one JSON file with an integrity header. */
function lunrCache(
  file: string | undefined,
  options: OpenEngineOptions,
  thesaurus: ThesaurusSource,
  makeEngine: MakeEngine,
): CacheBackend {
  const write = (opened: Opened, passages: Passage[]) => {
    if (!file || !options.cacheDir) return;
    const index = opened.engine.index;
    if (!(index instanceof SearchIndex)) return;
    try {
      mkdirSync(options.cacheDir, { recursive: true });
      writeFileAtomically(
        file,
        encodeCache(
          JSON.stringify({
            format: CACHE_FORMAT,
            ingestVersion: INGEST_VERSION,
            analysisVersion: ANALYSIS_VERSION,
            indexVersion: INDEX_FORMAT_VERSION,
            ...opened.knowledge,
            statSignature: statSignatureOf(options, opened.knowledge.documents),
            thesaurus: thesaurus.toCache(),
            passages,
            index: index.toJSON(),
          }),
        ),
      );
    } catch (error) {
      if (!isWriteFailure(error)) throw error;
      cacheUnwritable(options, file, error);
    }
  };
  return {
    read() {
      if (!file || !existsSync(file)) return undefined;
      try {
        const cached = cacheSchema.parse(decodeCache(readFileSync(file)));
        const corpus = corpusOf(cached, cached.passages);
        thesaurus.adopt(cached.thesaurus);
        const index = SearchIndex.load(cached.index, {
          thesaurus: thesaurus.get(),
          sources: () => searchDocumentsOf(corpus),
        });
        return openedFromCache(cached, corpus, index, makeEngine);
      } catch (error) {
        // A stale, damaged or truncated cache is rebuilt; anything else is a real fault.
        if (isDamagedCache(error)) return undefined;
        throw error;
      }
    },
    write,
    update: (opened) => write(opened, opened.corpus.passages),
    // One JSON file, replaced whole: what another process wrote is read by the fingerprint path.
    catchUp: () => ({ added: [], removed: [] }),
  };
}

/** The on-disk engine's cache: its own folder (SQLite units with passages, postings snapshot). */
function diskCache(
  dir: string | undefined,
  options: OpenEngineOptions,
  thesaurus: ThesaurusSource,
  makeEngine: MakeEngine,
): CacheBackend {
  const record = (opened: Opened) => {
    const index = opened.engine.index;
    if (!(index instanceof DiskSearchIndex)) return;
    try {
      index.setMeta(
        "knowledge",
        JSON.stringify({
          format: CACHE_FORMAT,
          ingestVersion: INGEST_VERSION,
          analysisVersion: ANALYSIS_VERSION,
          ...opened.knowledge,
          statSignature: statSignatureOf(options, opened.knowledge.documents),
          thesaurus: thesaurus.toCache(),
        }),
      );
    } catch (error) {
      if (!dir || !isWriteFailure(error)) throw error;
      cacheUnwritable(options, dir, error);
    }
  };
  return {
    read() {
      if (!dir || !existsSync(dir)) return undefined;
      let index: DiskSearchIndex | undefined;
      try {
        // Opened once, then its record read from it (peekMeta would open its SQLite file twice).
        index = DiskSearchIndex.open(dir);
        const cached = diskCacheSchema.parse(JSON.parse(index.meta("knowledge") ?? "null"));
        thesaurus.adopt(cached.thesaurus);
        index.useThesaurus(thesaurus.get());
        const passages = Array.from(index.payloads(), parsePassage);
        return openedFromCache(cached, corpusOf(cached, passages), index, makeEngine);
      } catch (error) {
        index?.close();
        if (isDamagedCache(error)) return undefined;
        throw error;
      }
    },
    write: (opened) => record(opened),
    update: (opened) => record(opened),
    catchUp: (opened) => catchUpDisk(opened),
  };
}

/** A passage stored as a disk index unit's payload. */
const parsePassage = (payload: string) => JSON.parse(payload) as Passage;

/** Passages stored as the disk index's payloads. */
function passagesOf(units: Iterable<{ payload: string | null }>): Passage[] {
  const passages: Passage[] = [];
  for (const unit of units) if (unit.payload) passages.push(parsePassage(unit.payload));
  return passages;
}

/**
 * The disk engine's side of `CacheBackend.catchUp`: the units `sportello ingest` (another
 * process) wrote to the shared index folder are replayed into this process's index, and the
 * engine takes their passages as they are, with the record of the knowledge written with them;
 * nothing is read from the documents or written again.
 */
function catchUpDisk(opened: Opened): { added: string[]; removed: string[] } {
  const none = { added: [], removed: [] };
  const index = opened.engine.index;
  if (!(index instanceof DiskSearchIndex)) return none;
  const caught = index.catchUp();
  if (!caught.reloaded && caught.added.length === 0 && caught.removedDocumentIds.length === 0) {
    return none;
  }
  const recorded = diskCacheSchema.safeParse(JSON.parse(index.meta("knowledge") ?? "null"));
  const knowledge = recorded.success ? knowledgeOf(recorded.data) : opened.knowledge;
  const before = new Set(opened.corpus.documents.map((d) => d.id));
  if (caught.reloaded) {
    const corpus = corpusOf(knowledge, Array.from(index.payloads(), parsePassage));
    opened.engine.setCorpus(corpus, index);
    opened.corpus = corpus;
  } else {
    const metas = new Map(knowledge.documents.map((d) => [d.id, d]));
    const byDocument = new Map<string, LoadedDocument>();
    for (const passage of passagesOf(caught.added)) {
      const meta = metas.get(passage.documentId);
      if (!meta) continue;
      let document = byDocument.get(meta.id);
      if (!document) {
        document = { meta, passages: [] };
        byDocument.set(meta.id, document);
      }
      document.passages.push(passage);
    }
    const added = [...byDocument.values()];
    const replaced = new Set([...caught.removedDocumentIds, ...byDocument.keys()]);
    opened.engine.applyDocumentChanges({
      added,
      removedDocumentIds: caught.removedDocumentIds,
      fingerprint: knowledge.fingerprint,
      indexed: true,
    });
    opened.corpus = {
      documents: opened.engine.documents(),
      passages: [
        ...opened.corpus.passages.filter((p) => !replaced.has(p.documentId)),
        ...added.flatMap((d) => d.passages),
      ],
      fingerprint: knowledge.fingerprint,
    };
  }
  opened.knowledge = { ...knowledge, documents: opened.corpus.documents };
  const after = new Set(opened.corpus.documents.map((d) => d.id));
  return {
    added: caught.reloaded
      ? [...after].filter((id) => !before.has(id))
      : [...new Set(caught.added.map((u) => u.documentId))],
    removed: [...before].filter((id) => !after.has(id)),
  };
}

/** What `updateIndexCache` did: the index's size after it, and how long it took. */
export interface IndexCacheUpdate {
  documents: number;
  passages: number;
  /** Documents skipped (when the whole folder had to be read). */
  errors: SportelloError[];
  ms: number;
  /** True when only the changed documents were written (the disk cache); false: `openEngine`. */
  incremental: boolean;
}

/**
 * Brings the cached index up to date after a change the library made, given the documents it
 * already read. With the disk engine's cache the changed documents' units are written to the
 * index folder directly: no other document is read and no passage is loaded, so the time is that
 * of the changed documents (a running service replays them from there). Otherwise (the lunr
 * cache, no cache yet, or other documents changed by hand meanwhile) the cache is opened and
 * brought up to date as `openEngine` does.
 */
export async function updateIndexCache(
  options: OpenEngineOptions,
  changes: { added: LoadedDocument[]; removedDocumentIds: string[] },
): Promise<IndexCacheUpdate> {
  const started = performance.now();
  const direct = appendToDiskCache(options, changes);
  if (direct) return { ...direct, errors: [], ms: performance.now() - started, incremental: true };
  const opened = await openEngine(options);
  return {
    documents: opened.corpus.documents.length,
    passages: opened.corpus.passages.length,
    errors: opened.errors,
    ms: opened.timings.ingestMs + opened.timings.buildMs,
    incremental: false,
  };
}

/** The disk cache's side of `updateIndexCache`; undefined when it cannot be done there. */
function appendToDiskCache(
  options: OpenEngineOptions,
  changes: { added: LoadedDocument[]; removedDocumentIds: string[] },
): { documents: number; passages: number } | undefined {
  if (!options.cacheDir || options.corpusPath || options.rebuild) return undefined;
  if (options.engine !== undefined && options.engine !== "auto" && options.engine !== "disk") {
    return undefined;
  }
  const source = options.knowledgeDir;
  const dir = join(options.cacheDir, `${cacheKey(source)}.disk`);
  if (!existsSync(dir)) return undefined;
  let recorded: z.infer<typeof diskCacheSchema>;
  try {
    recorded = diskCacheSchema.parse(JSON.parse(DiskSearchIndex.peekMeta(dir, "knowledge") ?? ""));
  } catch (error) {
    if (isDamagedCache(error)) return undefined;
    throw error;
  }
  if (extrasHashOf(options) !== recorded.extrasHash) return undefined;
  const current = documentHashesOf(source, recorded.files);
  if (!current) return undefined;
  const addedIds = new Set(changes.added.map((d) => d.meta.id));
  const changed = new Set([...addedIds, ...changes.removedDocumentIds]);
  // Another document changed too (edited by hand, or its metadata): the whole folder is compared.
  for (const [id, { hash }] of current.documents) {
    if (recorded.documentHashes[id] !== hash && !changed.has(id)) return undefined;
  }
  for (const id of Object.keys(recorded.documentHashes)) {
    if (!current.documents.has(id) && !changed.has(id)) return undefined;
  }
  // Documents in manifest order; one that did not load at the last build stays out.
  const loaded = new Set([...recorded.documents.map((d) => d.id), ...addedIds]);
  const documents = [...current.documents.values()]
    .map(({ meta }) => meta)
    .filter((meta) => loaded.has(meta.id));
  const knowledge = {
    ...recorded,
    fingerprint: combinedFingerprint(current, recorded.extrasHash),
    documentHashes: hashRecord(current),
    files: current.files,
    documents,
    statSignature: statSignatureOf(options, documents),
  };
  const thesaurus = new ThesaurusSource(options.knowledgeDir);
  thesaurus.adopt(recorded.thesaurus);
  try {
    const { live } = DiskSearchIndex.applyChanges(
      dir,
      {
        removedDocumentIds: [...changed],
        added: searchDocumentsOf(
          {
            documents: changes.added.map((d) => d.meta),
            passages: changes.added.flatMap((d) => d.passages),
          },
          { payload: true },
        ),
        meta: { knowledge: JSON.stringify(knowledge) },
      },
      { thesaurus: thesaurus.get() },
    );
    return { documents: documents.length, passages: live };
  } catch (error) {
    if (isDamagedCache(error) || isWriteFailure(error)) return undefined;
    throw error;
  }
}
