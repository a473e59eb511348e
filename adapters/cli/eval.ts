// `sportello eval` and `sportello calibrate`: the project's known-answer evaluation.
import type { Engine } from "../../src/answer/engine.js";
import { fitCalibration } from "../../src/eval/calibrate.js";
import { type EvalReport, evaluate, type Figures } from "../../src/eval/evaluate.js";
import { loadGold } from "../../src/eval/gold.js";

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
  ].join(" ");
}

export function formatEvalReport(report: EvalReport): string {
  const header = [
    "".padEnd(14),
    "n".padStart(5),
    "R@1".padStart(7),
    "R@3".padStart(7),
    "R@5".padStart(7),
    "MRR".padStart(7),
    "answered".padStart(9),
    "declined".padStart(9),
  ].join(" ");
  const lines = [header, row("all", report)];
  for (const [style, figures] of Object.entries(report.byStyle)) lines.push(row(style, figures));
  lines.push(
    "",
    `latency ms: p50 ${report.latency.p50.toFixed(2)}  p95 ${report.latency.p95.toFixed(2)}  p99 ${report.latency.p99.toFixed(2)}  max ${report.latency.max.toFixed(2)}`,
  );
  return lines.join("\n");
}

export function runEval(engine: Engine, goldPath: string, json: boolean, verbose: boolean): string {
  const report = evaluate(engine, loadGold(goldPath));
  if (json) {
    const { results, ...figures } = report;
    return JSON.stringify(
      verbose
        ? report
        : {
            ...figures,
            misses: results
              .filter((r) =>
                r.answerable ? r.rank !== 1 || r.status === "declined" : r.status === "answered",
              )
              .map((r) => r.id),
          },
    );
  }
  let text = formatEvalReport(report);
  if (verbose) {
    const misses = report.results.filter((r) =>
      r.answerable ? r.rank !== 1 || r.status === "declined" : r.status === "answered",
    );
    text += `\n\nmisses (${misses.length}):\n${misses
      .map(
        (r) =>
          `${r.id} [${r.style}] ${r.answerable ? `rank ${r.rank ?? "-"}` : "unanswerable"} ${r.status} ${r.confidence.toFixed(2)}  ${r.question}`,
      )
      .join("\n")}`;
  }
  return text;
}

export function runCalibrate(engine: Engine, goldPaths: string[]): string {
  const gold = goldPaths.flatMap((path) => loadGold(path));
  const samples = gold.flatMap((q) => {
    const signals = engine.signals(q.question);
    return signals ? [{ signals, answerable: q.expected !== null }] : [];
  });
  return JSON.stringify(fitCalibration(samples), null, 2);
}
