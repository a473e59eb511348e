// `sportello serve` as a child process with the console, the Telegram bot (fake Bot API) and the
// Slack app (fake Web API, signed requests over HTTP): hostile Slack payloads must not take the
// process down, and a fault that escapes one adapter restarts that adapter only.
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeSlackWebApi } from "../slack/fake-web-api.js";
import { postSigned, signingSecret } from "../slack/slack-requests.js";
import { shippedKnowledge } from "../support/real-service.js";
import { FakeBotApi } from "../telegram/fake-bot-api.js";
import { buildCli, type CliBuild, repoRoot } from "./run-cli.js";

let build: CliBuild;
let dir: string;

beforeAll(() => {
  build = buildCli();
  dir = mkdtempSync(join(tmpdir(), "sportello-serve-"));
  cpSync(shippedKnowledge, join(dir, "knowledge"), { recursive: true });
}, 240_000);

afterAll(() => {
  build?.remove();
  rmSync(dir, { recursive: true, force: true });
});

/** A port free right now (the configuration does not take 0). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Served {
  child: ChildProcess;
  stderr: () => string;
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

function serve(env: Record<string, string>, args: string[] = []): Served {
  let stderr = "";
  const child = spawn(process.execPath, [...args, build.main, "serve"], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? "", HOME: dir, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  child.stdout?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  return {
    child,
    stderr: () => stderr,
    async waitFor(pattern) {
      const started = Date.now();
      for (;;) {
        const match = stderr.match(pattern);
        if (match) return match;
        if (child.exitCode !== null) throw new Error(`serve exited:\n${stderr}`);
        if (Date.now() - started > 90_000) throw new Error(`never logged ${pattern}:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

describe("sportello serve under hostile Slack payloads", () => {
  it("keeps the console, Telegram and Slack answering after signed null bodies", async () => {
    const telegram = await FakeBotApi.start();
    const slackApi = new FakeSlackWebApi();
    await slackApi.start();
    const configPath = join(dir, "sportello.config.yaml");
    writeFileSync(configPath, "telegram: { open: true }\nslack: { open: true }\n");
    const served = serve({
      SPORTELLO_CONFIG: configPath,
      SPORTELLO_DB: join(dir, "data", "sportello.db"),
      SPORTELLO_INDEX_DIR: join(dir, "index"),
      SPORTELLO_KNOWLEDGE: join(dir, "knowledge"),
      SPORTELLO_SECRET: "segreto-di-prova-per-serve-0123456789",
      CONSOLE_PORT: String(await freePort()),
      SLACK_PORT: String(await freePort()),
      SLACK_BOT_TOKEN: "xoxb-test-token",
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: slackApi.apiUrl,
      TELEGRAM_BOT_TOKEN: "123456:TEST-token_abc",
      TELEGRAM_API_ROOT: telegram.apiRoot,
    });
    try {
      const [, consoleUrl] = await served.waitFor(/Console web: (http:\/\/\S+?) /);
      const [, slackPort] = await served.waitFor(/App Slack attiva \(HTTP, porta (\d+)\)/);
      await served.waitFor(/Bot Telegram attivo/);
      const slackUrl = `http://127.0.0.1:${slackPort}/slack/events`;

      for (const post of [
        { body: "null", contentType: "application/json" },
        { body: "payload=null", contentType: "application/x-www-form-urlencoded" },
        { body: "null", contentType: "application/json" },
      ] as const) {
        expect((await postSigned(slackUrl, post)).status).toBe(400);
      }
      expect(served.child.exitCode).toBeNull();

      const page = await fetch(`${consoleUrl}`, { redirect: "manual" });
      expect(page.status).toBeLessThan(500);

      const chat = { id: 4242, type: "private" as const };
      await telegram.sendText(
        chat,
        { id: 4242, first_name: "Anna" },
        "Chi firma la convenzione per la Basilicata?",
      );
      await telegram.waitFor(() => telegram.messagesTo(4242).length > 0, "a Telegram answer");
      expect(telegram.messagesTo(4242)[0]?.text).toMatch(/Basilicata/);
      expect(served.stderr()).toMatch(/slack: request refused \(400\): body is not an object/);
      expect(served.stderr()).not.toMatch(/TypeError/);
    } finally {
      await served.stop();
      await telegram.close();
      await slackApi.stop();
    }
  }, 180_000);
});
