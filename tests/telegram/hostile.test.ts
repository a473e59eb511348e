// Replayed callbacks and over-long questions against the real service: grammY polling the fake
// Bot API, the real Sportello on a temporary SQLite file.
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { maxQuestionLength } from "../../src/service.js";
import {
  openShippedEngine,
  type ShippedEngine,
  startTestService,
  type TestService,
} from "../support/real-service.js";
import { navigator, privateChat, type Running, startBot } from "./harness.js";

const me = privateChat(navigator);
let engine: ShippedEngine;
let service: TestService;
let bot: Running;

beforeAll(async () => {
  engine = await openShippedEngine();
});
afterAll(() => engine.remove());
beforeEach(async () => {
  service = startTestService(engine.opened, {
    roles: { operators: [`telegram:${navigator.id}`] },
  });
  bot = await startBot({ sportello: service.sportello });
});
afterEach(async () => {
  await bot.stop();
  await service.close();
});

function feedbackRows(): number {
  const db = new Database(service.config.dbPath, { readonly: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM feedback").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe("telegram under replays and long messages", () => {
  it("stores one row for a feedback callback replayed five times", async () => {
    const reply = bot.nextMessage(me.id);
    await bot.api.sendText(me, navigator, "Quanti navigator lavorano in Emilia-Romagna?");
    const answer = await reply;
    const useful = answer.reply_markup?.inline_keyboard[0]?.[0]?.callback_data ?? "";
    // The same button data five times (what a replayed or repeated callback carries).
    for (let i = 0; i < 5; i++) await bot.api.press(navigator, answer, useful);
    await bot.api.waitFor(
      () => bot.api.callsOf("answerCallbackQuery").length >= 5,
      "every press answered",
    );
    expect(feedbackRows()).toBe(1);
    expect(service.sportello.curation.stats().totals).toMatchObject({ helpful: 1 });
  });

  it("answers a question over the limit with a polite note, every time, and logs nothing", async () => {
    const long = "Come funziona la convenzione con la Basilicata? ".repeat(60);
    expect(long.length).toBeGreaterThan(maxQuestionLength);
    for (let i = 0; i < 2; i++) {
      const reply = bot.nextMessage(me.id);
      await bot.api.sendText(me, navigator, long);
      expect((await reply).text).toMatch(
        /troppo lunga \(\d+ caratteri\).* al massimo 2000 caratteri/,
      );
    }
    expect(service.sportello.curation.stats().totals.questions).toBe(0);
  });
});
