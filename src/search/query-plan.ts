// How a question becomes weighted term clauses, shared by every engine behind the search port:
// the user's own terms, thesaurus alternatives and typo corrections, each tier with its boost.
import { type AnalysedWord, analyze, analyzeWords, termOfWord } from "./analysis.js";
import type { Thesaurus } from "./thesaurus.js";

// Boosts of the three clause tiers. Only their ratios matter to the ranking. Alternatives
// from the thesaurus stay below the user's own words (0.7 measured best on the development
// questions with SQuAD-it unchanged; 0.4 lost three points of R@1 on paraphrases) and typo
// corrections well below, so that they add recall without overturning an exact match.
export const EXACT_BOOST = 1;
export const SYNONYM_BOOST = 0.7;
export const TYPO_BOOST = 0.3;
/** Shorter words are too often one edit away from an unrelated word. */
export const TYPO_MIN_LENGTH = 5;
/** A misspelt word is replaced by at most this many known words. */
export const MAX_CORRECTIONS = 8;
/** Long inputs (a pasted page) are cut: the first terms carry the question. */
export const MAX_QUERY_CHARS = 4_000;
export const MAX_QUERY_TERMS = 64;
const MAX_TYPO_TERMS = 12;
export const DEFAULT_LIMIT = 10;
/**
 * BM25 term-frequency saturation. Slightly below lunr's 1.2: passages are short and questions
 * have many distinct words, so matching one more word should matter more than repeating one.
 */
export const BM25_K1 = 0.8;
export const BM25_B = 0.75;

export interface QueryPlan {
  terms: string[];
  /** For each query term of a misspelt word: the terms of the known words one edit away. */
  corrections: Map<string, string[]>;
  /** For each query term reached through the thesaurus: the alternatives' term lists. */
  alternatives: Map<string, string[][]>;
  /** Terms added by corrections and the thesaurus, with their boost. */
  extraTerms: Map<string, number>;
}

/** What planning needs to know of an index's vocabulary. */
export interface Vocabulary {
  /** True when some document has this analysed term. */
  hasTerm(term: string): boolean;
  /** True when this folded word was indexed (as a whole word, for typo correction). */
  hasWord(word: string): boolean;
  /** Indexed words one edit away from `word` (any order; filtered here). */
  wordsOneEditAway(word: string): string[];
}

/** The analysed terms of a query: unique, in query order, at most MAX_QUERY_TERMS. */
export function queryTermsOf(query: string): string[] {
  if (typeof query !== "string") return [];
  const unique = [...new Set(analyze(query.slice(0, MAX_QUERY_CHARS)))];
  return unique.slice(0, MAX_QUERY_TERMS);
}

export function planQuery(query: string, vocabulary: Vocabulary, thesaurus: Thesaurus): QueryPlan {
  const words = typeof query === "string" ? analyzeWords(query.slice(0, MAX_QUERY_CHARS)) : [];
  const inOrder = words.flatMap((word) => word.terms);
  const terms = [...new Set(inOrder)].slice(0, MAX_QUERY_TERMS);
  const own = new Set(terms);
  const extraTerms = new Map<string, number>();
  const addExtra = (term: string, boost: number) => {
    if (own.has(term) || !vocabulary.hasTerm(term)) return;
    extraTerms.set(term, Math.max(boost, extraTerms.get(term) ?? 0));
  };

  const corrections = correctTypos(words, own, vocabulary);
  for (const candidates of corrections.values()) {
    for (const term of candidates) addExtra(term, TYPO_BOOST);
  }

  const alternatives = new Map<string, string[][]>();
  for (const { trigger, alternative } of thesaurus.expand(inOrder)) {
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
 * whole words rather than stems catches typos that change the stem, and known words are never
 * "corrected".
 */
function correctTypos(
  words: AnalysedWord[],
  own: Set<string>,
  vocabulary: Vocabulary,
): Map<string, string[]> {
  const corrections = new Map<string, string[]>();
  for (const { word, terms } of words) {
    if (corrections.size >= MAX_TYPO_TERMS) break;
    const term = terms[0];
    if (term === undefined || terms.length > 1 || corrections.has(term)) continue;
    if (!isTypoCandidate(word) || vocabulary.hasWord(word) || vocabulary.hasTerm(term)) continue;
    const candidates = vocabulary
      .wordsOneEditAway(word)
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

/** The plan's own terms that a document with the `present` terms matches. */
export function matchedTerms(plan: QueryPlan, present: ReadonlySet<string>): string[] {
  return plan.terms.filter((term) => {
    if (present.has(term)) return true;
    if (plan.corrections.get(term)?.some((t) => present.has(t))) return true;
    const alternatives = plan.alternatives.get(term);
    return alternatives?.some((alt) => alt.every((t) => present.has(t))) ?? false;
  });
}

/** IDF-weighted share of `terms` found in `matched`. */
export function weightedCoverage(
  terms: readonly string[],
  matched: readonly string[],
  idf: (term: string) => number,
): number {
  const found = new Set(matched);
  let total = 0;
  let covered = 0;
  for (const term of terms) {
    const weight = idf(term);
    total += weight;
    if (found.has(term)) covered += weight;
  }
  return total > 0 ? covered / total : 0;
}

/** lunr's BM25 IDF: a term no document has gets the highest value. */
export function bm25Idf(documentFrequency: number, documents: number): number {
  return Math.log(1 + Math.abs((documents - documentFrequency + 0.5) / (documentFrequency + 0.5)));
}

/** A whole word typo correction may suggest: letters only, one letter short of the minimum. */
export function isIndexableWord(word: string): boolean {
  return word.length >= TYPO_MIN_LENGTH - 1 && isWord(word);
}

function isWord(text: string): boolean {
  return /^\p{L}+$/u.test(text);
}

function isTypoCandidate(word: string): boolean {
  return word.length >= TYPO_MIN_LENGTH && isWord(word);
}

/**
 * The words of `known` one edit away from `word` (insertion, deletion, substitution, swap of
 * two neighbours), generated and looked up rather than searched: about 30 × length lookups.
 */
export function editsInSet(
  word: string,
  known: { has(word: string): boolean },
  alphabet: string,
): string[] {
  const found = new Set<string>();
  const check = (candidate: string) => {
    if (candidate !== word && known.has(candidate)) found.add(candidate);
  };
  for (let i = 0; i <= word.length; i++) {
    const head = word.slice(0, i);
    const tail = word.slice(i);
    if (tail.length > 0) check(head + tail.slice(1));
    if (tail.length > 1) check(head + tail[1] + tail[0] + tail.slice(2));
    for (const letter of alphabet) {
      check(head + letter + tail);
      if (tail.length > 0) check(head + letter + tail.slice(1));
    }
  }
  return [...found].sort();
}
