// The curation API used by the CLI commands and the web console: the unanswered queue, the FAQ
// lifecycle, import and export, statistics, retention and the audit trail. Every action takes the
// acting user, checks their role and leaves an audit entry in the same transaction as its change;
// reads are left to the caller's own access rules (the CLI asks for a trainer, or a coordinator
// for the audit trail).
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { AnswerEngine } from "../answer/engine-types.js";
import type { Channel } from "../answer/types.js";
import type { SportelloConfig } from "../config/schema.js";
import { SportelloError } from "../errors.js";
import { faqFileName, listFaqFiles, parseFaq, serializeFaq } from "../knowledge/faq.js";
import { type Faq, faqSchema, type PublishedFaq } from "../knowledge/types.js";
import { say } from "../prompts.js";
import { analyze } from "../search/analysis.js";
import type { OutgoingNotification, UnansweredGroupSummary } from "../service.js";
import { type AuditAction, type AuditDetail, auditActions } from "../store/audit.js";
import { redact } from "../store/redact.js";
import type { GroupRow, GroupStatus } from "../store/rows.js";
import type { Counts, FaqDeflection, PurgeResult, UncoveredTopic } from "../store/stats.js";
import type { Store } from "../store/store.js";
import { type Actor, createActorCheck, describeActor } from "./actors.js";
import { type AuditQuery, type AuditRecord, createAuditView } from "./audit-view.js";
import { type AnswerProposal, proposeAnswer } from "./authoring.js";
import { parseCsvRecords, toCsv } from "./csv.js";
import {
  createFaqLifecycle,
  type FaqInput,
  type FaqRecord,
  type FaqVersionRecord,
  fileAuthor,
  sameContent,
} from "./faq-lifecycle.js";
import type { Notifier } from "./notify.js";
import { createSuggestions, type Suggestion } from "./suggestions.js";
import { createUnanswered, type ResolutionCandidate } from "./unanswered.js";
import { writeFileAtomically } from "./write-file.js";

export type {
  Actor,
  AnswerProposal,
  AuditQuery,
  AuditRecord,
  FaqInput,
  FaqRecord,
  FaqVersionRecord,
  ResolutionCandidate,
  Suggestion,
};

/** What an adapter records by itself: the console's sign-ins and re-ingestion. */
export const adapterAuditActions = [
  "console.signin",
  "console.signin_failed",
  "console.signin_throttled",
  "console.local_link",
  "knowledge.reingest",
] as const satisfies readonly AuditAction[];
export type AdapterAuditAction = (typeof adapterAuditActions)[number];

export interface AdapterAuditEntry {
  /**
   * The person concerned (for a failed sign-in, the name that was tried), or the console itself
   * for a summary of failed sign-ins over too many names to list.
   */
  actor: Actor | { system: "console" };
  action: AdapterAuditAction;
  target?: string | null;
  detail?: AuditDetail | null;
}

export interface UnansweredQuery {
  status?: GroupStatus;
  region?: string;
  channel?: Channel;
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
  kind: "declined" | "non_utile";
}

export interface UnansweredGroupDetail extends UnansweredGroupRow {
  examples: string[];
  phrasings: UnansweredPhrasing[];
}

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
  topUnanswered: UnansweredGroupRow[];
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

export interface ImportResult {
  /** knowledge/faq files changed since their import, now drafts waiting for review. */
  drafted?: string[];
  added: string[];
  updated: string[];
  unchanged: string[];
}

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

const faqCsvColumns = [
  "id",
  "question",
  "alternatives",
  "answer",
  "sources",
  "tags",
  "region",
  "reviewed",
] as const;

function parseDay(text: string, flag: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  const date = match ? new Date(`${text.trim()}T00:00:00.000Z`) : new Date(Number.NaN);
  if (!match || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text.trim()) {
    throw new SportelloError("INPUT_INVALID", say("curation.bad_date", { flag, value: text }));
  }
  return date;
}

/** "180d" or "180g" → days; anything else is INPUT_INVALID. */
export function parseRetention(text: string): number {
  const match = /^(\d+)\s*(d|g|giorni|days?)$/i.exec(text.trim());
  const days = match ? Number(match[1]) : Number.NaN;
  if (!match || !Number.isSafeInteger(days) || days < 1) {
    throw new SportelloError("INPUT_INVALID", say("curation.bad_retention", { value: text }));
  }
  return days;
}

/** "3 marzo" (with the year when it is not the current one), in Italian time. */
export function italianDay(iso: string, now: Date): string {
  const date = new Date(iso);
  const zone = "Europe/Rome";
  const year = (d: Date) =>
    new Intl.DateTimeFormat("it-IT", { year: "numeric", timeZone: zone }).format(d);
  const options: Intl.DateTimeFormatOptions = { day: "numeric", month: "long", timeZone: zone };
  if (year(date) !== year(now)) options.year = "numeric";
  return new Intl.DateTimeFormat("it-IT", options).format(date);
}

export function createCuration(options: CurationOptions) {
  const { store, config } = options;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const actors = createActorCheck(config);
  const auditView = createAuditView(store, config, parseDay);
  let publishedMark = -1;

  function refreshEngine(): void {
    publishedMark = store.faqs.changeMark();
    suggestions.reset();
    options.engine?.setFaqs(faqs.published());
  }

  function queueNotifications(groupId: number, faq: PublishedFaq): void {
    const seen = new Set<string>();
    for (const asker of store.queue.groupAskers(groupId)) {
      if (!asker.address || seen.has(asker.userHash)) continue;
      seen.add(asker.userHash);
      store.notifications.queue({
        channel: asker.channel,
        userHash: asker.userHash,
        sealedAddress: asker.address,
        faqId: faq.id,
        faqVersion: faq.version,
        groupId,
        text: say("curation.notification", {
          date: italianDay(asker.createdAt, now()),
          question: faq.question,
          answer: faq.answer,
        }),
      });
    }
  }

  const unanswered = createUnanswered({
    store,
    actors,
    engine: options.engine,
    termWeight: options.termWeight,
    notifyGroup: queueNotifications,
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

  function requireGroup(id: number): GroupRow {
    const group = Number.isSafeInteger(id) ? store.queue.group(id) : undefined;
    if (!group) throw new SportelloError("NOT_FOUND", say("curation.group_not_found", { id }));
    return group;
  }

  function parseFaqCsv(text: string): Faq[] {
    const records = parseCsvRecords(text, ["id", "question", "answer", "reviewed"]);
    return records.map((record, index) => {
      const lines = (value: string | undefined) =>
        (value ?? "")
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter(Boolean);
      let sources: unknown = [];
      if (record.sources?.trim()) {
        try {
          sources = JSON.parse(record.sources);
        } catch {
          sources = record.sources;
        }
      }
      const parsed = faqSchema.safeParse({
        id: record.id?.trim(),
        question: record.question?.trim(),
        alternatives: lines(record.alternatives),
        answer: record.answer?.trim(),
        sources,
        tags: lines(record.tags),
        region: record.region?.trim() ? record.region.trim() : null,
        reviewed: record.reviewed?.trim(),
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new SportelloError(
          "INPUT_INVALID",
          say("curation.csv_bad_faq", {
            record: index + 1,
            field: issue?.path.map(String).join(".") || "(radice)",
            problem: issue?.message ?? "valore non valido",
          }),
        );
      }
      return parsed.data;
    });
  }

  function readFaqSources(path: string): Faq[] {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new SportelloError("NOT_FOUND", say("curation.import_missing", { path }));
    }
    if (path.toLowerCase().endsWith(".csv")) return parseFaqCsv(readFileSync(path, "utf8"));
    const files = isDir ? listFaqFiles(path).map((name) => join(path, name)) : [path];
    if (files.length === 0)
      throw new SportelloError("INPUT_INVALID", say("curation.import_empty", { path }));
    const list = files.map((file) => parseFaq(readFileSync(file, "utf8"), file));
    const ids = new Set<string>();
    for (const faq of list) {
      if (ids.has(faq.id)) {
        throw new SportelloError("INPUT_INVALID", say("curation.import_duplicate", { id: faq.id }));
      }
      ids.add(faq.id);
    }
    return list;
  }

  const curation = {
    // ——— The unanswered queue ———

    /**
     * Adds a declined question (or an answer marked non utile) to the queue, in the group of its
     * closest paraphrase or a new one. A dismissed group keeps its status; its count grows.
     */
    enqueue: (interactionId: number, kind: "declined" | "non_utile"): number | null =>
      unanswered.enqueue(interactionId, kind),

    /** Moves some questions of a group (by their number in the group's list) to a new group. */
    splitGroup: (groupId: number, itemIds: readonly number[], actor: Actor) =>
      unanswered.split(groupId, itemIds, actor),
    /** Moves every question of the source groups into the target group. */
    mergeGroups: (targetId: number, sourceIds: readonly number[], actor: Actor) =>
      unanswered.merge(targetId, sourceIds, actor),
    moveQuestion: (itemId: number, targetId: number, actor: Actor) =>
      unanswered.move(itemId, targetId, actor),

    /**
     * The queued questions publishing `id` may resolve (the publish form): its group's and other
     * open questions it answers; `matched` ones are preselected.
     */
    publishCandidates(id: string): ResolutionCandidate[] {
      const record = faqs.record(id);
      if (!record) throw new SportelloError("NOT_FOUND", say("curation.faq_not_found", { id }));
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

    listUnanswered(query: UnansweredQuery = {}): { total: number; groups: UnansweredGroupRow[] } {
      const before = query.until
        ? new Date(parseDay(query.until, "--until").getTime() + 86_400_000).toISOString()
        : undefined;
      return store.queue.listGroups({
        status: query.status,
        region: query.region,
        channel: query.channel,
        since: query.since ? parseDay(query.since, "--since").toISOString() : undefined,
        before,
        sort: query.sort,
        limit: query.limit,
        offset: query.offset,
      });
    },

    unansweredGroup(id: number): UnansweredGroupDetail | undefined {
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
        })),
      };
    },

    unansweredRegions(): string[] {
      return store.queue.regions();
    },

    /** The largest open groups, in the shape of the service contract. */
    topUnanswered(limit: number): UnansweredGroupSummary[] {
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
        }));
    },

    dismissGroup(id: number, reason: string | undefined, actor: Actor): UnansweredGroupRow {
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

    unansweredCsv(query: UnansweredQuery = {}): string {
      const { groups } = curation.listUnanswered({ ...query, limit: query.limit ?? 100_000 });
      return toCsv(
        [
          "id",
          "stato",
          "domande",
          "prima",
          "ultima",
          "canali",
          "regioni",
          "esempi",
          "faq",
          "motivo",
        ],
        groups.map((g) => [
          g.id,
          g.status,
          g.count,
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

    // ——— Suggested phrasings (active learning) ———

    /** An answer from a FAQ marked "utile": its wording is suggested for the FAQ when new. */
    suggestFromHelpful: (interactionId: number) => suggestions.fromHelpfulAnswer(interactionId),
    suggestions: (faqId?: string): Suggestion[] => suggestions.list(faqId),
    acceptSuggestion: (id: number, actor: Actor) => suggestions.accept(id, actor),
    rejectSuggestion: (id: number, actor: Actor) => suggestions.reject(id, actor),

    // ——— FAQ ———

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

    /** Imports FAQ files (a folder, one .md file, or a .csv) as published versions; all or nothing. */
    importFaqs(path: string, actor: Actor): ImportResult {
      actors.authorize(actor, "faq.import");
      const list = readFaqSources(path);
      return faqs.importPublished(
        list,
        describeActor(store, actor, config.names),
        say("curation.reason_import", { path }),
        { actor, source: path, always: true },
      );
    },

    /**
     * At start-up: file FAQ the store does not know yet are imported as published version 1;
     * a file changed since its last import becomes a draft for trainers to review (the published
     * version keeps answering), unless trainers changed the FAQ in the store since (then the
     * store wins). Either way a line is logged. Invalid files are skipped.
     */
    syncKnowledgeFaqs(dir: string): ImportResult {
      const fresh: Faq[] = [];
      const changed: Array<{ faq: Faq; file: string }> = [];
      const result: ImportResult = { added: [], updated: [], unchanged: [] };
      for (const name of listFaqFiles(dir)) {
        let faq: Faq;
        try {
          faq = parseFaq(readFileSync(join(dir, name), "utf8"), name);
        } catch (error) {
          log(`sportello: ${(error as Error).message}`);
          continue;
        }
        const history = store.faqs.history(faq.id);
        const head = history.at(-1);
        const { id: _id, ...content } = faq;
        const fileContent = { ...content };
        if (!head) fresh.push(faq);
        // A file equal to any version the store has (an export, an old copy) is not news.
        else if (history.some((v) => sameContent(v.content, fileContent))) {
          result.unchanged.push(faq.id);
        } else if (head.authorHash === fileAuthor) changed.push({ faq, file: name });
        else {
          log(say("curation.file_faq_diverged", { id: faq.id, file: name }));
          result.unchanged.push(faq.id);
        }
      }
      if (fresh.length > 0) {
        const imported = faqs.importPublished(
          fresh,
          { hash: fileAuthor, name: `knowledge/faq` },
          say("curation.reason_file_import"),
          { actor: { system: fileAuthor }, source: "knowledge/faq", always: false },
        );
        result.added.push(...imported.added);
        result.updated.push(...imported.updated);
      }
      if (changed.length > 0) {
        faqs.draftFromFiles(
          changed.map((c) => c.faq),
          { hash: fileAuthor, name: "knowledge/faq" },
          say("curation.reason_file_changed"),
          { system: fileAuthor },
        );
        for (const { faq, file } of changed) {
          log(say("curation.file_faq_drafted", { id: faq.id, file }));
        }
        result.drafted = changed.map((c) => c.faq.id);
      }
      return result;
    },

    /** Writes the answering FAQ as files into `dir`; returns the paths written. */
    exportFaqs(dir: string): string[] {
      mkdirSync(dir, { recursive: true });
      return faqs.published().map((faq) => {
        const { version: _v, ...plain } = faq;
        const path = join(dir, faqFileName(plain));
        writeFileAtomically(path, serializeFaq(plain));
        return path;
      });
    },

    /** Every FAQ's latest version as CSV (RFC 4180), with its state and answering version. */
    faqsCsv(): string {
      return toCsv(
        [...faqCsvColumns, "state", "version", "published_version"],
        faqs
          .list()
          .map((f) => [
            f.id,
            f.question,
            f.alternatives.join("\n"),
            f.answer,
            f.sources.length ? JSON.stringify(f.sources) : "",
            f.tags.join("\n"),
            f.region,
            f.reviewed,
            f.status,
            f.version,
            f.publishedVersion,
          ]),
      );
    },

    // ——— Statistics and retention ———

    stats(
      query: { since?: string; top?: number; region?: string; channel?: string } = {},
    ): StatsReport {
      const since = query.since ? parseDay(query.since, "--since") : null;
      const raw = store.stats.stats(since);
      const open = store.queue.listGroups({ status: "aperta", limit: query.top ?? 10 }).groups;
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
        topUnanswered: open,
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

    /** Deletes interactions older than `olderThan` ("180d") and what only they kept alive. */
    purge(olderThan: string, actor: Actor): PurgeResult & { before: string } {
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

    // ——— The audit trail ———

    /** Audit entries, newest first, with who acted as a person can read it. */
    audit: (query: AuditQuery = {}) => auditView.list(query),

    /** The action codes with their Italian labels, for filters. */
    auditActions: () => auditActions.map((code) => ({ code, label: auditView.label(code) })),

    /**
     * Records what an adapter did on its own (a console sign-in, a re-ingestion). Only those
     * actions: curation's own changes are recorded by curation, never by an adapter.
     */
    recordAudit(entry: AdapterAuditEntry): void {
      if (!(adapterAuditActions as readonly string[]).includes(entry.action)) {
        throw new SportelloError(
          "STORE_FAILED",
          `curation: ${entry.action} non si registra da un adattatore`,
        );
      }
      store.audit.append({
        actor: entry.actor,
        action: entry.action,
        target: entry.target ?? null,
        detail: entry.detail ?? null,
      });
    },

    // ——— Notifications and the running engine ———

    /** Notifications waiting for a channel (the CLI shows its own at the next `chat`). */
    pendingNotifications(channel: Channel): OutgoingNotification[] {
      return options.notifier?.pending(channel) ?? [];
    },

    markNotificationDelivered(id: number): void {
      store.notifications.markDelivered(id);
    },

    /**
     * The messages waiting for a console user (their questions asked through the console now
     * have an answer): shown on their next visit to Chiedi, then marked delivered.
     */
    consoleNotices(userId: string): Array<{ id: number; text: string; faqId: string }> {
      const hash = store.sealer.pseudonym("web", userId);
      return store.notifications
        .pendingFor("web", hash)
        .map((n) => ({ id: n.id, text: n.text, faqId: n.faqId }));
    },

    consoleNoticeCount(userId: string): number {
      return store.notifications.countPendingFor("web", store.sealer.pseudonym("web", userId));
    },

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
  return curation;
}

export type Curation = ReturnType<typeof createCuration>;

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
