// Bounded load test on loopback: N questions (default 2,000, LOAD_QUESTIONS) over 16 connections
// through the web console's HTTP server and N through Slack HTTP (signed DM events), half of them
// unanswerable so the unanswered queue grows, run twice on the same store. Reports lost rows, the
// Slack ack p99 (Slack gives up after 3 s), throughput of round 2 against round 1, and the
// service's memory after each round against its memory after a warm-up.
//
// Memory is the service's own: the service (engine, store, console, Slack adapter) runs in a child
// process (load-service.ts), the clients and Slack's stand-in here. The baseline is taken after a
// warm-up of LOAD_WARMUP questions per channel (default 200): lazily loaded modules, compiled
// code, SQLite's page cache and the allocator's arenas are paid once, not per question, so they
// are not growth. Each figure follows two full collections in the child (it runs with
// --expose-gc); `after` is taken once the service has been idle for LOAD_SETTLE_MS (default 5 s).
// LOAD_SNAPSHOTS=<folder> also writes heap snapshots at the baseline and after, to compare in
// Chrome's DevTools. Run alone: npm run build && node dist/tests/bench/load.js
import { type ChildProcess, fork } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { percentile } from "../../src/eval/evaluate.js";
import { FakeSlackWebApi } from "../slack/fake-web-api.js";
import { eventEnvelope, messageEvent } from "../slack/slack-requests.js";
import type { LoadServiceMemory, LoadServiceReady, LoadServiceRequest } from "./load-service.js";
import { loadServicePassword } from "./load-service.js";
import { startSlackSide } from "./slack.js";

const connections = 16;
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

const answerable = [
  "Come vengono trattati i dati personali nella convenzione con la Basilicata?",
  "Quanti navigator lavorano in Emilia-Romagna?",
  "Chi firma la convenzione tra ANPAL Servizi e la Regione Basilicata?",
  "Chi paga l'INAIL del tirocinio?",
];
const unanswerableTopics = [
  "parcheggio dell'ufficio",
  "stampante del terzo piano",
  "mensa aziendale",
  "badge smarrito",
  "ferie estive del personale",
  "rimborso del taxi",
];

/** Question i: even ones answerable, odd ones not (varied, so the queue holds many groups). */
function questionFor(i: number, roundNo: number): string {
  if (i % 2 === 0) return answerable[(i / 2) % answerable.length] ?? "";
  const topic = unanswerableTopics[i % unanswerableTopics.length];
  return `Come funziona il ${topic} numero ${roundNo * 100_000 + i} della sede?`;
}

const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

/** The service in its child process, and a request/reply over IPC. */
async function startLoadService(apiUrl: string) {
  const script = fileURLToPath(new URL("./load-service.js", import.meta.url));
  const child: ChildProcess = fork(script, [apiUrl], {
    execArgv: ["--expose-gc"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = await new Promise<LoadServiceReady>((resolve, reject) => {
    child.once("message", (message) => resolve(message as LoadServiceReady));
    child.once("exit", (code) => reject(new Error(`bench load: service exited (${code})`)));
  });
  let ids = 0;
  const waiting = new Map<number, (value: unknown) => void>();
  child.on("message", (message: { id?: number; value?: unknown }) => {
    if (message.id === undefined) return;
    waiting.get(message.id)?.(message.value);
    waiting.delete(message.id);
  });
  type Request = LoadServiceRequest extends infer R
    ? R extends unknown
      ? Omit<R, "id">
      : never
    : never;
  const call = <T>(request: Request): Promise<T> => {
    const id = ++ids;
    return new Promise<T>((resolve) => {
      waiting.set(id, resolve as (value: unknown) => void);
      child.send({ ...request, id });
    });
  };
  return {
    ...ready,
    memory: () => call<LoadServiceMemory>({ type: "memory" }),
    questions: () => call<{ logged: number; groups: number }>({ type: "questions" }),
    snapshot: (path: string) => call<string>({ type: "snapshot", path }),
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      await call({ type: "stop" });
      await exited;
    },
  };
}

/** Runs `total` jobs over `connections` workers; resolves with the wall time in ms. */
async function pool(total: number, job: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      for (let i = next++; i < total; i = next++) await job(i);
    }),
  );
  return performance.now() - started;
}

export async function runLoadBench(): Promise<Record<string, number>> {
  const total = Number(process.env.LOAD_QUESTIONS ?? 2000);
  const warmup = Number(process.env.LOAD_WARMUP ?? 200);
  const settleMs = Number(process.env.LOAD_SETTLE_MS ?? 5000);
  const snapshots = process.env.LOAD_SNAPSHOTS;
  const api = new FakeSlackWebApi();
  await api.start();
  const slackSide = startSlackSide();
  const service = await startLoadService(api.apiUrl);

  let cookie = "";
  let resets = 0;
  const request = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (cookie) headers.set("cookie", cookie);
    const send = () =>
      fetch(`${service.consoleUrl}${path}`, { ...init, headers, redirect: "manual" });
    // A kept-alive connection the server closed after 5 idle seconds (the console sits idle
    // while Slack's half runs) can be reset as it is reused: sent again once, and counted. Had
    // the server read it, the lost rows would go below zero.
    const response = await send().catch((error: unknown) => {
      if ((error as { cause?: { code?: string } }).cause?.code !== "ECONNRESET") throw error;
      resets++;
      return send();
    });
    const set = response.headers.get("set-cookie");
    if (set) cookie = set.split(";")[0] ?? "";
    return { status: response.status, text: await response.text() };
  };
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
  let token = "";

  /** `count` questions through each channel; the wall times, the Slack acks, the rows missing. */
  const runRound = async (roundNo: number, count: number) => {
    const before = (await service.questions()).logged;
    const consoleMs = await pool(count, async (i) => {
      const { status } = await request("/chiedi", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: token, domanda: questionFor(i, roundNo) }).toString(),
      });
      if (status !== 303) throw new Error(`bench load: console answered ${status}`);
    });
    const acks: number[] = [];
    const slackStarted = performance.now();
    await pool(count, async (i) => {
      const body = JSON.stringify(
        eventEnvelope(
          messageEvent(questionFor(i, roundNo + 10), { channel: "DLOAD", channelType: "im" }),
          `EvLoad${roundNo}-${i}`,
        ),
      );
      const sent = await slackSide.post(service.slackUrl, body);
      if (sent.status !== 200) throw new Error(`bench load: Slack ack ${sent.status}`);
      acks.push(sent.acked - sent.sent);
    });
    // Answers follow the acks: wait until every question is logged (or 10 minutes pass).
    let logged = 0;
    for (let waited = 0; waited < 600_000; waited += 100) {
      logged = (await service.questions()).logged - before;
      if (logged >= 2 * count) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const slackMs = performance.now() - slackStarted;
    // The bench's own record of Slack's calls is not the service's memory, but it adds up.
    api.calls.length = 0;
    acks.sort((a, b) => a - b);
    const reset = resets;
    resets = 0;
    return { consoleMs, slackMs, acks, lost: 2 * count - logged, reset };
  };

  const figures: Record<string, number> = { load_questions_per_channel_round: total };
  const memoryFigures = async (name: string) => {
    const memory = await service.memory();
    figures[`load_rss_${name}_mb`] = mb(memory.rss);
    figures[`load_heap_${name}_mb`] = mb(memory.heapUsed);
    figures[`load_heap_total_${name}_mb`] = mb(memory.heapTotal);
    figures[`load_external_${name}_mb`] = mb(memory.external);
    figures[`load_rss_peak_${name}_mb`] = mb(memory.peakRss);
    figures[`load_heap_peak_${name}_mb`] = mb(memory.peakHeapUsed);
    if (memory.rssAnon !== undefined) figures[`load_rss_anon_${name}_mb`] = mb(memory.rssAnon);
    if (memory.rssFile !== undefined) figures[`load_rss_file_${name}_mb`] = mb(memory.rssFile);
    return memory;
  };
  try {
    await memoryFigures("started");
    const signIn = await request("/accedi", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        _csrf: csrfOf((await request("/accedi")).text),
        utente: loadServicePassword.user,
        password: loadServicePassword.password,
      }).toString(),
    });
    if (signIn.status !== 303) throw new Error(`bench load: sign-in failed (${signIn.status})`);
    token = csrfOf((await request("/chiedi")).text);
    if (warmup > 0) await runRound(0, warmup);
    const baseline = await memoryFigures("baseline");
    if (snapshots) {
      mkdirSync(snapshots, { recursive: true });
      await service.snapshot(join(snapshots, "load-baseline.heapsnapshot"));
    }
    const rssAfterRound: number[] = [];
    for (const roundNo of [1, 2]) {
      const run = await runRound(roundNo, total);
      figures[`load_round${roundNo}_lost_rows`] = run.lost;
      figures[`load_round${roundNo}_console_resets`] = run.reset;
      figures[`load_round${roundNo}_console_per_s`] = round((total / run.consoleMs) * 1000, 1);
      figures[`load_round${roundNo}_slack_per_s`] = round((total / run.slackMs) * 1000, 1);
      figures[`load_round${roundNo}_slack_ack_p50_ms`] = round(percentile(run.acks, 50));
      figures[`load_round${roundNo}_slack_ack_p99_ms`] = round(percentile(run.acks, 99));
      figures[`load_round${roundNo}_queue_groups`] = (await service.questions()).groups;
      rssAfterRound.push((await memoryFigures(`round${roundNo}`)).rss);
      // Each round's figures as soon as they exist, for a run stopped halfway.
      console.error(
        Object.entries(figures)
          .filter(([key]) => key.includes(`_round${roundNo}`))
          .map(([key, value]) => `${key}=${value}`)
          .join(" "),
      );
    }
    const r1 = (figures.load_round1_console_per_s ?? 0) + (figures.load_round1_slack_per_s ?? 0);
    const r2 = (figures.load_round2_console_per_s ?? 0) + (figures.load_round2_slack_per_s ?? 0);
    figures.load_round2_vs_round1_throughput = round(r2 / r1, 3);
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const after = await memoryFigures("after");
    if (snapshots) await service.snapshot(join(snapshots, "load-after.heapsnapshot"));
    figures.load_rss_after_vs_baseline = round(after.rss / baseline.rss, 3);
    // What the second round added on top of the first: near zero when memory is bounded.
    figures.load_rss_round2_vs_round1 = round((rssAfterRound[1] ?? 0) / (rssAfterRound[0] ?? 1), 3);
  } finally {
    await service.stop();
    await slackSide.stop();
    await api.stop();
  }
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const figures = await runLoadBench();
  for (const [key, value] of Object.entries(figures)) console.log(`  ${key.padEnd(40)} ${value}`);
}
