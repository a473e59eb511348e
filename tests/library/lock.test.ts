// The manifest lock between processes: a change waits while another holds the folder (and says
// so in Italian), goes ahead once it is released, takes over the lock of a process that died,
// and gives up with a sentence naming the holder and the file when it waits too long.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { localActor } from "../../src/curation/actors.js";
import { loadManifest } from "../../src/knowledge/manifest.js";
import { createLibrary } from "../../src/library/library.js";
import { LOCK_FILE, lockManifest } from "../../src/library/lock.js";

let dir: string;
let knowledge: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sportello-lock-"));
  knowledge = join(dir, "knowledge");
  mkdirSync(join(dir, "uploads"), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function upload(name: string, text: string): string {
  const path = join(dir, "uploads", name);
  writeFileSync(path, `# ${text}\n\n${text} è spiegato in questo documento per gli operatori.\n`);
  return path;
}

/** A pid that is not running on this machine. */
function deadPid(): number {
  for (let pid = 4_000_000; ; pid--) {
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ESRCH") return pid;
    }
  }
}

describe("the manifest lock", () => {
  it("makes a change wait, told in Italian, until the holder releases the folder", async () => {
    mkdirSync(knowledge, { recursive: true });
    const release = await lockManifest(knowledge);
    const waits: string[] = [];
    const library = createLibrary({
      knowledgeDir: knowledge,
      lock: { pollMs: 10 },
      onLockWait: (message) => waits.push(message),
    });
    let done = false;
    const ingest = library
      .ingest({ items: [{ path: upload("patto.md", "Il patto di servizio") }], actor: localActor })
      .then((result) => {
        done = true;
        return result;
      });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(done).toBe(false);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toMatch(
      new RegExp(`^Un'altra modifica dei documenti è in corso \\(processo ${process.pid} su `),
    );
    expect(existsSync(join(knowledge, "manifest.yaml"))).toBe(false);
    release();
    const result = await ingest;
    expect(result.ingested.map((d) => d.id)).toEqual(["patto"]);
    expect(loadManifest(knowledge).documents.map((d) => d.id)).toEqual(["patto"]);
    expect(existsSync(join(knowledge, LOCK_FILE))).toBe(false);
  });

  it("takes over the lock of a process that died", async () => {
    mkdirSync(knowledge, { recursive: true });
    writeFileSync(
      join(knowledge, LOCK_FILE),
      JSON.stringify({ pid: deadPid(), host: hostname(), since: new Date().toISOString() }),
    );
    const waits: string[] = [];
    const library = createLibrary({
      knowledgeDir: knowledge,
      onLockWait: (message) => waits.push(message),
    });
    const result = await library.ingest({
      items: [{ path: upload("naspi.md", "La NASpI") }],
      actor: localActor,
    });
    expect(result.ingested).toHaveLength(1);
    expect(waits).toEqual([]);
    expect(existsSync(join(knowledge, LOCK_FILE))).toBe(false);
  });

  it("gives up after the longest wait, naming the holder and the lock file", async () => {
    mkdirSync(knowledge, { recursive: true });
    const release = await lockManifest(knowledge);
    try {
      const library = createLibrary({ knowledgeDir: knowledge, lock: { waitMs: 200, pollMs: 20 } });
      await expect(
        library.ingest({
          items: [{ path: upload("gol.md", "Il programma GOL") }],
          actor: localActor,
        }),
      ).rejects.toThrow(
        new RegExp(
          `^Il manifesto è bloccato da un'altra modifica \\(processo ${process.pid} su .*cancella il file .*\\.manifest\\.lock e riprova\\.$`,
        ),
      );
      expect(existsSync(join(knowledge, "manifest.yaml"))).toBe(false);
    } finally {
      release();
    }
  });
});
