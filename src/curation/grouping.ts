// Decides which unanswered group a new question joins. Questions are compared as sets of analysed
// terms (the search's Italian analysis: folded, stop words out, stemmed), weighted by how rare a
// term is in the queue, so that "navigator" or "reddito" shared by everything counts little and
// "carta" + "ritir" shared by two paraphrases counts a lot.

/** A new question joins the best group whose similarity reaches this; tuned on fixtures. */
export const groupingThreshold = 0.3;

export interface GroupTerms {
  groupId: number;
  /** Term sets of the group's questions. */
  terms: string[][];
}

export interface GroupMatch {
  groupId: number;
  similarity: number;
}

/** Inverse document frequency over the queue, smoothed so that a tiny queue still works. */
export function queueIdf(termSets: Iterable<string[]>): (term: string) => number {
  const df = new Map<string, number>();
  let n = 0;
  for (const terms of termSets) {
    n++;
    for (const term of new Set(terms)) df.set(term, (df.get(term) ?? 0) + 1);
  }
  return (term) => Math.log((n + 1) / ((df.get(term) ?? 0) + 0.5)) + 1;
}

function bigrams(terms: string[]): Set<string> {
  const pairs = new Set<string>();
  for (let i = 1; i < terms.length; i++) pairs.add(`${terms[i - 1]} ${terms[i]}`);
  return pairs;
}

/**
 * IDF-weighted cosine between two questions' terms (in text order), or 0 when what they share is
 * only a topic. They must share at least half of the shorter one's terms, and either the whole
 * shorter question or two distinct concepts, where a phrase found in both ("redd cittadin",
 * "patt lavor") counts as one concept: "come si calcola il reddito di cittadinanza" and "come si
 * richiede il reddito di cittadinanza" are different questions about the same thing.
 */
export function termSimilarity(
  a: string[],
  b: string[],
  idf: (term: string) => number,
  phrases = true,
): number {
  const setA = new Set(a);
  const setB = new Set(b);
  if (setA.size === 0 || setB.size === 0) return 0;
  let shared = 0;
  let sharedCount = 0;
  let normA = 0;
  let normB = 0;
  for (const term of setA) {
    const w = idf(term) ** 2;
    normA += w;
    if (setB.has(term)) {
      shared += w;
      sharedCount++;
    }
  }
  for (const term of setB) normB += idf(term) ** 2;
  const shorter = Math.min(setA.size, setB.size);
  if (sharedCount < Math.ceil(shorter / 2)) return 0;
  if (!phrases) return shared / Math.sqrt(normA * normB);
  const pairsB = bigrams(b);
  let sharedPhrases = 0;
  for (const pair of bigrams(a)) if (pairsB.has(pair)) sharedPhrases++;
  const concepts = sharedCount - sharedPhrases;
  if (sharedCount < shorter && concepts < 2) return 0;
  return shared / Math.sqrt(normA * normB);
}

/**
 * The group a question with `terms` belongs to, or null for a new group. A group's score is its
 * closest question (a group of paraphrases is as wide as its phrasings), ties to the larger group.
 */
export interface GroupingOptions {
  threshold?: number;
  /**
   * How informative a term is in the corpus (the search index's IDF), when known. Terms the whole
   * corpus talks about ("reddito di cittadinanza") then weigh less than the question's point.
   */
  background?: (term: string) => number;
  /**
   * Count a phrase shared by both questions as one concept (see termSimilarity). Default: only
   * without `background`, which already tells a topic from a point.
   */
  phrases?: boolean;
}

export function findGroup(
  terms: string[],
  groups: GroupTerms[],
  options: GroupingOptions = {},
): GroupMatch | null {
  const threshold = options.threshold ?? groupingThreshold;
  if (terms.length === 0) return null;
  const queue = queueIdf([terms, ...groups.flatMap((g) => g.terms)]);
  const background = options.background;
  const idf = background ? (t: string) => queue(t) * background(t) : queue;
  const phrases = options.phrases ?? background === undefined;
  let best: GroupMatch | null = null;
  let bestSize = 0;
  for (const group of groups) {
    let similarity = 0;
    for (const other of group.terms) {
      similarity = Math.max(similarity, termSimilarity(terms, other, idf, phrases));
    }
    const better =
      best === null ||
      similarity > best.similarity ||
      (similarity === best.similarity && group.terms.length > bestSize);
    if (similarity >= threshold && better) {
      best = { groupId: group.groupId, similarity };
      bestSize = group.terms.length;
    }
  }
  return best;
}
