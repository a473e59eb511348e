// Renders answers for a terminal and for the JSON contract of `sportello ask --json`.
import { type Answer, formatCitation, say } from "../../src/index.js";

const useColour = () => process.stdout.isTTY === true && !process.env.NO_COLOR;
const bold = (text: string) => (useColour() ? `\u001b[1m${text}\u001b[22m` : text);
const dim = (text: string) => (useColour() ? `\u001b[2m${text}\u001b[22m` : text);

/** The answer as the terminal shows it: lead in bold, sources dimmed. */
export function renderTerminalAnswer(answer: Answer): string {
  const blocks = [bold(answer.parts.lead)];
  if (answer.parts.body) blocks.push(answer.parts.body);
  if (answer.parts.citations.length > 0) {
    const lines = answer.parts.citations.map((c) => `[${c.n}] ${formatCitation(c)}`);
    blocks.push(dim([say("answer.sources_heading"), ...lines].join("\n")));
  }
  if (answer.parts.footer) blocks.push(dim(answer.parts.footer));
  return blocks.join("\n\n");
}

/** One line of `sportello ask --json`: the contract read by scripts and the evaluation. */
export function answerToJson(id: string | number | null, question: string, answer: Answer) {
  return {
    id,
    question,
    status: answer.status,
    source: answer.source,
    confidence: Number(answer.confidence.toFixed(4)),
    uncertain: answer.uncertain ?? false,
    text: answer.text,
    answer: answer.answer ?? null,
    followUpOf: answer.followUpOf ?? null,
    faq: answer.faq
      ? { id: answer.faq.id, question: answer.faq.question, version: answer.faq.version }
      : null,
    alsoOffered: answer.alsoOffered ?? [],
    passages: answer.passages.map((p) => ({
      id: p.passage.id,
      document: { id: p.document.id, title: p.document.title, region: p.document.region },
      location: p.location,
      text: p.passage.text,
      score: Number(p.score.toFixed(4)),
    })),
    reason: answer.reason,
    region: answer.region,
    latencyMs: Number(answer.latencyMs.toFixed(3)),
  };
}
