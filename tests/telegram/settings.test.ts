// Settings from the configuration: no token means no bot; a malformed token or webhook secret is
// refused at start with a message that says what to fix.
import { describe, expect, it } from "vitest";
import { telegramSettings } from "../../adapters/telegram/settings.js";

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
      /TELEGRAM_BOT_TOKEN.*BotFather/,
    );
    expect(() =>
      telegramSettings({
        botToken: "123:ABC",
        webhookUrl: "https://x.it/h",
        webhookSecret: "con spazi!",
      }),
    ).toThrow(/TELEGRAM_WEBHOOK_SECRET may only contain/);
  });
});
