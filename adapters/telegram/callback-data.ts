// The data behind inline buttons: short, signed where pressing changes something, and parsed
// defensively when it comes back, because Telegram hands back whatever a client sends.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { FeedbackKind } from "../../src/index.js";

/** Telegram rejects buttons whose callback_data is over 64 bytes (BUTTON_DATA_INVALID). */
export const CALLBACK_DATA_LIMIT = 64;

const feedbackCodes: Record<FeedbackKind, string> = { utile: "u", non_utile: "n", segnala: "s" };
const feedbackByCode = new Map(
  Object.entries(feedbackCodes).map(([k, c]) => [c, k as FeedbackKind]),
);

export type CallbackAction =
  | { kind: "feedback"; feedback: FeedbackKind; interactionId: number }
  | { kind: "faq-topic"; topicKey: string }
  | { kind: "faq-entry"; faqKey: string };

/** Signs and checks callback data with a key derived from the bot token (stable across restarts). */
export class CallbackCodec {
  readonly #key: Buffer;

  constructor(secret: string) {
    this.#key = createHash("sha256").update(`sportello-telegram-callback:${secret}`).digest();
  }

  #sign(payload: string, chatId: string): string {
    return createHmac("sha256", this.#key)
      .update(`${payload}|${chatId}`)
      .digest("base64url")
      .slice(0, 12);
  }

  /** `fb1:<kind>:<interaction>:<signature>`; the signature binds it to the chat it was sent to. */
  feedback(kind: FeedbackKind, interactionId: number, chatId: string): string {
    const payload = `fb1:${feedbackCodes[kind]}:${interactionId}`;
    return `${payload}:${this.#sign(payload, chatId)}`;
  }

  faqTopic(topicKey: string): string {
    return `fq1:t:${topicKey}`;
  }

  faqEntry(faqKey: string): string {
    return `fq1:q:${faqKey}`;
  }

  /** The action behind `data` pressed in `chatId`, or undefined when forged, stale or malformed. */
  parse(data: string | undefined, chatId: string): CallbackAction | undefined {
    if (!data || Buffer.byteLength(data) > CALLBACK_DATA_LIMIT) return undefined;
    const fb = /^(fb1:([uns]):([1-9]\d{0,15})):([A-Za-z0-9_-]{12})$/.exec(data);
    if (fb) {
      const [, payload = "", code = "", id = "", signature = ""] = fb;
      const expected = Buffer.from(this.#sign(payload, chatId));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
      const feedback = feedbackByCode.get(code);
      const interactionId = Number(id);
      if (!feedback || !Number.isSafeInteger(interactionId)) return undefined;
      return { kind: "feedback", feedback, interactionId };
    }
    const faq = /^fq1:([tq]):([A-Za-z0-9_-]{1,16})$/.exec(data);
    if (faq) {
      const [, type, key = ""] = faq;
      return type === "t"
        ? { kind: "faq-topic", topicKey: key }
        : { kind: "faq-entry", faqKey: key };
    }
    return undefined;
  }
}

/** A short stable key for a FAQ topic or entry, so that long names fit in callback data. */
export function shortKey(value: string): string {
  return createHash("sha256").update(value).digest("base64url").slice(0, 10);
}
