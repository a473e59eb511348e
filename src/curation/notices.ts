// The curation loop's messages to the people who asked: queued for each asker of a group a FAQ
// resolves (once per person, in the resolving transaction), then delivered by the notifier to
// the chat channels, printed by the CLI at its next `chat`, or shown by the console on the next
// visit to Chiedi.
import type { Channel } from "../answer/types.js";
import type { PublishedFaq } from "../knowledge/types.js";
import { formatLongDay } from "../locale.js";
import { type PromptKey, say } from "../prompts.js";
import type { OutgoingNotification } from "../service.js";
import type { GroupAsker } from "../store/queue.js";
import type { Store } from "../store/store.js";
import type { Notifier } from "./notify.js";

export interface ConsoleNotice {
  id: number;
  text: string;
  faqId: string;
}

export interface Notices {
  /** Queues the message for each asker of `groupId` that `faq` now answers. */
  queueForGroup(groupId: number, faq: PublishedFaq): void;
  /** Notifications waiting for a channel (the CLI shows its own at the next `chat`). */
  pending(channel: Channel): OutgoingNotification[];
  markDelivered(id: number): void;
  /** The messages waiting for a console user, oldest first. */
  forConsoleUser(userId: string): ConsoleNotice[];
  countForConsoleUser(userId: string): number;
}

export interface NoticesDeps {
  store: Store;
  notifier?: Pick<Notifier, "pending">;
  now: () => Date;
}

/**
 * What the asker is told: their question now has an answer; or, when they had an answer given
 * with uncertainty, that it was the right one (the FAQ they were offered, confirmed) or that a
 * verified answer replaces it.
 */
function noticeFor(uncertain: boolean, sameFaq: boolean): PromptKey {
  if (!uncertain) return "curation.notification";
  return sameFaq ? "curation.notification_confirmed" : "curation.notification_verified";
}

export function createNotices(deps: NoticesDeps): Notices {
  const { store, now } = deps;
  const consoleUser = (userId: string) => store.sealer.pseudonym("web", userId);

  return {
    queueForGroup(groupId, faq) {
      // One message per person: the first question they asked in the group, and what they were
      // told for all of them (an answer to verify only when each of theirs was one).
      const people = new Map<string, { asker: GroupAsker; uncertain: boolean; sameFaq: boolean }>();
      for (const asker of store.queue.groupAskers(groupId)) {
        const uncertain = asker.kind === "uncertain";
        const sameFaq = uncertain && asker.answeredFaqId === faq.id;
        const person = people.get(asker.userHash);
        if (!person) {
          people.set(asker.userHash, { asker, uncertain, sameFaq });
        } else {
          person.uncertain &&= uncertain;
          person.sameFaq &&= sameFaq;
        }
      }
      for (const { asker, uncertain, sameFaq } of people.values()) {
        if (!asker.address) continue;
        store.notifications.queue({
          channel: asker.channel,
          userHash: asker.userHash,
          sealedAddress: asker.address,
          faqId: faq.id,
          faqVersion: faq.version,
          groupId,
          text: say(noticeFor(uncertain, sameFaq), {
            date: formatLongDay(asker.createdAt, now()),
            question: faq.question,
            answer: faq.answer,
          }),
        });
      }
    },

    pending: (channel) => deps.notifier?.pending(channel) ?? [],

    markDelivered: (id) => store.notifications.markDelivered(id),

    forConsoleUser: (userId) =>
      store.notifications
        .pendingFor("web", consoleUser(userId))
        .map((n) => ({ id: n.id, text: n.text, faqId: n.faqId })),

    countForConsoleUser: (userId) =>
      store.notifications.countPendingFor("web", consoleUser(userId)),
  };
}
