// The calibrated confidence that decides between answering and declining.
//
// A logistic model of "the corpus answers this question" over retrieval signals of the best
// passage and of the sentence chosen as the answer, fitted with `sportello calibrate` (no class
// weights, so the value reads as a probability on questions like these) on the development
// questions of shared/eval/gold_dev.jsonl, the project's tests/eval/gold_extra.jsonl and
// tests/eval/gold_new.jsonl (answerable = 1, unanswerable = 0). `sportello eval` reports the
// decision out-of-fold (k-fold cross-validation: each question decided by a model fitted
// without it), never in-sample. The signals are shares of the question's terms, not raw BM25
// scores, so they keep their meaning on another corpus.

import fitted from "./calibration.json" with { type: "json" };

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
  /** IDF-weighted share of the question's terms found together in the chosen answer sentence. */
  sentenceCoverage: number;
  /** 1 when the question asks for a kind of fact (how many, when, who …) and the chosen
   * sentence does not carry one; 0 otherwise. */
  typeMismatch: number;
  /**
   * IDF-weighted share of the question's terms that the corpus never uses and that no typo
   * correction or synonym reaches: a measure, law or body the documents do not know.
   */
  unknownShare: number;
  /** Relative gap between the first and second passage's scores, in [0, 1]. */
  margin: number;
}

/**
 * The signals the model weighs, by name; each in [0, 1]. Measured and left out (computed on a
 * copy, not on every question): the share of unknown words written as names (acronyms,
 * capitalised words, law numbers), the answer sentence's coverage and rare terms, a type match,
 * the share of the question's numbers missing from the best passage, and coverageTop3 or
 * rareCoverage; alone, together, as bins or products they moved the out-of-fold answered and
 * declined rates by a question or two either way on the three gold sets, so the smaller model
 * is kept.
 */
export const FEATURES = [
  "coverage",
  "termShare",
  "sentenceCoverage",
  "typeMismatch",
  "unknownShare",
  "margin",
] as const;
export type FeatureName = (typeof FEATURES)[number];

export function featureValues(signals: RetrievalSignals): Record<FeatureName, number> {
  return {
    coverage: signals.coverage,
    termShare: signals.termShare,
    sentenceCoverage: signals.sentenceCoverage,
    typeMismatch: signals.typeMismatch,
    unknownShare: signals.unknownShare,
    margin: signals.margin,
  };
}

export interface CalibrationModel {
  bias: number;
  /** Weight of each signal; a signal without a weight counts 0. */
  weights: Partial<Record<FeatureName, number>>;
  /** Confidence at or above which the engine answers. */
  threshold: number;
  /** Below this (but above the threshold) the answer is flagged as uncertain. */
  certain: number;
}

// The fitted model: `sportello calibrate --out src/answer/calibration.json` on gold_dev (95),
// gold_extra (60) and gold_new (487), then `npm run build`. Fitted on "the cited passages hold
// the evidence", threshold balancing answered and declined.
export const defaultCalibration: CalibrationModel = calibrationModel(fitted);

/** The model of a weights file, checked: a missing or misspelt weight is an error, not a 0. */
export function calibrationModel(data: unknown): CalibrationModel {
  const model = data as Partial<CalibrationModel> | null;
  const weights = model?.weights ?? {};
  const numeric = (v: unknown) => typeof v === "number" && Number.isFinite(v);
  const unknown = Object.keys(weights).filter((k) => !(FEATURES as readonly string[]).includes(k));
  if (
    !model ||
    !numeric(model.bias) ||
    !numeric(model.threshold) ||
    !numeric(model.certain) ||
    unknown.length > 0 ||
    !Object.values(weights).every(numeric)
  ) {
    throw new Error(`calibration: not a confidence model (${unknown.join(", ") || "fields"})`);
  }
  return model as CalibrationModel;
}

export function confidenceOf(signals: RetrievalSignals, model: CalibrationModel): number {
  const values = featureValues(signals);
  let z = model.bias;
  for (const name of FEATURES) z += (model.weights[name] ?? 0) * values[name];
  const p = 1 / (1 + Math.exp(-z));
  // One word found of a question of several is not evidence of an answer, however rare the word
  // ("cos'è la carta RdC?" against "Cartiere Burgo": the stemmer makes carta and cartiere one).
  return signals.terms >= 2 && signals.matchedTerms < 2 ? p / 2 : p;
}
