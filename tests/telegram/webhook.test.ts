// The same bot receiving updates by webhook: the fake server POSTs them to the adapter's HTTP
// server with the secret header, as Telegram does.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FakeSportello } from "../support/fake-sportello.js";
import { telegramSportello } from "./answers.js";
import { navigator, privateChat, type Running, startBot, stranger, teamGroup } from "./harness.js";

let sportello: FakeSportello;
let bot: Running;
const me = privateChat(navigator);

beforeEach(async () => {
  sportello = telegramSportello({ "1001": ["operator"] });
  bot = await startBot({ sportello, mode: "webhook", webhookSecret: "segreto-di-prova_123" });
});

afterEach(async () => {
  await bot.stop();
});

describe("telegram bot by webhook", () => {
  it("registers the webhook with its secret and never polls", () => {
    const [call] = bot.api.callsOf("setWebhook");
    expect(call?.params).toMatchObject({
      url: bot.api.webhook?.url,
      secret_token: "segreto-di-prova_123",
      allowed_updates: ["message", "callback_query"],
    });
    expect(bot.api.webhook?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/telegram\/hook$/);
    expect(bot.api.callsOf("getUpdates")).toEqual([]);
  });

  it("answers a private question with citations", async () => {
    const reply = bot.nextMessage(me.id);
    await bot.api.sendText(me, navigator, "Chi paga l'INAIL del tirocinio?");
    const message = await reply;
    expect(message.text).toContain(
      "Fonti\n1. Convenzione Basilicata › Art. 3 › Obblighi delle parti, p. 4",
    );
    expect(message.reply_markup?.inline_keyboard.flat()).toHaveLength(3);
  });

  it("answers a mention in a group and ignores the rest of the conversation", async () => {
    await bot.api.sendText(teamGroup, navigator, "chi viene alla riunione sul tirocinio?");
    const reply = bot.nextMessage(teamGroup.id);
    const update = await bot.api.sendText(
      teamGroup,
      navigator,
      "@sportello_test_bot durata del tirocinio?",
    );
    expect((await reply).replyTo).toBe(update.message.message_id);
    await bot.adapter.idle();
    expect(sportello.asked.map((a) => a.question.text)).toEqual(["durata del tirocinio?"]);
  });

  it("rejects a request without the right secret with 401 and answers nothing", async () => {
    const update = {
      update_id: 4242,
      message: { message_id: 1, date: 0, chat: me, from: navigator, text: "tirocinio?" },
    };
    expect(await bot.api.deliver(update, "segreto-sbagliato")).toBe(401);
    const url = bot.api.webhook?.url ?? "";
    const bare = await fetch(url, { method: "POST", body: JSON.stringify(update) });
    expect(bare.status).toBe(401);
    const wrongPath = await fetch(url.replace("/hook", "/altro"), { method: "POST", body: "{}" });
    expect(wrongPath.status).toBe(404);
    await bot.adapter.idle();
    expect(sportello.asked).toEqual([]);
    expect(bot.api.sent).toEqual([]);
  });

  it("processes a redelivered update once", async () => {
    const update = {
      update_id: 777,
      message: {
        message_id: 10,
        date: 0,
        chat: me,
        from: navigator,
        text: "Chi paga l'INAIL del tirocinio?",
      },
    };
    expect(await bot.api.deliver(update)).toBe(200);
    expect(await bot.api.deliver(update)).toBe(200);
    await bot.adapter.idle();
    expect(sportello.asked).toHaveLength(1);
    expect(bot.api.messagesTo(me.id)).toHaveLength(1);
  });

  it("records feedback and refuses strangers the same way as long polling", async () => {
    const reply = bot.nextMessage(me.id);
    await bot.api.sendText(me, navigator, "Chi paga l'INAIL del tirocinio?");
    const message = await reply;
    await bot.api.press(
      navigator,
      message,
      message.reply_markup?.inline_keyboard[0]?.[1]?.callback_data ?? "",
    );
    await bot.api.waitFor(() => bot.api.callsOf("answerCallbackQuery").length, "callback answered");
    expect(sportello.feedbacks).toMatchObject([
      { interactionId: 1, identity: { channel: "telegram", userId: "1001" }, kind: "non_utile" },
    ]);

    const theirs = privateChat(stranger);
    const refusal = bot.nextMessage(theirs.id);
    await bot.api.sendText(theirs, stranger, "tirocinio?");
    expect((await refusal).text).toContain("Non sei abilitato");
  });

  it("a declined question is answered later through the FAQ loop, by notification", async () => {
    const reply = bot.nextMessage(me.id);
    const update = await bot.api.sendText(me, navigator, "Serve il DID online?");
    expect((await reply).text).toContain("Non ho trovato una risposta");
    const notice = bot.nextMessage(me.id);
    await sportello.publishFaq({
      id: "did-online",
      question: "Serve il DID online?",
      answer: "Sì, sul portale ANPAL.",
      tags: [],
    });
    const notification = await notice;
    expect(notification.text).toContain("ora ha una risposta: Sì, sul portale ANPAL.");
    expect(notification.replyTo).toBe(update.message.message_id);
  });

  it("switching back to long polling deletes the webhook", async () => {
    const api = bot.api;
    await bot.adapter.stop();
    const polling = await startBot({ sportello, api });
    try {
      expect(api.callsOf("deleteWebhook")).toHaveLength(1);
      expect(api.webhook).toBeUndefined();
      const reply = polling.nextMessage(me.id);
      await api.sendText(me, navigator, "Chi paga l'INAIL del tirocinio?");
      expect((await reply).text).toContain("Fonti");
    } finally {
      await polling.stop();
    }
  });
});
