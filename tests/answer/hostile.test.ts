// Hostile and odd inputs: each must give a valid Answer, never an exception. The engine is built
// once on the shipped corpus.
import { beforeAll, describe, expect, it } from "vitest";
import type { AnswerEngine } from "../../src/answer/engine-types.js";
import { openEngine } from "../../src/answer/open.js";
import type { Answer } from "../../src/answer/types.js";
import { shippedKnowledge } from "../support/shipped-knowledge.js";
import { hostileInputs, longQuestion } from "./hostile-inputs.js";

let engine: AnswerEngine;
beforeAll(async () => {
  engine = (await openEngine({ knowledgeDir: shippedKnowledge })).engine;
});

function expectValid(answer: Answer): void {
  expect(["answered", "declined"]).toContain(answer.status);
  expect(Number.isFinite(answer.confidence)).toBe(true);
  expect(answer.confidence).toBeGreaterThanOrEqual(0);
  expect(answer.confidence).toBeLessThanOrEqual(1);
  expect(answer.text.trim().length).toBeGreaterThan(0);
  expect(answer.text).not.toMatch(/undefined|NaN|\[object Object\]/);
  expect(answer.parts.lead.length).toBeGreaterThan(0);
  expect(answer.passages.length).toBeLessThanOrEqual(5);
  if (answer.status === "answered") {
    expect(answer.source).not.toBeNull();
    expect(answer.reason).toBeNull();
  } else {
    expect(answer.source).toBeNull();
    expect(answer.reason).not.toBeNull();
  }
  for (const p of answer.passages) expect(Number.isFinite(p.score)).toBe(true);
  // The reply survives the JSON contract.
  expect(() => JSON.stringify(answer)).not.toThrow();
}

describe("hostile inputs", () => {
  it.each(hostileInputs)("%s gives a valid answer", (_label, text) => {
    let answer: Answer | undefined;
    expect(() => {
      answer = engine.ask(text);
    }).not.toThrow();
    if (answer) expectValid(answer);
  });

  it.each(["", "      ", "\n\t\n\t", "😀🎉👍🏽‍♀️", "di la il per che", "\u0000\u0007\u001b"])(
    "declines %j as empty",
    (text) => {
      const answer = engine.ask(text);
      expect(answer.status).toBe("declined");
      expect(answer.reason).toBe("empty");
    },
  );

  it("does not echo markup or control characters back in a decline", () => {
    const html = engine.ask("<script>alert(1)</script>");
    expect(html.text).not.toContain("<script>");
    const control = engine.ask("bonus\u001b[31m bebè\u0000");
    expect(control.text).not.toMatch(/\p{Cc}(?<![\n\t])/u);
  });

  it("answers a question hidden in control characters like the clean one", () => {
    const clean = engine.ask("chi firma la convenzione basilicata");
    const dirty = engine.ask("chi firma\u0000 la convenzione\u001b basilicata\u0007");
    expect(dirty.status).toBe(clean.status);
    expect(dirty.passages.map((p) => p.passage.id)).toEqual(
      clean.passages.map((p) => p.passage.id),
    );
  });

  it("answers the first part of a 10,000-character question", () => {
    const answer = engine.ask(longQuestion);
    expectValid(answer);
    expect(answer.passages.length).toBeGreaterThan(0);
  });
});
