// Bounded load test on loopback: N questions (default 2,000, LOAD_QUESTIONS) over 16 connections
// through the web console's HTTP server and N through Slack HTTP (signed DM events), half of them
// unanswerable so the unanswered queue grows, run twice on the same store. Reports lost rows, the
// Slack ack p99 (Slack gives up after 3 s), throughput of round 2 against round 1, and RSS after
// against before. Run alone: npm run build && node --expose-gc dist/tests/bench/load.js
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { serve } from "@hono/node-server";
import { createSlackAdapter, slackEventsPath } from "../../adapters/slack/index.js";
import { fileCredentialStore, setConsolePassword } from "../../adapters/web/auth/passwords.js";
import { createConsole } from "../../adapters/web/console.js";
import { corpusDocuments } from "../../adapters/web/documents.js";
import { percentile } from "../../src/eval/evaluate.js";
import { FakeSlackWebApi } from "../slack/fake-web-api.js";
import { eventEnvelope, messageEvent } from "../slack/slack-requests.js";
import { openShippedEngine, startTestService } from "../support/real-service.js";
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

function rssMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return round(process.memoryUsage().rss / 1024 / 1024, 1);
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
  const engine = await openShippedEngine();
  const service = startTestService(engine.opened, {
    roles: { operators: ["web:carla", "slack:UOPER"] },
    slack: { open: true },
  });
  const dir = mkdtempSync(join(tmpdir(), "sportello-load-"));
  const api = new FakeSlackWebApi();
  await api.start();
  const slackSide = startSlackSide();
  const slack = createSlackAdapter({
    botToken: "xoxb-load",
    signingSecret: "8f742231b10e8888abcd99yyyzzz85a5",
    port: 0,
    apiUrl: api.apiUrl,
    sportello: service.sportello,
    logger: () => {},
  });
  await slack.start();
  const slackUrl = `http://127.0.0.1:${slack.address()?.port}${slackEventsPath}`;

  const credentials = fileCredentialStore(join(dir, "console-users.json"));
  await setConsolePassword({
    credentials,
    user: "carla",
    password: "password-di-carla",
    knownUsers: ["carla"],
    cost: { N: 1024, r: 8, p: 1 },
  });
  const web = createConsole({
    sportello: service.sportello,
    curation: service.sportello.curation,
    documents: corpusDocuments({ corpus: () => engine.opened.corpus }),
    credentials,
  });
  const server = serve({ fetch: web.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  const consoleUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let cookie = "";
  const request = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (cookie) headers.set("cookie", cookie);
    const response = await fetch(`${consoleUrl}${path}`, { ...init, headers, redirect: "manual" });
    const set = response.headers.get("set-cookie");
    if (set) cookie = set.split(";")[0] ?? "";
    return { status: response.status, text: await response.text() };
  };
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
  const signIn = await request("/accedi", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      _csrf: csrfOf((await request("/accedi")).text),
      utente: "carla",
      password: "password-di-carla",
    }).toString(),
  });
  if (signIn.status !== 303) throw new Error(`bench load: sign-in failed (${signIn.status})`);
  const token = csrfOf((await request("/chiedi")).text);

  const figures: Record<string, number> = { load_questions_per_channel_round: total };
  const rssBefore = rssMb();
  try {
    for (const roundNo of [1, 2]) {
      const before = service.sportello.curation.stats().totals.questions;
      const consoleMs = await pool(total, async (i) => {
        const { status } = await request("/chiedi", {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ _csrf: token, domanda: questionFor(i, roundNo) }).toString(),
        });
        if (status !== 303) throw new Error(`bench load: console answered ${status}`);
      });
      const acks: number[] = [];
      const slackStarted = performance.now();
      await pool(total, async (i) => {
        const body = JSON.stringify(
          eventEnvelope(
            messageEvent(questionFor(i, roundNo + 10), { channel: "DLOAD", channelType: "im" }),
            `EvLoad${roundNo}-${i}`,
          ),
        );
        const sent = await slackSide.post(slackUrl, body);
        if (sent.status !== 200) throw new Error(`bench load: Slack ack ${sent.status}`);
        acks.push(sent.acked - sent.sent);
      });
      // Answers follow the acks: wait until every question is logged (or 10 minutes pass).
      const logged = () => service.sportello.curation.stats().totals.questions - before;
      for (let waited = 0; logged() < 2 * total && waited < 600_000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const slackMs = performance.now() - slackStarted;
      const after = service.sportello.curation.stats().totals.questions;
      acks.sort((a, b) => a - b);
      figures[`load_round${roundNo}_lost_rows`] = 2 * total - (after - before);
      figures[`load_round${roundNo}_console_per_s`] = round((total / consoleMs) * 1000, 1);
      figures[`load_round${roundNo}_slack_per_s`] = round((total / slackMs) * 1000, 1);
      figures[`load_round${roundNo}_slack_ack_p50_ms`] = round(percentile(acks, 50));
      figures[`load_round${roundNo}_slack_ack_p99_ms`] = round(percentile(acks, 99));
      figures[`load_round${roundNo}_queue_groups`] = service.sportello.curation.listUnanswered({
        limit: 1,
      }).total;
      // Each round's figures as soon as they exist, for a run stopped halfway.
      console.error(
        Object.entries(figures)
          .filter(([key]) => key.startsWith(`load_round${roundNo}`))
          .map(([key, value]) => `${key}=${value}`)
          .join(" "),
      );
    }
    const r1 = (figures.load_round1_console_per_s ?? 0) + (figures.load_round1_slack_per_s ?? 0);
    const r2 = (figures.load_round2_console_per_s ?? 0) + (figures.load_round2_slack_per_s ?? 0);
    figures.load_round2_vs_round1_throughput = round(r2 / r1, 3);
    figures.load_rss_before_mb = rssBefore;
    figures.load_rss_after_mb = rssMb();
    figures.load_rss_after_vs_before = round(figures.load_rss_after_mb / rssBefore, 3);
  } finally {
    await slack.stop();
    await slackSide.stop();
    await api.stop();
    await new Promise((resolve) => server.close(resolve));
    await web.stop();
    await service.close();
    engine.remove();
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const figures = await runLoadBench();
  for (const [key, value] of Object.entries(figures)) console.log(`  ${key.padEnd(40)} ${value}`);
}
