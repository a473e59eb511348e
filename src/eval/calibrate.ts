// Fits the confidence model on gold questions: logistic regression of "the corpus answers this"
// (answerable = 1, unanswerable = 0) on the best passage's coverage and share of the question's
// terms, then the threshold that
// keeps the answered rate on answerable questions and the declined rate on unanswerable ones
// both as high as possible (the larger of the two smaller margins over 0.85 and 0.70).
import type { CalibrationModel, RetrievalSignals } from "../answer/confidence.js";

export interface CalibrationSample {
  signals: RetrievalSignals;
  answerable: boolean;
}

export interface CalibrationResult {
  model: CalibrationModel;
  answeredRate: number;
  declinedRate: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function fitCalibration(samples: CalibrationSample[]): CalibrationResult {
  const xs = samples.map((s) => [s.signals.coverage, s.signals.termShare] as const);
  const ys = samples.map((s) => (s.answerable ? 1 : 0));
  const w = [0, 0];
  let b = 0;
  const rate = 1;
  const l2 = 0.001;
  const predict = (x: readonly [number, number]) =>
    sigmoid(b + (w[0] ?? 0) * x[0] + (w[1] ?? 0) * x[1]);
  for (let iteration = 0; iteration < 20_000; iteration++) {
    const gw = [0, 0];
    let gb = 0;
    xs.forEach((x, i) => {
      const error = predict(x) - (ys[i] ?? 0);
      gw[0] = (gw[0] ?? 0) + error * x[0];
      gw[1] = (gw[1] ?? 0) + error * x[1];
      gb += error;
    });
    for (let j = 0; j < 2; j++)
      w[j] = (w[j] ?? 0) - rate * ((gw[j] ?? 0) / xs.length + l2 * (w[j] ?? 0));
    b -= (rate * gb) / xs.length;
  }
  const confidences = xs.map(predict);
  const positives = ys.filter((y) => y === 1).length || 1;
  const negatives = ys.length - positives || 1;
  // Every threshold on a 0.01 grid is scored; of those with the best margin (they form a
  // range), the middle one is kept, as far as possible from the questions on either side.
  const scored: Array<{
    threshold: number;
    answeredRate: number;
    declinedRate: number;
    margin: number;
  }> = [];
  for (let step = 30; step <= 95; step++) {
    const threshold = step / 100;
    const answeredRate =
      confidences.filter((c, i) => ys[i] === 1 && c >= threshold).length / positives;
    const declinedRate =
      confidences.filter((c, i) => ys[i] === 0 && c < threshold).length / negatives;
    scored.push({
      threshold,
      answeredRate,
      declinedRate,
      margin: Math.min(answeredRate - 0.85, declinedRate - 0.7),
    });
  }
  const bestMargin = Math.max(...scored.map((s) => s.margin));
  const tied = scored.filter((s) => s.margin === bestMargin);
  const best = tied[Math.floor((tied.length - 1) / 2)] ?? scored[0];
  if (!best) throw new Error("calibrate: no threshold scored");
  return {
    model: {
      bias: Number(b.toFixed(4)),
      coverage: Number((w[0] ?? 0).toFixed(4)),
      termShare: Number((w[1] ?? 0).toFixed(4)),
      threshold: Number(best.threshold.toFixed(2)),
      certain: Number(Math.min(0.95, best.threshold + 0.15).toFixed(2)),
    },
    answeredRate: best.answeredRate,
    declinedRate: best.declinedRate,
  };
}
