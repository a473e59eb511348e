// What an operator sees first: the sentence that states the fact asked for, and a decline for a
// measure the documents never name.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/answer/engine.js";
import { questionType, sentenceMatchesType } from "../../src/answer/fact.js";
import { openEngine } from "../../src/answer/open.js";
import { shippedKnowledge } from "../support/shipped-knowledge.js";

let engine: Engine;
beforeAll(async () => {
  engine = (await openEngine({ knowledgeDir: shippedKnowledge })).engine;
});

const firstLine = (text: string) => text.split("\n")[0] ?? "";

/** An engine over one Markdown document written in `dir` (a knowledge folder of its own). */
async function oneDocumentEngine(dir: string, id: string, title: string, lines: string[]) {
  mkdirSync(join(dir, "documents"));
  writeFileSync(join(dir, "documents", `${id}.md`), lines.join("\n"));
  writeFileSync(
    join(dir, "manifest.yaml"),
    [
      "version: 1",
      "documents:",
      `  - id: ${id}`,
      `    file: documents/${id}.md`,
      `    title: "${title}"`,
      "    kind: manuale",
      "    region: null",
      "    date: null",
      '    origin: "Documento scritto per il test"',
      "",
    ].join("\n"),
  );
  return (await openEngine({ knowledgeDir: dir })).engine;
}

describe("question types", () => {
  it.each([
    ["Quanti navigator ci sono in Piemonte?", "count"],
    ["entro quando va firmato il patto?", "date"],
    ["Da quando è sospesa la linea 19?", "date"],
    ["chi firma la convenzione?", "who"],
    ["Quanto costa il piano di assistenza tecnica?", "amount"],
    ["dove si ritira la carta RdC?", "place"],
    ["Cos'è il PON SPAO?", "definition"],
    ["ogni quanto si riunisce il coordinamento?", "date"],
    ["Che cosa è l'assegno di ricollocazione?", "definition"],
    ["in che percentuale i lavoratori hanno ritrovato lavoro?", "share"],
    ["quanti hanno ritrovato lavoro in %?", "share"],
    ["Quale quota dei CPI va coinvolta?", "share"],
    ["navigator Basilicata", null],
  ])("«%s» asks for %s", (question, type) => {
    expect(questionType(question)).toBe(type);
  });

  it("recognises the fact in a sentence", () => {
    expect(sentenceMatchesType("count", "Sono stati inseriti 175 navigator.")).toBe(true);
    expect(sentenceMatchesType("amount", "Le risorse ammontano a 3.892.962,46 euro.")).toBe(true);
    expect(sentenceMatchesType("amount", "Le risorse sono assegnate dal Ministero.")).toBe(false);
    expect(sentenceMatchesType("date", "La convenzione decorre dal 1 gennaio 2020.")).toBe(true);
    expect(sentenceMatchesType("date", "Si tiene una sessione informativa al mese.")).toBe(true);
    expect(sentenceMatchesType("amount", "Coordinamento Generale 10.771.777")).toBe(true);
    // A name followed by its acronym in brackets defines it; a bracketed word does not.
    expect(
      sentenceMatchesType(
        "definition",
        'il Programma "Sistemi di politiche attive" (PON SPAO), adottato',
      ),
    ).toBe(true);
    expect(
      sentenceMatchesType("definition", "il Reddito di cittadinanza (RdC), introdotto nel 2019"),
    ).toBe(true);
    expect(sentenceMatchesType("definition", "le attività (vedi sotto) programmate nel 2019")).toBe(
      false,
    );
  });

  it("does not take an article, a year or a number the question names for a count", () => {
    expect(sentenceMatchesType("count", "Anpal Servizi realizza una rilevazione.")).toBe(false);
    expect(sentenceMatchesType("count", "LINEA 7T - Erogazione di contributi", ["7t"])).toBe(false);
    expect(sentenceMatchesType("count", "Le attività del 2019 in Piemonte.")).toBe(false);
    expect(
      sentenceMatchesType("count", "Gli interventi di crisi della linea 4 sono 10.", ["4", "10"]),
    ).toBe(false);
    expect(sentenceMatchesType("count", "Sono 3.770 i lavoratori coinvolti.", ["4", "10"])).toBe(
      true,
    );
  });
});

describe("the reply states the fact first", () => {
  it.each([
    ["Quanti navigator sono stati inseriti nei CPI del Piemonte?", "175"],
    [
      "quanti accordi di ricollocazione AdR CIGS sono stati trasferiti al territorio nel 2019?",
      "41",
    ],
    ["Quanti eventi dell'Employers Day 2019 sono stati programmati e con quanti CpI?", "153"],
    ["DD 570: quanto vale il Coordinamento Generale?", "10.771.777"],
  ])("«%s»: the first line holds %s, with its citation", (question, figure) => {
    const answer = engine.ask(question);
    expect(answer.status).toBe("answered");
    expect(firstLine(answer.text)).toContain(figure);
    expect(firstLine(answer.text)).toMatch(/\[1\]$/);
    expect(answer.answer?.text).toContain(figure);
    expect(answer.parts.citations[0]?.passageId).toBe(answer.answer?.passageId);
  });
});

describe("a definition", () => {
  it("«Cos'è il PON SPAO?»: the first line names the programme in full, not an event of it", () => {
    const answer = engine.ask("Cos'è il PON SPAO?");
    expect(answer.status).toBe("answered");
    expect(firstLine(answer.text)).toContain("Sistemi di politiche attive per l'occupazione");
  });
});

describe("a measure the documents never name", () => {
  it.each([
    "Come si fa domanda per l'ISCRO?",
    "Quanto dura la DIS-COLL?",
    "Chi paga il bonus Maroni ai lavoratori?",
  ])("declines «%s»", (question) => {
    const answer = engine.ask(question);
    expect(answer.status).toBe("declined");
    expect(answer.answer ?? null).toBeNull();
  });
});

describe("the passage that states the figure ranks first", () => {
  // Two sections talk about the employment centres; only one gives their number, and the other
  // names them more often. A "quanti" question must find the count, not the most repeated word.
  const dir = mkdtempSync(join(tmpdir(), "sportello-count-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("answers «quanti CPI …» from the sentence that counts them", async () => {
    const counting = await oneDocumentEngine(
      dir,
      "rete-servizi",
      "Rete dei servizi per il lavoro",
      [
        "# Rete dei servizi per il lavoro",
        "",
        "## Organizzazione",
        "",
        "I CPI erogano i servizi di politica attiva a chi cerca lavoro e collaborano con i",
        "comuni. Negli uffici più grandi gli sportelli sono aperti anche il sabato; quelli più",
        "piccoli ricevono su appuntamento. Il personale segue ogni anno un piano di",
        "formazione sui servizi, sugli strumenti informatici e sulle novità normative.",
        "",
        "## Coordinamento",
        "",
        "L'agenzia regionale definisce ogni anno gli indirizzi operativi, cura il sistema",
        "informativo, pubblica i dati sul mercato del lavoro, promuove accordi con le imprese e",
        "con gli enti di formazione, segue le crisi aziendali del territorio e coordina e",
        "gestisce i 31 CPI della regione, di cui controlla gli esiti con rapporti trimestrali",
        "presentati alla giunta e discussi con le parti sociali in un tavolo permanente.",
        "",
      ],
    );
    const answer = counting.ask("quanti CPI ci sono?");
    expect(answer.passages[0]?.passage.text).toContain("31 CPI");
    expect(answer.answer?.text).toContain("31 CPI");
  });
});

describe("a share", () => {
  // "%" in the documents and "percentuale" in the question are the same thing: the section that
  // gives the share answers, not the one that talks most about the subject.
  const dir = mkdtempSync(join(tmpdir(), "sportello-share-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("answers «in che percentuale …» from the sentence with the percentage", async () => {
    const sharing = await oneDocumentEngine(dir, "crisi-aziendali", "Crisi aziendali", [
      "# Crisi aziendali",
      "",
      "## Servizi ai lavoratori",
      "",
      "I lavoratori delle aziende in crisi ricevono orientamento, bilancio delle competenze e",
      "accompagnamento alla ricerca di lavoro. I lavoratori in cassa integrazione sono seguiti",
      "dai centri per l'impiego, che organizzano per i lavoratori sessioni informative",
      "sull'assegno di ricollocazione e sui percorsi di formazione disponibili.",
      "",
      "## Esiti",
      "",
      "Alla fine del 2019 il 32,8% dei destinatari aveva un nuovo contratto, a tempo",
      "indeterminato per un terzo dei casi; gli altri proseguono il percorso di ricollocazione.",
      "",
    ]);
    const answer = sharing.ask("in che percentuale i lavoratori hanno trovato un contratto?");
    expect(answer.passages[0]?.passage.text).toContain("32,8%");
    expect(answer.answer?.text).toContain("32,8%");
  });
});

describe("a code after an acronym", () => {
  // A list of service levels in one section: "LEP O" must find the line about LEP O, not the
  // first line that names a LEP ("O" alone is a stop word).
  const dir = mkdtempSync(join(tmpdir(), "sportello-lep-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("answers «cosa prevede il LEP O?» from the line about LEP O", async () => {
    const levels: Array<[string, string]> = [
      [
        "A",
        "sessioni collettive di informazione sulla rete dei servizi e sulle misure disponibili",
      ],
      ["B", "colloquio individuale di accoglienza e di profilazione della persona"],
      ["C", "sessioni collettive di orientamento sulle opportunità di formazione e lavoro"],
      ["E", "sessioni di valorizzazione delle competenze della persona"],
      ["G", "accompagnamento individuale al lavoro con un tutor dedicato"],
      [
        "O",
        "sessioni di presentazione degli strumenti a supporto dell'autoimpiego e della creazione di impresa",
      ],
      ["P", "avviamento a un tirocinio extracurricolare presso un'impresa del territorio"],
    ];
    const levelsEngine = await oneDocumentEngine(
      dir,
      "livelli",
      "Livelli essenziali delle prestazioni",
      [
        "# Livelli essenziali delle prestazioni",
        "",
        "## Prestazioni erogate dai CPI",
        "",
        "I CPI garantiscono le prestazioni previste dai LEP, tra cui:",
        "",
        ...levels.map(([code, text]) => `- LEP ${code}: ${text};`),
        "",
      ],
    );
    const answer = levelsEngine.ask("cosa prevede il LEP O?");
    expect(answer.answer?.text).toContain("LEP O:");
    expect(firstLine(answer.text)).toContain("autoimpiego");
    expect(levelsEngine.ask("cosa prevede il LEP P?").answer?.text).toContain("tirocinio");
    // Typed in lower case, as in a chat: the index knows the code, so it is read as one.
    expect(levelsEngine.ask("cosa prevede il lep o?").answer?.text).toContain("LEP O:");
  });
});
