// FAQ authoring help: the proposed answer quotes the passage that holds the fact, with its
// citation, never a table of contents that only names where the fact is.
import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/answer/engine.js";
import { looksLikeContents, proposeAnswer } from "../../src/curation/authoring.js";
import type { Corpus } from "../../src/knowledge/types.js";
import { testCorpus } from "./helpers.js";

const contents = {
  id: "convenzione-basilicata:p0",
  documentId: "convenzione-basilicata",
  breadcrumb: ["Indice"],
  location: { lineStart: 1, lineEnd: 6, pageStart: 1 },
  text: [
    "Premesse: chi firma la Convenzione per la Regione Basilicata ........ 2",
    "Art. 2 Attività ........ 3",
    "Art. 3 Trattamento dei dati personali ........ 4",
    "Art. 4 Decorrenza e durata della Convenzione ........ 5",
  ].join("\n"),
  kind: "text" as const,
};

describe("a proposed FAQ answer", () => {
  it("takes the answering sentence of the passage holding the fact, with its source", () => {
    const corpus: Corpus = { ...testCorpus, passages: [contents, ...testCorpus.passages] };
    const engine = createEngine({ corpus });
    const proposal = proposeAnswer(engine, "Chi firma la Convenzione per la Regione Basilicata?");
    expect(proposal.sources[0]?.passageId).toBe("convenzione-basilicata:p1");
    expect(proposal.answer).toMatch(/^La Convenzione è firmata per la Regione Basilicata .* \[1\]/);
    expect(proposal.sources[0]?.source).toEqual({
      document: "convenzione-basilicata",
      section: "Premesse",
    });
    expect(proposal.sources.map((s) => s.passageId)).not.toContain(contents.id);
  });

  it("tells a table of contents from prose", () => {
    expect(looksLikeContents(contents.text)).toBe(true);
    expect(looksLikeContents(testCorpus.passages[0]?.text ?? "")).toBe(false);
  });

  it("proposes nothing for a question no passage answers", () => {
    const engine = createEngine({ corpus: testCorpus });
    expect(proposeAnswer(engine, "Come si configura la stampante?")).toEqual({
      answer: "",
      sources: [],
    });
  });
});
