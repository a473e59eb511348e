// Opens the SQLite file with the settings every connection needs and brings its schema up to
// date. The only place that sets pragmas and runs migrations.
import {
  chmodSync,
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import Database from "better-sqlite3";
import { SportelloError } from "../errors.js";
import { say } from "../prompts.js";
import { migrations, schemaVersion } from "./migrations.js";

export type Db = Database.Database;

export interface OpenDatabaseOptions {
  /** Stop migrating at this version (tests of upgrades from an older schema). */
  migrateTo?: number;
  /** How long a writer waits for another process's lock before failing, in ms. */
  busyTimeoutMs?: number;
  /**
   * When every page is read for damage at open: "always" (the default, and `serve`), or
   * "when-changed": only when the file is not as the last clean close left it (the short CLI
   * commands, which would otherwise read the whole log at every question).
   */
  checkPages?: "always" | "when-changed";
}

/**
 * A statement prepared at its first use instead of when its module's queries are created: a
 * short command (one `ask`) uses a few of the store's ~80 statements, and preparing them all cost
 * it about 2 ms. Each is still prepared once; a mistake in its SQL shows at its first use.
 */
export function preparedOnUse(db: Db, sql: string): Database.Statement {
  let prepared: Database.Statement | undefined;
  return new Proxy({} as Database.Statement, {
    get(_target, key) {
      prepared ??= db.prepare(sql);
      const value: unknown = Reflect.get(prepared, key, prepared);
      return typeof value === "function" ? value.bind(prepared) : value;
    },
  });
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
  // Read before opening: opening creates the WAL files the stamp describes.
  const check = options.checkPages !== "when-changed" || !unchangedSinceClose(path);
  try {
    createPrivately(path);
    db = new Database(path);
  } catch (cause) {
    throw new SportelloError("STORE_FAILED", say("store.open_failed", { path }), { cause });
  }
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    keepPrivate(path);
    if (check) checkPages(db, path);
    migrate(db, options.migrateTo ?? schemaVersion, path);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof SportelloError) throw error;
    const code = (error as { code?: unknown }).code;
    if (code === "SQLITE_CORRUPT" || code === "SQLITE_NOTADB") {
      throw new SportelloError(
        "STORE_CORRUPT",
        say("store.corrupt", { path, detail: (error as Error).message }),
        { cause: error },
      );
    }
    throw new SportelloError(
      "STORE_FAILED",
      say("store.unusable", { path, detail: (error as Error).message }),
      { cause: error },
    );
  }
}

const memory = (path: string) => path === ":memory:" || path === "";

/**
 * The log holds pseudonyms and questions: only the service's own user may read it. A new file is
 * created 0600 before SQLite opens it, and SQLite gives its -wal and -shm files the same mode.
 */
function createPrivately(path: string): void {
  if (memory(path) || existsSync(path)) return;
  closeSync(openSync(path, "a", 0o600));
}

/** Brings a file created by an older version (0644) down to 0600, its WAL files too. */
function keepPrivate(path: string): void {
  if (memory(path)) return;
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      chmodSync(file, 0o600);
    } catch {
      // Not there (yet), or not ours to change: the first is normal, the second is the
      // administrator's choice.
    }
  }
}

/** Where a clean close writes down how it left the file (see `closeDatabase`). */
const closedStampFile = (path: string) => `${path}-closed`;

/** Size, modification time and inode of the file and of its WAL. */
function fileStamp(path: string): string {
  const stamp = (file: string) => {
    try {
      const stat = statSync(file);
      return `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
    } catch {
      return "none";
    }
  };
  return `${stamp(path)} ${stamp(`${path}-wal`)}`;
}

function unchangedSinceClose(path: string): boolean {
  if (memory(path)) return false;
  try {
    return readFileSync(closedStampFile(path), "utf8") === fileStamp(path);
  } catch {
    return false;
  }
}

/**
 * Closes the connection and writes down how it left the file, so that the next open with
 * `checkPages: "when-changed"` can skip reading every page when nothing else has touched it.
 */
export function closeDatabase(db: Db, path: string): void {
  if (!db.open) return;
  db.close();
  if (memory(path)) return;
  try {
    writeFileSync(closedStampFile(path), fileStamp(path), { mode: 0o600 });
  } catch {
    // Without the note the next open checks the pages again: slower, never wrong.
  }
}

/**
 * Damaged pages found at start, before anything is written: the file is left as it is for the
 * administrator to restore, instead of failing later halfway through a write. quick_check reads
 * every page (a few ms per MB) but skips the index-content checks of integrity_check.
 */
function checkPages(db: Db, path: string): void {
  let problems: string[];
  try {
    problems = (db.pragma("quick_check(5)") as Array<{ quick_check: string }>).map(
      (row) => row.quick_check,
    );
  } catch (cause) {
    problems = [(cause as Error).message];
  }
  if (problems.length === 1 && problems[0] === "ok") return;
  throw new SportelloError(
    "STORE_CORRUPT",
    say("store.corrupt_check", { path, detail: problems.join("; ") }),
  );
}

function migrate(db: Db, target: number, path: string): void {
  const current = userVersion(db);
  if (current > schemaVersion) {
    throw new SportelloError(
      "STORE_TOO_NEW",
      say("store.schema_newer", { path, current, known: schemaVersion }),
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
