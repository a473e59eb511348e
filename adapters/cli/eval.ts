// `sportello eval` and `sportello calibrate`: the project's known-answer evaluation.
import { existsSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fitCalibration } from "../../src/eval/calibrate.js";
import {
  calibrationSamples,
  type EvalReport,
  evaluate,
  type Figures,
  outOfFold,
  type QuestionResult,
  report,
  summarise,
} from "../../src/eval/evaluate.js";
import { loadGold } from "../../src/eval/gold.js";
import type { Engine } from "../../src/index.js";

const pct = (value: number | null) => (value === null ? "  -  " : `${(value * 100).toFixed(1)}%`);

function row(label: string, f: Figures): string {
  return [
    label.padEnd(14),
    String(f.questions).padStart(5),
    pct(f.recallAt1).padStart(7),
    pct(f.recallAt3).padStart(7),
    pct(f.recallAt5).padStart(7),
    f.mrr.toFixed(3).padStart(7),
    pct(f.answeredRate).padStart(9),
    pct(f.declinedRate).padStart(9),
    pct(f.confidentlyWrong).padStart(8),
    pct(f.factRate).padStart(7),
  ].join(" ");
}

const HEADER = [
  "".padEnd(14),
  "n".padStart(5),
  "R@1".padStart(7),
  "R@3".padStart(7),
  "R@5".padStart(7),
  "MRR".padStart(7),
  "answered".padStart(9),
  "declined".padStart(9),
  "cwrong".padStart(8),
  "fact".padStart(7),
].join(" ");

export function formatEvalReport(report: EvalReport): string {
  const lines = [HEADER, row("all", report)];
  for (const [style, figures] of Object.entries(report.byStyle)) lines.push(row(style, figures));
  if (report.outOfFold) lines.push(row("out-of-fold", report.outOfFold));
  lines.push(
    "",
    `latency ms: p50 ${report.latency.p50.toFixed(2)}  p95 ${report.latency.p95.toFixed(2)}  p99 ${report.latency.p99.toFixed(2)}  max ${report.latency.max.toFixed(2)}`,
  );
  return lines.join("\n");
}

/**
 * The gold sets `eval` reads when none is named: the development questions of ../shared when
 * present, and the project's own sets in tests/eval, so that a fresh clone can run it.
 */
export function defaultGoldPaths(projectRoot: string): string[] {
  return [
    join(projectRoot, "..", "shared", "eval", "gold_dev.jsonl"),
    join(projectRoot, "tests", "eval", "gold_dev.jsonl"),
    join(projectRoot, "tests", "eval", "gold_extra.jsonl"),
    join(projectRoot, "tests", "eval", "gold_new.jsonl"),
  ].filter((path, i, all) => {
    if (!existsSync(path)) return false;
    // tests/eval/gold_dev.jsonl is a copy for clones without ../shared.
    return !(i === 1 && existsSync(all[0] ?? ""));
  });
}

function misses(results: QuestionResult[]): QuestionResult[] {
  return results.filter((r) =>
    r.answerable ? r.rank !== 1 || r.status === "declined" : r.status === "answered",
  );
}

/**
 * Evaluates every gold set and, pooled over all of them, the out-of-fold decisions (5-fold
 * cross-validation of the confidence model): the answered, declined and confidently-wrong rates
 * that a model fitted without each question gives.
 */
export function runEval(
  engine: Engine,
  goldPaths: string[],
  json: boolean,
  verbose: boolean,
): string {
  const sets = goldPaths.map((path) => {
    const questions = loadGold(path).map((q) => ({ ...q, id: `${basename(path)}:${q.id}` }));
    return { path, report: evaluate(engine, questions) };
  });
  const pooled = sets.flatMap((s) => s.report.results);
  const decided = outOfFold(pooled);
  const byResult = new Map(pooled.map((r, i) => [r, decided[i]]));
  for (const set of sets) {
    const oof = set.report.results.map((r) => byResult.get(r) ?? r);
    set.report.outOfFold = summarise(oof);
  }
  const total = report(pooled);
  total.outOfFold = summarise(decided);

  if (json) {
    const strip = (r: EvalReport) => {
      const { results, ...figures } = r;
      return verbose ? r : { ...figures, misses: misses(results).map((m) => m.id) };
    };
    return JSON.stringify({
      sets: sets.map((s) => ({ gold: s.path, ...strip(s.report) })),
      all: strip(total),
    });
  }
  const blocks = sets.map((s) => {
    let text = `${s.path} (${s.report.questions})\n${formatEvalReport(s.report)}`;
    if (verbose) {
      const missed = misses(s.report.results);
      text += `\n\nmisses (${missed.length}):\n${missed
        .map(
          (r) =>
            `${r.id} [${r.style}] ${r.answerable ? `rank ${r.rank ?? "-"}` : "unanswerable"} ${r.status} ${r.confidence.toFixed(2)}  ${r.question}`,
        )
        .join("\n")}`;
    }
    return text;
  });
  if (sets.length > 1) blocks.push(`all sets (${total.questions})\n${formatEvalReport(total)}`);
  blocks.push(
    "out-of-fold: answered/declined/cwrong decided by a confidence model fitted without the question (5-fold, pooled over the sets above); cwrong = answered with confidence >= 0.8 and no evidence in the cited passages; fact = the reply's first line holds the evidence.",
  );
  return blocks.join("\n\n");
}

/**
 * Fits the confidence model on every question of the gold sets (the model `eval` validates);
 * with `out`, writes the model to that weights file.
 */
export function runCalibrate(engine: Engine, goldPaths: string[], out?: string): string {
  const results = goldPaths.flatMap(
    (path) =>
      evaluate(
        engine,
        loadGold(path).map((q) => ({ ...q, id: `${basename(path)}:${q.id}` })),
      ).results,
  );
  const fitted = fitCalibration(calibrationSamples(results));
  if (out) writeFileSync(out, `${JSON.stringify(fitted.model, null, 2)}\n`);
  return JSON.stringify(fitted, null, 2);
}
