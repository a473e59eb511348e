// The calibrated confidence that decides between answering and declining.
//
// A logistic model of "the corpus answers this question" over the retrieval signals of the best
// passage, fitted with `sportello calibrate` (no class weights, so the value reads as a
// probability on questions like these) on the development questions of shared/eval/gold_dev.jsonl
// and the project's own tests/eval/gold_extra.jsonl (155 questions: answerable = 1,
// unanswerable = 0). The threshold is the middle of the range that keeps the answered rate on
// answerable questions and the declined rate on unanswerable ones both highest.
//
// Fitted on one file and measured on the other: answered 0.92 / declined 0.75 (dev → extra) and
// 0.86 / 0.80 (extra → dev). Of the signals below, IDF-weighted coverage and the smoothed share
// of the question's terms separate best (leave-one-out); adding the others made it worse. The
// share keeps one rare but generic word ("durata") from passing for a whole question. The
// signals are shares of the question's terms, not raw BM25 scores, so they keep their meaning
// on another corpus.

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
  /** Distinct question terms found in the best passage, through synonyms and corrections too. */
  matchedTerms: number;
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
  bias: -2.3867,
  coverage: 5.268,
  termShare: 2.9217,
  threshold: 0.7,
  certain: 0.85,
};

export function confidenceOf(signals: RetrievalSignals, model: CalibrationModel): number {
  const z = model.bias + model.coverage * signals.coverage + model.termShare * signals.termShare;
  const p = 1 / (1 + Math.exp(-z));
  // One word found of a question of several is not evidence of an answer, however rare the word
  // ("cos'è la carta RdC?" against "Cartiere Burgo": the stemmer makes carta and cartiere one).
  return signals.terms >= 2 && signals.matchedTerms < 2 ? p / 2 : p;
}
