// What coordinators measure and keep: the period's figures (per day, channel, region and FAQ, the
// largest open groups, the uncovered topics) and the retention purge of old interactions.
import { say } from "../prompts.js";
import { analyze } from "../search/analysis.js";
import type { Counts, FaqDeflection, PurgeResult, UncoveredTopic } from "../store/stats.js";
import type { Store } from "../store/store.js";
import type { Actor, ActorCheck } from "./actors.js";
import { parseDay, parseRetention } from "./period.js";
import type { UnansweredGroupRow } from "./unanswered-review.js";

export interface BreakdownRow extends Counts {
  key: string;
}

export interface StatsReport {
  since: string | null;
  totals: Counts & { helpfulRate: number | null; reported: number };
  days: Array<Counts & { date: string }>;
  byChannel: BreakdownRow[];
  /** Region named in the question; "nessuna" for questions naming none. */
  byRegion: BreakdownRow[];
  /** The largest open groups of questions without an answer. */
  topUnanswered: UnansweredGroupRow[];
  /** The largest open groups of answers given with uncertainty, for trainers to verify. */
  topUncertain: UnansweredGroupRow[];
  /** Questions answered by each FAQ in the period, most first (deflection by FAQ). */
  byFaq: FaqDeflection[];
  /**
   * The most asked focus terms of questions declined or answered "non utile" in the period that
   * no published FAQ covers, in the region and channel asked for (all when absent).
   */
  uncoveredTopics: TopicFigure[];
  /** The regions named in the period's questions (the choices for the topics' region filter). */
  regions: string[];
}

/** An uncovered topic with the word people wrote for it ("stampante" for the stem "stampant"). */
export type TopicFigure = UncoveredTopic & { label: string };

export interface StatsQuery {
  /** ISO date (YYYY-MM-DD), inclusive; the whole log when absent. */
  since?: string;
  /** How many open groups and uncovered topics (10 when absent). */
  top?: number;
  /** The uncovered topics' region and channel filters. */
  region?: string;
  channel?: string;
}

export interface Statistics {
  report(query?: StatsQuery): StatsReport;
  /** Deletes interactions older than `olderThan` ("180d") and what only they kept alive. */
  purge(olderThan: string, actor: Actor): PurgeResult & { before: string };
}

export interface StatisticsDeps {
  store: Store;
  actors: ActorCheck;
  now: () => Date;
}

/**
 * The word of the example question that analyses to the topic's term, as written there (lower
 * case): a coordinator reads "stampante", not the stem "stampant". The term itself when no word
 * of the example gives it (an alias from the thesaurus, say).
 */
export function topicLabel(topic: UncoveredTopic): string {
  for (const word of topic.example?.split(/[^\p{L}\p{N}'’-]+/u) ?? []) {
    if (analyze(word).includes(topic.term)) return word.toLowerCase().replace(/^\p{L}+['’]/u, "");
  }
  return topic.term;
}

export function createStatistics(deps: StatisticsDeps): Statistics {
  const { store, actors, now } = deps;

  return {
    report(query = {}) {
      const since = query.since ? parseDay(query.since, "--since") : null;
      const raw = store.stats.stats(since);
      const open = (category: "unanswered" | "uncertain") =>
        store.queue.listGroups({ status: "aperta", category, limit: query.top ?? 10 }).groups;
      const { feedback, helpfulRate, ...totals } = raw.totals;
      return {
        since: raw.since,
        totals: { ...totals, helpfulRate, reported: feedback.segnala },
        days: raw.perDay.map(({ day, ...counts }) => ({ date: day, ...counts })),
        byChannel: raw.perChannel.map(({ channel, ...counts }) => ({ key: channel, ...counts })),
        byRegion: raw.perRegion.map(({ region, ...counts }) => ({
          key: region ?? say("curation.no_region"),
          ...counts,
        })),
        topUnanswered: open("unanswered"),
        topUncertain: open("uncertain"),
        byFaq: raw.perFaq,
        uncoveredTopics: store.stats
          .uncoveredTopics(since, {
            region: query.region,
            channel: query.channel,
            limit: query.top ?? 10,
          })
          .map((topic) => ({ ...topic, label: topicLabel(topic) })),
        regions: raw.perRegion.flatMap((row) => (row.region ? [row.region] : [])),
      };
    },

    purge(olderThan, actor) {
      actors.authorize(actor, "log.purge");
      const days = parseRetention(olderThan);
      const before = new Date(now().getTime() - days * 86_400_000);
      // The audit trail is not the interaction log: its rows stay (see src/store/audit.ts).
      const result = store.transaction(() => {
        const purged = store.stats.purge(before);
        store.audit.append({
          actor,
          action: "log.purge",
          target: null,
          detail: { older_than: `${days}d`, before: before.toISOString(), ...purged },
        });
        return purged;
      });
      return { ...result, before: before.toISOString() };
    },
  };
}
