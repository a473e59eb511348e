// The answer engine: FAQ first, then passages; a calibrated confidence decides between answering
// and declining; a question about a region the corpus does not cover is declined.

import { createHash } from "node:crypto";
import {
  correctRegionNames,
  findRegionMentions,
  findRegions,
  regionKey,
  stripRegionMentions,
} from "../knowledge/regions.js";
import type {
  Corpus,
  DocumentMeta,
  LoadedDocument,
  Passage,
  PublishedFaq,
} from "../knowledge/types.js";
import { ANALYSIS_VERSION, analyze, withKnownLetterCodes } from "../search/analysis.js";
import {
  INDEX_FORMAT_VERSION,
  IndexFormatError,
  SearchIndex,
  type SerialisedSearchIndex,
} from "../search/index.js";
import { isSearchIndexPort, type SearchDocument, type SearchIndexPort } from "../search/port.js";
import type { Thesaurus } from "../search/thesaurus.js";
import {
  composeDecline,
  composeDocumentAnswer,
  composeFaqAnswer,
  formatLocation,
  renderPlainText,
} from "./compose.js";
import {
  type CalibrationModel,
  confidenceOf,
  defaultCalibration,
  type RetrievalSignals,
} from "./confidence.js";
import type { AnswerEngine } from "./engine-types.js";
import { selectExcerpt, splitSentences } from "./excerpt.js";
import {
  conflictsOnYear,
  countsQuestionTerm,
  type FactSentence,
  numbersIn,
  type QuestionType,
  questionType,
  rankFactSentences,
  sentenceMatchesType,
  yearSpans,
} from "./fact.js";
import { splitQuestion } from "./followup.js";
import type { Answer, DeclineReason, RetrievedPassage } from "./types.js";

export interface EngineOptions {
  corpus: Corpus;
  faqs?: PublishedFaq[];
  thesaurus?: Thesaurus;
  /** A passage index already built for this corpus, or its serialised form (skips the build). */
  index?: SearchIndexPort | SerialisedSearchIndex;
  /** Builds the passage index of a replaced corpus (`setCorpus`); default the lunr engine. */
  buildIndex?: (docs: SearchDocument[]) => SearchIndexPort;
  calibration?: CalibrationModel;
  /** Keeps the FAQ index between processes (see `FaqIndexStore`); built at every start without. */
  faqIndexStore?: FaqIndexStore;
}

/**
 * Where the built FAQ index is kept, under a key of what it indexes: a short command that asks
 * one question loads it instead of analysing every FAQ again. `read` gives undefined when there
 * is none for that key; `write` never throws (a cache that cannot be written is only slower).
 */
export interface FaqIndexStore {
  read(key: string): unknown;
  write(key: string, index: SerialisedSearchIndex): void;
}

/** Longest question text that is searched; the rest of a pasted page adds nothing. */
const MAX_QUESTION_CHARS = 1_000;
/** How many passages are scored before region filtering and reranking. */
const CANDIDATES = 40;
/**
 * How a candidate passage's final rank is scored: a linear function of its features, each in
 * [0, 1] (see `RankingFeatures`). BM25 favours passages that repeat a few of the question's
 * words; one that holds more of them (IDF-weighted coverage), holds them together in a sentence,
 * states the kind of fact asked for there, and keeps the question's neighbouring words near
 * each other ("tavoli di crisi", "monte ore") more often answers. Fitted with a listwise softmax
 * loss by `node dist/tests/bench/fit-ranking.js` on the three gold sets (493 answerable
 * questions) and SQuAD-it dev (4,013), each set weighing the same in all. Out-of-fold (5 folds
 * by question), against the hand-set weights before (bm25 1, coverage 1, sentence 0.35, typed
 * 0.35, no pairs, no heading): gold R@1 66.7 -> 69.2 %, MRR 0.759 -> 0.778; SQuAD-it R@1
 * 74.9 -> 74.6 %, MRR 0.816 -> 0.815. Without the heading feature: gold 68.8 %; without pairs
 * either, the refitted weights gain a point less. On 34 questions about 14 real regional and
 * ministry PDFs, not fitted on: R@3 76.5 -> 82.4 %, MRR 0.716 -> 0.740.
 */
const RANKING_WEIGHTS: RankingFeatures = {
  bm25: 0.585,
  coverage: 0.379,
  sentence: 0.124,
  typed: 0.48,
  pairs: 0.301,
  heading: -0.215,
};
/**
 * At most this many candidates beyond the places asked for are analysed sentence by sentence,
 * best bound first; the rest keep their lower bound. Analysing all 40 whenever their bound
 * allowed (a pair of words is near only if the passage holds both) doubled a question's CPU p95
 * at 20k passages; with this cap it is 1.4 times the hand-set ranking's (15 vs 11 ms, load 4),
 * for R@1 64.6 -> 65.8 % on that bench's questions. The gold sets lose 0.2 point of R@5 to it.
 */
const ANALYSED_BEYOND = 8;
/** Two question words this many analysed terms apart or fewer are "near" in a passage. */
const PAIR_WINDOW = 3;
/**
 * Extra weight of a sentence that carries the kind of fact the question asks for: for
 * "quanti/quante", a number followed by something the question names ("i 31 CPI"); otherwise a
 * date, an amount, a body … (fact.ts). A sentence about another year than the question's gets
 * none. The passage that states the figure then ranks before the ones that only talk about the
 * subject. A bonus for any number in the sentence instead of a count of a named thing gave +0.6
 * R@1; larger bonuses, no further gain.
 */
const TYPE_RANK_BONUS = 0.6;
/** A national passage naming more regions than this is a list, not about any one of them. */
const MAX_REGIONS_NAMED = 3;
/** Credit, in the confidence, of a term found only through a synonym or a typo correction. */
const INDIRECT_CREDIT = 0.5;
/** Weight of a table passage against a text passage with the same score. */
const TABLE_PRIOR = 0.6;
/** Weight of a national passage that does not name the region the question is about. */
const NATIONAL_WITHOUT_REGION = 0.8;
/** How many of the best passages the answering sentence is looked for in. */
const FACT_PASSAGES = 2;
/** A FAQ answers when its phrasing and the question agree at least this much (see answerFromFaq;
 * chosen on the generated FAQ lists of tests/answer/faq-retrieval.test.ts). */
const FAQ_MATCH = 0.6;
/** Weight, in the FAQ similarity, of the share of the question covered by the phrasing. */
const FAQ_QUESTION_WEIGHT = 0.6;
/** Least share of a phrasing that the question must contain. */
const FAQ_MIN_PHRASING = 0.5;
/** Least lead of the best FAQ over the next one. */
const FAQ_MARGIN = 0.03;
/** A question with this many words that a FAQ uses nowhere is more specific than the FAQ… */
const FAQ_MAX_UNCOVERED = 2;
/** … when those words weigh at least this share of the question. */
const FAQ_UNCOVERED_SHARE = 0.25;
/** How many FAQ are scored. */
const FAQ_CANDIDATES = 8;
/** A FAQ's phrasings weigh more than its answer and tags in its ranking. */
const FAQ_HEADING_BOOST = 2;
/**
 * When no FAQ matches by its phrasing and the documents do not answer, the FAQ ranked first is
 * offered as the probable one (with the next ones) if a logistic model of "the first FAQ is the
 * right one" gives at least FAQ_PROBABLE. Its signals, each in [0, 1]: the IDF-weighted share of
 * the question's terms the FAQ reaches anywhere (phrasings, answer, tags, synonyms), the relative
 * lead of its score over the next FAQ's, the share of its best phrasing the question covers, and
 * the question's length (terms / 8, at most 1). Fitted on the signals this engine computes for
 * the real user queries of EVALITA 2016 QA4FAQ against its 406 FAQ (tests/bench/faq-benchmark.ts;
 * the 940 of 1,132 queries with a FAQ past the region and particulars checks). Out-of-fold
 * (2-fold by query id) at 0.35: answered 60.5 %, the right FAQ 34.0 % of all queries.
 */
const FAQ_PROBABLE_MODEL = {
  bias: -3.385,
  questionCovered: 1.733,
  lead: 2.608,
  phrasingCovered: 1.511,
  length: 1.701,
};
const FAQ_PROBABLE = 0.35;
/** Weights, in the FAQ ranking, of the question's share a FAQ reaches and of its phrasing's. */
const FAQ_RERANK_COVERAGE = 0.5;
const FAQ_RERANK_PHRASING = 0.3;
/** At or above this probability a FAQ answer is shown as certain, below as probable. */
const FAQ_CERTAIN = 0.6;
/** How many other FAQ a probable FAQ answer lists. */
const FAQ_OTHERS = 2;

interface FaqState {
  faqs: PublishedFaq[];
  /** Built on first use: the FAQ given at creation are usually replaced before any question. */
  readonly index: SearchIndex | null;
  byId: Map<string, PublishedFaq>;
}

/**
 * The search units of passages. With `payload`, each carries its passage as JSON, for engines
 * that keep passages on disk.
 */
export function searchDocumentsOf(
  corpus: Pick<Corpus, "documents" | "passages">,
  options: { payload?: boolean } = {},
): SearchDocument[] {
  const documentOf = new Map(corpus.documents.map((d) => [d.id, d]));
  return corpus.passages.map((p) => ({
    id: p.id,
    // The document's title belongs to every passage's heading: questions name documents
    // ("la convenzione", "il piano del Piemonte") as often as sections.
    heading: [documentOf.get(p.documentId)?.title ?? "", ...p.breadcrumb].join("\n"),
    body: p.text,
    region: documentOf.get(p.documentId)?.region ?? null,
    documentId: p.documentId,
    ...(options.payload ? { payload: JSON.stringify(p) } : {}),
  }));
}

export function buildPassageIndex(corpus: Corpus, thesaurus?: Thesaurus): SearchIndex {
  return SearchIndex.build(searchDocumentsOf(corpus), { thesaurus });
}

/** One knowledge-folder change: documents added (or replaced: remove then add) and removed. */
export interface DocumentChanges {
  added: LoadedDocument[];
  removedDocumentIds: string[];
  /** The knowledge fingerprint after the change. */
  fingerprint: string;
  /** The index holds the change already (another process wrote it to the disk index). */
  indexed?: boolean;
}

/**
 * FAQ are ranked like passages: their phrasings (question and alternatives) are the heading,
 * weighted above the answer and tags, which form the body.
 */
function buildFaqState(
  faqs: PublishedFaq[],
  thesaurus?: Thesaurus,
  store?: FaqIndexStore,
): FaqState {
  let index: SearchIndex | null | undefined;
  const build = () => {
    if (faqs.length === 0) return null;
    const units = faqs.map((f) => ({
      id: f.id,
      heading: [f.question, ...f.alternatives].join("\n"),
      body: [f.answer, ...f.tags].join("\n"),
      region: f.region,
      documentId: "faq",
    }));
    const options = { thesaurus, headingBoost: FAQ_HEADING_BOOST };
    if (!store) return SearchIndex.build(units, options);
    const key = createHash("sha256")
      .update(`${INDEX_FORMAT_VERSION}\u0000${ANALYSIS_VERSION}\u0000${FAQ_HEADING_BOOST}\u0000`)
      .update(JSON.stringify(units))
      .digest("hex")
      .slice(0, 32);
    const saved = store.read(key);
    if (saved !== undefined) {
      try {
        return SearchIndex.load(saved, { ...options, sources: () => units });
      } catch (error) {
        // Damaged or of another version: built again below, and written over.
        if (!(error instanceof IndexFormatError)) throw error;
      }
    }
    const built = SearchIndex.build(units, options);
    store.write(key, built.toJSON());
    return built;
  };
  return {
    faqs,
    byId: new Map(faqs.map((f) => [f.id, f])),
    get index() {
      if (index === undefined) index = build();
      return index;
    },
  };
}

/** A FAQ found for the question, with what the probable-FAQ model reads of it. */
interface RankedFaq {
  faq: PublishedFaq;
  score: number;
  /** IDF-weighted share of the question's terms the FAQ reaches anywhere. */
  questionCovered: number;
  /** Share of its best phrasing that the question covers. */
  phrasingCovered: number;
}

/**
 * A FAQ that answers. Matched by its phrasing it is answered before the documents; found by the
 * probable-FAQ model only (`fallback`), only when the documents do not answer. Either is shown
 * as certain, or as probable with the next FAQ in the ranking (`alternatives`).
 */
interface FaqMatch {
  faq: PublishedFaq;
  fallback: boolean;
  confidence: number;
  /** Null for a certain FAQ; for a probable one, the next FAQ in the ranking. */
  alternatives: PublishedFaq[] | null;
}

/** The kind of fact a question asks for, with the numbers and years it names itself. */
interface WantedFact {
  type: QuestionType;
  numbers: string[];
  years: Array<[number, number]>;
}

function wantedFact(question: string): WantedFact | null {
  const type = questionType(question);
  return type ? { type, numbers: numbersIn(question), years: yearSpans(question) } : null;
}

interface Candidate extends RetrievedPassage {
  /** The question's terms the passage contains, directly or through synonyms and corrections. */
  matched: string[];
  /** Those it contains as written. */
  exact: string[];
}

/**
 * The question's neighbouring pairs of ranked terms, in the question's order ("tavoli di crisi
 * regionali": tavol-crisi, crisi-regional), without a term paired with itself.
 */
function neighbourPairs(terms: string[], ordered: string[]): Array<[string, string]> {
  const ranked = new Set(terms);
  const sequence = ordered.filter((t) => ranked.has(t));
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < sequence.length; i++) {
    const a = sequence[i] ?? "";
    const b = sequence[i + 1] ?? "";
    if (a !== b) pairs.push([a, b]);
  }
  return pairs;
}

function withoutMatched(candidate: Candidate): RetrievedPassage {
  const { matched: _, exact: __, ...rest } = candidate;
  return rest;
}

/** An answer with what decided it, for calibration and evaluation. */
export interface Explained {
  answer: Answer;
  /** The retrieval signals behind the confidence; null when nothing was retrieved. */
  signals: RetrievalSignals | null;
  /** The passages an answer from the documents cites (also when declined): evaluation checks
   * their evidence. */
  cited: RetrievedPassage[];
  /** The sentence chosen to state the answer (also when declined). */
  fact: string | null;
  /**
   * Which of the confidence model's bars decided: its threshold, or `certain` for a region the
   * corpus does not cover; null when no model decided (a FAQ, nothing retrieved, a rule).
   */
  bar: "threshold" | "certain" | null;
  /** With `rankingFeatures`: each scored candidate's ranking features, before reranking. */
  ranking?: RankingCandidate[];
}

/** What a candidate passage's rank is decided from, each in [0, 1]. */
export interface RankingFeatures {
  /** BM25 (after the table and region weights) over the first candidate's. */
  bm25: number;
  /** IDF-weighted share of the question's terms in the passage (synonyms, corrections too). */
  coverage: number;
  /** The same share in the passage's best sentence. */
  sentence: number;
  /** How much more the best sentence covers when a sentence carrying the asked fact counts
   * TYPE_RANK_BONUS more (0 when the question asks for no kind of fact). */
  typed: number;
  /** Share of the question's neighbouring word pairs found near each other (PAIR_WINDOW). */
  pairs: number;
  /**
   * IDF-weighted share of the question's terms in the passage's breadcrumb. BM25 already counts
   * the breadcrumb with a boost; the fit gives this a negative weight: a passage that holds the
   * question's words only in its section title is less often the answer than BM25 says.
   */
  heading: number;
}

/** One candidate passage and the features of its rank (for fitting the ranking). */
export interface RankingCandidate {
  passageId: string;
  features: RankingFeatures;
}

export type Engine = AnswerEngine & {
  index: SearchIndexPort;
  /**
   * Adds and removes documents' passages in the index in place (time proportional to those
   * documents with the on-disk engine; a rebuild with lunr) and swaps the corpus in.
   */
  applyDocumentChanges(changes: DocumentChanges): void;
  /** `setCorpus` with an index that already holds `corpus` (read again from disk). */
  setCorpus(corpus: Corpus, index?: SearchIndexPort): void;
  /** The retrieval signals behind the confidence, for calibration. */
  signals(text: string): RetrievalSignals | null;
  /** The answer, its signals and the passages it cites, for calibration and evaluation. */
  explain(text: string, options?: { topK?: number; rankingFeatures?: boolean }): Explained;
};

/** What the engine answers from; replaced as a whole when the corpus is re-ingested. */
interface DocumentState {
  corpus: Corpus;
  index: SearchIndexPort;
  passages: Map<string, Passage>;
  documents: Map<string, DocumentMeta>;
  /** Regions of the corpus' documents, as written in the manifest. */
  regions: string[];
  coveredKeys: Set<string>;
  /** Regions each passage names, found when the passage is first retrieved. */
  passageRegions: Map<string, string[]>;
}

function documentState(corpus: Corpus, index: SearchIndexPort): DocumentState {
  const regions = [
    ...new Set(corpus.documents.map((d) => d.region).filter((r): r is string => r !== null)),
  ];
  return {
    corpus,
    index,
    passages: new Map(corpus.passages.map((p) => [p.id, p])),
    documents: new Map(corpus.documents.map((d) => [d.id, d])),
    regions,
    coveredKeys: new Set(regions.map(regionKey)),
    passageRegions: new Map(),
  };
}

export function createEngine(options: EngineOptions): Engine {
  const { thesaurus } = options;
  const calibration = options.calibration ?? defaultCalibration;
  const buildIndex =
    options.buildIndex ?? ((units: SearchDocument[]) => SearchIndex.build(units, { thesaurus }));
  let docs = documentState(
    options.corpus,
    isSearchIndexPort(options.index)
      ? options.index
      : options.index
        ? SearchIndex.load(options.index, {
            thesaurus,
            sources: () => searchDocumentsOf(options.corpus),
          })
        : buildIndex(searchDocumentsOf(options.corpus)),
  );
  let faqState = buildFaqState(options.faqs ?? [], thesaurus, options.faqIndexStore);

  function retrieved(passage: Passage, score: number): RetrievedPassage | undefined {
    const { documents } = docs;
    const document = documents.get(passage.documentId);
    if (!document) return undefined;
    return { passage, document, location: formatLocation(passage, document), score };
  }

  /**
   * The signals behind the confidence. A term found only through a thesaurus alternative or a
   * typo correction counts half: "appuntamento" answered by "prenotanti" is weaker evidence
   * than the word itself.
   */
  function signalsFor(
    queryTerms: string[],
    top: Candidate[],
    fact: FactSentence | undefined,
    typed: boolean,
  ): RetrievalSignals {
    const { index } = docs;
    const weight = (t: string) => index.idf(t);
    const total = queryTerms.reduce((sum, t) => sum + weight(t), 0) || 1;
    const credit = (c: Candidate | undefined, t: string) =>
      !c ? 0 : c.exact.includes(t) ? 1 : c.matched.includes(t) ? INDIRECT_CREDIT : 0;
    const best = top[0];
    const coverageOf = (candidates: Candidate[]) =>
      queryTerms.reduce(
        (sum, t) => sum + weight(t) * Math.max(0, ...candidates.map((c) => credit(c, t))),
        0,
      ) / total;
    const byRarity = [...queryTerms].sort((a, b) => weight(b) - weight(a));
    const rare = byRarity.slice(0, Math.max(1, Math.ceil(queryTerms.length / 3)));
    const unknown = unknownTerms(queryTerms, top);
    const share = (terms: string[]) => terms.reduce((sum, t) => sum + weight(t), 0) / total;
    return {
      coverage: coverageOf(best ? [best] : []),
      rareCoverage: rare.reduce((sum, t) => sum + credit(best, t), 0) / rare.length,
      coverageTop3: coverageOf(top.slice(0, 3)),
      coverageAny: coverageOf(top),
      termShare: queryTerms.reduce((sum, t) => sum + credit(best, t), 0) / (queryTerms.length + 1),
      matchedTerms: queryTerms.filter((t) => credit(best, t) > 0).length,
      terms: queryTerms.length,
      sentenceCoverage: best ? bestSentenceCoverage(best, queryTerms) : 0,
      typeMismatch: typed && !fact?.typeMatch ? 1 : 0,
      unknownShare: share(unknown.filter((t) => !/^[\d.,/-]+$/.test(t))),
      margin: marginOf(top),
    };
  }

  /**
   * The question's terms that the corpus never uses and that no retrieved passage matches
   * through a correction or a synonym: "NASpI" in a corpus that never names it.
   */
  function unknownTerms(queryTerms: string[], top: Candidate[]): string[] {
    const { index } = docs;
    const reached = new Set(top.flatMap((c) => c.matched));
    return queryTerms.filter((t) => !reached.has(t) && !index.knows(t));
  }

  function marginOf(top: Candidate[]): number {
    const first = top[0]?.score ?? 0;
    const second = top[1]?.score ?? 0;
    return first > 0 ? Math.max(0, Math.min(1, (first - second) / first)) : 0;
  }

  /**
   * Orders the candidates by RANKING_WEIGHTS over their features. Sentences and word positions
   * (the costly part) are analysed best bound first, and only while a candidate can still reach
   * the first `keep` places: the cheap features and an upper bound of the others (a sentence
   * covers at most what the passage covers; a pair is near only if the passage holds both words)
   * bound its score. The others keep their lower bound and rank after them, as they would anyway.
   * With `features`, every candidate is analysed and its features are returned (for fitting).
   */
  function rerank(
    candidates: Candidate[],
    terms: string[],
    ordered: string[],
    keep: number,
    want: WantedFact | null,
    features = false,
  ): RankingCandidate[] {
    const { index } = docs;
    const w = RANKING_WEIGHTS;
    const top = Math.max(...candidates.map((c) => c.score), Number.MIN_VALUE);
    const pairs = neighbourPairs(terms, ordered);
    // The sentence terms weigh sentence * plain + typed * (best typed - plain), and the best
    // typed sentence is at most (1 + TYPE_RANK_BONUS) times the best plain one, which covers at
    // most what the passage covers.
    const sentenceBound = w.sentence + w.typed * TYPE_RANK_BONUS;
    const scored = candidates.map((c, order) => {
      const bm25 = c.score / top;
      const coverage = index.coverage(terms, c.matched);
      const headingTerms = breadcrumbTerms(c.passage);
      const heading = index.coverage(
        terms,
        terms.filter((t) => headingTerms.has(t)),
      );
      const base = w.bm25 * bm25 + w.coverage * coverage + w.heading * heading;
      const matched = new Set(c.matched);
      const pairBound =
        pairs.length > 0
          ? pairs.filter(([a, b]) => matched.has(a) && matched.has(b)).length / pairs.length
          : 0;
      const bound = base + sentenceBound * coverage + w.pairs * pairBound;
      return {
        c,
        order,
        bm25,
        coverage,
        heading,
        base,
        bound,
        features: undefined as RankingFeatures | undefined,
      };
    });
    scored.sort((a, b) => b.bound - a.bound || a.order - b.order);
    const best: number[] = [];
    for (const entry of scored) {
      if (
        !features &&
        best.length >= keep &&
        (entry.bound < (best[keep - 1] ?? 0) || best.length >= keep + ANALYSED_BEYOND)
      ) {
        entry.c.score = entry.base;
        continue;
      }
      const { plain, typed } = sentenceScores(entry.c, terms, want);
      const f: RankingFeatures = {
        bm25: entry.bm25,
        coverage: entry.coverage,
        sentence: plain,
        typed: typed - plain,
        pairs: pairs.length > 0 ? nearPairs(entry.c, pairs) / pairs.length : 0,
        heading: entry.heading,
      };
      entry.features = f;
      entry.c.score = entry.base + w.sentence * f.sentence + w.typed * f.typed + w.pairs * f.pairs;
      best.push(entry.c.score);
      best.sort((a, b) => b - a);
    }
    const found = features
      ? [...scored]
          .sort((a, b) => a.order - b.order)
          .map((e) => ({ passageId: e.c.passage.id, features: e.features as RankingFeatures }))
      : [];
    scored.sort((a, b) => b.c.score - a.c.score || a.order - b.order);
    scored.forEach((entry, i) => {
      candidates[i] = entry.c;
    });
    return found;
  }

  /**
   * The best sentence's IDF-weighted share of the question's terms (`plain`), and the same with a
   * sentence that carries the fact asked for counting TYPE_RANK_BONUS more (`typed`). The fact
   * check (regular expressions, a count's words analysed) runs only where it can change the best.
   */
  function sentenceScores(
    candidate: Candidate,
    terms: string[],
    want: WantedFact | null,
  ): { plain: number; typed: number } {
    const matched = new Set(candidate.matched);
    const wantedTerms = new Set(terms);
    let plain = 0;
    let typed = 0;
    for (const { text, terms: sentence } of sentenceTerms(candidate.passage)) {
      const present = terms.filter((t) => matched.has(t) && sentence.has(t));
      const coverage = docs.index.coverage(terms, present);
      plain = Math.max(plain, coverage);
      let boosted = coverage;
      if (
        want &&
        coverage > 0 &&
        coverage * (1 + TYPE_RANK_BONUS) > typed &&
        !conflictsOnYear(want.years, text) &&
        (want.type === "count"
          ? countsQuestionTerm(text, wantedTerms, analyze, want.numbers)
          : sentenceMatchesType(want.type, text, want.numbers))
      ) {
        boosted = coverage * (1 + TYPE_RANK_BONUS);
      }
      typed = Math.max(typed, boosted);
    }
    return { plain, typed };
  }

  /** How many of `pairs` the passage holds within PAIR_WINDOW analysed terms of each other. */
  function nearPairs(candidate: Candidate, pairs: Array<[string, string]>): number {
    const positions = termPositions(candidate.passage);
    let near = 0;
    for (const [a, b] of pairs) {
      const left = positions.get(a);
      const right = positions.get(b);
      if (left && right && left.some((i) => right.some((j) => Math.abs(i - j) <= PAIR_WINDOW)))
        near++;
    }
    return near;
  }

  /**
   * The largest IDF-weighted share of the question's terms found together in one sentence of
   * the passage: an answer usually states what was asked in one place.
   */
  function bestSentenceCoverage(candidate: Candidate, terms: string[]): number {
    return sentenceScores(candidate, terms, null).plain;
  }

  // Analysed terms of each sentence of the passages retrieved so far (bounded), and where each
  // term stands in the passage: one analysis serves the sentence scores and the word pairs.
  interface AnalysedPassage {
    sentences: Array<{ text: string; terms: Set<string> }>;
    positions: Map<string, number[]>;
  }
  const analysedCache = new Map<string, AnalysedPassage>();
  function analysed(passage: Passage): AnalysedPassage {
    let cached = analysedCache.get(passage.id);
    if (!cached) {
      const positions = new Map<string, number[]>();
      let at = 0;
      const sentences = splitSentences(passage.text).map((text) => {
        const terms = analyze(text);
        for (const term of terms) {
          const list = positions.get(term);
          if (list) list.push(at);
          else positions.set(term, [at]);
          at++;
        }
        return { text, terms: new Set(terms) };
      });
      cached = { sentences, positions };
      if (analysedCache.size >= 20_000) analysedCache.clear();
      analysedCache.set(passage.id, cached);
    }
    return cached;
  }
  const sentenceTerms = (passage: Passage) => analysed(passage).sentences;
  const termPositions = (passage: Passage) => analysed(passage).positions;

  // The analysed terms of each candidate's breadcrumb (bounded): every candidate needs them.
  const breadcrumbCache = new Map<string, Set<string>>();
  function breadcrumbTerms(passage: Passage): Set<string> {
    let cached = breadcrumbCache.get(passage.id);
    if (!cached) {
      cached = new Set(analyze(passage.breadcrumb.join(" ")));
      if (breadcrumbCache.size >= 20_000) breadcrumbCache.clear();
      breadcrumbCache.set(passage.id, cached);
    }
    return cached;
  }

  /**
   * The published FAQ that answers the question, if one does. A FAQ matches when the question's
   * terms are covered by the FAQ (its phrasings, with synonyms and typo corrections) and one of
   * its phrasings is covered by the question: both ways, so that neither a long question
   * sharing one rare word nor a bare keyword found in a long FAQ is taken for a match.
   */
  function regionsNamedIn(passage: Passage): string[] {
    let named = docs.passageRegions.get(passage.id);
    if (!named) {
      named = findRegions(`${passage.breadcrumb.join(" ")} ${passage.text}`);
      docs.passageRegions.set(passage.id, named);
    }
    return named;
  }

  /**
   * The published FAQ that answers the question, if one does. The FAQ are searched like
   * passages; each of the best few is scored by how much of the question its closest phrasing
   * covers (IDF-weighted, synonyms and typo corrections included) and how much of that phrasing
   * the question covers, combined as a weighted geometric mean: one changed verb ("danno" for
   * "hanno") costs a little on one side instead of losing the FAQ, while a long question sharing
   * one rare word, or a bare keyword found in a long FAQ, stays below the threshold.
   */
  function answerFromFaq(
    question: string,
    contentTerms: string[],
    askedRegions: string[],
    state: FaqState = faqState,
  ): FaqMatch | null {
    const faqIndex = state.index;
    if (!faqIndex || contentTerms.length === 0) return null;
    const query = new Set(contentTerms);
    const subject = new Set(analyze(splitQuestion(question).subject));
    const scored = new Map<string, { faq: PublishedFaq; similarity: number }>();
    // The FAQ that pass the region and particulars checks, best search score first.
    const ranked: RankedFaq[] = [];
    for (const hit of faqIndex.search(stripRegionMentions(question), { limit: FAQ_CANDIDATES })) {
      const faq = state.byId.get(hit.id);
      if (!faq) continue;
      // A regional FAQ answers questions about its region only: its figures are not the
      // national ones, nor another region's.
      const regional = faq.region !== null && faq.region !== undefined;
      if (regional && !askedRegions.some((r) => regionKey(r) === regionKey(faq.region ?? ""))) {
        continue;
      }
      const reached = new Set(hit.matched);
      // IDF over the FAQ list; a word no FAQ uses weighs what the rarest known word does, so
      // that in a short list one unknown verb does not outweigh every word the FAQ shares.
      const rarest = Math.log(1 + (faqIndex.size - 0.5) / 1.5);
      const weight = (t: string) => (faqIndex.knows(t) ? faqIndex.idf(t) : rarest);
      const share = (terms: string[], found: (t: string) => boolean) => {
        const total = terms.reduce((sum, t) => sum + weight(t), 0);
        return total > 0
          ? terms.reduce((sum, t) => sum + (found(t) ? weight(t) : 0), 0) / total
          : 0;
      };
      // A question that adds its own particulars ("… per un figlio minorenne all'estero") is not
      // answered by a FAQ about the general case: two or more words of its subject, weighing a
      // fair share of it, that the FAQ uses nowhere (phrasings, answer, tags, synonyms) mean a
      // more specific question than the FAQ. One changed word is a paraphrase, not a
      // particular, and the asking words ("in che modo si inoltra") are not the subject.
      const particular = (t: string) => subject.has(t) && !reached.has(t);
      if (
        contentTerms.filter(particular).length >= FAQ_MAX_UNCOVERED &&
        share(contentTerms, particular) >= FAQ_UNCOVERED_SHARE
      ) {
        continue;
      }
      let bestPhrasingCovered = 0;
      for (const phrasing of [faq.question, ...faq.alternatives]) {
        // Region words count on neither side: the region was checked above.
        const terms = new Set(analyze(stripRegionMentions(phrasing)));
        // A question term counts when the phrasing has it, or the FAQ matched it through a
        // synonym or a correction that the phrasing's own terms cannot show.
        const questionCovered = share(
          contentTerms,
          (t) => terms.has(t) || (reached.has(t) && !hit.exact.includes(t)),
        );
        const phrasingCovered = share([...terms], (t) => query.has(t));
        bestPhrasingCovered = Math.max(bestPhrasingCovered, phrasingCovered);
        // A bare keyword is not a question about every FAQ that contains it.
        if (phrasingCovered < FAQ_MIN_PHRASING) continue;
        const similarity =
          questionCovered ** FAQ_QUESTION_WEIGHT * phrasingCovered ** (1 - FAQ_QUESTION_WEIGHT);
        if (similarity > (scored.get(faq.id)?.similarity ?? -1)) {
          scored.set(faq.id, { faq, similarity });
        }
      }
      ranked.push({
        faq,
        score: hit.score,
        questionCovered: share(contentTerms, (t) => reached.has(t)),
        phrasingCovered: bestPhrasingCovered,
      });
    }
    // BM25 ranks FAQ that repeat a word; the one that holds more of the question, and whose
    // phrasing the question asks, is more often the right one (QA4FAQ: first 44.8 -> 45.5 %,
    // in the first three 67.3 -> 70.3 %).
    const top = Math.max(...ranked.map((r) => r.score), Number.MIN_VALUE);
    for (const r of ranked) {
      r.score =
        r.score / top +
        FAQ_RERANK_COVERAGE * r.questionCovered +
        FAQ_RERANK_PHRASING * r.phrasingCovered;
    }
    ranked.sort((a, b) => b.score - a.score);
    const [best, second] = [...scored.values()].sort((a, b) => b.similarity - a.similarity);
    // Two FAQ that fit the question equally well (the same subject, each missing the word the
    // question puts differently): neither is a safe answer.
    if (
      best &&
      best.similarity >= FAQ_MATCH &&
      !(second && best.similarity - second.similarity < FAQ_MARGIN)
    ) {
      // Its phrasing matches; shown as certain when its words make it likely too.
      const entry = ranked.find((r) => r.faq.id === best.faq.id);
      const p = entry ? faqProbability(entry, ranked, contentTerms.length, 1) : 1;
      return p >= FAQ_CERTAIN
        ? {
            faq: best.faq,
            fallback: false,
            confidence: Math.min(1, 0.5 + best.similarity / 2),
            alternatives: null,
          }
        : {
            faq: best.faq,
            fallback: false,
            confidence: p,
            alternatives: othersThan(best.faq, ranked),
          };
    }
    // A FAQ that asks another kind of thing ("Quanto dura …?" for "Chi è ammesso …?") is not the
    // one asked about, however many words they share.
    const asked = questionType(question);
    const sameKind = (faq: PublishedFaq) =>
      asked === null ||
      [faq.question, ...faq.alternatives].some((q) => {
        const type = questionType(q);
        return type === null || type === asked;
      });
    const first = ranked.find((r) => sameKind(r.faq));
    if (!first) return null;
    // Alone in the ranking, a FAQ has no lead to show: in a short FAQ list one shared word is
    // enough to be the only one found.
    const probability = faqProbability(first, ranked, contentTerms.length, 0);
    if (probability < FAQ_PROBABLE) return null;
    return {
      faq: first.faq,
      fallback: true,
      confidence: probability,
      alternatives: othersThan(first.faq, ranked),
    };
  }

  function othersThan(faq: PublishedFaq, ranked: RankedFaq[]): PublishedFaq[] {
    return ranked
      .filter((r) => r.faq.id !== faq.id)
      .slice(0, FAQ_OTHERS)
      .map((r) => r.faq);
  }

  /**
   * The probable-FAQ model's probability that `entry` is the FAQ asked about; `alone` is the lead
   * counted when no other FAQ was found (1 for a FAQ whose phrasing matches, 0 otherwise).
   */
  function faqProbability(
    entry: RankedFaq,
    ranked: RankedFaq[],
    terms: number,
    alone: number,
  ): number {
    const next = ranked.find((r) => r !== entry);
    const m = FAQ_PROBABLE_MODEL;
    const lead = !next
      ? alone
      : entry.score > 0
        ? Math.max(0, entry.score - next.score) / entry.score
        : 0;
    const z =
      m.bias +
      m.questionCovered * entry.questionCovered +
      m.lead * lead +
      m.phrasingCovered * entry.phrasingCovered +
      m.length * Math.min(1, terms / 8);
    return 1 / (1 + Math.exp(-z));
  }

  function decide(
    rawText: string,
    askOptions?: { topK?: number; rankingFeatures?: boolean },
  ): Explained {
    const { index, passages, documents, regions, coveredKeys, corpus } = docs;
    let signals: RetrievalSignals | null = null;
    let cited: RetrievedPassage[] = [];
    let factText: string | null = null;
    let bar: Explained["bar"] = null;
    let ranking: RankingCandidate[] | undefined;
    const started = performance.now();
    const topK = askOptions?.topK ?? 5;
    const text = withKnownLetterCodes(correctRegionNames(sanitiseQuestion(rawText)), (term) =>
      index.knows(term),
    );
    const queryTerms = index.queryTerms(text);
    const finish = (answer: Omit<Answer, "text" | "latencyMs" | "fingerprint">): Explained => ({
      answer: {
        answer: null,
        followUpOf: null,
        uncertain: false,
        ...answer,
        text: renderPlainText(answer.parts),
        fingerprint: corpus.fingerprint,
        latencyMs: performance.now() - started,
      },
      signals,
      cited,
      fact: factText,
      bar,
      ...(ranking ? { ranking } : {}),
    });
    const decline = (
      reason: DeclineReason,
      top: RetrievedPassage[],
      confidence: number,
      region: Answer["region"],
    ) =>
      finish({
        status: "declined",
        source: null,
        confidence,
        parts: composeDecline(
          reason,
          searchedWords(text),
          region ? { name: region.name, covered: regions } : null,
        ),
        faq: null,
        passages: top,
        reason,
        region,
      });

    // Only numbers ("2", "^2", "2019") are not a question: nothing says what about them.
    if (queryTerms.every((t) => /^[\d.,/-]+$/.test(t))) return decline("empty", [], 0, null);

    const mentions = findRegionMentions(text);
    const named = mentions.map((m) => m.region);
    // The words naming a region are served by the region filter, not by the passage's text:
    // they do not count towards how well a passage covers the question.
    const regionTerms = new Set(analyze(mentions.map((m) => m.words).join(" ")));
    const contentTerms = queryTerms.filter((t) => !regionTerms.has(t));
    const coveredNamed = named.filter((r) => coveredKeys.has(regionKey(r)));
    const uncoveredNamed = named.filter((r) => !coveredKeys.has(regionKey(r)));
    const region: Answer["region"] =
      named.length === 0
        ? null
        : coveredNamed.length > 0
          ? { name: coveredNamed[0] ?? "", covered: true }
          : { name: uncoveredNamed[0] ?? "", covered: false };

    const faqMatch = answerFromFaq(text, contentTerms, named);

    // Retrieval. A covered region restricts the search to its documents and national ones; an
    // uncovered one leaves only national passages that name that region.
    const allowedRegions: Array<string | null> | undefined =
      named.length === 0 ? undefined : [...coveredNamed.map((r) => regionsByKey(regions, r)), null];
    // Within a covered region's documents every passage is about that region, so its name only
    // adds noise: it is searched without it, and national passages that name it are preferred.
    const searchText = coveredNamed.length > 0 ? stripRegionMentions(text) : text;
    const hits = index.search(searchText, { limit: CANDIDATES, regions: allowedRegions });
    const ranked: Candidate[] = [];
    for (const hit of hits) {
      const passage = passages.get(hit.id);
      if (!passage) continue;
      const document = documents.get(passage.documentId);
      // Tables list many activities in few words: they match many terms without answering.
      let score = passage.kind === "table" ? hit.score * TABLE_PRIOR : hit.score;
      if (region && document?.region === null) {
        // A national passage answers for a region only if it names that region, or names
        // none (then it applies everywhere, with less weight); one about other regions never.
        const passageRegions = regionsNamedIn(passage);
        const mentions = named.some((r) => passageRegions.includes(r));
        if (!mentions && (!region.covered || passageRegions.length > 0)) continue;
        // For a region the corpus does not cover, the passage must be about it, not name it in
        // a list of the regions where something happened.
        if (!region.covered && passageRegions.length > MAX_REGIONS_NAMED) continue;
        if (!mentions) score *= NATIONAL_WITHOUT_REGION;
      }
      const r = retrieved(passage, score);
      if (r) ranked.push({ ...r, matched: hit.matched, exact: hit.exact });
    }
    const want = wantedFact(text);
    const scoredTerms = contentTerms.length > 0 ? contentTerms : queryTerms;
    // A question word that the corpus never uses and that no candidate matches through a
    // correction or a synonym ("come mai", "si pensa", a paraphrase's own verbs) is in no
    // candidate: it ranks none of them, but in coverage's denominator it shrank coverage's share
    // of the ranking against BM25, most for the paraphrases that need it. Left out of the
    // ranking only; the confidence still reads it (unknownShare).
    const reached = new Set(ranked.flatMap((c) => c.matched));
    const rankTerms = scoredTerms.filter((t) => index.knows(t) || reached.has(t));
    // Signals read the first three places, the fact the first two, the answer the first topK.
    const features = rerank(
      ranked,
      rankTerms.length > 0 ? rankTerms : scoredTerms,
      queryTerms,
      Math.max(topK, 3),
      want,
      askOptions?.rankingFeatures,
    );
    if (askOptions?.rankingFeatures) ranking = features;
    const top: RetrievedPassage[] = ranked.slice(0, topK).map(withoutMatched);
    const facts = rankFactSentences(
      text,
      ranked.slice(0, FACT_PASSAGES).map((c) => c.passage),
      scoredTerms,
      analyze,
      (t) => index.idf(t),
    );
    // For a region the corpus does not cover, the answer is a sentence about that region.
    const fact =
      region && !region.covered
        ? (facts.find((f) => findRegions(f.text).includes(region.name)) ?? facts[0])
        : facts[0];
    if (ranked.length > 0) {
      signals = signalsFor(scoredTerms, ranked, fact, want !== null);
    }
    cited = citedPassages(ranked, fact);
    factText = fact?.text ?? null;

    const answerWithFaq = (match: FaqMatch) =>
      finish({
        status: "answered",
        source: "faq",
        confidence: match.confidence,
        // The FAQ decision's own mark: a probable FAQ comes with the next ones to look at.
        uncertain: match.alternatives !== null,
        parts: composeFaqAnswer(match.faq, faqSources(match.faq), match.alternatives),
        answer: { text: match.faq.answer.trim(), passageId: null },
        faq: { id: match.faq.id, question: match.faq.question, version: match.faq.version },
        alsoOffered: (match.alternatives ?? []).map((f) => ({ id: f.id, question: f.question })),
        passages: top,
        reason: null,
        region,
      });
    if (faqMatch && !faqMatch.fallback) return answerWithFaq(faqMatch);

    // With no document at all (an empty manifest) no region is "uncovered": nothing is found.
    const uncovered = region !== null && !region.covered && documents.size > 0;
    // When the documents do not answer, a probable FAQ is offered, with the next ones; never
    // for a region the documents do not cover.
    const probable = faqMatch?.fallback && !uncovered ? faqMatch : null;
    if (ranked.length === 0) {
      if (probable) return answerWithFaq(probable);
      return decline(uncovered ? "uncovered-region" : "no-match", top, 0, region);
    }
    const confidence = signals ? confidenceOf(signals, calibration) : 0;
    // For a region the corpus does not cover, only a national passage about that region can
    // answer, and only with certainty: a near miss would answer with another region's rules.
    bar = region && !region.covered ? "certain" : "threshold";
    if (confidence < calibration[bar]) {
      if (probable) return answerWithFaq(probable);
      return decline(uncovered ? "uncovered-region" : "low-confidence", top, confidence, region);
    }
    // …and the sentence that answers must itself name that region: a passage that names it in a
    // list of places or regions holds no fact about it.
    if (region && !region.covered && !(fact && findRegions(fact.text).includes(region.name))) {
      bar = null;
      return decline(uncovered ? "uncovered-region" : "low-confidence", top, confidence, region);
    }

    const termSet = new Set(scoredTerms);
    const excerpts = cited.map((r, i) => ({
      retrieved: r,
      excerpt: selectExcerpt(r.passage.text, termSet, analyze, (t) => index.idf(t), {
        maxChars: i === 0 ? 350 : 250,
        maxSentences: 2,
        exclude: i === 0 && fact ? fact.text : undefined,
      }),
    }));
    const uncertain = confidence < calibration.certain;
    return finish({
      status: "answered",
      source: "documents",
      confidence,
      uncertain,
      parts: composeDocumentAnswer(fact?.text ?? null, excerpts, uncertain),
      answer: fact ? { text: fact.text, passageId: fact.passageId } : null,
      faq: null,
      passages: top,
      reason: null,
      region,
    });
  }

  /**
   * The passages an answer cites: the one holding the answering sentence first, then the best
   * ranked passage when that is another one and scores close to it (supporting context).
   */
  function citedPassages(ranked: Candidate[], fact: FactSentence | undefined): RetrievedPassage[] {
    const best = ranked[0];
    if (!best) return [];
    const holder = fact ? ranked.find((c) => c.passage.id === fact.passageId) : undefined;
    if (!holder || holder === best) return [withoutMatched(best)];
    return [withoutMatched(holder), withoutMatched(best)];
  }

  function faqSources(faq: PublishedFaq): RetrievedPassage[] {
    const { documents, corpus } = docs;
    const found: RetrievedPassage[] = [];
    for (const source of faq.sources) {
      const document = documents.get(source.document);
      if (!document) continue;
      const candidates = corpus.passages.filter(
        (p) =>
          p.documentId === document.id &&
          (!source.section ||
            p.breadcrumb.join(" ").toLowerCase().includes(source.section.toLowerCase())) &&
          (source.page === undefined ||
            (p.location.pageStart !== undefined &&
              p.location.pageStart <= source.page &&
              (p.location.pageEnd ?? p.location.pageStart) >= source.page)),
      );
      const passage = candidates[0];
      if (passage) {
        const r = retrieved(passage, 0);
        if (r) found.push(r);
      }
    }
    return found;
  }

  return {
    get index() {
      return docs.index;
    },
    ask: (text, askOptions) => decide(text, askOptions).answer,
    signals: (text) => decide(text).signals,
    explain: (text, askOptions) => decide(text, askOptions),
    passage(id) {
      const passage = docs.passages.get(id);
      return passage ? retrieved(passage, 0) : undefined;
    },
    documents: () => [...docs.documents.values()],
    regions: () => [...docs.regions],
    get fingerprint() {
      return docs.corpus.fingerprint;
    },
    setCorpus(corpus: Corpus, index?: SearchIndexPort) {
      // Build first, swap in one assignment: a question in flight keeps the state it read.
      docs = documentState(corpus, index ?? buildIndex(searchDocumentsOf(corpus)));
    },
    applyDocumentChanges(changes: DocumentChanges) {
      const { index, corpus } = docs;
      const replaced = new Set([
        ...changes.removedDocumentIds,
        ...changes.added.map((d) => d.meta.id),
      ]);
      const added = {
        documents: changes.added.map((d) => d.meta),
        passages: changes.added.flatMap((d) => d.passages),
      };
      if (!changes.indexed) {
        for (const id of replaced) index.removeDocument(id);
        index.addDocuments(searchDocumentsOf(added, { payload: index.engine === "disk" }));
      }
      docs = documentState(
        {
          documents: [...corpus.documents.filter((d) => !replaced.has(d.id)), ...added.documents],
          passages: [
            ...corpus.passages.filter((p) => !replaced.has(p.documentId)),
            ...added.passages,
          ],
          fingerprint: changes.fingerprint,
        },
        index,
      );
    },
    faqs: () => faqState.faqs,
    setFaqs(faqs) {
      // Build first, swap in one assignment: a question in flight keeps the state it read.
      faqState = buildFaqState(faqs, thesaurus, options.faqIndexStore);
    },
    // For grouping similar questions: the analysed terms plus those of their thesaurus
    // alternatives, so that "RdC" and "reddito di cittadinanza" meet.
    faqMatches(question, faq) {
      const text = correctRegionNames(sanitiseQuestion(question));
      const mentions = findRegionMentions(text);
      const regionTerms = new Set(analyze(mentions.map((m) => m.words).join(" ")));
      const contentTerms = docs.index.queryTerms(text).filter((t) => !regionTerms.has(t));
      const named = mentions.map((m) => m.region);
      // Curation's "this FAQ answers it" (preselected and notified at publication) is a match by
      // its phrasing; a probable FAQ the model finds is only offered in chat.
      const match = answerFromFaq(text, contentTerms, named, buildFaqState([faq], thesaurus));
      return match !== null && !match.fallback;
    },
    analyze(text) {
      const terms = analyze(text);
      const alternatives = thesaurus?.expand(terms).flatMap((e) => e.alternative.terms) ?? [];
      return [...terms, ...alternatives];
    },
  };
}

function regionsByKey(regions: string[], name: string): string {
  return regions.find((r) => regionKey(r) === regionKey(name)) ?? name;
}

/** Drops control characters and caps the length; the analysis handles the rest. */
export function sanitiseQuestion(text: string): string {
  return text
    .replace(/\p{Cc}/gu, (c) => (c === "\n" || c === "\t" ? c : " "))
    .slice(0, 10 * MAX_QUESTION_CHARS)
    .trim();
}

/** The words of the question that were searched, as the person typed them, for the decline. */
function searchedWords(text: string): string[] {
  const words = text.slice(0, MAX_QUESTION_CHARS).match(/[\p{L}\p{N}][\p{L}\p{N}'’./-]*/gu) ?? [];
  const kept: string[] = [];
  for (const word of words) {
    const cleaned = word.replace(/[.'’/-]+$/u, "");
    if (analyze(cleaned).length > 0 && !kept.includes(cleaned.toLowerCase())) {
      kept.push(cleaned.toLowerCase());
    }
    if (kept.length >= 8) break;
  }
  return kept;
}

export type { DocumentMeta };
