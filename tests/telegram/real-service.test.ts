// End to end with the real service: grammY polling the fake Bot API, the real Sportello (answer
// engine on the shipped corpus in knowledge/, SQLite store in a temporary folder, access from the
// configuration, the curation loop and its notifications).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { renderTelegramAnswer } from "../../adapters/telegram/render.js";
import type { SportelloApp } from "../../src/app.js";
import {
  openShippedEngine,
  type ShippedEngine,
  startTestService,
  type TestService,
} from "../support/real-service.js";
import type { FakeUser } from "./fake-bot-api.js";
import {
  navigator,
  privateChat,
  type Running,
  startBot,
  stranger,
  teamGroup,
  trainer,
} from "./harness.js";
import { parseTelegramHtml } from "./telegram-html.js";

const coordinator: FakeUser = { id: 1003, first_name: "Anna", username: "anna_coord" };
const colleague: FakeUser = { id: 2001, first_name: "Luca" };
const me = privateChat(navigator);

let engine: ShippedEngine;
let service: TestService;
let sportello: SportelloApp;
let bot: Running;

beforeAll(async () => {
  engine = await openShippedEngine();
});

afterAll(() => engine.remove());

beforeEach(async () => {
  service = startTestService(engine.opened, {
    roles: {
      operators: [`telegram:${navigator.id}`],
      trainers: [`telegram:${trainer.id}`],
      coordinators: [`telegram:${coordinator.id}`],
    },
    telegram: { chats: [String(teamGroup.id)] },
  });
  sportello = service.sportello;
  bot = await startBot({ sportello });
});

afterEach(async () => {
  await bot.stop();
  await service.close();
});

async function ask(text: string, chat = me, from = navigator) {
  const reply = bot.nextMessage(chat.id);
  const update = await bot.api.sendText(chat, from, text);
  return { update, reply: await reply };
}

describe("telegram bot on the real service and corpus", () => {
  it("answers a private question with its citations, and /fonte 1 opens the passage", async () => {
    const { reply } = await ask(
      "Come vengono trattati i dati personali nella convenzione con la Basilicata?",
    );
    expect(reply.text).toContain("Titolare dei dati");
    expect(reply.text).toMatch(
      /Fonti\n1\. Convenzione Anpal Servizi–Basilicata › Art\. 3 – Trattamento dei dati personali, righe \d+-\d+/,
    );
    expect(reply.reply_markup?.inline_keyboard.flat()).toHaveLength(3);
    expect(bot.api.calls.filter((c) => !c.ok)).toEqual([]);

    const source = (await ask("/fonte 1")).reply;
    const cited = engine.opened.engine.ask(
      "Come vengono trattati i dati personali nella convenzione con la Basilicata?",
    ).parts.citations[0];
    const passage = engine.opened.engine.passage(cited?.passageId ?? "");
    expect(source.text).toContain("Fonte 1");
    expect(source.text.replace(/\s+/g, " ")).toContain(
      passage?.passage.text.replace(/\s+/g, " ").slice(0, 120),
    );
  });

  it("records the feedback buttons in the store", async () => {
    const { reply } = await ask("Quanti navigator lavorano in Emilia-Romagna?");
    const [useful, notUseful] = reply.reply_markup?.inline_keyboard[0] ?? [];
    await bot.api.press(navigator, reply, useful?.callback_data ?? "");
    await bot.api.waitFor(() => bot.api.callsOf("answerCallbackQuery").length === 1, "first press");
    expect(bot.api.callsOf("answerCallbackQuery")[0]?.params.text).toBe(
      "Grazie, ho registrato il tuo riscontro.",
    );
    await bot.api.waitFor(
      () => bot.api.callsOf("editMessageReplyMarkup").length === 1,
      "buttons removed",
    );

    const second = (await ask("Cosa prevede la linea 19 del piano?")).reply;
    const notUsefulData = second.reply_markup?.inline_keyboard[0]?.[1]?.callback_data ?? "";
    expect(notUseful?.text).toBe("👎 Non utile");
    await bot.api.press(navigator, second, notUsefulData);
    await bot.api.press(navigator, second, "fb1:u:999999:AAAAAAAAAAAA");
    await bot.api.waitFor(() => bot.api.callsOf("answerCallbackQuery").length === 3, "all presses");
    const totals = sportello.curation.stats().totals;
    expect(totals).toMatchObject({ helpful: 1, notHelpful: 1 });
    expect(sportello.curation.listUnanswered().groups).toHaveLength(1);
  });

  it("refuses a stranger politely, answers in a served group only when mentioned", async () => {
    const refusal = (await ask("Chi firma la convenzione?", privateChat(stranger), stranger)).reply;
    expect(refusal.text).toBe(
      "Mi dispiace, questo servizio è riservato agli operatori abilitati. Se pensi di averne diritto, chiedi al tuo coordinatore di aggiungerti.",
    );
    expect(sportello.curation.stats().totals.refused).toBe(1);

    await bot.api.sendText(teamGroup, colleague, "oggi riunione sui navigator dell'Emilia-Romagna");
    const { update, reply } = await ask(
      "@sportello_test_bot quanti navigator lavorano in Emilia-Romagna?",
      teamGroup,
      colleague,
    );
    expect(reply.replyTo).toBe(update.message.message_id);
    expect(reply.text).toContain("navigator");
    expect(bot.api.messagesTo(teamGroup.id)).toHaveLength(1);
    expect(sportello.curation.stats().totals.questions).toBe(1);
  });

  it("closes the FAQ loop: declined, drafted, approved, published, the asker notified in Telegram", async () => {
    const question = "Come si richiede il bonus asilo nido per i tirocinanti?";
    const { update, reply } = await ask(question);
    expect(reply.text).toContain("Non lo trovo nei documenti");
    expect(reply.reply_markup).toBeUndefined();

    const pending = (await ask("/pendenti", privateChat(trainer), trainer)).reply;
    expect(pending.text).toContain("Domande senza risposta più frequenti\n1. ");
    expect(pending.text).toContain(`es. «${question}»`);
    expect((await ask("/pendenti")).reply.text).toBe(
      "Questo comando è riservato a formatori e coordinatori.",
    );

    const [group] = sportello.curation.listUnanswered().groups;
    const asTrainer = { channel: "telegram" as const, userId: String(trainer.id) };
    const asCoordinator = { channel: "telegram" as const, userId: String(coordinator.id) };
    const draft = sportello.curation.draftFaq(
      {
        id: "bonus-asilo-nido-tirocinanti",
        question,
        answer: "Il bonus asilo nido si chiede all'INPS; il tirocinio non cambia i requisiti.",
        tags: ["Tirocini"],
        groupId: group?.id,
      },
      asTrainer,
    );
    sportello.curation.approveFaq(draft.id, asCoordinator);
    const notice = bot.nextMessage(me.id);
    sportello.curation.publishFaq(draft.id, asCoordinator);
    const notification = await notice;
    expect(notification.text).toContain(`ora ha una risposta: «${question}»`);
    expect(notification.text).toContain("Il bonus asilo nido si chiede all'INPS");
    expect(notification.replyTo).toBe(update.message.message_id);

    const again = (await ask("come richiedere il bonus asilo nido per i tirocinanti?")).reply;
    expect(again.text).toContain("Il bonus asilo nido si chiede all'INPS");

    const topics = (await ask("/faq")).reply;
    expect(topics.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toContain("Tirocini");
  });

  it("reads a short follow-up against the previous question of the chat", async () => {
    await ask("Quanti navigator lavorano in Emilia-Romagna?");
    const { reply } = await ask("e in Piemonte?");
    expect(reply.text.split("\n")[0]).toBe("Intendi: «Quanti navigator lavorano in Piemonte?»");
    expect(reply.text).toContain("Piemonte");
    expect(reply.text).not.toContain("Non lo trovo");
    // Someone else starts from scratch: a follow-up continues only its author's question.
    const other = await ask("e in Piemonte?", privateChat(trainer), trainer);
    expect(other.reply.text).not.toContain("Intendi");
  });
});

describe("real answers rendered for Telegram", () => {
  const questions = [
    "Chi firma la convenzione tra ANPAL Servizi e la Regione Basilicata?",
    "Cosa sono i livelli essenziali delle prestazioni?",
    "Che cosa prevede la determinazione 369 del 2020 del Piemonte?",
    "Quali sono le attività del piano di assistenza tecnica?",
    "Cosa prevede la linea 19 del piano?",
    "Quanti navigator lavorano in Emilia-Romagna?",
    "Come si calcola la pensione di vecchiaia in Francia?",
    "",
    "😀😀😀",
    'foo:bar ~2 ^3 -meno *stella "aperte',
    "<script>alert(1)</script> & DROP TABLE interazioni; --",
    "convenzione ".repeat(1_000),
  ];

  it("are valid Telegram HTML within 4,096 characters, citations numbered in order", () => {
    for (const question of [...questions, ...engine.opened.fileFaqs.map((f) => f.question)]) {
      const answer = engine.opened.engine.ask(question);
      const messages = renderTelegramAnswer(answer);
      expect(messages.length, question).toBeGreaterThan(0);
      const shown = messages.map((m) => {
        const parsed = parseTelegramHtml(m.text);
        if (!parsed.ok) throw new Error(`${parsed.error} for «${question.slice(0, 40)}»`);
        expect(parsed.text.length).toBeLessThanOrEqual(4096);
        return parsed.text;
      });
      const all = shown.join("\n");
      for (const citation of answer.parts.citations) {
        expect(all, question).toContain(`${citation.n}. ${citation.documentTitle}`);
      }
    }
  });
});
