// The Telegram adapter: wires grammY (long polling or webhook) to the Sportello facade, registers
// the bot's commands and the notification port, and stops without dropping answers in flight.
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import { autoRetry } from "@grammyjs/auto-retry";
import { Bot, type Context, GrammyError, webhookCallback } from "grammy";
import {
  type NotificationPort,
  type OutgoingNotification,
  type Sportello,
  SportelloError,
  say,
} from "../../src/index.js";
import { BoundedMap } from "./bounded-map.js";
import { CallbackCodec } from "./callback-data.js";
import { createHandlers, describeError } from "./handlers.js";
import { defaultRateLimit, RateLimiter, type RateLimitOptions } from "./rate-limit.js";
import { renderPlain } from "./render.js";
import { WorkQueue } from "./work-queue.js";

export { renderTelegramAnswer, type TelegramMessage } from "./render.js";
export { type TelegramConfigSection, type TelegramSettings, telegramSettings } from "./settings.js";

export interface TelegramWebhookOptions {
  /** Public HTTPS address Telegram posts updates to (what `setWebhook` registers). */
  url: string;
  /** Checked against `X-Telegram-Bot-Api-Secret-Token`; derived from the token when omitted. */
  secret?: string;
  /** Address the local HTTP server binds to; 127.0.0.1 by default (put a TLS proxy in front). */
  host?: string;
  /** Local port; 8443 by default. */
  port?: number;
  /** Local path that receives updates; the path of `url` by default. */
  path?: string;
}

export interface TelegramAdapterOptions {
  /** The token BotFather gave (TELEGRAM_BOT_TOKEN). */
  token: string;
  /** Another Bot API server (a local one, or the tests' fake); the official one by default. */
  apiRoot?: string;
  /** Webhook mode when set; long polling otherwise. */
  webhook?: TelegramWebhookOptions;
  sportello: Sportello;
  /** Per-user limit on messages; `{ limit: Infinity, windowMs: 1 }` disables it. */
  rateLimit?: RateLimitOptions;
  logger?: (line: string) => void;
  /** Called when long polling ends with an error after a successful start (for a restart). */
  onStopped?: (error: unknown) => void;
}

export interface TelegramAdapter {
  /** Resolves once the bot receives updates (polling started, or webhook registered). */
  start(): Promise<void>;
  /** Stops receiving updates and waits for the answers in flight. */
  stop(): Promise<void>;
  /** Resolves when no update is being handled (for tests and benchmarks). */
  idle(): Promise<void>;
  bot: Bot;
}

const ALLOWED_UPDATES = ["message", "callback_query"] as const;

function webhookSecretFor(token: string): string {
  // Telegram accepts 1-256 characters of A-Z a-z 0-9 _ -: base64url fits.
  return createHash("sha256").update(`sportello-webhook:${token}`).digest("base64url").slice(0, 40);
}

export function createTelegramAdapter(options: TelegramAdapterOptions): TelegramAdapter {
  const log = options.logger ?? ((line: string) => process.stderr.write(`${line}\n`));
  const bot = new Bot(
    options.token,
    options.apiRoot ? { client: { apiRoot: options.apiRoot } } : {},
  );
  bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 120 }));
  const work = new WorkQueue();
  const seenUpdates = new BoundedMap<number, true>(10_000);
  const rateLimiter = new RateLimiter(options.rateLimit ?? defaultRateLimit);
  const handlers = createHandlers({
    sportello: options.sportello,
    codec: new CallbackCodec(options.token),
    rateLimiter,
    log,
  });

  // Telegram redelivers an update when a webhook answer was late or lost: handle each once.
  bot.use(async (ctx, next) => {
    if (seenUpdates.has(ctx.update.update_id)) {
      log(`telegram: duplicate update ${ctx.update.update_id} ignored`);
      return;
    }
    seenUpdates.set(ctx.update.update_id, true);
    await next();
  });

  // The rest runs in the background, ordered per chat, so one slow answer holds up only its own
  // chat; this is also the one error boundary of the adapter.
  bot.use(async (ctx, next) => {
    const chatKey = String(ctx.chat?.id ?? ctx.from?.id ?? "none");
    await work.run(chatKey, async () => {
      try {
        await next();
      } catch (err) {
        log(`telegram: error on update ${ctx.update.update_id}: ${describeError(err)}`);
        await apologise(ctx).catch((sendErr: unknown) => {
          log(`telegram: could not send the apology: ${describeError(sendErr)}`);
        });
      }
    });
  });
  bot.use(handlers);

  bot.catch((err) => {
    log(`telegram: error on update ${err.ctx.update.update_id}: ${describeError(err.error)}`);
  });

  const notifier: NotificationPort = {
    channel: "telegram",
    async deliver(notification: OutgoingNotification): Promise<void> {
      const { chatId, threadId } = notification.address;
      const replyTo =
        threadId !== undefined && /^\d+$/.test(threadId) ? Number(threadId) : undefined;
      for (const [i, text] of renderPlain(notification.text).entries()) {
        await bot.api.sendMessage(chatId, text, {
          parse_mode: "HTML",
          link_preview_options: { is_disabled: true },
          ...(i === 0 && replyTo !== undefined
            ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }
            : {}),
        });
      }
    },
  };

  let polling: Promise<void> | undefined;
  let server: Server | undefined;
  let started = false;

  async function init(): Promise<void> {
    try {
      await bot.init();
    } catch (err) {
      if (err instanceof GrammyError && err.error_code === 401) {
        throw new SportelloError("CONFIG_INVALID", say("telegram.error_token_refused"), {
          cause: err,
        });
      }
      throw new SportelloError(
        "CONFIG_INVALID",
        say("telegram.error_unreachable", { detail: describeError(err) }),
        { cause: err },
      );
    }
    await bot.api
      .setMyCommands(
        (["start", "aiuto", "domanda", "fonte", "faq", "pendenti"] as const).map((command) => ({
          command,
          description: say(`telegram.command_${command}`),
        })),
      )
      .catch((err: unknown) => log(`telegram: setMyCommands failed: ${describeError(err)}`));
  }

  async function startPolling(): Promise<void> {
    let running = false;
    await new Promise<void>((resolve, reject) => {
      polling = bot
        .start({
          allowed_updates: [...ALLOWED_UPDATES],
          onStart: () => {
            running = true;
            resolve();
          },
        })
        .catch((err: unknown) => {
          log(`telegram: long polling stopped: ${describeError(err)}`);
          if (running) options.onStopped?.(err);
          else reject(err);
        });
    });
    log(`telegram: @${bot.botInfo.username} receiving updates by long polling`);
  }

  async function startWebhook(webhook: TelegramWebhookOptions): Promise<void> {
    const secret = webhook.secret ?? webhookSecretFor(options.token);
    const path = webhook.path ?? new URL(webhook.url).pathname;
    const callback = webhookCallback(bot, "http", { secretToken: secret, onTimeout: "return" });
    server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://localhost");
      if (req.method !== "POST" || url.pathname !== path) {
        res.writeHead(404).end();
        return;
      }
      callback(req, res).catch((err: unknown) => {
        log(`telegram: webhook request failed: ${describeError(err)}`);
        if (!res.headersSent) res.writeHead(400).end();
      });
    });
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once("error", reject);
      listening.listen(webhook.port ?? 8443, webhook.host ?? "127.0.0.1", () => resolve());
    });
    await bot.api.setWebhook(webhook.url, {
      secret_token: secret,
      allowed_updates: [...ALLOWED_UPDATES],
    });
    log(`telegram: @${bot.botInfo.username} receiving updates by webhook at ${webhook.url}`);
  }

  async function apologise(ctx: Context): Promise<void> {
    if (ctx.callbackQuery) {
      await ctx.answerCallbackQuery({ text: say("telegram.callback_error") });
    } else if (ctx.chat) {
      const [text = ""] = renderPlain(say("telegram.error_apology"));
      await bot.api.sendMessage(ctx.chat.id, text, { parse_mode: "HTML" });
    }
  }

  return {
    bot,
    idle: () => work.drain(),
    async start() {
      if (started) return;
      started = true;
      await init();
      options.sportello.registerNotifier(notifier);
      if (options.webhook) await startWebhook(options.webhook);
      else await startPolling();
    },
    async stop() {
      if (!started) return;
      started = false;
      if (server) {
        const closing = server;
        server = undefined;
        await new Promise<void>((resolve) => {
          closing.close(() => resolve());
          closing.closeIdleConnections();
        });
      }
      if (polling) {
        await bot.stop().catch((err: unknown) => log(`telegram: stop: ${describeError(err)}`));
        await polling.catch(() => undefined);
        polling = undefined;
      }
      await work.drain();
      log("telegram: stopped");
    },
  };
}
