// Answers given with uncertainty ("da verificare": a probable FAQ, documents under the calibrated
// bar), as trainers verify them. Confirming adds the question's wording to the FAQ it was offered
// (a new published version, the step an accepted suggestion takes), so the same question is then
// answered with certainty, and resolves it, telling its asker. Drafting a FAQ from the group and dismissing it are
// the queue's own paths (faq-lifecycle.ts, unanswered-review.ts).
import { SportelloError } from "../errors.js";
import { say } from "../prompts.js";
import type { Store } from "../store/store.js";
import type { Actor, ActorCheck } from "./actors.js";
import type { FaqLifecycle } from "./faq-lifecycle.js";
import { comparable, phrasingsOf } from "./suggestions.js";
import type { Unanswered } from "./unanswered.js";

export interface ConfirmOptions {
  /** The questions to confirm (numbers from the group's list); default every answer to verify. */
  items?: readonly number[];
  /** Another published FAQ to confirm them with (the right one was among those listed). */
  faqId?: string;
}

export interface ConfirmResult {
  /** The FAQ each confirmed question now belongs to, with the phrasings added to it. */
  faqs: Array<{ id: string; version: number; added: string[] }>;
  /** How many queued questions were resolved. */
  questions: number;
}

export interface UncertainDeps {
  store: Store;
  actors: ActorCheck;
  faqs: Pick<FaqLifecycle, "published" | "addPhrasing">;
  unanswered: Pick<Unanswered, "resolve">;
}

export function createUncertainReview(deps: UncertainDeps) {
  const { store, actors, faqs, unanswered } = deps;

  return {
    /**
     * Confirms answers to verify of group `groupId`: each question's wording becomes an
     * alternative phrasing of the FAQ it was offered (or of `faqId`), and the questions are
     * resolved by that FAQ; their askers are told that the answer is now verified.
     */
    confirm(groupId: number, actor: Actor, options: ConfirmOptions = {}): ConfirmResult {
      actors.authorize(actor, "suggestions.review", "curation.action_confirm");
      const group = Number.isSafeInteger(groupId) ? store.queue.group(groupId) : undefined;
      if (!group) {
        throw new SportelloError("NOT_FOUND", say("curation.group_not_found", { id: groupId }));
      }
      if (group.status === "risolta") {
        throw new SportelloError(
          "CONFLICT",
          say("curation.group_closed", { id: groupId, status: group.status }),
        );
      }
      const items = store.queue.groupItems(groupId);
      const wanted = options.items ? new Set(options.items) : null;
      if (wanted) {
        for (const id of wanted) {
          if (!items.some((item) => item.id === id && item.kind === "uncertain")) {
            throw new SportelloError(
              "NOT_FOUND",
              say("curation.confirm_not_uncertain", { question: id, group: groupId }),
            );
          }
        }
      }
      const chosen = items.filter(
        (item) => item.kind === "uncertain" && (!wanted || wanted.has(item.id)),
      );
      if (chosen.length === 0) {
        throw new SportelloError("INPUT_INVALID", say("curation.confirm_none", { id: groupId }));
      }
      const published = new Map(faqs.published().map((f) => [f.id, f]));
      const byFaq = new Map<string, typeof chosen>();
      for (const item of chosen) {
        const faqId = options.faqId ?? item.given?.faq?.id;
        if (!faqId) {
          throw new SportelloError(
            "INPUT_INVALID",
            say("curation.confirm_no_faq", { question: item.id }),
          );
        }
        if (!published.has(faqId)) {
          throw new SportelloError(
            "CONFLICT",
            say("curation.confirm_faq_not_published", { id: faqId }),
          );
        }
        byFaq.set(faqId, [...(byFaq.get(faqId) ?? []), item]);
      }
      return store.transaction(() => {
        const result: ConfirmResult = { faqs: [], questions: 0 };
        for (const [faqId, confirmed] of byFaq) {
          const faq = published.get(faqId);
          if (!faq) continue;
          const known = new Set(phrasingsOf(faq).map(comparable));
          const added: string[] = [];
          for (const item of confirmed) {
            const key = comparable(item.text);
            if (key === "" || known.has(key)) continue;
            known.add(key);
            faqs.addPhrasing(faqId, item.text, actor, say("curation.reason_confirmed"));
            added.push(item.text);
          }
          const now = faqs.published().find((f) => f.id === faqId) ?? faq;
          // Its asker is told the answer was verified (notices.ts words it so): they acted on
          // an answer the reply itself called uncertain.
          unanswered.resolve(
            actor,
            now,
            confirmed.map((item) => item.id),
          );
          result.faqs.push({ id: faqId, version: now.version, added });
          result.questions += confirmed.length;
        }
        return result;
      });
    },
  };
}

export type UncertainReview = ReturnType<typeof createUncertainReview>;
