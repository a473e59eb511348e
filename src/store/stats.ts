// Aggregates for coordinators (questions per day, answered and helpful rates, by channel and
// region) and the retention purge of the interaction log.
import * as z from "zod";
import { type Db, preparedOnUse } from "./database.js";
import { parseRows } from "./rows.js";

const countsSchema = z.lazy(() =>
  z.object({
    key: z.string().nullable(),
    questions: z.number().int(),
    answered: z.number().int(),
    declined: z.number().int(),
    refused: z.number().int(),
    helpful: z.number().int(),
    not_helpful: z.number().int(),
    answered_helpful: z.number().int(),
    answered_not_helpful: z.number().int(),
    from_faq: z.number().int(),
    uncertain: z.number().int(),
  }),
);
const faqRowSchema = z.lazy(() =>
  z.object({
    faq_id: z.string(),
    answered: z.number().int(),
    helpful: z.number().int(),
    not_helpful: z.number().int(),
    first_day: z.string(),
    last_day: z.string(),
  }),
);
const feedbackSchema = z.lazy(() => z.object({ kind: z.string(), n: z.number().int() }));
const topicSchema = z.lazy(() =>
  z.object({
    term: z.string(),
    questions: z.number().int(),
    askers: z.number().int(),
    example: z.string().nullable(),
  }),
);

export interface Counts {
  questions: number;
  answered: number;
  declined: number;
  refused: number;
  /** Answers marked "utile" / "non utile". */
  helpful: number;
  notHelpful: number;
  /** answered / (answered + declined), 0 when nothing was asked. */
  answeredRate: number;
  /**
   * Answers by how they were judged: an answer marked "non utile" (by anyone) is not helpful,
   * one marked only "utile" is helpful; the rest were not judged.
   */
  answeredHelpful: number;
  answeredNotHelpful: number;
  /** Questions answered from a FAQ (deflection). */
  fromFaq: number;
  /** Answers given with uncertainty (a probable FAQ, documents under the "certain" bar). */
  uncertain: number;
}

/** How many questions one FAQ answered in the period (deflection by FAQ). */
export interface FaqDeflection {
  faqId: string;
  answered: number;
  helpful: number;
  notHelpful: number;
  firstDay: string;
  lastDay: string;
}

export interface StoreStats {
  since: string | null;
  totals: Counts & {
    feedback: { utile: number; non_utile: number; segnala: number };
    /** utile / (utile + non_utile), null without feedback. */
    helpfulRate: number | null;
  };
  perDay: Array<Counts & { day: string }>;
  perChannel: Array<Counts & { channel: string }>;
  /** `region` is the region named in the question; null for questions naming none. */
  perRegion: Array<Counts & { region: string | null }>;
  perFaq: FaqDeflection[];
}

/**
 * A focus term (as grouping stored it) of questions left without a good answer that no published
 * FAQ covers: declined, or answered and marked "non utile", and not resolved by a FAQ answering now.
 */
export interface UncoveredTopic {
  term: string;
  /** Queued questions with the term among their focus terms. */
  questions: number;
  /** Distinct askers (pseudonyms) of those questions. */
  askers: number;
  /** The most recent of those questions, as logged. */
  example: string | null;
}

export interface TopicFilter {
  region?: string;
  channel?: string;
  limit?: number;
}

export interface PurgeResult {
  interactions: number;
  groups: number;
  notifications: number;
}

const countColumns = `
  SUM(x.status != 'refused') AS questions,
  SUM(x.status = 'answered') AS answered,
  SUM(x.status = 'declined') AS declined,
  SUM(x.status = 'refused') AS refused,
  COALESCE(SUM(f.utile), 0) AS helpful,
  COALESCE(SUM(f.non_utile), 0) AS not_helpful,
  COALESCE(SUM(x.status = 'answered' AND f.non_utile > 0), 0) AS answered_not_helpful,
  COALESCE(SUM(x.status = 'answered' AND f.utile > 0 AND f.non_utile = 0), 0) AS answered_helpful,
  COALESCE(SUM(x.status = 'answered' AND x.source = 'faq'), 0) AS from_faq,
  COALESCE(SUM(x.status = 'answered' AND x.uncertain = 1), 0) AS uncertain`;
const withFeedback = `
  FROM interactions x LEFT JOIN (
    SELECT interaction_id, SUM(kind = 'utile') AS utile, SUM(kind = 'non_utile') AS non_utile
    FROM feedback GROUP BY interaction_id) f ON f.interaction_id = x.id`;

function withRate(row: z.infer<typeof countsSchema>): Counts {
  const asked = row.answered + row.declined;
  return {
    questions: row.questions,
    answered: row.answered,
    declined: row.declined,
    refused: row.refused,
    helpful: row.helpful,
    notHelpful: row.not_helpful,
    answeredRate: asked === 0 ? 0 : row.answered / asked,
    answeredHelpful: row.answered_helpful,
    answeredNotHelpful: row.answered_not_helpful,
    fromFaq: row.from_faq,
    uncertain: row.uncertain,
  };
}

export function createStatsQueries(db: Db) {
  // Days are UTC calendar days of the stored ISO time.
  const perDay = preparedOnUse(
    db,
    `
    SELECT substr(x.created_at, 1, 10) AS key, ${countColumns} ${withFeedback}
    WHERE x.created_at >= ? GROUP BY key ORDER BY key`,
  );
  const perChannel = preparedOnUse(
    db,
    `
    SELECT x.channel AS key, ${countColumns} ${withFeedback}
    WHERE x.created_at >= ? GROUP BY key ORDER BY questions DESC, key`,
  );
  const perRegion = preparedOnUse(
    db,
    `
    SELECT x.region AS key, ${countColumns} ${withFeedback}
    WHERE x.created_at >= ? AND x.status != 'refused'
    GROUP BY key ORDER BY questions DESC, key IS NULL, key`,
  );
  const perFaq = preparedOnUse(
    db,
    `
    SELECT x.faq_id, COUNT(*) AS answered,
      COALESCE(SUM(f.utile > 0 AND f.non_utile = 0), 0) AS helpful,
      COALESCE(SUM(f.non_utile > 0), 0) AS not_helpful,
      MIN(substr(x.created_at, 1, 10)) AS first_day, MAX(substr(x.created_at, 1, 10)) AS last_day
    ${withFeedback}
    WHERE x.created_at >= ? AND x.status = 'answered' AND x.source = 'faq' AND x.faq_id IS NOT NULL
    GROUP BY x.faq_id ORDER BY answered DESC, x.faq_id LIMIT 50`,
  );
  const feedback = preparedOnUse(
    db,
    `
    SELECT f.kind, COUNT(*) AS n FROM feedback f
    JOIN interactions x ON x.id = f.interaction_id
    WHERE x.created_at >= ? GROUP BY f.kind`,
  );

  // Each queued question's focus terms (its analysed terms for those queued before the focus
  // was stored), minus questions whose group a FAQ now answering resolved. A bare column next
  // to MAX() takes its value from the row holding the maximum (SQLite), hence the example.
  const uncovered = preparedOnUse(
    db,
    `
    SELECT j.value AS term, COUNT(DISTINCT i.id) AS questions,
      COUNT(DISTINCT x.user_hash) AS askers, MAX(x.created_at) AS last_at, x.text AS example
    FROM unanswered_items i
    JOIN interactions x ON x.id = i.interaction_id
    JOIN unanswered_groups g ON g.id = i.group_id,
    json_each(CASE WHEN json_valid(i.focus) THEN json_extract(i.focus, '$.terms')
      ELSE i.terms END) j
    -- An answer to verify had an answer: it is no uncovered topic unless marked "non utile".
    WHERE x.created_at >= @since
      AND i.kind != 'uncertain'
      AND (@region IS NULL OR x.region = @region)
      AND (@channel IS NULL OR x.channel = @channel)
      AND NOT (g.status = 'risolta' AND g.faq_id IN (
        SELECT p.faq_id FROM faq_versions p
        WHERE p.state = 'pubblicata' AND p.version = (
          SELECT MAX(q.version) FROM faq_versions q
          WHERE q.faq_id = p.faq_id AND q.state IN ('pubblicata', 'ritirata'))))
    GROUP BY j.value ORDER BY questions DESC, askers DESC, term LIMIT @limit`,
  );

  const deleteInteractions = preparedOnUse(db, "DELETE FROM interactions WHERE created_at < ?");
  // Groups whose every question is gone; resolved and in-progress ones stay for the FAQ history.
  const deleteEmptyGroups = preparedOnUse(
    db,
    `
    DELETE FROM unanswered_groups
    WHERE status IN ('aperta', 'scartata')
      AND NOT EXISTS (SELECT 1 FROM unanswered_items i WHERE i.group_id = unanswered_groups.id)`,
  );
  const deleteNotifications = preparedOnUse(db, "DELETE FROM notifications WHERE created_at < ?");

  return {
    stats(since: Date | null): StoreStats {
      const from = since ? since.toISOString() : "";
      const rows = (stmt: typeof perDay) => parseRows(countsSchema, stmt.all(from), "interactions");
      const days = rows(perDay).map((row) => ({ day: row.key ?? "", ...withRate(row) }));
      const totalsRow = days.reduce(
        (sum, day) => ({
          key: null,
          questions: sum.questions + day.questions,
          answered: sum.answered + day.answered,
          declined: sum.declined + day.declined,
          refused: sum.refused + day.refused,
          helpful: sum.helpful + day.helpful,
          not_helpful: sum.not_helpful + day.notHelpful,
          answered_helpful: sum.answered_helpful + day.answeredHelpful,
          answered_not_helpful: sum.answered_not_helpful + day.answeredNotHelpful,
          from_faq: sum.from_faq + day.fromFaq,
          uncertain: sum.uncertain + day.uncertain,
        }),
        {
          key: null,
          questions: 0,
          answered: 0,
          declined: 0,
          refused: 0,
          helpful: 0,
          not_helpful: 0,
          answered_helpful: 0,
          answered_not_helpful: 0,
          from_faq: 0,
          uncertain: 0,
        },
      );
      const fb = { utile: 0, non_utile: 0, segnala: 0 };
      for (const row of parseRows(feedbackSchema, feedback.all(from), "feedback")) {
        if (row.kind === "utile" || row.kind === "non_utile" || row.kind === "segnala") {
          fb[row.kind] = row.n;
        }
      }
      const rated = fb.utile + fb.non_utile;
      return {
        since: since ? since.toISOString() : null,
        totals: {
          ...withRate(totalsRow),
          feedback: fb,
          helpfulRate: rated === 0 ? null : fb.utile / rated,
        },
        perDay: days,
        perChannel: rows(perChannel).map((row) => ({ channel: row.key ?? "", ...withRate(row) })),
        perRegion: rows(perRegion).map((row) => ({ region: row.key, ...withRate(row) })),
        perFaq: parseRows(faqRowSchema, perFaq.all(from), "interactions").map((row) => ({
          faqId: row.faq_id,
          answered: row.answered,
          helpful: row.helpful,
          notHelpful: row.not_helpful,
          firstDay: row.first_day,
          lastDay: row.last_day,
        })),
      };
    },

    /** The most asked focus terms no published FAQ covers, most asked first. */
    uncoveredTopics(since: Date | null, filter: TopicFilter = {}): UncoveredTopic[] {
      const rows = uncovered.all({
        since: since ? since.toISOString() : "",
        region: filter.region ?? null,
        channel: filter.channel ?? null,
        limit: filter.limit ?? 10,
      });
      return parseRows(topicSchema, rows, "unanswered_items");
    },

    /**
     * Deletes interactions older than `before` and what only they kept alive, atomically. The
     * audit trail and the FAQ versions are not the log and stay.
     */
    purge(before: Date): PurgeResult {
      return db
        .transaction(() => {
          const cutoff = before.toISOString();
          const interactions = deleteInteractions.run(cutoff).changes;
          const groups = deleteEmptyGroups.run().changes;
          const notifications = deleteNotifications.run(cutoff).changes;
          return { interactions, groups, notifications };
        })
        .immediate();
    },
  };
}

export type StatsQueries = ReturnType<typeof createStatsQueries>;
