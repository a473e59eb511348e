// A stand-in for Slack's Web API on 127.0.0.1: records every call, enforces the Block Kit limits
// Slack enforces (`invalid_blocks` otherwise), can answer 429 with Retry-After, and serves the
// response_url endpoints of slash commands and buttons.
import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  /** Authorization header (bot or app token). */
  token: string | undefined;
  at: number;
  /** performance.now() when the call arrived, for latency measurements. */
  hrAt: number;
  /** What the fake answered. */
  response: Record<string, unknown>;
  status: number;
}

type Injected = { status: 429; retryAfter: number } | { error: string };

export const fakeBot = { userId: "UBOT", botId: "BBOT", teamId: "T1" } as const;

const messageBlockLimit = 50;
const viewBlockLimit = 100;

/** Slack's Block Kit rules the tests rely on; returns what is wrong, or undefined. */
export function blockKitProblem(blocks: unknown, maxBlocks: number): string | undefined {
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks)) return "blocks is not an array";
  if (blocks.length > maxBlocks) return `${blocks.length} blocks (max ${maxBlocks})`;
  const ids = new Set<string>();
  for (const [i, block] of blocks.entries()) {
    const b = block as Record<string, unknown>;
    if (typeof b.block_id === "string") {
      if (ids.has(b.block_id)) return `block ${i}: duplicate block_id ${b.block_id}`;
      ids.add(b.block_id);
    }
    if (b.type === "section") {
      const text = (b.text as { text?: unknown } | undefined)?.text;
      if (typeof text !== "string" || text.length === 0) return `block ${i}: section without text`;
      if (text.length > 3000) return `block ${i}: section text ${text.length} chars (max 3000)`;
    } else if (b.type === "context") {
      const elements = b.elements as { text?: string }[];
      if (!Array.isArray(elements) || elements.length === 0 || elements.length > 10) {
        return `block ${i}: context with ${elements?.length} elements (1-10)`;
      }
      for (const el of elements) {
        if (typeof el.text !== "string" || el.text.length === 0 || el.text.length > 3000) {
          return `block ${i}: context element text invalid`;
        }
      }
    } else if (b.type === "actions") {
      const elements = b.elements as { action_id?: string; text?: { text?: string } }[];
      if (!Array.isArray(elements) || elements.length === 0 || elements.length > 25) {
        return `block ${i}: actions with ${elements?.length} elements (1-25)`;
      }
      const actionIds = new Set<string>();
      for (const el of elements) {
        const label = el.text?.text ?? "";
        if (label.length === 0 || label.length > 75) return `block ${i}: button label invalid`;
        if (el.action_id && actionIds.has(el.action_id)) return `block ${i}: duplicate action_id`;
        if (el.action_id) actionIds.add(el.action_id);
      }
    } else if (b.type === "header") {
      const text = (b.text as { text?: string } | undefined)?.text ?? "";
      if (text.length === 0 || text.length > 150) return `block ${i}: header text invalid`;
    } else if (b.type !== "divider") {
      return `block ${i}: unexpected type ${String(b.type)}`;
    }
  }
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  if ((req.headers["content-type"] ?? "").includes("application/json")) {
    return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  }
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    // The WebClient JSON-encodes objects and arrays inside form fields.
    args[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return args;
}

export class FakeSlackWebApi {
  readonly calls: RecordedCall[] = [];
  /** ws:// URL returned by apps.connections.open. */
  socketUrl = "";
  /** conversations.replies answers, by `${channel}:${ts}`. */
  readonly threadReplies = new Map<string, { user?: string; text?: string }[]>();
  // One waiter per request in flight: the benchmark keeps 16 and more at once.
  readonly #events = new EventEmitter().setMaxListeners(0);
  readonly #injected = new Map<string, Injected[]>();
  #server: Server | undefined;
  #base = "";
  #ts = 1_700_000_000;

  /** Web API base URL, as SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.#base}/api/`;
  }

  /** A response_url pointing back at this fake. */
  responseUrl(id: string): string {
    return `${this.#base}/response/${id}`;
  }

  /** The next call(s) to `method` fail as told, in order. */
  inject(method: string, ...failures: Injected[]): void {
    this.#injected.set(method, [...(this.#injected.get(method) ?? []), ...failures]);
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Resolves once `count` calls to `method` matching `match` were answered. */
  waitFor(
    method: string,
    match: (call: RecordedCall) => boolean = () => true,
    count = 1,
    deadlineMs = 20_000,
  ): Promise<RecordedCall[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.callsTo(method).filter(match);
        if (found.length >= count) {
          this.#events.off("call", check);
          clearTimeout(timer);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        this.#events.off("call", check);
        const seen = this.calls.map((c) => c.method).join(", ");
        reject(new Error(`fake Web API: no ${count}× ${method} (calls: ${seen})`));
      }, deadlineMs);
      this.#events.on("call", check);
      check();
    });
  }

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      void this.#handle(req)
        .then(({ status, body, headers }) => {
          res.writeHead(status, { "content-type": "application/json", ...headers });
          res.end(JSON.stringify(body));
        })
        .catch((error: unknown) => {
          res.writeHead(500);
          res.end(String(error));
        });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, "127.0.0.1", resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.#base = `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.#server = undefined;
  }

  async #handle(req: IncomingMessage) {
    const hrAt = performance.now();
    const url = new URL(req.url ?? "/", this.#base);
    const args = await readBody(req);
    const method = url.pathname.startsWith("/response/")
      ? "response_url"
      : url.pathname.replace(/^\/api\//, "");
    const token = req.headers.authorization?.replace(/^Bearer /, "");
    let status = 200;
    let headers: Record<string, string> = {};
    let response: Record<string, unknown>;
    const injected = this.#injected.get(method)?.shift();
    if (injected && "status" in injected) {
      status = 429;
      headers = { "retry-after": String(injected.retryAfter) };
      response = { ok: false, error: "ratelimited" };
    } else if (injected) {
      response = { ok: false, error: injected.error };
    } else {
      response = this.#answer(method, args, url);
    }
    if (method === "response_url" && response.ok !== true) status = 404;
    this.calls.push({ method, args, token, at: Date.now(), hrAt, response, status });
    // Emitted after the reply is queued, so a waiter sees the call as answered.
    setImmediate(() => this.#events.emit("call"));
    return { status, body: response, headers };
  }

  #answer(method: string, args: Record<string, unknown>, url: URL): Record<string, unknown> {
    const nextTs = () => `${++this.#ts}.000100`;
    switch (method) {
      case "auth.test":
        return {
          ok: true,
          url: "https://sportello-test.slack.com/",
          team: "Sportello Test",
          user: "sportello",
          team_id: fakeBot.teamId,
          user_id: fakeBot.userId,
          bot_id: fakeBot.botId,
        };
      case "apps.connections.open":
        return this.socketUrl ? { ok: true, url: this.socketUrl } : { ok: false, error: "no_url" };
      case "chat.postMessage":
      case "chat.postEphemeral":
      case "chat.update": {
        if (typeof args.channel !== "string" || !args.channel) {
          return { ok: false, error: "channel_not_found" };
        }
        if (!args.text && !args.blocks) return { ok: false, error: "no_text" };
        const problem = blockKitProblem(args.blocks, messageBlockLimit);
        if (problem) return { ok: false, error: "invalid_blocks", errors: [problem] };
        if (method === "chat.postEphemeral") return { ok: true, message_ts: nextTs() };
        const ts = method === "chat.update" ? String(args.ts) : nextTs();
        return { ok: true, channel: args.channel, ts, message: { ...args, ts } };
      }
      case "views.publish":
      case "views.open": {
        const view = args.view as { blocks?: unknown } | undefined;
        if (!view) return { ok: false, error: "invalid_arguments" };
        const problem = blockKitProblem(view.blocks, viewBlockLimit);
        if (problem) return { ok: false, error: "invalid_blocks", errors: [problem] };
        return { ok: true, view: { id: "V1", ...view } };
      }
      case "conversations.replies": {
        const replies = this.threadReplies.get(`${String(args.channel)}:${String(args.ts)}`);
        return replies
          ? { ok: true, messages: replies, has_more: false }
          : { ok: false, error: "thread_not_found" };
      }
      case "response_url": {
        if (args.delete_original === true) return { ok: true };
        const problem = blockKitProblem(args.blocks, messageBlockLimit);
        if (problem) return { ok: false, error: "invalid_blocks", errors: [problem] };
        return { ok: true, id: url.pathname.split("/").pop() };
      }
      default:
        return { ok: false, error: "unknown_method" };
    }
  }
}
