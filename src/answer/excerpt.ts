// Picks the sentences of a passage that answer the question, so that the chat shows a few lines
// instead of a whole section. Sentences are scored by the IDF weight of the question's terms
// they contain, with the same analysis as the search.
import { splitAtSentenceEnds } from "../knowledge/sentences.js";

export type Analyze = (text: string) => string[];
export type Idf = (term: string) => number;

const SENTENCE_START = /[\p{Lu}•-]/u;

/** Splits raw passage text into sentences and list items, keeping their original wording. */
export function splitSentences(text: string): string[] {
  const pieces: string[] = [];
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    // A full stop, question or exclamation mark, or semicolon followed by a space and a capital
    // letter or bullet ends a sentence; abbreviations ("n. 369", "prof. Del Conte", "D.Lgs. 150")
    // do not.
    pieces.push(...splitAtSentenceEnds(trimmed, SENTENCE_START));
  }
  return pieces;
}

export interface ExcerptOptions {
  maxChars: number;
  maxSentences: number;
  /** A sentence already shown (the answering one): left out of the excerpt. */
  exclude?: string;
}

/**
 * The best-scoring sentences of `text` for the question's `terms`, in their original order.
 * Falls back to the opening of the passage when no sentence shares a term with the question.
 */
export function selectExcerpt(
  text: string,
  terms: ReadonlySet<string>,
  analyze: Analyze,
  idf: Idf,
  options: ExcerptOptions = { maxChars: 600, maxSentences: 3 },
): string {
  const sentences = splitSentences(text).filter((s) => !options.exclude?.includes(s));
  if (sentences.length === 0) return "";
  const scored = sentences.map((sentence, index) => {
    const seen = new Set(analyze(sentence));
    let score = 0;
    for (const term of terms) if (seen.has(term)) score += idf(term);
    return { sentence, index, score };
  });
  const ranked = [...scored].filter((s) => s.score > 0).sort((a, b) => b.score - a.score);
  if (ranked.length === 0) return clip(sentences.slice(0, 2).join(" "), options.maxChars);

  const best = ranked[0];
  const chosen = new Set<number>();
  let length = 0;
  for (const candidate of ranked) {
    if (chosen.size >= options.maxSentences) break;
    // Keep only sentences that carry a good share of the best one's weight.
    if (best && candidate.score < best.score * 0.5) break;
    if (length + candidate.sentence.length > options.maxChars && chosen.size > 0) continue;
    chosen.add(candidate.index);
    length += candidate.sentence.length;
  }
  // A very short best sentence ("Art. 3", a label) reads better with the one after it.
  if (best && best.sentence.length < 80 && sentences[best.index + 1]) chosen.add(best.index + 1);
  const ordered = [...chosen].sort((a, b) => a - b);
  const joined: string[] = [];
  let previous = -2;
  for (const index of ordered) {
    const sentence = sentences[index] ?? "";
    joined.push(index === previous + 1 || joined.length === 0 ? sentence : `… ${sentence}`);
    previous = index;
  }
  return clip(joined.join(" "), options.maxChars);
}

function clip(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars);
  const space = cut.lastIndexOf(" ");
  return `${cut.slice(0, space > maxChars * 0.6 ? space : maxChars)}…`;
}
