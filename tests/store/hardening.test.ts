// What the store does when its surroundings go wrong: a lost secret file, files readable by
// others, damaged pages. Real SQLite files in a temporary folder, opened as the service opens them.
import { createHash } from "node:crypto";
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { isSportelloError } from "../../src/errors.js";
import { openStore } from "../../src/store/store.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sportello-hardening-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The configuration as `sportello serve` loads it: no SPORTELLO_SECRET, so data/secret. */
function configWithSecretFile() {
  return loadConfig({
    env: { SPORTELLO_DB: join(dir, "data", "sportello.db") },
    cwd: dir,
    log: () => {},
  });
}

const question = {
  channel: "telegram" as const,
  userId: "123456789",
  status: "declined" as const,
  text: "Come si ritira la carta?",
  source: null,
  faq: null,
  passageIds: [],
  fingerprint: "fp",
  confidence: 0.1,
  latencyMs: 1,
  reason: "low-confidence",
  region: null,
};

function digest(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("no error thrown");
}

describe("the secret", () => {
  it("refuses to start when the secret file was lost and silently regenerated", () => {
    const first = configWithSecretFile();
    const store = openStore({ path: first.dbPath, secret: first.secret });
    store.log.logInteraction(question);
    const pseudonym = store.sealer.pseudonym("telegram", "123456789");
    store.close();
    rmSync(join(dir, "data", "secret"));

    const second = configWithSecretFile();
    expect(second.secret).not.toBe(first.secret);
    const before = digest(first.dbPath);
    const error = caught(() => openStore({ path: second.dbPath, secret: second.secret }));
    expect(isSportelloError(error) && error.code).toBe("SECRET_MISMATCH");
    expect((error as Error).message).toMatch(/segreto .* non è quello con cui è stato creato/);
    expect((error as Error).message).toMatch(/copia di sicurezza/);
    expect(digest(first.dbPath)).toBe(before);

    // With the old secret back, the same person has the same pseudonym.
    const restored = openStore({ path: first.dbPath, secret: first.secret });
    expect(restored.sealer.pseudonym("telegram", "123456789")).toBe(pseudonym);
    restored.close();
  });
});

describe("file permissions", () => {
  it("keeps the database, its WAL files and the secret readable by the owner only", () => {
    const config = configWithSecretFile();
    const store = openStore({ path: config.dbPath, secret: config.secret });
    store.log.logInteraction(question);
    for (const file of [config.dbPath, `${config.dbPath}-wal`, `${config.dbPath}-shm`]) {
      expect(statSync(file).mode & 0o777, file).toBe(0o600);
    }
    expect(statSync(join(dir, "data", "secret")).mode & 0o777).toBe(0o600);
    store.close();
  });
});

describe("damaged pages", () => {
  it("are found at start with a clear error, and the file is left as it was", () => {
    const config = configWithSecretFile();
    const store = openStore({ path: config.dbPath, secret: config.secret });
    for (let i = 0; i < 400; i++) {
      store.log.logInteraction({ ...question, text: `Domanda numero ${i} sulla carta RdC` });
    }
    store.close();
    const size = statSync(config.dbPath).size;
    expect(size).toBeGreaterThan(16 * 4096);
    // Garbage over a page in the middle of the interactions table.
    const fd = openSync(config.dbPath, "r+");
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, 8 * 4096);
    closeSync(fd);
    const before = digest(config.dbPath);

    const error = caught(() => openStore({ path: config.dbPath, secret: config.secret }));
    expect(isSportelloError(error) && error.code).toBe("STORE_CORRUPT");
    expect((error as Error).message).toMatch(
      /danneggiato.*non l'ha modificato.*copia di sicurezza/s,
    );
    expect(digest(config.dbPath)).toBe(before);
  });

  it("are found by a short command too, once the file changed after the last clean close", () => {
    const config = configWithSecretFile();
    const open = () =>
      openStore({ path: config.dbPath, secret: config.secret, checkPages: "when-changed" });
    const store = open();
    for (let i = 0; i < 400; i++) {
      store.log.logInteraction({ ...question, text: `Domanda numero ${i} sulla carta RdC` });
    }
    store.close();
    // Unchanged since the clean close: opens and closes again.
    open().close();
    const fd = openSync(config.dbPath, "r+");
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, 8 * 4096);
    closeSync(fd);

    const error = caught(open);
    expect(isSportelloError(error) && error.code).toBe("STORE_CORRUPT");
  });
});
