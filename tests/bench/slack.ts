// Slack adapter benchmark: a signed Events API request into Bolt's HTTP receiver on loopback →
// the answer's chat.postMessage arriving at the fake Web API. Measures the ack time Slack sees,
// the end-to-end latency, and the answers per second sustained with concurrent requests.
import { performance } from "node:perf_hooks";
import { createSlackAdapter, slackEventsPath } from "../../adapters/slack/index.js";
import type { Sportello } from "../../src/service.js";
import { FakeSportello } from "../slack/fake-sportello.js";
import { FakeSlackWebApi } from "../slack/fake-web-api.js";
import { eventEnvelope, mentionEvent, postSigned } from "../slack/slack-requests.js";

export interface SlackBenchOptions {
  /** The service to answer with; default a fixed-answer fake, measuring the adapter alone. */
  sportello?: Sportello;
  questions?: string[];
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

export async function runSlackBench(
  options: SlackBenchOptions = {},
): Promise<Record<string, number>> {
  const sportello = options.sportello ?? new FakeSportello();
  const questions = options.questions ?? ["Come vanno trattati i dati personali?"];
  const latencyRuns = options.latencyRuns ?? 200;
  const throughputRequests = options.throughputRequests ?? 500;
  const concurrency = options.concurrency ?? 16;

  const api = new FakeSlackWebApi();
  await api.start();
  const adapter = createSlackAdapter({
    botToken: "xoxb-bench",
    signingSecret: "8f742231b10e8888abcd99yyyzzz85a5",
    port: 0,
    apiUrl: api.apiUrl,
    sportello,
    logger: () => {},
  });
  await adapter.start();
  const url = `http://127.0.0.1:${adapter.address()?.port}${slackEventsPath}`;

  let n = 0;
  /** One mention; resolves with the ack and end-to-end times in ms. */
  async function roundTrip(): Promise<{ ack: number; e2e: number }> {
    n += 1;
    const ts = `1700${String(n).padStart(6, "0")}.000100`;
    const question = questions[n % questions.length] ?? "dati personali";
    const body = JSON.stringify(eventEnvelope(mentionEvent(question, { ts }), `EvBench${n}`));
    const started = performance.now();
    const answered = api.waitFor("chat.postMessage", (c) => c.args.thread_ts === ts);
    const { status } = await postSigned(url, { body, contentType: "application/json" });
    const ack = performance.now() - started;
    if (status !== 200) throw new Error(`slack bench: receiver answered ${status}`);
    const [post] = await answered;
    return { ack, e2e: (post?.hrAt ?? Number.NaN) - started };
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
      slack_ack_p50_ms: round(percentile(acks, 50)),
      slack_ack_p95_ms: round(percentile(acks, 95)),
      slack_e2e_p50_ms: round(percentile(e2e, 50)),
      slack_e2e_p95_ms: round(percentile(e2e, 95)),
      slack_answers_per_s: round(throughputRequests / seconds),
      slack_concurrency: concurrency,
    };
  } finally {
    await adapter.stop();
    await api.stop();
  }
}
