// Active learning: operators' own phrasings become suggested alternatives of published FAQ. A
// question answered from a FAQ and marked "utile" suggests its wording for that FAQ; a queued
// question close to a published FAQ (by grouping's similarity, region aside) suggests itself for
// the closest one. A trainer accepts (a new version with the phrasing) or rejects in one click.
import { SportelloError } from "../errors.js";
import type { PublishedFaq } from "../knowledge/types.js";
import { say } from "../prompts.js";
import type { Store } from "../store/store.js";
import type { SuggestionRecord } from "../store/suggestions.js";
import type { Actor, ActorCheck } from "./actors.js";
import type { FaqLifecycle, FaqRecord } from "./faq-lifecycle.js";
import type { QuestionFocus } from "./grouping.js";
import type { Unanswered } from "./unanswered.js";

export interface Suggestion extends SuggestionRecord {
  /** The FAQ's question, to show next to the suggested phrasing. */
  faqQuestion: string;
}

export interface SuggestionDeps {
  store: Store;
  actors: ActorCheck;
  faqs: FaqLifecycle;
  unanswered: Unanswered;
}

/** Lowercase words only: "Dove si ritira la carta?" and "dove si ritira la carta" are one. */
export function comparable(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

export function phrasingsOf(faq: Pick<PublishedFaq, "question" | "alternatives">): string[] {
  return [faq.question, ...faq.alternatives];
}

export function createSuggestions(deps: SuggestionDeps) {
  const { store, actors, faqs, unanswered } = deps;
  // The published FAQ's phrasings as grouping sees them; rebuilt when the answering set changes.
  let focusCache: Array<{ faq: PublishedFaq; focus: QuestionFocus[] }> | undefined;

  function publishedFocus() {
    focusCache ??= faqs.published().map((faq) => ({
      faq,
      focus: phrasingsOf(faq).map((p) => ({ ...unanswered.focusOf(p, null), region: null })),
    }));
    return focusCache;
  }

  function known(faq: Pick<PublishedFaq, "question" | "alternatives">, text: string): boolean {
    const key = comparable(text);
    return key === "" || phrasingsOf(faq).some((p) => comparable(p) === key);
  }

  function requireOpen(id: number): Suggestion {
    const record = Number.isSafeInteger(id) ? store.suggestions.get(id) : undefined;
    if (record?.status !== "proposta") {
      throw new SportelloError("NOT_FOUND", say("curation.suggestion_not_found", { id }));
    }
    return { ...record, faqQuestion: faqs.record(record.faqId)?.question ?? record.faqId };
  }

  return {
    /** The answering set changed: phrasings are compared with the new one. */
    reset(): void {
      focusCache = undefined;
    },

    /** "utile" on an answer from a FAQ: its wording, when new, is suggested for that FAQ. */
    fromHelpfulAnswer(interactionId: number): boolean {
      const interaction = store.log.interaction(interactionId);
      if (!interaction?.text || interaction.source !== "faq" || !interaction.faq) return false;
      const faq = faqs.published().find((f) => f.id === interaction.faq?.id);
      if (!faq || known(faq, interaction.text)) return false;
      return store.suggestions.suggest({
        faqId: faq.id,
        text: interaction.text,
        origin: "utile",
        interactionId,
      });
    },

    /** A queued question close to a published FAQ is suggested for the closest one. */
    fromQueuedQuestion(interactionId: number, text: string, focus: QuestionFocus): boolean {
      const question = { ...focus, region: null };
      let best: { faq: PublishedFaq; similarity: number } | undefined;
      for (const { faq, focus: phrasings } of publishedFocus()) {
        for (const phrasing of phrasings) {
          const similarity = unanswered.similarity(question, phrasing);
          if (similarity >= unanswered.groupingThreshold && similarity > (best?.similarity ?? 0)) {
            best = { faq, similarity };
          }
        }
      }
      if (!best || known(best.faq, text)) return false;
      return store.suggestions.suggest({
        faqId: best.faq.id,
        text,
        origin: "coda",
        interactionId,
      });
    },

    /** Open suggestions, oldest first (for one FAQ when `faqId` is given). */
    list(faqId?: string): Suggestion[] {
      const questions = new Map<string, string>();
      return store.suggestions.open(faqId).map((s) => {
        let question = questions.get(s.faqId);
        if (question === undefined) {
          question = faqs.record(s.faqId)?.question ?? s.faqId;
          questions.set(s.faqId, question);
        }
        return { ...s, faqQuestion: question };
      });
    },

    /** Adds the phrasing to its FAQ (a new published version): it answers at once. */
    accept(id: number, actor: Actor): FaqRecord {
      actors.authorize(actor, "suggestions.review");
      const suggestion = requireOpen(id);
      return store.transaction(() => {
        const record = faqs.addPhrasing(
          suggestion.faqId,
          suggestion.text,
          actor,
          say("curation.reason_suggestion"),
        );
        store.suggestions.decide(id, "accettata");
        return record;
      });
    },

    reject(id: number, actor: Actor): void {
      actors.authorize(actor, "suggestions.review");
      const suggestion = requireOpen(id);
      store.transaction(() => {
        store.suggestions.decide(id, "rifiutata");
        store.audit.append({
          actor,
          action: "faq.suggestion",
          target: suggestion.faqId,
          detail: { rejected: suggestion.text },
        });
      });
    },
  };
}

export type Suggestions = ReturnType<typeof createSuggestions>;
