// The search index over passages or FAQ: a lunr BM25 index fed with our Italian analysis,
// queried only through safe term clauses, with typo tolerance, thesaurus expansion and filters.
import lunr from "lunr";
import { z } from "zod";
import { SportelloError } from "../errors.js";
import {
  ANALYSIS_VERSION,
  type AnalysedWord,
  analyze,
  analyzeWords,
  termOfWord,
} from "./analysis.js";
import { Thesaurus } from "./thesaurus.js";

/** Bumped when the serialised shape changes. */
export const INDEX_FORMAT_VERSION = 1;
const FORMAT_NAME = "sportello-search-index";

/** One searchable unit: a passage of a document, or a FAQ (question and phrasings as heading). */
export interface SearchDocument {
  id: string;
  heading: string;
  body: string;
  /** Region the text is about; null for national texts. */
  region: string | null;
  documentId: string;
}

export interface SearchIndexOptions {
  /** Weight of the heading field against the body (default 1: see DEFAULT_HEADING_BOOST). */
  headingBoost?: number;
  /** Query-time synonyms and acronyms (default: none). */
  thesaurus?: Thesaurus;
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
  /** lunr's BM25 score: comparable between hits of one query, not between queries. */
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

/** Why a serialised index cannot be used: another format or analysis (rebuild it), or damage. */
export class IndexFormatError extends SportelloError {
  override readonly name = "IndexFormatError";
  readonly reason: "stale" | "corrupt";

  constructor(reason: "stale" | "corrupt", message: string, options?: { cause?: unknown }) {
    super("INDEX_CORRUPT", message, options);
    this.reason = reason;
  }
}

// Boosts of the three clause tiers. Only their ratios matter to lunr's ranking. Alternatives
// from the thesaurus stay below the user's own words (0.7 measured best on the development
// questions with SQuAD-it unchanged; 0.4 lost three points of R@1 on paraphrases) and typo
// corrections well below, so that they add recall without overturning an exact match.
const EXACT_BOOST = 1;
const SYNONYM_BOOST = 0.7;
const TYPO_BOOST = 0.3;
/** Shorter words are too often one edit away from an unrelated word. */
const TYPO_MIN_LENGTH = 5;
/** A misspelt word is replaced by at most this many known words. */
const MAX_CORRECTIONS = 8;
/** Long inputs (a pasted page) are cut: the first terms carry the question. */
const MAX_QUERY_CHARS = 4_000;
const MAX_QUERY_TERMS = 64;
const MAX_TYPO_TERMS = 12;
const DEFAULT_LIMIT = 10;
/**
 * Headings are a short field, so BM25 already weighs a heading match heavily; an extra boost
 * lowered recall on both SQuAD-it (article titles) and the default corpus (breadcrumbs).
 */
const DEFAULT_HEADING_BOOST = 1;
/**
 * BM25 term-frequency saturation. Slightly below lunr's 1.2: passages are short and questions
 * have many distinct words, so matching one more word should matter more than repeating one.
 */
const BM25_K1 = 0.8;

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

interface QueryPlan {
  terms: string[];
  /** For each query term of a misspelt word: the terms of the known words one edit away. */
  corrections: Map<string, string[]>;
  /** For each query term reached through the thesaurus: the alternatives' term lists. */
  alternatives: Map<string, string[][]>;
  /** Terms added by corrections and the thesaurus, with their boost. */
  extraTerms: Map<string, number>;
}

export class SearchIndex {
  private readonly documentFrequency = new Map<string, number>();
  private readonly thesaurus: Thesaurus;
  private readonly words: ReadonlySet<string>;
  /** The indexed words as a lunr token set, built on the first misspelt query. */
  private wordSet: lunr.TokenSet | undefined;

  private constructor(
    private readonly index: lunr.Index,
    private readonly docs: ReadonlyMap<string, DocMeta>,
    words: Iterable<string>,
    thesaurus: Thesaurus | undefined,
  ) {
    this.thesaurus = thesaurus ?? Thesaurus.empty();
    this.words = new Set(words);
    this.countDocumentFrequencies();
  }

  /**
   * Builds an index over `docs`. Heading and body are analysed with `analyze` and weighted by
   * `options.headingBoost`.
   * @throws SportelloError KNOWLEDGE_INVALID when two documents share an id.
   */
  static build(docs: readonly SearchDocument[], options: SearchIndexOptions = {}): SearchIndex {
    const meta = new Map<string, DocMeta>();
    const builder = new lunr.Builder();
    // No lunr pipeline: `analyze` has already produced the final terms, on both sides.
    builder.pipeline.reset();
    builder.searchPipeline.reset();
    const words = new Set<string>();
    builder.tokenizer = analysingTokenizer(words);
    builder.ref("id");
    builder.k1(BM25_K1);
    builder.field("heading", { boost: options.headingBoost ?? DEFAULT_HEADING_BOOST });
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
    return new SearchIndex(builder.build(), meta, words, options.thesaurus);
  }

  /**
   * Restores an index written by `toJSON`.
   * @throws IndexFormatError with reason "stale" when it was written by another format or
   * analysis version (rebuild it from the passages), "corrupt" when it cannot be read.
   */
  static load(json: unknown, options: Pick<SearchIndexOptions, "thesaurus"> = {}): SearchIndex {
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
      index = lunr.Index.load(data.lunr);
    } catch (cause) {
      throw new IndexFormatError(
        "corrupt",
        "search: the saved index is damaged: delete it to rebuild it",
        { cause },
      );
    }
    const meta = new Map<string, DocMeta>();
    for (const [id, documentId, region] of data.docs) meta.set(id, { documentId, region });
    return new SearchIndex(index, meta, data.words, options.thesaurus);
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
    if (typeof query !== "string") return [];
    const unique = [...new Set(analyze(query.slice(0, MAX_QUERY_CHARS)))];
    return unique.slice(0, MAX_QUERY_TERMS);
  }

  /**
   * Inverse document frequency of an analysed term, as lunr's BM25 computes it. A term that no
   * document contains gets the highest value: a question word the corpus never uses matters.
   */
  idf(term: string): number {
    const df = this.documentFrequency.get(term) ?? 0;
    return Math.log(1 + Math.abs((this.docs.size - df + 0.5) / (df + 0.5)));
  }

  /** True when some indexed text contains the analysed `term`. */
  knows(term: string): boolean {
    return this.documentFrequency.has(term);
  }

  /** The hits for `query`, best first. Never throws on user text; [] when nothing matches. */
  search(query: string, options: SearchOptions = {}): SearchHit[] {
    const limit = options.limit ?? DEFAULT_LIMIT;
    const plan = this.plan(query);
    const clauses: Array<[term: string, boost: number]> = [];
    for (const term of plan.terms) {
      if (this.documentFrequency.has(term)) clauses.push([term, EXACT_BOOST]);
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
      const matched = this.matchedTerms(plan, present);
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
    const found = new Set(matched);
    let total = 0;
    let covered = 0;
    for (const term of terms) {
      const weight = this.idf(term);
      total += weight;
      if (found.has(term)) covered += weight;
    }
    return total > 0 ? covered / total : 0;
  }

  private plan(query: string): QueryPlan {
    const words = typeof query === "string" ? analyzeWords(query.slice(0, MAX_QUERY_CHARS)) : [];
    const inOrder = words.flatMap((word) => word.terms);
    const terms = [...new Set(inOrder)].slice(0, MAX_QUERY_TERMS);
    const own = new Set(terms);
    const extraTerms = new Map<string, number>();
    const addExtra = (term: string, boost: number) => {
      if (own.has(term) || !this.documentFrequency.has(term)) return;
      extraTerms.set(term, Math.max(boost, extraTerms.get(term) ?? 0));
    };

    const corrections = this.correctTypos(words, own);
    for (const candidates of corrections.values()) {
      for (const term of candidates) addExtra(term, TYPO_BOOST);
    }

    const alternatives = new Map<string, string[][]>();
    for (const { trigger, alternative } of this.thesaurus.expand(inOrder)) {
      for (const term of trigger.terms) {
        const list = alternatives.get(term) ?? [];
        list.push(alternative.terms);
        alternatives.set(term, list);
      }
      // An alternative of several words weighs, as a whole, what one word of it would.
      const boost = SYNONYM_BOOST / alternative.terms.length;
      for (const term of alternative.terms) addExtra(term, boost);
    }
    return { terms, corrections, alternatives, extraTerms };
  }

  /**
   * Typo tolerance: a word of the query that the index has never seen, long enough and whose
   * stem is unknown too, is matched against the indexed words one edit away (insertion,
   * deletion, substitution or swap of two letters) that start with the same letter. Working on
   * whole words rather than stems
   * catches typos that change the stem, and known words are never "corrected".
   */
  private correctTypos(words: AnalysedWord[], own: Set<string>): Map<string, string[]> {
    const corrections = new Map<string, string[]>();
    for (const { word, terms } of words) {
      if (corrections.size >= MAX_TYPO_TERMS) break;
      const term = terms[0];
      if (term === undefined || terms.length > 1 || corrections.has(term)) continue;
      if (!isTypoCandidate(word) || this.words.has(word) || this.documentFrequency.has(term)) {
        continue;
      }
      this.wordSet ??= tokenSets.fromArray([...this.words].sort());
      const candidates = this.wordSet
        .intersect(tokenSets.fromFuzzyString(word, 1))
        .toArray()
        // Typists rarely miss the first letter; a "correction" that changes it turns a word
        // the corpus never uses into another word ("ferie" → "serie").
        .filter((candidate) => candidate[0] === word[0])
        .slice(0, MAX_CORRECTIONS)
        .map(termOfWord)
        .filter((candidate) => candidate.length > 0 && !own.has(candidate));
      if (candidates.length > 0) corrections.set(term, [...new Set(candidates)]);
    }
    return corrections;
  }

  private matchedTerms(plan: QueryPlan, present: ReadonlySet<string>): string[] {
    return plan.terms.filter((term) => {
      if (present.has(term)) return true;
      if (plan.corrections.get(term)?.some((t) => present.has(t))) return true;
      const alternatives = plan.alternatives.get(term);
      return alternatives?.some((alt) => alt.every((t) => present.has(t))) ?? false;
    });
  }

  private countDocumentFrequencies(): void {
    // lunr keeps its inverted index public but untyped: term → { _index, field → { ref → … } }.
    const inverted = (
      this.index as unknown as { invertedIndex: Record<string, Record<string, unknown>> }
    ).invertedIndex;
    for (const [term, posting] of Object.entries(inverted)) {
      const refs = new Set<string>();
      for (const [field, docs] of Object.entries(posting)) {
        if (field === "_index" || typeof docs !== "object" || docs === null) continue;
        for (const ref of Object.keys(docs)) refs.add(ref);
      }
      this.documentFrequency.set(term, refs.size);
    }
  }
}

/**
 * lunr's tokenizer hook: our analysis turns a field's text into its final terms, and the words
 * that typo correction may suggest are collected on the way.
 */
function analysingTokenizer(words: Set<string>): typeof lunr.tokenizer {
  const tokenize = (text?: unknown, metadata?: object): lunr.Token[] => {
    const tokens: lunr.Token[] = [];
    for (const { word, terms } of analyzeWords(typeof text === "string" ? text : "")) {
      if (terms.length === 1 && word.length >= TYPO_MIN_LENGTH - 1 && isWord(word)) words.add(word);
      for (const term of terms) tokens.push(new lunr.Token(term, { ...metadata }));
    }
    return tokens;
  };
  return Object.assign(tokenize, { separator: lunr.tokenizer.separator }) as typeof lunr.tokenizer;
}

function isWord(text: string): boolean {
  return /^\p{L}+$/u.test(text);
}

function isTypoCandidate(word: string): boolean {
  return word.length >= TYPO_MIN_LENGTH && isWord(word);
}
