// `npm run bench`: speed and memory of Sportello on the default corpus and at 10k and 50k
// passages built from SQuAD-it, plus the suites of the store and the adapters. Prints a table
// and writes the figures to data/bench/bench-<timestamp>.json.
// Run: npm run build && npm run bench  (BENCH_QUICK=1 skips the 50k corpus)
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { createEngine } from "../../src/answer/engine.js";
import { percentile } from "../../src/eval/evaluate.js";
import { loadKnowledge } from "../../src/knowledge/index.js";
import type { Corpus, DocumentMeta, Passage } from "../../src/knowledge/types.js";
import { SearchIndex } from "../../src/search/index.js";
import { Thesaurus } from "../../src/search/thesaurus.js";

type Figures = Record<string, number>;

const root = resolve(import.meta.dirname, "../../..");
const shared = resolve(root, "../shared");
const knowledgeDir = join(root, "knowledge");

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

function readJsonl<T>(path: string): T[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

function latencyFigures(prefix: string, samples: number[]): Figures {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    [`${prefix}_p50_ms`]: round(percentile(sorted, 50), 3),
    [`${prefix}_p95_ms`]: round(percentile(sorted, 95), 3),
    [`${prefix}_p99_ms`]: round(percentile(sorted, 99), 3),
  };
}

async function benchDefaultCorpus(): Promise<Figures> {
  const questions = readJsonl<{ question: string }>(join(shared, "eval/gold_dev.jsonl")).map(
    (q) => q.question,
  );
  const heapBefore = heapUsed();
  let started = performance.now();
  const loaded = await loadKnowledge(knowledgeDir);
  const ingestMs = performance.now() - started;
  const thesaurus = Thesaurus.load(join(knowledgeDir, "thesaurus.yaml"));
  const corpus: Corpus = {
    documents: loaded.documents.map((d) => d.meta),
    passages: loaded.documents.flatMap((d) => d.passages),
    fingerprint: "bench",
  };
  started = performance.now();
  const engine = createEngine({ corpus, thesaurus });
  const buildMs = performance.now() - started;
  const serialised = JSON.stringify(engine.index.toJSON());
  started = performance.now();
  SearchIndex.load(JSON.parse(serialised), { thesaurus });
  const loadMs = performance.now() - started;

  for (const q of questions) engine.ask(q); // warm-up
  const samples: number[] = [];
  for (let round = 0; round < 10; round++) {
    for (const q of questions) {
      const t0 = performance.now();
      engine.ask(q);
      samples.push(performance.now() - t0);
    }
  }
  const heapAfter = heapUsed();

  // A cold `sportello ask` process with the index already cached on disk.
  const cli = join(root, "dist/adapters/cli/main.js");
  const env = { ...process.env, SPORTELLO_INDEX_DIR: join(root, "data/bench/index") };
  execFileSync(process.execPath, [cli, "ingest"], { env, stdio: "ignore" });
  const cold: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    execFileSync(process.execPath, [cli, "ask", "chi firma la convenzione per la Basilicata?"], {
      env,
      stdio: "ignore",
    });
    cold.push(performance.now() - t0);
  }
  cold.sort((a, b) => a - b);
  return {
    passages: corpus.passages.length,
    ingest_ms: round(ingestMs),
    index_build_ms: round(buildMs),
    index_serialised_mb: mb(serialised.length),
    index_load_ms: round(loadMs),
    ...latencyFigures("ask", samples),
    heap_mb: mb(heapAfter - heapBefore),
    rss_mb: mb(process.memoryUsage().rss),
    cli_cold_ask_median_ms: round(percentile(cold, 50)),
  };
}

async function benchScale(target: number): Promise<Figures> {
  const paragraphs = readJsonl<{ id: string; title: string; text: string }>(
    join(shared, "bench/squad-it/passages.jsonl"),
  );
  const questions = readJsonl<{ question: string }>(
    join(shared, "bench/squad-it/questions_dev.jsonl"),
  )
    .slice(0, 300)
    .map((q) => q.question);
  const documents = new Map<string, DocumentMeta>();
  const passages: Passage[] = [];
  for (let copy = 0; passages.length < target; copy++) {
    for (const p of paragraphs) {
      if (passages.length >= target) break;
      const documentId = `doc-${copy}-${p.title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`.slice(
        0,
        60,
      );
      if (!documents.has(documentId)) {
        documents.set(documentId, {
          id: documentId,
          file: "squad",
          title: p.title,
          kind: "altro",
          region: null,
          date: null,
          origin: "SQuAD-it",
        });
      }
      passages.push({
        id: `${p.id}-${copy}`,
        documentId,
        breadcrumb: [],
        location: { lineStart: 1, lineEnd: 1 },
        text: p.text,
        kind: "text",
      });
    }
  }
  const corpus: Corpus = {
    documents: [...documents.values()],
    passages,
    fingerprint: `scale-${target}`,
  };
  const heapBefore = heapUsed();
  let started = performance.now();
  const engine = createEngine({ corpus });
  const buildMs = performance.now() - started;
  const heapAfter = heapUsed();
  const serialised = JSON.stringify(engine.index.toJSON());
  started = performance.now();
  SearchIndex.load(JSON.parse(serialised));
  const loadMs = performance.now() - started;
  const samples: number[] = [];
  for (const q of questions) {
    const t0 = performance.now();
    engine.ask(q);
    samples.push(performance.now() - t0);
  }
  return {
    passages: passages.length,
    index_build_ms: round(buildMs),
    heap_mb: mb(heapAfter - heapBefore),
    index_serialised_mb: mb(serialised.length),
    index_load_ms: round(loadMs),
    ...latencyFigures("ask", samples),
  };
}

async function optionalSuite(
  name: string,
  modulePath: string,
  fn: string,
): Promise<Figures | { error: string }> {
  try {
    const module = (await import(modulePath)) as Record<string, () => Promise<Figures>>;
    const run = module[fn];
    if (!run) return { error: `${fn} not found` };
    return await run();
  } catch (error) {
    return { error: `${name}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

const results: Record<string, Figures | { error: string }> = {};
results.default_corpus = await benchDefaultCorpus();
results.squad_10k = await benchScale(10_000);
if (!process.env.BENCH_QUICK) results.squad_50k = await benchScale(50_000);
results.store = await optionalSuite("store", "./store.js", "runStoreBench");
results.telegram = await optionalSuite("telegram", "./telegram.js", "runTelegramBench");
results.slack = await optionalSuite("slack", "./slack.js", "runSlackBench");
results.web = await optionalSuite("web", "./web.js", "runWebBench");
results.load = await optionalSuite("load", "./load.js", "runLoadBench");

for (const [suite, figures] of Object.entries(results)) {
  console.log(`\n${suite}`);
  for (const [key, value] of Object.entries(figures)) console.log(`  ${key.padEnd(34)} ${value}`);
}
const outDir = join(root, "data/bench");
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `bench-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
writeFileSync(
  file,
  `${JSON.stringify({ node: process.version, date: new Date().toISOString(), results }, null, 2)}\n`,
);
console.log(`\nwritten ${file}`);
