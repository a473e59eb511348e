// The unanswered queue: declined questions and answers marked "non utile", grouped so trainers
// see each gap once with its count. Which group a question joins is decided in src/curation/.
import { z } from "zod";
import { type Channel, channels } from "../answer/types.js";
import { SportelloError } from "../errors.js";
import type { Db } from "./database.js";
import {
  type GroupItem,
  type GroupRow,
  type GroupStatus,
  groupItemRowSchema,
  groupRowSchema,
  parseRow,
  parseRows,
} from "./rows.js";

export interface QueueEntryInput {
  interactionId: number;
  kind: "declined" | "non_utile";
  /** Analysed terms of the redacted question, kept for grouping later questions. */
  terms: string[];
  /** Join this group, or (when absent) open a new one labelled with the question. */
  groupId?: number;
  at?: Date;
}

export interface GroupCandidate {
  groupId: number;
  status: GroupStatus;
  terms: string[][];
}

const groupAskerSchema = z.object({
  interactionId: z.number().int(),
  userHash: z.string(),
  channel: z.enum(channels),
  createdAt: z.string(),
  /** Sealed DeliveryAddress, when the asker's adapter gave one. */
  address: z.instanceof(Buffer).nullable(),
});
export type GroupAsker = z.infer<typeof groupAskerSchema>;

export interface GroupFilter {
  status?: GroupStatus;
  /** Groups with at least one question naming this region. */
  region?: string;
  /** Groups with at least one question from this channel. */
  channel?: Channel;
  /** ISO time: groups last seen at or after it. */
  since?: string;
  /** ISO time: groups first seen before it. */
  before?: string;
  sort?: "count" | "recent";
  limit?: number;
  offset?: number;
}

const groupSelect = `
  SELECT g.id, g.label, g.status, g.faq_id, g.dismiss_reason,
    COUNT(i.id) AS count, MIN(i.created_at) AS first_seen, MAX(i.created_at) AS last_seen,
    group_concat(DISTINCT x.channel) AS channels, group_concat(DISTINCT x.region) AS regions
  FROM unanswered_groups g
  LEFT JOIN unanswered_items i ON i.group_id = g.id
  LEFT JOIN interactions x ON x.id = i.interaction_id`;

export function createQueueQueries(db: Db, now: () => Date) {
  const textOf = db.prepare("SELECT text FROM interactions WHERE id = ?");
  const insertGroup = db.prepare(
    "INSERT INTO unanswered_groups (label, created_at, updated_at) VALUES (?, ?, ?)",
  );
  const insertItem = db.prepare(`
    INSERT OR IGNORE INTO unanswered_items (group_id, interaction_id, kind, terms, created_at)
    VALUES (?, ?, ?, ?, ?)`);
  const touchGroup = db.prepare("UPDATE unanswered_groups SET updated_at = ? WHERE id = ?");
  const candidates = db.prepare(`
    SELECT i.group_id, g.status, i.terms FROM unanswered_items i
    JOIN unanswered_groups g ON g.id = i.group_id
    WHERE g.status != 'risolta'
    ORDER BY i.id DESC LIMIT 5000`);
  const filter = `
    WHERE (@status IS NULL OR g.status = @status)
    GROUP BY g.id
    HAVING (@region IS NULL OR SUM(x.region = @region) > 0)
      AND (@channel IS NULL OR SUM(x.channel = @channel) > 0)
      AND (@since IS NULL OR MAX(i.created_at) >= @since)
      AND (@before IS NULL OR MIN(i.created_at) < @before)`;
  const listByCount = db.prepare(
    `${groupSelect} ${filter} ORDER BY count DESC, last_seen DESC, g.id LIMIT @limit OFFSET @offset`,
  );
  const listByRecent = db.prepare(
    `${groupSelect} ${filter} ORDER BY last_seen DESC, g.id LIMIT @limit OFFSET @offset`,
  );
  const countFiltered = db.prepare(`SELECT COUNT(*) AS n FROM (${groupSelect} ${filter})`);
  const regions = db.prepare(`
    SELECT DISTINCT x.region FROM unanswered_items i JOIN interactions x ON x.id = i.interaction_id
    WHERE x.region IS NOT NULL ORDER BY x.region`);
  const one = db.prepare(`${groupSelect} WHERE g.id = ? GROUP BY g.id`);
  const items = db.prepare(`
    SELECT i.id, i.interaction_id, i.kind, i.created_at, x.text, x.channel, x.region
    FROM unanswered_items i JOIN interactions x ON x.id = i.interaction_id
    WHERE i.group_id = ? ORDER BY i.id LIMIT ?`);
  const examples = db.prepare(`
    SELECT x.text, MIN(i.id) AS first FROM unanswered_items i
    JOIN interactions x ON x.id = i.interaction_id
    WHERE i.group_id = ? AND x.text IS NOT NULL
    GROUP BY x.text ORDER BY COUNT(*) DESC, first LIMIT ?`);
  const setStatus = db.prepare(`
    UPDATE unanswered_groups SET status = @status, faq_id = @faqId,
      dismiss_reason = @reason, updated_at = @at
    WHERE id = @id`);
  const askers = db.prepare(`
    SELECT x.id AS interactionId, x.user_hash AS userHash, x.channel, x.created_at AS createdAt,
      x.address
    FROM unanswered_items i JOIN interactions x ON x.id = i.interaction_id
    WHERE i.group_id = ? ORDER BY i.id`);

  const parseGroup = (row: unknown): GroupRow => parseRow(groupRowSchema, row, "unanswered_groups");

  return {
    /** Adds a question to the queue; returns the group it joined or opened. */
    enqueue(input: QueueEntryInput): number {
      const at = (input.at ?? now()).toISOString();
      return db
        .transaction(() => {
          let groupId = input.groupId;
          if (groupId === undefined) {
            const row = textOf.get(input.interactionId) as { text: string | null } | undefined;
            if (!row?.text) {
              throw new SportelloError(
                "NOT_FOUND",
                `coda: domanda ${input.interactionId} inesistente`,
              );
            }
            groupId = Number(insertGroup.run(row.text, at, at).lastInsertRowid);
          } else {
            touchGroup.run(at, groupId);
          }
          insertItem.run(groupId, input.interactionId, input.kind, JSON.stringify(input.terms), at);
          return groupId;
        })
        .immediate();
    },

    /** Term sets of recent questions in groups a new question may join (not yet resolved). */
    groupCandidates(): GroupCandidate[] {
      const byGroup = new Map<number, GroupCandidate>();
      for (const row of candidates.all() as Array<{
        group_id: number;
        status: GroupStatus;
        terms: string;
      }>) {
        let entry = byGroup.get(row.group_id);
        if (!entry) {
          entry = { groupId: row.group_id, status: row.status, terms: [] };
          byGroup.set(row.group_id, entry);
        }
        const terms = JSON.parse(row.terms) as unknown;
        if (Array.isArray(terms)) entry.terms.push(terms.map(String));
      }
      return [...byGroup.values()];
    },

    /** Groups matching `filter`, largest (or most recent) first, and how many match in all. */
    listGroups(filter: GroupFilter = {}): { total: number; groups: GroupRow[] } {
      const params = {
        status: filter.status ?? null,
        region: filter.region ?? null,
        channel: filter.channel ?? null,
        since: filter.since ?? null,
        before: filter.before ?? null,
        limit: filter.limit ?? 1000,
        offset: filter.offset ?? 0,
      };
      const stmt = filter.sort === "recent" ? listByRecent : listByCount;
      const total = (countFiltered.get(params) as { n: number }).n;
      return { total, groups: stmt.all(params).map(parseGroup) };
    },

    /** Regions named in queued questions. */
    regions(): string[] {
      return (regions.all() as Array<{ region: string }>).map((row) => row.region);
    },

    group(id: number): GroupRow | undefined {
      const row = one.get(id);
      return row === undefined ? undefined : parseGroup(row);
    },

    groupItems(id: number, limit = 1000): GroupItem[] {
      return parseRows(groupItemRowSchema, items.all(id, limit), "unanswered_items");
    },

    /** Distinct phrasings, most frequent first. */
    groupExamples(id: number, limit = 5): string[] {
      return (examples.all(id, limit) as Array<{ text: string }>).map((row) => row.text);
    },

    setGroupStatus(
      id: number,
      status: GroupStatus,
      details: { faqId?: string | null; reason?: string | null } = {},
    ): void {
      setStatus.run({
        id,
        status,
        faqId: details.faqId ?? null,
        reason: details.reason ?? null,
        at: now().toISOString(),
      });
    },

    /** Everyone who asked a question in the group, with their sealed address if they left one. */
    groupAskers(id: number): GroupAsker[] {
      return parseRows(groupAskerSchema, askers.all(id), "unanswered_items");
    },
  };
}

export type QueueQueries = ReturnType<typeof createQueueQueries>;
