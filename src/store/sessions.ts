// Console sessions on disk: a signed-in browser stays signed in across a restart. The cookie's
// random id never reaches the file, only its SHA-256; the user is sealed (AES-GCM, like a delivery
// address) and indexed by the same keyed pseudonym the log uses. Expiry and the per-user cap are
// decided by the console; these queries only keep the rows.
import * as z from "zod";
import { type Db, preparedOnUse } from "./database.js";
import type { Sealer } from "./pseudonym.js";
import { parseRows } from "./rows.js";

export interface SessionRow {
  /** SHA-256 of the session id (hex). */
  idHash: string;
  channel: "web" | "cli";
  user: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  lastSeen: number;
}

const sessionRowSchema = z.lazy(() =>
  z.object({
    user_sealed: z.instanceof(Buffer),
    created_at: z.number().int(),
    last_seen: z.number().int(),
  }),
);

// The sealer seals delivery addresses; a session's user is one with a marker chat id.
const sessionMarker = "console-session";

export function createSessionQueries(db: Db, sealer: Sealer) {
  const insert = preparedOnUse(
    db,
    `INSERT OR REPLACE INTO console_sessions (id_hash, user_hash, user_sealed, created_at, last_seen)
     VALUES (@idHash, @userHash, @sealed, @createdAt, @lastSeen)`,
  );
  const find = preparedOnUse(
    db,
    "SELECT user_sealed, created_at, last_seen FROM console_sessions WHERE id_hash = ?",
  );
  const touch = preparedOnUse(db, "UPDATE console_sessions SET last_seen = ? WHERE id_hash = ?");
  const remove = preparedOnUse(db, "DELETE FROM console_sessions WHERE id_hash = ?");
  const removeUser = preparedOnUse(db, "DELETE FROM console_sessions WHERE user_hash = ?");
  const removeExpired = preparedOnUse(
    db,
    "DELETE FROM console_sessions WHERE last_seen < @idleBefore OR created_at < @createdBefore",
  );
  const trimUser = preparedOnUse(
    db,
    `
    DELETE FROM console_sessions WHERE user_hash = @userHash AND id_hash NOT IN (
      SELECT id_hash FROM console_sessions WHERE user_hash = @userHash
      ORDER BY last_seen DESC LIMIT @keep)`,
  );

  const userHash = (channel: string, user: string) => sealer.pseudonym(`session:${channel}`, user);

  return {
    insert(row: SessionRow): void {
      insert.run({
        idHash: row.idHash,
        userHash: userHash(row.channel, row.user),
        sealed: sealer.seal({ channel: row.channel, chatId: sessionMarker, userId: row.user }),
        createdAt: row.createdAt,
        lastSeen: row.lastSeen,
      });
    },
    /** The session with this id hash; undefined when unknown or unreadable (another secret). */
    find(idHash: string): SessionRow | undefined {
      const [row] = parseRows(sessionRowSchema, find.all(idHash), "console_sessions");
      if (!row) return undefined;
      let address: ReturnType<Sealer["open"]>;
      try {
        address = sealer.open(row.user_sealed);
      } catch {
        return undefined;
      }
      if (address.chatId !== sessionMarker) return undefined;
      if (address.channel !== "web" && address.channel !== "cli") return undefined;
      return {
        idHash,
        channel: address.channel,
        user: address.userId,
        createdAt: row.created_at,
        lastSeen: row.last_seen,
      };
    },
    touch(idHash: string, lastSeen: number): void {
      touch.run(lastSeen, idHash);
    },
    remove(idHash: string): void {
      remove.run(idHash);
    },
    removeUser(channel: string, user: string): void {
      removeUser.run(userHash(channel, user));
    },
    /** Deletes sessions idle since before `idleBefore` or created before `createdBefore`. */
    removeExpired(idleBefore: number, createdBefore: number): number {
      return removeExpired.run({ idleBefore, createdBefore }).changes;
    },
    /** Keeps the `keep` most recently used sessions of a user, deleting the others. */
    trimUser(channel: string, user: string, keep: number): void {
      trimUser.run({ userHash: userHash(channel, user), keep });
    },
  };
}

export type SessionQueries = ReturnType<typeof createSessionQueries>;
