// The unanswered queue as trainers shape it: which group a new question joins (through the
// queue's term index, so the work per question is bounded whatever the queue's size), split,
// merge and move, and which questions a publication resolves (only those the trainer confirms).
import type { AnswerEngine } from "../answer/engine-types.js";
import { SportelloError } from "../errors.js";
import { stripRegionMentions } from "../knowledge/regions.js";
import type { PublishedFaq } from "../knowledge/types.js";
import { say } from "../prompts.js";
import { analyze } from "../search/analysis.js";
import type { GivenAnswer } from "../store/queue.js";
import type { GroupRow, QueueItemKind } from "../store/rows.js";
import type { Store } from "../store/store.js";
import type { Actor, ActorCheck } from "./actors.js";
import {
  candidatesPerTerm,
  chooseGroup,
  focusSimilarity,
  groupingThreshold,
  lookupOrder,
  type QuestionFocus,
  questionFocus,
  queueIdf,
} from "./grouping.js";

export interface UnansweredDeps {
  store: Store;
  actors: ActorCheck;
  engine?: Pick<AnswerEngine, "analyze" | "faqMatches">;
  /** How informative a term is in the corpus (the index's IDF). */
  termWeight?: (term: string) => number;
  /** Queues the notifications of a resolved group; called inside the resolving transaction. */
  notifyGroup: (groupId: number, faq: PublishedFaq) => void;
  /**
   * Called inside the queueing transaction for a question without an answer (suggestions for
   * published FAQ); an answer to verify has its own path (confirm, in uncertain.ts).
   */
  onQueued?: (interactionId: number, text: string, focus: QuestionFocus) => void;
}

/** A queued question a publication may resolve, as the publish form lists it. */
export interface ResolutionCandidate {
  itemId: number;
  groupId: number;
  text: string;
  /** The FAQ answers it, per the answer engine: preselected. */
  matched: boolean;
  /** It is in the group the FAQ was drafted from. */
  inGroup: boolean;
  /**
   * Its asker had an answer given with uncertainty ("da verificare"), not none ("senza
   * risposta"): the publication tells them so in other words (notices.ts).
   */
  uncertain: boolean;
}

/** How many queued questions outside the FAQ's group the publish form offers at most. */
const maxOutsideCandidates = 30;

export function createUnanswered(deps: UnansweredDeps) {
  const { store, actors } = deps;

  /**
   * The question's focus: its own terms (region words out) and its thesaurus alternatives (known
   * only with the engine; a CLI command without it groups on the question's own words).
   */
  function focusOf(text: string, region: string | null): QuestionFocus {
    const own = analyze(text);
    const ownSet = new Set(own);
    const alternatives = (deps.engine?.analyze(text) ?? []).filter((t) => !ownSet.has(t));
    return questionFocus(analyze(stripRegionMentions(text)), alternatives, region);
  }

  /** Term weights for one grouping decision: rarity in the queue times rarity in the corpus. */
  function weights(): { df: (t: string) => number; weight: (t: string) => number } {
    const cache = new Map<string, number>();
    const df = (term: string) => {
      let value = cache.get(term);
      if (value === undefined) {
        value = store.queue.termFrequency(term);
        cache.set(term, value);
      }
      return value;
    };
    const n = df("");
    const background = deps.termWeight;
    return {
      df,
      weight: (t) => queueIdf(n, df(t)) * (background ? background(t) : 1),
    };
  }

  /**
   * The open group `focus` belongs to, comparing only with questions sharing a rare term, and of
   * the same part of the queue: an answer to verify joins answers to verify, a question without
   * an answer joins questions without one (a trainer may still merge them).
   */
  function findGroupFor(
    focus: QuestionFocus,
    uncertain: boolean,
    exceptItem?: number,
  ): number | undefined {
    const { df, weight } = weights();
    const seen = new Set<number>(exceptItem === undefined ? [] : [exceptItem]);
    const candidates = [];
    for (const term of lookupOrder(focus, df)) {
      for (const queued of store.queue.questionsWithTerm(term, candidatesPerTerm)) {
        if (seen.has(queued.itemId) || queued.uncertain !== uncertain) continue;
        seen.add(queued.itemId);
        candidates.push(queued);
      }
    }
    return chooseGroup(focus, candidates, weight)?.groupId;
  }

  /**
   * An answer to verify that its asker marked "non utile" is a question without an answer: it
   * leaves the answers to verify for the group of its closest unanswered paraphrase (or a new
   * group, or stays where it is when it was alone there), grouped as a declined question is.
   * In a group already resolved it only changes kind. Undefined when the interaction was not
   * queued as an answer to verify.
   */
  function regroupNotHelpful(interactionId: number): number | null | undefined {
    return store.transaction(() => {
      if (!store.queue.uncertainMarkedNotHelpful(interactionId)) return undefined;
      const itemId = store.queue.itemOfInteraction(interactionId);
      const item = itemId === undefined ? undefined : store.queue.item(itemId);
      if (itemId === undefined || !item) return null;
      const group = store.queue.group(item.groupId);
      if (!group || group.status === "risolta") return item.groupId;
      const focus = focusOf(item.text, store.log.interaction(interactionId)?.region ?? null);
      let target = findGroupFor(focus, false, itemId);
      if (target === undefined && group.count > 1) target = store.queue.openGroup(item.text);
      if (target !== undefined && target !== item.groupId) {
        store.queue.moveItems([itemId], target);
      }
      deps.onQueued?.(interactionId, item.text, focus);
      return target ?? item.groupId;
    });
  }

  function requireOpenGroup(id: number): GroupRow {
    const group = Number.isSafeInteger(id) ? store.queue.group(id) : undefined;
    if (!group) throw new SportelloError("NOT_FOUND", say("curation.group_not_found", { id }));
    if (group.status === "risolta") {
      throw new SportelloError(
        "CONFLICT",
        say("curation.group_closed", { id, status: group.status }),
      );
    }
    return group;
  }

  function requireItems(groupId: number, itemIds: readonly number[]): number[] {
    const ids = [...new Set(itemIds)];
    if (ids.length === 0) {
      throw new SportelloError("INPUT_INVALID", say("curation.split_none"));
    }
    for (const id of ids) {
      const item = Number.isSafeInteger(id) ? store.queue.item(id) : undefined;
      if (!item || item.groupId !== groupId) {
        throw new SportelloError(
          "NOT_FOUND",
          say("curation.question_not_in_group", { question: id, group: groupId }),
        );
      }
    }
    return ids;
  }

  return {
    focusOf,

    /**
     * Adds a declined question (or an answer marked non utile, or one given with uncertainty) to
     * the queue, in the group of its closest paraphrase or a new one; null when it has nothing to
     * group on ("come?"). An answer to verify marked non utile becomes a question without an
     * answer, regrouped with its like (regroupNotHelpful).
     */
    enqueue(interactionId: number, kind: QueueItemKind, given?: GivenAnswer): number | null {
      if (kind === "non_utile") {
        const regrouped = regroupNotHelpful(interactionId);
        if (regrouped !== undefined) return regrouped;
      }
      const interaction = store.log.interaction(interactionId);
      if (!interaction?.text) {
        throw new SportelloError(
          "NOT_FOUND",
          say("curation.interaction_not_found", { id: interactionId }),
        );
      }
      const focus = focusOf(interaction.text, interaction.region);
      if (focus.terms.length === 0) return null;
      const text = interaction.text;
      return store.transaction(() => {
        const uncertain = kind === "uncertain";
        const groupId = findGroupFor(focus, uncertain);
        const joined = store.queue.enqueue({ interactionId, kind, focus, groupId, given });
        if (!uncertain) deps.onQueued?.(interactionId, text, focus);
        return joined;
      });
    },

    /** Moves some questions of a group into a new group; returns the new group's number. */
    split(groupId: number, itemIds: readonly number[], actor: Actor): number {
      actors.authorize(actor, "unanswered.regroup", "curation.action_split");
      const group = requireOpenGroup(groupId);
      const ids = requireItems(groupId, itemIds);
      if (ids.length >= group.count) {
        throw new SportelloError("INPUT_INVALID", say("curation.split_all", { id: groupId }));
      }
      return store.transaction(() => {
        const first = store.queue.item(ids[0] ?? 0);
        const created = store.queue.openGroup(first?.text || group.label);
        store.queue.moveItems(ids, created);
        store.audit.append({
          actor,
          action: "group.split",
          target: groupId,
          detail: { to: created, questions: ids.length },
        });
        return created;
      });
    },

    /** Moves every question of `sourceIds` into `targetId`; the source groups disappear. */
    merge(targetId: number, sourceIds: readonly number[], actor: Actor): GroupRow {
      actors.authorize(actor, "unanswered.regroup", "curation.action_merge");
      requireOpenGroup(targetId);
      const sources = [...new Set(sourceIds)].filter((id) => id !== targetId);
      if (sources.length === 0) {
        throw new SportelloError("INPUT_INVALID", say("curation.merge_none"));
      }
      for (const id of sources) requireOpenGroup(id);
      store.transaction(() => {
        for (const id of sources) store.queue.mergeGroup(id, targetId);
        store.audit.append({
          actor,
          action: "group.merge",
          target: targetId,
          detail: { from: sources.map(String) },
        });
      });
      const merged = store.queue.group(targetId);
      if (!merged)
        throw new SportelloError("NOT_FOUND", say("curation.group_not_found", { id: targetId }));
      return merged;
    },

    /** Moves one queued question into another open group (its old group goes when emptied). */
    move(itemId: number, targetId: number, actor: Actor): void {
      actors.authorize(actor, "unanswered.regroup", "curation.action_move");
      const item = Number.isSafeInteger(itemId) ? store.queue.item(itemId) : undefined;
      if (!item) {
        throw new SportelloError("NOT_FOUND", say("curation.question_not_found", { id: itemId }));
      }
      requireOpenGroup(item.groupId);
      requireOpenGroup(targetId);
      if (item.groupId === targetId) return;
      store.transaction(() => {
        store.queue.moveItems([itemId], targetId);
        store.audit.append({
          actor,
          action: "group.move",
          target: targetId,
          detail: { question: itemId, from: item.groupId },
        });
      });
    },

    /**
     * The queued questions a FAQ's publication may resolve: those of the group it was drafted
     * from, and open questions elsewhere that share a term with it and that the FAQ answers.
     */
    resolutionCandidates(faq: PublishedFaq, groupId: number | null): ResolutionCandidate[] {
      const engine = deps.engine;
      const out: ResolutionCandidate[] = [];
      const seen = new Set<number>();
      if (groupId !== null) {
        for (const item of store.queue.groupItems(groupId)) {
          seen.add(item.id);
          out.push({
            itemId: item.id,
            groupId,
            text: item.text,
            // Without the engine (a CLI command) the group's questions are taken as answered.
            matched: engine ? engine.faqMatches(item.text, faq) : true,
            inGroup: true,
            uncertain: item.kind === "uncertain",
          });
        }
      }
      if (!engine) return out;
      const focus = [faq.question, ...faq.alternatives].map((p) => focusOf(p, faq.region ?? null));
      const { df } = weights();
      let outside = 0;
      for (const phrasing of focus) {
        for (const term of lookupOrder(phrasing, df)) {
          for (const queued of store.queue.questionsWithTerm(term, candidatesPerTerm)) {
            if (seen.has(queued.itemId) || outside >= maxOutsideCandidates) continue;
            seen.add(queued.itemId);
            const item = store.queue.item(queued.itemId);
            if (!item?.text || !engine.faqMatches(item.text, faq)) continue;
            outside++;
            out.push({
              itemId: item.id,
              groupId: item.groupId,
              text: item.text,
              matched: true,
              inGroup: false,
              uncertain: queued.uncertain,
            });
          }
        }
      }
      return out;
    },

    /**
     * Resolves the confirmed questions with `faq`; call inside the publishing transaction. A group
     * whose questions are all confirmed is resolved; otherwise its confirmed questions move to a
     * new resolved group and the rest stay open. Only confirmed askers are told (an asker who
     * had an answer to verify is told it is verified: notices.ts).
     */
    resolve(actor: Actor, faq: PublishedFaq, itemIds: readonly number[]): number[] {
      const byGroup = new Map<number, number[]>();
      for (const id of new Set(itemIds)) {
        const item = store.queue.item(id);
        const group = item ? store.queue.group(item.groupId) : undefined;
        if (!item || !group || group.status === "risolta") continue;
        const list = byGroup.get(item.groupId) ?? [];
        list.push(id);
        byGroup.set(item.groupId, list);
      }
      const resolved: number[] = [];
      let partial: number | undefined;
      for (const [groupId, ids] of byGroup) {
        const group = store.queue.group(groupId);
        if (!group) continue;
        let target = groupId;
        if (ids.length < group.count) {
          partial ??= store.queue.openGroup(faq.question, "risolta", faq.id);
          store.queue.moveItems(ids, partial);
          store.queue.unindexGroup(partial);
          target = partial;
          if (group.status === "in_lavorazione" && group.faqId === null) {
            store.queue.setGroupStatus(groupId, "aperta");
          }
        } else {
          store.queue.setGroupStatus(groupId, "risolta", { faqId: faq.id });
        }
        store.audit.append({
          actor,
          action: "group.status",
          target,
          detail: { from: group.status, to: "risolta", faq: faq.id, questions: ids.length },
        });
        if (!resolved.includes(target)) resolved.push(target);
      }
      for (const groupId of resolved) deps.notifyGroup(groupId, faq);
      return resolved;
    },

    /** Similarity of two questions as grouping sees it (suggestions reuse it). */
    similarity(a: QuestionFocus, b: QuestionFocus): number {
      return focusSimilarity(a, b, weights().weight);
    },

    groupingThreshold,
  };
}

export type Unanswered = ReturnType<typeof createUnanswered>;
