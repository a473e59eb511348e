// Messages waiting to reach askers ("La tua domanda del 3 marzo ora ha una risposta"). Rows stay
// until an adapter delivers them; a claim keeps two processes from sending the same one twice.
import type { Channel } from "../answer/types.js";
import { type Db, preparedOnUse } from "./database.js";
import { type NotificationRecord, notificationRowSchema, parseRows } from "./rows.js";

export interface NewNotification {
  channel: Channel;
  userHash: string;
  sealedAddress: Buffer;
  faqId: string;
  faqVersion: number;
  groupId: number | null;
  text: string;
  at?: Date;
}

/** A claim older than this is considered abandoned (the process died while delivering). */
const claimTimeoutMs = 5 * 60_000;

const columns =
  "id, channel, user_hash, address, faq_id, faq_version, group_id, text, created_at, delivered_at, attempts, last_error";

export function createNotificationQueries(db: Db, now: () => Date) {
  const insert = preparedOnUse(
    db,
    `
    INSERT OR IGNORE INTO notifications (channel, user_hash, address, faq_id, faq_version,
      group_id, text, created_at)
    VALUES (@channel, @userHash, @address, @faqId, @faqVersion, @groupId, @text, @createdAt)`,
  );
  const pending = preparedOnUse(
    db,
    `SELECT ${columns} FROM notifications WHERE delivered_at IS NULL AND channel = ? ORDER BY id`,
  );
  const pendingAll = preparedOnUse(
    db,
    `SELECT ${columns} FROM notifications WHERE delivered_at IS NULL ORDER BY id`,
  );
  const pendingForUser = preparedOnUse(
    db,
    `SELECT ${columns} FROM notifications
     WHERE delivered_at IS NULL AND channel = ? AND user_hash = ? ORDER BY id LIMIT 50`,
  );
  const countForUser = preparedOnUse(
    db,
    "SELECT COUNT(*) AS n FROM notifications WHERE delivered_at IS NULL AND channel = ? AND user_hash = ?",
  );
  const claim = preparedOnUse(
    db,
    `
    UPDATE notifications SET claimed_at = @now, attempts = attempts + 1
    WHERE id = @id AND delivered_at IS NULL AND (claimed_at IS NULL OR claimed_at < @stale)`,
  );
  const delivered = preparedOnUse(
    db,
    "UPDATE notifications SET delivered_at = ?, claimed_at = NULL, last_error = NULL WHERE id = ?",
  );
  const failed = preparedOnUse(
    db,
    "UPDATE notifications SET claimed_at = NULL, last_error = ? WHERE id = ?",
  );

  return {
    /** Queues a message; one per person and FAQ, so a second publication does not repeat it. */
    queue(input: NewNotification): boolean {
      const result = insert.run({
        channel: input.channel,
        userHash: input.userHash,
        address: input.sealedAddress,
        faqId: input.faqId,
        faqVersion: input.faqVersion,
        groupId: input.groupId,
        text: input.text,
        createdAt: (input.at ?? now()).toISOString(),
      });
      return result.changes === 1;
    },

    pending(channel?: Channel): NotificationRecord[] {
      const rows = channel ? pending.all(channel) : pendingAll.all();
      return parseRows(notificationRowSchema, rows, "notifications");
    },

    /** One person's messages waiting on a channel the person comes back to (the console). */
    pendingFor(channel: Channel, userHash: string): NotificationRecord[] {
      return parseRows(
        notificationRowSchema,
        pendingForUser.all(channel, userHash),
        "notifications",
      );
    },

    countPendingFor(channel: Channel, userHash: string): number {
      return (countForUser.get(channel, userHash) as { n: number }).n;
    },

    /** True when this process may deliver the notification now. */
    claim(id: number): boolean {
      const at = now();
      const stale = new Date(at.getTime() - claimTimeoutMs).toISOString();
      return claim.run({ id, now: at.toISOString(), stale }).changes === 1;
    },

    markDelivered(id: number): void {
      delivered.run(now().toISOString(), id);
    },

    markFailed(id: number, error: string): void {
      failed.run(error.slice(0, 500), id);
    },
  };
}

export type NotificationQueries = ReturnType<typeof createNotificationQueries>;
