// The bot as a navigator meets it, by long polling: real grammY against the fake Bot API server,
// with a deterministic stand-in for the Sportello service.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FakeSportello } from "../support/fake-sportello.js";
import { telegramSportello } from "./answers.js";
import {
  navigator,
  privateChat,
  type Running,
  startBot,
  stranger,
  teamGroup,
  trainer,
} from "./harness.js";

let sportello: FakeSportello;
let bot: Running;

beforeEach(async () => {
  sportello = telegramSportello({ "1001": ["operator"], "1002": ["operator", "trainer"] });
  bot = await startBot({ sportello });
});

afterEach(async () => {
  await bot.stop();
});

const me = privateChat(navigator);

async function ask(text: string, chat = me, from = navigator) {
  const reply = bot.nextMessage(chat.id);
  const update = await bot.api.sendText(chat, from, text);
  return { update, reply: await reply };
}

describe("telegram bot by long polling", () => {
  it("registers its commands with Italian descriptions", () => {
    const commands = bot.api.commands.map((c) => c.command);
    expect(commands).toEqual(["start", "aiuto", "domanda", "fonte", "faq", "pendenti"]);
    expect(bot.api.commands.find((c) => c.command === "fonte")?.description).toMatch(/fonte N/);
  });

  it("answers a private question with numbered citations and feedback buttons, typing first", async () => {
    const { update, reply } = await ask("Chi paga l'INAIL del tirocinio?");
    expect(reply.text).toContain("Ecco cosa dicono i documenti:");
    expect(reply.text).toContain(
      "Fonti\n1. Convenzione Basilicata › Art. 3 › Obblighi delle parti, p. 4",
    );
    expect(reply.text).toContain(
      "2. Linee guida sui tirocini <extracurriculari> & formazione › Sezione 2, righe 40-52",
    );
    expect(reply.html).toContain(
      "<i>Linee guida sui tirocini &lt;extracurriculari&gt; &amp; formazione</i>",
    );
    const labels = reply.reply_markup?.inline_keyboard.flat().map((b) => b.text);
    expect(labels).toEqual(["👍 Utile", "👎 Non utile", "❓ Segnala ai formatori"]);
    const methods = bot.api.calls.map((c) => c.method);
    expect(methods.indexOf("sendChatAction")).toBeLessThan(methods.lastIndexOf("sendMessage"));
    expect(bot.api.callsOf("sendChatAction")[0]?.params).toMatchObject({
      chat_id: me.id,
      action: "typing",
    });
    expect(sportello.asked[0]?.address).toEqual({
      channel: "telegram",
      chatId: String(me.id),
      threadId: String(update.message.message_id),
      userId: String(navigator.id),
    });
  });

  it("shows HTML and Markdown characters in a question exactly as typed", async () => {
    const typed = "tirocinio <b>grassetto</b> & *stelle* _sotto_ `codice` [link](x) &amp; <script>";
    const { reply } = await ask(typed);
    expect(reply.text).toContain(`Hai chiesto: ${typed}`);
    expect(reply.html).not.toContain("<b>grassetto");
    expect(sportello.asked[0]?.question.text).toBe(typed);
    expect(bot.api.calls.filter((c) => !c.ok)).toEqual([]);
  });

  it("ignores group talk that is not for it and answers a mention, a reply and /domanda", async () => {
    await bot.api.sendText(teamGroup, navigator, "ragazzi, domani riunione sul tirocinio?");
    const { update, reply } = await ask("@sportello_test_bot quanto dura un tirocinio?", teamGroup);
    expect(sportello.asked.map((a) => a.question.text)).toEqual(["quanto dura un tirocinio?"]);
    expect(bot.api.messagesTo(teamGroup.id)).toHaveLength(1);
    expect(reply.replyTo).toBe(update.message.message_id);
    expect(reply.text).toContain("Fonti");

    const second = bot.nextMessage(teamGroup.id);
    await bot.api.sendText(teamGroup, trainer, "e per i tirocini estivi?", { replyTo: reply });
    expect((await second).text).toContain("Hai chiesto: e per i tirocini estivi?");

    const third = await ask("/domanda@sportello_test_bot chi assicura il tirocinante?", teamGroup);
    expect(third.reply.text).toContain("Hai chiesto: chi assicura il tirocinante?");
    await bot.settled(
      await bot.api.sendText(teamGroup, navigator, "/domanda@altro_bot chi assicura?"),
    );
    const fourth = await ask("@Sportello_Test_Bot, tirocini in Basilicata?", teamGroup);
    expect(fourth.reply.text).toContain("Hai chiesto: tirocini in Basilicata?");
    expect(sportello.asked).toHaveLength(4);
  });

  it("/fonte N shows the full passage behind citation N of the last answer", async () => {
    await ask("Chi paga l'INAIL del tirocinio?");
    const { reply } = await ask("/fonte 1");
    expect(reply.text).toContain(
      "Fonte 1\nConvenzione Basilicata\nArt. 3 › Obblighi delle parti › p. 4",
    );
    expect(reply.text).toContain(
      "La Regione vigila sul rispetto degli obblighi <e> delle scadenze.",
    );
    expect((await ask("/fonte 7")).reply.text).toBe(
      "La mia ultima risposta cita le fonti da 1 a 2: scrivi per esempio /fonte 1.",
    );
    expect((await ask("/fonte uno")).reply.text).toContain("Indica il numero della fonte");
    const trainerChat = privateChat(trainer);
    expect((await ask("/fonte 1", trainerChat, trainer)).reply.text).toContain(
      "fai prima una domanda",
    );
  });

  it("splits a very long answer into valid messages at paragraph and sentence boundaries", async () => {
    const first = bot.nextMessage(me.id);
    await bot.api.sendText(me, navigator, "una risposta lunga sul tirocinio");
    await first;
    const last = await bot.api.waitFor(
      () => bot.api.messagesTo(me.id).find((m) => m.reply_markup),
      "the message with the keyboard",
    );
    const parts = bot.api.messagesTo(me.id);
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.at(-1)).toBe(last);
    expect(parts.filter((m) => m.reply_markup)).toHaveLength(1);
    expect(bot.api.calls.filter((c) => !c.ok)).toEqual([]);
    for (const part of parts) expect(part.text.length).toBeLessThanOrEqual(4096);
    const all = parts.map((p) => p.text).join("\n");
    for (let i = 1; i <= 70; i++) {
      expect(all.split(`Frase numero ${i} del paragrafo lungo`).length - 1).toBe(1);
    }
    // every message but the last ends at the end of a sentence or paragraph
    for (const part of parts.slice(0, -1)) expect(part.text).toMatch(/[.:!?]$/);
    expect(all.indexOf("Paragrafo 4")).toBeLessThan(all.indexOf("Frase numero 1 "));
    expect(all.indexOf("Frase numero 70")).toBeLessThan(all.indexOf("Paragrafo 5"));
  });

  it("records feedback from the buttons and removes them", async () => {
    const { reply } = await ask("Chi paga l'INAIL del tirocinio?");
    const useful = reply.reply_markup?.inline_keyboard[0]?.[0]?.callback_data ?? "";
    expect(Buffer.byteLength(useful)).toBeLessThanOrEqual(64);
    const pressed = await bot.api.press(navigator, reply, useful);
    await bot.api.waitFor(
      () => bot.api.callsOf("editMessageReplyMarkup").length,
      "buttons removed",
    );
    const answered = bot.api.callsOf("answerCallbackQuery");
    expect(answered).toEqual([
      {
        method: "answerCallbackQuery",
        ok: true,
        params: { callback_query_id: pressed.callbackId, text: "Grazie, registrato." },
      },
    ]);
    expect(sportello.feedbacks).toMatchObject([
      { interactionId: 1, identity: { channel: "telegram", userId: "1001" }, kind: "utile" },
    ]);
    expect(bot.api.messagesTo(me.id)[0]?.reply_markup).toBeUndefined();
  });

  it("answers a forged or stale button with a short notice and records nothing", async () => {
    const { reply } = await ask("Chi paga l'INAIL del tirocinio?");
    const genuine = reply.reply_markup?.inline_keyboard[1]?.[0]?.callback_data ?? "";
    const [prefix, kind, , signature] = genuine.split(":");
    const forged = [
      `${prefix}:${kind}:2:${signature}`, // someone else's answer, same signature
      "fb1:u:1:AAAAAAAAAAAA",
      "fb1:x:1",
      "qualcosa di inventato",
      "fq1:q:nonesiste",
    ];
    for (const data of forged) await bot.api.press(navigator, reply, data);
    await bot.api.waitFor(
      () => bot.api.callsOf("answerCallbackQuery").length === forged.length,
      "all notices",
    );
    for (const call of bot.api.callsOf("answerCallbackQuery")) {
      expect(call.params.text).toBe("Questo pulsante non è più valido.");
    }
    expect(sportello.feedbacks).toEqual([]);
    expect(bot.api.callsOf("editMessageReplyMarkup")).toEqual([]);
    expect(bot.api.messagesTo(me.id)).toHaveLength(1);
  });

  it("refuses an unauthorised user once, politely, and then stays silent", async () => {
    const theirs = privateChat(stranger);
    const { reply } = await ask("tirocinio?", theirs, stranger);
    expect(reply.text).toContain("Non sei abilitato");
    await bot.api.sendText(theirs, stranger, "tirocinio, di nuovo?");
    await bot.settled(await bot.api.sendText(theirs, stranger, "/faq"));
    expect(sportello.asked).toHaveLength(2);
    expect(bot.api.messagesTo(stranger.id)).toHaveLength(1);
    expect(bot.api.sent.some((m) => m.text.includes("Hai chiesto"))).toBe(false);
  });

  it("retries a send refused with 429 after retry_after and delivers the answer", async () => {
    bot.api.failNext("sendMessage", 1);
    const { reply } = await ask("Chi paga l'INAIL del tirocinio?");
    expect(reply.text).toContain("Fonti");
    const sends = bot.api.callsOf("sendMessage");
    expect(sends.map((c) => c.ok)).toEqual([false, true]);
    expect(sends[0]?.error).toBe("Too Many Requests: retry after 1");
    expect(sends[0]?.params.text).toBe(sends[1]?.params.text);
  });

  it("closes the loop: a declined question, a FAQ published, the asker notified, then answered", async () => {
    const { update, reply } = await ask("Quanto dura la NASpI?");
    expect(reply.text).toContain("Non ho trovato una risposta a «Quanto dura la NASpI?»");
    expect(reply.reply_markup).toBeUndefined();

    const notice = bot.nextMessage(me.id);
    await sportello.publishFaq({
      id: "naspi-durata",
      question: "Quanto dura la NASpI?",
      answer: "Per la metà delle settimane contributive degli ultimi 4 anni.",
      tags: ["NASpI"],
    });
    const notification = await notice;
    expect(notification.text).toBe(
      "La tua domanda «Quanto dura la NASpI?» ora ha una risposta: Per la metà delle settimane contributive degli ultimi 4 anni.",
    );
    expect(notification.replyTo).toBe(update.message.message_id);
    expect(sportello.delivered).toEqual([1]);

    const again = await ask("quanto dura la naspi");
    expect(again.reply.text).toContain("Per la metà delle settimane contributive");

    const topics = (await ask("/faq")).reply;
    expect(topics.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(["NASpI"]);
    const list = bot.nextMessage(me.id);
    await bot.api.press(
      navigator,
      topics,
      topics.reply_markup?.inline_keyboard[0]?.[0]?.callback_data ?? "",
    );
    const entries = await list;
    expect(entries.text).toBe("FAQ su «NASpI»:");
    const shown = bot.nextMessage(me.id);
    await bot.api.press(
      navigator,
      entries,
      entries.reply_markup?.inline_keyboard[0]?.[0]?.callback_data ?? "",
    );
    expect((await shown).text).toBe(
      "Quanto dura la NASpI?\n\nPer la metà delle settimane contributive degli ultimi 4 anni.",
    );
  });

  it("processes a duplicate update once", async () => {
    const reply = bot.nextMessage(me.id);
    const update = {
      update_id: 9000,
      message: {
        message_id: 5000,
        date: Math.floor(Date.now() / 1000),
        chat: me,
        from: navigator,
        text: "Chi paga l'INAIL del tirocinio?",
      },
    };
    await Promise.all([bot.api.deliver(update), bot.api.deliver(update)]);
    await reply;
    await bot.adapter.idle();
    expect(sportello.asked).toHaveLength(1);
    expect(bot.api.messagesTo(me.id)).toHaveLength(1);
    expect(bot.logs).toContain("telegram: duplicate update 9000 ignored");
  });

  it("apologises when answering fails, logs the code and keeps serving", async () => {
    const { reply } = await ask("un guasto nel tirocinio");
    expect(reply.text).toBe(
      "Mi dispiace, qualcosa è andato storto mentre rispondevo. Riprova tra poco.",
    );
    expect(bot.logs.some((l) => l.includes("code=STORE_FAILED"))).toBe(true);
    expect(bot.logs.join("\n")).not.toContain("guasto");
    expect((await ask("Chi paga l'INAIL del tirocinio?")).reply.text).toContain("Fonti");
  });

  it("/start lists the documents and regions; /pendenti is for trainers only", async () => {
    const start = (await ask("/start")).reply;
    expect(start.text).toContain("Convenzione Regione Basilicata – ANPAL Servizi (Basilicata)");
    expect(start.text).toContain("(nazionale)");
    expect(start.text).toContain("Regioni coperte: Basilicata.");
    expect((await ask("/aiuto")).reply.text).toContain("/fonte N");
    await ask("Quanto dura la NASpI?");
    expect((await ask("/pendenti")).reply.text).toBe(
      "Questo comando è riservato a formatori e coordinatori.",
    );
    const mine = privateChat(trainer);
    const list = (await ask("/pendenti", mine, trainer)).reply;
    expect(list.text).toContain("1. quanto dura la naspi: 1 richiesta, il ");
    expect(list.text).toContain("es. «Quanto dura la NASpI?»");
  });
});

describe("telegram bot limits and shutdown", () => {
  it("limits each user's pace with one polite notice", async () => {
    await bot.stop();
    bot = await startBot({ sportello, rateLimit: { limit: 2, windowMs: 3_600_000 } });
    await ask("tirocinio 1");
    await ask("tirocinio 2");
    const notice = (await ask("tirocinio 3")).reply;
    expect(notice.text).toMatch(/^Stai scrivendo molto in fretta: riprova tra \d+ secondi/);
    await bot.settled(await bot.api.sendText(me, navigator, "tirocinio 4"));
    const other = privateChat(trainer);
    await ask("tirocinio per un altro utente", other, trainer);
    expect(bot.api.messagesTo(me.id)).toHaveLength(3);
    expect(sportello.asked.map((a) => a.question.text)).toEqual([
      "tirocinio 1",
      "tirocinio 2",
      "tirocinio per un altro utente",
    ]);
  });

  it("refuses a stranger with the same words for a command and for a photo", async () => {
    const theirs = privateChat(stranger);
    const refusal = (await ask("/aiuto", theirs, stranger)).reply;
    const other = { id: 6667, first_name: "Altro" };
    const photo = bot.nextMessage(other.id);
    await bot.api.deliver({
      update_id: 900_001,
      message: { message_id: 1, date: 0, chat: privateChat(other), from: other, photo: [] },
    });
    expect(refusal.text).toMatch(/^Mi dispiace, non sei abilitato/);
    expect((await photo).text).toBe(refusal.text);
    expect(bot.api.messagesTo(stranger.id)).toHaveLength(1);
    expect(bot.api.messagesTo(other.id)).toHaveLength(1);
  });

  it("gives the same pace notice for questions and for commands", async () => {
    await bot.stop();
    bot = await startBot({ sportello, rateLimit: { limit: 1, windowMs: 3_600_000 } });
    await ask("tirocinio 1");
    const byQuestion = (await ask("tirocinio 2")).reply;
    const mine = privateChat(trainer);
    await ask("/faq", mine, trainer);
    const byCommand = (await ask("/fonte 1", mine, trainer)).reply;
    expect(byQuestion.text).toMatch(/^Stai scrivendo molto in fretta/);
    expect(byCommand.text).toBe(byQuestion.text);
    await bot.settled(await bot.api.sendText(mine, trainer, "/pendenti"));
    expect(bot.api.messagesTo(trainer.id)).toHaveLength(2);
  });

  it("stop() finishes the answers in flight before returning", async () => {
    const release = sportello.hold();
    await bot.api.sendText(me, navigator, "Chi paga l'INAIL del tirocinio?");
    await bot.api.waitFor(() => sportello.asked.length === 1, "question received");
    let stopped = false;
    const stopping = bot.adapter.stop().then(() => {
      stopped = true;
    });
    await bot.api.waitFor(
      () => bot.api.callsOf("getUpdates").some((c) => c.params.limit === 1),
      "offset saved",
    );
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(bot.api.messagesTo(me.id)).toHaveLength(1);
    expect(bot.api.messagesTo(me.id)[0]?.text).toContain("Fonti");
  });
});
