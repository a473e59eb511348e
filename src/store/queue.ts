// The unanswered queue: declined questions and answers marked "non utile", grouped so trainers
// see each gap once with its count. Which group a question joins is decided in src/curation/.
import * as z from "zod";
import { type Channel, channels } from "../answer/types.js";
import { SportelloError } from "../errors.js";
import { say } from "../prompts.js";
import { type QueueCategory, type QueueItemKind, queueItemKinds } from "../vocabulary.js";
import { type Db, preparedOnUse } from "./database.js";
import {
  type GroupItem,
  type GroupRow,
  type GroupStatus,
  groupItemRowSchema,
  groupRowSchema,
  parseRow,
  parseRows,
} from "./rows.js";

/** What a queued question asks, as grouping compares it (see src/curation/grouping.ts). */
export const storedFocusSchema = z.lazy(() =>
  z.object({
    terms: z.array(z.string()),
    aliases: z.array(z.string()),
    region: z.string().nullable(),
  }),
);
export type StoredFocus = z.infer<typeof storedFocusSchema>;

/** What an answer given with uncertainty told its asker, kept with its queued question. */
export interface GivenAnswer {
  answer: string;
  /** Where the answer comes from, as cited (null for a FAQ without sources). */
  source: string | null;
  /** The other FAQ the answer named, by id. */
  alternatives?: readonly string[];
}

export interface QueueEntryInput {
  interactionId: number;
  kind: QueueItemKind;
  /** For an answer given with uncertainty: what the asker was told, and where it comes from. */
  given?: GivenAnswer;
  /** The question's focus, kept (and indexed by term) for grouping later questions. */
  focus: StoredFocus;
  /** Join this group, or (when absent) open a new one labelled with the question. */
  groupId?: number;
  at?: Date;
}

/** A queued question of a group still open, found through the term index. */
export interface QueuedFocus {
  itemId: number;
  groupId: number;
  focus: StoredFocus;
  /** Answered with uncertainty ("da verificare") rather than left without an answer. */
  uncertain: boolean;
}

const groupAskerSchema = z.lazy(() =>
  z.object({
    interactionId: z.number().int(),
    userHash: z.string(),
    channel: z.enum(channels),
    createdAt: z.string(),
    /** Sealed DeliveryAddress, when the asker's adapter gave one. */
    address: z.instanceof(Buffer).nullable(),
    /** Declined, marked non utile, or answered with uncertainty. */
    kind: z.enum(queueItemKinds),
    /** The FAQ the asker was answered with (a probable one, for an answer to verify). */
    answeredFaqId: z.string().nullable(),
  }),
);
export type GroupAsker = z.infer<typeof groupAskerSchema>;

export interface GroupFilter {
  status?: GroupStatus;
  /** Groups with at least one question naming this region. */
  region?: string;
  /** Groups with at least one question from this channel. */
  channel?: Channel;
  /** Groups with at least one question without an answer, or one answered with uncertainty. */
  category?: QueueCategory;
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
    group_concat(DISTINCT x.channel) AS channels, group_concat(DISTINCT x.region) AS regions,
    SUM(i.kind = 'uncertain') AS uncertain
  FROM unanswered_groups g
  LEFT JOIN unanswered_items i ON i.group_id = g.id
  LEFT JOIN interactions x ON x.id = i.interaction_id`;

export function createQueueQueries(db: Db, now: () => Date) {
  const textOf = preparedOnUse(db, "SELECT text FROM interactions WHERE id = ?");
  const insertGroup = preparedOnUse(
    db,
    "INSERT INTO unanswered_groups (label, created_at, updated_at) VALUES (?, ?, ?)",
  );
  const insertItem = preparedOnUse(
    db,
    `
    INSERT OR IGNORE INTO unanswered_items (group_id, interaction_id, kind, terms, focus, created_at,
      answer, answer_source, answer_alternatives)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const touchGroup = preparedOnUse(db, "UPDATE unanswered_groups SET updated_at = ? WHERE id = ?");
  const insertTerm = preparedOnUse(
    db,
    "INSERT OR IGNORE INTO unanswered_terms (term, item_id) VALUES (?, ?)",
  );
  const bumpDf = preparedOnUse(
    db,
    `
    INSERT INTO unanswered_term_df (term, df) VALUES (?, 1)
    ON CONFLICT (term) DO UPDATE SET df = df + 1`,
  );
  const dfOf = preparedOnUse(db, "SELECT df FROM unanswered_term_df WHERE term = ?");
  // The most recent queued questions with a term, through the (term, item_id) primary key: the
  // work per term is bounded by the limit whatever the queue's size.
  const byTerm = preparedOnUse(
    db,
    `
    SELECT t.item_id, i.group_id, i.focus, i.terms, i.kind, x.region
    FROM unanswered_terms t
    JOIN unanswered_items i ON i.id = t.item_id
    JOIN interactions x ON x.id = i.interaction_id
    WHERE t.term = ? ORDER BY t.item_id DESC LIMIT ?`,
  );
  const unindexGroup = preparedOnUse(
    db,
    "DELETE FROM unanswered_terms WHERE item_id IN (SELECT id FROM unanswered_items WHERE group_id = ?)",
  );
  const unindexItem = preparedOnUse(db, "DELETE FROM unanswered_terms WHERE item_id = ?");
  const itemRow = preparedOnUse(
    db,
    `
    SELECT i.id, i.group_id, i.interaction_id, x.text FROM unanswered_items i
    JOIN interactions x ON x.id = i.interaction_id WHERE i.id = ?`,
  );
  const itemOfInteraction = preparedOnUse(
    db,
    "SELECT id FROM unanswered_items WHERE interaction_id = ?",
  );
  const moveItem = preparedOnUse(db, "UPDATE unanswered_items SET group_id = ? WHERE id = ?");
  const moveAll = preparedOnUse(db, "UPDATE unanswered_items SET group_id = ? WHERE group_id = ?");
  const countItems = preparedOnUse(
    db,
    "SELECT COUNT(*) AS n FROM unanswered_items WHERE group_id = ?",
  );
  const relinkFaq = preparedOnUse(db, "UPDATE faq_versions SET group_id = ? WHERE group_id = ?");
  const relinkNotifications = preparedOnUse(
    db,
    "UPDATE notifications SET group_id = ? WHERE group_id = ?",
  );
  const deleteGroup = preparedOnUse(db, "DELETE FROM unanswered_groups WHERE id = ?");
  const groupLabel = preparedOnUse(db, "SELECT label FROM unanswered_groups WHERE id = ?");
  const firstText = preparedOnUse(
    db,
    `
    SELECT x.text FROM unanswered_items i JOIN interactions x ON x.id = i.interaction_id
    WHERE i.group_id = ? AND x.text IS NOT NULL ORDER BY i.created_at, i.id LIMIT 1`,
  );
  const relabel = preparedOnUse(db, "UPDATE unanswered_groups SET label = ? WHERE id = ?");
  const insertGroupWith = preparedOnUse(
    db,
    `
    INSERT INTO unanswered_groups (label, status, faq_id, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?)`,
  );
  const openItems = preparedOnUse(
    db,
    `
    SELECT i.id, i.group_id, x.text, i.focus, i.terms, i.kind, x.region FROM unanswered_items i
    JOIN unanswered_groups g ON g.id = i.group_id
    JOIN interactions x ON x.id = i.interaction_id
    WHERE g.status IN ('aperta', 'in_lavorazione') AND x.text IS NOT NULL
    ORDER BY i.id DESC LIMIT ?`,
  );
  const filter = `
    WHERE (@status IS NULL OR g.status = @status)
    GROUP BY g.id
    HAVING (@region IS NULL OR SUM(x.region = @region) > 0)
      AND (@channel IS NULL OR SUM(x.channel = @channel) > 0)
      AND (@category IS NULL
        OR (@category = 'uncertain' AND SUM(i.kind = 'uncertain') > 0)
        OR (@category = 'unanswered' AND SUM(i.kind != 'uncertain') > 0))
      AND (@since IS NULL OR MAX(i.created_at) >= @since)
      AND (@before IS NULL OR MIN(i.created_at) < @before)`;
  const listByCount = preparedOnUse(
    db,
    `${groupSelect} ${filter} ORDER BY count DESC, last_seen DESC, g.id LIMIT @limit OFFSET @offset`,
  );
  const listByRecent = preparedOnUse(
    db,
    `${groupSelect} ${filter} ORDER BY last_seen DESC, g.id LIMIT @limit OFFSET @offset`,
  );
  const countFiltered = preparedOnUse(db, `SELECT COUNT(*) AS n FROM (${groupSelect} ${filter})`);
  const regions = preparedOnUse(
    db,
    `
    SELECT DISTINCT x.region FROM unanswered_items i JOIN interactions x ON x.id = i.interaction_id
    WHERE x.region IS NOT NULL ORDER BY x.region`,
  );
  const one = preparedOnUse(db, `${groupSelect} WHERE g.id = ? GROUP BY g.id`);
  // One pass over the open groups' questions: how many groups hold questions without an answer,
  // and how many answers to verify (a group holding both counts in each).
  const openParts = preparedOnUse(
    db,
    `
    SELECT COALESCE(SUM(uncertain < n), 0) AS unanswered, COALESCE(SUM(uncertain > 0), 0) AS uncertain
    FROM (
      SELECT COUNT(*) AS n, SUM(i.kind = 'uncertain') AS uncertain
      FROM unanswered_groups g JOIN unanswered_items i ON i.group_id = g.id
      WHERE g.status = 'aperta' GROUP BY g.id)`,
  );
  const items = preparedOnUse(
    db,
    `
    SELECT i.id, i.interaction_id, i.kind, i.created_at, x.text, x.channel, x.region, i.answer,
      i.answer_source, i.answer_alternatives, x.source, x.faq_id, x.faq_version, x.confidence,
      EXISTS (SELECT 1 FROM feedback f WHERE f.interaction_id = x.id AND f.kind = 'utile')
        AS helpful
    FROM unanswered_items i JOIN interactions x ON x.id = i.interaction_id
    WHERE i.group_id = ? ORDER BY i.id LIMIT ?`,
  );
  const examples = preparedOnUse(
    db,
    `
    SELECT x.text, MIN(i.id) AS first FROM unanswered_items i
    JOIN interactions x ON x.id = i.interaction_id
    WHERE i.group_id = ? AND x.text IS NOT NULL
    GROUP BY x.text ORDER BY COUNT(*) DESC, first LIMIT ?`,
  );
  const setStatus = preparedOnUse(
    db,
    `
    UPDATE unanswered_groups SET status = @status, faq_id = @faqId,
      dismiss_reason = @reason, updated_at = @at
    WHERE id = @id`,
  );
  const askers = preparedOnUse(
    db,
    `
    SELECT x.id AS interactionId, x.user_hash AS userHash, x.channel, x.created_at AS createdAt,
      x.address, i.kind, x.faq_id AS answeredFaqId
    FROM unanswered_items i JOIN interactions x ON x.id = i.interaction_id
    WHERE i.group_id = ? ORDER BY i.id`,
  );

  // An answer to verify that its asker marks "non utile" is a question without an answer.
  const uncertainToNotHelpful = preparedOnUse(
    db,
    "UPDATE unanswered_items SET kind = 'non_utile' WHERE interaction_id = ? AND kind = 'uncertain'",
  );

  const parseGroup = (row: unknown): GroupRow => parseRow(groupRowSchema, row, "unanswered_groups");

  interface FocusRow {
    item_id: number;
    group_id: number;
    focus: string | null;
    terms: string;
    kind: QueueItemKind;
    region: string | null;
  }
  // Questions queued before migration 5 have no focus: their analysed terms stand in for it.
  const parseFocus = (row: FocusRow): StoredFocus => {
    try {
      if (row.focus !== null) return storedFocusSchema.parse(JSON.parse(row.focus));
      const terms = JSON.parse(row.terms) as unknown;
      return {
        terms: Array.isArray(terms) ? terms.map(String) : [],
        aliases: [],
        region: row.region,
      };
    } catch {
      return { terms: [], aliases: [], region: row.region };
    }
  };

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
                say("store.queue_question_missing", { id: input.interactionId }),
              );
            }
            groupId = Number(insertGroup.run(row.text, at, at).lastInsertRowid);
          } else {
            touchGroup.run(at, groupId);
          }
          const focus = input.focus;
          const inserted = insertItem.run(
            groupId,
            input.interactionId,
            input.kind,
            JSON.stringify([...focus.terms, ...focus.aliases]),
            JSON.stringify(focus),
            at,
            input.given?.answer ?? null,
            input.given?.source ?? null,
            input.given?.alternatives?.length ? JSON.stringify(input.given.alternatives) : null,
          );
          if (inserted.changes === 1) {
            const itemId = Number(inserted.lastInsertRowid);
            bumpDf.run("");
            for (const term of new Set([...focus.terms, ...focus.aliases])) {
              insertTerm.run(term, itemId);
              bumpDf.run(term);
            }
          }
          return groupId;
        })
        .immediate();
    },

    /** How many questions were ever queued, and in how many of them `term` occurs. */
    termFrequency(term: string): number {
      return (dfOf.get(term) as { df: number } | undefined)?.df ?? 0;
    },

    /**
     * The `limit` most recent queued questions of groups not yet resolved that have `term` among
     * their focus terms or aliases.
     */
    questionsWithTerm(term: string, limit: number): QueuedFocus[] {
      return (byTerm.all(term, limit) as FocusRow[]).map((row) => ({
        itemId: row.item_id,
        groupId: row.group_id,
        focus: parseFocus(row),
        uncertain: row.kind === "uncertain",
      }));
    },

    /** Recent queued questions of open groups, with their text and focus (suggestions). */
    openQuestions(limit: number): Array<QueuedFocus & { text: string }> {
      return (openItems.all(limit) as Array<FocusRow & { id: number; text: string }>).map(
        (row) => ({
          itemId: row.id,
          groupId: row.group_id,
          text: row.text,
          focus: parseFocus(row),
          uncertain: row.kind === "uncertain",
        }),
      );
    },

    /** A queued question: its group and text. */
    item(
      id: number,
    ): { id: number; groupId: number; interactionId: number; text: string } | undefined {
      const row = itemRow.get(id) as
        | { id: number; group_id: number; interaction_id: number; text: string | null }
        | undefined;
      return row
        ? {
            id: row.id,
            groupId: row.group_id,
            interactionId: row.interaction_id,
            text: row.text ?? "",
          }
        : undefined;
    },

    /**
     * An answer given with uncertainty and then marked "non utile": its queued question moves
     * from the answers to verify to the questions without an answer. True when it was queued so.
     */
    uncertainMarkedNotHelpful(interactionId: number): boolean {
      return uncertainToNotHelpful.run(interactionId).changes === 1;
    },

    itemOfInteraction(interactionId: number): number | undefined {
      return (itemOfInteraction.get(interactionId) as { id: number } | undefined)?.id;
    },

    /** Opens a group with the given status (a split, or the confirmed part of a group). */
    openGroup(label: string, status: GroupStatus = "aperta", faqId: string | null = null): number {
      const at = now().toISOString();
      return Number(insertGroupWith.run(label, status, faqId, at, at).lastInsertRowid);
    },

    /**
     * Moves queued questions to `groupId`; a group left empty is deleted (its links follow). A
     * group named after a question that left it is named after its first remaining question (a
     * label a trainer wrote is kept).
     */
    moveItems(itemIds: readonly number[], groupId: number): void {
      const moved = new Map<number, Set<string>>();
      for (const id of itemIds) {
        const row = itemRow.get(id) as { group_id: number; text: string | null } | undefined;
        if (!row || row.group_id === groupId) continue;
        const texts = moved.get(row.group_id) ?? new Set<string>();
        if (row.text) texts.add(row.text);
        moved.set(row.group_id, texts);
        moveItem.run(groupId, id);
      }
      touchGroup.run(now().toISOString(), groupId);
      for (const [source, texts] of moved) {
        if ((countItems.get(source) as { n: number }).n === 0) {
          relinkFaq.run(groupId, source);
          relinkNotifications.run(groupId, source);
          deleteGroup.run(source);
          continue;
        }
        const label = (groupLabel.get(source) as { label: string } | undefined)?.label;
        if (label !== undefined && texts.has(label)) {
          const first = (firstText.get(source) as { text: string } | undefined)?.text;
          if (first) relabel.run(first, source);
        }
      }
    },

    /** Moves every question of `sourceId` into `targetId` and deletes `sourceId`. */
    mergeGroup(sourceId: number, targetId: number): void {
      moveAll.run(targetId, sourceId);
      relinkFaq.run(targetId, sourceId);
      relinkNotifications.run(targetId, sourceId);
      deleteGroup.run(sourceId);
      touchGroup.run(now().toISOString(), targetId);
    },

    /** Takes a resolved group's (or question's) terms out of the index: nothing joins it now. */
    unindexGroup(groupId: number): void {
      unindexGroup.run(groupId);
    },

    unindexItem(itemId: number): void {
      unindexItem.run(itemId);
    },

    /** Groups matching `filter`, largest (or most recent) first, and how many match in all. */
    listGroups(filter: GroupFilter = {}): { total: number; groups: GroupRow[] } {
      const params = {
        status: filter.status ?? null,
        region: filter.region ?? null,
        channel: filter.channel ?? null,
        category: filter.category ?? null,
        since: filter.since ?? null,
        before: filter.before ?? null,
        limit: filter.limit ?? 1000,
        offset: filter.offset ?? 0,
      };
      const stmt = filter.sort === "recent" ? listByRecent : listByCount;
      const total = (countFiltered.get(params) as { n: number }).n;
      return { total, groups: stmt.all(params).map(parseGroup) };
    },

    /** How many open groups hold questions without an answer, and answers to verify. */
    openGroupCounts(): { unanswered: number; uncertain: number } {
      return openParts.get() as { unanswered: number; uncertain: number };
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
      if (status === "risolta") unindexGroup.run(id);
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
