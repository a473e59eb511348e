// Delivers the curation loop's messages through the notification port each adapter registers.
// A message whose channel has no port yet, or whose delivery fails, stays queued in the store and
// is tried again when a port registers, after the next publication, or on the retry timer.
import type { Channel } from "../answer/types.js";
import type { NotificationPort, OutgoingNotification } from "../service.js";
import type { Store } from "../store/store.js";

export interface DeliveryReport {
  delivered: number;
  failed: number;
}

export interface Notifier {
  register(port: NotificationPort): Promise<DeliveryReport>;
  /** Tries every pending message whose channel has a port; runs are serialised. */
  flush(): Promise<DeliveryReport>;
  /** Messages waiting for a channel, decrypted, oldest first (the CLI shows these itself). */
  pending(channel: Channel): OutgoingNotification[];
  markDelivered(id: number): void;
  /** Resolves when the delivery run under way (if any) has finished. */
  idle(): Promise<void>;
}

export function createNotifier(
  store: Store,
  onError: (error: unknown, notification: OutgoingNotification) => void = () => {},
): Notifier {
  const ports = new Map<Channel, NotificationPort>();
  let running: Promise<DeliveryReport> = Promise.resolve({ delivered: 0, failed: 0 });

  const toOutgoing = (record: ReturnType<Store["notifications"]["pending"]>[number]) => ({
    id: record.id,
    address: store.sealer.open(record.sealedAddress),
    text: record.text,
    faqId: record.faqId,
  });

  async function deliverPending(): Promise<DeliveryReport> {
    const report = { delivered: 0, failed: 0 };
    for (const [channel, port] of ports) {
      for (const record of store.notifications.pending(channel)) {
        if (!store.notifications.claim(record.id)) continue;
        let outgoing: OutgoingNotification | undefined;
        try {
          outgoing = toOutgoing(record);
          await port.deliver(outgoing);
          store.notifications.markDelivered(record.id);
          report.delivered++;
        } catch (error) {
          store.notifications.markFailed(
            record.id,
            error instanceof Error ? error.message : String(error),
          );
          report.failed++;
          if (outgoing) onError(error, outgoing);
        }
      }
    }
    return report;
  }

  const flush = () => {
    running = running.then(deliverPending, deliverPending);
    return running;
  };

  return {
    register(port) {
      ports.set(port.channel, port);
      return flush();
    },
    flush,
    pending(channel) {
      return store.notifications.pending(channel).map(toOutgoing);
    },
    markDelivered(id) {
      store.notifications.markDelivered(id);
    },
    idle: () =>
      running.then(
        () => {},
        () => {},
      ),
  };
}
