// Opens an answer engine on a knowledge folder: reuses the index cached on disk when the
// knowledge fingerprint matches, otherwise ingests, builds and writes a new one atomically.
// A failed rebuild leaves the previous cache file in place.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { z } from "zod";
import { SportelloError } from "../errors.js";
import {
  fingerprintKnowledge,
  INGEST_VERSION,
  type LoadedKnowledge,
  loadKnowledge,
  loadPassagesJsonl,
} from "../knowledge/index.js";
import type { Corpus, DocumentMeta, Faq, Passage, PublishedFaq } from "../knowledge/types.js";
import { say } from "../prompts.js";
import { ANALYSIS_VERSION } from "../search/analysis.js";
import { INDEX_FORMAT_VERSION, IndexFormatError } from "../search/index.js";
import { Thesaurus } from "../search/thesaurus.js";
import type { CalibrationModel } from "./confidence.js";
import { buildPassageIndex, createEngine, type Engine } from "./engine.js";

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
  onProgress?(done: number, total: number, file: string): void;
  onError?(error: SportelloError): void;
  calibration?: CalibrationModel;
}

export interface OpenedEngine {
  engine: Engine;
  corpus: Corpus;
  /** FAQ read from the knowledge folder's faq/ (published as version 1). */
  fileFaqs: Faq[];
  /** Documents or FAQ files skipped while ingesting. */
  errors: SportelloError[];
  /** True when the index came from the cache. */
  cached: boolean;
  timings: { ingestMs: number; buildMs: number; loadMs: number };
}

const CACHE_FORMAT = 1;

const cacheSchema = z.object({
  format: z.literal(CACHE_FORMAT),
  ingestVersion: z.literal(INGEST_VERSION),
  analysisVersion: z.literal(ANALYSIS_VERSION),
  indexVersion: z.literal(INDEX_FORMAT_VERSION),
  fingerprint: z.string(),
  documents: z.array(z.custom<DocumentMeta>()),
  passages: z.array(z.custom<Passage>()),
  faqs: z.array(z.custom<Faq>()),
  index: z.unknown(),
});

export function publishFileFaqs(faqs: Faq[]): PublishedFaq[] {
  return faqs.map((faq) => ({ ...faq, version: 1 }));
}

function thesaurusFor(knowledgeDir: string): Thesaurus {
  const path = join(knowledgeDir, "thesaurus.yaml");
  return existsSync(path) ? Thesaurus.load(path) : Thesaurus.empty();
}

function fingerprintOf(options: OpenEngineOptions): string {
  const thesaurusPath = join(options.knowledgeDir, "thesaurus.yaml");
  if (options.corpusPath && statSync(options.corpusPath).isFile()) {
    const hash = createHash("sha256");
    hash.update(`sportello-jsonl-${INGEST_VERSION}`);
    hash.update(readFileSync(options.corpusPath));
    if (existsSync(thesaurusPath)) hash.update(readFileSync(thesaurusPath));
    return hash.digest("hex").slice(0, 16);
  }
  return fingerprintKnowledge(options.corpusPath ?? options.knowledgeDir, { thesaurusPath });
}

function cacheFile(cacheDir: string, source: string): string {
  const key = createHash("sha256").update(resolve(source)).digest("hex").slice(0, 12);
  return join(cacheDir, `index-${basename(source).replace(/[^\w.-]+/g, "_")}-${key}.json`);
}

/** Writes `content` next to `path` and renames it over: readers see the old or the new file. */
export function writeFileAtomically(path: string, content: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}

async function ingest(options: OpenEngineOptions): Promise<LoadedKnowledge> {
  const source = options.corpusPath ?? options.knowledgeDir;
  if (statSync(source).isFile()) {
    const documents = loadPassagesJsonl(source);
    options.onProgress?.(1, 1, basename(source));
    return { documents, errors: [], faqs: [] };
  }
  return loadKnowledge(source, {
    onProgress: options.onProgress,
    onError: options.onError,
  });
}

export async function openEngine(options: OpenEngineOptions): Promise<OpenedEngine> {
  const source = options.corpusPath ?? options.knowledgeDir;
  if (!existsSync(source)) {
    throw new SportelloError("KNOWLEDGE_INVALID", say("cli.knowledge_missing", { path: source }));
  }
  const thesaurus = thesaurusFor(options.knowledgeDir);
  const fingerprint = fingerprintOf(options);
  const file = options.cacheDir ? cacheFile(options.cacheDir, source) : undefined;

  if (file && !options.rebuild && existsSync(file)) {
    const started = performance.now();
    try {
      const cached = cacheSchema.parse(JSON.parse(readFileSync(file, "utf8")));
      if (cached.fingerprint === fingerprint) {
        const corpus: Corpus = {
          documents: cached.documents,
          passages: cached.passages,
          fingerprint,
        };
        const engine = createEngine({
          corpus,
          thesaurus,
          index: cached.index as never,
          faqs: publishFileFaqs(cached.faqs),
          calibration: options.calibration,
        });
        return {
          engine,
          corpus,
          fileFaqs: cached.faqs,
          errors: [],
          cached: true,
          timings: { ingestMs: 0, buildMs: 0, loadMs: performance.now() - started },
        };
      }
    } catch (error) {
      // A stale or damaged cache is rebuilt below; anything else is a real fault.
      if (
        !(
          error instanceof z.ZodError ||
          error instanceof SyntaxError ||
          error instanceof IndexFormatError
        )
      ) {
        throw error;
      }
    }
  }

  const ingestStarted = performance.now();
  const loaded = await ingest(options);
  const ingestMs = performance.now() - ingestStarted;
  const corpus: Corpus = {
    documents: loaded.documents.map((d) => d.meta),
    passages: loaded.documents.flatMap((d) => d.passages),
    fingerprint,
  };
  // A folder of FAQ alone is a knowledge base too: the FAQ answer, documents can come later.
  if (corpus.passages.length === 0 && loaded.faqs.length === 0) {
    throw new SportelloError(
      "KNOWLEDGE_INVALID",
      say("cli.knowledge_unreadable", { path: source }),
    );
  }
  const buildStarted = performance.now();
  const index = buildPassageIndex(corpus, thesaurus);
  const buildMs = performance.now() - buildStarted;
  if (file && options.cacheDir) {
    mkdirSync(options.cacheDir, { recursive: true });
    writeFileAtomically(
      file,
      JSON.stringify({
        format: CACHE_FORMAT,
        ingestVersion: INGEST_VERSION,
        analysisVersion: ANALYSIS_VERSION,
        indexVersion: INDEX_FORMAT_VERSION,
        fingerprint,
        documents: corpus.documents,
        passages: corpus.passages,
        faqs: loaded.faqs,
        index: index.toJSON(),
      }),
    );
  }
  const engine = createEngine({
    corpus,
    thesaurus,
    index,
    faqs: publishFileFaqs(loaded.faqs),
    calibration: options.calibration,
  });
  return {
    engine,
    corpus,
    fileFaqs: loaded.faqs,
    errors: loaded.errors,
    cached: false,
    timings: { ingestMs, buildMs, loadMs: 0 },
  };
}
