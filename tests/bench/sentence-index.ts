// Would a sentence-level index help? Each passage is also indexed sentence by sentence (a
// sentence with the next one, so that a fact split over two sentences stays together), and a
// passage's score becomes its own normalised score plus `weight` times its best sentence's.
// Measured at retrieval level (no reranking, no confidence) on SQuAD-it and on the gold sets of
// the default corpus, against the passage index alone.
// Run: npm run build && node dist/tests/bench/sentence-index.js [squad-it dir]
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { splitSentences } from "../../src/answer/excerpt.js";
import { type GoldQuestion, isHit, loadGold } from "../../src/eval/gold.js";
import { loadKnowledge } from "../../src/knowledge/index.js";
import { SearchIndex } from "../../src/search/index.js";
import type { SearchDocument } from "../../src/search/port.js";
import { Thesaurus } from "../../src/search/thesaurus.js";

interface Unit {
  id: string;
  heading: string;
  text: string;
}
interface Case {
  question: string;
  hit: (id: string) => boolean;
}
type Figures = { r1: number; r3: number; r5: number; mrr: number };

const WEIGHTS = [0, 0.3, 0.5, 1];
const DEPTH = 30;

function rankings(units: Unit[], cases: Case[], thesaurus: Thesaurus): Map<number, Figures> {
  const doc = (id: string, heading: string, body: string): SearchDocument => ({
    id,
    heading,
    body,
    region: null,
    documentId: id,
  });
  const passages = SearchIndex.build(
    units.map((u) => doc(u.id, u.heading, u.text)),
    { thesaurus },
  );
  const sentenceDocs: SearchDocument[] = [];
  const owner = new Map<string, string>();
  for (const unit of units) {
    const sentences = splitSentences(unit.text);
    sentences.forEach((sentence, i) => {
      const id = `${unit.id}#${i}`;
      owner.set(id, unit.id);
      sentenceDocs.push(doc(id, unit.heading, `${sentence} ${sentences[i + 1] ?? ""}`));
    });
  }
  const sentences = SearchIndex.build(sentenceDocs, { thesaurus });
  const totals = new Map<number, Figures>(WEIGHTS.map((w) => [w, { r1: 0, r3: 0, r5: 0, mrr: 0 }]));
  for (const c of cases) {
    const passageHits = passages.search(c.question, { limit: DEPTH });
    const sentenceHits = sentences.search(c.question, { limit: DEPTH * 3 });
    const top = passageHits[0]?.score ?? 1;
    const topSentence = sentenceHits[0]?.score ?? 1;
    const best = new Map<string, number>();
    for (const hit of sentenceHits) {
      const id = owner.get(hit.id) ?? "";
      best.set(id, Math.max(best.get(id) ?? 0, hit.score / topSentence));
    }
    for (const weight of WEIGHTS) {
      const scores = new Map<string, number>();
      for (const hit of passageHits) scores.set(hit.id, hit.score / top);
      if (weight > 0) {
        for (const [id, score] of best) scores.set(id, (scores.get(id) ?? 0) + weight * score);
      }
      const ranked = [...scores].sort((a, b) => b[1] - a[1]).map(([id]) => id);
      const rank = ranked.slice(0, 10).findIndex((id) => c.hit(id));
      const figures = totals.get(weight) as Figures;
      if (rank === 0) figures.r1++;
      if (rank >= 0 && rank < 3) figures.r3++;
      if (rank >= 0 && rank < 5) figures.r5++;
      if (rank >= 0) figures.mrr += 1 / (rank + 1);
    }
  }
  for (const figures of totals.values()) {
    figures.r1 /= cases.length;
    figures.r3 /= cases.length;
    figures.r5 /= cases.length;
    figures.mrr /= cases.length;
  }
  return totals;
}

function print(name: string, totals: Map<number, Figures>, n: number): void {
  console.log(`${name} (${n} questions)`);
  for (const [weight, f] of totals) {
    console.log(
      `  sentence weight ${weight.toFixed(1)}: R@1 ${f.r1.toFixed(3)}  R@3 ${f.r3.toFixed(3)}  R@5 ${f.r5.toFixed(3)}  MRR ${f.mrr.toFixed(3)}`,
    );
  }
}

const readJsonl = <T>(path: string): T[] =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);

const root = resolve(import.meta.dirname, "../../..");
const squad = resolve(process.argv[2] ?? join(root, "../shared/bench/squad-it"));
const paragraphs = readJsonl<{ id: string; title: string; text: string }>(
  join(squad, "passages.jsonl"),
);
const squadQuestions = readJsonl<{ question: string; passage: string }>(
  join(squad, "questions_dev.jsonl"),
);
print(
  "SQuAD-it",
  rankings(
    paragraphs.map((p) => ({ id: p.id, heading: p.title, text: p.text })),
    squadQuestions.map((q) => ({ question: q.question, hit: (id) => id === q.passage })),
    Thesaurus.empty(),
  ),
  squadQuestions.length,
);

const knowledge = await loadKnowledge(join(root, "knowledge"));
const titles = new Map(knowledge.documents.map((d) => [d.meta.id, d.meta.title]));
const passages = knowledge.documents.flatMap((d) => d.passages);
const byId = new Map(passages.map((p) => [p.id, p]));
const units = passages.map((p) => ({
  id: p.id,
  heading: [titles.get(p.documentId) ?? "", ...p.breadcrumb].join("\n"),
  text: p.text,
}));
const thesaurus = Thesaurus.load(join(root, "knowledge", "thesaurus.yaml"));
for (const path of [
  join(root, "../shared/eval/gold_dev.jsonl"),
  join(root, "tests/eval/gold_new.jsonl"),
]) {
  const gold = loadGold(path).filter(
    (q): q is GoldQuestion & { expected: NonNullable<GoldQuestion["expected"]> } =>
      q.expected !== null,
  );
  const cases = gold.map((q) => ({
    question: q.question,
    hit: (id: string) => {
      const passage = byId.get(id);
      return passage !== undefined && isHit(q.expected, passage);
    },
  }));
  print(path.split("/").pop() ?? path, rankings(units, cases, thesaurus), cases.length);
}
