// End to end with the real service: Bolt in HTTP mode receiving signed requests, the real
// Sportello (answer engine on the shipped corpus in knowledge/, SQLite store in a temporary
// folder, access from the configuration, the curation loop and its notifications), and the fake
// Web API standing in for Slack.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SportelloApp } from "../../src/app.js";
import {
  openShippedEngine,
  type ShippedEngine,
  startTestService,
  type TestService,
} from "../support/real-service.js";
import {
  actionIdsOf,
  blockTexts,
  type HttpHarness,
  startHttpHarness,
  viewTexts,
} from "./harness.js";
import { mentionEvent, messageEvent } from "./slack-requests.js";

let engine: ShippedEngine;
let service: TestService;
let sportello: SportelloApp;
let h: HttpHarness;

beforeAll(async () => {
  engine = await openShippedEngine();
});

afterAll(() => engine.remove());

beforeEach(async () => {
  service = startTestService(engine.opened, {
    roles: {
      operators: ["slack:UOPER"],
      trainers: ["slack:UFORM"],
      coordinators: ["slack:UCOORD"],
    },
    slack: { workspaces: ["T1"], channels: ["CGENERAL"] },
  });
  sportello = service.sportello;
  h = await startHttpHarness(sportello);
});

afterEach(async () => {
  await h.stop();
  await service.close();
});

const privacy = "Come vengono trattati i dati personali nella convenzione con la Basilicata?";

async function answeredMention(text: string, user = "UOPER") {
  const mention = mentionEvent(text, { user });
  const before = h.api.callsTo("chat.postMessage").length;
  await h.sendEvent(mention);
  const posts = await h.api.waitFor("chat.postMessage", () => true, before + 1);
  const post = posts[before];
  return {
    mention,
    post,
    message: {
      channel: "CGENERAL",
      ts: String(post?.response.ts),
      text: String(post?.args.text),
      blocks: post?.args.blocks as unknown[],
    },
  };
}

function interactionIdOf(blocks: unknown[]): string {
  const feedback = (blocks as { block_id?: string; elements?: { value?: string }[] }[]).find(
    (b) => b.block_id === "sportello_feedback",
  );
  return feedback?.elements?.[0]?.value ?? "";
}

describe("slack adapter on the real service and corpus", () => {
  it("answers a mention in its thread with numbered citations", async () => {
    const { mention, post } = await answeredMention(privacy);
    expect(post?.args.thread_ts).toBe(mention.ts);
    expect(post?.response.ok).toBe(true);
    const texts = blockTexts(post?.args.blocks).join("\n");
    expect(texts).toContain("Titolare dei dati");
    expect(texts).toMatch(
      /\*\[1\]\* Convenzione Anpal Servizi–Basilicata › Art\. 3 – Trattamento dei dati personali · righe \d+-\d+/,
    );
    expect(actionIdsOf(post?.args.blocks)).toContain("sportello_source_1");
    expect(sportello.curation.stats().totals.questions).toBe(1);
  });

  it("records the buttons in the store and opens the cited passage", async () => {
    const first = await answeredMention("Quanti navigator lavorano in Emilia-Romagna?");
    const firstId = interactionIdOf(first.message.blocks);
    expect(Number(firstId)).toBeGreaterThan(0);
    await h.click("sportello_feedback_utile", firstId, first.message);
    const [update] = await h.api.waitFor("chat.update");
    expect(update?.response.ok).toBe(true);
    expect(blockTexts(update?.args.blocks).join("\n")).toContain("ha trovato *utile*");

    const second = await answeredMention(privacy);
    await h.click(
      "sportello_feedback_non_utile",
      interactionIdOf(second.message.blocks),
      second.message,
    );
    await h.api.waitFor("chat.update", () => true, 2);
    expect(sportello.curation.stats().totals).toMatchObject({ helpful: 1, notHelpful: 1 });
    // "Non utile" puts the question in the trainers' queue.
    expect(sportello.curation.listUnanswered().groups).toHaveLength(1);

    const citation = engine.opened.engine.ask(privacy).parts.citations[0];
    await h.click("sportello_source_1", citation?.passageId ?? "", second.message);
    const [open] = await h.api.waitFor("views.open");
    expect(open?.response.ok).toBe(true);
    const passage = engine.opened.engine.passage(citation?.passageId ?? "");
    const shown = viewTexts(open).replace(/\s+/g, " ");
    expect(shown).toContain(passage?.passage.text.replace(/\s+/g, " ").slice(0, 80));
  });

  it("closes the FAQ loop: declined, published, the asker notified in the original thread", async () => {
    const question = "Come si richiede il bonus asilo nido per i tirocinanti?";
    const { mention, post } = await answeredMention(question);
    expect(blockTexts(post?.args.blocks).join("\n")).toContain("Non lo trovo nei documenti");

    // The trainer sees the group in App Home.
    await h.sendEvent({ type: "app_home_opened", user: "UFORM", tab: "home", event_ts: "1.1" });
    const [home] = await h.api.waitFor("views.publish");
    expect(viewTexts(home)).toContain(question);

    // Curation happens in the console or the CLI; the local CLI user holds every role.
    const curator = { channel: "cli" as const, userId: "local" };
    const [group] = sportello.curation.listUnanswered().groups;
    const draft = sportello.curation.draftFaq(
      {
        id: "bonus-asilo-nido-tirocinanti",
        question,
        answer: "Il bonus asilo nido si chiede all'INPS; il tirocinio non cambia i requisiti.",
        groupId: group?.id,
      },
      curator,
    );
    sportello.curation.approveFaq(draft.id, curator);
    sportello.curation.publishFaq(draft.id, curator);

    const [notice] = await h.api.waitFor("chat.postMessage", (c) =>
      blockTexts(c.args.blocks).join("\n").includes("ora ha una risposta"),
    );
    expect(notice?.args.channel).toBe("CGENERAL");
    expect(notice?.args.thread_ts).toBe(mention.ts);
    expect(notice?.response.ok).toBe(true);
    expect(blockTexts(notice?.args.blocks).join("\n")).toContain("si chiede all'INPS");
    // Delivery runs are serialised: once this one is done, the notification is marked delivered.
    await sportello.flushNotifications();
    expect(sportello.store.notifications.pending("slack")).toHaveLength(0);

    // The published FAQ now answers the same question.
    const again = await answeredMention("come richiedere il bonus asilo nido per i tirocinanti?");
    expect(blockTexts(again.post?.args.blocks).join("\n")).toContain("si chiede all'INPS");
  });

  it("delivers a notification queued while Slack was down as soon as the adapter starts", async () => {
    const question = "Come si richiede il bonus asilo nido per i tirocinanti?";
    const { mention } = await answeredMention(question);
    await h.stop();

    const curator = { channel: "cli" as const, userId: "local" };
    const [group] = sportello.curation.listUnanswered().groups;
    const draft = sportello.curation.draftFaq(
      { id: "bonus-asilo-nido", question, answer: "Si chiede all'INPS.", groupId: group?.id },
      curator,
    );
    sportello.curation.approveFaq(draft.id, curator);
    sportello.curation.publishFaq(draft.id, curator);
    await sportello.flushNotifications();
    expect(sportello.store.notifications.pending("slack")).toHaveLength(1);

    h = await startHttpHarness(sportello);
    const [notice] = await h.api.waitFor("chat.postMessage");
    expect(notice?.args.thread_ts).toBe(mention.ts);
    expect(blockTexts(notice?.args.blocks).join("\n")).toContain("Si chiede all'INPS.");
  });

  it("answers /sportello ephemerally, and shares the answer in the channel on request", async () => {
    await h.sendCommand(privacy);
    const [reply] = await h.api.waitFor("response_url");
    expect(reply?.args.response_type).toBe("ephemeral");
    expect(blockTexts(reply?.args.blocks).join("\n")).toContain("Titolare dei dati");
    const id = interactionIdOf(reply?.args.blocks as unknown[]);
    await h.click("sportello_share", id, { channel: "CGENERAL", ephemeral: true });
    const [shared] = await h.api.waitFor("chat.postMessage");
    expect(shared?.response.ok).toBe(true);
    expect(blockTexts(shared?.args.blocks).join("\n")).toContain("condivisa da <@UOPER>");
    // One question asked, whatever happened to the message afterwards.
    expect(sportello.curation.stats().totals.questions).toBe(1);
  });

  it("refuses users and workspaces outside the configuration", async () => {
    await h.sendEvent(messageEvent(privacy, { user: "USCONOSCIUTO", channel: "DSCONOSCIUTO" }));
    const [refusal] = await h.api.waitFor("chat.postMessage");
    expect(blockTexts(refusal?.args.blocks).join(" ")).toContain("non sono abilitato");

    await h.sendEvent({ ...mentionEvent(privacy, { user: "UOPER" }), team: "TALTRO" });
    const [ephemeral] = await h.api.waitFor("chat.postEphemeral");
    expect(ephemeral?.args.user).toBe("UOPER");
    // Both refusals are in the log, as refusals without their text; no question was answered.
    expect(sportello.curation.stats().totals.questions).toBe(0);
    expect(sportello.curation.stats().totals.refused).toBe(2);
  });

  it("answers anyone in a served channel", async () => {
    const { post } = await answeredMention(privacy, "UCOLLEGA");
    expect(blockTexts(post?.args.blocks).join("\n")).toContain("Titolare dei dati");
  });

  it("reads a follow-up in a thread against the thread's question", async () => {
    const { mention } = await answeredMention("Quanti navigator lavorano in Emilia-Romagna?");
    const before = h.api.callsTo("chat.postMessage").length;
    await h.sendEvent(
      messageEvent("e in Piemonte?", { channelType: "channel", threadTs: mention.ts }),
    );
    const posts = await h.api.waitFor("chat.postMessage", () => true, before + 1);
    const reply = posts[before];
    expect(reply?.args.thread_ts).toBe(mention.ts);
    const texts = blockTexts(reply?.args.blocks).join("\n");
    expect(texts).toContain("Intendi: «Quanti navigator lavorano in Piemonte?»");
    expect(texts).not.toContain("Non lo trovo");
  });
});
