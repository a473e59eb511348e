// Slack adapter benchmark: a signed Events API request into Bolt's HTTP receiver on loopback →
// the answer's chat.postMessage arriving at the fake Web API. Measures the ack time Slack sees,
// the end-to-end latency, and the answers per second sustained with concurrent requests; twice:
// on a fixed-answer stand-in (the adapter's own cost, `slack_stub_*`) and on the real service
// (engine on knowledge/, SQLite store in a temporary folder, `slack_real_*`).
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { createSlackAdapter, slackEventsPath } from "../../adapters/slack/index.js";
import type { Sportello } from "../../src/service.js";
import { slackSportello } from "../slack/answers.js";
import { FakeSlackWebApi } from "../slack/fake-web-api.js";
import { eventEnvelope, mentionEvent, signature } from "../slack/slack-requests.js";
import { openShippedEngine, startTestService } from "../support/real-service.js";

const signingSecret = "8f742231b10e8888abcd99yyyzzz85a5";

/**
 * Slack's side runs in a worker thread with its own event loop: in the same thread, the
 * synchronous answering that follows the ack would hold back reading the ack, and the ack time
 * would wrongly include it. Times are absolute (timeOrigin + now) to compare across threads.
 */
const slackSideSource = `
const { parentPort } = require("node:worker_threads");
const now = () => performance.timeOrigin + performance.now();
parentPort.on("message", async ({ id, url, body, headers }) => {
  const sent = now();
  try {
    const response = await fetch(url, { method: "POST", headers, body });
    await response.text();
    parentPort.postMessage({ id, sent, acked: now(), status: response.status });
  } catch (error) {
    parentPort.postMessage({ id, sent, acked: Number.NaN, status: 0, error: String(error) });
  }
});`;

interface Sent {
  sent: number;
  acked: number;
  status: number;
  error?: string;
}

export function startSlackSide() {
  const worker = new Worker(slackSideSource, { eval: true });
  const waiting = new Map<number, (result: Sent) => void>();
  worker.on("message", (message: Sent & { id: number }) => {
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
  });
  let ids = 0;
  return {
    post(url: string, body: string): Promise<Sent> {
      const id = ++ids;
      const ts = Math.floor(Date.now() / 1000);
      const headers = {
        "content-type": "application/json",
        "x-slack-request-timestamp": String(ts),
        "x-slack-signature": signature(signingSecret, ts, body),
      };
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        worker.postMessage({ id, url, body, headers });
      });
    },
    stop: () => worker.terminate(),
  };
}

const realQuestions = [
  "Come vengono trattati i dati personali nella convenzione con la Basilicata?",
  "Quanti navigator lavorano in Emilia-Romagna?",
  "Cosa prevede la linea 19 del piano?",
  "Chi firma la convenzione tra ANPAL Servizi e la Regione Basilicata?",
  "Come si richiede il bonus asilo nido per i tirocinanti?",
  "Chi paga l'INAIL del tirocinio?",
];

export interface SlackBenchOptions {
  latencyRuns?: number;
  throughputRequests?: number;
  concurrency?: number;
}

interface MeasureOptions extends SlackBenchOptions {
  sportello: Sportello;
  questions: string[];
  latencyRuns?: number;
  throughputRequests?: number;
  concurrency?: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, at)] ?? Number.NaN;
}

const round = (n: number) => Math.round(n * 100) / 100;

async function measure(options: MeasureOptions): Promise<Record<string, number>> {
  const { sportello, questions } = options;
  const latencyRuns = options.latencyRuns ?? 200;
  const throughputRequests = options.throughputRequests ?? 500;
  const concurrency = options.concurrency ?? 16;

  const api = new FakeSlackWebApi();
  await api.start();
  const adapter = createSlackAdapter({
    botToken: "xoxb-bench",
    signingSecret,
    port: 0,
    apiUrl: api.apiUrl,
    sportello,
    logger: () => {},
  });
  await adapter.start();
  const url = `http://127.0.0.1:${adapter.address()?.port}${slackEventsPath}`;
  const slack = startSlackSide();

  let n = 0;
  /** One mention; resolves with the ack and end-to-end times in ms. */
  async function roundTrip(): Promise<{ ack: number; e2e: number }> {
    n += 1;
    const ts = `1700${String(n).padStart(6, "0")}.000100`;
    const question = questions[n % questions.length] ?? "dati personali";
    const body = JSON.stringify(eventEnvelope(mentionEvent(question, { ts }), `EvBench${n}`));
    const answered = api.waitFor("chat.postMessage", (c) => c.args.thread_ts === ts);
    const sent = await slack.post(url, body);
    if (sent.status !== 200) {
      throw new Error(`slack bench: receiver answered ${sent.status} ${sent.error ?? ""}`);
    }
    const [post] = await answered;
    const postedAt = performance.timeOrigin + (post?.hrAt ?? Number.NaN);
    return { ack: sent.acked - sent.sent, e2e: postedAt - sent.sent };
  }

  try {
    for (let i = 0; i < 20; i++) await roundTrip(); // warm-up: JIT, sockets, caches

    const acks: number[] = [];
    const e2e: number[] = [];
    for (let i = 0; i < latencyRuns; i++) {
      const run = await roundTrip();
      acks.push(run.ack);
      e2e.push(run.e2e);
    }
    acks.sort((a, b) => a - b);
    e2e.sort((a, b) => a - b);

    let remaining = throughputRequests;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (remaining > 0) {
          remaining -= 1;
          await roundTrip();
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    return {
      ack_p50_ms: round(percentile(acks, 50)),
      ack_p95_ms: round(percentile(acks, 95)),
      e2e_p50_ms: round(percentile(e2e, 50)),
      e2e_p95_ms: round(percentile(e2e, 95)),
      answers_per_s: round(throughputRequests / seconds),
    };
  } finally {
    await slack.stop();
    await adapter.stop();
    await api.stop();
  }
}

function prefixed(prefix: string, values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`${prefix}${k}`, v]));
}

export async function runSlackBench(
  options: SlackBenchOptions = {},
): Promise<Record<string, number>> {
  const stub = await measure({
    ...options,
    sportello: slackSportello(),
    questions: ["Come vanno trattati i dati personali?"],
  });

  const engine = await openShippedEngine();
  const service = startTestService(engine.opened, { slack: { open: true } });
  try {
    const real = await measure({
      ...options,
      sportello: service.sportello,
      questions: realQuestions,
    });
    return {
      ...prefixed("slack_stub_", stub),
      ...prefixed("slack_real_", real),
      slack_concurrency: options.concurrency ?? 16,
    };
  } finally {
    await service.close();
    engine.remove();
  }
}
