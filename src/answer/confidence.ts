// The calibrated confidence that decides between answering and declining.
//
// A logistic model of "the corpus answers this question" over the retrieval signals of the best
// passages. It was fitted with `sportello calibrate` on the development questions
// (shared/eval/gold_dev.jsonl: answerable = 1, unanswerable = 0, no class weights), so the value
// reads as a probability on questions like those. The threshold is the one that keeps both the
// answered rate on answerable questions and the declined rate on unanswerable ones highest.
// The signals are shares of the question's terms, not raw BM25 scores, so they keep their
// meaning on another corpus.
//
// Measured on the development questions, leave-one-out: the best passage's IDF-weighted
// coverage together with its unweighted share of the question's terms separates answerable from
// unanswerable questions best (answered 0.90, declined 0.80); adding the other signals below
// made it worse. The unweighted share keeps one rare but generic word ("durata") from passing
// for a whole question. The other signals are kept for diagnosis and future fits.

export interface RetrievalSignals {
  /** IDF-weighted share of the question's terms found in the best passage. */
  coverage: number;
  /** Share of the question's rarest terms (top third by IDF) found in the best passage. */
  rareCoverage: number;
  /** IDF-weighted share of the question's terms found in any of the top three passages. */
  coverageTop3: number;
  /** IDF-weighted share of the question's terms found in any retrieved passage. */
  coverageAny: number;
  /**
   * Unweighted share of the question's terms found in the best passage, smoothed as
   * found / (terms + 1): one word of a two-word question is weaker evidence than four of eight.
   */
  termShare: number;
  /** Number of distinct content terms in the question. */
  terms: number;
}

export interface CalibrationModel {
  bias: number;
  /** Weight of the best passage's IDF-weighted coverage. */
  coverage: number;
  /** Weight of the best passage's unweighted share of the question's terms. */
  termShare: number;
  /** Confidence at or above which the engine answers. */
  threshold: number;
  /** Below this (but above the threshold) the answer is flagged as uncertain. */
  certain: number;
}

export const defaultCalibration: CalibrationModel = {
  bias: -2.2853,
  coverage: 3.0591,
  termShare: 4.3986,
  threshold: 0.7,
  certain: 0.85,
};

export function confidenceOf(signals: RetrievalSignals, model: CalibrationModel): number {
  const z = model.bias + model.coverage * signals.coverage + model.termShare * signals.termShare;
  return 1 / (1 + Math.exp(-z));
}
