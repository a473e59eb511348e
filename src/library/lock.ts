// One writer of a knowledge folder's manifest at a time, across processes: two `sportello ingest`
// started together, or an ingest while `serve` takes a console upload. The lock is a file created
// with O_EXCL (`wx`) holding the holder's pid, host and start; it is released by deleting it.
// A holder that died is detected (same host: its pid no longer exists; another host, over a
// shared folder: the file's time, refreshed every few seconds while held, has gone stale) and its
// lock is taken over. No dependency: proper-lockfile does the same with mkdir and three packages.
import { randomBytes } from "node:crypto";
import {
  closeSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { SportelloError } from "../errors.js";
import { say } from "../prompts.js";

export const LOCK_FILE = ".manifest.lock";

export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  since: string;
}

export interface ManifestLockOptions {
  /** Called once when the lock is held by someone else and this process starts waiting. */
  onWait?: (holder: LockHolder | undefined) => void;
  /** Give up after this long (default 10 minutes): CONFLICT, naming the holder. */
  waitMs?: number;
  /** How often a waiter tries again (default 100 ms). */
  pollMs?: number;
  /** A lock from another host untouched this long is stale (default 60 s). */
  staleMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function readHolder(path: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(path, "utf8")) as Partial<LockHolder>;
    if (typeof holder.pid !== "number" || typeof holder.host !== "string") return undefined;
    return { pid: holder.pid, host: holder.host, since: String(holder.since ?? "") };
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists and belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether the lock at `path` was left by a holder that is gone. */
function isStale(path: string, holder: LockHolder | undefined, staleMs: number): boolean {
  let age: number;
  try {
    age = Date.now() - statSync(path).mtimeMs;
  } catch {
    return false; // released meanwhile: just try again
  }
  // A file without a readable holder is being written right now, or was left half-written.
  if (!holder) return age > staleMs;
  if (holder.host === hostname()) return !alive(holder.pid);
  return age > staleMs;
}

/**
 * Takes the stale lock away, atomically: of two waiters that both found it stale, only one
 * renames it; the other finds the new holder's file, and puts it back.
 */
function takeOver(path: string, stale: LockHolder | undefined): void {
  const aside = `${path}.${process.pid}.${randomBytes(4).toString("hex")}`;
  try {
    renameSync(path, aside);
  } catch {
    return;
  }
  const moved = readHolder(aside);
  if (JSON.stringify(moved) !== JSON.stringify(stale)) {
    try {
      linkSync(aside, path);
    } catch {
      // Someone else holds it by now; the one we moved is theirs to lose.
    }
  }
  rmSync(aside, { force: true });
}

function tryCreate(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    const holder: LockHolder = {
      pid: process.pid,
      host: hostname(),
      since: new Date().toISOString(),
    };
    writeSync(fd, JSON.stringify(holder));
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Takes the manifest lock of `dir`, waiting for another holder; returns the release. */
export async function lockManifest(
  dir: string,
  options: ManifestLockOptions = {},
): Promise<() => void> {
  const path = join(dir, LOCK_FILE);
  const waitMs = options.waitMs ?? 10 * 60_000;
  const pollMs = options.pollMs ?? 100;
  const staleMs = options.staleMs ?? 60_000;
  const started = Date.now();
  let told = false;
  for (;;) {
    if (tryCreate(path)) break;
    const holder = readHolder(path);
    if (isStale(path, holder, staleMs)) {
      takeOver(path, holder);
      continue;
    }
    if (Date.now() - started > waitMs) {
      throw new SportelloError(
        "CONFLICT",
        say("library.lock_timeout", {
          pid: holder?.pid ?? "?",
          host: holder?.host ?? "?",
          since: holder?.since ?? "?",
          file: path,
        }),
      );
    }
    if (!told) {
      told = true;
      options.onWait?.(holder);
    }
    await sleep(pollMs);
  }
  // Kept fresh while held, so that a waiter on another host can tell a live holder from a dead one.
  const heartbeat = setInterval(
    () => {
      try {
        const now = new Date();
        utimesSync(path, now, now);
      } catch {
        // Gone (removed by hand): nothing to keep fresh.
      }
    },
    Math.max(1_000, staleMs / 4),
  );
  heartbeat.unref();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    clearInterval(heartbeat);
    // Only our own lock: after a takeover by mistake, never someone else's.
    if (readHolder(path)?.pid === process.pid) rmSync(path, { force: true });
  };
}
