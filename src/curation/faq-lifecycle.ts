// The FAQ lifecycle: draft (from an unanswered group or from scratch) → edit → approve → publish
// → retire. Each step is a new version in the store with author, time and reason, and an entry in
// the audit trail written in the same transaction (with one for the group whose status it moved);
// publication swaps the running engine's FAQ set and tells the askers of the group it came from.
import { SportelloError } from "../errors.js";
import { issueField, issueProblem } from "../knowledge/manifest.js";
import { type Faq, faqSchema, type PublishedFaq } from "../knowledge/types.js";
import { say } from "../prompts.js";
import type { AuditAction, AuditActor } from "../store/audit.js";
import { redact } from "../store/redact.js";
import type { FaqContent, FaqState, FaqVersion, GroupStatus } from "../store/rows.js";
import type { Store } from "../store/store.js";
import { type Actor, type ActorCheck, describeActor } from "./actors.js";
import { type FaqStep, faqTransitions, needsSecondPairOfEyes } from "./policy.js";

/** Author recorded for versions read from `knowledge/faq/` files. */
export const fileAuthor = "knowledge-file";

/** A FAQ as the curation views show it: its latest version, and which version answers now. */
export interface FaqRecord extends Faq {
  status: FaqState;
  /** The latest version (the head). */
  version: number;
  /** The version that answers now, or null when none does. */
  publishedVersion: number | null;
  updatedAt: string;
  updatedBy: string;
  /** The unanswered group the FAQ was drafted from, if any. */
  groupId: number | null;
}

export interface FaqVersionRecord {
  version: number;
  at: string;
  author: string;
  /** "bozza", "modifica", "approvata", "pubblicata", "importata" or "ritirata". */
  action: string;
  reason: string | null;
  faq: Faq;
}

/** What a trainer writes; a draft may still lack its answer. */
export interface FaqInput {
  id?: string;
  question?: string;
  alternatives?: string[];
  answer?: string;
  sources?: Faq["sources"];
  tags?: string[];
  region?: string | null;
}

export interface FaqLifecycleDeps {
  store: Store;
  /** Role checks, with the configured approval policy. */
  actors: ActorCheck;
  /** Display names of authors by `channel:id`; others appear as a pseudonym. */
  names: Record<string, string>;
  now: () => Date;
  /** Called after the answering set changed (publish, retire, import). */
  onPublishedChanged: () => void;
  /**
   * Called inside the publishing transaction: resolves the queued questions the trainer
   * confirmed (undefined: those the FAQ answers) and queues their askers' notifications.
   */
  resolveQuestions: (
    actor: Actor,
    faq: PublishedFaq,
    groupId: number | null,
    confirmed: readonly number[] | undefined,
  ) => void;
}

const idPattern = /^[a-z0-9][a-z0-9-]*$/;

export function slugFor(question: string): string {
  const words = question
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter((w) => w.length > 2)
    .slice(0, 6);
  return words.join("-") || "faq";
}

function today(now: Date): string {
  return now.toISOString().slice(0, 10);
}

function contentToFaq(id: string, content: FaqContent): Faq {
  return {
    id,
    question: content.question,
    alternatives: content.alternatives,
    answer: content.answer,
    sources: content.sources,
    tags: content.tags,
    region: content.region,
    reviewed: content.reviewed ?? "",
  };
}

function actionOf(version: FaqVersion): string {
  if (version.authorHash === fileAuthor) return "importata";
  if (version.state === "bozza") return version.version === 1 ? "bozza" : "modifica";
  return version.state;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** True when two versions say the same thing (key order aside). */
export function sameContent(a: FaqContent, b: FaqContent): boolean {
  return canonical(a) === canonical(b);
}

export function createFaqLifecycle(deps: FaqLifecycleDeps) {
  const { store, actors } = deps;

  function requireHead(id: string): FaqVersion {
    const head = store.faqs.head(id);
    if (!head) throw new SportelloError("NOT_FOUND", say("curation.faq_not_found", { id }));
    return head;
  }

  /**
   * Runs one step of a FAQ in one transaction: reads the head, refuses a step the head's state
   * does not allow (policy.ts) or a head other than the version the person acted on (`seen`:
   * someone changed it meanwhile), then `write`s. Reading and writing under the same lock is
   * what makes the version check hold between two processes.
   */
  function takeStep<T>(
    id: string,
    step: FaqStep,
    seen: number | undefined,
    write: (head: FaqVersion) => T,
  ): T {
    return store.transaction(() => {
      const head = requireHead(id);
      if (seen !== undefined && head.version !== seen) {
        throw new SportelloError(
          "CONFLICT",
          say("curation.faq_changed_meanwhile", { id, version: head.version }),
        );
      }
      const { from, wrongState } = faqTransitions[step];
      if (!from.includes(head.state)) {
        throw new SportelloError(
          "CONFLICT",
          say(wrongState ?? "curation.faq_wrong_state", { id, state: head.state }),
        );
      }
      return write(head);
    });
  }

  function requireReason(reason: string | undefined, action: string): string {
    const text = reason?.trim();
    if (!text)
      throw new SportelloError("INPUT_INVALID", say("curation.reason_required", { action }));
    return redact(text);
  }

  /** Moves a group to `to` and records the change; call inside the FAQ step's transaction. */
  function moveGroup(
    actor: Actor,
    groupId: number,
    from: GroupStatus,
    to: GroupStatus,
    faqId: string,
  ): void {
    store.queue.setGroupStatus(groupId, to, to === "risolta" ? { faqId } : {});
    store.audit.append({
      actor,
      action: "group.status",
      target: groupId,
      detail: { from, to, faq: faqId },
    });
  }

  /**
   * Appends one version of a FAQ and its audit entry (author, reason, version); call inside the
   * step's transaction so that both are written or neither.
   */
  function appendVersion(
    actor: Actor,
    author: { hash: string; name: string | null },
    step: {
      faqId: string;
      basedOn: number;
      state: FaqState;
      content: FaqContent;
      reason: string;
      groupId: number | null;
      action: AuditAction;
      detail?: Record<string, unknown>;
    },
  ): FaqVersion {
    const v = store.faqs.append({
      faqId: step.faqId,
      basedOn: step.basedOn,
      state: step.state,
      content: step.content,
      authorHash: author.hash,
      authorName: author.name,
      reason: step.reason,
      groupId: step.groupId,
    });
    store.audit.append({
      actor,
      action: step.action,
      target: step.faqId,
      detail: { version: v.version, reason: step.reason, ...step.detail },
    });
    return v;
  }

  function publishedVersionOf(id: string): number | null {
    return store.faqs.published().find((v) => v.faqId === id)?.version ?? null;
  }

  function toRecord(head: FaqVersion, publishedVersion: number | null): FaqRecord {
    return {
      ...contentToFaq(head.faqId, head.content),
      status: head.state,
      version: head.version,
      publishedVersion,
      updatedAt: head.createdAt,
      updatedBy: head.author,
      groupId: head.groupId,
    };
  }

  function cleanContent(input: FaqInput, base: FaqContent | undefined): FaqContent {
    // Phrasings may come from users' questions: redact them like the log does. Answers are the
    // trainers' own text and may cite numbers, so they are kept as written.
    const question = input.question !== undefined ? redact(input.question.trim()) : base?.question;
    if (!question) throw new SportelloError("INPUT_INVALID", say("curation.faq_question_required"));
    const alternatives = (input.alternatives ?? base?.alternatives ?? [])
      .map((a) => redact(a.trim()))
      .filter((a, i, all) => a.length > 0 && a !== question && all.indexOf(a) === i);
    return {
      question,
      alternatives,
      answer: (input.answer ?? base?.answer ?? "").trim(),
      sources: input.sources ?? base?.sources ?? [],
      tags: (input.tags ?? base?.tags ?? []).map((t) => t.trim()).filter(Boolean),
      region: input.region !== undefined ? input.region : (base?.region ?? null),
      reviewed: base?.reviewed ?? null,
    };
  }

  function uniqueId(question: string): string {
    const base = slugFor(question);
    let id = base;
    for (let n = 2; store.faqs.head(id); n++) id = `${base}-${n}`;
    return id;
  }

  /** A complete FAQ or an INPUT_INVALID naming the first missing or wrong field. */
  function validated(id: string, content: FaqContent, reviewed: string): Faq {
    const parsed = faqSchema.safeParse({ ...contentToFaq(id, content), reviewed });
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw new SportelloError(
      "INPUT_INVALID",
      say("curation.faq_incomplete", {
        id,
        field: issueField(issue),
        problem: issueProblem(issue),
      }),
    );
  }

  return {
    record(id: string): FaqRecord | undefined {
      const head = store.faqs.head(id);
      return head ? toRecord(head, publishedVersionOf(id)) : undefined;
    },

    list(query: { search?: string; status?: FaqState } = {}): FaqRecord[] {
      const published = new Map(store.faqs.published().map((v) => [v.faqId, v.version]));
      const needle = query.search?.trim().toLowerCase();
      return store.faqs
        .heads()
        .filter((head) => !query.status || head.state === query.status)
        .filter(
          (head) =>
            !needle ||
            [head.faqId, head.content.question, head.content.answer, ...head.content.alternatives]
              .join("\n")
              .toLowerCase()
              .includes(needle),
        )
        .map((head) => toRecord(head, published.get(head.faqId) ?? null));
    },

    history(id: string): FaqVersionRecord[] {
      requireHead(id);
      return store.faqs.history(id).map((v) => ({
        version: v.version,
        at: v.createdAt,
        author: v.author,
        action: actionOf(v),
        reason: v.reason || null,
        faq: contentToFaq(v.faqId, v.content),
      }));
    },

    version(id: string, version: number): FaqVersionRecord | undefined {
      return this.history(id).find((v) => v.version === version);
    },

    /** The versions that answer now, as the engine takes them. */
    published(): PublishedFaq[] {
      const out: PublishedFaq[] = [];
      for (const v of store.faqs.published()) {
        const parsed = faqSchema.safeParse(contentToFaq(v.faqId, v.content));
        if (parsed.success) out.push({ ...parsed.data, version: v.version });
      }
      return out;
    },

    draft(input: FaqInput & { groupId?: number; reason?: string }, actor: Actor): FaqRecord {
      actors.authorize(actor, faqTransitions.draft.action);
      let base: FaqContent | undefined;
      if (input.groupId !== undefined) {
        const group = store.queue.group(input.groupId);
        if (!group) {
          throw new SportelloError(
            "NOT_FOUND",
            say("curation.group_not_found", { id: input.groupId }),
          );
        }
        const phrasings = store.queue.groupExamples(group.id, 20);
        base = {
          question: input.question ?? group.label,
          alternatives: [...phrasings, ...(input.alternatives ?? [])],
          answer: "",
          sources: [],
          tags: [],
          region: group.regions.length === 1 ? (group.regions[0] ?? null) : null,
          reviewed: null,
        };
      }
      const content = cleanContent(
        base ? { ...input, alternatives: base.alternatives } : input,
        base,
      );
      const id = input.id?.trim() || uniqueId(content.question);
      if (!idPattern.test(id))
        throw new SportelloError("INPUT_INVALID", say("curation.faq_bad_id", { id }));
      if (store.faqs.head(id))
        throw new SportelloError("CONFLICT", say("curation.faq_exists", { id }));
      const author = describeActor(store, actor, deps.names);
      const reason = input.reason?.trim()
        ? redact(input.reason.trim())
        : say("curation.reason_draft");
      const version = store.transaction(() => {
        const v = appendVersion(actor, author, {
          faqId: id,
          basedOn: 0,
          state: faqTransitions.draft.to,
          content,
          reason,
          groupId: input.groupId ?? null,
          action: "faq.draft",
          detail: { group: input.groupId ?? null },
        });
        if (input.groupId !== undefined) {
          const group = store.queue.group(input.groupId);
          if (group && (group.status === "aperta" || group.status === "scartata")) {
            moveGroup(actor, input.groupId, group.status, "in_lavorazione", id);
          }
        }
        return v;
      });
      return toRecord(version, null);
    },

    /** A new draft on top of the head; `seen`: the version the person edited, if known. */
    edit(
      id: string,
      input: FaqInput,
      reason: string | undefined,
      actor: Actor,
      seen?: number,
    ): FaqRecord {
      actors.authorize(actor, faqTransitions.edit.action);
      requireHead(id);
      const why = requireReason(reason, say("curation.action_edit"));
      const author = describeActor(store, actor, deps.names);
      const version = takeStep(id, "edit", seen, (head) => {
        const content = cleanContent(input, head.content);
        if (sameContent(content, head.content)) {
          throw new SportelloError("INPUT_INVALID", say("curation.faq_no_change", { id }));
        }
        return appendVersion(actor, author, {
          faqId: id,
          basedOn: head.version,
          state: faqTransitions.edit.to,
          content,
          reason: why,
          groupId: head.groupId,
          action: "faq.edit",
        });
      });
      return toRecord(version, publishedVersionOf(id));
    },

    approve(id: string, actor: Actor, reason?: string, seen?: number): FaqRecord {
      actors.authorize(actor, faqTransitions.approve.action);
      const author = describeActor(store, actor, deps.names);
      const secondPair = needsSecondPairOfEyes(actors.roles(actor), actors.approval);
      const why = reason?.trim() ? redact(reason.trim()) : say("curation.reason_approve");
      const version = takeStep(id, "approve", seen, (head) => {
        if (secondPair) {
          // Everyone who wrote the draft being approved (since the last non-draft version).
          const writers = new Set<string>();
          for (const v of store.faqs.history(id).reverse()) {
            if (v.state !== "bozza") break;
            writers.add(v.authorHash);
          }
          if (writers.has(author.hash)) {
            throw new SportelloError("FORBIDDEN", say("curation.approve_own_draft", { id }));
          }
        }
        const content: FaqContent = { ...head.content, reviewed: today(deps.now()) };
        validated(id, content, content.reviewed ?? "");
        return appendVersion(actor, author, {
          faqId: id,
          basedOn: head.version,
          state: faqTransitions.approve.to,
          content,
          reason: why,
          groupId: head.groupId,
          action: "faq.approve",
        });
      });
      return toRecord(version, publishedVersionOf(id));
    },

    /**
     * Publishes the approved head. `confirmed`: the queued questions (item ids) it resolves, as
     * the trainer confirmed them; undefined resolves those the FAQ answers.
     */
    publish(
      id: string,
      actor: Actor,
      reason?: string,
      confirmed?: readonly number[],
      seen?: number,
    ): FaqRecord {
      actors.authorize(actor, faqTransitions.publish.action);
      const author = describeActor(store, actor, deps.names);
      const why = reason?.trim() ? redact(reason.trim()) : say("curation.reason_publish");
      const version = takeStep(id, "publish", seen, (head) => {
        const faq = validated(id, head.content, head.content.reviewed ?? today(deps.now()));
        const v = appendVersion(actor, author, {
          faqId: id,
          basedOn: head.version,
          state: faqTransitions.publish.to,
          content: head.content,
          reason: why,
          groupId: head.groupId,
          action: "faq.publish",
          detail: { group: head.groupId },
        });
        deps.resolveQuestions(actor, { ...faq, version: v.version }, head.groupId, confirmed);
        return v;
      });
      deps.onPublishedChanged();
      return toRecord(version, version.version);
    },

    /**
     * Adds a phrasing to a published FAQ as a new published version (an accepted suggestion:
     * the answer is unchanged, so it answers the new phrasing at once without a new review).
     */
    addPhrasing(id: string, phrasing: string, actor: Actor, reason: string): FaqRecord {
      actors.authorize(actor, faqTransitions.phrasing.action);
      const author = describeActor(store, actor, deps.names);
      let changed = false;
      const version = takeStep(id, "phrasing", undefined, (head) => {
        const content = cleanContent(
          { alternatives: [...head.content.alternatives, phrasing] },
          head.content,
        );
        if (sameContent(content, head.content)) return head;
        changed = true;
        return appendVersion(actor, author, {
          faqId: id,
          basedOn: head.version,
          state: faqTransitions.phrasing.to,
          content,
          reason,
          groupId: head.groupId,
          action: "faq.suggestion",
          detail: { accepted: phrasing },
        });
      });
      if (changed) deps.onPublishedChanged();
      return toRecord(version, version.version);
    },

    retire(id: string, reason: string | undefined, actor: Actor, seen?: number): FaqRecord {
      actors.authorize(actor, faqTransitions.retire.action);
      requireHead(id);
      const why = requireReason(reason, say("curation.action_retire"));
      const author = describeActor(store, actor, deps.names);
      const version = takeStep(id, "retire", seen, (head) =>
        appendVersion(actor, author, {
          faqId: id,
          basedOn: head.version,
          state: faqTransitions.retire.to,
          content: head.content,
          reason: why,
          groupId: head.groupId,
          action: "faq.retire",
        }),
      );
      deps.onPublishedChanged();
      return toRecord(version, null);
    },

    /**
     * A knowledge/faq file that changed since it was imported becomes a draft of its FAQ, for
     * trainers to review: a truncated or mistaken file must not answer operators on its own.
     * The published version keeps answering. One transaction, an audit entry per draft.
     */
    draftFromFiles(
      faqs: Faq[],
      author: { hash: string; name: string | null },
      reason: string,
      actor: AuditActor,
    ): string[] {
      const drafted: string[] = [];
      store.transaction(() => {
        for (const faq of faqs) {
          const { id, ...rest } = faq;
          const head = requireHead(id);
          const v = store.faqs.append({
            faqId: id,
            basedOn: head.version,
            state: "bozza",
            content: { ...rest, reviewed: faq.reviewed },
            authorHash: author.hash,
            authorName: author.name,
            reason,
            groupId: head.groupId,
          });
          store.audit.append({
            actor,
            action: "faq.draft",
            target: id,
            detail: { version: v.version, reason, source: "knowledge/faq" },
          });
          drafted.push(id);
        }
      });
      return drafted;
    },

    /**
     * Publishes complete FAQ as they are (a coordinator's import from files or CSV): new ids as
     * version 1, changed ones as a new version, identical ones untouched. All or nothing, with
     * one `faq.import` audit entry (`always`: even when nothing changed, for a person's import).
     */
    importPublished(
      faqs: Faq[],
      author: { hash: string; name: string | null },
      reason: string,
      audit: { actor: AuditActor; source: string; always: boolean },
    ): { added: string[]; updated: string[]; unchanged: string[] } {
      const result = { added: [] as string[], updated: [] as string[], unchanged: [] as string[] };
      store.transaction(() => {
        for (const faq of faqs) {
          const { id, ...rest } = faq;
          const content: FaqContent = { ...rest, reviewed: faq.reviewed };
          const head = store.faqs.head(id);
          if (head && head.state === "pubblicata" && sameContent(head.content, content)) {
            result.unchanged.push(id);
            continue;
          }
          store.faqs.append({
            faqId: id,
            basedOn: head?.version ?? 0,
            state: "pubblicata",
            content,
            authorHash: author.hash,
            authorName: author.name,
            reason,
            groupId: head?.groupId ?? null,
          });
          (head ? result.updated : result.added).push(id);
        }
        if (audit.always || result.added.length + result.updated.length > 0) {
          store.audit.append({
            actor: audit.actor,
            action: "faq.import",
            target: null,
            detail: {
              source: audit.source,
              added: result.added,
              updated: result.updated,
              unchanged: result.unchanged.length,
            },
          });
        }
      });
      if (result.added.length + result.updated.length > 0) deps.onPublishedChanged();
      return result;
    },
  };
}

export type FaqLifecycle = ReturnType<typeof createFaqLifecycle>;
