// Scale benchmark of the search engines behind the port: a corpus of N passages recombined from
// SQuAD-it sentences (with words given new endings, so the vocabulary grows with the corpus as
// real collections do), the 2,010 original paragraphs among them so that recall can be measured.
// One engine and one size per process, so that peak RSS is that run's own.
// Run: npm run build && node --expose-gc dist/tests/bench/scale.js disk 100000
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { createEngine, searchDocumentsOf } from "../../src/answer/engine.js";
import { percentile } from "../../src/eval/evaluate.js";
import type { Corpus, DocumentMeta, LoadedDocument, Passage } from "../../src/knowledge/types.js";
import { DiskSearchIndex } from "../../src/search/disk-index.js";
import { SearchIndex } from "../../src/search/index.js";
import type { SearchEngineName, SearchIndexPort } from "../../src/search/port.js";

const root = resolve(import.meta.dirname, "../../..");
const squadDir = resolve(root, "../shared/bench/squad-it");

type Figures = Record<string, number | string>;

function readJsonl<T>(path: string): T[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/** A small deterministic generator (mulberry32), so every run builds the same corpus. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ["ra", "ne", "to", "li", "sa", "mo", "ve", "ci", "du", "pe", "go", "fa"];

/** The corpus: the original paragraphs, then passages of ~940 characters recombined from them. */
export function scaleCorpus(size: number): { corpus: Corpus; extra: LoadedDocument } {
  const paragraphs = readJsonl<{ id: string; title: string; text: string }>(
    join(squadDir, "passages.jsonl"),
  );
  const sentences = paragraphs.flatMap((p) =>
    p.text.split(/(?<=[.!?])\s+/).filter((s) => s.length > 20),
  );
  const documents: DocumentMeta[] = [];
  const passages: Passage[] = [];
  const meta = (id: string, title: string): DocumentMeta => ({
    id,
    file: "squad",
    title,
    kind: "altro",
    region: null,
    date: null,
    origin: "SQuAD-it",
  });
  const seenTitles = new Map<string, string>();
  for (const p of paragraphs) {
    if (passages.length >= size) break;
    let documentId = seenTitles.get(p.title);
    if (!documentId) {
      documentId = `squad-${seenTitles.size}`;
      seenTitles.set(p.title, documentId);
      documents.push(meta(documentId, p.title));
    }
    passages.push(passage(p.id, documentId, p.text));
  }
  const next = random(42);
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)] as T;
  // Heaps' law: the number of distinct new words grows about as the square root of the corpus.
  let n = 0;
  while (passages.length < size) {
    const documentId = `mix-${Math.floor(n / 50)}`;
    if (n % 50 === 0) documents.push(meta(documentId, `Raccolta ${Math.floor(n / 50)}`));
    const pool = Math.floor(40 * Math.sqrt(n + 1));
    let text = "";
    while (text.length < 900) text += `${pick(sentences)} `;
    text = text.replace(/\p{L}{7,}/gu, (word) => {
      if (next() > 0.08) return word;
      let code = Math.floor(next() * pool);
      let suffix = "";
      do {
        suffix += SYLLABLES[code % SYLLABLES.length];
        code = Math.floor(code / SYLLABLES.length);
      } while (code > 0);
      return word + suffix;
    });
    passages.push(passage(`mix-${n}`, documentId, text.trim()));
    n++;
  }
  // A 20-page document (60 passages) added after the build.
  const extraPassages = Array.from({ length: 60 }, (_, i) => {
    let text = "";
    while (text.length < 900) text += `${pick(sentences)} `;
    return passage(`extra-${i}`, "documento-aggiunto", `Zanzariere antigrandine ${i}. ${text}`);
  });
  return {
    corpus: { documents, passages, fingerprint: `scale-${size}` },
    extra: { meta: meta("documento-aggiunto", "Documento aggiunto"), passages: extraPassages },
  };
}

function passage(id: string, documentId: string, text: string): Passage {
  return {
    id,
    documentId,
    breadcrumb: [],
    location: { lineStart: 1, lineEnd: 1 },
    text,
    kind: "text",
  };
}

function folderSize(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Milliseconds of CPU (user + system) this process used since `since`. */
function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

export function runScale(engineName: SearchEngineName, size: number): Figures {
  const { corpus, extra } = scaleCorpus(size);
  const questions = readJsonl<{ question: string; passage: string }>(
    join(squadDir, "questions_dev.jsonl"),
  ).slice(0, 500);
  const dir = mkdtempSync(join(tmpdir(), "sportello-scale-"));
  try {
    // Wall-clock times, and CPU times too: on a machine shared with other jobs the wall clock
    // includes the time this process waited for a core, the CPU time does not.
    let started = performance.now();
    let cpu = process.cpuUsage();
    let index: SearchIndexPort;
    let indexBytes: number;
    let buildMs: number;
    let loadMs: number;
    let buildCpuMs: number;
    let loadCpuMs: number;
    if (engineName === "disk") {
      DiskSearchIndex.build(searchDocumentsOf(corpus, { payload: true }), { dir }).close();
      buildMs = performance.now() - started;
      buildCpuMs = cpuMs(cpu);
      indexBytes = folderSize(dir);
      started = performance.now();
      cpu = process.cpuUsage();
      index = DiskSearchIndex.open(dir);
      loadMs = performance.now() - started;
      loadCpuMs = cpuMs(cpu);
    } else {
      const built = SearchIndex.build(searchDocumentsOf(corpus));
      buildMs = performance.now() - started;
      buildCpuMs = cpuMs(cpu);
      const json = JSON.stringify(built.toJSON());
      indexBytes = Buffer.byteLength(json);
      started = performance.now();
      cpu = process.cpuUsage();
      index = SearchIndex.load(JSON.parse(json), { sources: () => searchDocumentsOf(corpus) });
      loadMs = performance.now() - started;
      loadCpuMs = cpuMs(cpu);
    }
    const engine = createEngine({ corpus, index });

    const latencies: number[] = [];
    const cpuTimes: number[] = [];
    let at1 = 0;
    let at5 = 0;
    for (const q of questions) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const answer = engine.ask(q.question);
      latencies.push(performance.now() - t0);
      cpuTimes.push(cpuMs(c0));
      const rank = answer.passages.findIndex((p) => p.passage.id === q.passage);
      if (rank === 0) at1++;
      if (rank >= 0 && rank < 5) at5++;
    }
    latencies.sort((a, b) => a - b);
    cpuTimes.sort((a, b) => a - b);

    started = performance.now();
    cpu = process.cpuUsage();
    engine.applyDocumentChanges({ added: [extra], removedDocumentIds: [], fingerprint: "added" });
    const addMs = performance.now() - started;
    const addCpuMs = cpuMs(cpu);
    const found = engine.ask("zanzariere antigrandine").passages[0]?.document.id;

    return {
      engine: engineName,
      passages: corpus.passages.length,
      build_s: round(buildMs / 1000, 2),
      build_cpu_s: round(buildCpuMs / 1000, 2),
      index_mb: round(indexBytes / 1024 / 1024),
      load_ms: round(loadMs),
      load_cpu_ms: round(loadCpuMs),
      ask_p50_ms: round(percentile(latencies, 50), 2),
      ask_p95_ms: round(percentile(latencies, 95), 2),
      ask_p99_ms: round(percentile(latencies, 99), 2),
      ask_cpu_p50_ms: round(percentile(cpuTimes, 50), 2),
      ask_cpu_p95_ms: round(percentile(cpuTimes, 95), 2),
      recall_at_1: round(at1 / questions.length, 3),
      recall_at_5: round(at5 / questions.length, 3),
      add_20_pages_ms: round(addMs),
      add_20_pages_cpu_ms: round(addCpuMs),
      added_found: found === "documento-aggiunto" ? "yes" : "no",
      peak_rss_mb: round(process.resourceUsage().maxRSS / 1024),
      load_average: os.loadavg()[0]?.toFixed(1) ?? "",
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each (engine, size) in its own process; the table the README shows. */
export function runScaleTable(runs: Array<[SearchEngineName, number]>): Figures[] {
  const script = join(import.meta.dirname, "scale.js");
  return runs.map(([engine, size]) => {
    try {
      // At 1M passages the bench's corpus, the units it indexes and the engine's passages are
      // all in the heap at once: more than Node's default limit of about 4 GB (it stops with
      // "heap out of memory" at 4.0 GB). A service at that size needs the same flag.
      const heap = size > 500_000 ? ["--max-old-space-size=12288"] : [];
      const output = execFileSync(
        process.execPath,
        [...heap, "--expose-gc", script, engine, String(size)],
        {
          encoding: "utf8",
          maxBuffer: 1 << 20,
        },
      );
      return JSON.parse(output.trim().split("\n").pop() ?? "{}") as Figures;
    } catch (error) {
      return { engine, passages: size, error: (error as Error).message.split("\n")[0] ?? "" };
    }
  });
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const [engine, size] = process.argv.slice(2);
  if (engine === "lunr" || engine === "disk") {
    console.log(JSON.stringify(runScale(engine, Number(size ?? 10_000))));
  }
}
