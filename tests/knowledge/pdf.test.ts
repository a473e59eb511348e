import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDocument } from "../../src/knowledge/load.js";
import { foldForMatch } from "../../src/knowledge/normalize.js";
import type { DocumentMeta, LoadedDocument } from "../../src/knowledge/types.js";

const header = "Regione Toscana - Piano regionale per il lavoro";
const pages = [
  [
    "Premessa",
    "",
    "Il piano regionale definisce le attività di assistenza tecnica rivolte ai centri",
    "per l'impiego della regione. Le attività sono realizzate in collaborazione con",
    "l'Agenzia regionale e con gli enti di formazione accreditati del territorio.",
    "Ogni attività è concordata con la Regione in un programma annuale che indica",
    "obiettivi, risultati attesi e indicatori, ed è verificata ogni trimestre dal",
    "gruppo di coordinamento composto dai dirigenti regionali e dai referenti.",
  ],
  [
    "Servizi per la transizione",
    "",
    "Gli operatori accompagnano le scuole nella progettazione dei percorsi per le",
    "competenze trasversali e l'orientamento. È prevista un'attività di affiancamento",
    "nelle università, perché gli studenti conoscano le opportunità del territorio.",
    "I tutor affiancano i docenti nella scelta delle imprese ospitanti, nella",
    "stesura dei progetti formativi e nella valutazione finale delle competenze",
    "acquisite dagli studenti durante i periodi trascorsi in azienda.",
  ],
  [
    "Rapporti con le imprese",
    "",
    "Il piano prevede eventi di incontro tra domanda e offerta di lavoro, con la",
    "partecipazione delle associazioni datoriali e dei centri per l'impiego; le",
    "attività sono rendicontate ogni sei mesi alla Regione con un rapporto sintetico.",
    "Gli eventi sono organizzati nei centri per l'impiego o presso le sedi delle",
    "associazioni, con la presentazione dei profili dei candidati già selezionati",
    "e colloqui individuali con le imprese che cercano personale qualificato.",
  ],
];

let dir: string;
let loaded: LoadedDocument;
const meta: DocumentMeta = {
  id: "piano-toscana",
  file: "piano.pdf",
  title: "Piano regionale Toscana",
  kind: "piano regionale",
  region: "Toscana",
  date: "2021",
  origin: "test",
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sportello-pdf-"));
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  pages.forEach((lines, index) => {
    const page = pdf.addPage([595, 842]);
    page.drawText(header, { x: 50, y: 800, size: 10, font });
    // The first line of each page is its section title, set in bold as a real document would.
    lines.forEach((line, i) => {
      const face = i === 0 ? bold : font;
      if (line) page.drawText(line, { x: 50, y: 740 - i * 16, size: 11, font: face });
    });
    page.drawText(String(index + 1), { x: 290, y: 40, size: 10, font });
  });
  writeFileSync(join(dir, "piano.pdf"), await pdf.save());
  loaded = await loadDocument(join(dir, "piano.pdf"), meta);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("PDF loading", () => {
  it("extracts accented text through WinAnsi fonts", () => {
    const all = loaded.passages.map((p) => p.text).join("\n");
    expect(all).toContain("È prevista un'attività di affiancamento nelle università, perché");
  });

  it("removes the header repeated on every page and the page numbers", () => {
    const all = loaded.passages.map((p) => p.text).join("\n");
    expect(all).not.toContain("Piano regionale per il lavoro");
    expect(all.split("\n")).not.toContain("2");
  });

  it("keeps the page of each passage for citations", () => {
    const find = (words: string) =>
      loaded.passages.find((p) => foldForMatch(p.text).includes(foldForMatch(words)));
    expect(find("percorsi per le competenze trasversali")?.location).toMatchObject({
      pageStart: 2,
      pageEnd: 2,
    });
    expect(find("rendicontate ogni sei mesi")?.location.pageEnd).toBe(3);
    expect(find("rendicontate ogni sei mesi")?.breadcrumb.join(" ")).toContain(
      "Rapporti con le imprese",
    );
  });
});
