// What the Slack suites' fake service knows and answers: one document and its passage, questions
// on personal data answered, "lung" and "lunghissim" with answers over Slack's limits, "speciali"
// with mrkdwn and HTML in the text, "esplodi" a crash; everything else declined and queued.
// Everyone is an operator except UFORM (a trainer too), UINTRUSO and the workspace TALTRO.
import type { Answer, RetrievedPassage } from "../../src/answer/types.js";
import type { DocumentMeta } from "../../src/knowledge/types.js";
import { FakeSportello, fakeAnswer, fakeDecline } from "../support/fake-sportello.js";

export const document: DocumentMeta = {
  id: "convenzione-basilicata",
  file: "convenzione-basilicata.txt",
  title: "Convenzione tra ANPAL e Regione Basilicata",
  shortTitle: "Convenzione Basilicata",
  kind: "convenzione",
  region: "Basilicata",
  date: "2019-05-02",
  origin: "ANPAL",
};

export const passage: RetrievedPassage = {
  passage: {
    id: "convenzione-basilicata:3f2a",
    documentId: document.id,
    breadcrumb: ["Art. 3 Trattamento dei dati personali"],
    location: { lineStart: 120, lineEnd: 140 },
    text: "Le parti si impegnano a trattare i dati personali nel rispetto del Regolamento (UE) 2016/679 & del d.lgs. 196/2003 <art. 13>.",
    kind: "text",
  },
  document,
  location: "Convenzione Basilicata › Art. 3 Trattamento dei dati personali › righe 120-140",
  score: 12.5,
};

function answered(lead: string, body: string): Answer {
  return fakeAnswer({
    text: `${lead}\n\n${body}\n\n[1] Convenzione Basilicata › Art. 3 · righe 120-140`,
    parts: {
      lead,
      body,
      citations: [
        {
          n: 1,
          passageId: passage.passage.id,
          documentId: document.id,
          documentTitle: "Convenzione Basilicata",
          section: "Art. 3 Trattamento dei dati personali",
          where: "righe 120-140",
        },
      ],
      footer: "Verifica sempre il testo completo nella fonte citata.",
    },
    passages: [passage],
  });
}

/** A paragraph of `n` characters of Italian-looking prose, with sentence breaks. */
export function prose(n: number, seed = "Il beneficiario"): string {
  const sentence = `${seed} deve presentarsi al centro per l'impiego entro trenta giorni. `;
  return sentence
    .repeat(Math.ceil(n / sentence.length))
    .slice(0, n)
    .trim();
}

export const specialBody =
  "Scrivete a <!channel> solo se serve: costi & benefici, soglia > 3 e < 5, <script>alert(1)</script>.";

/** The fake service for Slack; interactions are numbered from 101. */
export function slackSportello(): FakeSportello {
  return new FakeSportello({
    users: { UFORM: ["operator", "trainer"] },
    othersAs: ["operator"],
    refusedUsers: ["UINTRUSO"],
    refusedWorkspaces: ["TALTRO"],
    documents: [document],
    passages: [passage],
    firstInteraction: 101,
    script: [
      { when: /esplodi/i, fault: () => new Error("engine exploded") },
      {
        when: /lunghissim/i,
        answer: () => answered("Ecco cosa dicono i documenti:", prose(200_000)),
      },
      {
        when: /lung/i,
        answer: () =>
          answered(
            "Ecco cosa dicono i documenti:",
            [prose(2_500, "Primo"), prose(4_500, "Secondo"), prose(2_000, "Terzo")].join("\n\n"),
          ),
      },
      { when: /speciali/i, answer: () => answered("Ecco cosa dicono i documenti:", specialBody) },
      {
        when: /dati|privacy/i,
        answer: () =>
          answered(
            "Ecco cosa dicono i documenti:",
            "Le parti trattano i dati personali secondo il Regolamento (UE) 2016/679 [1].",
          ),
      },
    ],
    declined: () =>
      fakeDecline(
        "Non ho trovato nei documenti una risposta sicura a questa domanda.",
        "Prova a riformulare.",
      ),
  });
}
