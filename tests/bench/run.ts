// `npm run bench`: speed and memory of Sportello on the default corpus, the scale table of the
// search engines (10k and 100k passages recombined from SQuAD-it, see scale.ts), plus the suites
// of the store, the adapters, PDF reading and ingestion (ingest.ts). Prints a table and writes
// the figures to data/bench/bench-<timestamp>.json.
// Run: npm run build && npm run bench  (BENCH_QUICK=1 skips 100k, BENCH_1M=1 adds 1M passages)
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { createEngine } from "../../src/answer/engine.js";
import { percentile } from "../../src/eval/evaluate.js";
import { loadKnowledge } from "../../src/knowledge/index.js";
import type { Corpus } from "../../src/knowledge/types.js";
import { SearchIndex } from "../../src/search/index.js";
import { Thesaurus } from "../../src/search/thesaurus.js";
import { runScaleTable } from "./scale.js";

type Figures = Record<string, number | string>;

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
  const serialised = JSON.stringify((engine.index as SearchIndex).toJSON());
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

  // A cold `sportello ask` process with the index already cached on disk: the median of 7, after
  // one run that finds the caches (index, compiled templates, FAQ import) in place.
  const cli = join(root, "dist/sportello.js");
  const env = { ...process.env, SPORTELLO_INDEX_DIR: join(root, "data/bench/index") };
  execFileSync(process.execPath, [cli, "ingest"], { env, stdio: "ignore" });
  const askCold = () =>
    execFileSync(process.execPath, [cli, "ask", "chi firma la convenzione per la Basilicata?"], {
      env,
      stdio: "ignore",
    });
  askCold();
  const cold: number[] = [];
  const coldLoad = loadavg()[0] ?? 0;
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    askCold();
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
    cli_cold_ask_load_average: round(coldLoad),
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
// The scale table: each engine and size in its own process (peak RSS is that run's own). lunr
// stops at 10k (at 100k it needs 4 GB and a minute to build); 1M only with BENCH_1M=1.
const scaleRuns: Array<["lunr" | "disk", number]> = [
  ["lunr", 10_000],
  ["disk", 10_000],
];
if (!process.env.BENCH_QUICK) scaleRuns.push(["disk", 100_000]);
if (process.env.BENCH_1M) scaleRuns.push(["disk", 1_000_000]);
const scaleTable = runScaleTable(scaleRuns);
for (const row of scaleTable) results[`scale_${row.engine}_${row.passages}`] = row;
results.store = await optionalSuite("store", "./store.js", "runStoreBench");
results.grouping = await optionalSuite("grouping", "./grouping.js", "runGroupingBench");
results.telegram = await optionalSuite("telegram", "./telegram.js", "runTelegramBench");
results.slack = await optionalSuite("slack", "./slack.js", "runSlackBench");
results.web = await optionalSuite("web", "./web.js", "runWebBench");
results.pdf = await optionalSuite("pdf", "./pdf.js", "runPdfBench");
results.ingest = await optionalSuite("ingest", "./ingest.js", "runIngestBench");
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
