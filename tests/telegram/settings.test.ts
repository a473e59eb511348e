// Settings from the configuration: no token means no bot; a malformed token or webhook secret is
// refused at start with a message that says what to fix.
import { describe, expect, it } from "vitest";
import { createTelegramAdapter } from "../../adapters/telegram/index.js";
import { telegramSettings } from "../../adapters/telegram/settings.js";
import { isSportelloError } from "../../src/errors.js";
import { telegramSportello } from "./answers.js";
import { FakeBotApi } from "./fake-bot-api.js";

describe("telegramSettings", () => {
  it("is undefined without a token, long polling with one, webhook with a URL", () => {
    expect(telegramSettings({})).toBeUndefined();
    expect(
      telegramSettings({ botToken: "123:ABC_def-9", apiRoot: "http://127.0.0.1:8081/" }),
    ).toEqual({
      token: "123:ABC_def-9",
      apiRoot: "http://127.0.0.1:8081",
    });
    expect(
      telegramSettings(
        {
          botToken: "123:ABC",
          webhookUrl: "https://bot.example.it/telegram",
          webhookSecret: "s3gr3to_x",
        },
        { port: 8443 },
      ),
    ).toEqual({
      token: "123:ABC",
      webhook: { url: "https://bot.example.it/telegram", secret: "s3gr3to_x", port: 8443 },
    });
  });

  it("refuses a malformed token or secret with an actionable message", () => {
    expect(() => telegramSettings({ botToken: "not a token" })).toThrow(
      /TELEGRAM_BOT_TOKEN non sembra un token di BotFather/,
    );
    expect(() =>
      telegramSettings({
        botToken: "123:ABC",
        webhookUrl: "https://x.it/h",
        webhookSecret: "con spazi!",
      }),
    ).toThrow(/TELEGRAM_WEBHOOK_SECRET può contenere solo/);
  });
});

describe("starting the bot", () => {
  it("says in Italian that the Bot API refused the token, and what to check", async () => {
    const api = await FakeBotApi.start();
    try {
      const adapter = createTelegramAdapter({
        token: "999999:token-revocato",
        apiRoot: api.apiRoot,
        sportello: telegramSportello({}),
        logger: () => {},
      });
      const error = await adapter.start().then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(isSportelloError(error) && error.code).toBe("CONFIG_INVALID");
      expect((error as Error).message).toBe(
        "telegram: il Bot API ha rifiutato il token (401 Unauthorized): controllare TELEGRAM_BOT_TOKEN, o copiarlo di nuovo da @BotFather",
      );
      await adapter.stop();
    } finally {
      await api.close();
    }
  });
});
