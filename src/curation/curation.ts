// The curation API used by the CLI commands and the web console: the unanswered queue, the FAQ
// lifecycle, import and export, statistics, retention and the audit trail. Every action takes the
// acting user, checks their role and leaves an audit entry in the same transaction as its change;
// reads are left to the caller's own access rules (the CLI asks for a trainer, or a coordinator
// for the audit trail). This file only wires the services that do the work (one file each here)
// and keeps the running engine's FAQ set in step with the store.
import type { AnswerEngine } from "../answer/engine-types.js";
import type { SportelloConfig } from "../config/schema.js";
import type { GivenAnswer } from "../store/queue.js";
import type { Store } from "../store/store.js";
import type { QueueItemKind } from "../vocabulary.js";
import { type Actor, createActorCheck } from "./actors.js";
import {
  type AdapterAuditEntry,
  type AuditQuery,
  type AuditRecord,
  createAuditTrail,
} from "./audit-trail.js";
import { type AnswerProposal, proposeAnswer } from "./authoring.js";
import { createFaqFiles, type ImportResult } from "./faq-files.js";
import {
  createFaqLifecycle,
  type FaqInput,
  type FaqRecord,
  type FaqVersionRecord,
} from "./faq-lifecycle.js";
import { createNotices } from "./notices.js";
import type { Notifier } from "./notify.js";
import { type BreakdownRow, createStatistics, type StatsReport } from "./statistics.js";
import { createSuggestions, type Suggestion } from "./suggestions.js";
import { createUnanswered, type ResolutionCandidate } from "./unanswered.js";
import {
  createUnansweredReview,
  type UnansweredGroupDetail,
  type UnansweredGroupRow,
  type UnansweredQuery,
} from "./unanswered-review.js";
import { type ConfirmOptions, type ConfirmResult, createUncertainReview } from "./uncertain.js";

export type {
  Actor,
  AdapterAuditEntry,
  AnswerProposal,
  AuditQuery,
  AuditRecord,
  BreakdownRow,
  ConfirmOptions,
  ConfirmResult,
  FaqInput,
  FaqRecord,
  FaqVersionRecord,
  ImportResult,
  ResolutionCandidate,
  StatsReport,
  Suggestion,
  UnansweredGroupDetail,
  UnansweredGroupRow,
  UnansweredQuery,
};

export interface CurationOptions {
  store: Store;
  config: Pick<SportelloConfig, "approval" | "names" | "roles" | "telegram" | "slack" | "web">;
  /** The running engine: publication swaps its FAQ set; grouping uses its analysis. */
  engine?: Pick<AnswerEngine, "setFaqs" | "analyze" | "faqMatches" | "ask">;
  /** How informative a term is in the corpus (the index's IDF), to group questions better. */
  termWeight?: (term: string) => number;
  notifier?: Notifier;
  now?: () => Date;
  log?: (line: string) => void;
}

export function createCuration(options: CurationOptions) {
  const { store, config } = options;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const actors = createActorCheck(config);
  const audit = createAuditTrail(store, config);
  const notices = createNotices({ store, notifier: options.notifier, now });
  const statistics = createStatistics({ store, actors, now });
  let publishedMark = -1;

  function refreshEngine(): void {
    publishedMark = store.faqs.changeMark();
    suggestions.reset();
    options.engine?.setFaqs(faqs.published());
  }

  const unanswered = createUnanswered({
    store,
    actors,
    engine: options.engine,
    termWeight: options.termWeight,
    notifyGroup: notices.queueForGroup,
    onQueued: (interactionId, text, focus) =>
      suggestions.fromQueuedQuestion(interactionId, text, focus),
  });

  const faqs = createFaqLifecycle({
    store,
    actors,
    names: config.names,
    now,
    onPublishedChanged: () => {
      refreshEngine();
      void options.notifier?.flush();
    },
    resolveQuestions: (actor, faq, groupId, confirmed) => {
      const chosen =
        confirmed ??
        unanswered
          .resolutionCandidates(faq, groupId)
          .filter((c) => c.matched)
          .map((c) => c.itemId);
      unanswered.resolve(actor, faq, chosen);
    },
  });

  const suggestions = createSuggestions({ store, actors, faqs, unanswered });
  const review = createUnansweredReview({ store, actors, faqs, unanswered });
  const uncertain = createUncertainReview({ store, actors, faqs, unanswered });
  const faqFiles = createFaqFiles({ store, actors, config, faqs, log });

  return {
    // ——— The unanswered queue (unanswered.ts shapes it, unanswered-review.ts reads it) ———

    /**
     * Adds a declined question (or an answer marked non utile, or one given with uncertainty,
     * with what it was told) to the queue, in the group of its closest paraphrase or a new one.
     * A dismissed group keeps its status; its count grows.
     */
    enqueue: (interactionId: number, kind: QueueItemKind, given?: GivenAnswer): number | null =>
      unanswered.enqueue(interactionId, kind, given),
    /**
     * Confirms answers to verify: their wording becomes a phrasing of the FAQ offered (or of
     * `options.faqId`), which then answers them with certainty; they are resolved.
     */
    confirmUncertain: (groupId: number, actor: Actor, options?: ConfirmOptions): ConfirmResult =>
      uncertain.confirm(groupId, actor, options),

    /** Moves some questions of a group (by their number in the group's list) to a new group. */
    splitGroup: (groupId: number, itemIds: readonly number[], actor: Actor) =>
      unanswered.split(groupId, itemIds, actor),
    /** Moves every question of the source groups into the target group. */
    mergeGroups: (targetId: number, sourceIds: readonly number[], actor: Actor) =>
      unanswered.merge(targetId, sourceIds, actor),
    moveQuestion: (itemId: number, targetId: number, actor: Actor) =>
      unanswered.move(itemId, targetId, actor),

    publishCandidates: review.publishCandidates,
    listUnanswered: review.list,
    unansweredGroup: review.group,
    unansweredRegions: review.regions,
    unansweredOpenCounts: review.openCounts,
    topUnanswered: review.top,
    dismissGroup: review.dismiss,
    unansweredCsv: review.csv,

    // ——— Suggested phrasings (active learning, suggestions.ts) ———

    /** An answer from a FAQ marked "utile": its wording is suggested for the FAQ when new. */
    suggestFromHelpful: (interactionId: number) => suggestions.fromHelpfulAnswer(interactionId),
    suggestions: (faqId?: string): Suggestion[] => suggestions.list(faqId),
    acceptSuggestion: (id: number, actor: Actor) => suggestions.accept(id, actor),
    rejectSuggestion: (id: number, actor: Actor) => suggestions.reject(id, actor),

    // ——— FAQ (faq-lifecycle.ts, faq-files.ts, authoring.ts) ———

    /**
     * A draft answer for `question` from the best passages' answering sentences, with their
     * citations and sources (tables of contents left out); empty without the engine.
     */
    proposeAnswer(question: string): AnswerProposal {
      if (!options.engine || !question.trim()) return { answer: "", sources: [] };
      return proposeAnswer(options.engine, question, options.termWeight);
    },

    listFaqs: (query: { search?: string; status?: FaqRecord["status"] } = {}) => faqs.list(query),
    faq: (id: string) => faqs.record(id),
    faqHistory: (id: string) => faqs.history(id),
    faqVersion: (id: string, version: number) => faqs.version(id, version),
    publishedFaqs: () => faqs.published(),
    draftFaq: (input: FaqInput & { groupId?: number; reason?: string }, actor: Actor) =>
      faqs.draft(input, actor),
    // `seen`: the version the person acted on; another one at the head is a CONFLICT, checked in
    // the transaction that writes the step.
    editFaq: (
      id: string,
      input: FaqInput,
      reason: string | undefined,
      actor: Actor,
      seen?: number,
    ) => faqs.edit(id, input, reason, actor, seen),
    approveFaq: (id: string, actor: Actor, reason?: string, seen?: number) =>
      faqs.approve(id, actor, reason, seen),
    /** Publishes the approved head: the running engine answers from it at once. */
    publishFaq: (
      id: string,
      actor: Actor,
      reason?: string,
      confirmed?: readonly number[],
      seen?: number,
    ) => faqs.publish(id, actor, reason, confirmed, seen),
    retireFaq: (id: string, reason: string | undefined, actor: Actor, seen?: number) =>
      faqs.retire(id, reason, actor, seen),

    importFaqs: faqFiles.importFrom,
    syncKnowledgeFaqs: faqFiles.syncKnowledge,
    exportFaqs: faqFiles.exportTo,
    faqsCsv: faqFiles.csv,

    // ——— Statistics and retention (statistics.ts) ———

    stats: statistics.report,
    purge: statistics.purge,

    // ——— The audit trail (audit-trail.ts) ———

    audit: audit.list,
    auditActions: audit.actions,
    recordAudit: audit.record,

    // ——— Notifications (notices.ts) and the running engine ———

    pendingNotifications: notices.pending,
    markNotificationDelivered: notices.markDelivered,
    /**
     * The messages waiting for a console user (their questions asked through the console now
     * have an answer): shown on their next visit to Chiedi, then marked delivered.
     */
    consoleNotices: notices.forConsoleUser,
    consoleNoticeCount: notices.countForConsoleUser,

    /** The configured display name (`names:`) of a person, or null. */
    displayName(actor: Actor): string | null {
      return config.names[`${actor.channel}:${actor.userId}`] ?? null;
    },

    /** Loads the answering FAQ into the engine now. */
    refreshEngine,

    /**
     * Reloads the engine's FAQ when another process (the CLI, the console) changed them; cheap
     * enough to call before every question. True when something changed.
     */
    syncPublished(): boolean {
      if (store.faqs.changeMark() === publishedMark) return false;
      refreshEngine();
      void options.notifier?.flush();
      return true;
    },

    roles: (actor: Actor) => actors.roles(actor),
    /** True when the policy (src/curation/policy.ts) lets `actor` do `action`. */
    may: actors.may,
    /** FORBIDDEN unless the policy lets `actor` do `action`. */
    authorize: actors.authorize,
  };
}

export type Curation = ReturnType<typeof createCuration>;
