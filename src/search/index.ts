// The search index over passages or FAQ: a lunr BM25 index fed with our Italian analysis,
// queried only through safe term clauses, with typo tolerance, thesaurus expansion and filters.
import lunr from "lunr";
import * as z from "zod";
import { SportelloError } from "../errors.js";
import { ANALYSIS_VERSION, analyzeWords } from "./analysis.js";
import {
  IndexFormatError,
  type SearchDocument,
  type SearchHit,
  type SearchIndexPort,
  type SearchOptions,
} from "./port.js";
import {
  BM25_K1,
  bm25Idf,
  DEFAULT_LIMIT,
  EXACT_BOOST,
  isIndexableWord,
  matchedTerms,
  planQuery,
  queryTermsOf,
  weightedCoverage,
  wordsWithPrefixIn,
} from "./query-plan.js";
import { Thesaurus } from "./thesaurus.js";

export type { SearchDocument, SearchHit, SearchOptions } from "./port.js";
export { IndexFormatError } from "./port.js";

/** Bumped when the serialised shape changes. */
export const INDEX_FORMAT_VERSION = 1;
const FORMAT_NAME = "sportello-search-index";

export interface SearchIndexOptions {
  /** Weight of the heading field against the body (default 1: see DEFAULT_HEADING_BOOST). */
  headingBoost?: number;
  /** Query-time synonyms and acronyms (default: none). */
  thesaurus?: Thesaurus;
  /**
   * The documents of a loaded index, for `addDocuments` and `removeDocument` (lunr indexes are
   * immutable: a change rebuilds from them). Called only when a change is made.
   */
  sources?: () => readonly SearchDocument[];
}

/**
 * Headings are a short field, so BM25 already weighs a heading match heavily; an extra boost
 * lowered recall on both SQuAD-it (article titles) and the default corpus (breadcrumbs).
 */
const DEFAULT_HEADING_BOOST = 1;
// @types/lunr omits the static constructors of TokenSet that lunr itself uses for fuzzy terms.
const tokenSets = lunr.TokenSet as unknown as {
  fromArray(sortedWords: string[]): lunr.TokenSet;
  fromFuzzyString(word: string, editDistance: number): lunr.TokenSet;
};

const serialisedSchema = z.object({
  format: z.literal(FORMAT_NAME),
  formatVersion: z.number().int(),
  analysisVersion: z.number().int(),
  docs: z.array(z.tuple([z.string(), z.string(), z.string().nullable()])),
  /** The indexed words (folded, before stemming) that typo correction can suggest. */
  words: z.array(z.string()),
  lunr: z.record(z.string(), z.unknown()),
});
export type SerialisedSearchIndex = z.infer<typeof serialisedSchema>;

interface DocMeta {
  documentId: string;
  region: string | null;
}

/** The lunr engine: immutable, so adding or removing a document rebuilds it (small corpora). */
export class SearchIndex implements SearchIndexPort {
  readonly engine = "lunr" as const;
  /** Documents per term, counted the first time a term is asked about. */
  private readonly documentFrequency = new Map<string, number>();
  private readonly thesaurus: Thesaurus;
  private words: ReadonlySet<string>;
  /** The indexed words as a lunr token set, built on the first misspelt query. */
  private wordSet: lunr.TokenSet | undefined;

  private constructor(
    private index: lunr.Index,
    private docs: ReadonlyMap<string, DocMeta>,
    words: Iterable<string>,
    private readonly options: SearchIndexOptions,
  ) {
    this.thesaurus = options.thesaurus ?? Thesaurus.empty();
    this.words = new Set(words);
  }

  /**
   * Builds an index over `docs`. Heading and body are analysed with `analyze` and weighted by
   * `options.headingBoost`.
   * @throws SportelloError KNOWLEDGE_INVALID when two documents share an id.
   */
  static build(docs: readonly SearchDocument[], options: SearchIndexOptions = {}): SearchIndex {
    const { index, meta, words } = buildLunr(docs, options.headingBoost);
    return new SearchIndex(index, meta, words, { ...options, sources: () => docs });
  }

  /**
   * Restores an index written by `toJSON`.
   * @throws IndexFormatError with reason "stale" when it was written by another format or
   * analysis version (rebuild it from the passages), "corrupt" when it cannot be read.
   */
  static load(
    json: unknown,
    options: Pick<SearchIndexOptions, "thesaurus" | "sources" | "headingBoost"> = {},
  ): SearchIndex {
    const parsed = serialisedSchema.safeParse(json);
    if (!parsed.success) {
      throw new IndexFormatError(
        "corrupt",
        "search: the saved index is not a Sportello search index: delete it to rebuild it",
        { cause: parsed.error },
      );
    }
    const data = parsed.data;
    if (data.formatVersion !== INDEX_FORMAT_VERSION || data.analysisVersion !== ANALYSIS_VERSION) {
      throw new IndexFormatError(
        "stale",
        `search: the saved index has format ${data.formatVersion} and analysis ${data.analysisVersion}, ` +
          `this version needs ${INDEX_FORMAT_VERSION} and ${ANALYSIS_VERSION}: rebuild it`,
      );
    }
    let index: lunr.Index;
    try {
      index = loadLunr(data.lunr);
    } catch (cause) {
      throw new IndexFormatError(
        "corrupt",
        "search: the saved index is damaged: delete it to rebuild it",
        { cause },
      );
    }
    const meta = new Map<string, DocMeta>();
    for (const [id, documentId, region] of data.docs) meta.set(id, { documentId, region });
    return new SearchIndex(index, meta, data.words, options);
  }

  toJSON(): SerialisedSearchIndex {
    return {
      format: FORMAT_NAME,
      formatVersion: INDEX_FORMAT_VERSION,
      analysisVersion: ANALYSIS_VERSION,
      docs: [...this.docs].map(([id, meta]) => [id, meta.documentId, meta.region]),
      words: [...this.words].sort(),
      lunr: this.index.toJSON() as Record<string, unknown>,
    };
  }

  /** Number of indexed documents. */
  get size(): number {
    return this.docs.size;
  }

  /**
   * The analysed terms of a query that coverage is measured against: unique, in query order.
   * Empty when the query has nothing searchable (only stop words, punctuation or emoji).
   */
  queryTerms(query: string): string[] {
    return queryTermsOf(query);
  }

  /**
   * Inverse document frequency of an analysed term, as lunr's BM25 computes it. A term that no
   * document contains gets the highest value: a question word the corpus never uses matters.
   */
  idf(term: string): number {
    return bm25Idf(this.frequencyOf(term), this.docs.size);
  }

  /** True when some indexed text contains the analysed `term`. */
  knows(term: string): boolean {
    return this.frequencyOf(term) > 0;
  }

  /** The hits for `query`, best first. Never throws on user text; [] when nothing matches. */
  search(query: string, options: SearchOptions = {}): SearchHit[] {
    const limit = options.limit ?? DEFAULT_LIMIT;
    const plan = planQuery(query, this.vocabulary, this.thesaurus);
    const clauses: Array<[term: string, boost: number]> = [];
    for (const term of plan.terms) {
      if (this.frequencyOf(term) > 0) clauses.push([term, EXACT_BOOST]);
    }
    for (const clause of plan.extraTerms) clauses.push(clause);
    // lunr treats a query without clauses as "everything but nothing" and returns every document.
    if (clauses.length === 0 || limit <= 0) return [];

    const results = this.index.query((q) => {
      for (const [term, boost] of clauses) {
        // usePipeline: false because the terms are already analysed; no wildcard, no fuzziness:
        // nothing the user typed can become lunr syntax.
        q.term(term, { usePipeline: false, presence: lunr.Query.presence.OPTIONAL, boost });
      }
    });

    const regions = options.regions ? new Set(options.regions) : undefined;
    const documentIds = options.documentIds ? new Set(options.documentIds) : undefined;
    const hits: SearchHit[] = [];
    for (const result of results) {
      const meta = this.docs.get(result.ref);
      if (!meta) continue;
      if (regions && !regions.has(meta.region)) continue;
      if (documentIds && !documentIds.has(meta.documentId)) continue;
      const present = new Set(Object.keys(result.matchData.metadata));
      const matched = matchedTerms(plan, present);
      hits.push({
        id: result.ref,
        score: result.score,
        matched,
        exact: matched.filter((term) => present.has(term)),
        coverage: this.coverage(plan.terms, matched),
      });
      if (hits.length >= limit) break;
    }
    return hits;
  }

  /** IDF-weighted share of `terms` found in `matched`. */
  coverage(terms: readonly string[], matched: readonly string[]): number {
    return weightedCoverage(terms, matched, (term) => this.idf(term));
  }

  /** Rebuilds with `docs` added: fine for the small corpora lunr serves. */
  addDocuments(docs: readonly SearchDocument[]): void {
    if (docs.length === 0) return;
    this.rebuild([...this.sources(), ...docs]);
  }

  /** Rebuilds without the units of `documentId`. */
  removeDocument(documentId: string): number {
    const before = this.sources();
    const kept = before.filter((doc) => doc.documentId !== documentId);
    if (kept.length !== before.length) this.rebuild(kept);
    return before.length - kept.length;
  }

  private sources(): readonly SearchDocument[] {
    if (!this.options.sources) {
      throw new SportelloError(
        "INDEX_CORRUPT",
        "search: this lunr index was loaded without its documents and cannot be changed: rebuild it",
      );
    }
    return this.options.sources();
  }

  private rebuild(docs: readonly SearchDocument[]): void {
    const { index, meta, words } = buildLunr(docs, this.options.headingBoost);
    this.index = index;
    this.docs = meta;
    this.words = words;
    this.wordSet = undefined;
    this.options.sources = () => docs;
    this.documentFrequency.clear();
  }

  private readonly vocabulary = {
    hasTerm: (term: string) => this.frequencyOf(term) > 0,
    hasWord: (word: string) => this.words.has(word),
    wordsOneEditAway: (word: string) => {
      this.wordSet ??= tokenSets.fromArray([...this.words].sort());
      return this.wordSet.intersect(tokenSets.fromFuzzyString(word, 1)).toArray();
    },
    wordsWithPrefix: (prefix: string) => wordsWithPrefixIn(this.words, prefix),
    documentFrequency: (term: string) => this.documentFrequency.get(term) ?? 0,
  };

  /** How many documents contain `term` (0 for a term never indexed). */
  private frequencyOf(term: string): number {
    const known = this.documentFrequency.get(term);
    if (known !== undefined) return known;
    // lunr keeps its inverted index public but untyped: term → { _index, field → { ref → … } }.
    const inverted = (
      this.index as unknown as { invertedIndex: Record<string, Record<string, unknown>> }
    ).invertedIndex;
    // Only indexed terms are remembered: the words of questions cannot grow the map.
    const posting = Object.hasOwn(inverted, term) ? inverted[term] : undefined;
    if (!posting) return 0;
    const refs = new Set<string>();
    for (const [field, docs] of Object.entries(posting)) {
      if (field === "_index" || typeof docs !== "object" || docs === null) continue;
      for (const ref of Object.keys(docs)) refs.add(ref);
    }
    this.documentFrequency.set(term, refs.size);
    return refs.size;
  }
}

interface SerialisedLunr {
  version?: string;
  fields: string[];
  fieldVectors: Array<[string, number[]]>;
  invertedIndex: Array<[string, Record<string, unknown>]>;
  pipeline: string[];
}

/**
 * lunr.Index.load without its token set of every indexed term, the slowest part of a start.
 * lunr looks a query term up in that set to expand wildcards and edit distances; this index
 * queries exact terms only (see `search`), for which the lookup is whether the term is indexed.
 */
function loadLunr(json: Record<string, unknown>): lunr.Index {
  const serialised = json as unknown as SerialisedLunr;
  if (serialised.version !== lunr.version) return lunr.Index.load(json);
  const fieldVectors: Record<string, lunr.Vector> = {};
  for (const [ref, elements] of serialised.fieldVectors) {
    fieldVectors[ref] = new lunr.Vector(elements);
  }
  const invertedIndex: Record<string, unknown> = Object.create(null);
  for (const [term, posting] of serialised.invertedIndex) invertedIndex[term] = posting;
  const exactTerms = {
    intersect: (terms: lunr.TokenSet) => ({
      toArray: () => terms.toArray().filter((term) => term in invertedIndex),
    }),
  };
  const attributes = {
    fields: serialised.fields,
    fieldVectors,
    invertedIndex,
    tokenSet: exactTerms,
    pipeline: lunr.Pipeline.load(serialised.pipeline),
  };
  return new lunr.Index(attributes as unknown as lunr.Index.Attributes);
}

function buildLunr(
  docs: readonly SearchDocument[],
  headingBoost: number | undefined,
): { index: lunr.Index; meta: Map<string, DocMeta>; words: Set<string> } {
  const meta = new Map<string, DocMeta>();
  const builder = new lunr.Builder();
  // No lunr pipeline: `analyze` has already produced the final terms, on both sides.
  builder.pipeline.reset();
  builder.searchPipeline.reset();
  const words = new Set<string>();
  builder.tokenizer = analysingTokenizer(words);
  builder.ref("id");
  builder.k1(BM25_K1);
  builder.field("heading", { boost: headingBoost ?? DEFAULT_HEADING_BOOST });
  builder.field("body");
  for (const doc of docs) {
    if (meta.has(doc.id)) {
      throw new SportelloError(
        "KNOWLEDGE_INVALID",
        `search: two passages share the id "${doc.id}": passage ids must be unique`,
      );
    }
    meta.set(doc.id, { documentId: doc.documentId, region: doc.region });
    builder.add({ id: doc.id, heading: doc.heading, body: doc.body });
  }
  return { index: builder.build(), meta, words };
}

/**
 * lunr's tokenizer hook: our analysis turns a field's text into its final terms, and the words
 * that typo correction may suggest are collected on the way.
 */
function analysingTokenizer(words: Set<string>): typeof lunr.tokenizer {
  const tokenize = (text?: unknown, metadata?: object): lunr.Token[] => {
    const tokens: lunr.Token[] = [];
    for (const { word, terms } of analyzeWords(typeof text === "string" ? text : "")) {
      if (terms.length === 1 && isIndexableWord(word)) words.add(word);
      for (const term of terms) tokens.push(new lunr.Token(term, { ...metadata }));
    }
    return tokens;
  };
  return Object.assign(tokenize, { separator: lunr.tokenizer.separator }) as typeof lunr.tokenizer;
}
