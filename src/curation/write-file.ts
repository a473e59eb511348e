// Files written for people (FAQ exports, CSV) appear whole or not at all: written to a temporary
// file in the same folder, flushed to disk, then renamed over the target. A full disk or a killed
// process leaves the previous file as it was, never half of a new one.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

export function writeFileAtomically(path: string, text: string): void {
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`,
  );
  try {
    const fd = openSync(temporary, "wx", 0o644);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  // The rename itself is durable once the folder is flushed; not every system allows it.
  try {
    const folder = openSync(dirname(path), "r");
    try {
      fsyncSync(folder);
    } finally {
      closeSync(folder);
    }
  } catch {
    // A folder that cannot be opened for fsync (some network file systems): the file is whole.
  }
}
