// The answer engine on the corpus that ships in knowledge/: FAQ first, cited answers, the region
// rule, helpful declines, the thesaurus, and passages by id. Built once for the whole file.
import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/answer/engine.js";
import { openEngine, publishFileFaqs } from "../../src/answer/open.js";
import type { Answer } from "../../src/answer/types.js";
import type { Faq } from "../../src/knowledge/types.js";
import { say } from "../../src/prompts.js";
import { shippedKnowledge } from "../support/shipped-knowledge.js";

let engine: Engine;
let fileFaqs: Faq[];

beforeAll(async () => {
  const opened = await openEngine({ knowledgeDir: shippedKnowledge });
  engine = opened.engine;
  fileFaqs = opened.fileFaqs;
});

const fold = (text: string) =>
  text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[’‘`´]/g, "'");

const coveredRegions = ["Piemonte", "Emilia-Romagna", "Basilicata"] as const;
const allRegions = [
  "Abruzzo",
  "Basilicata",
  "Calabria",
  "Campania",
  "Emilia-Romagna",
  "Friuli",
  "Lazio",
  "Liguria",
  "Lombardia",
  "Marche",
  "Molise",
  "Piemonte",
  "Puglia",
  "Sardegna",
  "Sicilia",
  "Toscana",
  "Trentino",
  "Umbria",
  "Valle d'Aosta",
  "Veneto",
];
/** Region names written in a text (canonical names only, "Emilia Romagna" too). */
function regionsNamedIn(text: string): string[] {
  const folded = fold(text).replace(/-/g, " ");
  return allRegions.filter((r) =>
    new RegExp(`(?<![\\p{L}])${fold(r).replace(/-/g, " ")}(?![\\p{L}])`, "u").test(folded),
  );
}

function faq(id: string): Faq {
  const found = fileFaqs.find((f) => f.id === id);
  if (!found) throw new Error(`starter FAQ ${id} is missing from knowledge/faq`);
  return found;
}

function expectDocumentsOrDecline(answer: Answer, faqAnswer: string): void {
  expect(answer.source).not.toBe("faq");
  expect(answer.faq).toBeNull();
  expect(answer.text).not.toContain(faqAnswer.trim());
  expect(answer.text).not.toContain(say("answer.lead_faq"));
}

describe("FAQ first", () => {
  // Paraphrases of starter FAQ, not copies of their question or alternatives.
  const paraphrases = [
    {
      question: "Chi ha firmato la convenzione tra Anpal Servizi e la Regione Basilicata?",
      id: "firmatari-convenzione-basilicata",
    },
    {
      question: "come viene trattata la privacy nella convenzione con la Basilicata",
      id: "dati-personali-convenzione-basilicata",
    },
    { question: "che cos'è anpal servizi e da dove nasce", id: "anpal-servizi-italia-lavoro" },
  ];

  it.each(paraphrases)("answers «$question» from the FAQ $id", ({ question, id }) => {
    const answer = engine.ask(question);
    expect(answer.status).toBe("answered");
    expect(answer.source).toBe("faq");
    expect(answer.faq).toEqual({ id, question: faq(id).question, version: 1 });
    expect(answer.parts.body).toBe(faq(id).answer.trim());
    expect(answer.text).toContain(faq(id).answer.trim());
    expect(answer.text.startsWith(say("answer.lead_faq"))).toBe(true);
    expect(answer.confidence).toBeGreaterThan(0);
    expect(answer.confidence).toBeLessThanOrEqual(1);
    // The FAQ's sources are cited like documents.
    expect(answer.parts.citations.length).toBeGreaterThan(0);
    expect(answer.text).toContain("[1]");
  });

  it("never answers from a FAQ once the FAQ set is emptied, and again once restored", () => {
    const question = paraphrases[0]?.question ?? "";
    const original = engine.faqs();
    try {
      engine.setFaqs([]);
      expect(engine.faqs()).toEqual([]);
      for (const { question: q, id } of paraphrases) {
        const answer = engine.ask(q);
        expectDocumentsOrDecline(answer, faq(id).answer);
        expect(["answered", "declined"]).toContain(answer.status);
        if (answer.status === "answered") expect(answer.source).toBe("documents");
      }
    } finally {
      engine.setFaqs(original);
    }
    expect(engine.ask(question).source).toBe("faq");
  });

  it("answers from a FAQ published later with its version", () => {
    const original = engine.faqs();
    try {
      engine.setFaqs([
        ...publishFileFaqs(fileFaqs),
        {
          id: "orari-sportello-test",
          question: "A che ora apre lo sportello del centro per l'impiego di prova?",
          alternatives: ["orari di apertura dello sportello di prova"],
          answer: "Lo sportello di prova apre alle 8:30 dal lunedì al venerdì.",
          sources: [],
          tags: [],
          region: null,
          reviewed: "2025-02-01",
          version: 3,
        },
      ]);
      const answer = engine.ask("quali sono gli orari di apertura dello sportello di prova?");
      expect(answer.source).toBe("faq");
      expect(answer.faq?.id).toBe("orari-sportello-test");
      expect(answer.faq?.version).toBe(3);
      expect(answer.text).toContain("apre alle 8:30");
      // A FAQ without sources is cited as a FAQ with its review date.
      expect(answer.text).toContain("1 febbraio 2025");
    } finally {
      engine.setFaqs(original);
    }
  });

  // A regional FAQ does not answer a question that names no region: "How many navigators were
  // hired?" must not get the Emilia-Romagna figure (143); the national report speaks of 3,000.
  it("does not answer a national question with a regional FAQ's figure", () => {
    const answer = engine.ask("quanti navigator sono stati assunti?");
    expect(answer.faq?.id).not.toBe("navigator-emilia-romagna");
  });

  // A question sharing little more than a region or one acronym with a FAQ is not that FAQ.
  it("does not answer from a FAQ that shares only a region or one word with the question", () => {
    const cases = [
      {
        question: "attività di assistenza tecnica in Emilia-Romagna",
        not: "navigator-emilia-romagna",
      },
      { question: "sessioni informative in Basilicata", not: "coordinamento-basilicata" },
      { question: "cpi", not: "navigator-emilia-romagna" },
      { question: "organizzazione dei cpi", not: "coordinamento-basilicata" },
    ];
    const wrong = cases
      .map(({ question, not }) => ({ question, faq: engine.ask(question).faq?.id, not }))
      .filter((c) => c.faq === c.not);
    expect(wrong).toEqual([]);
  });
});

describe("answers from documents", () => {
  const question = "quando è stato sospeso il confronto internazionale della linea 19?";

  it("cites document, section and line range, numbered in the text", () => {
    const answer = engine.ask(question);
    expect(answer.status).toBe("answered");
    expect(answer.source).toBe("documents");
    expect(answer.faq).toBeNull();
    const first = answer.parts.citations[0];
    expect(first).toBeDefined();
    if (!first) return;
    expect(first.n).toBe(1);
    expect(first.documentId).toBe("relazione-anpal-servizi-2019");
    expect(first.documentTitle).toBe("Relazione ANPAL Servizi 2019");
    expect(first.section).toMatch(/Linea 19/);
    expect(first.where).toMatch(/^(righe \d+-\d+|riga \d+|pp?\. \d+(-\d+)?)$/);
    expect(answer.text).toContain(say("answer.sources_heading"));
    expect(answer.text).toContain("Fonti:");
    expect(answer.text).toContain(`[1] ${first.documentTitle} › ${first.section} › ${first.where}`);
    // The reply opens with the sentence that states the answer, pointing at its source.
    expect(answer.text.split("\n")[0]).toMatch(/sospeso nel secondo trimestre 2019.*\[1\]/);
    expect(answer.answer?.passageId).toBe(first.passageId);
    // Each cited passage is one of the retrieved passages.
    const retrieved = answer.passages.map((p) => p.passage.id);
    for (const c of answer.parts.citations) expect(retrieved).toContain(c.passageId);
  });

  it("returns at most five passages in rank order, with document and printable location", () => {
    const answer = engine.ask(question);
    expect(answer.passages.length).toBeGreaterThan(0);
    expect(answer.passages.length).toBeLessThanOrEqual(5);
    const scores = answer.passages.map((p) => p.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const p of answer.passages) {
      expect(p.document.id).toBe(p.passage.documentId);
      expect(p.location).toMatch(/(righe \d+-\d+|riga \d+|pp?\. \d+)$/);
    }
    expect(engine.ask(question, { topK: 10 }).passages.length).toBe(10);
  });
});

describe("the region rule", () => {
  const uncovered = [
    { question: "Quanti navigator ci sono in Toscana?", region: "Toscana" },
    { question: "cosa fanno i navigator in Lombardia?", region: "Lombardia" },
    {
      question: "come funzionano i tirocini nei centri per l'impiego della Sicilia",
      region: "Sicilia",
    },
    { question: "Chi firma la convenzione per la Regione Puglia?", region: "Puglia" },
    { question: "navigator nella provincia di Trento", region: "Trentino-Alto Adige" },
    // A region name mistyped by one letter, or lower-case "marche" after "regione".
    { question: "in toscanna quanti cpi ci sono in totale?", region: "Toscana" },
    { question: "piano di assistenza tecnica del molisse: quanti navigator?", region: "Molise" },
    { question: "la regione marche quanti navigator ha avuto?", region: "Marche" },
    // A national passage names Palermo in a list of events: no fact about Sicily.
    { question: "quanti navigator lavorano in sicilia?", region: "Sicilia" },
  ];

  it.each(uncovered)("declines «$question», naming $region", ({ question, region }) => {
    const answer = engine.ask(question);
    expect(answer.status).toBe("declined");
    expect(answer.reason).toBe("uncovered-region");
    expect(answer.source).toBeNull();
    expect(answer.faq).toBeNull();
    expect(answer.region).toEqual({ name: region, covered: false });
    expect(answer.text).toContain(region);
    // It says which regions it does know.
    for (const covered of coveredRegions) expect(answer.text).toContain(covered);
    // No passage of a covered region's document is offered instead.
    for (const p of answer.passages) expect(p.document.region).toBeNull();
  });

  it("answers for an uncovered region with the national sentence about that region", () => {
    // The passage states the general date first and Campania's own in the next sentence.
    const answer = engine.ask("la campania quando ha firmato la convenzione per i navigator?");
    expect(answer.status).toBe("answered");
    expect(answer.region).toEqual({ name: "Campania", covered: false });
    expect(answer.answer?.text).toContain("Campania");
    expect(answer.answer?.text).toContain("9 dicembre 2019");
  });

  const topics = [
    "quanti navigator ci sono",
    "attività di supporto ai centri per l'impiego",
    "tirocini e orientamento scuola lavoro",
    "formazione degli operatori",
    "reddito di cittadinanza beneficiari",
    "crisi aziendali e ricollocazione",
    "sistema duale apprendistato",
    "obiettivi del piano",
  ];
  const covered = coveredRegions.flatMap((region) =>
    topics.map((topic) => ({ region, question: `${topic} in ${region}` })),
  );

  it.each(covered)(
    "keeps «$question» inside $region and national documents",
    ({ region, question }) => {
      const answer = engine.ask(question);
      expect(answer.region).toEqual({ name: region, covered: true });
      expect(answer.reason).not.toBe("uncovered-region");
      const first = answer.passages[0];
      if (first) expect([region, null]).toContain(first.document.region);
      for (const p of answer.passages) {
        expect([region, null]).toContain(p.document.region);
        if (p.document.region === null) {
          // A national passage that names regions must name this one.
          const named = regionsNamedIn(`${p.passage.breadcrumb.join(" ")} ${p.passage.text}`);
          if (named.length > 0) expect(named).toContain(region);
        }
      }
      if (answer.source === "faq") {
        const used = engine.faqs().find((f) => f.id === answer.faq?.id);
        expect([region, null]).toContain(used?.region ?? null);
      }
    },
  );

  // Common words that look like regions: "una trentina" (about thirty), "le marche da bollo"
  // (revenue stamps), "America Latina".
  it("does not take common words for regions", () => {
    const misread = [
      "una trentina di navigator",
      "servono le marche da bollo per la convenzione?",
      "progetti di cooperazione con l'America Latina",
    ]
      .map((question) => ({ question, region: engine.ask(question).region?.name ?? null }))
      .filter((c) => c.region !== null);
    expect(misread).toEqual([]);
  });

  it("never answers a Piemonte question with the Basilicata FAQ", () => {
    const answer = engine.ask("Chi firma la convenzione per la Regione Piemonte?");
    expect(answer.faq?.id).not.toBe("firmatari-convenzione-basilicata");
    expect(answer.text).not.toContain("Donato Viggiano");
  });
});

describe("declines", () => {
  it("says what was searched, how to rephrase and that the trainers will see the question", () => {
    const answer = engine.ask("Come si richiede il bonus bebè all'INPS?");
    expect(answer.status).toBe("declined");
    expect(answer.source).toBeNull();
    expect(["no-match", "low-confidence"]).toContain(answer.reason);
    expect(answer.text).toContain("«bonus»");
    expect(answer.text).toContain("«bebè»");
    expect(answer.text).toContain(say("answer.decline_rephrase"));
    expect(answer.text).toContain(say("answer.decline_noted"));
    expect(say("answer.decline_noted")).toMatch(/formatori/);
    expect(answer.parts.citations).toEqual([]);
    expect(answer.text).not.toContain("Fonti:");
    // Retrieval is still visible, for measurement.
    expect(answer.passages.length).toBeGreaterThan(0);
  });

  it.each(["", "   ", "😀🎉👍", "di la il per che"])(
    "declines %j as empty, with an example of a question",
    (text) => {
      const answer = engine.ask(text);
      expect(answer.status).toBe("declined");
      expect(answer.reason).toBe("empty");
      expect(answer.confidence).toBe(0);
      expect(answer.passages).toEqual([]);
      expect(answer.text).toContain(say("answer.decline_empty"));
      // Nothing was searched, so the reply does not pretend it was.
      const searched = say("answer.decline_searched", { terms: "" }).split(":")[0] ?? "";
      expect(answer.text).not.toContain(searched);
    },
  );

  // One word of a two-word question found in a passage is not an answer: the stemmer makes
  // "carta" and "Cartiere (Burgo)" one term, and "RdC" is nowhere near it.
  it("declines when the best passage has only one of the question's words", () => {
    const answer = engine.ask("cos'è la carta RdC?");
    expect(answer.status).toBe("declined");
    expect(answer.text).not.toContain("Cartiere");
  });

  // "ferie", a real word the corpus never uses, must not be corrected into "serie" and answered.
  it("declines questions about a topic the corpus never mentions (ferie)", () => {
    const answered = [
      "ferie",
      "come si calcolano le ferie?",
      "quanti giorni di ferie ha un navigator?",
    ]
      .map((q) => ({ q, answer: engine.ask(q) }))
      .filter(({ answer }) => answer.status === "answered")
      .map(({ q }) => q);
    expect(answered).toEqual([]);
  });
});

describe("thesaurus through the engine", () => {
  const mentionsRdc = (text: string) => /\brdc\b|reddito di cittadinanza/.test(fold(text));

  const ids = (question: string, topK: number) =>
    engine.ask(question, { topK }).passages.map((p) => p.passage.id);
  const shared = (a: string[], b: string[]) => a.filter((id) => b.includes(id));

  it("finds overlapping passages for «RdC» and «reddito di cittadinanza», all about the RdC", () => {
    expect(shared(ids("RdC", 10), ids("reddito di cittadinanza", 10)).length).toBeGreaterThan(0);
    for (const question of ["RdC", "rdc", "reddito di cittadinanza"]) {
      const answer = engine.ask(question);
      expect(answer.status).toBe("answered");
      for (const p of answer.passages) expect(mentionsRdc(p.passage.text)).toBe(true);
    }
  });

  it("finds overlapping top passages for a question with the acronym or the words", () => {
    const short = ids("cosa fanno i navigator con i beneficiari del RdC", 5);
    const long = ids("cosa fanno i navigator con i beneficiari del reddito di cittadinanza", 5);
    expect(shared(short, long).length).toBeGreaterThanOrEqual(2);
  });

  it("finds passages that say «centri per l'impiego» when asked about «cpi»", () => {
    const saysOnlyWords = (text: string) =>
      /centr[oi] per l'impiego/.test(fold(text)) && !/\bcpi\b/.test(fold(text));
    expect(
      engine.ask("cpi", { topK: 40 }).passages.some((p) => saysOnlyWords(p.passage.text)),
    ).toBe(true);
  });
});

describe("passages by id", () => {
  it("returns the passage with its document and location", () => {
    const retrieved = engine.ask(
      "quando è stato sospeso il confronto internazionale della linea 19?",
    ).passages[0];
    expect(retrieved).toBeDefined();
    if (!retrieved) return;
    const found = engine.passage(retrieved.passage.id);
    expect(found?.passage).toEqual(retrieved.passage);
    expect(found?.document.id).toBe("relazione-anpal-servizi-2019");
    expect(found?.location).toBe(retrieved.location);
    expect(found?.location.startsWith("Relazione ANPAL Servizi 2019 › ")).toBe(true);
  });

  it.each(["nope", "", "relazione-anpal-servizi-2019:", "__proto__", "constructor"])(
    "returns undefined for the unknown id %j",
    (id) => {
      expect(engine.passage(id)).toBeUndefined();
    },
  );

  it("lists the documents and the covered regions", () => {
    expect(engine.documents().map((d) => d.id)).toHaveLength(4);
    expect([...engine.regions()].sort()).toEqual([...coveredRegions].sort());
  });
});
