// Checks every HTTP request before Bolt sees it. Bolt 5 trusts a correctly signed body to be an
// object: a signed `null` (or `payload=null`) throws inside its receiver, outside any handler, and
// takes the whole process down. Here the body is read once (bounded), the signature and the
// timestamp are verified in both directions (Bolt refuses only stale requests, not ones from the
// future), the body must parse to an object, and an exact replay of a signed request, or a second
// slash command with the same trigger_id, is acknowledged without being processed again.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseQuery } from "node:querystring";

/** Slack's own rule: a request more than five minutes away from our clock is refused. */
const maxSkewSeconds = 5 * 60;
/** Slack's payloads are a few KB; Bolt's default limit is 4 MB. */
export const slackBodyLimit = 1024 * 1024;

export interface SlackRequestGuardOptions {
  signingSecret: string;
  /** Path of the events, commands and interactivity requests. */
  path: string;
  log: (line: string) => void;
  /** True the first time a key is offered within ttlSeconds (kept across restarts). */
  firstDelivery(key: string, ttlSeconds: number): boolean;
  now?: () => number;
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

export type GuardVerdict =
  | { pass: true; rawBody: Buffer }
  | { pass: false; status: number; reason: string };

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | "too-large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        resolve("too-large");
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on("error", reject);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The body as Bolt will parse it, or a reason it cannot be used. */
function parseBody(
  text: string,
  contentType: string | undefined,
): Record<string, unknown> | string {
  try {
    if (contentType === "application/x-www-form-urlencoded") {
      const form = parseQuery(text);
      if (typeof form.payload === "string") {
        const payload: unknown = JSON.parse(form.payload);
        return isObject(payload) ? payload : "payload is not an object";
      }
      return { ...form };
    }
    const body: unknown = JSON.parse(text);
    return isObject(body) ? body : "body is not an object";
  } catch {
    return "body is not JSON";
  }
}

export function judgeSlackRequest(
  req: IncomingMessage,
  rawBody: Buffer,
  options: SlackRequestGuardOptions,
): GuardVerdict {
  const text = rawBody.toString("utf8");
  const contentType = header(req, "content-type");
  // Slack's SSL check is unsigned by design; Bolt answers it and strips anything else.
  if (contentType === "application/x-www-form-urlencoded" && parseQuery(text).ssl_check === "1") {
    return { pass: true, rawBody };
  }
  const signature = header(req, "x-slack-signature");
  const timestamp = Number(header(req, "x-slack-request-timestamp"));
  if (!signature || !Number.isInteger(timestamp)) {
    return { pass: false, status: 401, reason: "unsigned request" };
  }
  const nowSeconds = Math.floor((options.now?.() ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - timestamp) > maxSkewSeconds) {
    return { pass: false, status: 401, reason: "timestamp more than five minutes away" };
  }
  const expected = Buffer.from(
    `v0=${createHmac("sha256", options.signingSecret).update(`v0:${timestamp}:${text}`).digest("hex")}`,
  );
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { pass: false, status: 401, reason: "signature mismatch" };
  }
  const body = parseBody(text, contentType);
  if (typeof body === "string") return { pass: false, status: 400, reason: body };
  // A signature covers the timestamp, so an exact copy is only usable within the skew window,
  // in either direction: remembered for twice that.
  if (!options.firstDelivery(`slack:signature:${signature}`, 2 * maxSkewSeconds)) {
    return { pass: false, status: 200, reason: "replayed request" };
  }
  const triggerId = body.trigger_id;
  if (
    typeof body.command === "string" &&
    typeof triggerId === "string" &&
    !options.firstDelivery(`slack:trigger:${triggerId}`, 2 * maxSkewSeconds)
  ) {
    return { pass: false, status: 200, reason: "slash command already processed" };
  }
  return { pass: true, rawBody };
}

/**
 * Wraps Bolt's HTTP request listener: requests to `path` are read and judged first; the ones
 * that pass reach Bolt with their body already read (Bolt uses `rawBody` when it is set).
 */
export function guardSlackListener(
  listener: Listener,
  options: SlackRequestGuardOptions,
): Listener {
  return (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "POST" || path !== options.path) {
      listener(req, res);
      return;
    }
    void (async () => {
      const rawBody = await readBody(req, slackBodyLimit);
      if (rawBody === "too-large") {
        options.log("slack: request refused (413): body over the limit");
        res.writeHead(413).end();
        return;
      }
      const verdict = judgeSlackRequest(req, rawBody, options);
      if (!verdict.pass) {
        options.log(`slack: request refused (${verdict.status}): ${verdict.reason}`);
        res.writeHead(verdict.status).end();
        return;
      }
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = verdict.rawBody;
      listener(req, res);
    })().catch((error: unknown) => {
      options.log(`slack: request failed before processing: ${(error as Error).message}`);
      if (!res.headersSent) res.writeHead(500).end();
      else res.end();
    });
  };
}
