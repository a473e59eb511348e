// Hostile and replayed requests against the real service over HTTP: bodies Bolt cannot handle,
// requests from the future, replays of signed requests and slash commands, event retries across a
// restart, repeated feedback clicks, and questions too long to answer.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSportello } from "../../src/app.js";
import { maxQuestionLength } from "../../src/service.js";
import {
  openShippedEngine,
  type ShippedEngine,
  startTestService,
  type TestService,
} from "../support/real-service.js";
import { blockTexts, type HttpHarness, startHttpHarness, until } from "./harness.js";
import {
  blockActionForm,
  commandForm,
  eventEnvelope,
  mentionEvent,
  messageEvent,
  postSigned,
} from "./slack-requests.js";

let engine: ShippedEngine;
let service: TestService;
let h: HttpHarness;

beforeAll(async () => {
  engine = await openShippedEngine();
});
afterAll(() => engine.remove());

beforeEach(async () => {
  service = startTestService(engine.opened, {
    roles: { operators: ["slack:UOPER"] },
    slack: { workspaces: ["T1"], channels: ["CGENERAL"] },
  });
  h = await startHttpHarness(service.sportello);
});

afterEach(async () => {
  await h.stop();
  await service.close();
});

const question = "Come vengono trattati i dati personali nella convenzione con la Basilicata?";
const questions = () => service.sportello.curation.stats().totals.questions;

async function answeredMention(text = question) {
  const before = h.api.callsTo("chat.postMessage").length;
  await h.sendEvent(mentionEvent(text));
  const posts = await h.api.waitFor("chat.postMessage", () => true, before + 1);
  return posts[before];
}

describe("payloads Bolt cannot handle", () => {
  it("refuses signed bodies that are not objects, and keeps answering", async () => {
    const bodies = [
      { body: "null", contentType: "application/json" },
      { body: "[]", contentType: "application/json" },
      { body: "42", contentType: "application/json" },
      { body: '"testo"', contentType: "application/json" },
      { body: "{", contentType: "application/json" },
      { body: "payload=null", contentType: "application/x-www-form-urlencoded" },
      { body: "payload=%5B%5D", contentType: "application/x-www-form-urlencoded" },
      { body: "payload=nonjson", contentType: "application/x-www-form-urlencoded" },
    ] as const;
    for (const post of bodies) {
      const { status } = await postSigned(h.url, post);
      expect(status, post.body).toBe(400);
    }
    const post = await answeredMention();
    expect(blockTexts(post?.args.blocks).join("\n")).toContain("Titolare dei dati");
    expect(h.logs.filter((l) => l.includes("request refused (400)"))).toHaveLength(bodies.length);
  });
});

describe("replays", () => {
  it("refuses a request signed more than five minutes in the future", async () => {
    const body = JSON.stringify(eventEnvelope(mentionEvent(question)));
    const future = Math.floor(Date.now() / 1000) + 6 * 60;
    expect(
      (await postSigned(h.url, { body, contentType: "application/json", timestamp: future }))
        .status,
    ).toBe(401);
    // One minute of clock skew is still accepted.
    const near = Math.floor(Date.now() / 1000) + 60;
    expect(
      (await postSigned(h.url, { body, contentType: "application/json", timestamp: near })).status,
    ).toBe(200);
    await h.api.waitFor("chat.postMessage");
    expect(questions()).toBe(1);
  });

  it("processes the same signed slash command once, also re-signed with its trigger_id", async () => {
    const body = commandForm(question, h.api.responseUrl("replayed"));
    const timestamp = Math.floor(Date.now() / 1000);
    const form = "application/x-www-form-urlencoded" as const;
    for (let i = 0; i < 3; i++) {
      expect((await postSigned(h.url, { body, contentType: form, timestamp })).status).toBe(200);
    }
    // The same command signed again a second later (same trigger_id) is not a new command.
    await postSigned(h.url, { body, contentType: form, timestamp: timestamp + 1 });
    await h.api.waitFor("response_url");
    const barrier = await answeredMention("Chi firma la convenzione per la Basilicata?");
    expect(barrier).toBeDefined();
    expect(h.api.callsTo("response_url")).toHaveLength(1);
    expect(questions()).toBe(2);
  });

  it("counts a feedback click replayed ten times once", async () => {
    const post = await answeredMention();
    const blocks = post?.args.blocks as Array<{
      block_id?: string;
      elements?: { value?: string }[];
    }>;
    const id = blocks.find((b) => b.block_id === "sportello_feedback")?.elements?.[0]?.value ?? "";
    const message = { channel: "CGENERAL", ts: String(post?.response.ts), blocks };
    for (let i = 0; i < 10; i++) await h.click("sportello_feedback_utile", id, message);
    await h.api.waitFor("chat.update", () => true, 1);
    await until(() => h.api.callsTo("chat.update").length >= 1, "an update");
    // The same click, byte for byte: refused as a replay.
    const form = blockActionForm("sportello_feedback_utile", id, message, h.api.responseUrl("x"));
    const at = Math.floor(Date.now() / 1000);
    await postSigned(h.url, {
      body: form,
      contentType: "application/x-www-form-urlencoded",
      timestamp: at,
    });
    await postSigned(h.url, {
      body: form,
      contentType: "application/x-www-form-urlencoded",
      timestamp: at,
    });
    await answeredMention("Chi firma la convenzione per la Basilicata?");
    expect(service.sportello.curation.stats().totals).toMatchObject({ helpful: 1 });
  });

  it("processes an event once even when its retry arrives after a restart", async () => {
    const event = messageEvent(question, { channel: "DOPER", channelType: "im" });
    await h.sendEvent(event, { eventId: "EvRESTART" });
    await h.api.waitFor("chat.postMessage");
    await h.stop();
    await service.sportello.close();

    // The same database, a new process-worth of service and adapter.
    const again = createSportello({
      config: service.config,
      engine: engine.opened.engine,
      log: () => {},
      retryIntervalMs: 0,
    });
    const h2 = await startHttpHarness(again);
    try {
      await h2.sendEvent(event, { eventId: "EvRESTART", retryNum: 1 });
      await h2.sendEvent(
        messageEvent("Chi firma la convenzione?", { channel: "DOPER", channelType: "im" }),
      );
      await h2.api.waitFor("chat.postMessage");
      expect(h2.api.callsTo("chat.postMessage")).toHaveLength(1);
      expect(again.curation.stats().totals.questions).toBe(2);
      expect(h2.logs.some((l) => l.includes("EvRESTART already processed"))).toBe(true);
    } finally {
      await h2.stop();
      await again.close();
      service = startTestService(engine.opened, {});
      h = await startHttpHarness(service.sportello);
    }
  });
});

describe("long questions", () => {
  it("answers a question over the limit with a polite note and logs nothing", async () => {
    const long = `${"Vorrei sapere come funziona la convenzione. ".repeat(1000)}`;
    expect(long.length).toBeGreaterThan(maxQuestionLength);
    await h.sendEvent(messageEvent(long, { channel: "DOPER", channelType: "im" }));
    const [reply] = await h.api.waitFor("chat.postMessage");
    expect(JSON.stringify(reply?.args)).toMatch(/troppo lunga/);
    expect(questions()).toBe(0);
  });
});
