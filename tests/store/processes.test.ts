import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/store.js";
import { buildStore } from "./build.js";

const secret = "process-test-secret-0123456789";
const writer = join(import.meta.dirname, "fixtures", "writer.mjs");
let build: { dir: string; remove(): void };
let dir: string;

beforeAll(() => {
  build = buildStore();
  dir = mkdtempSync(join(tmpdir(), "sportello-store-proc-"));
});
afterAll(() => {
  build.remove();
  rmSync(dir, { recursive: true, force: true });
});

function startWriter(db: string, mode: string, count: number, tag: string): ChildProcess {
  return spawn(process.execPath, [writer, build.dir, db, secret, mode, String(count), tag], {
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function finished(
  child: ChildProcess,
): Promise<{ code: number | null; signal: string | null; stderr: string; stdout: string }> {
  let stderr = "";
  let stdout = "";
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  child.stdout?.on("data", (d) => {
    stdout += d;
  });
  return new Promise((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, stderr, stdout })),
  );
}

/** Collects the ids a child reports as committed, and kills it once it has reported `after`. */
function killAfter(child: ChildProcess, after: number): Promise<number[]> {
  const acked: number[] = [];
  let buffer = "";
  return new Promise((resolve) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) if (line) acked.push(Number(line));
      if (acked.length >= after && !child.killed) child.kill("SIGKILL");
    });
    child.on("exit", () => resolve(acked));
  });
}

function integrity(db: string): string {
  const conn = new Database(db, { readonly: true });
  try {
    return String(conn.pragma("integrity_check", { simple: true }));
  } finally {
    conn.close();
  }
}

describe("the store under several processes", () => {
  it("two processes writing at once both succeed and every row is there", async () => {
    const db = join(dir, "two.db");
    openStore({ path: db, secret }).close();
    const a = finished(startWriter(db, "mixed", 1500, "a"));
    const b = finished(startWriter(db, "mixed", 1500, "b"));
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.stderr).toBe("");
    expect(rb.stderr).toBe("");
    expect([ra.code, rb.code]).toEqual([0, 0]);
    const conn = new Database(db, { readonly: true });
    const count = (sql: string) => (conn.prepare(sql).get() as { n: number }).n;
    expect(count("SELECT COUNT(*) AS n FROM interactions")).toBe(3000);
    expect(count("SELECT COUNT(*) AS n FROM unanswered_items")).toBe(1000);
    expect(count("SELECT COUNT(*) AS n FROM faq_versions")).toBe(120);
    // Versions of each FAQ are consecutive: no lost update between the processes.
    expect(count("SELECT MAX(version) AS n FROM faq_versions WHERE faq_id = 'a-faq'")).toBe(60);
    conn.close();
    expect(integrity(db)).toBe("ok");
  });

  it("a writer killed with SIGKILL loses no committed row and leaves a sound database", async () => {
    const db = join(dir, "killed.db");
    openStore({ path: db, secret }).close();
    const acked = await killAfter(startWriter(db, "single", 1_000_000, "k"), 800);
    expect(acked.length).toBeGreaterThanOrEqual(800);
    expect(integrity(db)).toBe("ok");
    const store = openStore({ path: db, secret });
    try {
      for (const id of acked) expect(store.log.interaction(id)?.status).toBeDefined();
      expect(store.log.interaction(acked.at(-1) ?? 0)?.text).toContain("[CODICE FISCALE]");
    } finally {
      store.close();
    }
  });

  it("a transaction cut by SIGKILL is all or nothing", async () => {
    const db = join(dir, "batch.db");
    openStore({ path: db, secret }).close();
    const acked = await killAfter(startWriter(db, "batch", 1_000_000, "t"), 5);
    expect(integrity(db)).toBe("ok");
    const conn = new Database(db, { readonly: true });
    const { n, last } = conn
      .prepare("SELECT COUNT(*) AS n, MAX(id) AS last FROM interactions")
      .get() as { n: number; last: number };
    conn.close();
    // Only whole batches of 100, and at least every batch the child saw committed.
    expect(n % 100).toBe(0);
    expect(last).toBeGreaterThanOrEqual(acked.at(-1) ?? 0);
  });
});
