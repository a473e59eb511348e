// Benchmark of the Telegram adapter: end-to-end latency (update handed to the bot → sendMessage
// received by the Bot API) and sustained messages per second, with real grammY against the fake
// Bot API server on 127.0.0.1. Measured twice: on a stand-in service (the adapter's own cost) and
// on the real service (engine on knowledge/, SQLite store in a temporary folder).
import { performance } from "node:perf_hooks";
import { createTelegramAdapter } from "../../adapters/telegram/index.js";
import type { Sportello } from "../../src/service.js";
import { openShippedEngine, startTestService } from "../support/real-service.js";
import { telegramSportello } from "../telegram/answers.js";
import { FakeBotApi, type FakeUser } from "../telegram/fake-bot-api.js";
import { freePort } from "../telegram/harness.js";

const questions = [
  "Come vengono trattati i dati personali nella convenzione con la Basilicata?",
  "Quanti navigator lavorano in Emilia-Romagna?",
  "Cosa prevede la linea 19 del piano?",
  "Chi firma la convenzione tra ANPAL Servizi e la Regione Basilicata?",
  "Come si richiede il bonus asilo nido per i tirocinanti?",
  "Chi paga l'INAIL del tirocinio?",
];

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

const round = (n: number) => Math.round(n * 100) / 100;

interface Measure {
  p50: number;
  p95: number;
  messagesPerSecond: number;
}

async function measure(
  sportello: Sportello,
  users: FakeUser[],
  mode: "polling" | "webhook",
): Promise<Measure> {
  const api = await FakeBotApi.start();
  const webhookPort = mode === "webhook" ? await freePort() : 0;
  const adapter = createTelegramAdapter({
    token: api.token,
    apiRoot: api.apiRoot,
    sportello,
    rateLimit: { limit: Number.POSITIVE_INFINITY, windowMs: 1 },
    logger: () => {},
    ...(mode === "webhook"
      ? { webhook: { url: `http://127.0.0.1:${webhookPort}/hook`, port: webhookPort } }
      : {}),
  });
  await adapter.start();
  try {
    const [first] = users;
    if (!first) throw new Error("bench: no users");
    const chat = { id: first.id, type: "private" as const };
    // Latency: one question at a time, from the update handed over to the first sendMessage.
    const latencies: number[] = [];
    const rounds = 200;
    for (let i = 0; i < rounds + 20; i++) {
      const before = api.messagesTo(chat.id).length;
      const started = performance.now();
      await api.sendText(chat, first, questions[i % questions.length] ?? "");
      const reply = await api.waitFor(() => api.messagesTo(chat.id)[before], "reply");
      if (i >= 20) latencies.push(reply.at - started); // the first 20 warm up the JIT
      await adapter.idle();
    }
    latencies.sort((a, b) => a - b);

    // Throughput: a burst from many users at once, until every question has its first reply.
    const burst = 1000;
    const sentBefore = api.sent.length;
    const startedBurst = performance.now();
    const pushes: Array<Promise<unknown>> = [];
    for (let i = 0; i < burst; i++) {
      const user = users[i % users.length] ?? first;
      pushes.push(
        api.sendText({ id: user.id, type: "private" }, user, questions[i % questions.length] ?? ""),
      );
    }
    await Promise.all(pushes);
    await api.waitFor(() => api.sent.length - sentBefore >= burst, "burst answered", 120_000);
    const lastAt = Math.max(...api.sent.slice(sentBefore).map((m) => m.at));
    await adapter.idle();
    return {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      messagesPerSecond: burst / ((lastAt - startedBurst) / 1000),
    };
  } finally {
    await adapter.stop();
    await api.close();
  }
}

export async function runTelegramBench(): Promise<Record<string, number>> {
  const users: FakeUser[] = Array.from({ length: 50 }, (_, i) => ({
    id: 5000 + i,
    first_name: `U${i}`,
  }));
  const roles = Object.fromEntries(users.map((u) => [String(u.id), ["operator" as const]]));
  const results: Record<string, number> = {};

  const stand = await measure(telegramSportello(roles), users, "polling");
  results.telegram_adapter_polling_p50_ms = round(stand.p50);
  results.telegram_adapter_polling_p95_ms = round(stand.p95);
  results.telegram_adapter_polling_msgs_per_s = round(stand.messagesPerSecond);
  const hook = await measure(telegramSportello(roles), users, "webhook");
  results.telegram_adapter_webhook_p50_ms = round(hook.p50);
  results.telegram_adapter_webhook_p95_ms = round(hook.p95);
  results.telegram_adapter_webhook_msgs_per_s = round(hook.messagesPerSecond);

  const engine = await openShippedEngine();
  const service = startTestService(engine.opened, {
    roles: { operators: users.map((u) => `telegram:${u.id}`) },
  });
  try {
    const real = await measure(service.sportello, users, "polling");
    results.telegram_e2e_polling_p50_ms = round(real.p50);
    results.telegram_e2e_polling_p95_ms = round(real.p95);
    results.telegram_e2e_polling_msgs_per_s = round(real.messagesPerSecond);
  } finally {
    await service.close();
    engine.remove();
  }
  return results;
}

// `node dist/tests/bench/telegram.js` runs it alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  runTelegramBench().then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
