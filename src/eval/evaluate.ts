// Runs gold questions through the engine and computes the project's figures: recall@k, MRR,
// answered rate on answerable questions, declined rate on unanswerable ones, "confidently wrong"
// answers, whether the reply's first line states the evidence, per style, latency.
import type { RetrievalSignals } from "../answer/confidence.js";
import type { AnswerEngine } from "../answer/engine-types.js";
import type { Answer, RetrievedPassage } from "../answer/types.js";
import { type CalibrationSample, crossValidate } from "./calibrate.js";
import { type GoldQuestion, isHit, normaliseForEvidence } from "./gold.js";

/** An engine that can say what decided an answer (src/answer/engine.ts's `explain`). */
export interface ExplainingEngine extends AnswerEngine {
  explain?(
    text: string,
    options?: { topK?: number },
  ): {
    answer: Answer;
    signals: RetrievalSignals | null;
    cited: RetrievedPassage[];
    fact: string | null;
    bar?: "threshold" | "certain" | null;
  };
}

/** Confidence at or above which an answer reads as certain (the "confidently wrong"). */
export const CONFIDENT = 0.8;

export interface QuestionResult {
  id: string;
  question: string;
  style: string;
  answerable: boolean;
  status: "answered" | "declined";
  confidence: number;
  /** 1-based rank of the first hit among the top 10, null when none. */
  rank: number | null;
  /** The passages the answer cites (or would cite) contain the evidence. */
  citedHit: boolean;
  /** The answering sentence (the reply's first line) holds most of the evidence's words. */
  factHit: boolean;
  source: Answer["source"];
  signals: RetrievalSignals | null;
  /** The model's bar the engine applied (threshold, or certain for an uncovered region); null
   * when a rule decided without the model. */
  bar: "threshold" | "certain" | null;
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
  /** Share of all questions answered with confidence ≥ 0.8 without the evidence in the cited
   * passages (every answered unanswerable question counts). */
  confidentlyWrong: number;
  /** Share of answerable questions whose answering sentence holds the evidence. */
  factRate: number;
}

export interface EvalReport extends Figures {
  byStyle: Record<string, Figures>;
  /** The decisions of a confidence model fitted without each question (k-fold), if computed. */
  outOfFold?: Figures;
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
    confidentlyWrong:
      results.filter(
        (r) =>
          r.status === "answered" && r.confidence >= CONFIDENT && !(r.answerable && r.citedHit),
      ).length / (results.length || 1),
    factRate: answerable.filter((r) => r.factHit).length / n,
  };
}

/** Most of the evidence's words (60 %) are in the sentence, or the sentence is in the evidence. */
function holdsEvidence(sentence: string, evidence: string): boolean {
  const s = normaliseForEvidence(sentence);
  const e = normaliseForEvidence(evidence);
  if (s.includes(e) || (s.trim().length > 20 && e.includes(s))) return true;
  const words = new Set(s.trim().split(" "));
  const wanted = e.trim().split(" ");
  return wanted.filter((w) => words.has(w)).length / (wanted.length || 1) >= 0.6;
}

export function evaluate(engine: ExplainingEngine, gold: GoldQuestion[]): EvalReport {
  return report(gold.map((q) => evaluateQuestion(engine, q)));
}

function evaluateQuestion(engine: ExplainingEngine, q: GoldQuestion): QuestionResult {
  const started = performance.now();
  const explained = engine.explain?.(q.question, { topK: 10 });
  const answer = explained?.answer ?? engine.ask(q.question, { topK: 10 });
  const latencyMs = performance.now() - started;
  const expected = q.expected;
  let rank: number | null = null;
  let citedHit = false;
  let factHit = false;
  if (expected) {
    const index = answer.passages.findIndex((p) => isHit(expected, p.passage));
    rank = index >= 0 ? index + 1 : null;
    const cited =
      answer.status === "answered" || !explained
        ? answer.parts.citations.flatMap((c) => {
            const found = engine.passage(c.passageId);
            return found ? [found] : [];
          })
        : explained.cited;
    citedHit = cited.some((p) => isHit(expected, p.passage));
    factHit =
      expected.kind === "evidence"
        ? holdsEvidence(answer.answer?.text ?? explained?.fact ?? "", expected.evidence)
        : citedHit;
  }
  return {
    id: q.id,
    question: q.question,
    style: q.style,
    answerable: expected !== null,
    status: answer.status,
    confidence: answer.confidence,
    rank,
    citedHit,
    factHit,
    source: answer.source,
    signals: explained?.signals ?? null,
    // An engine that does not say which bar decided is taken to apply its threshold.
    bar: explained?.bar === undefined ? "threshold" : explained.bar,
    latencyMs,
  };
}

/** The figures of a list of results, overall and per style. */
export function report(results: QuestionResult[]): EvalReport {
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

/**
 * The figures with the answer/decline decision of a confidence model fitted without each
 * question: k-fold cross-validation over `results` (pooled from every gold set). FAQ answers
 * keep their own decision; a question with nothing retrieved stays declined.
 */
export function outOfFold(results: QuestionResult[], folds = 5): QuestionResult[] {
  const withSignals = results.filter((r) => r.signals !== null && r.source !== "faq");
  const decisions = crossValidate(calibrationSamples(withSignals), folds);
  const byId = new Map(withSignals.map((r, i) => [r, decisions[i]]));
  return results.map((r) => {
    const decision = byId.get(r);
    // A rule that decided without the model (nothing retrieved, a FAQ) keeps its decision.
    if (!decision || r.bar === null) return r;
    // The bar the engine applies: a region the corpus does not cover needs certainty.
    const bar = r.bar === "certain" ? decision.certain : decision.threshold;
    return {
      ...r,
      status: decision.confidence >= bar ? "answered" : "declined",
      confidence: decision.confidence,
    };
  });
}

/**
 * Calibration samples from evaluated questions: the document answers' signals, labelled
 * answerable and correct (the cited passages hold the evidence). FAQ answers and questions with
 * nothing retrieved are left out: the confidence model does not decide them.
 */
export function calibrationSamples(results: QuestionResult[]): CalibrationSample[] {
  return results.flatMap((r) =>
    r.signals === null || r.source === "faq"
      ? []
      : [
          {
            id: r.id,
            signals: r.signals,
            answerable: r.answerable,
            correct: r.answerable && r.citedHit,
          },
        ],
  );
}
