// The store: one SQLite connection and the prepared queries of each area (log, queue, FAQ
// versions, notifications, stats, audit). Personal data is redacted, pseudonymised or sealed inside
// these queries, so nothing raw can reach the file whatever the caller does.
import { SportelloError } from "../errors.js";
import { say } from "../prompts.js";
import { createAuditQueries } from "./audit.js";
import { closeDatabase, type Db, openDatabase, preparedOnUse, userVersion } from "./database.js";
import { createFaqQueries } from "./faqs.js";
import { createLogQueries } from "./log.js";
import { createNotificationQueries } from "./notifications.js";
import { createSealer, type Sealer } from "./pseudonym.js";
import { createQueueQueries } from "./queue.js";
import { createReplayQueries } from "./replay.js";
import { createSessionQueries } from "./sessions.js";
import { createStatsQueries } from "./stats.js";
import { createSuggestionQueries } from "./suggestions.js";

export interface StoreOptions {
  /** SQLite file; its folder must exist. */
  path: string;
  /** Pseudonymisation and encryption key (config.secret). */
  secret: string;
  /** Clock, for tests. */
  now?: () => Date;
  busyTimeoutMs?: number;
  /** See OpenDatabaseOptions.checkPages (default "always"). */
  checkPages?: "always" | "when-changed";
}

export interface Store {
  readonly path: string;
  readonly sealer: Sealer;
  readonly log: ReturnType<typeof createLogQueries>;
  readonly queue: ReturnType<typeof createQueueQueries>;
  readonly faqs: ReturnType<typeof createFaqQueries>;
  readonly notifications: ReturnType<typeof createNotificationQueries>;
  readonly stats: ReturnType<typeof createStatsQueries>;
  /** Alternative phrasings suggested for published FAQ. */
  readonly suggestions: ReturnType<typeof createSuggestionQueries>;
  /** Requests already processed (replays refused across restarts). */
  readonly replays: ReturnType<typeof createReplayQueries>;
  /** The audit trail of curation and console changes (never purged with the log). */
  readonly audit: ReturnType<typeof createAuditQueries>;
  /** Signed-in console sessions (hashed ids, sealed users). */
  readonly sessions: ReturnType<typeof createSessionQueries>;
  /** Facts about the store itself (key → text), e.g. what was last imported from files. */
  readonly facts: { get(key: string): string | undefined; set(key: string, value: string): void };
  /** Runs `fn` in one write transaction (taking the lock at once); nested calls are savepoints. */
  transaction<T>(fn: () => T): T;
  schemaVersion(): number;
  integrityCheck(): string;
  close(): void;
}

export function openStore(options: StoreOptions): Store {
  const db: Db = openDatabase(options.path, {
    busyTimeoutMs: options.busyTimeoutMs,
    checkPages: options.checkPages,
  });
  const now = options.now ?? (() => new Date());
  const sealer = createSealer(options.secret);
  try {
    checkSecret(db, sealer, options.path);
  } catch (error) {
    db.close();
    throw error;
  }
  return {
    path: options.path,
    sealer,
    log: createLogQueries(db, sealer, now),
    queue: createQueueQueries(db, now),
    faqs: createFaqQueries(db, now),
    notifications: createNotificationQueries(db, now),
    stats: createStatsQueries(db),
    suggestions: createSuggestionQueries(db, now),
    audit: createAuditQueries(db, sealer, now),
    sessions: createSessionQueries(db, sealer),
    replays: createReplayQueries(db, now),
    facts: createFactQueries(db),
    transaction: <T>(fn: () => T): T => db.transaction(fn).immediate(),
    schemaVersion: () => userVersion(db),
    integrityCheck: () => String(db.pragma("integrity_check", { simple: true })),
    close: () => closeDatabase(db, options.path),
  };
}

function createFactQueries(db: Db): Store["facts"] {
  const select = preparedOnUse(db, "SELECT value FROM store_facts WHERE key = ?");
  const upsert = preparedOnUse(
    db,
    "INSERT INTO store_facts (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );
  return {
    get: (key) => (select.get(key) as { value: string } | undefined)?.value,
    set: (key, value) => {
      upsert.run(key, value);
    },
  };
}

/**
 * Pseudonyms and sealed addresses are only as stable as the secret: a lost secret file, silently
 * regenerated, would split every person's history in two and make every pending notification
 * unreadable. The first start records the secret's fingerprint; a later start with another secret
 * stops with an error that says how to recover.
 */
function checkSecret(db: Db, sealer: Sealer, path: string): void {
  const stored = db
    .prepare("SELECT value FROM store_facts WHERE key = 'secret_fingerprint'")
    .get() as { value: string } | undefined;
  if (stored === undefined) {
    db.prepare(
      "INSERT INTO store_facts (key, value) VALUES ('secret_fingerprint', ?) ON CONFLICT DO NOTHING",
    ).run(sealer.fingerprint);
    return;
  }
  if (stored.value === sealer.fingerprint) return;
  throw new SportelloError("SECRET_MISMATCH", say("store.secret_mismatch", { path }));
}

export { schemaVersion as currentSchemaVersion } from "./migrations.js";
