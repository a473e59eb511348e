// Decides which unanswered group a new question joins: by what is asked (its focus terms), not by
// the words every question shares. A question's focus is its analysed terms minus the region it
// names and the words that say nothing about the point ("CPI", "quanti", "ci sono"); thesaurus
// alternatives ("RdC" → reddito di cittadinanza) are kept apart as aliases, so they help two
// phrasings meet without counting twice. Terms are weighted by how rare they are in the queue and
// in the corpus. The region is part of the question: different regions never share a group.
import { analyze } from "../search/analysis.js";

/** A new question joins the best group whose similarity reaches this; tuned on fixtures. */
export const groupingThreshold = 0.4;

/** At most this many of the question's rarest terms are looked up in the queue's term index. */
export const lookupTerms = 4;
/** At most this many queued questions are compared per looked-up term (the most recent ones). */
export const candidatesPerTerm = 40;

/** What a question asks, as grouping sees it (stored with the queued question). */
export interface QuestionFocus {
  /** The question's own analysed terms in text order, minus the region and generic words. */
  terms: string[];
  /** Thesaurus alternatives of those terms: matched, never required. */
  aliases: string[];
  /** The region the question names, or null. */
  region: string | null;
}

/**
 * Words that appear in questions about anything: Sportello's whole domain is CPI and their
 * services, and "quanti"/"ci sono"/"vorrei sapere" are how people ask, not what.
 */
const genericWords = [
  "cpi",
  "cpi",
  "centro per l'impiego",
  "centri per l'impiego",
  "centro impiego",
  "centri impiego",
  "quanti",
  "quante",
  "quanto",
  "ci sono",
  "c'è",
  "esiste",
  "esistono",
  "domanda",
  "sapere",
  "vorrei",
  "chiedere",
  "informazioni",
  "info",
  "come",
  "cosa",
  "dove",
  "quando",
  "quale",
  "quali",
  "chi",
  "perché",
  "fare",
  "posso",
  "può",
  "possibile",
  "bisogna",
  "serve",
  "servono",
  "devo",
  "deve",
];
let genericTerms: Set<string> | undefined;

/** True for a term that says nothing about what is asked. */
export function isGenericTerm(term: string): boolean {
  genericTerms ??= new Set(genericWords.flatMap((w) => analyze(w)));
  return genericTerms.has(term);
}

/**
 * The focus of a question from its analysed terms (region words already stripped) and its
 * thesaurus alternatives. With nothing but generic words left, those are its focus: such a
 * question then meets only questions made of the same generic words.
 */
export function questionFocus(
  terms: readonly string[],
  alternatives: readonly string[],
  region: string | null,
): QuestionFocus {
  const own = [...new Set(terms)];
  const specific = own.filter((t) => !isGenericTerm(t));
  const focus = specific.length > 0 ? specific : own;
  const aliases = [...new Set(alternatives)].filter((t) => !focus.includes(t) && !isGenericTerm(t));
  return { terms: focus, aliases, region };
}

/** Inverse document frequency over the queue (n questions, df of the term), smoothed. */
export function queueIdf(n: number, df: number): number {
  return Math.log((n + 1) / (df + 0.5)) + 1;
}

/** Pairs of consecutive terms: a phrase shared by both questions counts as one concept. */
function bigrams(terms: readonly string[]): Set<string> {
  const pairs = new Set<string>();
  for (let i = 1; i < terms.length; i++) pairs.add(`${terms[i - 1]} ${terms[i]}`);
  return pairs;
}

/**
 * How much two questions ask the same thing, in [0, 1]: the weighted share of each one's focus
 * terms found in the other (as a term or an alias). 0 when the regions differ, when they share
 * one concept but not the whole of the shorter question ("come si calcola il reddito di
 * cittadinanza" vs "come si richiede il reddito di cittadinanza": the same topic, two questions).
 */
export function focusSimilarity(
  a: QuestionFocus,
  b: QuestionFocus,
  weight: (term: string) => number,
  phrases = true,
): number {
  if ((a.region ?? "") !== (b.region ?? "")) return 0;
  if (a.terms.length === 0 || b.terms.length === 0) return 0;
  const allA = new Set([...a.terms, ...a.aliases]);
  const allB = new Set([...b.terms, ...b.aliases]);
  const matchedA = a.terms.filter((t) => allB.has(t));
  const matchedB = b.terms.filter((t) => allA.has(t));
  if (matchedA.length === 0 || matchedB.length === 0) return 0;
  const complete = matchedA.length === a.terms.length || matchedB.length === b.terms.length;
  if (!complete) {
    // A two-word name found in both questions ("redd cittadin", "patt lavor") is one concept:
    // sharing only it is sharing a topic. A longer shared run is the question itself.
    const pairsB = bigrams([...b.terms, ...b.aliases]);
    let names = 0;
    let run = 0;
    for (let i = 1; i <= a.terms.length; i++) {
      const pair = `${a.terms[i - 1]} ${a.terms[i]}`;
      if (i < a.terms.length && pairsB.has(pair)) run++;
      else {
        if (run === 1) names++;
        run = 0;
      }
    }
    if (Math.min(matchedA.length, matchedB.length) - (phrases ? names : 0) < 2) return 0;
    // Less than half of the shorter question found: a shared detail, not the same question.
    const shorter = Math.min(a.terms.length, b.terms.length);
    if (Math.min(matchedA.length, matchedB.length) < Math.ceil(shorter / 2)) return 0;
  }
  const sum = (terms: readonly string[]) => terms.reduce((s, t) => s + weight(t), 0);
  const total = sum(a.terms) + sum(b.terms);
  return total > 0 ? (sum(matchedA) + sum(matchedB)) / total : 0;
}

export interface GroupCandidate {
  groupId: number;
  focus: QuestionFocus;
}

export interface GroupMatch {
  groupId: number;
  similarity: number;
}

/**
 * The group whose closest question is most similar to `focus` (at least `threshold`), or null for
 * a new group; ties go to the group with more candidate questions.
 */
export function chooseGroup(
  focus: QuestionFocus,
  candidates: readonly GroupCandidate[],
  weight: (term: string) => number,
  options: { threshold?: number; phrases?: boolean } = {},
): GroupMatch | null {
  const threshold = options.threshold ?? groupingThreshold;
  const best = new Map<number, { similarity: number; size: number }>();
  for (const candidate of candidates) {
    const similarity = focusSimilarity(focus, candidate.focus, weight, options.phrases);
    const entry = best.get(candidate.groupId) ?? { similarity: 0, size: 0 };
    entry.similarity = Math.max(entry.similarity, similarity);
    entry.size++;
    best.set(candidate.groupId, entry);
  }
  let match: GroupMatch | null = null;
  let matchSize = 0;
  for (const [groupId, { similarity, size }] of best) {
    if (similarity < threshold) continue;
    if (
      match === null ||
      similarity > match.similarity ||
      (similarity === match.similarity && size > matchSize)
    ) {
      match = { groupId, similarity };
      matchSize = size;
    }
  }
  return match;
}

/** The terms to look up in the queue's index: the rarest first (lowest document frequency). */
export function lookupOrder(focus: QuestionFocus, df: (term: string) => number): string[] {
  return [...new Set([...focus.terms, ...focus.aliases])]
    .sort((x, y) => df(x) - df(y) || compareTerms(x, y))
    .slice(0, lookupTerms);
}

const plainTerm = /^[a-z0-9]*$/;

/**
 * `localeCompare`'s order, without its cost where it is not needed: analysed terms are nearly
 * always lower-case letters and digits, which collate in code-point order, and the first
 * `localeCompare` of a process loads ICU's collation data (~13 ms of a cold `ask` whose question
 * is queued).
 */
function compareTerms(x: string, y: string): number {
  if (plainTerm.test(x) && plainTerm.test(y)) return x < y ? -1 : x > y ? 1 : 0;
  return x.localeCompare(y);
}
