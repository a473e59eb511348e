// The unanswered queue as the console and the CLI review it: the groups with their filters and
// paging, one group with its phrasings, the largest open groups for the chat home pages, the
// questions a publication may resolve, dismissal with its reason, and the CSV export.
import type { Channel } from "../answer/types.js";
import { SportelloError } from "../errors.js";
import { say } from "../prompts.js";
import type { UnansweredGroupSummary } from "../service.js";
import { redact } from "../store/redact.js";
import type { GroupItem, GroupRow, GroupStatus } from "../store/rows.js";
import type { Store } from "../store/store.js";
import type { QueueCategory, QueueItemKind } from "../vocabulary.js";
import type { Actor, ActorCheck } from "./actors.js";
import { toCsv } from "./csv.js";
import type { FaqLifecycle } from "./faq-lifecycle.js";
import { parseDay } from "./period.js";
import type { ResolutionCandidate, Unanswered } from "./unanswered.js";

export interface UnansweredQuery {
  status?: GroupStatus;
  region?: string;
  channel?: Channel;
  /** Questions without an answer, or answers given with uncertainty ("da verificare"). */
  category?: QueueCategory;
  /** ISO date (YYYY-MM-DD), inclusive: groups last seen on or after it. */
  since?: string;
  /** ISO date, inclusive: groups first seen on or before it. */
  until?: string;
  sort?: "count" | "recent";
  limit?: number;
  offset?: number;
}

export type UnansweredGroupRow = GroupRow;

export interface UnansweredPhrasing {
  /** The queued question's number (for split and move). */
  item: number;
  text: string;
  askedAt: string;
  channel: Channel;
  region: string | null;
  kind: QueueItemKind;
  /**
   * For an answer to verify: what the asker was told and the FAQ offered (with its question as it
   * reads now); null otherwise.
   */
  given:
    | (Omit<NonNullable<GroupItem["given"]>, "faq" | "alternatives"> & {
        faq: { id: string; version: number; question: string } | null;
        /** The other FAQ its answer named ("guarda anche"), with their questions as they read now. */
        alternatives: Array<{ id: string; question: string }>;
      })
    | null;
}

export interface UnansweredGroupDetail extends UnansweredGroupRow {
  examples: string[];
  phrasings: UnansweredPhrasing[];
}

export interface UnansweredReview {
  list(query?: UnansweredQuery): { total: number; groups: UnansweredGroupRow[] };
  /** One group with its examples and every phrasing; undefined when there is none. */
  group(id: number): UnansweredGroupDetail | undefined;
  /** The regions named in queued questions (the choices for the region filter). */
  regions(): string[];
  /** How many open groups hold questions without an answer, and answers to verify. */
  openCounts(): { unanswered: number; uncertain: number };
  /** The largest open groups, in the shape of the service contract. */
  top(limit: number): UnansweredGroupSummary[];
  /**
   * The queued questions publishing FAQ `faqId` may resolve (the publish form): its group's and
   * other open questions it answers; `matched` ones are preselected.
   */
  publishCandidates(faqId: string): ResolutionCandidate[];
  /** Closes a group nobody will answer, with the reason (redacted) in the audit trail. */
  dismiss(id: number, reason: string | undefined, actor: Actor): UnansweredGroupRow;
  /** The groups `query` selects (up to 100,000) as CSV, headers in Italian. */
  csv(query?: UnansweredQuery): string;
}

/** The CSV export's columns; their Italian headers are in prompts/curation.yaml. */
const unansweredCsvColumns = [
  "id",
  "status",
  "questions",
  "uncertain",
  "first",
  "last",
  "channels",
  "regions",
  "examples",
  "faq",
  "reason",
] as const;

export interface UnansweredReviewDeps {
  store: Store;
  actors: ActorCheck;
  faqs: Pick<FaqLifecycle, "record">;
  unanswered: Pick<Unanswered, "resolutionCandidates">;
}

export function createUnansweredReview(deps: UnansweredReviewDeps): UnansweredReview {
  const { store, actors, faqs, unanswered } = deps;

  function requireGroup(id: number): GroupRow {
    const group = Number.isSafeInteger(id) ? store.queue.group(id) : undefined;
    if (!group) throw new SportelloError("NOT_FOUND", say("curation.group_not_found", { id }));
    return group;
  }

  function list(query: UnansweredQuery = {}): { total: number; groups: UnansweredGroupRow[] } {
    const before = query.until
      ? new Date(parseDay(query.until, "--until").getTime() + 86_400_000).toISOString()
      : undefined;
    return store.queue.listGroups({
      status: query.status,
      region: query.region,
      channel: query.channel,
      category: query.category,
      since: query.since ? parseDay(query.since, "--since").toISOString() : undefined,
      before,
      sort: query.sort,
      limit: query.limit,
      offset: query.offset,
    });
  }

  return {
    list,

    group(id) {
      const group = Number.isSafeInteger(id) ? store.queue.group(id) : undefined;
      if (!group) return undefined;
      return {
        ...group,
        examples: store.queue.groupExamples(id),
        phrasings: store.queue.groupItems(id).map((item) => ({
          item: item.id,
          text: item.text,
          askedAt: item.createdAt,
          channel: item.channel,
          region: item.region,
          kind: item.kind,
          given: item.given && {
            ...item.given,
            faq: item.given.faq && {
              ...item.given.faq,
              question: faqs.record(item.given.faq.id)?.question ?? item.given.faq.id,
            },
            alternatives: item.given.alternatives.map((id) => ({
              id,
              question: faqs.record(id)?.question ?? id,
            })),
          },
        })),
      };
    },

    regions: () => store.queue.regions(),
    openCounts: () => store.queue.openGroupCounts(),

    top(limit) {
      return store.queue
        .listGroups({ limit: Math.max(0, limit) * 2 })
        .groups.filter((g) => g.status === "aperta" || g.status === "in_lavorazione")
        .slice(0, limit)
        .map((g) => ({
          id: g.id,
          label: g.label,
          count: g.count,
          firstSeen: g.firstSeen,
          lastSeen: g.lastSeen,
          examples: store.queue.groupExamples(g.id, 3),
          status: g.status,
          uncertain: g.uncertain,
        }));
    },

    publishCandidates(faqId) {
      const record = faqs.record(faqId);
      if (!record) {
        throw new SportelloError("NOT_FOUND", say("curation.faq_not_found", { id: faqId }));
      }
      const {
        status: _s,
        version,
        publishedVersion: _p,
        updatedAt: _u,
        updatedBy: _b,
        groupId,
        ...faq
      } = record;
      return unanswered.resolutionCandidates({ ...faq, version }, groupId);
    },

    dismiss(id, reason, actor) {
      actors.authorize(actor, "unanswered.dismiss");
      const group = requireGroup(id);
      const why = reason?.trim();
      if (!why) {
        throw new SportelloError(
          "INPUT_INVALID",
          say("curation.reason_required", { action: say("curation.action_dismiss") }),
        );
      }
      if (group.status === "risolta" || group.status === "scartata") {
        throw new SportelloError(
          "CONFLICT",
          say("curation.group_closed", { id, status: group.status }),
        );
      }
      const redacted = redact(why);
      store.transaction(() => {
        store.queue.setGroupStatus(id, "scartata", { reason: redacted });
        store.audit.append({
          actor,
          action: "group.dismiss",
          target: id,
          detail: { from: group.status, reason: redacted },
        });
      });
      return requireGroup(id);
    },

    csv(query = {}) {
      const { groups } = list({ ...query, limit: query.limit ?? 100_000 });
      return toCsv(
        unansweredCsvColumns.map((column) => say(`curation.unanswered_csv.${column}`)),
        groups.map((g) => [
          g.id,
          g.status,
          g.count,
          g.uncertain,
          g.firstSeen,
          g.lastSeen,
          g.channels.join(" "),
          g.regions.join(", "),
          store.queue.groupExamples(g.id).join("\n"),
          g.faqId,
          g.dismissReason,
        ]),
      );
    },
  };
}
