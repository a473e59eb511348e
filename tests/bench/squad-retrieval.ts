// Retrieval benchmark on SQuAD-it: the 2,010 test paragraphs indexed with the default settings
// and queried with the 4,013 development questions. Prints recall@1/5, MRR@10, build time,
// serialised size, load time and query latency.
// Run: npx tsc -p tsconfig.build.json && node dist/tests/bench/squad-retrieval.js [squad-it dir]
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { SearchIndex } from "../../src/search/index.js";

interface Paragraph {
  id: string;
  title: string;
  text: string;
}
interface SquadQuestion {
  id: string;
  question: string;
  passage: string;
}

function readJsonl<T>(path: string): T[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as T);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const dir = resolve(process.argv[2] ?? "../shared/bench/squad-it");
const paragraphs = readJsonl<Paragraph>(join(dir, "passages.jsonl"));
const questions = readJsonl<SquadQuestion>(join(dir, "questions_dev.jsonl"));

let start = performance.now();
const built = SearchIndex.build(
  paragraphs.map((p) => ({
    id: p.id,
    heading: p.title,
    body: p.text,
    region: null,
    documentId: p.title,
  })),
);
const buildMs = performance.now() - start;

const serialised = JSON.stringify(built);
start = performance.now();
const index = SearchIndex.load(JSON.parse(serialised));
const loadMs = performance.now() - start;

let hitsAt1 = 0;
let hitsAt5 = 0;
let reciprocalRanks = 0;
const latencies: number[] = [];
for (const q of questions) {
  const t0 = performance.now();
  const hits = index.search(q.question, { limit: 10 });
  latencies.push(performance.now() - t0);
  const rank = hits.findIndex((hit) => hit.id === q.passage);
  if (rank === 0) hitsAt1++;
  if (rank >= 0 && rank < 5) hitsAt5++;
  if (rank >= 0) reciprocalRanks += 1 / (rank + 1);
}
latencies.sort((a, b) => a - b);
const n = questions.length;
const fmt = (x: number) => x.toFixed(3);
console.log(`SQuAD-it retrieval: ${paragraphs.length} paragraphs, ${n} questions`);
console.log(
  `recall@1 ${fmt(hitsAt1 / n)}  recall@5 ${fmt(hitsAt5 / n)}  MRR@10 ${fmt(reciprocalRanks / n)}`,
);
console.log(
  `build ${buildMs.toFixed(0)} ms, serialised ${(serialised.length / 1e6).toFixed(2)} MB, load ${loadMs.toFixed(0)} ms`,
);
console.log(
  `query p50 ${percentile(latencies, 50).toFixed(2)} ms, p95 ${percentile(latencies, 95).toFixed(2)} ms`,
);
