// Grouping cost against the queue's size: the time to queue one declined question (analysis,
// term-index look-up of the rarest terms, comparisons, insert) with 10 and with 100,000 questions
// already queued (20,000 with BENCH_QUICK). The work per question is bounded by the index
// look-ups (at most 4 terms × 40 questions), so both should cost about the same.
// Run: npm run build && node dist/tests/bench/grouping.js
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { createEngine } from "../../src/answer/engine.js";
import { openCuration } from "../../src/app.js";
import { loadConfig } from "../../src/config/load.js";
import { percentile } from "../../src/eval/evaluate.js";
import type { Corpus } from "../../src/knowledge/types.js";

const corpus: Corpus = {
  documents: [
    {
      id: "doc",
      file: "doc.txt",
      title: "Documento di prova",
      kind: "convenzione",
      region: null,
      date: "2020-01-01",
      origin: "bench",
    },
  ],
  passages: [
    {
      id: "doc:p1",
      documentId: "doc",
      breadcrumb: ["Art. 1"],
      location: { lineStart: 1, lineEnd: 2 },
      text: "La convenzione è firmata dal dirigente.",
      kind: "text",
    },
  ],
  fingerprint: "bench-grouping",
};

// Made-up words: a queue of many different questions sharing a few common words.
const syllables = ["ra", "to", "mi", "ge", "lo", "fa", "ni", "su", "pe", "co", "da", "vi"];
function word(n: number): string {
  let out = "";
  for (let k = n + 1; k > 0; k = Math.floor(k / syllables.length)) {
    out += syllables[k % syllables.length];
  }
  return `${out}zione`;
}

async function measure(queued: number): Promise<{ p50: number; p95: number }> {
  const dir = mkdtempSync(join(tmpdir(), "sportello-bench-grouping-"));
  try {
    const config = loadConfig({
      env: {
        SPORTELLO_DB: join(dir, "sportello.db"),
        SPORTELLO_SECRET: "bench-secret-0123456789abcdef",
        SPORTELLO_KNOWLEDGE: join(dir, "knowledge"),
      },
      cwd: dir,
      log: () => {},
    });
    const engine = createEngine({ corpus });
    const { curation, store, close } = openCuration({ config, engine });
    const declined = (text: string) =>
      store.log.logInteraction({
        channel: "telegram",
        userId: "1",
        status: "declined",
        text,
        source: null,
        faq: null,
        passageIds: [],
        fingerprint: corpus.fingerprint,
        confidence: 0.1,
        latencyMs: 1,
        reason: "low-confidence",
        region: null,
      });
    // Seeded through the store: the same rows enqueue writes, without timing the seeding.
    for (let start = 0; start < queued; start += 10_000) {
      store.transaction(() => {
        for (let i = start; i < Math.min(queued, start + 10_000); i++) {
          const terms = ["redd", word(i % 5000), word((i * 7) % 5000), word((i * 13) % 5000)];
          const id = declined(terms.join(" "));
          store.queue.enqueue({
            interactionId: id,
            kind: "declined",
            focus: { terms, aliases: [], region: null },
          });
        }
      });
    }
    const times: number[] = [];
    for (let i = 0; i < 300; i++) {
      const id = declined(`Come si chiede il reddito per ${word(i)} e ${word(i + 1)} al CPI?`);
      const started = performance.now();
      curation.enqueue(id, "declined");
      times.push(performance.now() - started);
    }
    close();
    times.sort((a, b) => a - b);
    const round = (n: number) => Math.round(n * 100) / 100;
    return { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runGroupingBench(): Promise<Record<string, number>> {
  const large = process.env.BENCH_QUICK ? 20_000 : 100_000;
  const small = await measure(10);
  const big = await measure(large);
  return {
    enqueue_ms_p50_queue_10: small.p50,
    enqueue_ms_p95_queue_10: small.p95,
    [`enqueue_ms_p50_queue_${large}`]: big.p50,
    [`enqueue_ms_p95_queue_${large}`]: big.p95,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const figures = await runGroupingBench();
  for (const [name, value] of Object.entries(figures)) console.log(`${name.padEnd(42)} ${value}`);
}
