// The Slack adapter with the real Bolt in HTTP mode: signed requests in, Web API calls out.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FakeSportello } from "../support/fake-sportello.js";
import { passage, slackSportello, specialBody } from "./answers.js";
import { fakeBot } from "./fake-web-api.js";
import {
  actionIdsOf,
  blockTexts,
  type HttpHarness,
  sectionTexts,
  startHttpHarness,
  until,
  viewTexts,
} from "./harness.js";
import {
  eventEnvelope,
  mentionEvent,
  messageEvent,
  postSigned,
  signature,
  signingSecret,
} from "./slack-requests.js";

let sportello: FakeSportello;
let h: HttpHarness;

beforeEach(async () => {
  sportello = slackSportello();
  h = await startHttpHarness(sportello);
});

afterEach(async () => {
  await h.stop();
});

/** Sends a DM and waits for its answer: everything sent before it has been handled by then. */
async function barrier(): Promise<void> {
  await h.sendEvent(messageEvent("barriera sui dati", { user: "UBARRIER", channel: "DBARRIER" }));
  await h.api.waitFor("chat.postMessage", (c) => c.args.channel === "DBARRIER");
}

describe("questions", () => {
  it("answers a mention in the mention's thread, with numbered sources", async () => {
    const mention = mentionEvent("Come vanno trattati i dati personali?");
    const { status } = await h.sendEvent(mention);
    expect(status).toBe(200);

    const [post] = await h.api.waitFor("chat.postMessage");
    expect(post?.args.channel).toBe("CGENERAL");
    expect(post?.args.thread_ts).toBe(mention.ts);
    const texts = blockTexts(post?.args.blocks);
    expect(texts.join("\n")).toContain("Regolamento (UE) 2016/679");
    expect(texts.some((t) => t.includes("*[1]* Convenzione Basilicata › Art. 3"))).toBe(true);
    expect(String(post?.args.text)).toContain("Regolamento (UE) 2016/679");
    expect(post?.token).toBe("xoxb-test-token");

    expect(sportello.asked[0]?.question.text).toBe("Come vanno trattati i dati personali?");
    expect(sportello.asked[0]?.address).toEqual({
      channel: "slack",
      chatId: "CGENERAL",
      threadId: mention.ts,
      userId: "UOPER",
    });
  });

  it("answers follow-ups in a thread it answered, without a new mention", async () => {
    const mention = mentionEvent("dati personali?");
    await h.sendEvent(mention);
    await h.api.waitFor("chat.postMessage");

    await h.sendEvent(
      messageEvent("e per la privacy dei minori?", {
        channelType: "channel",
        threadTs: mention.ts,
      }),
    );
    const posts = await h.api.waitFor("chat.postMessage", () => true, 2);
    expect(posts[1]?.args.thread_ts).toBe(mention.ts);
    expect(sportello.asked[1]?.question.text).toBe("e per la privacy dei minori?");
  });

  it("leaves alone threads it never answered, asking Slack when it does not remember", async () => {
    h.api.threadReplies.set("CGENERAL:1690000999.000100", [{ user: "UOPER", text: "ciao" }]);
    await h.sendEvent(
      messageEvent("dati tra colleghi", { channelType: "channel", threadTs: "1690000999.000100" }),
    );
    // A thread answered before a restart: Slack's history shows the bot's reply.
    h.api.threadReplies.set("CGENERAL:1690000888.000100", [
      { user: "UOPER", text: "domanda" },
      { user: fakeBot.userId, text: "risposta" },
    ]);
    await h.sendEvent(
      messageEvent("e sui dati?", { channelType: "channel", threadTs: "1690000888.000100" }),
    );
    const [post] = await h.api.waitFor("chat.postMessage");
    expect(post?.args.thread_ts).toBe("1690000888.000100");
    await barrier();
    expect(sportello.asked.map((a) => a.question.text)).not.toContain("dati tra colleghi");
  });

  it("stays silent in a thread whose history it cannot read", async () => {
    await h.sendEvent(
      messageEvent("dati riservati", { channelType: "channel", threadTs: "1690000777.000100" }),
    );
    await until(() => h.logs.some((l) => l.includes("thread history unavailable")), "log line");
    await barrier();
    expect(h.api.callsTo("conversations.replies")[0]?.response.error).toBe("thread_not_found");
    expect(h.api.callsTo("chat.postMessage").map((c) => c.args.channel)).toEqual(["DBARRIER"]);
    expect(h.logs.some((l) => l.includes("thread history unavailable"))).toBe(true);
  });

  it("treats every direct message as a question, answered in the DM", async () => {
    await h.sendEvent(messageEvent("Chi tratta i dati?", { channel: "DOPER" }));
    const [post] = await h.api.waitFor("chat.postMessage");
    expect(post?.args.channel).toBe("DOPER");
    expect(post?.args.thread_ts).toBeUndefined();
    expect(sportello.asked[0]?.address).toEqual({
      channel: "slack",
      chatId: "DOPER",
      userId: "UOPER",
    });
  });

  it("ignores its own messages, other bots and edits", async () => {
    await h.sendEvent(messageEvent("dati dal bot", { user: fakeBot.userId }));
    await h.sendEvent(
      messageEvent("dati da un altro bot", { botId: "BOTHER", subtype: "bot_message" }),
    );
    await h.sendEvent(messageEvent("dati da un'integrazione", { botId: "BOTHER", user: "UINTEG" }));
    await h.sendEvent(messageEvent("dati modificati", { subtype: "message_changed" }));
    await barrier();
    expect(sportello.asked.map((a) => a.question.text)).toEqual(["barriera sui dati"]);
  });

  it("says how to ask when the mention has no question", async () => {
    await h.sendEvent(mentionEvent(""));
    const [notice] = await h.api.waitFor("chat.postEphemeral");
    expect(blockTexts(notice?.args.blocks).join(" ")).toContain("Scrivimi la domanda");
    expect(sportello.asked).toHaveLength(0);
  });
});

describe("slash command", () => {
  it("answers ephemerally with a button to share the answer in the channel", async () => {
    const { status, responseId } = await h.sendCommand("trattamento dei dati personali");
    expect(status).toBe(200);
    const [reply] = await h.api.waitFor(
      "response_url",
      (c) => c.args.response_type === "ephemeral",
    );
    expect(blockTexts(reply?.args.blocks).join("\n")).toContain("Regolamento (UE) 2016/679");
    expect(actionIdsOf(reply?.args.blocks)).toContain("sportello_share");
    expect(sportello.asked[0]?.address).toEqual({
      channel: "slack",
      chatId: "CGENERAL",
      userId: "UOPER",
    });

    const interactionId = String(101);
    await h.click("sportello_share", interactionId, { channel: "CGENERAL", ephemeral: true });
    const [shared] = await h.api.waitFor("chat.postMessage");
    expect(shared?.args.channel).toBe("CGENERAL");
    const texts = blockTexts(shared?.args.blocks).join("\n");
    expect(texts).toContain("condivisa da <@UOPER>");
    expect(texts).toContain("Regolamento (UE) 2016/679");
    expect(actionIdsOf(shared?.args.blocks)).not.toContain("sportello_share");
    await h.api.waitFor("response_url", (c) => c.args.delete_original === true);
    expect(responseId).toBeTruthy();
  });

  it("explains the usage when the command has no question", async () => {
    await h.sendCommand("   ");
    const [reply] = await h.api.waitFor("response_url");
    expect(blockTexts(reply?.args.blocks).join(" ")).toContain("/sportello <domanda>");
    expect(sportello.asked).toHaveLength(0);
  });
});

describe("rendering through the Web API", () => {
  it("splits a long answer across sections within Slack's limits, losing nothing", async () => {
    await h.sendEvent(messageEvent("una risposta lunga"));
    const [post] = await h.api.waitFor("chat.postMessage");
    expect(post?.response.ok).toBe(true);
    const sections = sectionTexts(post);
    expect(sections.length).toBeGreaterThan(3);
    for (const text of sections) expect(text.length).toBeLessThanOrEqual(3000);
    const joined = sections.join(" ");
    for (const seed of ["Primo", "Secondo", "Terzo"]) expect(joined).toContain(seed);
    // Every character of the body is shown: 2,500 + 4,500 + 2,000 characters of prose.
    expect(joined.replace(/\s+/g, "").length).toBeGreaterThan(7_500);
  });

  it("says plainly what is left out of an answer too long for one message", async () => {
    await h.sendEvent(messageEvent("una risposta lunghissima"));
    const [post] = await h.api.waitFor("chat.postMessage");
    expect(post?.response.ok).toBe(true);
    expect(post?.args.blocks).toHaveLength(50);
    expect(sectionTexts(post).at(-1)).toMatch(/caratteri non mostrati/);
  });

  it("escapes &, < and > so text cannot ping the channel or inject markup", async () => {
    await h.sendEvent(messageEvent("caratteri speciali"));
    const [post] = await h.api.waitFor("chat.postMessage");
    const body = sectionTexts(post).join("\n");
    expect(body).toContain("&lt;!channel&gt;");
    expect(body).toContain("costi &amp; benefici, soglia &gt; 3 e &lt; 5");
    expect(body).not.toContain("<!channel>");
    expect(String(post?.args.text)).not.toContain("<!channel>");
    expect(specialBody).toContain("<!channel>");
  });
});

describe("buttons", () => {
  async function answeredMessage() {
    await h.sendEvent(mentionEvent("dati personali?"));
    const [post] = await h.api.waitFor("chat.postMessage");
    const value = String(101);
    return {
      message: {
        channel: "CGENERAL",
        ts: String(post?.response.ts),
        text: String(post?.args.text),
        blocks: post?.args.blocks as unknown[],
      },
      value,
    };
  }

  it.each([
    ["sportello_feedback_utile", "utile", /<@UOPER> ha trovato \*utile\*/],
    ["sportello_feedback_non_utile", "non_utile", /<@UOPER> ha segnato .* \*non utile\*/],
    ["sportello_feedback_segnala", "segnala", /<@UOPER> ha \*segnalato\*/],
  ] as const)("%s is recorded and the message shows the choice", async (actionId, kind, shown) => {
    const { message, value } = await answeredMessage();
    expect(actionIdsOf(message.blocks)).toContain(actionId);
    const { status } = await h.click(actionId, value, message);
    expect(status).toBe(200);

    const [update] = await h.api.waitFor("chat.update");
    expect(sportello.feedbacks).toEqual([
      {
        interactionId: 101,
        identity: { channel: "slack", userId: "UOPER", chatId: "CGENERAL", workspaceId: "T1" },
        kind,
      },
    ]);
    expect(update?.args.ts).toBe(message.ts);
    expect(update?.response.ok).toBe(true);
    expect(actionIdsOf(update?.args.blocks)).not.toContain(actionId);
    expect(blockTexts(update?.args.blocks).join("\n")).toMatch(shown);
    // The answer itself stays.
    expect(blockTexts(update?.args.blocks).join("\n")).toContain("Regolamento (UE) 2016/679");
  });

  it("Mostra fonte opens the whole passage", async () => {
    const { message } = await answeredMessage();
    expect(actionIdsOf(message.blocks)).toContain("sportello_source_1");
    await h.click("sportello_source_1", passage.passage.id, message);
    const [open] = await h.api.waitFor("views.open");
    const view = open?.args.view as { blocks: unknown[]; type: string };
    expect(view.type).toBe("modal");
    const texts = blockTexts(view.blocks).join("\n");
    expect(texts).toContain("Convenzione Basilicata");
    expect(texts).toContain("righe 120-140");
    expect(texts).toContain("2016/679 &amp; del d.lgs. 196/2003 &lt;art. 13&gt;");
  });

  it("a source no longer in the documents gets an explanation", async () => {
    const { message } = await answeredMessage();
    await h.click("sportello_source_1", "sparito:0000", message);
    const [reply] = await h.api.waitFor("response_url");
    expect(blockTexts(reply?.args.blocks).join(" ")).toContain("non è più nei documenti");
  });

  it("feedback on an ephemeral answer replaces it with the choice", async () => {
    await h.sendCommand("dati personali");
    await h.api.waitFor("response_url");
    await h.click("sportello_feedback_utile", "101", { channel: "CGENERAL", ephemeral: true });
    const [replaced] = await h.api.waitFor("response_url", (c) => c.args.replace_original === true);
    expect(blockTexts(replaced?.args.blocks).join("\n")).toMatch(/ha trovato \*utile\*/);
    expect(sportello.feedbacks.map((f) => f.kind)).toEqual(["utile"]);
  });
});

describe("request verification", () => {
  const cases = [
    ["a forged signature", { signature: "v0=0000deadbeef" }],
    ["a signature made with another secret", { secret: "not-the-secret" }],
    ["no signature", { signature: null }],
    ["a timestamp older than five minutes", { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }],
  ] as const;

  it.each(cases)("rejects %s with 401 and runs no handler", async (_name, tamper) => {
    const body = JSON.stringify(eventEnvelope(mentionEvent("dati personali?")));
    const { status } = await postSigned(h.url, {
      body,
      contentType: "application/json",
      ...tamper,
    });
    expect(status).toBe(401);
    await barrier();
    expect(sportello.asked.map((a) => a.question.text)).toEqual(["barriera sui dati"]);
    expect(h.api.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("accepts the same request correctly signed (the signer is right)", async () => {
    const body = JSON.stringify(eventEnvelope(mentionEvent("dati personali?")));
    const ts = Math.floor(Date.now() / 1000);
    const { status } = await postSigned(h.url, {
      body,
      contentType: "application/json",
      timestamp: ts,
      signature: signature(signingSecret, ts, body),
    });
    expect(status).toBe(200);
    await h.api.waitFor("chat.postMessage");
  });
});

/** Holds every ask until released, to observe what happens before the answer exists. */
function holdAnswers(): () => void {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const ask = sportello.ask.bind(sportello);
  sportello.ask = async (question, address) => {
    await gate;
    return ask(question, address);
  };
  return release;
}

describe("resilience", () => {
  it("acknowledges events and commands before the answer is ready, and answers afterwards", async () => {
    const release = holdAnswers();
    const event = await h.sendEvent(mentionEvent("dati personali?"));
    const command = await h.sendCommand("dati personali");
    // Both HTTP responses came back while no answer existed yet.
    expect(event.status).toBe(200);
    expect(command.status).toBe(200);
    expect(h.api.callsTo("chat.postMessage")).toHaveLength(0);
    expect(h.api.callsTo("response_url")).toHaveLength(0);
    release();
    await h.api.waitFor("chat.postMessage");
    await h.api.waitFor("response_url");
  });

  it("processes a retried event once", async () => {
    const mention = mentionEvent("dati personali?");
    await h.sendEvent(mention, { eventId: "EvRETRY1" });
    await h.sendEvent(mention, { eventId: "EvRETRY1", retryNum: 1 });
    await h.sendEvent(mention, { eventId: "EvRETRY1", retryNum: 2 });
    await h.api.waitFor("chat.postMessage", (c) => c.args.channel === "CGENERAL");
    await barrier();
    expect(sportello.asked.map((a) => a.question.text)).toEqual([
      "dati personali?",
      "barriera sui dati",
    ]);
    expect(
      h.api.callsTo("chat.postMessage").filter((c) => c.args.channel === "CGENERAL"),
    ).toHaveLength(1);
    expect(h.logs.some((l) => l.includes("EvRETRY1 already processed"))).toBe(true);
  });

  it("retries a 429 from the Web API after Retry-After", async () => {
    h.api.inject("chat.postMessage", { status: 429, retryAfter: 1 });
    await h.sendEvent(mentionEvent("dati personali?"));
    const posts = await h.api.waitFor("chat.postMessage", (c) => c.status === 200);
    const all = h.api.callsTo("chat.postMessage");
    expect(all.map((c) => c.status)).toEqual([429, 200]);
    expect(posts[0]?.args.thread_ts).toBe(all[0]?.args.thread_ts);
    // Retry-After is in seconds: the second attempt did not come before it.
    expect((all[1]?.at ?? 0) - (all[0]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it("apologises in the thread and logs when answering fails", async () => {
    const mention = mentionEvent("fai esplodi il motore");
    await h.sendEvent(mention);
    const [post] = await h.api.waitFor("chat.postMessage");
    expect(post?.args.thread_ts).toBe(mention.ts);
    expect(blockTexts(post?.args.blocks).join(" ")).toContain("qualcosa è andato storto");
    expect(
      h.logs.some((l) => l.includes("app_mention failed") && l.includes("engine exploded")),
    ).toBe(true);
  });

  it("a Web API error while answering is logged and apologised for", async () => {
    h.api.inject("chat.postMessage", { error: "channel_not_found" });
    await h.sendEvent(messageEvent("dati personali?"));
    const posts = await h.api.waitFor("chat.postMessage", () => true, 2);
    expect(posts[0]?.response.error).toBe("channel_not_found");
    expect(blockTexts(posts[1]?.args.blocks).join(" ")).toContain("qualcosa è andato storto");
    expect(h.logs.some((l) => l.includes("channel_not_found"))).toBe(true);
  });

  it("stops gracefully: an answer being prepared is still delivered", async () => {
    let entered: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const release = holdAnswers();
    const held = sportello.ask;
    sportello.ask = (question, address) => {
      entered();
      return held(question, address);
    };
    await h.sendEvent(mentionEvent("dati personali?"));
    await started;
    const stopping = h.adapter.stop();
    release();
    await stopping;
    expect(h.api.callsTo("chat.postMessage").map((c) => c.response.ok)).toEqual([true]);
    // Stopped: the receiver no longer accepts requests.
    await expect(
      postSigned(h.url, { body: "{}", contentType: "application/json" }),
    ).rejects.toThrow();
  });
});

describe("access", () => {
  it("refuses an unauthorised user politely, only to them", async () => {
    await h.sendEvent(mentionEvent("dati personali?", { user: "UINTRUSO" }));
    const [notice] = await h.api.waitFor("chat.postEphemeral");
    expect(notice?.args.user).toBe("UINTRUSO");
    expect(blockTexts(notice?.args.blocks).join(" ")).toContain("non sono abilitato");
    expect(h.api.callsTo("chat.postMessage")).toHaveLength(0);
    // The service decided (and logged the refusal): the adapter asked with who was asking.
    expect(sportello.asked.map((a) => a.question.userId)).toEqual(["UINTRUSO"]);
  });

  it("refuses a workspace outside the configuration", async () => {
    await h.sendEvent({ ...messageEvent("dati personali?"), team: "TALTRO" });
    const [post] = await h.api.waitFor("chat.postMessage");
    expect(blockTexts(post?.args.blocks).join(" ")).toContain("non sono abilitato");
    // The workspace travels with the question, so the service refuses it and logs the refusal.
    expect(sportello.asked.map((a) => a.question.workspaceId)).toEqual(["TALTRO"]);
  });

  it("refuses the slash command and the buttons to an unauthorised user", async () => {
    await h.sendCommand("dati personali", "UINTRUSO");
    const [reply] = await h.api.waitFor("response_url");
    expect(blockTexts(reply?.args.blocks).join(" ")).toContain("non sono abilitato");
    await h.click("sportello_feedback_utile", "1", { channel: "CGENERAL", ts: "1.1" }, "UINTRUSO");
    const replies = await h.api.waitFor("response_url", () => true, 2);
    expect(blockTexts(replies[1]?.args.blocks).join(" ")).toContain("Non sei abilitato");
    expect(sportello.feedbacks).toHaveLength(0);
    expect(h.api.callsTo("chat.update")).toHaveLength(0);
  });

  it("refuses Mostra fonte with the same words as the slash command", async () => {
    await h.sendCommand("dati personali", "UINTRUSO");
    const [byCommand] = await h.api.waitFor("response_url");
    await h.click(
      "sportello_source_1",
      passage.passage.id,
      { channel: "CGENERAL", ts: "1.1" },
      "UINTRUSO",
    );
    const [, byButton] = await h.api.waitFor("response_url", () => true, 2);
    const refusal = blockTexts(byCommand?.args.blocks).join(" ");
    expect(refusal).toContain("non sono abilitato");
    expect(blockTexts(byButton?.args.blocks).join(" ")).toBe(refusal);
    expect(h.api.callsTo("views.open")).toHaveLength(0);
  });
});

describe("App Home", () => {
  const home = (user: string) => ({
    type: "app_home_opened",
    user,
    channel: "DHOME",
    tab: "home",
    event_ts: "1690000000.1",
  });

  it("shows trainers the unanswered groups and the week's figures", async () => {
    const now = new Date().toISOString();
    sportello.groups = [
      {
        id: 1,
        label: "assegno di inclusione <ADI>",
        count: 7,
        firstSeen: now,
        lastSeen: now,
        examples: ["come si chiede l'ADI?"],
        status: "aperta",
      },
      {
        id: 2,
        label: "tirocini in Molise",
        count: 2,
        firstSeen: "2020-01-01T00:00:00Z",
        lastSeen: "2020-01-02T00:00:00Z",
        examples: [],
        status: "in_lavorazione",
      },
    ];
    await h.sendEvent(home("UFORM"));
    const [publish] = await h.api.waitFor("views.publish");
    expect(publish?.args.user_id).toBe("UFORM");
    const texts = viewTexts(publish);
    expect(texts).toContain("Domande senza risposta");
    expect(texts).toContain("*assegno di inclusione &lt;ADI&gt;* · 7 domande");
    expect(texts).toContain("stato: in lavorazione");
    expect(texts).toMatch(/ultimi 7 giorni: \*7\* \(in 1 gruppi\)/);
    expect(texts).toContain("Gruppi ancora aperti: *2*");
  });

  it("shows operators a short guide", async () => {
    sportello.groups = [
      {
        id: 1,
        label: "segreto",
        count: 1,
        firstSeen: "2026-01-01",
        lastSeen: "2026-01-01",
        examples: [],
        status: "aperta",
      },
    ];
    await h.sendEvent(home("UOPER"));
    const [publish] = await h.api.waitFor("views.publish");
    const texts = viewTexts(publish);
    expect(texts).toContain("Come funziona");
    expect(texts).not.toContain("segreto");
    expect(texts).not.toContain("Domande senza risposta");
  });

  it("tells a refused user they are not enabled", async () => {
    await h.sendEvent(home("UINTRUSO"));
    const [publish] = await h.api.waitFor("views.publish");
    const texts = viewTexts(publish);
    expect(texts).toContain("Non sei abilitato");
  });
});

describe("notifications", () => {
  it("delivers the FAQ loop's message in the original thread", async () => {
    const port = sportello.notifiers.find((n) => n.channel === "slack");
    expect(port).toBeDefined();
    await port?.deliver({
      id: 1,
      faqId: "adi-domanda",
      text: "La tua domanda del 3 marzo ora ha una risposta: **vedi la FAQ** <ADI>.",
      address: {
        channel: "slack",
        chatId: "CGENERAL",
        threadId: "1690000001.000200",
        userId: "UOPER",
      },
    });
    const [post] = await h.api.waitFor("chat.postMessage");
    expect(post?.args.channel).toBe("CGENERAL");
    expect(post?.args.thread_ts).toBe("1690000001.000200");
    expect(blockTexts(post?.args.blocks).join("\n")).toContain("*vedi la FAQ* &lt;ADI&gt;");
  });

  it("sends a slash command's notification as a DM, not in the channel", async () => {
    await sportello.notifiers[0]?.deliver({
      id: 2,
      faqId: "adi-domanda",
      text: "Ora c'è una risposta.",
      address: { channel: "slack", chatId: "CGENERAL", userId: "UOPER" },
    });
    const [post] = await h.api.waitFor("chat.postMessage");
    expect(post?.args.channel).toBe("UOPER");
    expect(post?.args.thread_ts).toBeUndefined();
  });
});
