// Retrieval benchmark on SQuAD-it: the 2,010 test paragraphs indexed with the default settings
// and queried with the 4,013 development questions, on both engines behind the search port.
// Prints recall@1/5, MRR@10, build time, load time, query latency, and how often the two
// engines agree on the first hit.
// Run: npm run build && node dist/tests/bench/squad-retrieval.js [squad-it dir]
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { DiskSearchIndex } from "../../src/search/disk-index.js";
import { SearchIndex } from "../../src/search/index.js";
import type { SearchIndexPort } from "../../src/search/port.js";

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

const docs = paragraphs.map((p) => ({
  id: p.id,
  heading: p.title,
  body: p.text,
  region: null,
  documentId: p.title,
}));
const scratch = mkdtempSync(join(tmpdir(), "sportello-squad-"));
const fmt = (x: number) => x.toFixed(3);
const firstHits = new Map<string, string[]>();

function measure(name: string, build: () => SearchIndexPort, load: () => SearchIndexPort): void {
  let start = performance.now();
  build();
  const buildMs = performance.now() - start;
  start = performance.now();
  const index = load();
  const loadMs = performance.now() - start;
  let hitsAt1 = 0;
  let hitsAt3 = 0;
  let hitsAt5 = 0;
  let reciprocalRanks = 0;
  const latencies: number[] = [];
  const first: string[] = [];
  for (const q of questions) {
    const t0 = performance.now();
    const hits = index.search(q.question, { limit: 10 });
    latencies.push(performance.now() - t0);
    first.push(hits[0]?.id ?? "");
    const rank = hits.findIndex((hit) => hit.id === q.passage);
    if (rank === 0) hitsAt1++;
    if (rank >= 0 && rank < 3) hitsAt3++;
    if (rank >= 0 && rank < 5) hitsAt5++;
    if (rank >= 0) reciprocalRanks += 1 / (rank + 1);
  }
  firstHits.set(name, first);
  latencies.sort((a, b) => a - b);
  const n = questions.length;
  console.log(`${name}: SQuAD-it retrieval, ${paragraphs.length} paragraphs, ${n} questions`);
  console.log(
    `  recall@1 ${fmt(hitsAt1 / n)}  recall@3 ${fmt(hitsAt3 / n)}  recall@5 ${fmt(hitsAt5 / n)}  MRR@10 ${fmt(reciprocalRanks / n)}`,
  );
  console.log(
    `  build ${buildMs.toFixed(0)} ms, load ${loadMs.toFixed(0)} ms, query p50 ${percentile(latencies, 50).toFixed(2)} ms, p95 ${percentile(latencies, 95).toFixed(2)} ms`,
  );
}

let serialised = "";
measure(
  "lunr",
  () => {
    const built = SearchIndex.build(docs);
    serialised = JSON.stringify(built);
    return built;
  },
  () => SearchIndex.load(JSON.parse(serialised)),
);
measure(
  "disk",
  () => {
    const built = DiskSearchIndex.build(docs, { dir: scratch });
    built.close();
    return built;
  },
  () => DiskSearchIndex.open(scratch),
);
const lunrFirst = firstHits.get("lunr") ?? [];
const diskFirst = firstHits.get("disk") ?? [];
const agree = lunrFirst.filter((id, i) => id === diskFirst[i]).length;
console.log(
  `first hit identical on ${fmt(agree / Math.max(1, lunrFirst.length))} of the questions`,
);
rmSync(scratch, { recursive: true, force: true });
