// Starts the real adapter (real grammY) against the fake Bot API server, by long polling or by
// webhook, and tears both down. People and chats the tests use.
import { createServer } from "node:net";
import { createTelegramAdapter, type TelegramAdapter } from "../../adapters/telegram/index.js";
import type { RateLimitOptions } from "../../adapters/telegram/rate-limit.js";
import type { Sportello } from "../../src/service.js";
import {
  FakeBotApi,
  type FakeChat,
  type FakeUpdate,
  type FakeUser,
  type SentMessage,
} from "./fake-bot-api.js";

export const navigator: FakeUser = { id: 1001, first_name: "Giulia", username: "giulia_nav" };
export const trainer: FakeUser = { id: 1002, first_name: "Marco", username: "marco_formatore" };
export const stranger: FakeUser = { id: 6666, first_name: "Ignoto" };
export const privateChat = (user: FakeUser): FakeChat => ({ id: user.id, type: "private" });
export const teamGroup: FakeChat = {
  id: -1001234567890,
  type: "supergroup",
  title: "Navigator Basilicata",
};

export interface Running {
  api: FakeBotApi;
  adapter: TelegramAdapter;
  logs: string[];
  stop(): Promise<void>;
  /** Resolves once the bot has taken `update` and finished all the work it caused. */
  settled(update: FakeUpdate): Promise<void>;
  /** The first message the bot sends to `chatId` after `afterCount` earlier ones. */
  nextMessage(chatId: number, afterCount?: number): Promise<SentMessage>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

export async function startBot(options: {
  sportello: Sportello;
  mode?: "polling" | "webhook";
  rateLimit?: RateLimitOptions;
  webhookSecret?: string;
  api?: FakeBotApi;
}): Promise<Running> {
  const api = options.api ?? (await FakeBotApi.start());
  const logs: string[] = [];
  let webhook: { url: string; secret?: string; port: number } | undefined;
  if (options.mode === "webhook") {
    const port = await freePort();
    webhook = { url: `http://127.0.0.1:${port}/telegram/hook`, port };
    if (options.webhookSecret) webhook.secret = options.webhookSecret;
  }
  const adapter = createTelegramAdapter({
    token: api.token,
    apiRoot: api.apiRoot,
    sportello: options.sportello,
    rateLimit: options.rateLimit ?? { limit: 1000, windowMs: 60_000 },
    logger: (line) => logs.push(line),
    ...(webhook ? { webhook } : {}),
  });
  await adapter.start();
  return {
    api,
    adapter,
    logs,
    async stop() {
      await adapter.stop();
      if (!options.api) await api.close();
    },
    async settled(update) {
      await api.taken(update);
      await adapter.idle();
    },
    nextMessage(chatId, afterCount = api.messagesTo(chatId).length) {
      return api.waitFor(
        () => api.messagesTo(chatId)[afterCount],
        `message #${afterCount + 1} to chat ${chatId}`,
      );
    },
  };
}
