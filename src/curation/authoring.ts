// FAQ authoring help: a draft answer proposed from the sentences of the best passages that
// answer the question, each with its citation, and those passages offered as sources. A passage
// that is a table of contents (titles and page numbers) names where a fact is, not the fact: it
// is never proposed.
import type { AnswerEngine } from "../answer/engine-types.js";
import { splitSentences } from "../answer/excerpt.js";
import type { RetrievedPassage } from "../answer/types.js";
import type { Faq } from "../knowledge/types.js";
import { analyze } from "../search/analysis.js";

/** A passage offered as a source, with the sentence that answers. */
export interface ProposedSource {
  /** 1-based number used in the proposed answer ("[1]"). */
  n: number;
  passageId: string;
  documentTitle: string;
  location: string;
  sentence: string;
  source: Faq["sources"][number];
}

export interface AnswerProposal {
  /** The proposed answer with "[n]" citations; "" when no passage says anything useful. */
  answer: string;
  sources: ProposedSource[];
}

const maxSources = 3;

/**
 * True for a table of contents or index: most lines end with a page number or dot leaders
 * ("Art. 3 Trattamento dei dati ........ 4").
 */
export function looksLikeContents(text: string): boolean {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length < 3) return /\.{4,}|…{2,}/.test(text);
  const numbered = lines.filter((l) => /(\.{3,}|…+|\s)\s*\d{1,3}$/.test(l)).length;
  return numbered / lines.length >= 0.5;
}

/** The sentence of `text` that covers most of the question's weight; "" when none shares a term. */
function answeringSentence(text: string, terms: Set<string>, weight: (t: string) => number) {
  let best = { sentence: "", score: 0 };
  for (const sentence of splitSentences(text)) {
    let score = 0;
    for (const term of new Set(analyze(sentence))) if (terms.has(term)) score += weight(term);
    if (score > best.score) best = { sentence, score };
  }
  return best;
}

function sourceOf(hit: RetrievedPassage): Faq["sources"][number] {
  const section = hit.passage.breadcrumb.at(-1);
  const page = hit.passage.location.pageStart;
  return {
    document: hit.document.id,
    ...(section ? { section } : {}),
    ...(page !== undefined ? { page } : {}),
  };
}

export function proposeAnswer(
  engine: Pick<AnswerEngine, "ask">,
  question: string,
  weight: (term: string) => number = () => 1,
): AnswerProposal {
  const terms = new Set(analyze(question));
  const hits = engine.ask(question).passages.filter((hit) => !looksLikeContents(hit.passage.text));
  const sources: ProposedSource[] = [];
  for (const hit of hits) {
    const { sentence, score } = answeringSentence(hit.passage.text, terms, weight);
    if (score === 0 || sources.some((s) => s.sentence === sentence)) continue;
    sources.push({
      n: sources.length + 1,
      passageId: hit.passage.id,
      documentTitle: hit.document.title,
      location: hit.location,
      sentence,
      source: sourceOf(hit),
    });
    if (sources.length >= maxSources) break;
  }
  return {
    answer: sources.map((s) => `${s.sentence} [${s.n}]`).join(" "),
    sources,
  };
}
