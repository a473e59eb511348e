// Runs gold questions through the engine and computes the project's figures: recall@k, MRR,
// answered rate on answerable questions, declined rate on unanswerable ones, per style, latency.
import type { AnswerEngine } from "../answer/engine-types.js";
import { type GoldQuestion, isHit } from "./gold.js";

export interface QuestionResult {
  id: string;
  question: string;
  style: string;
  answerable: boolean;
  status: "answered" | "declined";
  confidence: number;
  /** 1-based rank of the first hit among the top 10, null when none. */
  rank: number | null;
  latencyMs: number;
}

export interface Figures {
  questions: number;
  answerable: number;
  unanswerable: number;
  recallAt1: number;
  recallAt3: number;
  recallAt5: number;
  mrr: number;
  answeredRate: number | null;
  declinedRate: number | null;
}

export interface EvalReport extends Figures {
  byStyle: Record<string, Figures>;
  latency: { p50: number; p95: number; p99: number; max: number };
  results: QuestionResult[];
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? 0;
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

export function summarise(results: QuestionResult[]): Figures {
  const answerable = results.filter((r) => r.answerable);
  const unanswerable = results.filter((r) => !r.answerable);
  const within = (k: number) => answerable.filter((r) => r.rank !== null && r.rank <= k).length;
  const n = answerable.length || 1;
  return {
    questions: results.length,
    answerable: answerable.length,
    unanswerable: unanswerable.length,
    recallAt1: within(1) / n,
    recallAt3: within(3) / n,
    recallAt5: within(5) / n,
    mrr: answerable.reduce((sum, r) => sum + (r.rank ? 1 / r.rank : 0), 0) / n,
    answeredRate: ratio(
      answerable.filter((r) => r.status === "answered").length,
      answerable.length,
    ),
    declinedRate: ratio(
      unanswerable.filter((r) => r.status === "declined").length,
      unanswerable.length,
    ),
  };
}

export function evaluate(engine: AnswerEngine, gold: GoldQuestion[]): EvalReport {
  const results: QuestionResult[] = gold.map((q) => {
    const started = performance.now();
    const answer = engine.ask(q.question, { topK: 10 });
    const latencyMs = performance.now() - started;
    const expected = q.expected;
    let rank: number | null = null;
    if (expected) {
      const index = answer.passages.findIndex((p) => isHit(expected, p.passage));
      rank = index >= 0 ? index + 1 : null;
    }
    return {
      id: q.id,
      question: q.question,
      style: q.style,
      answerable: expected !== null,
      status: answer.status,
      confidence: answer.confidence,
      rank,
      latencyMs,
    };
  });
  const byStyle: Record<string, Figures> = {};
  for (const style of [...new Set(results.map((r) => r.style))].sort()) {
    byStyle[style] = summarise(results.filter((r) => r.style === style));
  }
  const latencies = results.map((r) => r.latencyMs).sort((a, b) => a - b);
  return {
    ...summarise(results),
    byStyle,
    latency: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? 0,
    },
    results,
  };
}
