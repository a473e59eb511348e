// The curation loop's messages to the people who asked: queued for each asker of a group a FAQ
// resolves (once per person, in the resolving transaction), then delivered by the notifier to
// the chat channels, printed by the CLI at its next `chat`, or shown by the console on the next
// visit to Chiedi.
import type { Channel } from "../answer/types.js";
import type { PublishedFaq } from "../knowledge/types.js";
import { formatLongDay } from "../locale.js";
import { say } from "../prompts.js";
import type { OutgoingNotification } from "../service.js";
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

export function createNotices(deps: NoticesDeps): Notices {
  const { store, now } = deps;
  const consoleUser = (userId: string) => store.sealer.pseudonym("web", userId);

  return {
    queueForGroup(groupId, faq) {
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
