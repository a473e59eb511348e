// How the answer engine ranks passages beyond BM25, on a corpus small enough to read.
import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/answer/engine.js";
import type { Passage } from "../../src/knowledge/types.js";

const passage = (id: string, text: string): Passage => ({
  id,
  documentId: "piano",
  breadcrumb: ["Piano"],
  location: { lineStart: Number(id.slice(1)), lineEnd: Number(id.slice(1)) },
  text,
  kind: "text",
});

/** An engine over one national document, "Piano", cut into `passages`. */
const engineOver = (fingerprint: string, passages: Passage[]) =>
  createEngine({
    corpus: {
      documents: [
        {
          id: "piano",
          file: "documents/piano.md",
          title: "Piano",
          kind: "piano",
          region: null,
          date: null,
          origin: "test",
        },
      ],
      passages,
      fingerprint,
    },
  });

const engine = engineOver("t", [
  passage("p1", "Scuole. Le scuole, sempre le scuole: elenco delle scuole."),
  passage(
    "p2",
    "I tutor assistono le scuole del territorio con incontri periodici, materiali di supporto e visite ai laboratori.",
  ),
  passage("p3", "I tutor seguono le imprese del territorio."),
  passage("p4", "I tutor seguono i centri per l'impiego."),
  passage("p5", "I tutor incontrano le università."),
  passage("p6", "La regione finanzia i laboratori."),
  passage("p7", "Il piano dura tre anni."),
]);

describe("ranking", () => {
  // p1 repeats one word of the question, p2 holds both: p2 answers, and words of the question
  // that no passage uses (a paraphrase's own verbs) must not hand the first place back to p1.
  it("ranks the same passage first when the question adds words the corpus never uses", () => {
    const first = (q: string) => engine.explain(q, { topK: 3 }).answer.passages[0]?.passage.id;
    expect(first("tutor scuole")).toBe("p2");
    expect(first("tutor scuole blorfvent plimtrax zanquort")).toBe("p2");
  });
});

describe("words of the question found next to each other", () => {
  // Both passages hold every word of the question, in one sentence; p2 repeats them, which BM25
  // rewards, but only p1 says "tavoli di crisi regionali" as the question does.
  const phrase = engineOver("t2", [
    passage(
      "p1",
      "Obiettivo: partecipazione al 100% dei tavoli di crisi regionali e locali in cui l'agenzia è coinvolta.",
    ),
    passage(
      "p2",
      "La crisi delle imprese regionali richiede tavoli tecnici con i sindacati, la crisi dei distretti una partecipazione delle province, e per ogni crisi le imprese regionali chiedono nuovi tavoli.",
    ),
    passage("p3", "Il piano dura tre anni."),
    passage("p4", "I tutor seguono le imprese del territorio."),
  ]);

  it("ranks first the passage that holds the question's words together", () => {
    const answer = phrase.explain("partecipazione tavoli di crisi regionali", { topK: 2 }).answer;
    expect(answer.passages[0]?.passage.id).toBe("p1");
  });
});

describe("words of the question only in a section title", () => {
  // p1 holds "requisiti" and "destinatari" only in its section title (BM25 counts it, boosted);
  // p2 states both in its own text, in a longer passage.
  const titled = (id: string, breadcrumb: string[], text: string): Passage => ({
    ...passage(id, text),
    breadcrumb,
  });
  const sections = engineOver("t3", [
    titled(
      "p1",
      ["Piano", "Requisiti dei destinatari"],
      "Le parti si incontrano ogni trimestre per verificare lo stato delle attività e concordare eventuali modifiche al piano operativo.",
    ),
    titled(
      "p2",
      ["Piano", "Disposizioni finali"],
      "I destinatari sono i giovani disoccupati iscritti al programma da almeno sei mesi. Le domande si presentano allo sportello del centro per l'impiego più vicino con un documento di identità valido e una copia del curriculum. Tra i requisiti rientra anche la residenza in regione.",
    ),
    titled("p3", ["Piano", "Attività"], "I tutor seguono le imprese del territorio."),
    titled("p4", ["Piano", "Durata"], "Il piano dura tre anni."),
  ]);

  it("ranks first the passage that says it, not the one whose title names it", () => {
    const answer = sections.explain("requisiti dei destinatari", { topK: 2 }).answer;
    expect(answer.passages[0]?.passage.id).toBe("p2");
  });
});
