// Real answers from the shipped corpus, rendered for Slack: every one fits Block Kit's limits,
// cites its sources by number, and every "Mostra fonte" opens a passage that exists.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderPassageModal, renderSlackAnswer } from "../../adapters/slack/render.js";
import { type OpenedEngine, openEngine } from "../../src/answer/open.js";
import { shippedKnowledge } from "../support/shipped-knowledge.js";
import { blockKitProblem } from "./fake-web-api.js";
import { actionIdsOf, blockTexts } from "./harness.js";

const questions = [
  "Come vengono trattati i dati personali nella convenzione con la Basilicata?",
  "Chi firma la convenzione tra ANPAL Servizi e la Regione Basilicata?",
  "Cosa sono i livelli essenziali delle prestazioni?",
  "Quanti navigator lavorano in Emilia-Romagna?",
  "Che cosa prevede la determinazione 369 del 2020 del Piemonte?",
  "Quali sono le attività del piano di assistenza tecnica?",
  "Come si calcola la pensione di vecchiaia in Francia?",
  "", // empty: declined
  "x".repeat(5_000),
];

let dir: string;
let opened: OpenedEngine;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sportello-slack-engine-"));
  opened = await openEngine({ knowledgeDir: shippedKnowledge, cacheDir: dir });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("real answers rendered for Slack", () => {
  it("fit Block Kit's limits and number their sources", () => {
    const all = [...questions, ...opened.fileFaqs.map((faq) => faq.question)];
    let answered = 0;
    for (const question of all) {
      const answer = opened.engine.ask(question);
      const message = renderSlackAnswer(answer, { interactionId: 1, shareable: true });
      expect(blockKitProblem(message.blocks, 50), question).toBeUndefined();
      expect(message.text.length).toBeGreaterThan(0);
      const texts = blockTexts(message.blocks).join("\n");
      for (const citation of answer.parts.citations) {
        expect(texts).toContain(`*[${citation.n}]*`);
      }
      if (answer.status === "answered") answered += 1;
    }
    // The shipped FAQ answer their own questions.
    expect(answered).toBeGreaterThanOrEqual(opened.fileFaqs.length);
  });

  it("open every cited passage within a modal's limits", () => {
    const answer = opened.engine.ask(
      "Come vengono trattati i dati personali nella convenzione con la Basilicata?",
    );
    const message = renderSlackAnswer(answer, { interactionId: 1 });
    const sources = actionIdsOf(message.blocks).filter((id) => id.startsWith("sportello_source_"));
    expect(sources.length).toBe(Math.min(5, answer.parts.citations.length));
    for (const citation of answer.parts.citations) {
      const retrieved = opened.engine.passage(citation.passageId);
      expect(retrieved, citation.passageId).toBeDefined();
      if (!retrieved) continue;
      expect(blockKitProblem(renderPassageModal(retrieved).blocks, 100)).toBeUndefined();
    }
  });
});
