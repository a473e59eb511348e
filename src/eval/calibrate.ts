// Fits the confidence model on gold questions: L2-regularised logistic regression of "the corpus
// answers this" (answerable = 1, unanswerable = 0) on the signals of src/answer/confidence.ts,
// then the threshold that keeps the answered rate on answerable questions and the declined rate
// on unanswerable ones both as high as possible. `crossValidate` gives every question the
// decision of a model fitted without it (k folds), for figures that are not in-sample.
import {
  type CalibrationModel,
  confidenceOf,
  FEATURES,
  featureValues,
  type RetrievalSignals,
} from "../answer/confidence.js";

export interface CalibrationSample {
  /** Stable id, used to assign folds. */
  id?: string;
  signals: RetrievalSignals;
  answerable: boolean;
  /**
   * The passages the answer cites hold the evidence. When given, the model is fitted on it
   * (confidence = probability that the cited passages answer), while the threshold still
   * balances answered and declined rates on answerable and unanswerable questions.
   */
  correct?: boolean;
}

export interface CalibrationResult {
  model: CalibrationModel;
  answeredRate: number;
  declinedRate: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
/** Both rates are aimed at this; the threshold maximises the smaller margin over it. */
const TARGET_RATE = 0.85;
const L2 = 0.01;
const ITERATIONS = 4_000;

function vectorOf(signals: RetrievalSignals): number[] {
  const values = featureValues(signals);
  return FEATURES.map((name) => values[name]);
}

export function fitCalibration(samples: CalibrationSample[]): CalibrationResult {
  const xs = samples.map((s) => vectorOf(s.signals));
  const ys = samples.map((s) => ((s.correct ?? s.answerable) ? 1 : 0));
  const answerable = samples.map((s) => (s.answerable ? 1 : 0));
  const w = FEATURES.map(() => 0);
  let b = 0;
  const rate = 1;
  const predict = (x: number[]) => sigmoid(x.reduce((z, v, j) => z + (w[j] ?? 0) * v, b));
  const n = xs.length || 1;
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const gw = FEATURES.map(() => 0);
    let gb = 0;
    xs.forEach((x, i) => {
      const error = predict(x) - (ys[i] ?? 0);
      x.forEach((v, j) => {
        gw[j] = (gw[j] ?? 0) + error * v;
      });
      gb += error;
    });
    for (let j = 0; j < w.length; j++)
      w[j] = (w[j] ?? 0) - rate * ((gw[j] ?? 0) / n + L2 * (w[j] ?? 0));
    b -= (rate * gb) / n;
  }
  const confidences = xs.map(predict);
  const best = chooseThreshold(confidences, answerable);
  const weights: CalibrationModel["weights"] = {};
  FEATURES.forEach((name, j) => {
    weights[name] = Number((w[j] ?? 0).toFixed(4));
  });
  return {
    model: {
      bias: Number(b.toFixed(4)),
      weights,
      threshold: Number(best.threshold.toFixed(2)),
      certain: Number(Math.min(0.95, best.threshold + 0.15).toFixed(2)),
    },
    answeredRate: best.answeredRate,
    declinedRate: best.declinedRate,
  };
}

/**
 * Every threshold on a 0.01 grid is scored; of those with the best margin (they form a range),
 * the middle one is kept, as far as possible from the questions on either side.
 */
function chooseThreshold(confidences: number[], ys: number[]) {
  const positives = ys.filter((y) => y === 1).length || 1;
  const negatives = ys.length - positives || 1;
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
      margin: Math.min(answeredRate - TARGET_RATE, declinedRate - TARGET_RATE),
    });
  }
  const bestMargin = Math.max(...scored.map((s) => s.margin));
  const tied = scored.filter((s) => s.margin === bestMargin);
  const best = tied[Math.floor((tied.length - 1) / 2)] ?? scored[0];
  if (!best) throw new Error("calibrate: no threshold scored");
  return best;
}

/** The fold of a sample: a hash of its id, so that folds do not depend on file order. */
export function foldOf(id: string, folds: number): number {
  let hash = 2166136261;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 16777619);
  return (hash >>> 0) % folds;
}

export interface OutOfFoldDecision {
  confidence: number;
  answered: boolean;
  /** The bars of the model that decided (fitted without the question). */
  threshold: number;
  certain: number;
}

/**
 * k-fold cross-validation: each sample's confidence and decision come from a model fitted on
 * the other folds only.
 */
export function crossValidate(samples: CalibrationSample[], folds = 5): OutOfFoldDecision[] {
  const fold = samples.map((s, i) => foldOf(s.id ?? String(i), folds));
  const decisions: OutOfFoldDecision[] = samples.map(() => ({
    confidence: 0,
    answered: false,
    threshold: 1,
    certain: 1,
  }));
  for (let k = 0; k < folds; k++) {
    const training = samples.filter((_, i) => fold[i] !== k);
    if (training.length === 0) continue;
    const { model } = fitCalibration(training);
    samples.forEach((s, i) => {
      if (fold[i] !== k) return;
      const confidence = confidenceOf(s.signals, model);
      decisions[i] = {
        confidence,
        answered: confidence >= model.threshold,
        threshold: model.threshold,
        certain: model.certain,
      };
    });
  }
  return decisions;
}
