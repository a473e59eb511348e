// Opens the SQLite file with the settings every connection needs and brings its schema up to
// date. The only place that sets pragmas and runs migrations.
import Database from "better-sqlite3";
import { SportelloError } from "../errors.js";
import { migrations, schemaVersion } from "./migrations.js";

export type Db = Database.Database;

export interface OpenDatabaseOptions {
  /** Stop migrating at this version (tests of upgrades from an older schema). */
  migrateTo?: number;
  /** How long a writer waits for another process's lock before failing, in ms. */
  busyTimeoutMs?: number;
}

export function userVersion(db: Db): number {
  return db.pragma("user_version", { simple: true }) as number;
}

/**
 * Opens (creating if needed) the database at `path`: WAL so readers never block the writer,
 * foreign keys on, a busy timeout so two processes can write in turn, synchronous=NORMAL (safe
 * against a killed process in WAL mode; only a power cut can lose the last commits).
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Db {
  let db: Db;
  try {
    db = new Database(path);
  } catch (cause) {
    throw new SportelloError(
      "STORE_FAILED",
      `store: impossibile aprire il database ${path} (controllare SPORTELLO_DB e i permessi)`,
      { cause },
    );
  }
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    migrate(db, options.migrateTo ?? schemaVersion, path);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof SportelloError) throw error;
    throw new SportelloError(
      "STORE_FAILED",
      `store: il database ${path} non è utilizzabile: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

function migrate(db: Db, target: number, path: string): void {
  const current = userVersion(db);
  if (current > schemaVersion) {
    throw new SportelloError(
      "STORE_TOO_NEW",
      `store: il database ${path} ha lo schema ${current}, questa versione di Sportello conosce fino allo schema ${schemaVersion}: aggiornare Sportello o usare un altro SPORTELLO_DB`,
    );
  }
  for (let version = current + 1; version <= target; version++) {
    const step = migrations[version - 1];
    if (step === undefined) break;
    // IMMEDIATE takes the write lock first, so two processes starting together do not both run
    // the same step: the second re-reads user_version once it holds the lock.
    db.transaction(() => {
      if (userVersion(db) >= version) return;
      db.exec(step);
      db.pragma(`user_version = ${version}`);
    }).immediate();
  }
}
