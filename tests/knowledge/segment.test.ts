import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { textToLines } from "../../src/knowledge/load.js";
import { foldForMatch } from "../../src/knowledge/normalize.js";
import { PASSAGE_MAX, segmentDocument } from "../../src/knowledge/segment.js";
import type { Passage } from "../../src/knowledge/types.js";

const fixtures = join(import.meta.dirname, "../fixtures/knowledge");
const segmentFixture = (name: string, id = "doc") =>
  segmentDocument(id, textToLines(readFileSync(join(fixtures, name), "utf8")));
const containing = (passages: Passage[], words: string) =>
  passages.find((p) => foldForMatch(p.text).includes(foldForMatch(words)));

describe("segmentDocument on a convention", () => {
  const passages = segmentFixture("convenzione-esempio.txt", "conv");

  it("cites articles by number and title", () => {
    const privacy = containing(passages, "trattamento dei dati personali di cui è Titolare");
    expect(privacy?.breadcrumb).toHaveLength(1);
    expect(privacy?.breadcrumb[0]).toContain("Art. 2 – Trattamento dei dati personali");
    // The article sits on lines 29–36 of the file: the cited range covers them.
    expect(privacy?.location.lineStart).toBeLessThanOrEqual(29);
    expect(privacy?.location.lineEnd).toBeGreaterThanOrEqual(34);
  });

  it("re-joins broken lines and hyphenated compounds into readable paragraphs", () => {
    const premise = containing(passages, "rapporti scuola-formazione-impresa");
    expect(premise?.text).toContain(
      "consolidare i rapporti scuola-formazione-impresa sul territorio regionale.",
    );
    expect(premise?.text).toContain("alle misure di politica attiva");
  });

  it("drops lone page numbers", () => {
    expect(passages.some((p) => /(^|\n)7($|\n)/.test(p.text))).toBe(false);
  });

  it("merges short articles with their siblings, naming both", () => {
    const short = containing(passages, "ha effetto dalla data di stipula");
    expect(short?.breadcrumb.at(-1)).toContain("Art. 3 – Decorrenza della Convenzione");
    expect(short?.text).toContain("Obblighi di informazione");
  });

  it("gives the same ids when the same text is ingested again", () => {
    const again = segmentFixture("convenzione-esempio.txt", "conv");
    expect(again.map((p) => p.id)).toEqual(passages.map((p) => p.id));
    expect(passages.every((p) => /^conv:[0-9a-f]{10}/.test(p.id))).toBe(true);
    expect(new Set(passages.map((p) => p.id)).size).toBe(passages.length);
  });
});

describe("segmentDocument on markdown", () => {
  const passages = segmentFixture("guida-esempio.md");

  it("follows markdown headings and strips emphasis and HTML", () => {
    const welcome = containing(passages, "Dichiarazione di Immediata Disponibilità");
    expect(welcome?.breadcrumb).toEqual([
      "Guida operativa ai servizi per l'impiego",
      "Accoglienza e presa in carico",
    ]);
    expect(welcome?.text).not.toMatch(/\*|<p>/);
    expect(welcome?.text).toContain("- Patto di servizio personalizzato");
  });

  it("keeps tables apart, one row per line written with the header's column names", () => {
    const table = passages.find((p) => p.kind === "table");
    expect(table?.breadcrumb.at(-1)).toBe("Tabella dei servizi");
    expect(table?.text.split("\n")).toContain(
      "Servizio: Orientamento di base; Destinatari: Disoccupati; Durata: 1 ora",
    );
    expect(table?.text).not.toContain("---");
    expect(table?.table?.header).toEqual(["Servizio", "Destinatari", "Durata"]);
    expect(table?.table?.rows).toContainEqual(["Orientamento di base", "Disoccupati", "1 ora"]);
  });
});

describe("segmentDocument with page furniture", () => {
  it("removes a running header that recurs on every page", () => {
    const passages = segmentFixture("rapporto-intestazioni.txt");
    expect(passages.some((p) => p.text.includes("Rapporto sui servizi per il lavoro 2021"))).toBe(
      false,
    );
    expect(containing(passages, "tremila persone con disabilità")).toBeDefined();
  });

  it("removes a table header block repeated on each page, re-wrapped differently", () => {
    const passages = segmentFixture("tabella-ripetuta.txt");
    const all = passages.map((p) => p.text).join("\n");
    expect(all).not.toContain("prioritario/Obiettivo");
    expect(all).not.toContain("OCCUPABILITÀ");
    const objective = containing(passages, "Employers Day regionale");
    expect(objective?.breadcrumb).toEqual([
      "Linea 5 – Erogazione dei servizi per il lavoro",
      "Obiettivo specifico 5.3 – Rafforzare i servizi alle imprese e lo scouting delle opportunità occupazionali",
    ]);
  });
});

describe("chunk sizes", () => {
  it("splits a long section at sentence ends, repeating the breadcrumb, within the maximum", () => {
    const sentence = (n: number) =>
      `La frase numero ${n} descrive un'attività del centro per l'impiego con abbastanza parole da pesare.`;
    const body = Array.from({ length: 60 }, (_, n) => sentence(n + 1)).join(" ");
    const lines = textToLines(`ARTICOLO 1\nAttività dei centri\n\n${body}\n`);
    const passages = segmentDocument("lungo", lines);
    expect(passages.length).toBeGreaterThan(3);
    for (const p of passages) {
      expect(p.text.length).toBeLessThanOrEqual(PASSAGE_MAX);
      expect(p.breadcrumb).toEqual(["Art. 1 – Attività dei centri"]);
    }
    // Every sentence survives whole in some passage.
    for (let n = 1; n <= 60; n++) {
      expect(passages.some((p) => p.text.includes(sentence(n)))).toBe(true);
    }
  });
});

describe("segmentDocument on text extracted with layout", () => {
  const letterhead = [
    "COMUNE DI PROVA",
    "Servizio Lavoro e Formazione",
    "Piazza Grande 1 - 00100 Prova",
  ];
  const instructions = [
    "Per iscriversi:",
    "- portare un documento di identità;",
    "- portare il codice fiscale;",
    "- prenotare l'appuntamento allo sportello.",
  ];
  const page = (title: string, topic: string, n: number) =>
    [
      ...letterhead,
      "",
      title,
      "",
      `Il corso di ${topic} è gratuito e si rivolge alle persone disoccupate iscritte al centro per l'impiego; le lezioni si tengono due volte alla settimana per tre mesi.`,
      "",
      ...instructions,
      "",
      `Pag. ${n}`,
    ].join("\n");
  const text = [
    "Indice",
    "",
    "1. Corso di informatica ............... 2",
    "2. Corso di inglese .................... 3",
    "3. Corso di contabilità ................ 4",
    "",
    "Servizi erogati nel 2023",
    "",
    "Servizio                 Utenti     Ore",
    "Orientamento di base     1.200      2",
    "Accoglienza              3.400      1",
    "Tirocini                 250        40",
    "",
    "Dati del sistema informativo regionale.",
  ].join("\n");
  const passages = segmentDocument(
    "corsi",
    textToLines(
      [
        text,
        page("1. Corso di informatica", "informatica", 2),
        page("2. Corso di inglese", "inglese", 3),
        page("3. Corso di contabilità", "contabilità", 4),
      ].join("\n\f"),
    ),
  );

  it("drops the letterhead at the top of each page, keeps the instructions repeated in the body", () => {
    const all = passages.map((p) => p.text).join("\n");
    for (const line of letterhead) expect(all).not.toContain(line);
    for (const topic of ["informatica", "inglese", "contabilità"]) {
      const course = containing(passages, `Il corso di ${topic}`);
      expect(course?.text).toContain("- portare il codice fiscale;");
    }
  });

  it("keeps the table of contents out, headings from the pages themselves", () => {
    expect(passages.some((p) => p.text.includes("......"))).toBe(false);
    expect(containing(passages, "Il corso di inglese")?.breadcrumb).toEqual([
      "2. Corso di inglese",
    ]);
  });

  it("reads columns aligned with spaces as a table with its header", () => {
    const table = passages.find((p) => p.kind === "table");
    expect(table?.text.split("\n")).toEqual([
      "Servizio: Orientamento di base; Utenti: 1.200; Ore: 2",
      "Servizio: Accoglienza; Utenti: 3.400; Ore: 1",
      "Servizio: Tirocini; Utenti: 250; Ore: 40",
    ]);
    expect(table?.table?.header).toEqual(["Servizio", "Utenti", "Ore"]);
  });
});

describe("a last section too short to stand alone", () => {
  const body = (topic: string) =>
    `${`Per ${topic} apri il menù della piattaforma, seleziona la voce e conferma con il pulsante Invia. `.repeat(5)}`;
  const passages = segmentDocument(
    "doc",
    textToLines(
      [
        "# Gestione richieste",
        "",
        "## Nuova richiesta",
        "",
        body("richiedere un documento"),
        "",
        "## Logout",
        "",
        "Per uscire apri il menù in alto a destra e seleziona Esci.",
      ].join("\n"),
    ),
  );

  it("joins the section before it, and the breadcrumb names both", () => {
    const logout = containing(passages, "seleziona Esci");
    expect(logout?.text).toContain("richiedere un documento");
    expect(logout?.breadcrumb).toEqual(["Gestione richieste", "Nuova richiesta · Logout"]);
  });
});

describe("a sentence wrapped just before a number", () => {
  const passages = segmentDocument(
    "doc",
    textToLines(
      [
        "# Ricerca comunicazioni",
        "",
        "Per ogni comunicazione trovata la piattaforma mostra il codice regionale, composto da",
        "16 cifre, e la data di invio della comunicazione al Ministero.",
        "Le comunicazioni inserite si possono cancellare entro",
        "30 giorni dall'inserimento, poi restano in archivio.",
        "1 Introduzione",
      ].join("\n"),
    ),
  );

  it("goes on on the same line, while a capitalised numbered line starts its own", () => {
    const lines = passages.flatMap((p) => p.text.split("\n"));
    expect(lines).toContain(
      "Per ogni comunicazione trovata la piattaforma mostra il codice regionale, composto da 16 cifre, e la data di invio della comunicazione al Ministero.",
    );
    expect(lines).toContain(
      "Le comunicazioni inserite si possono cancellare entro 30 giorni dall'inserimento, poi restano in archivio.",
    );
    expect(lines.some((l) => l.startsWith("1 Introduzione"))).toBe(true);
  });
});

describe("a table row longer than a passage", () => {
  const long = "Il beneficiario conserva i documenti di spesa e li presenta al controllo. ".repeat(
    Math.ceil((2 * PASSAGE_MAX) / 70),
  );
  const passages = segmentDocument(
    "doc",
    textToLines(
      [
        "# Indicatori",
        "",
        "Le schede seguono la tabella.",
        "",
        "| Codice | Documentazione |",
        "|---|---|",
        "| CO01 | Decreto di concessione. |",
        `| CO02 | ${long.trim()} |`,
        "| CO03 | Visura camerale. |",
      ].join("\n"),
    ),
  );

  it("cites every piece of the cut row at the row's line", () => {
    const pieces = passages.filter((p) => p.text.includes("documenti di spesa"));
    expect(pieces.length).toBeGreaterThan(1);
    // Each piece keeps the header row (line 5) and is cited at the row itself (line 8).
    for (const p of pieces) expect(p.location.lineEnd).toBeGreaterThanOrEqual(8);
  });
});

describe("a title in capitals", () => {
  const body =
    "Chi lavora da casa usa il computer portatile fornito dall'ente e accede al SIU con le proprie credenziali; in caso di guasto del computer si apre una richiesta di assistenza al servizio informatico. ";
  const passages = segmentDocument(
    "doc",
    textToLines(
      ["LAVORO DA CASA CON UN COMPUTER PORTATILE E ACCESSO AL SIU", "", body.repeat(3)].join("\n"),
    ),
  );

  it("writes in lower case the words the text writes so, and keeps its acronyms", () => {
    expect(containing(passages, "guasto del computer")?.breadcrumb).toEqual([
      "Lavoro da casa con un computer portatile e accesso al SIU",
    ]);
  });
});
