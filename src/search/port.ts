// The search-index port: what the answer engine needs from a passage index, whichever engine
// serves it (the on-disk engine by default, lunr when chosen).
import { SportelloError } from "../errors.js";

/** One searchable unit: a passage of a document, or a FAQ (question and phrasings as heading). */
export interface SearchDocument {
  id: string;
  heading: string;
  body: string;
  /** Region the text is about; null for national texts. */
  region: string | null;
  documentId: string;
  /** Opaque text kept with the unit by engines that store units on disk (ignored by lunr). */
  payload?: string;
}

export interface SearchOptions {
  /** Maximum number of hits (default 10). */
  limit?: number;
  /** Keep only hits whose region is one of these; null stands for national texts. */
  regions?: Array<string | null>;
  /** Keep only hits from these documents. */
  documentIds?: string[];
}

export interface SearchHit {
  id: string;
  /** BM25 score: comparable between hits of one query, not between queries. */
  score: number;
  /**
   * The query's own terms (see `queryTerms`) that this hit contains: as written, through a typo
   * correction, or through a thesaurus alternative.
   */
  matched: string[];
  /** The subset of `matched` found as written, not through a correction or an alternative. */
  exact: string[];
  /** IDF-weighted share of the query's terms that the hit contains, in [0, 1]. */
  coverage: number;
}

/** The engines behind the port; `auto` is the disk engine (see `chooseEngine`). */
export const searchEngines = ["auto", "lunr", "disk"] as const;
export type SearchEngineChoice = (typeof searchEngines)[number];
export type SearchEngineName = Exclude<SearchEngineChoice, "auto">;

/**
 * `auto` serves every corpus with the on-disk engine; lunr stays for `search.engine: lunr` or
 * `--engine lunr`, with the same answers and eval figures. It used to serve corpora up to 1,000
 * passages, the embedded default corpus among them, but opening its cache means parsing one JSON
 * of 2.2 MB (lunr index and passages) and collecting its garbage: a cold `sportello ask` on the
 * default corpus took some 50 ms more with lunr than with the disk engine, which reads a small
 * header and only the passages it returns. Large corpora went to the disk engine already, because
 * lunr's index cannot change in place (adding a document rebuilds it and rewrites its cache whole:
 * 0.33 s at 500 passages, 3.7 s at 5,000; the disk engine 0.05 s and 0.22 s, tests/bench/ingest.ts).
 */
export function chooseEngine(choice: SearchEngineChoice): SearchEngineName {
  return choice === "auto" ? "disk" : choice;
}

/**
 * A passage index. Every engine gives the same signals from the same Italian analysis, so the
 * answer engine's reranking and confidence do not depend on which one serves.
 */
export interface SearchIndexPort {
  readonly engine: SearchEngineName;
  /** Number of indexed documents. */
  readonly size: number;
  /** The analysed terms of a query that coverage is measured against: unique, in query order. */
  queryTerms(query: string): string[];
  /** Inverse document frequency of an analysed term (highest for a term no document has). */
  idf(term: string): number;
  /** True when some indexed text contains the analysed `term`. */
  knows(term: string): boolean;
  /** IDF-weighted share of `terms` found in `matched`. */
  coverage(terms: readonly string[], matched: readonly string[]): number;
  /** The hits for `query`, best first. Never throws on user text; [] when nothing matches. */
  search(query: string, options?: SearchOptions): SearchHit[];
  /** Adds documents (their ids must be new). */
  addDocuments(docs: readonly SearchDocument[]): void;
  /** Removes every indexed unit of one document; returns how many were removed. */
  removeDocument(documentId: string): number;
}

export function isSearchIndexPort(value: unknown): value is SearchIndexPort {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as SearchIndexPort).search === "function" &&
    typeof (value as SearchIndexPort).addDocuments === "function"
  );
}

/** Why a serialised index cannot be used: another format or analysis (rebuild it), or damage. */
export class IndexFormatError extends SportelloError {
  override readonly name = "IndexFormatError";
  readonly reason: "stale" | "corrupt";

  constructor(reason: "stale" | "corrupt", message: string, options?: { cause?: unknown }) {
    super("INDEX_CORRUPT", message, options);
    this.reason = reason;
  }
}
