// `sportello serve` (and `npm start`): the web console on 127.0.0.1, plus the Telegram and Slack
// bots when their tokens are configured, all on one service. SIGINT/SIGTERM stop taking new
// questions, let the answers in flight finish, then close the store.

// Deep on purpose: the watcher serves `serve` alone, and re-exported from src/index.ts it would be
// bundled onto the cold `ask` path (biome.json allows this one path).
import { watchKnowledge } from "../../src/answer/watch.js";
import {
  type OpenedEngine,
  type SportelloApp,
  type SportelloConfig,
  SportelloError,
  say,
} from "../../src/index.js";
import { createSupervisor } from "./supervise.js";

export interface ServeOptions {
  config: SportelloConfig;
  opened: OpenedEngine;
  app: SportelloApp;
  log: (line: string) => void;
}

export async function runServe({ config, opened, app, log }: ServeOptions): Promise<void> {
  // One adapter's fault is logged and that adapter restarted; the others keep serving.
  const supervisor = createSupervisor({ log });

  // Adapters are imported only when they are used, so a console-only start stays light.
  const web = await import("../web/index.js");
  let consoleStarted: { url: string; localSignInUrl?: string | undefined } | undefined;
  let consoleServer: ReturnType<typeof web.createConsoleForApp> | undefined;
  await supervisor.add({
    name: "console",
    owns: [
      /[\\/]adapters[\\/]web[\\/]/,
      /[\\/]parts[\\/]web\.js/,
      /[\\/]node_modules[\\/](hono|@hono)[\\/]/,
    ],
    async start() {
      // Document changes from the console reach the engine through app.library's hook.
      consoleServer = web.createConsoleForApp({ app, config, logger: web.lineLogger(log) });
      consoleStarted = await consoleServer.start();
    },
    stop: async () => consoleServer?.stop(),
  });
  const { url, localSignInUrl } = consoleStarted ?? { url: "" };
  // Documents ingested from the CLI while the service runs are picked up without a restart.
  const watcher = watchKnowledge(opened, {
    knowledgeDir: config.knowledgeDir,
    onChange: ({ added, removed }) => {
      log(say("cli.serve_knowledge_updated", { added: added.length, removed: removed.length }));
    },
    onError: (error) => log(say("cli.error", { message: (error as Error).message })),
  });
  log(say("cli.serve_console", { url }));
  if (localSignInUrl) log(say("web.local.serve_link", { url: localSignInUrl }));
  else if (web.consoleUsers(config).length === 0) log(say("cli.serve_console_no_users"));

  const telegram = await import("../telegram/index.js");
  const telegramSettings = telegram.telegramSettings(config.telegram, {
    host: config.telegram.webhookHost,
    port: config.telegram.webhookPort,
  });
  if (telegramSettings) {
    let bot: ReturnType<typeof telegram.createTelegramAdapter> | undefined;
    await supervisor.add({
      name: "telegram",
      owns: [
        /[\\/]adapters[\\/]telegram[\\/]/,
        /[\\/]parts[\\/]telegram\.js/,
        /[\\/]node_modules[\\/](grammy|@grammyjs)[\\/]/,
      ],
      async start() {
        bot = telegram.createTelegramAdapter({
          ...telegramSettings,
          sportello: app,
          logger: log,
          onStopped: (error) => supervisor.fault("telegram", error),
        });
        await bot.start();
      },
      stop: async () => bot?.stop(),
    });
    log(
      say(telegramSettings.webhook ? "cli.serve_telegram_webhook" : "cli.serve_telegram_polling"),
    );
  }

  if (config.slack.botToken) {
    if (!config.slack.appToken && !config.slack.signingSecret) {
      throw new SportelloError(
        "CONFIG_INVALID",
        "slack: SLACK_BOT_TOKEN is set but neither SLACK_SIGNING_SECRET (HTTP mode) nor SLACK_APP_TOKEN (Socket Mode) is: set one of them",
      );
    }
    const slack = await import("../slack/index.js");
    const botToken = config.slack.botToken;
    let adapter: ReturnType<typeof slack.createSlackAdapter> | undefined;
    await supervisor.add({
      name: "slack",
      owns: [
        /[\\/]adapters[\\/]slack[\\/]/,
        /[\\/]parts[\\/]slack\.js/,
        /[\\/]node_modules[\\/]@slack[\\/]/,
      ],
      async start() {
        adapter = slack.createSlackAdapter({
          botToken,
          ...(config.slack.signingSecret ? { signingSecret: config.slack.signingSecret } : {}),
          ...(config.slack.appToken ? { appToken: config.slack.appToken } : {}),
          port: config.slack.port,
          ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
          sportello: app,
          logger: log,
        });
        await adapter.start();
      },
      stop: async () => adapter?.stop(),
    });
    const address = adapter?.address();
    log(
      adapter?.mode === "socket"
        ? say("cli.serve_slack_socket")
        : say("cli.serve_slack_http", { port: address?.port ?? config.slack.port }),
    );
  }
  if (!telegramSettings && !config.slack.botToken) log(say("cli.serve_no_bots"));

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log(say("cli.serve_stopping", { signal }));
      // Bots first, so no new question arrives while the console and the store close.
      watcher.stop();
      await supervisor.stopAll();
      await app.close();
      resolve();
    };
    process.once("SIGINT", () => void stop("SIGINT"));
    process.once("SIGTERM", () => void stop("SIGTERM"));
  });
}
