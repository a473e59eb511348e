import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { foldForMatch } from "../../src/knowledge/normalize.js";
import type { LoadedDocument } from "../../src/knowledge/types.js";
import { allText, containing, loadPdf, type PdfPage, wrap } from "./pdf-builder.js";

// Documents laid out the way real ones are (columns, tables, contents pages, letterheads,
// slides), generated here with pdf-lib and read back through the loader.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sportello-layout-"));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const load = (name: string, pages: PdfPage[]) => loadPdf(dir, name, pages);
const position = (doc: LoadedDocument, words: string) =>
  foldForMatch(allText(doc)).indexOf(foldForMatch(words));

// Two columns of 9-point text, 240 points wide, 20 points apart.
const left = wrap(
  "Il centro per l'impiego accoglie chi cerca lavoro e ne registra la dichiarazione di immediata disponibilità. Il primo colloquio si svolge entro trenta giorni e serve a conoscere la storia professionale della persona e le sue competenze principali. Al termine del colloquio l'operatore propone il patto di servizio personalizzato.",
  48,
);
const right = wrap(
  "Le imprese possono pubblicare le offerte di lavoro sul portale regionale e chiedere una preselezione dei candidati. Il servizio è gratuito per tutte le aziende del territorio e comprende la verifica dei requisiti e la proposta di una rosa di nomi. Gli esiti della preselezione sono comunicati all'impresa entro quindici giorni.",
  48,
);

describe("a two-column page", () => {
  let doc: LoadedDocument;
  beforeAll(async () => {
    doc = await load("colonne", [
      {
        lines: [
          {
            text: "Guida ai servizi del centro per l'impiego",
            x: 50,
            y: 780,
            size: 16,
            bold: true,
          },
          { text: "Servizi alle persone", x: 50, y: 740, size: 12, bold: true },
          ...left.map((text, i) => ({ text, x: 50, y: 720 - i * 11, size: 9 })),
          { text: "Servizi alle imprese", x: 310, y: 740, size: 12, bold: true },
          ...right.map((text, i) => ({ text, x: 310, y: 720 - i * 11, size: 9 })),
        ],
      },
    ]);
  });

  it("reads the left column to its end before the right one, lines not interleaved", () => {
    const persons = containing(doc, "immediata disponibilità. Il primo colloquio");
    expect(persons?.text).toContain(
      "Il primo colloquio si svolge entro trenta giorni e serve a conoscere la storia professionale",
    );
    expect(persons?.text).not.toContain("portale regionale");
    expect(position(doc, "patto di servizio personalizzato")).toBeLessThan(
      position(doc, "Le imprese possono pubblicare"),
    );
  });

  it("takes headings from the fonts, each column under its own", () => {
    expect(containing(doc, "patto di servizio personalizzato")?.breadcrumb).toEqual([
      "Guida ai servizi del centro per l'impiego",
      "Servizi alle persone",
    ]);
    expect(containing(doc, "preselezione dei candidati")?.breadcrumb).toEqual([
      "Guida ai servizi del centro per l'impiego",
      "Servizi alle imprese",
    ]);
  });
});

// Three columns of 8.5-point text, about 150 points wide, under a title across the page and
// above a note across the page, as a newsletter or a regional leaflet sets them.
const threeColumns = [
  {
    heading: "Chi può aderire",
    text: "Possono aderire al programma le persone disoccupate iscritte al centro per l'impiego da almeno sei mesi. Sono ammessi anche i lavoratori in cassa integrazione a zero ore e i giovani che hanno concluso gli studi da meno di un anno. Restano esclusi coloro che percepiscono già un'indennità di partecipazione per un altro percorso regionale.",
  },
  {
    heading: "Come si presenta la domanda",
    text: "La domanda si presenta allo sportello del centro per l'impiego oppure sul portale regionale con SPID. L'operatore verifica i requisiti entro dieci giorni e fissa il primo colloquio di orientamento con la persona. Alla domanda vanno allegati il curriculum aggiornato e la dichiarazione di immediata disponibilità al lavoro.",
  },
  {
    heading: "Quanto dura il percorso",
    text: "Il percorso dura al massimo dodici mesi e comprende orientamento, formazione breve e accompagnamento al lavoro. Chi trova un impiego prima della fine conserva il diritto al tutor per altri tre mesi dalla firma del contratto. Le assenze non giustificate oltre un terzo delle ore previste fanno decadere dal programma.",
  },
];

describe("a three-column page", () => {
  let doc: LoadedDocument;
  beforeAll(async () => {
    doc = await load("tre-colonne", [
      {
        lines: [
          { text: "Programma regionale per il lavoro", x: 40, y: 790, size: 16, bold: true },
          ...threeColumns.flatMap(({ heading, text }, c) => [
            { text: heading, x: 40 + c * 180, y: 750, size: 10.5, bold: true },
            ...wrap(text, 36).map((line, i) => ({
              text: line,
              x: 40 + c * 180,
              y: 732 - i * 11,
              size: 8.5,
            })),
          ]),
          {
            text: "Per informazioni rivolgersi al centro per l'impiego più vicino o al numero verde regionale.",
            x: 40,
            y: 560,
            size: 8.5,
          },
        ],
      },
    ]);
  });

  it("reads each column to its end before the next, left to right, then the note below", () => {
    const whole = foldForMatch(allText(doc));
    for (const { text } of threeColumns) {
      // Every column comes back as the sentences it holds, no line of a neighbour in between.
      for (const sentence of text.split(/(?<=\.) /)) {
        expect(whole, sentence).toContain(foldForMatch(sentence));
      }
    }
    expect(position(doc, "per un altro percorso regionale")).toBeLessThan(
      position(doc, "La domanda si presenta allo sportello"),
    );
    expect(position(doc, "immediata disponibilità al lavoro")).toBeLessThan(
      position(doc, "Il percorso dura al massimo"),
    );
    expect(position(doc, "fanno decadere dal programma")).toBeLessThan(
      position(doc, "Per informazioni rivolgersi"),
    );
  });

  it("puts each column under its own heading", () => {
    expect(containing(doc, "cassa integrazione a zero ore")?.breadcrumb).toEqual([
      "Programma regionale per il lavoro",
      "Chi può aderire",
    ]);
    expect(containing(doc, "verifica i requisiti entro dieci giorni")?.breadcrumb).toEqual([
      "Programma regionale per il lavoro",
      "Come si presenta la domanda",
    ]);
    expect(containing(doc, "diritto al tutor")?.breadcrumb).toEqual([
      "Programma regionale per il lavoro",
      "Quanto dura il percorso",
    ]);
  });
});

describe("a table", () => {
  let doc: LoadedDocument;
  const rows = [
    ["Servizio", "Destinatari", "Durata"],
    ["Accoglienza", "Tutti gli utenti", "30 minuti"],
    ["Orientamento di base", "Disoccupati", "1 ora"],
    ["Incrocio domanda-offerta", "Imprese e candidati", "Variabile"],
  ];
  beforeAll(async () => {
    doc = await load("tabella", [
      {
        lines: [
          { text: "Servizi erogati", x: 50, y: 780, size: 14, bold: true },
          ...wrap(
            "I servizi del centro sono gratuiti e si prenotano allo sportello o sul portale regionale, indicando il servizio richiesto.",
            90,
          ).map((text, i) => ({ text, x: 50, y: 750 - i * 14, size: 10 })),
          ...rows.flatMap((cells, r) =>
            cells.map((text, c) => ({
              text,
              x: [50, 230, 400][c] ?? 50,
              y: 690 - r * 18,
              size: 10,
              bold: r === 0,
            })),
          ),
          { text: "Le prenotazioni si chiudono il venerdì.", x: 50, y: 600, size: 10 },
        ],
      },
    ]);
  });

  it("keeps rows whole, each cell named by its column", () => {
    const table = doc.passages.find((p) => p.kind === "table");
    expect(table?.text.split("\n")).toEqual([
      "Servizio: Accoglienza; Destinatari: Tutti gli utenti; Durata: 30 minuti",
      "Servizio: Orientamento di base; Destinatari: Disoccupati; Durata: 1 ora",
      "Servizio: Incrocio domanda-offerta; Destinatari: Imprese e candidati; Durata: Variabile",
    ]);
    expect(table?.table).toEqual({ header: rows[0], rows: rows.slice(1) });
    expect(table?.breadcrumb).toEqual(["Servizi erogati"]);
  });

  it("leaves the text around the table as text, in order", () => {
    expect(containing(doc, "si prenotano allo sportello")?.kind).toBe("text");
    expect(containing(doc, "si chiudono il venerdì")?.kind).toBe("text");
    expect(position(doc, "si prenotano allo sportello")).toBeLessThan(
      position(doc, "Orientamento di base"),
    );
  });
});

describe("a contents page and captions", () => {
  let doc: LoadedDocument;
  const body = (topic: string) =>
    wrap(
      `Questa sezione descrive ${topic} con le regole che gli operatori applicano ogni giorno, i documenti da chiedere e i tempi da rispettare per ogni passaggio della procedura. Ogni passaggio è registrato nel sistema informativo regionale, così che il fascicolo della persona resti completo e consultabile da ogni sportello.`,
      90,
    );
  beforeAll(async () => {
    doc = await load("manuale", [
      {
        lines: [
          { text: "Indice", x: 50, y: 780, size: 16, bold: true },
          {
            text: "1. Premessa ........................................ 2",
            x: 50,
            y: 750,
            size: 11,
          },
          {
            text: "2. Iscrizione al portale .............................. 2",
            x: 50,
            y: 734,
            size: 11,
          },
          {
            text: "11 Annullamento dichiarazione ...................... 3",
            x: 50,
            y: 718,
            size: 11,
          },
          {
            text: "Allegati ........................................... 3",
            x: 50,
            y: 702,
            size: 11,
          },
        ],
      },
      {
        lines: [
          { text: "1. Premessa", x: 50, y: 780, size: 14, bold: true },
          ...body("il manuale").map((text, i) => ({ text, x: 50, y: 756 - i * 14, size: 10 })),
          { text: "2. Iscrizione al portale", x: 50, y: 680, size: 14, bold: true },
          ...body("l'iscrizione").map((text, i) => ({ text, x: 50, y: 656 - i * 14, size: 10 })),
          { text: "Figura 25 - Schermata di accesso", x: 50, y: 560, size: 10, bold: true },
          ...body("la schermata").map((text, i) => ({ text, x: 50, y: 540 - i * 14, size: 10 })),
        ],
      },
      {
        lines: [
          { text: "11 Annullamento dichiarazione", x: 50, y: 780, size: 14, bold: true },
          ...body("l'annullamento").map((text, i) => ({ text, x: 50, y: 756 - i * 14, size: 10 })),
        ],
      },
    ]);
  });

  it("keeps the table of contents out of passages and breadcrumbs", () => {
    expect(allText(doc)).not.toMatch(/\.{4}/);
    for (const p of doc.passages) {
      expect(p.breadcrumb.join(" ")).not.toMatch(/\.{3}|Indice/);
    }
  });

  it("cites sections by their real headings, and a caption is not one", () => {
    expect(containing(doc, "descrive l'iscrizione")?.breadcrumb).toEqual([
      "2. Iscrizione al portale",
    ]);
    expect(containing(doc, "descrive la schermata")?.breadcrumb).toEqual([
      "2. Iscrizione al portale",
    ]);
    expect(containing(doc, "descrive l'annullamento")?.breadcrumb).toEqual([
      "11 Annullamento dichiarazione",
    ]);
    expect(containing(doc, "descrive l'annullamento")?.location.pageStart).toBe(3);
  });
});

describe("a contents page without dot leaders", () => {
  it("leaves out titles followed by page numbers in their own column", async () => {
    const entries = ["Premessa", "Destinatari", "Modalità di adesione", "Scadenze"];
    const text = (topic: string) =>
      wrap(
        `Il paragrafo su ${topic} spiega agli operatori che cosa verificare, quali documenti chiedere alla persona e come registrare l'esito nel sistema informativo, così che ogni sportello applichi la stessa regola e la persona riceva la stessa risposta ovunque si presenti. I casi dubbi si segnalano al coordinamento regionale, che risponde entro una settimana.`,
        90,
      );
    const doc = await load("sommario", [
      {
        lines: [
          { text: "Sommario", x: 50, y: 780, size: 16, bold: true },
          ...entries.flatMap((entry, i) => [
            { text: entry, x: 50, y: 750 - i * 16, size: 11 },
            { text: String(i + 2), x: 520, y: 750 - i * 16, size: 11 },
          ]),
        ],
      },
      ...entries.map((entry) => ({
        lines: [
          { text: entry, x: 50, y: 780, size: 14, bold: true },
          ...text(entry).map((line, i) => ({ text: line, x: 50, y: 756 - i * 14, size: 10 })),
        ],
      })),
    ]);
    expect(doc.passages.map((p) => p.breadcrumb)).toEqual(entries.map((entry) => [entry]));
    expect(doc.passages.every((p) => p.kind === "text")).toBe(true);
    expect(doc.passages[0]?.location.pageStart).toBe(2);
  });
});

describe("page furniture", () => {
  const letterhead = [
    "REGIONE TOSCANA",
    "Direzione Istruzione, Formazione e Lavoro",
    "Settore Servizi per l'impiego",
    "Via di Novoli 26 - 50127 Firenze",
    "PEC: regionetoscana@postacert.toscana.it",
  ];
  const instructions = [
    "Come presentare la domanda:",
    "- compilare il modulo in ogni sua parte;",
    "- allegare un documento di identità valido;",
    "- consegnarlo al centro per l'impiego più vicino.",
  ];
  const topics = ["tirocini", "apprendistato", "formazione continua"];
  let doc: LoadedDocument;
  beforeAll(async () => {
    doc = await load(
      "avviso",
      topics.map((topic, p) => {
        const paragraph = wrap(
          `L'avviso finanzia progetti di ${topic} rivolti a persone disoccupate residenti in Toscana; ogni progetto dura al massimo dodici mesi e prevede un tutor dedicato.`,
          90,
        );
        // The instructions sit at a different height on each page: body text, not furniture.
        const instructionsTop = 640 - p * 60;
        return {
          lines: [
            ...letterhead.map((text, i) => ({ text, x: 50, y: 800 - i * 12, size: 9 })),
            { text: `Misura ${p + 1} - ${topic}`, x: 50, y: 700, size: 14, bold: true },
            ...paragraph.map((text, i) => ({ text, x: 50, y: 676 - i * 14, size: 10 })),
            ...instructions.map((text, i) => ({
              text,
              x: 50,
              y: instructionsTop - 30 - i * 14,
              size: 10,
            })),
            { text: `Pagina ${p + 1} di 3`, x: 270, y: 40, size: 8 },
          ],
        };
      }),
    );
  });

  it("drops a five-line letterhead and the page numbers repeated on every page", () => {
    for (const line of [...letterhead, "Pagina 2 di 3"]) {
      expect(allText(doc)).not.toContain(line);
    }
    for (const p of doc.passages) expect(p.breadcrumb.join(" ")).not.toMatch(/REGIONE|Regione/);
  });

  it("keeps the instruction block the leaflet repeats on every page", () => {
    for (const [p, topic] of topics.entries()) {
      const passage = containing(doc, `progetti di ${topic}`);
      expect(passage?.breadcrumb).toEqual([`Misura ${p + 1} - ${topic}`]);
      expect(passage?.text).toContain("- allegare un documento di identità valido;");
    }
  });
});

describe("a slide deck", () => {
  const slides = [
    ["Garanzia Giovani", ["Il programma per chi ha meno di 30 anni", "Attivo in tutte le regioni"]],
    ["Chi può aderire", ["Giovani tra 15 e 29 anni", "Non occupati e non in formazione"]],
    ["Come aderire", ["Registrazione sul portale nazionale", "Colloquio al centro per l'impiego"]],
    ["Le misure", ["Tirocini extracurriculari", "Formazione mirata", "Servizio civile"]],
  ] as const;
  let doc: LoadedDocument;
  beforeAll(async () => {
    doc = await load(
      "slide",
      slides.map(([title, bullets]) => ({
        size: [842, 595] as [number, number],
        lines: [
          { text: title, x: 60, y: 500, size: 32, bold: true },
          ...bullets.map((text, i) => ({ text: `- ${text}`, x: 80, y: 400 - i * 40, size: 20 })),
          { text: "Corso per operatori 2024", x: 60, y: 30, size: 10 },
        ],
      })),
    );
  });

  it("gives one passage per slide, titled by the slide, in order, never across pages", () => {
    expect(doc.passages.map((p) => p.breadcrumb)).toEqual(slides.map(([title]) => [title]));
    expect(doc.passages.map((p) => [p.location.pageStart, p.location.pageEnd])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ]);
    expect(doc.passages[3]?.text).toContain("- Formazione mirata");
    expect(allText(doc)).not.toContain("Corso per operatori");
  });
});

describe("a landscape page stored rotated", () => {
  const body = wrap(
    "Le comunicazioni obbligatorie di assunzione sono inviate entro il giorno precedente l'inizio del rapporto di lavoro. La proroga, la trasformazione e la cessazione si comunicano entro cinque giorni dall'evento. In caso di urgenza si invia una comunicazione sintetica e quella completa entro il primo giorno utile successivo.",
    90,
  );
  let doc: LoadedDocument;
  beforeAll(async () => {
    doc = await load("ruotata", [
      {
        lines: [
          { text: "Premessa", x: 60, y: 760, size: 16, bold: true },
          {
            text: "Questa guida riassume le scadenze delle comunicazioni.",
            x: 60,
            y: 730,
            size: 10,
          },
        ],
      },
      {
        size: [842, 595],
        rotated: true,
        lines: [
          { text: "Le scadenze", x: 60, y: 520, size: 16, bold: true },
          ...body.map((text, i) => ({ text, x: 60, y: 490 - i * 14, size: 10 })),
        ],
      },
    ]);
  });

  it("reads the turned page's lines in order, under its own heading", () => {
    const passage = containing(doc, "entro il giorno precedente");
    // The short first page's section and this one make one passage: both headings name it.
    expect(passage?.breadcrumb).toEqual(["Premessa · Le scadenze"]);
    expect(passage?.location.pageEnd).toBe(2);
    expect(passage?.text.replace(/\s+/g, " ")).toContain(body.join(" "));
  });
});

describe("numbered sections, font headings and bold labels in one manual", () => {
  const body = (topic: string) =>
    wrap(
      `Questa parte descrive ${topic} con le regole che gli operatori applicano ogni giorno, i documenti da chiedere e i tempi da rispettare per ogni passaggio della procedura. Ogni passaggio è registrato nel sistema informativo regionale, così che il fascicolo della persona resti completo e consultabile da ogni sportello.`,
      90,
    );
  type Block = { text: string; size?: number; bold?: boolean; gap?: number };
  // Lines stacked down the page: 14 points a line, `gap` more above a block that has it.
  const stack = (blocks: Block[]) => {
    let y = 790;
    return blocks.map(({ text, size = 10, bold = false, gap = 0 }) => {
      y -= 14 + gap;
      return { text, x: 50, y, size, bold };
    });
  };
  const paragraph = (topic: string): Block[] =>
    body(topic).map((text, i) => ({ text, gap: i === 0 ? 10 : 0 }));
  let doc: LoadedDocument;
  beforeAll(async () => {
    doc = await load("geco", [
      {
        lines: [
          { text: "Servizi Online", x: 50, y: 700, size: 28, bold: true },
          { text: "Manuale d'uso", x: 50, y: 650, size: 20 },
        ],
      },
      {
        lines: stack([
          // A chapter title in the chapters' font, but with no blank line below it.
          { text: "1. INTRODUZIONE", size: 14, bold: true },
          { text: "Versione 3 del 7 ottobre 2022", gap: 4 },
          ...paragraph("le novità"),
          { text: "2. AVVERTENZE", size: 14, bold: true, gap: 20 },
          ...paragraph("le avvertenze"),
        ]),
      },
      {
        lines: stack([
          { text: "3. INSERIMENTO", size: 14, bold: true },
          ...paragraph("l'inserimento"),
          { text: "3.1 Dati generali", gap: 20 },
          ...paragraph("i dati generali"),
          // A label in bold body type inside section 3.1.
          { text: "SEDE OPERATIVA", bold: true, gap: 20 },
          ...paragraph("la sede operativa"),
          // Body type, no blank line after: only its number says it is the next section.
          { text: "3.2 Dati lavoratore", gap: 20 },
          ...body("il lavoratore").map((text) => ({ text })),
          // Steps numbered from 1 inside section 3.2: not chapters 1 and 2.
          { text: "1. SCELTA DEL SERVIZIO", bold: true, gap: 20 },
          ...paragraph("la scelta del servizio"),
          { text: "2. CONFERMA", bold: true, gap: 20 },
          ...paragraph("la conferma"),
          { text: "4. RIFERIMENTI", size: 14, bold: true, gap: 20 },
          ...paragraph("i riferimenti"),
        ]),
      },
    ]);
  });

  it("puts each chapter at the top of the outline, not under the cover or the previous one", () => {
    expect(containing(doc, "descrive le avvertenze")?.breadcrumb).toEqual(["2. Avvertenze"]);
    expect(containing(doc, "descrive l'inserimento")?.breadcrumb).toEqual(["3. Inserimento"]);
    expect(containing(doc, "descrive i riferimenti")?.breadcrumb).toEqual(["4. Riferimenti"]);
  });

  it("keeps a bold label inside its numbered section, and the next number ends it", () => {
    expect(containing(doc, "descrive la sede operativa")?.breadcrumb).toEqual([
      "3. Inserimento",
      "3.1 Dati generali",
      "Sede operativa",
    ]);
    const worker = containing(doc, "descrive il lavoratore");
    expect(worker?.breadcrumb).toEqual(["3. Inserimento", "3.2 Dati lavoratore"]);
    expect(worker?.text.split("\n")[0]).toBe("3.2 Dati lavoratore");
  });

  it("keeps steps numbered from 1 inside the section that lists them", () => {
    expect(containing(doc, "descrive la conferma")?.breadcrumb).toEqual([
      "3. Inserimento",
      "3.2 Dati lavoratore",
      "2. Conferma",
    ]);
  });
});

describe("a slide with steps in two columns", () => {
  const leftSteps = [
    "1. Cerca la comunicazione",
    "Imposta i criteri di ricerca, ad esempio il",
    "codice regionale della comunicazione.",
    "Se non è l'ultima comunicazione inviata",
    "per il rapporto di lavoro, non si può",
    "procedere con l'annullo della stessa.",
  ];
  const rightSteps = [
    "Il sistema apre un modulo composto",
    "da un insieme di passi con i dati",
    "della comunicazione di annullo, che",
    "diversi a seconda del rapporto di lavoro",
    "sono tutti da confermare.",
  ];
  let doc: LoadedDocument;
  beforeAll(async () => {
    doc = await load("slide-colonne", [
      {
        size: [842, 595],
        lines: [
          { text: "Annullare una comunicazione", x: 60, y: 520, size: 28, bold: true },
          // The right box starts lower than the left one: baselines never line up.
          // The step's name stands alone above its text, as in a box on a real slide.
          ...leftSteps.map((text, i) => ({
            text,
            x: 60,
            y: 450 - i * 20 - (i > 0 ? 16 : 0),
            size: 16,
          })),
          ...rightSteps.map((text, i) => ({ text, x: 460, y: 444 - i * 20, size: 16 })),
        ],
      },
    ]);
  });

  it("reads the left column to its end before the right one", () => {
    expect(doc.passages).toHaveLength(1);
    const text = doc.passages[0]?.text.replace(/\s+/g, " ") ?? "";
    expect(text).toContain(leftSteps.join(" "));
    expect(text).toContain(rightSteps.join(" "));
    expect(text.indexOf(leftSteps[5] as string)).toBeLessThan(
      text.indexOf(rightSteps[0] as string),
    );
    // The numbered step standing alone in its box is the slide's text, not a heading.
    expect(doc.passages[0]?.breadcrumb).toEqual(["Annullare una comunicazione"]);
  });
});

describe("a slide in two columns whose left one has a long line", () => {
  // Ragged left column: one line reaches far towards the right one, the others stop short.
  const left = [
    "1. Ricerca la comunicazione",
    "Imposta i criteri di ricerca, ad esempio il",
    "codice regionale.",
    "2. Individuala ed inserisci i dati",
    "Seleziona il tasto Annulla.",
  ];
  const right = [
    "Il sistema apre un modulo composto da",
    "un insieme di passi (diversi a seconda del",
    "rapporto di lavoro) con i dati della",
    "comunicazione di annullo, da confermare.",
    "3. Controlla i dati nel riepilogo e invia",
    "Seleziona il tasto invia comunicazione.",
  ];
  let doc: LoadedDocument;
  beforeAll(async () => {
    doc = await load("slide-riga-lunga", [
      {
        size: [842, 595],
        lines: [
          { text: "Annullare un Vardatori", x: 60, y: 520, size: 28, bold: true },
          ...left.map((text, i) => ({ text, x: 60, y: 470 - i * 24, size: 16 })),
          ...right.map((text, i) => ({ text, x: 470, y: 476 - i * 24, size: 16 })),
        ],
      },
    ]);
  });

  it("reads the left column to its end before the right one", () => {
    const text = allText(doc).replace(/\s+/g, " ");
    expect(text).toContain(left.join(" "));
    expect(text).toContain(right.join(" "));
    expect(text.indexOf(left[4] as string)).toBeLessThan(text.indexOf(right[0] as string));
  });
});

describe("a bulleted list with the bullets at a tab stop", () => {
  const items = [
    [
      "il servizio è soggetto ad autenticazione con SPID o CIE, come per",
      "tutti i servizi della piattaforma regionale;",
    ],
    ["puoi prenotare un appuntamento in autonomia o tramite il contact center;"],
    [
      "la gestione degli appuntamenti per conto di un terzo richiede una",
      "delega in corso di validità inserita nella sezione privacy;",
    ],
    ["i campi contrassegnati da asterisco sono obbligatori."],
  ];
  let doc: LoadedDocument;
  beforeAll(async () => {
    const lines: PdfPage["lines"] = [
      { text: "Avvertenze", x: 50, y: 780, size: 14, bold: true },
      { text: "Prima di iniziare devi sapere che:", x: 50, y: 750, size: 10 },
    ];
    let y = 730;
    for (const [first, ...rest] of items) {
      // The bullet, then its text at the tab stop; wrapped lines start at the tab stop.
      lines.push({ text: "•", x: 60, y, size: 10 }, { text: first as string, x: 78, y, size: 10 });
      for (const more of rest) {
        y -= 14;
        lines.push({ text: more, x: 78, y, size: 10 });
      }
      y -= 14;
    }
    doc = await load("elenco", [{ lines }]);
  });

  it("keeps the list as text, one item a line, not as a table of bullets", () => {
    expect(doc.passages.map((p) => p.kind)).toEqual(["text"]);
    const text = doc.passages[0]?.text ?? "";
    for (const item of items) expect(text).toContain(`- ${item.join(" ")}`);
  });
});

describe("a bulleted list set in two columns", () => {
  // Left: bullets at a tab stop, one item wrapped; right: Word's second-level "o" bullets.
  const left = [
    ["Google Chrome 32+"],
    ["Mozilla Firefox 34+"],
    ["Microsoft Internet", "Explorer 11+"],
  ];
  const right = ["Microsoft Edge 12+", "Opera 20+", "Apple Safari 9+"];
  let doc: LoadedDocument;
  beforeAll(async () => {
    const lines: PdfPage["lines"] = [
      { text: "Avvertenze", x: 50, y: 780, size: 14, bold: true },
      { text: "- i campi contrassegnati da asterisco sono obbligatori;", x: 60, y: 750, size: 10 },
      { text: "- i browser compatibili con la piattaforma sono:", x: 60, y: 736, size: 10 },
    ];
    let y = 716;
    left.forEach(([first, ...rest], k) => {
      lines.push({ text: "•", x: 80, y, size: 10 }, { text: first as string, x: 98, y, size: 10 });
      lines.push(
        { text: "o", x: 300, y, size: 10 },
        { text: right[k] as string, x: 312, y, size: 10 },
      );
      for (const more of rest) {
        y -= 14;
        lines.push({ text: more, x: 98, y, size: 10 });
      }
      y -= 14;
    });
    lines.push({
      text: "Per accedere alla piattaforma attivare il pulsante Accedi nella pagina iniziale.",
      x: 50,
      y: y - 20,
      size: 10,
    });
    doc = await load("elenco-colonne", [{ lines }]);
  });

  it("reads the left column's items before the right one's, one item a line", () => {
    expect(doc.passages.map((p) => p.kind)).not.toContain("table");
    const items = [...left.map((item) => item.join(" ")), ...right];
    expect(allText(doc)).toContain(items.map((item) => `- ${item}`).join("\n"));
    expect(position(doc, "Apple Safari")).toBeLessThan(position(doc, "pulsante Accedi"));
  });
});

describe("a running header on portrait and landscape pages", () => {
  const header = "Linee guida per la predisposizione dei bandi regionali";
  const topics = ["la premessa", "gli indicatori", "la baseline", "le schede", "il monitoraggio"];
  let doc: LoadedDocument;
  beforeAll(async () => {
    doc = await load(
      "intestazione",
      topics.map((topic, i) => {
        // Pages 4 and 5 are landscape (tables of indicators): the header is as far from
        // their top edge as on the portrait pages, so lower from the bottom.
        const [width, height] = i >= 3 ? [842, 595] : [595, 842];
        const body = wrap(
          `Questa pagina descrive ${topic} secondo le regole del programma regionale, con gli adempimenti dei beneficiari, i documenti da conservare e le scadenze da rispettare per ogni verifica.`,
          90,
        );
        return {
          size: [width, height] as [number, number],
          lines: [
            { text: header, x: 50, y: height - 40, size: 9 },
            ...body.map((text, k) => ({ text, x: 50, y: height - 100 - k * 14, size: 10 })),
          ],
        };
      }),
    );
  });

  it("drops the header from every page, whatever its orientation", () => {
    expect(allText(doc)).not.toContain(header);
    for (const topic of topics) expect(allText(doc)).toContain(`descrive ${topic}`);
  });
});

describe("a title wrapped after an abbreviation", () => {
  let doc: LoadedDocument;
  beforeAll(async () => {
    const body = wrap(
      "Il sottoscritto, consapevole delle sanzioni penali previste per le dichiarazioni mendaci, dichiara che i fatti, stati e qualità riportati di seguito corrispondono a verità e allega copia di un documento di riconoscimento in corso di validità.",
      95,
    );
    doc = await load("titolo-dpr", [
      {
        lines: [
          {
            text: "DICHIARAZIONE SOSTITUTIVA DI ATTO NOTORIO AI SENSI DEGLI ARTT. 46 E 47 DEL D.P.R.",
            x: 60,
            y: 780,
            size: 12,
            bold: true,
          },
          { text: "445/2000 PER LA FIDEIUSSIONE", x: 200, y: 765, size: 12, bold: true },
          ...body.map((text, i) => ({ text, x: 60, y: 730 - i * 14, size: 10 })),
        ],
      },
    ]);
  });

  it("names the section by the whole title, not by its second line", () => {
    const passage = doc.passages[0];
    expect(passage?.breadcrumb).toHaveLength(1);
    expect(passage?.breadcrumb[0]).toMatch(/^Dichiarazione sostitutiva di atto notorio/);
    expect(passage?.text.split("\n")[0]).toBe(
      "DICHIARAZIONE SOSTITUTIVA DI ATTO NOTORIO AI SENSI DEGLI ARTT. 46 E 47 DEL D.P.R. 445/2000 PER LA FIDEIUSSIONE",
    );
  });
});

describe("a caption between two paragraphs", () => {
  let doc: LoadedDocument;
  beforeAll(async () => {
    const lines = [
      "Per spostare un appuntamento accedi alla pagina principale del servizio e",
      "verifica che nella colonna azioni sia disponibile l'icona Sposta appuntamento.",
      "Figura 9 - Riepilogo incontri (spostamento)",
      "Dopo aver attivato l'azione Sposta il sistema riattiva la procedura di",
      "inserimento, non prima di aver chiesto conferma dello spostamento.",
    ];
    doc = await load("didascalia", [
      { lines: lines.map((text, i) => ({ text, x: 60, y: 760 - i * 14, size: 10 })) },
    ]);
  });

  it("keeps the caption on a line of its own, out of the next sentence", () => {
    const text = doc.passages.map((p) => p.text).join("\n");
    expect(text.split("\n")).toContain("Figura 9 - Riepilogo incontri (spostamento)");
    expect(text).toContain("\nDopo aver attivato l'azione Sposta");
  });
});

describe("an annex with its own letterhead", () => {
  const letterhead = "Regione Umbria - Servizio politiche del lavoro";
  const footer = "Via Mario Angeloni 61 - 06124 Perugia - tel. 075 5041";
  const topics = [
    "la premessa",
    "i destinatari",
    "le risorse",
    "la domanda",
    "l'istruttoria",
    "la graduatoria",
    "il modulo di adesione",
    "la delega",
    "la dichiarazione sostitutiva",
    "l'informativa sulla privacy",
  ];
  let doc: LoadedDocument;
  beforeAll(async () => {
    doc = await load(
      "allegato",
      topics.map((topic, i) => {
        const body = wrap(
          `Questa pagina descrive ${topic} con gli adempimenti dei beneficiari, i documenti da conservare e le scadenze da rispettare per ogni verifica.`,
          90,
        );
        // Pages 7 to 10 are the annex: its letterhead and footer are on 4 pages of 10.
        const annex = i >= 6;
        return {
          lines: [
            ...(annex ? [{ text: letterhead, x: 50, y: 800, size: 9 }] : []),
            ...body.map((text, k) => ({ text, x: 50, y: 740 - k * 14, size: 10 })),
            ...(annex ? [{ text: `${i + 1} ${footer}`, x: 50, y: 40, size: 8 }] : []),
          ],
        };
      }),
    );
  });

  it("drops the annex's header and footer, keeps every page's text", () => {
    expect(allText(doc)).not.toContain(letterhead);
    expect(allText(doc)).not.toContain("Angeloni");
    for (const topic of topics) expect(allText(doc)).toContain(`descrive ${topic}`);
  });
});

describe("numbered sheets whose label sits on its own line above the title", () => {
  let doc: LoadedDocument;
  beforeAll(async () => {
    const paragraph = (topic: string) =>
      wrap(
        `Questa parte riguarda ${topic} e riporta i rischi principali, i comportamenti da tenere durante il lavoro e le indicazioni da seguire per evitare infortuni e disturbi. Il lavoratore legge con attenzione ogni indicazione prima di iniziare l'attività e chiede chiarimenti al responsabile quando una situazione non è descritta. Le indicazioni valgono in ogni luogo scelto per il lavoro agile, in casa come all'aperto, e sono aggiornate quando cambiano le norme.`,
        90,
      );
    // [label, title] of each block, bold unless said otherwise; text under each.
    const blocks: Array<{ heading: string[]; bold: boolean; topic: string }> = [
      { heading: ["SCHEDA 1", "FATTORI DI RISCHIO ORGANIZZATIVI"], bold: true, topic: "l'orario" },
      { heading: ["1. Pause"], bold: true, topic: "le pause" },
      { heading: ["2. Postura"], bold: true, topic: "la postura" },
      {
        heading: ["SCHEDA 2", "UTILIZZO SICURO DELLE ATTREZZATURE"],
        bold: true,
        topic: "le prese",
      },
      { heading: ["Indicazioni"], bold: true, topic: "le prolunghe" },
      // The last label was left in body type: the series still names it.
      { heading: ["SCHEDA 3", "SICUREZZA ANTINCENDIO"], bold: false, topic: "gli estintori" },
    ];
    const lines: PdfPage["lines"] = [];
    let y = 790;
    for (const block of blocks) {
      for (const text of block.heading) {
        lines.push({ text, x: 50, y, size: 10, bold: block.bold });
        y -= 16;
      }
      for (const text of paragraph(block.topic)) {
        lines.push({ text, x: 50, y, size: 10 });
        y -= 13;
      }
      y -= 12;
    }
    doc = await load("schede", [{ lines }]);
  });

  it("names each sheet by its label and title, and keeps the label in the text", () => {
    const first = containing(doc, "riguarda l'orario");
    expect(first?.breadcrumb).toEqual(["Scheda 1 – Fattori di rischio organizzativi"]);
    expect(first?.text.split("\n")[0]).toBe("SCHEDA 1 – FATTORI DI RISCHIO ORGANIZZATIVI");
  });

  it("puts a sheet after the previous one, not under its last numbered point", () => {
    expect(containing(doc, "riguarda la postura")?.breadcrumb).toEqual([
      "Scheda 1 – Fattori di rischio organizzativi",
      "2. Postura",
    ]);
    expect(containing(doc, "riguarda le prese")?.breadcrumb).toEqual([
      "Scheda 2 – Utilizzo sicuro delle attrezzature",
    ]);
    expect(containing(doc, "riguarda le prolunghe")?.breadcrumb).toEqual([
      "Scheda 2 – Utilizzo sicuro delle attrezzature",
      "Indicazioni",
    ]);
    expect(containing(doc, "riguarda gli estintori")?.breadcrumb).toEqual([
      "Scheda 3 – Sicurezza antincendio",
    ]);
  });
});

describe("a cover page of titles before the first chapter", () => {
  let doc: LoadedDocument;
  beforeAll(async () => {
    const chapter = (heading: string, topic: string) => [
      { text: heading, x: 50, y: 780, size: 14, bold: true },
      ...wrap(
        `Questo capitolo spiega ${topic} della piattaforma dei servizi al lavoro, con le schermate da aprire, i dati da inserire e i messaggi che il sistema mostra quando qualcosa non va a buon fine. Ogni passaggio è illustrato con un esempio e con le risposte alle domande che gli utenti fanno più spesso agli operatori dei centri per l'impiego. In fondo al capitolo sono elencati i riferimenti normativi e i contatti dell'assistenza.`,
        90,
      ).map((text, k) => ({ text, x: 50, y: 750 - k * 14, size: 10 })),
    ];
    doc = await load("copertina", [
      {
        lines: [
          { text: "Piattaforma Servizi Lavoro", x: 80, y: 700, size: 18, bold: true },
          { text: "Richiesta documenti", x: 80, y: 650, size: 18, bold: true },
          { text: "Versione 1.0 del 12 ottobre 2022", x: 80, y: 620, size: 10 },
          { text: "Manuale d'uso", x: 80, y: 580, size: 14 },
          // Its final dot is an acronym's, not a sentence's.
          { text: "Gestione Online Comunicazioni Obbligatorie GE.CO.", x: 80, y: 550, size: 14 },
          // A title alone at the foot of the cover, with nothing under it.
          { text: "GUIDA PER I CITTADINI DEL PIEMONTE", x: 80, y: 150, size: 16, bold: true },
        ],
      },
      { lines: chapter("1 Introduzione", "a cosa serve la richiesta") },
      { lines: chapter("2 Avvertenze", "i limiti del servizio") },
    ]);
  });

  it("cites the first chapter from its own page, not from the cover", () => {
    const introduction = containing(doc, "a cosa serve la richiesta");
    expect(introduction?.breadcrumb).toEqual(["1 Introduzione"]);
    expect(introduction?.location.pageStart).toBe(2);
    expect(introduction?.text).not.toContain("Richiesta documenti");
  });

  it("keeps every line of the cover in one passage of page 1", () => {
    const cover = containing(doc, "Richiesta documenti");
    expect(cover?.location.pageStart).toBe(1);
    expect(cover?.location.pageEnd).toBe(1);
    expect(cover?.text).toContain("Versione 1.0 del 12 ottobre 2022");
    expect(cover?.text).toContain("GUIDA PER I CITTADINI DEL PIEMONTE");
    expect(cover?.text).not.toContain("Questo capitolo");
  });
});

describe("a paragraph whose words an inline icon set apart", () => {
  let doc: LoadedDocument;
  beforeAll(async () => {
    // Three lines whose pieces line up at x = 60, 300 and 480: the gaps an icon and justified
    // spacing left, which look like a table's columns.
    const pieces: Array<[string, string, string]> = [
      ["nell'area dedicata al fascicolo, possono", "essere acquisite dal", "cv"],
      ["automatico attivando l'icona Aggiorna cv", "dalla colonna azioni.", ""],
      ["Per il cv personalizzato le informazioni", "che concorrono al", "cv"],
    ];
    const lines: PdfPage["lines"] = [
      {
        text: "Le modifiche fatte nel fascicolo del cittadino, per esempio un nuovo titolo di studio,",
        x: 60,
        y: 760,
        size: 10,
      },
    ];
    pieces.forEach(([a, b, c], k) => {
      const y = 746 - k * 14;
      lines.push({ text: a, x: 60, y, size: 10 }, { text: b, x: 300, y, size: 10 });
      if (c) lines.push({ text: c, x: 480, y, size: 10 });
    });
    lines.push({
      text: "personalizzato si modificano attivando l'icona Modifica cv nella stessa colonna.",
      x: 60,
      y: 704,
      size: 10,
    });
    doc = await load("icone", [{ lines }]);
  });

  it("reads the lines as one paragraph, not as a table", () => {
    expect(doc.passages.map((p) => p.kind)).not.toContain("table");
    expect(allText(doc)).toContain(
      "possono essere acquisite dal cv automatico attivando l'icona Aggiorna cv dalla colonna azioni.",
    );
    expect(allText(doc)).toContain("le informazioni che concorrono al cv personalizzato si");
  });
});

describe("a footer mistyped on one page", () => {
  const topics = ["l'accesso", "la ricerca", "l'inserimento", "la rettifica", "l'annullamento"];
  let doc: LoadedDocument;
  beforeAll(async () => {
    doc = await load(
      "piede-refuso",
      topics.map((topic, i) => {
        const body = wrap(
          `Questo capitolo descrive ${topic} delle comunicazioni obbligatorie, con i campi da compilare e i controlli che il sistema esegue prima dell'invio.`,
          90,
        );
        // The first page's footer was typed apart: "GE.CO" and "3.O" for "GE.CO." and "3.0".
        const footer = i === 0 ? "GE.CO Manuale Utente Ver. 3.O" : "GE.CO. Manuale Utente Ver. 3.0";
        return {
          lines: [
            ...body.map((text, k) => ({ text, x: 50, y: 740 - k * 14, size: 10 })),
            { text: `${i + 1}/${topics.length}`, x: 50, y: 60, size: 9 },
            { text: footer, x: 90, y: 60, size: 9 },
            { text: "Ottobre 2022", x: 430, y: 60, size: 9 },
          ],
        };
      }),
    );
  });

  it("drops the footer from every page, the mistyped one too", () => {
    expect(allText(doc)).not.toContain("Manuale Utente");
    expect(allText(doc)).not.toContain("Ottobre 2022");
    for (const topic of topics) expect(allText(doc)).toContain(`descrive ${topic}`);
    expect(doc.passages[0]?.location.pageStart).toBe(1);
  });
});

describe("a table whose first cells take two lines, set vertically centred", () => {
  let doc: LoadedDocument;
  beforeAll(async () => {
    // State | meaning; the state's note sits below its name, between the meaning's lines.
    const rows: Array<[string, string | undefined, string[]]> = [
      ["Stato", undefined, ["Significato"]],
      [
        "INSERITA",
        "(stato iniziale)",
        ["La comunicazione è salvata ma non ancora", "inviata al Ministero."],
      ],
      ["VALIDATA", undefined, ["La comunicazione è stata inviata al Ministero."]],
      [
        "ANNULLATA",
        "(stato finale)",
        ["Una comunicazione successiva la annulla", "oppure ne arriva una di annullo."],
      ],
      ["CANCELLATA", undefined, ["Può essere cancellata solo se è in stato Inserita."]],
    ];
    const lines: PdfPage["lines"] = [];
    let y = 760;
    for (const [state, note, meaning] of rows) {
      for (const [k, text] of meaning.entries())
        lines.push({ text, x: 150, y: y - k * 14, size: 10 });
      lines.push({ text: state, x: 50, y: y - 2, size: 10, bold: true });
      if (note) lines.push({ text: note, x: 50, y: y - 9, size: 10 });
      y -= 14 * meaning.length + 8;
    }
    lines.push({
      text: "Le azioni dipendono dallo stato della comunicazione.",
      x: 50,
      y: y - 20,
      size: 10,
    });
    doc = await load("stati", [{ lines }]);
  });

  it("keeps every row, the note with its state", () => {
    const table = doc.passages.find((p) => p.kind === "table");
    expect(table?.table?.rows.map((row) => row[0])).toEqual([
      "INSERITA (stato iniziale)",
      "VALIDATA",
      "ANNULLATA (stato finale)",
      "CANCELLATA",
    ]);
    expect(table?.table?.rows[2]?.[1]).toBe(
      "Una comunicazione successiva la annulla oppure ne arriva una di annullo.",
    );
  });
});

describe("a table whose cells wrap line by line", () => {
  let doc: LoadedDocument;
  beforeAll(async () => {
    // Each row's cells take two lines, side by side; the second lines go on in lower case.
    const rows = [
      ["Versione:", "3 del 7 ottobre 2022"],
      ["Descrizione", "Stampa della comunicazione: il sistema permette"],
      ["modifiche:", "di stampare il pdf quando notifica l'invio."],
      ["Motivazioni", "Evolutiva"],
      ["Versione:", "2 del 23 agosto 2022"],
      ["Descrizione", "Anagrafica del lavoratore: il sistema permette"],
      ["modifiche:", "di aggiornarla durante la compilazione."],
      ["Motivazioni", "Evolutiva"],
    ];
    doc = await load("modifiche", [
      {
        lines: rows.flatMap(([label, value], r) => [
          { text: label as string, x: 50, y: 760 - r * 14, size: 10 },
          { text: value as string, x: 160, y: 760 - r * 14, size: 10 },
        ]),
      },
    ]);
  });

  it("joins a cell's second line to its first", () => {
    const table = doc.passages.find((p) => p.kind === "table");
    const described = table?.table?.rows.find((row) => row[0] === "Descrizione modifiche:");
    expect(described?.[1]).toBe(
      "Stampa della comunicazione: il sistema permette di stampare il pdf quando notifica l'invio.",
    );
    expect(table?.text).not.toMatch(/^modifiche/m);
  });
});

describe("a list of bold section names in a double-spaced manual", () => {
  const names = ["DATI ANAGRAFICI", "DATI DELLA RESIDENZA", "DATI DEL DOMICILIO", "FORMAZIONE"];
  let doc: LoadedDocument;
  beforeAll(async () => {
    // Lines 27 points apart, as in a manual set with double spacing.
    const lines = [
      { text: "Inserimento anagrafica", x: 50, y: 780, size: 14, bold: true },
      {
        text: "Se il lavoratore non è in archivio, l'operatore ne inserisce i dati.",
        x: 50,
        y: 750,
        size: 12,
      },
      { text: "L'inserimento dei dati richiesti è suddiviso in sezioni:", x: 50, y: 723, size: 12 },
      ...names.map((text, i) => ({ text, x: 50, y: 696 - i * 27, size: 12, bold: true })),
      {
        text: "L'inserimento delle informazioni è agevolato dagli elenchi a tendina.",
        x: 50,
        y: 561,
        size: 12,
      },
      {
        text: "Al termine attivare il pulsante Salva per rendere definitivi i dati.",
        x: 50,
        y: 534,
        size: 12,
      },
    ];
    doc = await load("sezioni", [{ lines }]);
  });

  it("keeps the names as text under the section, not as headings", () => {
    for (const p of doc.passages) expect(p.breadcrumb).toEqual(["Inserimento anagrafica"]);
    const text = allText(doc);
    for (const name of names) expect(text).toContain(name);
    expect(position(doc, "FORMAZIONE")).toBeLessThan(position(doc, "agevolato dagli elenchi"));
  });
});

describe("a bold bulleted item", () => {
  let doc: LoadedDocument;
  beforeAll(async () => {
    const lines = [
      { text: "Strumenti per i beneficiari", x: 50, y: 780, size: 14, bold: true },
      {
        text: "L'Autorità di gestione mette a disposizione dei beneficiari:",
        x: 50,
        y: 750,
        size: 10,
      },
      { text: "•", x: 60, y: 730, size: 10 },
      {
        text: "documentazione ufficiale connessa alla selezione",
        x: 78,
        y: 730,
        size: 10,
        bold: true,
      },
      {
        text: "dei progetti e alla loro attuazione, pubblicata sul portale.",
        x: 78,
        y: 716,
        size: 10,
      },
      {
        text: "Il beneficiario carica i dati di monitoraggio nel sistema informativo regionale.",
        x: 50,
        y: 690,
        size: 10,
      },
    ];
    doc = await load("elenco-grassetto", [{ lines }]);
  });

  it("is a list item of its section, not a heading", () => {
    for (const p of doc.passages) expect(p.breadcrumb).toEqual(["Strumenti per i beneficiari"]);
    expect(allText(doc)).toContain("- documentazione ufficiale connessa alla selezione");
  });
});

describe("Word's second-level bullets, a letter o at a tab stop", () => {
  const items = [
    "i campi contrassegnati dall'asterisco sono obbligatori;",
    "per attivare il pulsante Cerca servono almeno tre caratteri;",
    "la comunicazione è inserita solo dopo il salvataggio.",
  ];
  let doc: LoadedDocument;
  beforeAll(async () => {
    const lines: PdfPage["lines"] = [
      { text: "Avvertenze", x: 50, y: 780, size: 14, bold: true },
      { text: "Prima di iniziare è importante sapere che:", x: 50, y: 750, size: 10 },
      // The tab stop is close to the marker: the two are read as one run of text.
      ...items.flatMap((text, i) => [
        { text: "o", x: 60, y: 730 - i * 14, size: 10 },
        { text, x: 72, y: 730 - i * 14, size: 10 },
      ]),
      {
        text: "Le regole valgono per ogni quadro della comunicazione o del suo aggiornamento.",
        x: 50,
        y: 680,
        size: 10,
      },
    ];
    doc = await load("elenco-o", [{ lines }]);
  });

  it("reads each item as a list item and leaves the word o in sentences alone", () => {
    const text = allText(doc);
    for (const item of items) expect(text).toContain(`\n- ${item}`);
    expect(text).toContain("della comunicazione o del suo aggiornamento");
  });
});

describe("a cover page without numbered chapters", () => {
  const body = (topic: string) =>
    wrap(
      `Questa parte descrive ${topic} con gli adempimenti dei beneficiari, i documenti da conservare e le scadenze da rispettare per ogni verifica del programma regionale. I dati sono caricati nel sistema informativo e convalidati dal responsabile dell'intervento prima di ogni relazione annuale.`,
      90,
    );
  let doc: LoadedDocument;
  beforeAll(async () => {
    doc = await load("copertina", [
      {
        lines: [
          { text: "Programma operativo regionale FESR", x: 60, y: 600, size: 22, bold: true },
          { text: "Vademecum sugli indicatori", x: 60, y: 560, size: 18, bold: true },
          { text: "predisposto dall'Autorità di gestione", x: 60, y: 500, size: 10 },
        ],
      },
      ...["INTRODUZIONE", "MONITORAGGIO"].map((title, i) => ({
        lines: [
          { text: title, x: 60, y: 780, size: 14, bold: true },
          ...body(i === 0 ? "gli indicatori" : "il monitoraggio").map((text, k) => ({
            text,
            x: 60,
            y: 750 - k * 14,
            size: 10,
          })),
        ],
      })),
    ]);
  });

  it("does not put the chapters under the cover's title lines", () => {
    expect(containing(doc, "descrive gli indicatori")?.breadcrumb).toEqual(["Introduzione"]);
    expect(containing(doc, "descrive il monitoraggio")?.breadcrumb).toEqual(["Monitoraggio"]);
  });
});

describe("a bold lead-in ending in a colon", () => {
  const items = [
    "le check list, che ripercorrono ogni fase dell'operazione dalla programmazione alla spesa;",
    "i verbali, compilati e firmati con il nome di chi ha svolto il controllo.",
  ];
  const paragraph = (topic: string) =>
    wrap(
      `Il controllore verifica ${topic} inseriti dai beneficiari nel sistema informativo regionale e confermati dal responsabile del procedimento in fase di rendicontazione finale del progetto, prima di ogni relazione annuale di attuazione. Ogni scostamento dai valori attesi è annotato con la sua causa e segnalato all'Autorità di gestione, che decide se chiedere integrazioni al beneficiario o rettificare i dati già trasmessi al sistema nazionale di monitoraggio. Le verifiche sono documentate in modo che un altro controllore possa ripercorrerle e giungere alle stesse conclusioni.`,
      90,
    );
  let doc: LoadedDocument;
  beforeAll(async () => {
    const lines: PdfPage["lines"] = [
      { text: "Controlli di primo livello", x: 50, y: 780, size: 14, bold: true },
      ...paragraph("gli indicatori").map((text, k) => ({ text, x: 50, y: 750 - k * 14, size: 10 })),
      { text: "Gli strumenti del controllo:", x: 50, y: 640, size: 10, bold: true },
      ...items.map((text, i) => ({ text: `- ${text}`, x: 60, y: 626 - i * 14, size: 10 })),
      { text: "Esiti del controllo", x: 50, y: 570, size: 10, bold: true },
      ...paragraph("gli esiti").map((text, k) => ({ text, x: 50, y: 556 - k * 14, size: 10 })),
    ];
    doc = await load("introduzione-grassetto", [{ lines }]);
  });

  it("keeps it as the first line of its list, under the section, not as a heading", () => {
    const list = containing(doc, "Gli strumenti del controllo:");
    expect(list?.breadcrumb).toEqual(["Controlli di primo livello"]);
    expect(list?.text).toContain(`Gli strumenti del controllo:\n- ${items[0]}\n- ${items[1]}`);
    // A bold line without the colon is still a heading.
    expect(containing(doc, "verifica gli esiti")?.breadcrumb).toEqual([
      "Controlli di primo livello",
      "Esiti del controllo",
    ]);
  });
});

describe("a cover page merged with a short first chapter", () => {
  const body = (topic: string) =>
    wrap(
      `La piattaforma regionale offre ai cittadini ${topic}: in base al tipo di documento si scarica subito oppure si attende l'esito dell'istruttoria del centro per l'impiego competente. Nei prossimi capitoli si trovano le istruzioni passo per passo, con le figure delle pagine del servizio.`,
      90,
    );
  let doc: LoadedDocument;
  beforeAll(async () => {
    doc = await load("copertina-breve", [
      {
        lines: [
          { text: "Piattaforma Servizi Lavoro", x: 60, y: 600, size: 22, bold: true },
          { text: "Richiesta documenti", x: 60, y: 570, size: 22, bold: true },
          { text: "Versione 1 - maggio 2025", x: 60, y: 500, size: 10 },
        ],
      },
      ...["1 Introduzione", "2 Avvertenze"].map((title, i) => ({
        lines: [
          { text: title, x: 60, y: 780, size: 16 },
          ...(i === 0
            ? body("un nuovo servizio")
            : [...body("le avvertenze"), ...body("i limiti")]
          ).map((text, k) => ({ text, x: 60, y: 750 - k * 14, size: 10 })),
        ],
      })),
    ]);
  });

  it("cites the first chapter by its own title, not by the cover's", () => {
    const intro = containing(doc, "un nuovo servizio");
    expect(intro?.breadcrumb).toEqual(["1 Introduzione"]);
    expect(containing(doc, "le avvertenze")?.breadcrumb).toEqual(["2 Avvertenze"]);
  });
});

describe("a letter at 12 points before annexes at 10, page numbers in the letter's type", () => {
  const premessa = wrap(
    "La presente informativa costituisce il documento che il datore di lavoro consegna al lavoratore che svolge la prestazione in modalità agile e ai rappresentanti dei lavoratori per la sicurezza prima dell'avvio della prestazione e con cadenza almeno annuale a ogni variazione significativa delle condizioni di lavoro e di rischio connesse al cambio di mansione del lavoratore interessato.",
    80,
  );
  // A paragraph set in bold, every line of it as short as a heading.
  const emphasis = wrap(
    "Il lavoratore coopera con diligenza alle misure di prevenzione predisposte dal datore di lavoro contro i rischi della prestazione in ambienti diversi da quelli abituali perché è lui a scegliere il luogo in cui lavora.",
    80,
  );
  const contenuti = wrap(
    "L'informativa elenca i comportamenti da osservare nei luoghi in cui si lavora in modalità agile e le caratteristiche minime delle attrezzature usate, dalla postazione con videoterminale al computer portatile, ai requisiti igienici dei locali e degli impianti elettrici.",
    80,
  );
  const scheda = (topic: string) =>
    wrap(
      `Nella scheda sono indicati ${topic}: il lavoratore li verifica prima di iniziare la giornata lavorativa e segnala al datore di lavoro ogni anomalia riscontrata nelle attrezzature, negli arredi e negli impianti del luogo scelto, in modo che possano essere adottate le misure correttive necessarie senza ritardo. `.repeat(
        4,
      ),
      95,
    );
  const headings = [
    "PREMESSA",
    "CONTENUTI DELL'INFORMATIVA",
    "SCHEDA 1",
    "FATTORI DI RISCHIO DEL LAVORO",
    "SCHEDA 2",
    "REQUISITI DELLE POSTAZIONI",
  ];
  let doc: LoadedDocument;
  beforeAll(async () => {
    const at = (texts: string[], y: number, size: number, bold = false) =>
      texts.map((text, i) => ({ text, x: 56, y: y - i * (size + 4), size, bold }));
    const annex = (page: number, number: string, title: string, topic: string) => ({
      lines: [
        { text: String(page), x: 530, y: 800, size: 12 },
        { text: `SCHEDA ${number}`, x: 56, y: 760, size: 10, bold: true },
        { text: title, x: 56, y: 746, size: 10, bold: true },
        ...at(scheda(topic), 720, 10),
      ],
    });
    doc = await load("lettera-e-schede", [
      {
        lines: [
          { text: "1", x: 530, y: 800, size: 12 },
          { text: "PREMESSA", x: 56, y: 760, size: 12, bold: true },
          ...at(premessa, 736, 12),
          ...at(emphasis, 736 - 16 * premessa.length - 12, 12, true),
          { text: "CONTENUTI DELL'INFORMATIVA", x: 56, y: 420, size: 12, bold: true },
          ...at(contenuti, 396, 12),
        ],
      },
      annex(2, "1", "FATTORI DI RISCHIO DEL LAVORO", "i fattori di rischio organizzativi"),
      annex(3, "2", "REQUISITI DELLE POSTAZIONI", "i requisiti delle postazioni"),
    ]);
  });

  it("reads the letter's paragraphs as text, not as headings", () => {
    // A passage across two short sections names both ("A · B").
    const crumbs = doc.passages.flatMap((p) => p.breadcrumb.flatMap((c) => c.split(" · ")));
    // Titles in capitals are written in sentence case in the breadcrumb.
    const known = headings.map((h) => h.toLowerCase());
    for (const crumb of crumbs) expect(known).toContain(crumb.toLowerCase());
    expect(containing(doc, "rappresentanti dei lavoratori per la sicurezza")?.breadcrumb).toEqual([
      "Premessa",
    ]);
    const contents = containing(doc, "caratteristiche minime delle attrezzature");
    expect(contents?.breadcrumb[0]?.split(" · ")[0]).toBe("Contenuti dell'informativa");
  });

  it("keeps a paragraph set in bold as text of its section", () => {
    const bold = containing(doc, "coopera con diligenza alle misure di prevenzione");
    expect(bold?.breadcrumb).toEqual(["Premessa"]);
    expect(bold?.text).toContain("è lui a scegliere il luogo in cui lavora.");
  });

  it("drops the page numbers set larger than the annexes' text", () => {
    const lines = allText(doc).split("\n");
    for (const n of ["1", "2", "3"]) expect(lines).not.toContain(n);
    expect(allText(doc)).not.toMatch(/senza ritardo\. \d\b/);
  });
});

describe("sheets in bold body type, each numbering its points from 1", () => {
  const para = (topic: string) =>
    wrap(
      `Il lavoratore verifica ${topic} prima di iniziare e segnala ogni anomalia al datore di lavoro, che provvede senza ritardo alle misure correttive necessarie. Le verifiche si ripetono a ogni cambio del luogo di lavoro e sono annotate nel registro della postazione.`,
      95,
    );
  let doc: LoadedDocument;
  beforeAll(async () => {
    const blocks: [string, boolean][] = [
      ["REQUISITI DELLE POSTAZIONI VIDEOTERMINALE", true],
      ["1. Attrezzature", true],
      ["lo schermo e la tastiera", false],
      ["2. Ambiente di lavoro", true],
      ["lo spazio attorno alla scrivania", false],
      ["Illuminazione", true],
      ["la luce della stanza", false],
      ["INDICAZIONI PER IL COMPUTER PORTATILE", true],
      ["1. Raccomandazioni nell'utilizzo", true],
      ["il cavo di alimentazione del computer portatile", false],
      ["2. Prevenzione dell'affaticamento della vista", true],
      ["le pause dallo schermo", false],
    ];
    const lines: PdfPage["lines"] = [];
    let y = 780;
    for (const [text, bold] of blocks) {
      for (const line of bold ? [text] : para(text)) {
        lines.push({ text: line, x: 56, y, size: 10, bold });
        y -= 14;
      }
      y -= 10;
    }
    doc = await load("schede-numerate", [{ lines }]);
  });

  it("puts the second sheet's points under it, not under the first sheet's last point", () => {
    expect(containing(doc, "il cavo di alimentazione del computer portatile")?.breadcrumb).toEqual([
      "Indicazioni per il computer portatile",
      "1. Raccomandazioni nell'utilizzo",
    ]);
    expect(containing(doc, "le pause dallo schermo")?.breadcrumb).toEqual([
      "Indicazioni per il computer portatile",
      "2. Prevenzione dell'affaticamento della vista",
    ]);
  });

  it("keeps a bold label inside the point it belongs to", () => {
    expect(containing(doc, "la luce della stanza")?.breadcrumb).toEqual([
      "Requisiti delle postazioni videoterminale",
      "2. Ambiente di lavoro",
      "Illuminazione",
    ]);
  });
});
