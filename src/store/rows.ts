// What leaves the store: every row read back from SQLite is parsed with these schemas, so a
// hand-edited or damaged database shows up as a clear error instead of a wrong value downstream.
// The schemas of the store and of the knowledge files are built at their first use (`z.lazy`):
// building them all at import cost a cold `ask`, which reads few of them, some 7 ms.
import * as z from "zod";
import { type Channel, channels } from "../answer/types.js";
import { SportelloError } from "../errors.js";
import { faqSourceSchema, regionSchema } from "../knowledge/types.js";
import { say } from "../prompts.js";

function isChannel(value: string): value is Channel {
  return (channels as readonly string[]).includes(value);
}

import { faqStates, groupStatuses, interactionStatuses, queueItemKinds } from "../vocabulary.js";

// The vocabulary lives in src/vocabulary.ts; re-exported for the store's own modules.
export {
  type FaqState,
  faqStates,
  type GroupStatus,
  groupStatuses,
  type InteractionStatus,
  interactionStatuses,
  type QueueItemKind,
  queueItemKinds,
} from "../vocabulary.js";

const jsonText = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: say("store.json_invalid") });
        return z.NEVER;
      }
    })
    .pipe(schema);

export const interactionRowSchema = z.lazy(() =>
  z
    .object({
      id: z.number().int(),
      created_at: z.string(),
      channel: z.enum(channels),
      user_hash: z.string(),
      conversation_hash: z.string().nullable(),
      status: z.enum(interactionStatuses),
      text: z.string().nullable(),
      source: z.enum(["faq", "documents"]).nullable(),
      faq_id: z.string().nullable(),
      faq_version: z.number().int().nullable(),
      passage_ids: jsonText(z.array(z.string())),
      fingerprint: z.string().nullable(),
      confidence: z.number().nullable(),
      latency_ms: z.number().nullable(),
      reason: z.string().nullable(),
      region: z.string().nullable(),
      uncertain: z.number().nullable(),
      has_address: z.number().transform((n) => n === 1),
    })
    .transform((row) => ({
      id: row.id,
      createdAt: row.created_at,
      channel: row.channel,
      userHash: row.user_hash,
      conversationHash: row.conversation_hash,
      status: row.status,
      text: row.text,
      source: row.source,
      faq: row.faq_id === null ? null : { id: row.faq_id, version: row.faq_version ?? 0 },
      passageIds: row.passage_ids,
      fingerprint: row.fingerprint,
      confidence: row.confidence,
      latencyMs: row.latency_ms,
      reason: row.reason,
      region: row.region,
      /** Answered without certainty; null when declined, refused, or logged before it was kept. */
      uncertain: row.uncertain === null ? null : row.uncertain === 1,
      hasAddress: row.has_address,
    })),
);
export type InteractionRecord = z.infer<typeof interactionRowSchema>;

/** The FAQ fields kept in a version; a draft may still lack its answer and review date. */
export const faqContentSchema = z.lazy(() =>
  z.object({
    question: z.string().min(1),
    alternatives: z.array(z.string()).default([]),
    answer: z.string().default(""),
    sources: z.array(faqSourceSchema).default([]),
    tags: z.array(z.string()).default([]),
    region: regionSchema.default(null),
    reviewed: z.string().nullable().default(null),
  }),
);
export type FaqContent = z.infer<typeof faqContentSchema>;

export const faqVersionRowSchema = z.lazy(() =>
  z
    .object({
      seq: z.number().int(),
      faq_id: z.string(),
      version: z.number().int(),
      state: z.enum(faqStates),
      content: jsonText(faqContentSchema),
      author_hash: z.string(),
      author_name: z.string().nullable(),
      reason: z.string(),
      created_at: z.string(),
      group_id: z.number().int().nullable(),
    })
    .transform((row) => ({
      faqId: row.faq_id,
      version: row.version,
      state: row.state,
      content: row.content,
      author: row.author_name ?? `utente ${row.author_hash.slice(0, 8)}`,
      authorHash: row.author_hash,
      reason: row.reason,
      createdAt: row.created_at,
      groupId: row.group_id,
    })),
);
export type FaqVersion = z.infer<typeof faqVersionRowSchema>;

export const groupRowSchema = z.lazy(() =>
  z
    .object({
      id: z.number().int(),
      label: z.string(),
      status: z.enum(groupStatuses),
      faq_id: z.string().nullable(),
      dismiss_reason: z.string().nullable(),
      count: z.number().int(),
      first_seen: z.string().nullable(),
      last_seen: z.string().nullable(),
      channels: z.string().nullable(),
      regions: z.string().nullable(),
      uncertain: z.number().nullable(),
    })
    .transform((row) => ({
      id: row.id,
      label: row.label,
      status: row.status,
      faqId: row.faq_id,
      dismissReason: row.dismiss_reason,
      count: row.count,
      firstSeen: row.first_seen ?? "",
      lastSeen: row.last_seen ?? "",
      channels: (row.channels ? row.channels.split(",").sort() : []).filter(isChannel),
      regions: row.regions ? row.regions.split(",").sort() : [],
      /** How many of its questions were answered with uncertainty ("da verificare"). */
      uncertain: row.uncertain ?? 0,
    })),
);
export type GroupRow = z.infer<typeof groupRowSchema>;

/** A JSON array of FAQ ids as the queue stores it; anything else reads as none. */
function faqIdList(json: string | null): string[] {
  if (json === null) return [];
  try {
    const parsed = JSON.parse(json) as unknown;
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === "string") : [];
  } catch {
    return [];
  }
}

export const groupItemRowSchema = z.lazy(() =>
  z
    .object({
      id: z.number().int(),
      interaction_id: z.number().int(),
      kind: z.enum(queueItemKinds),
      created_at: z.string(),
      text: z.string().nullable(),
      channel: z.enum(channels),
      region: z.string().nullable(),
      answer: z.string().nullable(),
      answer_source: z.string().nullable(),
      answer_alternatives: z.string().nullable(),
      source: z.enum(["faq", "documents"]).nullable(),
      faq_id: z.string().nullable(),
      faq_version: z.number().int().nullable(),
      confidence: z.number().nullable(),
      helpful: z.number().int(),
    })
    .transform((row) => ({
      id: row.id,
      interactionId: row.interaction_id,
      kind: row.kind,
      createdAt: row.created_at,
      text: row.text ?? "",
      channel: row.channel,
      region: row.region,
      /**
       * For a question answered with uncertainty: what it was told (the FAQ's answer or the
       * sentence from the documents, with its source), and the FAQ offered; null otherwise.
       */
      given:
        row.kind === "uncertain"
          ? {
              source: row.source,
              answer: row.answer,
              answerSource: row.answer_source,
              faq: row.faq_id === null ? null : { id: row.faq_id, version: row.faq_version ?? 0 },
              /** The other FAQ its answer named, by id, in the order named. */
              alternatives: faqIdList(row.answer_alternatives),
              confidence: row.confidence,
              /** Its asker marked the answer "utile": a hint that it was the right one. */
              helpful: row.helpful === 1,
            }
          : null,
    })),
);
export type GroupItem = z.infer<typeof groupItemRowSchema>;

export const notificationRowSchema = z.lazy(() =>
  z
    .object({
      id: z.number().int(),
      channel: z.enum(channels),
      user_hash: z.string(),
      address: z.instanceof(Buffer),
      faq_id: z.string(),
      faq_version: z.number().int(),
      group_id: z.number().int().nullable(),
      text: z.string(),
      created_at: z.string(),
      delivered_at: z.string().nullable(),
      attempts: z.number().int(),
      last_error: z.string().nullable(),
    })
    .transform((row) => ({
      id: row.id,
      channel: row.channel,
      userHash: row.user_hash,
      sealedAddress: row.address,
      faqId: row.faq_id,
      faqVersion: row.faq_version,
      groupId: row.group_id,
      text: row.text,
      createdAt: row.created_at,
      deliveredAt: row.delivered_at,
      attempts: row.attempts,
      lastError: row.last_error,
    })),
);
export type NotificationRecord = z.infer<typeof notificationRowSchema>;

export const auditRowSchema = z.lazy(() =>
  z
    .object({
      id: z.number().int(),
      at: z.string(),
      actor: z.string(),
      action: z.string(),
      target: z.string().nullable(),
      detail: z.union([z.null(), jsonText(z.record(z.string(), z.unknown()))]),
    })
    .transform((row) => ({
      id: row.id,
      at: row.at,
      /** The actor's pseudonym (as in the log), or a system actor such as "knowledge-file". */
      actor: row.actor,
      action: row.action,
      target: row.target,
      detail: row.detail,
    })),
);
export type AuditEntry = z.infer<typeof auditRowSchema>;

/** Parses one row, turning a mismatch into a STORE_FAILED error that names the table. */
export function parseRow<T extends z.ZodType>(schema: T, row: unknown, table: string): z.infer<T> {
  const parsed = schema.safeParse(row);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SportelloError(
      "STORE_FAILED",
      say("store.row_invalid", {
        table,
        field: issue?.path.join(".") ?? "",
        problem: issue?.message ?? "",
      }),
    );
  }
  return parsed.data;
}

export function parseRows<T extends z.ZodType>(
  schema: T,
  rows: unknown[],
  table: string,
): z.infer<T>[] {
  return rows.map((row) => parseRow(schema, row, table));
}
