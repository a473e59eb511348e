import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoadedDocument } from "../../src/knowledge/types.js";
import {
  allText,
  containing,
  loadPdf,
  type PdfPage,
  type PlacedText,
  ruledTable,
  wrap,
} from "./pdf-builder.js";

// Tables drawn with ruling lines, as regional guidelines set them on landscape pages: cells of
// one to four lines, each cell's text vertically centred, so that a one-line cell sits between
// the lines of its taller neighbours. Generated with pdf-lib and read back through the loader.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sportello-ruled-"));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const load = (name: string, pages: PdfPage[]) => loadPdf(dir, name, pages);

describe("a landscape table drawn with rules, its cells vertically centred", () => {
  let doc: LoadedDocument;
  const header = ["Misura", "Destinatari", "Requisiti di accesso", "Durata"];
  const rows: string[][][] = [
    header.map((h) => [h]),
    [
      ["Tirocinio", "extracurriculare"],
      ["Giovani tra 18 e 29 anni", "non occupati"],
      ["Iscrizione al programma", "e patto di servizio", "firmato presso il centro"],
      ["6 mesi"],
    ],
    [
      ["Orientamento specialistico"],
      ["Disoccupati di lunga durata"],
      ["Profilazione con indice", "di svantaggio alto", "o molto alto", "e colloquio individuale"],
      ["Fino a 8 ore"],
    ],
    [
      ["Formazione per", "l'inserimento lavorativo"],
      ["Tutti gli iscritti"],
      ["Nessuno"],
      ["Da 50 a", "200 ore"],
    ],
    // Lines starting with capitals, two of them on the same baselines in two cells.
    [
      ["Assegno di inclusione"],
      ["Nuclei con minori", "Over 60", "Persone con disabilità"],
      [
        "ISEE fino a 9.360 euro",
        "Residenza in Italia",
        "Patrimonio mobiliare",
        "Sottoscrizione del PAD",
        "Adesione al PAI",
      ],
      ["18 mesi"],
    ],
  ];
  beforeAll(async () => {
    const table = ruledTable(
      50,
      470,
      [150, 190, 260, 120],
      rows.map((cells) => cells.map((lines) => ({ lines }))),
      "rules",
    );
    doc = await load("misure", [
      {
        size: [842, 595],
        rules: table.rules,
        lines: [
          { text: "Requisiti per l'accesso alle misure", x: 50, y: 540, size: 14, bold: true },
          ...wrap(
            "Le misure del programma sono riservate alle persone prese in carico dal centro per l'impiego, secondo i requisiti riportati nella tabella che segue.",
            130,
          ).map((text, i) => ({ text, x: 50, y: 510 - i * 13, size: 10 })),
          ...table.lines,
          {
            text: "Le domande si presentano al centro per l'impiego competente per residenza.",
            x: 50,
            y: 200,
            size: 10,
          },
        ],
      },
    ]);
  });

  it("gives each row whole, every cell named by its column with all its lines", () => {
    const table = doc.passages.find((p) => p.kind === "table");
    expect(table?.text.split("\n")).toEqual([
      "Misura: Tirocinio extracurriculare; Destinatari: Giovani tra 18 e 29 anni non occupati; Requisiti di accesso: Iscrizione al programma e patto di servizio firmato presso il centro; Durata: 6 mesi",
      "Misura: Orientamento specialistico; Destinatari: Disoccupati di lunga durata; Requisiti di accesso: Profilazione con indice di svantaggio alto o molto alto e colloquio individuale; Durata: Fino a 8 ore",
      "Misura: Formazione per l'inserimento lavorativo; Destinatari: Tutti gli iscritti; Requisiti di accesso: Nessuno; Durata: Da 50 a 200 ore",
      "Misura: Assegno di inclusione; Destinatari: Nuclei con minori Over 60 Persone con disabilità; Requisiti di accesso: ISEE fino a 9.360 euro Residenza in Italia Patrimonio mobiliare Sottoscrizione del PAD Adesione al PAI; Durata: 18 mesi",
    ]);
    expect(table?.table?.header).toEqual(header);
  });

  it("keeps the section's heading as the breadcrumb and the text around the table as text", () => {
    const table = doc.passages.find((p) => p.kind === "table");
    expect(table?.breadcrumb).toEqual(["Requisiti per l'accesso alle misure"]);
    expect(doc.passages.filter((p) => p.kind === "table")).toHaveLength(1);
    expect(containing(doc, "riportati nella tabella che segue")?.kind).toBe("text");
    expect(containing(doc, "competente per residenza")?.kind).toBe("text");
  });
});

describe("a table of outlined cells on a page stored turned, a cell spanning two rows", () => {
  let doc: LoadedDocument;
  beforeAll(async () => {
    const table = ruledTable(
      60,
      480,
      [160, 330, 200],
      [
        [{ lines: ["Tabella 2 - Fasi del percorso di presa in carico"], across: 3 }],
        [{ lines: ["Fase"] }, { lines: ["Attività"] }, { lines: ["Responsabile"] }],
        [
          { lines: ["Accoglienza"], down: 2 },
          { lines: ["Registrazione della dichiarazione", "di immediata disponibilità"] },
          { lines: ["Operatore di front office"] },
        ],
        [
          {
            lines: [
              "Primo colloquio di orientamento",
              "entro trenta giorni",
              "dalla registrazione",
            ],
          },
          { lines: ["Operatore del servizio", "orientamento"] },
        ],
        [
          { lines: ["Presa in carico"] },
          { lines: ["Firma del patto di servizio personalizzato"] },
          { lines: ["Case manager"] },
        ],
      ],
      "boxes",
    );
    doc = await load("fasi", [
      {
        size: [842, 595],
        rotated: true,
        boxes: table.boxes,
        lines: [
          { text: "Il percorso della persona", x: 60, y: 540, size: 14, bold: true },
          ...table.lines,
        ],
      },
    ]);
  });

  it("repeats the spanning cell on each of its rows", () => {
    const table = doc.passages.find((p) => p.kind === "table");
    expect(table?.text.split("\n")).toEqual([
      "Fase: Accoglienza; Attività: Registrazione della dichiarazione di immediata disponibilità; Responsabile: Operatore di front office",
      "Fase: Accoglienza; Attività: Primo colloquio di orientamento entro trenta giorni dalla registrazione; Responsabile: Operatore del servizio orientamento",
      "Fase: Presa in carico; Attività: Firma del patto di servizio personalizzato; Responsabile: Case manager",
    ]);
  });

  it("reads the title row across the table as text before it, not as its header", () => {
    const table = doc.passages.find((p) => p.kind === "table");
    expect(table?.table?.header).toEqual(["Fase", "Attività", "Responsabile"]);
    expect(table?.text).not.toContain("Tabella 2");
    expect(allText(doc)).toContain("Tabella 2 - Fasi del percorso di presa in carico");
  });
});

describe("a table with a two-row header and notes inside its frame", () => {
  let doc: LoadedDocument;
  const notes = wrap(
    "Note: gli importi sono riconosciuti una sola volta per persona e sono cumulabili con gli altri incentivi regionali e nazionali, nei limiti previsti dalla normativa sugli aiuti di Stato e dal regolamento del programma.",
    80,
  );
  beforeAll(async () => {
    const table = ruledTable(
      50,
      760,
      [150, 110, 110, 110],
      [
        [
          { lines: ["Misura"], down: 2 },
          { lines: ["Importo"], across: 2 },
          { lines: ["Durata"], down: 2 },
        ],
        [{ lines: ["minimo"] }, { lines: ["massimo"] }],
        [
          { lines: ["Tirocinio"] },
          { lines: ["300 euro"] },
          { lines: ["600 euro"] },
          { lines: ["6 mesi"] },
        ],
        [
          { lines: ["Bonus", "assunzionale"] },
          { lines: ["1.000 euro"] },
          { lines: ["8.000 euro"] },
          { lines: ["12 mesi"] },
        ],
        [{ lines: notes, across: 4 }],
      ],
      "boxes",
    );
    doc = await load("importi", [{ boxes: table.boxes, lines: table.lines }]);
  });

  it("names each column by its group and its own name", () => {
    const table = doc.passages.find((p) => p.kind === "table");
    expect(table?.text.split("\n")).toEqual([
      "Misura: Tirocinio; Importo minimo: 300 euro; Importo massimo: 600 euro; Durata: 6 mesi",
      "Misura: Bonus assunzionale; Importo minimo: 1.000 euro; Importo massimo: 8.000 euro; Durata: 12 mesi",
    ]);
  });

  it("reads the notes under the rows as text", () => {
    expect(containing(doc, "cumulabili con gli altri incentivi")?.kind).toBe("text");
    expect(allText(doc)).toContain(notes.join(" "));
  });
});

describe("a bar chart with gridlines", () => {
  let doc: LoadedDocument;
  const bars = [
    ["Auto", 42],
    ["Bici", 13],
    ["Piedi", 30],
    ["Bus", 10],
    ["Treno", 5],
  ] as const;
  beforeAll(async () => {
    const lines: PlacedText[] = [
      { text: "Come arrivano al lavoro gli iscritti", x: 90, y: 700, size: 14, bold: true },
    ];
    const boxes: NonNullable<PdfPage["boxes"]> = [];
    const rules: NonNullable<PdfPage["rules"]> = [];
    for (let k = 0; k <= 5; k++)
      rules.push({ x0: 90, y0: 500 + k * 30, x1: 420, y1: 500 + k * 30 });
    rules.push({ x0: 90, y0: 500, x1: 90, y1: 650 }, { x0: 420, y0: 500, x1: 420, y1: 650 });
    bars.forEach(([name, share], k) => {
      const x = 105 + k * 62;
      boxes.push({ x, y: 500, width: 40, height: share * 3, filled: true });
      lines.push({ text: `${share}%`, x: x + 10, y: 505, size: 9 });
      lines.push({ text: name, x: x + 8, y: 485, size: 9 });
    });
    doc = await load("grafico", [{ lines, boxes, rules }]);
  });

  it("is not read as a table", () => {
    expect(doc.passages.map((p) => p.kind)).not.toContain("table");
    expect(allText(doc)).toContain("42%");
  });
});

describe("a framed paragraph", () => {
  let doc: LoadedDocument;
  const paragraph = wrap(
    "Chi non si presenta al colloquio senza un giustificato motivo decade dallo stato di disoccupazione e perde le prestazioni collegate, secondo quanto previsto dalla normativa nazionale sulla condizionalità.",
    80,
  );
  beforeAll(async () => {
    const lines: PlacedText[] = [
      { text: "Obblighi della persona", x: 50, y: 780, size: 14, bold: true },
      { text: "Attenzione", x: 60, y: 740, size: 10, bold: true },
      ...paragraph.map((text, i) => ({ text, x: 60, y: 720 - i * 13, size: 10 })),
      { text: "Scadenza:", x: 60, y: 720 - paragraph.length * 13 - 6, size: 10 },
      { text: "entro trenta giorni", x: 200, y: 720 - paragraph.length * 13 - 6, size: 10 },
      { text: "Sportello:", x: 60, y: 720 - paragraph.length * 13 - 19, size: 10 },
      { text: "centro per l'impiego", x: 200, y: 720 - paragraph.length * 13 - 19, size: 10 },
    ];
    const bottom = 720 - paragraph.length * 13 - 30;
    doc = await load("riquadro", [
      {
        lines,
        boxes: [{ x: 50, y: bottom, width: 480, height: 755 - bottom }],
        rules: [{ x0: 50, y0: 733, x1: 530, y1: 733 }],
      },
    ]);
  });

  it("stays text", () => {
    expect(doc.passages.map((p) => p.kind)).not.toContain("table");
    expect(containing(doc, "decade dallo stato di disoccupazione")?.kind).toBe("text");
    expect(allText(doc)).toContain(paragraph.join(" "));
  });
});
