// PDF ingestion speed in pages per second: a 60-page text document (one and two columns,
// tables, running header and footer), a 30-slide deck, 30 landscape pages of a table drawn with
// rules (cells of one to four lines, vertically centred), and scanned pages read by OCR (when
// Tesseract and poppler are installed). Extraction and segmentation are timed together.
// Run: npm run build && node dist/tests/bench/pdf.js
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { PDFDocument } from "pdf-lib";
import { readDocument } from "../../src/knowledge/load.js";
import { missingOcrPackages } from "../../src/knowledge/ocr.js";
import { segmentDocument } from "../../src/knowledge/segment.js";
import {
  type Cell,
  type PdfPage,
  type PlacedText,
  pdfBytes,
  ruledTable,
  wrap,
} from "../knowledge/pdf-builder.js";

type Figures = Record<string, number | string>;

const TEXT_PAGES = 60;
const SLIDES = 30;
const RULED_PAGES = 30;
const OCR_PAGES = 2;

const sentences = [
  "Il centro per l'impiego prende in carico la persona, concorda il patto di servizio e la accompagna verso il lavoro con colloqui, orientamento e formazione mirata.",
  "Le imprese pubblicano le offerte sul portale regionale e ricevono una rosa di candidati già selezionati dagli operatori, con la verifica dei requisiti richiesti.",
  "I tirocini extracurriculari durano da due a dodici mesi, prevedono un'indennità mensile e un tutor del soggetto promotore che segue il progetto formativo.",
];

function textPage(n: number): PdfPage {
  const lines: PlacedText[] = [
    {
      text: "Regione di prova - Manuale operativo dei servizi per il lavoro",
      x: 50,
      y: 810,
      size: 8,
    },
    { text: `${n}. Procedura numero ${n}`, x: 50, y: 770, size: 14, bold: true },
  ];
  const text = Array.from({ length: 8 }, (_, k) => sentences[(n + k) % sentences.length]);
  const body = wrap(text.join(" "), n % 3 === 0 ? 48 : 95);
  if (n % 3 === 0) {
    // Two columns.
    const half = Math.ceil(body.length / 2);
    for (const [i, text] of body.slice(0, half).entries()) {
      lines.push({ text, x: 50, y: 740 - i * 12, size: 9 });
    }
    for (const [i, text] of body.slice(half).entries()) {
      lines.push({ text, x: 310, y: 740 - i * 12, size: 9 });
    }
  } else {
    for (const [i, text] of body.entries()) lines.push({ text, x: 50, y: 740 - i * 13, size: 10 });
  }
  if (n % 4 === 0) {
    for (let r = 0; r < 8; r++) {
      const cells =
        r === 0
          ? ["Servizio", "Destinatari", "Durata"]
          : [`Servizio ${r}`, "Disoccupati", `${r} ore`];
      for (const [c, text] of cells.entries()) {
        lines.push({ text, x: [50, 230, 400][c] ?? 50, y: 300 - r * 16, size: 10 });
      }
    }
  }
  lines.push({ text: `Pagina ${n}`, x: 280, y: 30, size: 8 });
  return { lines };
}

function slide(n: number): PdfPage {
  return {
    size: [842, 595],
    lines: [
      { text: `Argomento ${n}: la presa in carico`, x: 60, y: 500, size: 30, bold: true },
      { text: "- Colloquio di accoglienza", x: 80, y: 400, size: 20 },
      { text: "- Patto di servizio personalizzato", x: 80, y: 360, size: 20 },
      { text: "- Orientamento e formazione", x: 80, y: 320, size: 20 },
    ],
  };
}

/** A landscape page of a ruled table, its header repeated: eight rows of one to four lines. */
function ruledPage(n: number): PdfPage {
  const header: Cell[] = ["Misura", "Destinatari", "Requisiti", "Durata"].map((h) => ({
    lines: [h],
  }));
  const rows = Array.from({ length: 8 }, (_, r): Cell[] => {
    const k = n * 8 + r;
    return [
      { lines: wrap(`Misura ${k} di politica attiva del lavoro`, 22) },
      { lines: wrap("Disoccupati iscritti al centro per l'impiego", 28 - (k % 3) * 4) },
      { lines: wrap(sentences[k % sentences.length] ?? "", 65).slice(0, 1 + (k % 4)) },
      { lines: [`${1 + (k % 12)} mesi`] },
    ];
  });
  const table = ruledTable(40, 540, [170, 180, 330, 80], [header, ...rows], "rules");
  return {
    size: [842, 595],
    rules: table.rules,
    lines: [
      { text: "Allegato A - Misure del programma", x: 40, y: 565, size: 12, bold: true },
      ...table.lines,
      { text: `Pagina ${n}`, x: 400, y: 20, size: 8 },
    ],
  };
}

async function pagesPerSecond(path: string, pages: number, runs: number): Promise<number> {
  const started = performance.now();
  for (let run = 0; run < runs; run++) {
    const { lines } = await readDocument(path);
    segmentDocument("bench", lines);
  }
  return (pages * runs) / ((performance.now() - started) / 1000);
}

export async function runPdfBench(): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), "sportello-bench-pdf-"));
  try {
    const text = join(dir, "manuale.pdf");
    writeFileSync(
      text,
      await pdfBytes(Array.from({ length: TEXT_PAGES }, (_, i) => textPage(i + 1))),
    );
    const ruled = join(dir, "allegato.pdf");
    writeFileSync(
      ruled,
      await pdfBytes(Array.from({ length: RULED_PAGES }, (_, i) => ruledPage(i + 1))),
    );
    const deck = join(dir, "slide.pdf");
    writeFileSync(deck, await pdfBytes(Array.from({ length: SLIDES }, (_, i) => slide(i + 1))));
    await readDocument(text); // loads pdf.js once
    const figures: Figures = {
      pdf_text_pages_per_s: Math.round(await pagesPerSecond(text, TEXT_PAGES, 3)),
      pdf_slides_pages_per_s: Math.round(await pagesPerSecond(deck, SLIDES, 3)),
      pdf_ruled_pages_per_s: Math.round(await pagesPerSecond(ruled, RULED_PAGES, 3)),
    };
    const missing = await missingOcrPackages();
    if (missing.length > 0) {
      figures.pdf_ocr = `skipped: missing ${missing.join(", ")}`;
      return figures;
    }
    // Scanned pages: the text pages above, rendered to images and put back as pictures only.
    execFileSync("pdftoppm", [
      "-r",
      "150",
      "-png",
      "-f",
      "1",
      "-l",
      String(OCR_PAGES),
      text,
      join(dir, "scan"),
    ]);
    const scanned = await PDFDocument.create();
    for (let n = 1; n <= OCR_PAGES; n++) {
      const name = `scan-${String(n).padStart(String(TEXT_PAGES).length, "0")}.png`;
      const png = await scanned.embedPng(readFileSync(join(dir, name)));
      scanned.addPage([595, 842]).drawImage(png, { x: 0, y: 0, width: 595, height: 842 });
    }
    const scan = join(dir, "scansione.pdf");
    writeFileSync(scan, await scanned.save());
    figures.pdf_ocr_pages_per_s =
      Math.round((await pagesPerSecond(scan, OCR_PAGES, 1)) * 100) / 100;
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const [key, value] of Object.entries(await runPdfBench())) {
    console.log(`${key.padEnd(28)} ${value}`);
  }
}
