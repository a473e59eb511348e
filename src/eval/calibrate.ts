// Fits the confidence model on gold questions: logistic regression of "the corpus answers this"
// (answerable = 1, unanswerable = 0) on the retrieval signals of the best passages, then the
// threshold that maximises answered rate on answerable plus declined rate on unanswerable.
import {
  type CalibrationModel,
  featureVector,
  type RetrievalSignals,
} from "../answer/confidence.js";
import type { GoldQuestion } from "./gold.js";

export interface CalibrationSample {
  signals: RetrievalSignals;
  answerable: boolean;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function fitCalibration(
  samples: CalibrationSample[],
  options: { l2?: number; iterations?: number; rate?: number } = {},
): CalibrationModel {
  const l2 = options.l2 ?? 0.01;
  const iterations = options.iterations ?? 20_000;
  const rate = options.rate ?? 0.5;
  const xs = samples.map((s) => featureVector(s.signals));
  const ys = samples.map((s) => (s.answerable ? 1 : 0));
  const dims = xs[0]?.length ?? 0;
  const w = new Array<number>(dims).fill(0);
  let b = 0;
  // Each class weighs the same in the loss, so that 15 unanswerable questions are not drowned
  // by 80 answerable ones; the threshold is then chosen on the real mix.
  const positives = ys.filter((y) => y === 1).length || 1;
  const negatives = ys.length - positives || 1;
  const classWeight = (y: number) =>
    y === 1 ? ys.length / (2 * positives) : ys.length / (2 * negatives);
  for (let it = 0; it < iterations; it++) {
    const gw = new Array<number>(dims).fill(0);
    let gb = 0;
    xs.forEach((x, i) => {
      const y = ys[i] ?? 0;
      const p = sigmoid(b + x.reduce((s, v, j) => s + v * (w[j] ?? 0), 0));
      const err = (p - y) * classWeight(y);
      x.forEach((v, j) => {
        gw[j] = (gw[j] ?? 0) + err * v;
      });
      gb += err;
    });
    for (let j = 0; j < dims; j++)
      w[j] = (w[j] ?? 0) - rate * ((gw[j] ?? 0) / xs.length + l2 * (w[j] ?? 0));
    b -= (rate * gb) / xs.length;
  }
  const model: CalibrationModel = {
    bias: b,
    weights: {
      coverage: w[0] ?? 0,
      rareCoverage: w[1] ?? 0,
      coverageTop3: w[2] ?? 0,
      shortQuestion: w[3] ?? 0,
    },
    threshold: 0.5,
    certain: 0.75,
  };
  return model;
}

export function goldAnswerable(q: GoldQuestion): boolean {
  return q.expected !== null;
}
