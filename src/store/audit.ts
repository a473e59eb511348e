// The audit trail: one row per change made by a person (or by Sportello itself on their behalf)
// in curation and the console: who, when, what, on which object. The actor is written as the
// same keyed pseudonym the log uses, free text in the detail is redacted like every other text,
// and rows are never updated. The interaction log's retention purge does not touch this table:
// how long the audit trail is kept is a separate decision (no command deletes it today).
import type { Channel } from "../answer/types.js";
import { SportelloError } from "../errors.js";
import { say } from "../prompts.js";
import { type Db, preparedOnUse } from "./database.js";
import type { Sealer } from "./pseudonym.js";
import { redact } from "./redact.js";
import { type AuditEntry, auditRowSchema, parseRows } from "./rows.js";

/** Stable codes of what can be recorded; new ones are appended, never renamed. */
export const auditActions = [
  "faq.draft",
  "faq.edit",
  "faq.approve",
  "faq.publish",
  "faq.retire",
  "faq.import",
  "group.dismiss",
  "group.status",
  "log.purge",
  "console.signin",
  "console.signin_failed",
  "console.signin_throttled",
  "console.local_link",
  "knowledge.reingest",
  "knowledge.add",
  "knowledge.replace",
  "knowledge.remove",
  "knowledge.edit",
  "group.split",
  "group.merge",
  "group.move",
  "faq.suggestion",
] as const;
export type AuditAction = (typeof auditActions)[number];

/**
 * Actors that are not a person: changes Sportello makes by itself. `knowledge-file` is the
 * start-up import of `knowledge/faq/` files (the same marker the FAQ versions use as author);
 * `console` is the web console summing up failed sign-ins over many names.
 */
export const systemActors = ["knowledge-file", "console"] as const;
export type SystemActor = (typeof systemActors)[number];

/** A person (raw platform id: only its pseudonym is written) or Sportello itself. */
export type AuditActor = { channel: Channel; userId: string } | { system: SystemActor };

export type AuditValue = string | number | boolean | null | string[];
export type AuditDetail = Record<string, AuditValue>;

export interface AuditEntryInput {
  actor: AuditActor;
  action: AuditAction;
  /** What was changed: a FAQ id, a group number, a document id. */
  target?: string | number | null;
  /** A few named facts (a reason, a count, the states before and after); strings are redacted. */
  detail?: AuditDetail | null;
  at?: Date;
}

export interface AuditFilter {
  /** ISO time: entries at or after it. */
  since?: string;
  /** Entries whose action starts with this ("faq." or "faq" for every FAQ step). */
  actionPrefix?: string;
  /** Default 100, at most 10,000. */
  limit?: number;
  offset?: number;
}

// Long enough for a dismissal reason; an audit entry says what happened, it is not a copy.
const maxTextLength = 1000;
const maxListLength = 50;

function clean(text: string): string {
  const redacted = redact(text);
  return redacted.length > maxTextLength ? `${redacted.slice(0, maxTextLength - 1)}…` : redacted;
}

function cleanDetail(detail: AuditDetail): string {
  const out: AuditDetail = {};
  for (const [key, value] of Object.entries(detail)) {
    if (typeof value === "string") {
      out[key] = clean(value);
    } else if (Array.isArray(value)) {
      const kept = value.slice(0, maxListLength).map(clean);
      // A long list (a large import) keeps its start and says how many more there were.
      if (value.length > maxListLength) kept.push(`…+${value.length - maxListLength}`);
      out[key] = kept;
    } else {
      out[key] = value;
    }
  }
  return JSON.stringify(out);
}

export function createAuditQueries(db: Db, sealer: Sealer, now: () => Date) {
  const insert = preparedOnUse(
    db,
    "INSERT INTO audit (at, actor, action, target, detail) VALUES (@at, @actor, @action, @target, @detail)",
  );
  // '~' sorts after every character an action code may contain, so the prefix is a range the
  // index can serve.
  const filter = `
    WHERE (@since IS NULL OR at >= @since)
      AND (@prefix IS NULL OR (action >= @prefix AND action < @prefix || '~'))`;
  const list = preparedOnUse(
    db,
    `SELECT id, at, actor, action, target, detail FROM audit ${filter}
     ORDER BY id DESC LIMIT @limit OFFSET @offset`,
  );
  const count = preparedOnUse(db, `SELECT COUNT(*) AS n FROM audit ${filter}`);

  const actorOf = (actor: AuditActor): string => {
    if ("system" in actor) {
      if (!(systemActors as readonly string[]).includes(actor.system)) {
        throw new SportelloError("STORE_FAILED", say("store.audit_unknown_system_actor"));
      }
      return actor.system;
    }
    return sealer.pseudonym(actor.channel, actor.userId);
  };

  return {
    /**
     * Appends one entry; returns its id. Call it inside the transaction of the change it records
     * (store.transaction) so that both are written or neither.
     */
    append(input: AuditEntryInput): number {
      if (!(auditActions as readonly string[]).includes(input.action)) {
        throw new SportelloError(
          "STORE_FAILED",
          say("store.audit_unknown_action", { action: input.action }),
        );
      }
      const result = insert.run({
        at: (input.at ?? now()).toISOString(),
        actor: actorOf(input.actor),
        action: input.action,
        target:
          input.target === undefined || input.target === null ? null : clean(String(input.target)),
        detail: input.detail ? cleanDetail(input.detail) : null,
      });
      return Number(result.lastInsertRowid);
    },

    /** Entries matching `filter`, newest first, and how many match in all. */
    list(filter: AuditFilter = {}): { total: number; entries: AuditEntry[] } {
      const prefix = filter.actionPrefix?.trim() || null;
      if (prefix !== null && !/^[a-z_.]{1,40}$/.test(prefix)) return { total: 0, entries: [] };
      const params = {
        since: filter.since ?? null,
        prefix,
        limit: Math.min(Math.max(filter.limit ?? 100, 0), 10_000),
        offset: Math.max(filter.offset ?? 0, 0),
      };
      const total = (count.get(params) as { n: number }).n;
      return { total, entries: parseRows(auditRowSchema, list.all(params), "audit") };
    },
  };
}

export type AuditQueries = ReturnType<typeof createAuditQueries>;
