// The service side of the load bench, in a process of its own so that its memory is the
// service's alone (not the bench's HTTP clients, Slack's stand-in or the recorded calls): the
// real service on the shipped corpus with the web console and the Slack HTTP adapter, driven by
// the parent over IPC (`ready`, then `memory`, `questions`, `snapshot`, `stop`).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { writeHeapSnapshot } from "node:v8";
import { serve } from "@hono/node-server";
import { createSlackAdapter, slackEventsPath } from "../../adapters/slack/index.js";
import { fileCredentialStore, setConsolePassword } from "../../adapters/web/auth/passwords.js";
import { createConsole } from "../../adapters/web/console.js";
import { corpusDocuments } from "../../adapters/web/documents.js";
import { openShippedEngine, startTestService } from "../support/real-service.js";

export interface LoadServiceReady {
  type: "ready";
  consoleUrl: string;
  slackUrl: string;
}

export interface LoadServiceMemory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** Linux only (/proc/self/status): resident anonymous memory (heap, malloc) and mapped files. */
  rssAnon?: number;
  rssFile?: number;
  /** The highest RSS and JS heap seen since the previous reading (sampled every 250 ms). */
  peakRss: number;
  peakHeapUsed: number;
}

/** RssAnon and RssFile of /proc/self/status in bytes, where there is one. */
function residentParts(): { rssAnon?: number; rssFile?: number } {
  try {
    const status = readFileSync("/proc/self/status", "utf8");
    const kb = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1]);
    const rssAnon = kb("RssAnon") * 1024;
    const rssFile = kb("RssFile") * 1024;
    return Number.isFinite(rssAnon) && Number.isFinite(rssFile) ? { rssAnon, rssFile } : {};
  } catch {
    return {};
  }
}

export type LoadServiceRequest =
  | { id: number; type: "memory" }
  | { id: number; type: "questions" }
  | { id: number; type: "snapshot"; path: string }
  | { id: number; type: "stop" };

export const loadServicePassword = { user: "carla", password: "password-di-carla" } as const;

async function main(apiUrl: string): Promise<void> {
  const engine = await openShippedEngine();
  const service = startTestService(engine.opened, {
    roles: { operators: ["web:carla", "slack:UOPER"] },
    slack: { open: true },
  });
  const dir = mkdtempSync(join(tmpdir(), "sportello-load-"));
  const slack = createSlackAdapter({
    botToken: "xoxb-load",
    signingSecret: "8f742231b10e8888abcd99yyyzzz85a5",
    port: 0,
    apiUrl,
    sportello: service.sportello,
    logger: () => {},
  });
  await slack.start();
  const credentials = fileCredentialStore(join(dir, "console-users.json"));
  await setConsolePassword({
    credentials,
    ...loadServicePassword,
    knownUsers: [loadServicePassword.user],
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

  // Peaks between readings: a burst that is freed by the end of a round shows here only.
  const peak = { rss: 0, heapUsed: 0 };
  const sampler = setInterval(() => {
    const { rss, heapUsed } = process.memoryUsage();
    peak.rss = Math.max(peak.rss, rss);
    peak.heapUsed = Math.max(peak.heapUsed, heapUsed);
  }, 250);
  sampler.unref();

  const stop = async () => {
    await slack.stop();
    await new Promise((resolve) => server.close(resolve));
    await web.stop();
    clearInterval(sampler);
    await service.close();
    engine.remove();
    rmSync(dir, { recursive: true, force: true });
  };

  process.on("message", async (request: LoadServiceRequest) => {
    const reply = (value: unknown) => process.send?.({ id: request.id, value });
    if (request.type === "memory") {
      // A full collection first (the child runs with --expose-gc), so that what is counted is
      // what is still referenced, not garbage the collector has not reached yet.
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
      const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
      reply({
        rss,
        heapUsed,
        heapTotal,
        external,
        arrayBuffers,
        ...residentParts(),
        peakRss: Math.max(peak.rss, rss),
        peakHeapUsed: Math.max(peak.heapUsed, heapUsed),
      } satisfies LoadServiceMemory);
      peak.rss = 0;
      peak.heapUsed = 0;
    } else if (request.type === "questions") {
      reply({
        logged: service.sportello.curation.stats().totals.questions,
        groups: service.sportello.curation.listUnanswered({ limit: 1 }).total,
      });
    } else if (request.type === "snapshot") {
      reply(writeHeapSnapshot(request.path));
    } else {
      await stop();
      reply(true);
      process.disconnect?.();
    }
  });
  process.send?.({
    type: "ready",
    consoleUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    slackUrl: `http://127.0.0.1:${slack.address()?.port}${slackEventsPath}`,
  } satisfies LoadServiceReady);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href && process.argv[2]) {
  await main(process.argv[2]);
}
