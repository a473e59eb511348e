// Ingestion as a trainer meets it. (1) Adding one document to a knowledge folder of about 500 and
// of about 5,000 passages, along the whole path a person takes: the library reads the file,
// writes it and the manifest under the folder's lock, and the index cache is brought up to date
// (exactly what `sportello ingest FILE` does, in process, phase by phase), plus the `sportello
// ingest` command itself as a separate process, and removing one (`sportello remove`). The time
// must not grow with the folder.
// (2) Pages read and segmented per second for each format: PDF with a text layer, .docx, .odt,
// .html, generated here (pdf-lib, fflate) with the same text on every page.
// Run: npm run build && node dist/tests/bench/ingest.js (or `… ingest.js disk 500,5000,50000`
// for one engine at those sizes, without the formats).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { openEngine, updateIndexCache } from "../../src/answer/open.js";
import { localActor } from "../../src/curation/actors.js";
import { readDocument } from "../../src/knowledge/load.js";
import { useManifestCache } from "../../src/knowledge/manifest.js";
import { createLibrary } from "../../src/library/library.js";
import { openStore, type Store } from "../../src/store/store.js";
import { buildDocx, buildOdt, type TestBlock } from "../knowledge/office-files.js";
import { type PdfPage, type PlacedText, pdfBytes, wrap } from "../knowledge/pdf-builder.js";

type Figures = Record<string, number | string>;

const root = resolve(import.meta.dirname, "../../..");
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

const SENTENCES = [
  "Il centro per l'impiego prende in carico la persona, concorda il patto di servizio e la accompagna verso il lavoro con colloqui, orientamento e formazione mirata.",
  "Le imprese pubblicano le offerte sul portale regionale e ricevono una rosa di candidati già selezionati dagli operatori, con la verifica dei requisiti richiesti.",
  "I tirocini extracurriculari durano da due a dodici mesi, prevedono un'indennità mensile e un tutor del soggetto promotore che segue il progetto formativo.",
  "La domanda si presenta online entro trenta giorni dalla pubblicazione dell'avviso, allegando la dichiarazione di immediata disponibilità e il curriculum aggiornato.",
  "L'assegno di ricollocazione finanzia un percorso di ricerca intensiva del lavoro presso un ente accreditato, pagato a risultato quando il contratto è firmato.",
];

/** A section's text: ~900 characters (one passage), different in every section. */
function sectionText(doc: number, section: number): string {
  const words = `Scheda ${doc}-${section}: misura ${(doc * 7 + section) % 97} del territorio ${(doc + section * 3) % 41}.`;
  const body = Array.from(
    { length: 5 },
    (_, k) => SENTENCES[(doc + section + k) % SENTENCES.length],
  );
  return `${words} ${body.join(" ")}`;
}

/** A knowledge folder of `documents` Markdown files with `sections` passages each. */
export function knowledgeFolder(dir: string, documents: number, sections: number): void {
  mkdirSync(join(dir, "documents"), { recursive: true });
  const entries: string[] = [];
  for (let d = 0; d < documents; d++) {
    const lines = [`# Manuale operativo ${d}`, ""];
    for (let s = 0; s < sections; s++)
      lines.push(`## Procedura ${d}.${s}`, "", sectionText(d, s), "");
    writeFileSync(join(dir, "documents", `manuale-${d}.md`), lines.join("\n"));
    entries.push(
      `  - id: manuale-${d}\n    file: documents/manuale-${d}.md\n    title: "Manuale operativo ${d}"\n    kind: manuale\n    region: null\n    date: "2024"\n    origin: "banco di prova"`,
    );
  }
  writeFileSync(join(dir, "manifest.yaml"), `version: 1\ndocuments:\n${entries.join("\n")}\n`);
}

/** The new document a trainer adds: a .docx of `sections` sections. */
export function newDocx(n: number, sections: number): Uint8Array {
  const blocks: TestBlock[] = [{ h: 1, text: `Avviso pubblico ${n}` }];
  for (let s = 0; s < sections; s++) {
    blocks.push({ h: 2, text: `Articolo ${s + 1}` }, { p: sectionText(10_000 + n, s) });
  }
  return buildDocx(blocks, `Avviso pubblico ${n}`);
}

interface PathTimes {
  total: number;
  read: number;
  write: number;
  index: number;
}

/** A library whose changes update the cached index as the CLI's do. */
function cliLibrary(knowledgeDir: string, cacheDir: string, store: Store) {
  return createLibrary({
    knowledgeDir,
    store,
    applyChanges: async (changes) => {
      await updateIndexCache({ knowledgeDir, cacheDir, onWarning: () => {} }, changes);
    },
  });
}

/** One `ingest` as the CLI runs it: library (with store and lock) → hook → cached index update. */
async function ingestInProcess(
  knowledgeDir: string,
  cacheDir: string,
  dbPath: string,
  file: string,
): Promise<PathTimes> {
  const store = openStore({ path: dbPath, secret: "banco-di-prova-segreto-abbastanza-lungo" });
  const marks = new Map<string, number>();
  const started = performance.now();
  try {
    const library = cliLibrary(knowledgeDir, cacheDir, store);
    await library.ingest({
      items: [{ path: file }],
      actor: localActor,
      onProgress: ({ fraction }) => {
        const phase =
          fraction >= 1 ? "done" : fraction >= 0.85 ? "index" : fraction >= 0.75 ? "write" : "read";
        if (!marks.has(phase)) marks.set(phase, performance.now());
      },
    });
  } finally {
    store.close();
  }
  const at = (phase: string) => marks.get(phase) ?? started;
  return {
    total: performance.now() - started,
    read: at("write") - started,
    write: at("index") - at("write"),
    index: at("done") - at("index"),
  };
}

/** One `remove ID` as the CLI runs it: manifest and audit under the lock, then the index. */
async function removeInProcess(
  knowledgeDir: string,
  cacheDir: string,
  dbPath: string,
  id: string,
): Promise<number> {
  const store = openStore({ path: dbPath, secret: "banco-di-prova-segreto-abbastanza-lungo" });
  const started = performance.now();
  try {
    const library = cliLibrary(knowledgeDir, cacheDir, store);
    await library.remove(id, localActor);
  } finally {
    store.close();
  }
  return performance.now() - started;
}

async function corpusGrowth(
  passages: number,
  engine: "lunr" | "disk",
  runs: number,
): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), "sportello-bench-ingest-"));
  try {
    const knowledgeDir = join(dir, "knowledge");
    const cacheDir = join(dir, "index");
    const sections = 50;
    knowledgeFolder(knowledgeDir, Math.round(passages / sections), sections);
    // The engine is chosen when the index is first built; updates keep it.
    // The parsed manifest next to the index cache, as the CLI keeps it.
    useManifestCache(cacheDir);
    const built = await openEngine({ knowledgeDir, cacheDir, engine, onWarning: () => {} });
    const corpusPassages = built.corpus.passages.length;
    const inProcess: PathTimes[] = [];
    for (let run = 0; run < runs; run++) {
      const file = join(dir, `avviso-${run}.docx`);
      writeFileSync(file, newDocx(run, 10));
      inProcess.push(await ingestInProcess(knowledgeDir, cacheDir, join(dir, "db.sqlite"), file));
    }
    // The command itself, a new process each time (start-up included).
    const cli = join(root, "dist/sportello.js");
    const env = {
      ...process.env,
      SPORTELLO_DB: join(dir, "db.sqlite"),
      SPORTELLO_SECRET: "banco-di-prova-segreto-abbastanza-lungo",
      SPORTELLO_INDEX_DIR: cacheDir,
    };
    const command: number[] = [];
    for (let run = 0; run < runs; run++) {
      const file = join(dir, `bando-${run}.docx`);
      writeFileSync(file, newDocx(100 + run, 10));
      const t0 = performance.now();
      execFileSync(process.execPath, [cli, "--knowledge", knowledgeDir, "ingest", file], {
        env,
        stdio: "ignore",
      });
      command.push(performance.now() - t0);
    }
    const removals: number[] = [];
    for (let run = 0; run < runs; run++) {
      removals.push(
        await removeInProcess(knowledgeDir, cacheDir, join(dir, "db.sqlite"), `manuale-${run}`),
      );
    }
    const pick = (key: keyof PathTimes) => round(median(inProcess.map((t) => t[key])));
    return {
      passages: corpusPassages,
      ingest_one_ms: pick("total"),
      read_ms: pick("read"),
      manifest_write_ms: pick("write"),
      index_update_ms: pick("index"),
      cli_ingest_one_ms: round(median(command)),
      remove_one_ms: round(median(removals)),
    };
  } finally {
    useManifestCache(undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

// Formats: the same page of text in each, a heading and ~2,400 characters (a printed A4 page).
const PAGES = 40;

function pageParagraphs(n: number): string[] {
  return Array.from({ length: 3 }, (_, k) =>
    Array.from({ length: 5 }, (_, j) => SENTENCES[(n + k + j) % SENTENCES.length]).join(" "),
  );
}

function pdfPage(n: number): PdfPage {
  const lines: PlacedText[] = [
    { text: `${n}. Procedura ${n}`, x: 50, y: 790, size: 14, bold: true },
  ];
  let y = 765;
  for (const paragraph of pageParagraphs(n)) {
    for (const text of wrap(paragraph, 100)) {
      lines.push({ text, x: 50, y, size: 9.5 });
      y -= 12;
    }
    y -= 8;
  }
  lines.push({ text: `Pagina ${n}`, x: 280, y: 30, size: 8 });
  return { lines };
}

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");

function formatFiles(dir: string): Array<{ format: string; path: Promise<string> }> {
  const blocks: TestBlock[] = [];
  const html: string[] = [];
  for (let n = 1; n <= PAGES; n++) {
    blocks.push({ h: 1, text: `${n}. Procedura ${n}` });
    html.push(`<h1>${n}. Procedura ${n}</h1>`);
    for (const p of pageParagraphs(n)) {
      blocks.push({ p });
      html.push(`<p>${escapeHtml(p)}</p>`);
    }
  }
  const write = async (name: string, bytes: Uint8Array | string | Promise<Uint8Array>) => {
    const path = join(dir, name);
    writeFileSync(path, await bytes);
    return path;
  };
  return [
    {
      format: "pdf",
      path: write("manuale.pdf", pdfBytes(Array.from({ length: PAGES }, (_, i) => pdfPage(i + 1)))),
    },
    { format: "docx", path: write("manuale.docx", buildDocx(blocks, "Manuale operativo")) },
    { format: "odt", path: write("manuale.odt", buildOdt(blocks, "Manuale operativo")) },
    {
      format: "html",
      path: write(
        "manuale.html",
        `<!DOCTYPE html><html lang="it"><head><title>Manuale operativo</title></head><body><main>${html.join("\n")}</main></body></html>`,
      ),
    },
  ];
}

async function formatSpeeds(): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), "sportello-bench-formats-"));
  try {
    const figures: Figures = {};
    for (const { format, path } of formatFiles(dir)) {
      const file = await path;
      await (await readDocument(file)).segment("warm-up"); // loads the reader once
      const runs = 3;
      const started = performance.now();
      let passages = 0;
      for (let run = 0; run < runs; run++)
        passages = (await readDocument(file)).segment("bench").length;
      figures[`${format}_pages_per_s`] = Math.round(
        (PAGES * runs) / ((performance.now() - started) / 1000),
      );
      figures[`${format}_passages`] = passages;
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runIngestBench(
  engines: ReadonlyArray<"lunr" | "disk"> = ["lunr", "disk"],
  sizes: readonly number[] = [500, 5_000],
  formats = true,
): Promise<Figures> {
  const figures: Figures = {};
  for (const engine of engines) {
    for (const size of sizes) {
      for (const [key, value] of Object.entries(await corpusGrowth(size, engine, 2))) {
        figures[`${engine}_${size}_${key}`] = value;
      }
    }
  }
  if (formats) Object.assign(figures, await formatSpeeds());
  return figures;
}

// Alone: `node dist/tests/bench/ingest.js [disk|lunr] [500,5000,50000]` measures only those.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [engine, sizes] = process.argv.slice(2);
  const figures = engine
    ? await runIngestBench(
        [engine === "lunr" ? "lunr" : "disk"],
        (sizes ?? "500,5000").split(",").map(Number),
        false,
      )
    : await runIngestBench();
  for (const [key, value] of Object.entries(figures)) {
    console.log(`${key.padEnd(36)} ${value}`);
  }
}
