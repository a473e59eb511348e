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
// Measured on the development questions, leave-one-out: the best passage's coverage alone
// separates answerable from unanswerable questions as well as any combination of the signals
// below, so the model uses it alone; the others are kept for diagnosis and future fits.

export interface RetrievalSignals {
  /** IDF-weighted share of the question's terms found in the best passage. */
  coverage: number;
  /** Share of the question's rarest terms (top third by IDF) found in the best passage. */
  rareCoverage: number;
  /** IDF-weighted share of the question's terms found in any of the top three passages. */
  coverageTop3: number;
  /** IDF-weighted share of the question's terms found in any retrieved passage. */
  coverageAny: number;
  /** Number of distinct content terms in the question. */
  terms: number;
}

export interface CalibrationModel {
  bias: number;
  /** Weight of the best passage's coverage. */
  coverage: number;
  /** Confidence at or above which the engine answers. */
  threshold: number;
  /** Below this (but above the threshold) the answer is flagged as uncertain. */
  certain: number;
}

export const defaultCalibration: CalibrationModel = {
  bias: -1.431,
  coverage: 5.6735,
  threshold: 0.71,
  certain: 0.86,
};

export function confidenceOf(signals: RetrievalSignals, model: CalibrationModel): number {
  return 1 / (1 + Math.exp(-(model.bias + model.coverage * signals.coverage)));
}
