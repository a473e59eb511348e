// Requests as Slack sends them to an app: Events API envelopes, slash commands and block actions,
// signed with the v0 scheme (HMAC-SHA256 of `v0:${timestamp}:${body}` with the signing secret).
import { createHmac } from "node:crypto";
import { fakeBot } from "./fake-web-api.js";

export const signingSecret = "8f742231b10e8888abcd99yyyzzz85a5";

export function signature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface SignedPost {
  body: string;
  contentType: "application/json" | "application/x-www-form-urlencoded";
  /** Seconds since the epoch; default now. */
  timestamp?: number;
  /** Overrides the computed signature; null sends none. */
  signature?: string | null;
  secret?: string;
  retryNum?: number;
}

/** Posts to Bolt's receiver as Slack would; returns the HTTP status and body. */
export async function postSigned(url: string, post: SignedPost) {
  const timestamp = post.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    "content-type": post.contentType,
    "x-slack-request-timestamp": String(timestamp),
  };
  const signed =
    post.signature === undefined
      ? signature(post.secret ?? signingSecret, timestamp, post.body)
      : post.signature;
  if (signed !== null) headers["x-slack-signature"] = signed;
  if (post.retryNum !== undefined) {
    headers["x-slack-retry-num"] = String(post.retryNum);
    headers["x-slack-retry-reason"] = "http_timeout";
  }
  const response = await fetch(url, { method: "POST", headers, body: post.body });
  return { status: response.status, text: await response.text() };
}

let counter = 0;
export function nextTs(): string {
  counter += 1;
  return `1690000${String(counter).padStart(3, "0")}.000200`;
}

export function eventEnvelope(event: Record<string, unknown>, eventId = `Ev${++counter}`) {
  return {
    token: "legacy-verification-token",
    team_id: fakeBot.teamId,
    api_app_id: "A1",
    event,
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        team_id: fakeBot.teamId,
        user_id: fakeBot.userId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
  };
}

export function mentionEvent(
  text: string,
  opts: { user?: string; channel?: string; ts?: string; threadTs?: string } = {},
) {
  const ts = opts.ts ?? nextTs();
  return {
    type: "app_mention",
    user: opts.user ?? "UOPER",
    text: `<@${fakeBot.userId}> ${text}`,
    ts,
    channel: opts.channel ?? "CGENERAL",
    team: fakeBot.teamId,
    event_ts: ts,
    ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
  };
}

export function messageEvent(
  text: string,
  opts: {
    user?: string;
    channel?: string;
    channelType?: "im" | "channel";
    threadTs?: string;
    botId?: string;
    subtype?: string;
  } = {},
) {
  const ts = nextTs();
  return {
    type: "message",
    ...(opts.subtype ? { subtype: opts.subtype } : {}),
    ...(opts.user === undefined && opts.botId ? {} : { user: opts.user ?? "UOPER" }),
    ...(opts.botId ? { bot_id: opts.botId } : {}),
    text,
    ts,
    channel: opts.channel ?? (opts.channelType === "channel" ? "CGENERAL" : "DOPER"),
    channel_type: opts.channelType ?? "im",
    team: fakeBot.teamId,
    event_ts: ts,
    ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
  };
}

export function commandForm(
  text: string,
  responseUrl: string,
  user = "UOPER",
  channel = "CGENERAL",
) {
  return new URLSearchParams({
    token: "legacy",
    team_id: fakeBot.teamId,
    team_domain: "sportello-test",
    channel_id: channel,
    channel_name: "generale",
    user_id: user,
    user_name: "operatrice",
    command: "/sportello",
    text,
    api_app_id: "A1",
    response_url: responseUrl,
    // Slack gives every invocation its own trigger_id.
    trigger_id: `13345224609.738474920.${String(++counter).padStart(8, "0")}`,
  }).toString();
}

export interface ClickedMessage {
  channel: string;
  ts?: string;
  text?: string;
  blocks?: unknown[];
  ephemeral?: boolean;
}

/** A button click, form-encoded as Slack posts interactivity payloads. */
export function blockActionForm(
  actionId: string,
  value: string,
  message: ClickedMessage,
  responseUrl: string,
  user = "UOPER",
) {
  const payload = {
    type: "block_actions",
    user: { id: user, username: "operatrice", team_id: fakeBot.teamId },
    api_app_id: "A1",
    token: "legacy",
    container: message.ephemeral
      ? { type: "message", message_ts: message.ts ?? "0", is_ephemeral: true }
      : { type: "message", message_ts: message.ts, channel_id: message.channel },
    trigger_id: "12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3",
    team: { id: fakeBot.teamId, domain: "sportello-test" },
    channel: { id: message.channel, name: "generale" },
    ...(message.ephemeral
      ? {}
      : {
          message: { type: "message", ts: message.ts, text: message.text, blocks: message.blocks },
        }),
    response_url: responseUrl,
    actions: [
      {
        type: "button",
        action_id: actionId,
        block_id: "sportello_feedback",
        value,
        action_ts: `${Math.floor(Date.now() / 1000)}.0001`,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
