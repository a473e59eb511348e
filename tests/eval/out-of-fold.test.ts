// The out-of-fold decisions of `sportello eval` apply the bar the engine applies: certainty for a
// region the corpus does not cover, and no model at all where a rule declined.
import { describe, expect, it } from "vitest";
import type { RetrievalSignals } from "../../src/answer/confidence.js";
import { outOfFold, type QuestionResult } from "../../src/eval/evaluate.js";

function signals(level: number): RetrievalSignals {
  return {
    coverage: level,
    rareCoverage: level,
    coverageTop3: level,
    coverageAny: level,
    termShare: level * 0.8,
    matchedTerms: 4,
    terms: 5,
    sentenceCoverage: level,
    typeMismatch: 0,
    unknownShare: 1 - level,
    margin: level / 2,
  };
}

/** Answerable questions retrieve well and unanswerable ones badly, with some overlap. */
function results(bar: QuestionResult["bar"]): QuestionResult[] {
  return Array.from({ length: 80 }, (_, i) => {
    const answerable = i % 2 === 0;
    const level = answerable ? 0.35 + (i % 40) / 70 : 0.05 + (i % 40) / 70;
    return {
      id: `q${i}`,
      question: `domanda ${i}`,
      style: "formal",
      answerable,
      status: "declined",
      confidence: 0,
      rank: answerable ? 1 : null,
      citedHit: answerable,
      factHit: answerable,
      source: "documents",
      signals: signals(Math.min(1, level)),
      bar,
      latencyMs: 1,
    };
  });
}

const answered = (list: QuestionResult[]) =>
  new Set(list.filter((r) => r.status === "answered").map((r) => r.id));

describe("out-of-fold decisions", () => {
  it("answer an uncovered region's question only with certainty", () => {
    const atThreshold = answered(outOfFold(results("threshold")));
    const atCertain = answered(outOfFold(results("certain")));
    expect(atThreshold.size).toBeGreaterThan(0);
    expect(atCertain.size).toBeLessThan(atThreshold.size);
    for (const id of atCertain) expect(atThreshold.has(id)).toBe(true);
  });

  it("keep a decline that a rule made without the model", () => {
    expect(answered(outOfFold(results(null))).size).toBe(0);
  });
});
