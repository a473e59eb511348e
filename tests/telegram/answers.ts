// What the Telegram suites' fake service knows and answers: two documents with a passage each,
// questions about "tirocinio" answered with hostile text in them, "lunga" with an answer over
// Telegram's 4096 characters, "guasto" a store fault; everything else declined and queued.
import type { Citation, RetrievedPassage } from "../../src/answer/types.js";
import { SportelloError } from "../../src/errors.js";
import type { DocumentMeta } from "../../src/knowledge/types.js";
import type { Role } from "../../src/service.js";
import { FakeSportello, fakeAnswer } from "../support/fake-sportello.js";

const documents: DocumentMeta[] = [
  {
    id: "convenzione-basilicata",
    file: "convenzione.txt",
    title: "Convenzione Regione Basilicata – ANPAL Servizi",
    shortTitle: "Convenzione Basilicata",
    kind: "convenzione",
    region: "Basilicata",
    date: "2019-07-01",
    origin: "test",
  },
  {
    id: "linee-guida-tirocini",
    file: "linee-guida.txt",
    title: "Linee guida sui tirocini <extracurriculari> & formazione",
    kind: "circolare",
    region: null,
    date: "2017-05-25",
    origin: "test",
  },
];

const passages: RetrievedPassage[] = [
  {
    passage: {
      id: "convenzione-basilicata:aa11",
      documentId: "convenzione-basilicata",
      breadcrumb: ["Art. 3", "Obblighi delle parti"],
      location: { lineStart: 10, lineEnd: 20, pageStart: 4, pageEnd: 4 },
      text: "Il soggetto ospitante garantisce la copertura assicurativa INAIL del tirocinante.\n\nLa Regione vigila sul rispetto degli obblighi <e> delle scadenze.",
      kind: "text",
    },
    document: documents[0] as DocumentMeta,
    location: "Art. 3 › Obblighi delle parti › p. 4",
    score: 3.2,
  },
  {
    passage: {
      id: "linee-guida-tirocini:bb22",
      documentId: "linee-guida-tirocini",
      breadcrumb: ["Sezione 2"],
      location: { lineStart: 40, lineEnd: 52 },
      text: "Il tirocinio extracurriculare dura al massimo 12 mesi & non può essere ripetuto.",
      kind: "text",
    },
    document: documents[1] as DocumentMeta,
    location: "Sezione 2 › righe 40-52",
    score: 2.1,
  },
];

function citationsFor(list: RetrievedPassage[]): Citation[] {
  return list.map((r, i) => ({
    n: i + 1,
    passageId: r.passage.id,
    documentId: r.document.id,
    documentTitle: r.document.shortTitle ?? r.document.title,
    section: r.passage.breadcrumb.join(" › "),
    where: r.passage.location.pageStart
      ? `p. ${r.passage.location.pageStart}`
      : `righe ${r.passage.location.lineStart}-${r.passage.location.lineEnd}`,
  }));
}

/** A long answer made of paragraphs, one of which alone exceeds Telegram's limit. */
export function longBody(): string {
  const sentence = (i: number) =>
    `Frase numero ${i} del paragrafo lungo, con un'informazione utile per l'operatore.`;
  const hugeParagraph = Array.from({ length: 70 }, (_, i) => sentence(i + 1)).join(" ");
  const paragraphs = Array.from(
    { length: 8 },
    (_, i) => `Paragrafo ${i + 1}: ${"dettaglio ".repeat(40).trim()}.`,
  );
  return [
    paragraphs.slice(0, 4).join("\n\n"),
    hugeParagraph,
    paragraphs.slice(4).join("\n\n"),
  ].join("\n\n");
}

/** The fake service for Telegram: `users` by Telegram user id; anyone else is refused. */
export function telegramSportello(users: Record<string, Role[]>): FakeSportello {
  return new FakeSportello({
    users,
    documents,
    passages,
    script: [
      {
        when: /guasto/,
        fault: () => new SportelloError("STORE_FAILED", "store: disk I/O error (fake)"),
      },
      {
        when: /lunga/i,
        answer: () =>
          fakeAnswer({
            parts: {
              lead: "Ecco cosa dicono i documenti:",
              body: longBody(),
              citations: citationsFor(passages),
              footer: "Controlla sempre le fonti.",
            },
            passages,
          }),
      },
      {
        when: /tirocin/i,
        answer: (text) =>
          fakeAnswer({
            parts: {
              lead: "Ecco cosa dicono i documenti:",
              body: `Hai chiesto: ${text}\n\nIl soggetto ospitante garantisce la copertura INAIL <sempre> & comunque.`,
              citations: citationsFor(passages),
              footer: "Apri le fonti per il testo completo.",
            },
            passages,
          }),
      },
    ],
  });
}
