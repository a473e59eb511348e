// The adapter's connection settings from Sportello's configuration (file and environment, already
// validated by src/config): the token, the Bot API root and the webhook, checked against
// Telegram's own rules so that a bad value fails at start with a message saying what to fix.
import { SportelloError, say } from "../../src/index.js";

/** The `telegram` section of the configuration (TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_URL, …). */
export interface TelegramConfigSection {
  botToken?: string;
  webhookUrl?: string;
  webhookSecret?: string;
  apiRoot?: string;
}

export interface TelegramSettings {
  token: string;
  apiRoot?: string;
  webhook?: { url: string; secret?: string; host?: string; port?: number; path?: string };
}

/**
 * Settings for `createTelegramAdapter`, or undefined when no bot token is configured (the bot is
 * then simply not started). `listen` sets where the webhook's local HTTP server binds.
 */
export function telegramSettings(
  section: TelegramConfigSection,
  listen: { host?: string; port?: number; path?: string } = {},
): TelegramSettings | undefined {
  const token = section.botToken?.trim();
  if (!token) return undefined;
  if (!/^\d+:[A-Za-z0-9_-]+$/.test(token)) {
    throw new SportelloError("CONFIG_INVALID", say("telegram.error_token_format"));
  }
  const settings: TelegramSettings = { token };
  if (section.apiRoot) settings.apiRoot = section.apiRoot.replace(/\/+$/, "");
  if (section.webhookUrl) {
    const secret = section.webhookSecret;
    if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
      throw new SportelloError("CONFIG_INVALID", say("telegram.error_webhook_secret"));
    }
    settings.webhook = {
      url: section.webhookUrl,
      ...(secret ? { secret } : {}),
      ...(listen.host ? { host: listen.host } : {}),
      ...(listen.port !== undefined ? { port: listen.port } : {}),
      ...(listen.path ? { path: listen.path } : {}),
    };
  }
  return settings;
}
