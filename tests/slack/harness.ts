// Starts the real Bolt adapter in HTTP mode against the fake Web API, and sends it what Slack
// would: signed events, slash commands and button clicks.
import {
  createSlackAdapter,
  type SlackAdapter,
  slackEventsPath,
} from "../../adapters/slack/index.js";
import type { Sportello } from "../../src/service.js";
import { FakeSlackWebApi, type RecordedCall } from "./fake-web-api.js";
import {
  blockActionForm,
  type ClickedMessage,
  commandForm,
  eventEnvelope,
  postSigned,
  signingSecret,
} from "./slack-requests.js";

export interface HttpHarness {
  api: FakeSlackWebApi;
  adapter: SlackAdapter;
  logs: string[];
  url: string;
  sendEvent(
    event: Record<string, unknown>,
    opts?: { eventId?: string; retryNum?: number },
  ): Promise<{ status: number; text: string }>;
  sendCommand(text: string, user?: string): Promise<{ status: number; responseId: string }>;
  click(
    actionId: string,
    value: string,
    message: ClickedMessage,
    user?: string,
  ): Promise<{ status: number; responseId: string }>;
  stop(): Promise<void>;
}

let responses = 0;

export async function startHttpHarness(sportello: Sportello): Promise<HttpHarness> {
  const api = new FakeSlackWebApi();
  await api.start();
  const logs: string[] = [];
  const adapter = createSlackAdapter({
    botToken: "xoxb-test-token",
    signingSecret,
    port: 0,
    apiUrl: api.apiUrl,
    sportello,
    logger: (line) => logs.push(line),
    // Keeps transient-failure backoff short; 429s still wait for Retry-After.
    retryConfig: { retries: 3, factor: 1, minTimeout: 10, maxTimeout: 50 },
  });
  await adapter.start();
  const port = adapter.address()?.port;
  const url = `http://127.0.0.1:${port}${slackEventsPath}`;

  return {
    api,
    adapter,
    logs,
    url,
    sendEvent(event, opts = {}) {
      const body = JSON.stringify(eventEnvelope(event, opts.eventId));
      return postSigned(url, {
        body,
        contentType: "application/json",
        // Slack signs each retry anew, with the time it is sent.
        ...(opts.retryNum !== undefined
          ? { retryNum: opts.retryNum, timestamp: Math.floor(Date.now() / 1000) + opts.retryNum }
          : {}),
      });
    },
    async sendCommand(text, user) {
      const responseId = `cmd${++responses}`;
      const body = commandForm(text, api.responseUrl(responseId), user);
      const { status } = await postSigned(url, {
        body,
        contentType: "application/x-www-form-urlencoded",
      });
      return { status, responseId };
    },
    async click(actionId, value, message, user) {
      const responseId = `act${++responses}`;
      const body = blockActionForm(actionId, value, message, api.responseUrl(responseId), user);
      const { status } = await postSigned(url, {
        body,
        contentType: "application/x-www-form-urlencoded",
      });
      return { status, responseId };
    },
    async stop() {
      await adapter.stop();
      await api.stop();
    },
  };
}

/** All mrkdwn texts of a message's blocks, in order. */
export function blockTexts(blocks: unknown): string[] {
  const texts: string[] = [];
  for (const block of (blocks ?? []) as Record<string, unknown>[]) {
    const text = (block.text as { text?: string } | undefined)?.text;
    if (text) texts.push(text);
    for (const element of (block.elements ?? []) as Record<string, unknown>[]) {
      const inner = element.text;
      if (typeof inner === "string") texts.push(inner);
      else if (inner && typeof (inner as { text?: unknown }).text === "string") {
        texts.push((inner as { text: string }).text);
      }
    }
  }
  return texts;
}

export function sectionTexts(call: RecordedCall | undefined): string[] {
  return ((call?.args.blocks ?? []) as Record<string, unknown>[])
    .filter((block) => block.type === "section")
    .map((block) => (block.text as { text: string }).text);
}

export function actionIdsOf(blocks: unknown): string[] {
  return ((blocks ?? []) as Record<string, unknown>[])
    .filter((block) => block.type === "actions")
    .flatMap((block) => (block.elements as { action_id: string }[]).map((e) => e.action_id));
}

/** All texts of the view a views.publish or views.open call carried. */
export function viewTexts(call: RecordedCall | undefined): string {
  const view = call?.args.view as { blocks?: unknown[] } | undefined;
  return blockTexts(view?.blocks).join("\n");
}

/** Resolves once `predicate` holds; the deadline only keeps a broken test from hanging. */
export async function until(predicate: () => boolean, what: string, deadlineMs = 20_000) {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > deadlineMs) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
