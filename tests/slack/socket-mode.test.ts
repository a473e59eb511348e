// The same adapter in Socket Mode: a local WebSocket server stands in for Slack, the fake Web API
// hands out its URL through apps.connections.open.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSlackAdapter, type SlackAdapter } from "../../adapters/slack/index.js";
import type { FakeSportello } from "../support/fake-sportello.js";
import { slackSportello } from "./answers.js";
import { FakeSocketModeServer } from "./fake-socket-server.js";
import { FakeSlackWebApi } from "./fake-web-api.js";
import { actionIdsOf, blockTexts } from "./harness.js";
import {
  blockActionForm,
  commandForm,
  eventEnvelope,
  mentionEvent,
  messageEvent,
} from "./slack-requests.js";

let api: FakeSlackWebApi;
let socket: FakeSocketModeServer;
let sportello: FakeSportello;
let adapter: SlackAdapter;
const logs: string[] = [];

beforeEach(async () => {
  api = new FakeSlackWebApi();
  await api.start();
  socket = new FakeSocketModeServer();
  await socket.start();
  api.socketUrl = socket.url;
  sportello = slackSportello();
  adapter = createSlackAdapter({
    botToken: "xoxb-test-token",
    appToken: "xapp-test-token",
    apiUrl: api.apiUrl,
    sportello,
    logger: (line) => logs.push(line),
  });
  await adapter.start();
});

afterEach(async () => {
  await adapter.stop();
  await socket.stop();
  await api.stop();
});

/** Form-encoded payloads (as over HTTP) turned into the JSON objects Socket Mode carries. */
function commandPayload(text: string, responseId: string) {
  return Object.fromEntries(new URLSearchParams(commandForm(text, api.responseUrl(responseId))));
}

function actionPayload(...args: Parameters<typeof blockActionForm>) {
  return JSON.parse(new URLSearchParams(blockActionForm(...args)).get("payload") ?? "{}");
}

describe("Socket Mode", () => {
  it("connects with the app token and the URL from apps.connections.open", async () => {
    const [open] = api.callsTo("apps.connections.open");
    expect(open?.token).toBe("xapp-test-token");
    expect(socket.connections).toBe(1);
    expect(adapter.mode).toBe("socket");
  });

  it("acks a mention and answers it in the thread", async () => {
    const mention = mentionEvent("dati personali?");
    const ack = await socket.send("events_api", eventEnvelope(mention));
    expect(ack.envelope_id).toMatch(/^env-/);
    const [post] = await api.waitFor("chat.postMessage");
    expect(post?.args.thread_ts).toBe(mention.ts);
    expect(post?.token).toBe("xoxb-test-token");
    expect(blockTexts(post?.args.blocks).join("\n")).toContain("Regolamento (UE) 2016/679");
  });

  it("processes a redelivered envelope of the same event once", async () => {
    const envelope = eventEnvelope(messageEvent("dati personali?"), "EvSOCKET1");
    await socket.send("events_api", envelope);
    const retry = await socket.send("events_api", envelope, 1);
    expect(retry.envelope_id).toBeTruthy();
    await socket.send("events_api", eventEnvelope(messageEvent("barriera sui dati")));
    await api.waitFor("chat.postMessage", () => true, 2);
    expect(sportello.asked.map((a) => a.question.text)).toEqual([
      "dati personali?",
      "barriera sui dati",
    ]);
  });

  it("answers the slash command ephemerally and records a button click", async () => {
    await socket.send("slash_commands", commandPayload("trattamento dati", "sock1"));
    const [reply] = await api.waitFor("response_url");
    expect(reply?.args.response_type).toBe("ephemeral");
    expect(actionIdsOf(reply?.args.blocks)).toContain("sportello_share");

    await socket.send(
      "interactive",
      actionPayload(
        "sportello_feedback_segnala",
        "101",
        { channel: "CGENERAL", ephemeral: true },
        api.responseUrl("sock2"),
      ),
    );
    await api.waitFor("response_url", (c) => c.args.replace_original === true);
    expect(sportello.feedbacks.map((f) => f.kind)).toEqual(["segnala"]);
  });

  it("stops by closing the socket", async () => {
    await adapter.stop();
    await socket.allClosed();
    expect(socket.connections).toBe(0);
    // afterEach stops again: stop() is idempotent.
  });
});

describe("start-up errors", () => {
  it("says which variable to set when a token or the signing secret is missing", () => {
    const base = { sportello: slackSportello(), apiUrl: "http://127.0.0.1:9/api/" };
    expect(() => createSlackAdapter({ ...base, botToken: "" })).toThrow(/SLACK_BOT_TOKEN/);
    expect(() => createSlackAdapter({ ...base, botToken: "xoxb-1" })).toThrow(
      /SLACK_SIGNING_SECRET/,
    );
  });

  it("reports a bot token the Web API refuses", async () => {
    api.inject("auth.test", { error: "invalid_auth" });
    const refused = createSlackAdapter({
      botToken: "xoxb-revoked",
      signingSecret: "s",
      port: 0,
      apiUrl: api.apiUrl,
      sportello,
      logger: () => {},
    });
    await expect(refused.start()).rejects.toThrow(/invalid_auth.*SLACK_BOT_TOKEN/);
  });
});
