// A fake Telegram Bot API server for the tests: real HTTP on 127.0.0.1, the methods the adapter
// uses, Telegram's limits and error texts, long polling or webhook delivery, injectable failures,
// and a record of every call so that tests assert what a user would have seen.
import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseTelegramHtml } from "./telegram-html.js";

export interface FakeUser {
  id: number;
  is_bot?: boolean;
  first_name: string;
  username?: string;
}

export interface FakeChat {
  id: number;
  type: "private" | "group" | "supergroup";
  title?: string;
}

interface Entity {
  type: string;
  offset: number;
  length: number;
  user?: FakeUser;
}

export interface FakeMessage {
  message_id: number;
  date: number;
  chat: FakeChat;
  from: FakeUser;
  text: string;
  entities?: Entity[];
  reply_to_message?: FakeMessage;
}

type Json = Record<string, unknown>;
export type FakeUpdate = Json & { update_id: number };

export interface RecordedCall {
  method: string;
  params: Json;
  ok: boolean;
  /** Telegram's error description when the call failed. */
  error?: string;
}

export interface InlineButton {
  text: string;
  callback_data?: string;
}
interface Markup {
  inline_keyboard: InlineButton[][];
}

/** A message the bot sent, as the chat shows it. */
export interface SentMessage {
  message_id: number;
  chatId: number;
  /** What the bot sent, with its markup. */
  html: string;
  /** What the person reads: the text after entity parsing. */
  text: string;
  replyTo?: number;
  reply_markup?: Markup;
  /** performance.now() when the server accepted it, for the benchmark. */
  at: number;
}

interface ApiError {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number };
}

class BadRequest extends Error {
  readonly code: number;
  constructor(description: string, code = 400) {
    super(description);
    this.code = code;
  }
}

const TELEGRAM_LIMIT = 4096;
const CALLBACK_DATA_LIMIT = 64;
const chatActions = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);

/** The entities Telegram's servers attach to incoming text: bot commands and mentions. */
export function incomingEntities(text: string): Entity[] {
  const entities: Entity[] = [];
  for (const m of text.matchAll(/(?<![\w/])\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?/g)) {
    entities.push({ type: "bot_command", offset: m.index, length: m[0].length });
  }
  for (const m of text.matchAll(/(?<![\w/@])@[A-Za-z0-9_]{5,32}/g)) {
    entities.push({ type: "mention", offset: m.index, length: m[0].length });
  }
  return entities.sort((a, b) => a.offset - b.offset);
}

export class FakeBotApi {
  readonly token: string;
  readonly me: FakeUser & { username: string };
  readonly calls: RecordedCall[] = [];
  readonly sent: SentMessage[] = [];
  webhook: { url: string; secret?: string } | undefined;
  commands: Array<{ command: string; description: string }> = [];

  readonly #server: Server;
  readonly #events = new EventEmitter();
  readonly #pending: FakeUpdate[] = [];
  readonly #failures = new Map<string, ApiError[]>();
  readonly #callbackQueries = new Map<string, { answered: boolean }>();
  readonly #chats = new Map<number, FakeChat>();
  readonly #messages = new Map<string, FakeMessage>();
  /** The highest offset a getUpdates request has asked from, recorded when the request arrives. */
  #offsetAsked = 0;
  #nextUpdateId = 1;
  #nextMessageId = 1;
  #nextCallbackId = 1;

  private constructor(server: Server, token: string, username: string) {
    this.#server = server;
    this.token = token;
    this.me = { id: 777000111, is_bot: true, first_name: "Sportello", username };
    this.#events.setMaxListeners(1000);
  }

  static async start(options: { token?: string; username?: string } = {}): Promise<FakeBotApi> {
    let api: FakeBotApi | undefined;
    const server = createServer((req, res) => {
      void api?.handle(req, res);
    });
    server.keepAliveTimeout = 60_000;
    api = new FakeBotApi(
      server,
      options.token ?? "123456:TEST-token_abc",
      options.username ?? "sportello_test_bot",
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return api;
  }

  /** What the adapter's `apiRoot` must be. */
  get apiRoot(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    this.#events.emit("wake");
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  // ---- what tests do -------------------------------------------------------------------------

  /** Makes the next `times` calls of `method` fail (a 429 with retry_after 1 by default). */
  failNext(method: string, times = 1, error?: ApiError): void {
    const list = this.#failures.get(method) ?? [];
    for (let i = 0; i < times; i++) {
      list.push(
        error ?? {
          error_code: 429,
          description: "Too Many Requests: retry after 1",
          parameters: { retry_after: 1 },
        },
      );
    }
    this.#failures.set(method, list);
  }

  /** A person writes `text` in `chat`; resolves with the update once queued or delivered. */
  async sendText(
    chat: FakeChat,
    from: FakeUser,
    text: string,
    extra: { replyTo?: SentMessage | FakeMessage; entities?: Entity[] } = {},
  ): Promise<FakeUpdate & { message: FakeMessage }> {
    this.#chats.set(chat.id, chat);
    const message: FakeMessage = {
      message_id: this.#nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat,
      from,
      text,
    };
    const entities = extra.entities ?? incomingEntities(text);
    if (entities.length > 0) message.entities = entities;
    if (extra.replyTo) message.reply_to_message = this.#asMessage(extra.replyTo);
    this.#messages.set(`${chat.id}:${message.message_id}`, message);
    const update = { update_id: this.#nextUpdateId++, message };
    await this.deliver(update);
    return update;
  }

  /** A person presses an inline button (or sends forged data for one). */
  async press(
    from: FakeUser,
    message: SentMessage,
    data: string,
  ): Promise<FakeUpdate & { callbackId: string }> {
    const callbackId = String(this.#nextCallbackId++);
    this.#callbackQueries.set(callbackId, { answered: false });
    const update = {
      update_id: this.#nextUpdateId++,
      callback_query: {
        id: callbackId,
        from,
        chat_instance: String(message.chatId),
        message: this.#asMessage(message),
        data,
      },
    };
    await this.deliver(update);
    return { ...update, callbackId };
  }

  /**
   * Hands an update to the bot: queued for getUpdates, or POSTed to the webhook with the
   * secret header. Delivering the same update twice is how tests simulate a redelivery.
   * Returns the webhook's HTTP status (200 in polling mode).
   */
  async deliver(update: FakeUpdate, secretOverride?: string): Promise<number> {
    if (this.webhook) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      const secret = secretOverride ?? this.webhook.secret;
      if (secret !== undefined) headers["x-telegram-bot-api-secret-token"] = secret;
      const res = await fetch(this.webhook.url, {
        method: "POST",
        headers,
        body: JSON.stringify(update),
      });
      await res.arrayBuffer();
      return res.status;
    }
    this.#pending.push(update);
    this.#events.emit("wake");
    return 200;
  }

  /** Messages the bot sent to `chatId`, oldest first. */
  messagesTo(chatId: number): SentMessage[] {
    return this.sent.filter((m) => m.chatId === chatId);
  }

  /** Resolves once the bot has taken `update` (polling: asked for later updates; webhook: at once). */
  async taken(update: FakeUpdate): Promise<void> {
    if (this.webhook) return;
    await this.waitFor(
      () => this.#offsetAsked > update.update_id,
      `update ${update.update_id} to be taken`,
    );
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /**
   * Resolves with the first truthy value of `check`, evaluated now and after every API call.
   * The timeout only turns a hang into a readable failure; it measures nothing.
   */
  waitFor<T>(
    check: () => T | undefined | false | null,
    what = "condition",
    timeoutMs = 15_000,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const test = () => {
        const value = check();
        if (value) {
          cleanup();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        const last = this.calls.slice(-8).map((c) => `${c.method}${c.ok ? "" : ` (${c.error})`}`);
        reject(
          new Error(`FakeBotApi: timed out waiting for ${what}; last calls: ${last.join(", ")}`),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.#events.off("call", test);
      };
      this.#events.on("call", test);
      test();
    });
  }

  // ---- the Bot API ---------------------------------------------------------------------------

  #asMessage(message: SentMessage | FakeMessage): FakeMessage {
    if ("html" in message) {
      const stored = this.#messages.get(`${message.chatId}:${message.message_id}`);
      if (stored) return stored;
      throw new Error(`FakeBotApi: unknown message ${message.message_id}`);
    }
    return message;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    const reply = (status: number, body: Json) => {
      if (res.destroyed) return;
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    if (!match) {
      reply(404, { ok: false, error_code: 404, description: "Not Found" });
      return;
    }
    const [, token, method = ""] = match;
    if (token !== this.token) {
      reply(401, { ok: false, error_code: 401, description: "Unauthorized" });
      return;
    }
    let params: Json;
    try {
      params = { ...Object.fromEntries(url.searchParams), ...(await readBody(req)) };
    } catch {
      reply(400, {
        ok: false,
        error_code: 400,
        description: "Bad Request: can't parse request body",
      });
      return;
    }
    if (method === "getUpdates" && Number(params.offset) > this.#offsetAsked) {
      this.#offsetAsked = Number(params.offset);
      this.#events.emit("call");
    }
    const injected = this.#failures.get(method)?.shift();
    if (injected) {
      this.#record(method, params, injected.description);
      reply(injected.error_code, { ok: false, ...injected });
      return;
    }
    try {
      const result = await this.#call(method, params, req);
      this.#record(method, params);
      reply(200, { ok: true, result });
    } catch (err) {
      const code = err instanceof BadRequest ? err.code : 500;
      const description = err instanceof Error ? err.message : String(err);
      this.#record(method, params, description);
      reply(code, { ok: false, error_code: code, description });
    }
  }

  #record(method: string, params: Json, error?: string): void {
    this.calls.push(
      error === undefined ? { method, params, ok: true } : { method, params, ok: false, error },
    );
    this.#events.emit("call");
  }

  async #call(method: string, p: Json, req: IncomingMessage): Promise<unknown> {
    switch (method) {
      case "getMe":
        return {
          ...this.me,
          can_join_groups: true,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
        };
      case "getUpdates":
        return this.#getUpdates(p, req);
      case "sendMessage":
        return this.#sendMessage(p);
      case "sendChatAction":
        if (!chatActions.has(String(p.action)))
          throw new BadRequest("Bad Request: wrong parameter action in request");
        return true;
      case "answerCallbackQuery": {
        const query = this.#callbackQueries.get(String(p.callback_query_id));
        if (!query || query.answered) {
          throw new BadRequest(
            "Bad Request: query is too old and response timeout expired or query ID is invalid",
          );
        }
        if (typeof p.text === "string" && p.text.length > 200)
          throw new BadRequest("Bad Request: MESSAGE_TOO_LONG");
        query.answered = true;
        return true;
      }
      case "editMessageReplyMarkup":
        return this.#editReplyMarkup(p);
      case "setMyCommands": {
        const commands = (p.commands ?? []) as Array<{ command: string; description: string }>;
        for (const c of commands) {
          if (!/^[a-z0-9_]{1,32}$/.test(c.command))
            throw new BadRequest("Bad Request: BOT_COMMAND_INVALID");
          if (!c.description || c.description.length > 256) {
            throw new BadRequest("Bad Request: BOT_COMMAND_DESCRIPTION_INVALID");
          }
        }
        this.commands = commands;
        return true;
      }
      case "setWebhook": {
        const target = String(p.url ?? "");
        if (!/^https?:\/\//.test(target))
          throw new BadRequest(
            "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
          );
        const secret = p.secret_token === undefined ? undefined : String(p.secret_token);
        if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
          throw new BadRequest("Bad Request: secret token contains unallowed characters");
        }
        this.webhook = secret === undefined ? { url: target } : { url: target, secret };
        this.#events.emit("wake");
        return true;
      }
      case "deleteWebhook":
        this.webhook = undefined;
        if (p.drop_pending_updates === true) this.#pending.length = 0;
        return true;
      case "getWebhookInfo":
        return {
          url: this.webhook?.url ?? "",
          has_custom_certificate: false,
          pending_update_count: this.#pending.length,
        };
      default:
        throw new BadRequest("Not Found: method not found", 404);
    }
  }

  async #getUpdates(p: Json, req: IncomingMessage): Promise<FakeUpdate[]> {
    if (this.webhook) {
      throw new BadRequest(
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
        409,
      );
    }
    const offset = Number(p.offset ?? 0);
    const limit = Math.min(100, Math.max(1, Number(p.limit ?? 100)));
    const timeout = Math.max(0, Number(p.timeout ?? 0));
    // Asking from `offset` confirms every earlier update: Telegram forgets them.
    const confirm = () => {
      while (this.#pending.length > 0 && (this.#pending[0]?.update_id ?? 0) < offset)
        this.#pending.shift();
    };
    confirm();
    if (this.#pending.length === 0 && timeout > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.#events.off("wake", done);
          req.off("close", done);
          resolve();
        };
        const timer = setTimeout(done, timeout * 1000);
        this.#events.on("wake", done);
        req.on("close", done);
      });
      confirm();
    }
    return this.#pending.slice(0, limit);
  }

  #sendMessage(p: Json): FakeMessage {
    const chatId = Number(p.chat_id);
    if (!Number.isFinite(chatId)) throw new BadRequest("Bad Request: chat not found");
    const html = typeof p.text === "string" ? p.text : "";
    let text = html;
    if (p.parse_mode === "HTML") {
      const parsed = parseTelegramHtml(html);
      if (!parsed.ok) throw new BadRequest(parsed.error);
      text = parsed.text;
    } else if (p.parse_mode !== undefined) {
      throw new BadRequest(
        `Bad Request: unsupported parse_mode ${String(p.parse_mode)} in the fake`,
      );
    }
    if (text.trim().length === 0) throw new BadRequest("Bad Request: message text is empty");
    if (text.length > TELEGRAM_LIMIT) throw new BadRequest("Bad Request: message is too long");
    const markup = validateMarkup(p.reply_markup);
    const replyParameters = p.reply_parameters as
      | { message_id?: number; allow_sending_without_reply?: boolean }
      | undefined;
    let replyTo: number | undefined;
    if (replyParameters?.message_id !== undefined) {
      replyTo = replyParameters.message_id;
      if (
        !this.#messages.has(`${chatId}:${replyTo}`) &&
        !replyParameters.allow_sending_without_reply
      ) {
        throw new BadRequest("Bad Request: message to be replied not found");
      }
    }
    const chat = this.#chats.get(chatId) ?? { id: chatId, type: "private" as const };
    const message: FakeMessage = {
      message_id: this.#nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat,
      from: this.me,
      text,
    };
    this.#messages.set(`${chatId}:${message.message_id}`, message);
    const sent: SentMessage = {
      message_id: message.message_id,
      chatId,
      html,
      text,
      at: performance.now(),
    };
    if (replyTo !== undefined) sent.replyTo = replyTo;
    if (markup) sent.reply_markup = markup;
    this.sent.push(sent);
    return message;
  }

  #editReplyMarkup(p: Json): true {
    const chatId = Number(p.chat_id);
    const messageId = Number(p.message_id);
    const sent = this.sent.find((m) => m.chatId === chatId && m.message_id === messageId);
    if (!sent) throw new BadRequest("Bad Request: message to edit not found");
    const markup = validateMarkup(p.reply_markup);
    const empty = (m: Markup | undefined) =>
      !m || m.inline_keyboard.every((row) => row.length === 0);
    if (
      JSON.stringify(markup) === JSON.stringify(sent.reply_markup) ||
      (empty(markup) && empty(sent.reply_markup))
    ) {
      throw new BadRequest(
        "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
      );
    }
    if (markup && !empty(markup)) sent.reply_markup = markup;
    else delete sent.reply_markup;
    return true;
  }
}

function validateMarkup(raw: unknown): Markup | undefined {
  if (raw === undefined) return undefined;
  const markup = (typeof raw === "string" ? JSON.parse(raw) : raw) as Markup;
  if (!Array.isArray(markup.inline_keyboard))
    throw new BadRequest("Bad Request: can't parse reply keyboard markup JSON object");
  for (const row of markup.inline_keyboard) {
    for (const button of row) {
      if (!button.text)
        throw new BadRequest("Bad Request: text buttons are unallowed in the inline keyboard");
      const data = button.callback_data;
      if (
        data !== undefined &&
        (data.length === 0 || Buffer.byteLength(data) > CALLBACK_DATA_LIMIT)
      ) {
        throw new BadRequest("Bad Request: BUTTON_DATA_INVALID");
      }
    }
  }
  return markup;
}

async function readBody(req: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  if (!raw) return {};
  const type = req.headers["content-type"] ?? "";
  if (type.includes("application/json")) return JSON.parse(raw) as Json;
  if (type.includes("application/x-www-form-urlencoded"))
    return Object.fromEntries(new URLSearchParams(raw));
  throw new Error(`unsupported content type ${type}`);
}
