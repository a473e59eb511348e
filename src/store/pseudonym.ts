// Keyed pseudonyms for platform ids and sealed delivery addresses. Raw user ids never reach the
// disk: the log keeps an HMAC of `channel:userId`; an address needed for a later notification is
// kept encrypted with AES-256-GCM under a key derived from the same secret.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import * as z from "zod";
import { channels } from "../answer/types.js";
import { SportelloError } from "../errors.js";
import { say } from "../prompts.js";
import type { DeliveryAddress } from "../service.js";

const addressSchema = z.lazy(() =>
  z.object({
    channel: z.enum(channels),
    chatId: z.string(),
    threadId: z.string().optional(),
    userId: z.string(),
  }),
);

export interface Sealer {
  /** A short keyed digest that tells whether two secrets are the same, revealing neither. */
  readonly fingerprint: string;
  /** Stable pseudonym of a platform user (32 hex characters). */
  pseudonym(channel: string, userId: string): string;
  /** Pseudonym of a conversation or chat id, so threads can be followed without the raw id. */
  conversation(channel: string, conversationId: string): string;
  seal(address: DeliveryAddress): Buffer;
  open(sealed: Buffer): DeliveryAddress;
}

const ivLength = 12;
const tagLength = 16;

export function createSealer(secret: string): Sealer {
  const key = Buffer.from(
    hkdfSync("sha256", secret, "sportello", "delivery-address aes-256-gcm", 32),
  );
  const hmac = (label: string) =>
    createHmac("sha256", secret).update(label).digest("hex").slice(0, 32);
  return {
    fingerprint: hmac("sportello: fingerprint of the secret"),
    pseudonym: (channel, userId) => hmac(`${channel}:${userId}`),
    conversation: (channel, conversationId) => hmac(`conversation:${channel}:${conversationId}`),
    seal(address) {
      const iv = randomBytes(ivLength);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([cipher.update(JSON.stringify(address), "utf8"), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    open(sealed) {
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, ivLength));
        decipher.setAuthTag(sealed.subarray(ivLength, ivLength + tagLength));
        const text = Buffer.concat([
          decipher.update(sealed.subarray(ivLength + tagLength)),
          decipher.final(),
        ]).toString("utf8");
        return addressSchema.parse(JSON.parse(text));
      } catch (cause) {
        throw new SportelloError("STORE_FAILED", say("store.address_unreadable"), { cause });
      }
    },
  };
}
