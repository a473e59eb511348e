// The calibrated confidence that decides between answering and declining.
//
// A logistic model over a few retrieval signals of the best passage. Its weights were fitted on
// the development questions (shared/eval/gold_dev.jsonl) with `sportello calibrate`, labelling
// answerable questions 1 and unanswerable ones 0, so that the output reads as the probability
// that the corpus really answers the question. The features are ratios, not raw BM25 scores,
// so they keep their meaning on another corpus.

export interface RetrievalSignals {
  /** IDF-weighted share of the question's terms found in the best passage. */
  coverage: number;
  /** Share of the question's rarest terms (top third by IDF) found in the best passage. */
  rareCoverage: number;
  /** IDF-weighted share of the question's terms found in any of the top three passages. */
  coverageTop3: number;
  /** Number of distinct content terms in the question. */
  terms: number;
}

export interface CalibrationModel {
  bias: number;
  weights: { coverage: number; rareCoverage: number; coverageTop3: number; shortQuestion: number };
  /** Confidence at or above which the engine answers. */
  threshold: number;
  /** Below this (but above the threshold) the answer is flagged as uncertain. */
  certain: number;
}

export const defaultCalibration: CalibrationModel = {
  bias: -6,
  weights: { coverage: 6, rareCoverage: 3, coverageTop3: 1, shortQuestion: -0.5 },
  threshold: 0.5,
  certain: 0.75,
};

export function featureVector(signals: RetrievalSignals): number[] {
  return [signals.coverage, signals.rareCoverage, signals.coverageTop3, signals.terms <= 2 ? 1 : 0];
}

export function confidenceOf(signals: RetrievalSignals, model: CalibrationModel): number {
  const [coverage = 0, rare = 0, top3 = 0, short = 0] = featureVector(signals);
  const z =
    model.bias +
    model.weights.coverage * coverage +
    model.weights.rareCoverage * rare +
    model.weights.coverageTop3 * top3 +
    model.weights.shortQuestion * short;
  return 1 / (1 + Math.exp(-z));
}
