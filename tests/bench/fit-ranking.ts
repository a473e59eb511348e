// Fits the passage ranking's weights (RANKING_WEIGHTS in src/answer/engine.ts) and reports them
// out-of-fold. Every answerable question of the gold sets (default corpus) and of SQuAD-it dev
// is asked once with the engine's ranking features; a linear score over them is fitted with a
// listwise softmax loss (the right passages' share of the softmax over the candidates), started
// from the weights in use and held near them by an L2 penalty. Each question's rank then comes
// from a model fitted without it (5 folds by question id), never in-sample.
// Run: npm run build && node dist/tests/bench/fit-ranking.js [squad-it dir] [squad weight]
// (squad weight: SQuAD-it's total weight against the gold sets', default 1).
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Engine, RankingFeatures } from "../../src/answer/engine.js";
import { openEngine } from "../../src/answer/open.js";
import { foldOf } from "../../src/eval/calibrate.js";
import { isHit, loadGold } from "../../src/eval/gold.js";
import { shippedKnowledge } from "../support/shipped-knowledge.js";

const NAMES = ["bm25", "coverage", "sentence", "typed", "pairs", "heading"] as const;
/** The hand-set weights before the fit: the starting point, and the baseline reported. */
const HAND_SET = [1, 1, 0.35, 0.35, 0, 0];
const FOLDS = 5;
const ITERATIONS = 1_500;
const STEP = 0.05;
const L2 = 0.01;
/** Sharpness of the softmax: scores differ by tenths. */
const TEMPERATURE = 10;

interface Question {
  id: string;
  set: "gold" | "squad";
  weight: number;
  candidates: Array<{ x: number[]; hit: boolean }>;
}
type Figures = { r1: number; r3: number; mrr: number };

const vector = (f: RankingFeatures) => NAMES.map((name) => f[name]);

function questionsOf(engine: Engine, path: string, set: Question["set"]): Question[] {
  const found: Question[] = [];
  for (const q of loadGold(path)) {
    const expected = q.expected;
    if (!expected) continue;
    const explained = engine.explain(q.question, { topK: 10, rankingFeatures: true });
    found.push({
      id: `${path}:${q.id}`,
      set,
      weight: 1,
      candidates: (explained.ranking ?? []).map((c) => {
        const passage = engine.passage(c.passageId)?.passage;
        return { x: vector(c.features), hit: passage ? isHit(expected, passage) : false };
      }),
    });
  }
  return found;
}

const score = (x: number[], w: number[]) => x.reduce((sum, v, j) => sum + v * (w[j] ?? 0), 0);

/** Rank (0-based) of the first right candidate under `w`, or -1. */
function rankOf(q: Question, w: number[]): number {
  const order = q.candidates
    .map((c, i) => ({ s: score(c.x, w), hit: c.hit, i }))
    .sort((a, b) => b.s - a.s || a.i - b.i);
  return order.findIndex((c) => c.hit);
}

function figures(ranks: number[]): Figures {
  const n = ranks.length || 1;
  const round = (v: number) => Number((v / n).toFixed(3));
  return {
    r1: round(ranks.filter((r) => r === 0).length),
    r3: round(ranks.filter((r) => r >= 0 && r < 3).length),
    mrr: round(ranks.reduce((sum, r) => sum + (r >= 0 && r < 10 ? 1 / (r + 1) : 0), 0)),
  };
}

function fitWeights(questions: Question[]): number[] {
  const w = [...HAND_SET];
  const useful = questions.filter(
    (q) => q.candidates.some((c) => c.hit) && q.candidates.some((c) => !c.hit),
  );
  const total = useful.reduce((sum, q) => sum + q.weight, 0) || 1;
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const gradient = w.map(() => 0);
    for (const q of useful) {
      const s = q.candidates.map((c) => TEMPERATURE * score(c.x, w));
      const max = Math.max(...s);
      const e = s.map((v) => Math.exp(v - max));
      const z = e.reduce((a, b) => a + b, 0);
      const p = e.map((v) => v / z);
      const right = q.candidates.reduce((sum, c, i) => sum + (c.hit ? (p[i] ?? 0) : 0), 0);
      q.candidates.forEach((c, i) => {
        const pi = p[i] ?? 0;
        const d = q.weight * TEMPERATURE * (pi - (c.hit ? pi / right : 0));
        c.x.forEach((v, j) => {
          gradient[j] = (gradient[j] ?? 0) + d * v;
        });
      });
    }
    for (let j = 0; j < w.length; j++) {
      const wj = w[j] ?? 0;
      w[j] = wj - STEP * ((gradient[j] ?? 0) / total + L2 * (wj - (HAND_SET[j] ?? 0)));
    }
  }
  return w;
}

async function main() {
  const root = process.cwd();
  const squadDir = resolve(process.argv[2] ?? join(root, "..", "shared", "bench", "squad-it"));
  const squadWeight = Number(process.argv[3] ?? 1);
  const goldPaths = [
    join(root, "..", "shared", "eval", "gold_dev.jsonl"),
    join(root, "tests", "eval", "gold_extra.jsonl"),
    join(root, "tests", "eval", "gold_new.jsonl"),
  ].filter((p) => existsSync(p));
  const gold = (await openEngine({ knowledgeDir: shippedKnowledge })).engine;
  const questions = goldPaths.flatMap((p) => questionsOf(gold, p, "gold"));
  const goldCount = questions.length;
  if (existsSync(join(squadDir, "passages.jsonl"))) {
    const squad = (
      await openEngine({
        knowledgeDir: shippedKnowledge,
        corpusPath: join(squadDir, "passages.jsonl"),
      })
    ).engine;
    const asked = questionsOf(squad, join(squadDir, "questions_dev.jsonl"), "squad");
    for (const q of asked) q.weight = (squadWeight * goldCount) / asked.length;
    questions.push(...asked);
  }
  const oof = new Map<Question, number>();
  for (let fold = 0; fold < FOLDS; fold++) {
    const w = fitWeights(questions.filter((q) => foldOf(q.id, FOLDS) !== fold));
    for (const q of questions.filter((q) => foldOf(q.id, FOLDS) === fold)) oof.set(q, rankOf(q, w));
  }
  const all = fitWeights(questions);
  for (const set of ["gold", "squad"] as const) {
    const chosen = questions.filter((q) => q.set === set);
    if (chosen.length === 0) continue;
    console.log(
      `${set} (${chosen.length}): hand-set ${JSON.stringify(figures(chosen.map((q) => rankOf(q, HAND_SET))))}` +
        `, out-of-fold ${JSON.stringify(figures(chosen.map((q) => oof.get(q) ?? -1)))}` +
        `, fitted on all ${JSON.stringify(figures(chosen.map((q) => rankOf(q, all))))} (in-sample)`,
    );
  }
  console.log(
    "weights",
    JSON.stringify(Object.fromEntries(NAMES.map((n, j) => [n, Number((all[j] ?? 0).toFixed(3))]))),
  );
}

await main();
