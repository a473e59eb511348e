// The interaction log and feedback: every question, redacted and pseudonymised on the way in.
import type { Channel } from "../answer/types.js";
import type { DeliveryAddress, FeedbackKind } from "../service.js";
import { type Db, preparedOnUse } from "./database.js";
import type { Sealer } from "./pseudonym.js";
import { redact } from "./redact.js";
import { type InteractionRecord, interactionRowSchema, parseRow } from "./rows.js";

export interface InteractionInput {
  channel: Channel;
  /** Raw platform id: only its pseudonym is written. */
  userId: string;
  /** Raw chat or thread id: only its pseudonym is written. */
  conversationId?: string;
  status: "answered" | "declined";
  /** Raw question text: only its redaction is written. */
  text: string;
  source: "faq" | "documents" | null;
  faq: { id: string; version: number } | null;
  passageIds: string[];
  fingerprint: string;
  confidence: number;
  /** Answered without certainty (a probable FAQ, documents under the "certain" bar). */
  uncertain?: boolean;
  latencyMs: number;
  reason: string | null;
  region: string | null;
  /** Where to notify the asker later; written encrypted. */
  address?: DeliveryAddress;
  at?: Date;
}

export interface RefusalInput {
  channel: Channel;
  userId: string;
  conversationId?: string;
  at?: Date;
}

export interface FeedbackInput {
  interactionId: number;
  channel: Channel;
  userId: string;
  kind: FeedbackKind;
  /** Raw comment: only its redaction is written. */
  comment?: string;
  at?: Date;
}

const selectInteraction = `
  SELECT id, created_at, channel, user_hash, conversation_hash, status, text, source, faq_id,
    faq_version, passage_ids, fingerprint, confidence, latency_ms, reason, region, uncertain,
    address IS NOT NULL AS has_address
  FROM interactions`;

export function createLogQueries(db: Db, sealer: Sealer, now: () => Date) {
  const insertInteraction = preparedOnUse(
    db,
    `
    INSERT INTO interactions (created_at, channel, user_hash, conversation_hash, status, text,
      source, faq_id, faq_version, passage_ids, fingerprint, confidence, latency_ms, reason,
      region, address, uncertain)
    VALUES (@createdAt, @channel, @userHash, @conversationHash, @status, @text, @source, @faqId,
      @faqVersion, @passageIds, @fingerprint, @confidence, @latencyMs, @reason, @region, @address,
      @uncertain)`,
  );
  const byId = preparedOnUse(db, `${selectInteraction} WHERE id = ?`);
  const addressOf = preparedOnUse(db, "SELECT address FROM interactions WHERE id = ?");
  // The same judgement twice (a replayed request, a double click) is one row; a later comment
  // replaces an earlier one.
  const insertFeedback = preparedOnUse(
    db,
    `
    INSERT INTO feedback (interaction_id, created_at, user_hash, kind, comment)
    VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (interaction_id, user_hash, kind)
      DO UPDATE SET comment = COALESCE(excluded.comment, comment)`,
  );
  const feedbackGiven = preparedOnUse(
    db,
    "SELECT 1 FROM feedback WHERE interaction_id = ? AND user_hash = ? AND kind = ?",
  );
  const exists = preparedOnUse(
    db,
    "SELECT 1 FROM interactions WHERE id = ? AND status != 'refused'",
  );

  const conversationHash = (channel: Channel, id: string | undefined) =>
    id === undefined ? null : sealer.conversation(channel, id);

  return {
    /** Writes one answered or declined question; returns its id. */
    logInteraction(input: InteractionInput): number {
      const result = insertInteraction.run({
        createdAt: (input.at ?? now()).toISOString(),
        channel: input.channel,
        userHash: sealer.pseudonym(input.channel, input.userId),
        conversationHash: conversationHash(input.channel, input.conversationId),
        status: input.status,
        text: redact(input.text),
        source: input.source,
        faqId: input.faq?.id ?? null,
        faqVersion: input.faq?.version ?? null,
        passageIds: JSON.stringify(input.passageIds),
        fingerprint: input.fingerprint,
        confidence: input.confidence,
        latencyMs: input.latencyMs,
        reason: input.reason,
        region: input.region,
        address: input.address ? sealer.seal(input.address) : null,
        // Known only for answers: a declined question is neither certain nor uncertain.
        uncertain: input.status === "answered" ? (input.uncertain ? 1 : 0) : null,
      });
      return Number(result.lastInsertRowid);
    },

    /** Records that someone was refused, without what they wrote. */
    logRefusal(input: RefusalInput): number {
      const result = insertInteraction.run({
        createdAt: (input.at ?? now()).toISOString(),
        channel: input.channel,
        userHash: sealer.pseudonym(input.channel, input.userId),
        conversationHash: conversationHash(input.channel, input.conversationId),
        status: "refused",
        text: null,
        source: null,
        faqId: null,
        faqVersion: null,
        passageIds: "[]",
        fingerprint: null,
        confidence: null,
        latencyMs: null,
        reason: null,
        region: null,
        address: null,
        uncertain: null,
      });
      return Number(result.lastInsertRowid);
    },

    interaction(id: number): InteractionRecord | undefined {
      const row = byId.get(id);
      return row === undefined ? undefined : parseRow(interactionRowSchema, row, "interactions");
    },

    /** The decrypted delivery address stored with an interaction, if any. */
    interactionAddress(id: number): DeliveryAddress | undefined {
      const row = addressOf.get(id) as { address: Buffer | null } | undefined;
      return row?.address ? sealer.open(row.address) : undefined;
    },

    /**
     * Records feedback: "new", "repeated" when this person already gave this judgement on this
     * answer (kept once), or false when the interaction does not exist (or was a refusal).
     */
    addFeedback(input: FeedbackInput): "new" | "repeated" | false {
      if (exists.get(input.interactionId) === undefined) return false;
      const comment = input.comment?.trim();
      const userHash = sealer.pseudonym(input.channel, input.userId);
      const repeated = feedbackGiven.get(input.interactionId, userHash, input.kind) !== undefined;
      insertFeedback.run(
        input.interactionId,
        (input.at ?? now()).toISOString(),
        userHash,
        input.kind,
        comment ? redact(comment) : null,
      );
      return repeated ? "repeated" : "new";
    },
  };
}

export type LogQueries = ReturnType<typeof createLogQueries>;
