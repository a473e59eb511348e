// Reads the Telegram settings from the environment (validated with zod), for `sportello serve`.
import { z } from "zod";
import { SportelloError } from "../../src/errors.js";

const envSchema = z.object({
  TELEGRAM_BOT_TOKEN: z
    .string()
    .trim()
    .regex(/^\d+:[A-Za-z0-9_-]+$/, "expected the form 123456789:AA… given by BotFather")
    .optional(),
  TELEGRAM_API_ROOT: z.url().optional(),
  TELEGRAM_WEBHOOK_URL: z.url().optional(),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, "1-256 characters among A-Z a-z 0-9 _ -")
    .optional(),
  TELEGRAM_WEBHOOK_HOST: z.string().min(1).optional(),
  TELEGRAM_WEBHOOK_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  TELEGRAM_WEBHOOK_PATH: z.string().startsWith("/").optional(),
});

export interface TelegramEnvOptions {
  token: string;
  apiRoot?: string;
  webhook?: { url: string; secret?: string; host?: string; port?: number; path?: string };
}

/**
 * The adapter's options from the environment, or undefined when TELEGRAM_BOT_TOKEN is not set
 * (the bot is simply not started). Empty variables count as unset.
 */
export function readTelegramEnv(
  env: NodeJS.ProcessEnv = process.env,
): TelegramEnvOptions | undefined {
  const present = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => key.startsWith("TELEGRAM_") && value !== ""),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SportelloError(
      "CONFIG_INVALID",
      `telegram: ${String(issue?.path[0] ?? "environment")} is invalid (${issue?.message}): fix it or unset it`,
    );
  }
  const e = parsed.data;
  if (!e.TELEGRAM_BOT_TOKEN) return undefined;
  const options: TelegramEnvOptions = { token: e.TELEGRAM_BOT_TOKEN };
  if (e.TELEGRAM_API_ROOT) options.apiRoot = e.TELEGRAM_API_ROOT.replace(/\/+$/, "");
  if (e.TELEGRAM_WEBHOOK_URL) {
    options.webhook = {
      url: e.TELEGRAM_WEBHOOK_URL,
      ...(e.TELEGRAM_WEBHOOK_SECRET ? { secret: e.TELEGRAM_WEBHOOK_SECRET } : {}),
      ...(e.TELEGRAM_WEBHOOK_HOST ? { host: e.TELEGRAM_WEBHOOK_HOST } : {}),
      ...(e.TELEGRAM_WEBHOOK_PORT !== undefined ? { port: e.TELEGRAM_WEBHOOK_PORT } : {}),
      ...(e.TELEGRAM_WEBHOOK_PATH ? { path: e.TELEGRAM_WEBHOOK_PATH } : {}),
    };
  }
  return options;
}
