// How a question becomes weighted term clauses, shared by every engine behind the search port:
// the user's own terms, thesaurus alternatives and typo corrections, each tier with its boost.
import { type AnalysedWord, analyze, analyzeWords, foldText, termOfWord } from "./analysis.js";
import type { Thesaurus } from "./thesaurus.js";
import { WORD_FAMILIES } from "./word-families.js";

// Boosts of the three clause tiers. Only their ratios matter to the ranking. Alternatives
// from the thesaurus stay below the user's own words (0.7 measured best on the development
// questions with SQuAD-it unchanged; 0.4 lost three points of R@1 on paraphrases) and typo
// corrections well below, so that they add recall without overturning an exact match.
export const EXACT_BOOST = 1;
export const SYNONYM_BOOST = 0.7;
export const TYPO_BOOST = 0.3;
/**
 * Words derived from a question word (regionale → regione, iscrizione → iscrivere) weigh less
 * than the word itself: they widen recall for paraphrases without outranking the wording used.
 * 0.3 and 0.5 gave the same figures on the gold sets; 0.5 cost 0.5 point of R@1 on SQuAD-it.
 */
export const FAMILY_BOOST = 0.3;
/** Indexed words that complete a truncated abbreviation ("lav." → lavoratori, lavoro). */
export const PREFIX_BOOST = 0.5;
/** An abbreviation is completed by at most this many terms, the most frequent first. */
export const MAX_PREFIX_TERMS = 4;
/** Shorter truncations ("c.", "n.", "L.") are legal abbreviations, not word beginnings. */
export const PREFIX_MIN_LENGTH = 3;
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
  /**
   * For each query term of a misspelt word: the terms of the known words one edit away; of a
   * truncated abbreviation: the terms of the indexed words it begins.
   */
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
  /** Indexed words that start with `prefix` (any order). */
  wordsWithPrefix(prefix: string): string[];
  /** How many documents have this analysed term (0 when none). */
  documentFrequency(term: string): number;
}

/** The analysed terms of a query: unique, in query order, at most MAX_QUERY_TERMS. */
export function queryTermsOf(query: string): string[] {
  if (typeof query !== "string") return [];
  const unique = [...new Set(analyze(query.slice(0, MAX_QUERY_CHARS)))];
  return unique.slice(0, MAX_QUERY_TERMS);
}

export function planQuery(query: string, vocabulary: Vocabulary, thesaurus: Thesaurus): QueryPlan {
  const text = typeof query === "string" ? query.slice(0, MAX_QUERY_CHARS) : "";
  const words = analyzeWords(text);
  const inOrder = words.flatMap((word) => word.terms);
  const terms = [...new Set(inOrder)].slice(0, MAX_QUERY_TERMS);
  const own = new Set(terms);
  const extraTerms = new Map<string, number>();
  const addExtra = (term: string, boost: number) => {
    if (own.has(term) || !vocabulary.hasTerm(term)) return;
    extraTerms.set(term, Math.max(boost, extraTerms.get(term) ?? 0));
  };

  const corrections = completeAbbreviations(text, own, vocabulary);
  for (const candidates of corrections.values()) {
    for (const term of candidates) addExtra(term, PREFIX_BOOST);
  }
  for (const [term, candidates] of correctTypos(words, own, vocabulary)) {
    if (corrections.has(term)) continue;
    corrections.set(term, candidates);
    for (const candidate of candidates) addExtra(candidate, TYPO_BOOST);
  }

  for (const term of terms) {
    for (const related of familyOf(term)) addExtra(related, FAMILY_BOOST);
  }

  const alternatives = new Map<string, string[][]>();
  /** Expands `sequence`; with `corrected`, only forms that contain its correction. */
  const addAlternatives = (
    sequence: readonly string[],
    boost: number,
    corrected?: { term: string; candidate: string },
  ) => {
    for (const { trigger, alternative } of thesaurus.expand(sequence)) {
      if (corrected && !trigger.terms.includes(corrected.candidate)) continue;
      for (const term of trigger.terms) {
        // A correction's alternatives count for the misspelt word the question has.
        const key = term === corrected?.candidate ? corrected.term : term;
        const list = alternatives.get(key) ?? [];
        list.push(alternative.terms);
        alternatives.set(key, list);
      }
      // An alternative of several words weighs, as a whole, what one word of it would.
      for (const t of alternative.terms) addExtra(t, boost / alternative.terms.length);
    }
  };
  addAlternatives(inOrder, SYNONYM_BOOST);
  // The thesaurus applies to the corrected question too ("reddito di cittadinaza" → RdC), at
  // the weight of a correction, since the correction may be wrong.
  for (const [term, candidates] of corrections) {
    for (const candidate of candidates) {
      const sequence = inOrder.map((t) => (t === term ? candidate : t));
      addAlternatives(sequence, Math.min(SYNONYM_BOOST, TYPO_BOOST), { term, candidate });
    }
  }
  return { terms, corrections, alternatives, extraTerms };
}

/** A word of three or more letters cut by a full stop: "univ.", "lav.", "amm.". */
const TRUNCATED = /(?<![\p{L}\p{N}.'])(\p{L}+)\.(?![\p{L}\p{N}])/gu;

/**
 * Truncated abbreviations: a word followed by a full stop that the index has never seen, nor
 * its stem, is completed by the indexed words that start with it ("lav." → lavoratori,
 * lavoro), the most frequent terms first, at most MAX_PREFIX_TERMS.
 */
function completeAbbreviations(
  text: string,
  own: Set<string>,
  vocabulary: Vocabulary,
): Map<string, string[]> {
  const completions = new Map<string, string[]>();
  if (!text.includes(".")) return completions;
  for (const match of foldText(text).matchAll(TRUNCATED)) {
    const word = match[1] ?? "";
    const term = termOfWord(word);
    if (word.length < PREFIX_MIN_LENGTH || !own.has(term) || completions.has(term)) continue;
    if (vocabulary.hasWord(word) || vocabulary.hasTerm(term)) continue;
    const candidates = [
      ...new Set(
        vocabulary
          .wordsWithPrefix(word)
          .map(termOfWord)
          .filter((t) => t.length > 0),
      ),
    ]
      .filter((t) => !own.has(t))
      .sort((a, b) => vocabulary.documentFrequency(b) - vocabulary.documentFrequency(a))
      .slice(0, MAX_PREFIX_TERMS);
    if (candidates.length > 0) completions.set(term, candidates);
  }
  return completions;
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

/**
 * The words of `known` that start with `prefix`, looked up in a sorted copy made once per
 * vocabulary (and again when it has grown).
 */
export function wordsWithPrefixIn(known: WordList, prefix: string): string[] {
  let sorted = sortedCopies.get(known);
  if (!sorted || sorted.length !== known.size) {
    sorted = [...known].sort();
    sortedCopies.set(known, sorted);
  }
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? "") < prefix) low = middle + 1;
    else high = middle;
  }
  const found: string[] = [];
  for (let i = low; i < sorted.length && sorted[i]?.startsWith(prefix); i++) {
    found.push(sorted[i] as string);
  }
  return found;
}
const sortedCopies = new WeakMap<WordList, string[]>();

/** A vocabulary that can be listed and counted: a Set, or the disk engine's word tables. */
export interface WordList extends Iterable<string> {
  readonly size: number;
}

/**
 * The other stems of `stem`'s derivational families (word-families.ts; a stem can be in two,
 * "form" in forma's and formare's); none for most words. Looked up in the text itself rather
 * than in a table built at start, so that a cold start pays nothing for it.
 */
export function familyOf(stem: string): readonly string[] {
  if (stem.length < 3) return [];
  const cached = familyCache.get(stem);
  if (cached) return cached;
  const found = new Set<string>();
  for (let at = WORD_FAMILIES.indexOf(stem); at >= 0; at = WORD_FAMILIES.indexOf(stem, at + 1)) {
    const end = at + stem.length;
    if (!isBoundary(WORD_FAMILIES[at - 1]) || !isBoundary(WORD_FAMILIES[end])) continue;
    const lineStart = WORD_FAMILIES.lastIndexOf("\n", at) + 1;
    const lineEnd = WORD_FAMILIES.indexOf("\n", end);
    const line = WORD_FAMILIES.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
    for (const other of line.split(" ")) if (other !== stem) found.add(other);
  }
  const family = [...found];
  if (familyCache.size >= 10_000) familyCache.clear();
  familyCache.set(stem, family);
  return family;
}
const familyCache = new Map<string, readonly string[]>();
const isBoundary = (char: string | undefined) =>
  char === undefined || char === " " || char === "\n";
