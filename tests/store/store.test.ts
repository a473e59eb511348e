import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isSportelloError } from "../../src/errors.js";
import { openDatabase } from "../../src/store/database.js";
import { migrations } from "../../src/store/migrations.js";
import { currentSchemaVersion, openStore } from "../../src/store/store.js";

const secret = "store-test-secret-0123456789";
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sportello-store-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const answered = {
  channel: "telegram" as const,
  userId: "123456789",
  conversationId: "-100987654321",
  status: "answered" as const,
  text: "Chi firma la convenzione? Scrivo da mario.rossi@example.it",
  source: "documents" as const,
  faq: null,
  passageIds: ["convenzione-basilicata:p1"],
  fingerprint: "fp1",
  confidence: 0.8,
  latencyMs: 4.5,
  reason: null,
  region: "Basilicata",
};

function tables(path: string): string[] {
  const db = new Database(path, { readonly: true });
  const names = (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{
      name: string;
    }>
  ).map((r) => r.name);
  db.close();
  return names;
}

describe("migrations", () => {
  it("creates the whole schema on an empty file, with WAL and foreign keys", () => {
    const path = join(dir, "new.db");
    const store = openStore({ path, secret });
    expect(store.schemaVersion()).toBe(currentSchemaVersion);
    store.close();
    expect(tables(path)).toEqual([
      "audit",
      "console_sessions",
      "faq_suggestions",
      "faq_versions",
      "feedback",
      "interactions",
      "notifications",
      "seen_requests",
      "store_facts",
      "unanswered_groups",
      "unanswered_items",
      "unanswered_term_df",
      "unanswered_terms",
    ]);
    const db = new Database(path);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  // A database left at each earlier version, with the rows that version could hold, upgrades
  // without losing them.
  for (let version = 1; version < migrations.length; version++) {
    it(`upgrades a database at version ${version} and keeps its rows`, () => {
      const path = join(dir, `v${version}.db`);
      const old = openDatabase(path, { migrateTo: version });
      expect(old.pragma("user_version", { simple: true })).toBe(version);
      old
        .prepare(
          `INSERT INTO interactions (created_at, channel, user_hash, status, text, passage_ids)
           VALUES ('2026-01-02T10:00:00.000Z', 'cli', 'abc', 'declined', 'domanda vecchia', '[]')`,
        )
        .run();
      if (version >= 2) {
        old
          .prepare(
            "INSERT INTO unanswered_groups (label, created_at, updated_at) VALUES ('domanda vecchia', '2026-01-02', '2026-01-02')",
          )
          .run();
        old
          .prepare(
            "INSERT INTO unanswered_items (group_id, interaction_id, kind, terms, created_at) VALUES (1, 1, 'declined', '[\"domand\"]', '2026-01-02')",
          )
          .run();
      }
      old.close();

      const store = openStore({ path, secret });
      expect(store.schemaVersion()).toBe(currentSchemaVersion);
      const row = store.log.interaction(1);
      expect(row).toMatchObject({ text: "domanda vecchia", status: "declined", hasAddress: false });
      if (version >= 2) expect(store.queue.group(1)?.count).toBe(1);
      store.close();
    });
  }

  it("keeps the queue, its term index and its links through step 8 (answers to verify)", () => {
    const path = join(dir, "v7.db");
    const old = openDatabase(path, { migrateTo: 7 });
    old.exec(`
      INSERT INTO interactions (created_at, channel, user_hash, status, text, passage_ids)
        VALUES ('2026-01-02T10:00:00.000Z', 'telegram', 'abc', 'declined', 'carta rdc ritiro', '[]'),
               ('2026-01-03T10:00:00.000Z', 'telegram', 'def', 'answered', 'carta rdc poste', '[]');
      INSERT INTO unanswered_groups (label, created_at, updated_at)
        VALUES ('carta rdc ritiro', '2026-01-02', '2026-01-02');
      INSERT INTO unanswered_items (group_id, interaction_id, kind, terms, focus, created_at)
        VALUES (1, 1, 'declined', '["cart","rdc"]',
                '{"terms":["cart","rdc"],"aliases":[],"region":null}', '2026-01-02'),
               (1, 2, 'non_utile', '["cart","post"]',
                '{"terms":["cart","post"],"aliases":[],"region":null}', '2026-01-03');
      INSERT INTO unanswered_terms (term, item_id) VALUES ('cart', 1), ('rdc', 1), ('cart', 2), ('post', 2);
      INSERT OR REPLACE INTO unanswered_term_df (term, df)
        VALUES ('', 2), ('cart', 2), ('rdc', 1), ('post', 1);
      INSERT INTO faq_versions (faq_id, version, state, content, author_hash, reason, created_at, group_id)
        VALUES ('carta', 1, 'bozza', '{"question":"Dove si ritira la carta?"}', 'abc', 'nuova', '2026-01-04', 1);
    `);
    old.close();

    const store = openStore({ path, secret });
    expect(store.schemaVersion()).toBe(currentSchemaVersion);
    expect(store.queue.group(1)).toMatchObject({
      count: 2,
      uncertain: 0,
      label: "carta rdc ritiro",
    });
    expect(store.queue.groupItems(1).map((i) => [i.id, i.kind, i.given])).toEqual([
      [1, "declined", null],
      [2, "non_utile", null],
    ]);
    expect(store.queue.questionsWithTerm("cart", 10).map((q) => q.itemId)).toEqual([2, 1]);
    expect(store.queue.termFrequency("cart")).toBe(2);
    expect(store.faqs.heads()[0]?.groupId).toBe(1);
    expect(store.log.interaction(2)?.uncertain).toBeNull();

    // The new kind is accepted, and the term index still follows its items (cascade).
    store.log.logInteraction({ ...answered, text: "carta rdc dove", uncertain: true });
    const id = store.queue.enqueue({
      interactionId: 3,
      kind: "uncertain",
      focus: { terms: ["cart", "dov"], aliases: [], region: null },
      groupId: 1,
      given: { answer: "Alle Poste.", source: null },
    });
    expect(id).toBe(1);
    expect(store.queue.group(1)).toMatchObject({ count: 3, uncertain: 1 });
    store.close();
    const db = new Database(path);
    db.pragma("foreign_keys = ON");
    db.prepare("DELETE FROM interactions WHERE id = 1").run();
    expect(
      db.prepare("SELECT COUNT(*) AS n FROM unanswered_terms WHERE item_id = 1").get(),
    ).toEqual({ n: 0 });
    expect(db.prepare("SELECT COUNT(*) AS n FROM unanswered_terms").get()).toEqual({ n: 4 });
    expect(db.pragma("foreign_key_check")).toEqual([]);
    db.close();
  });

  it("keeps the answers to verify through step 9 and stores the FAQ a probable answer also named", () => {
    const path = join(dir, "v8.db");
    const old = openDatabase(path, { migrateTo: 8 });
    old.exec(`
      INSERT INTO interactions (created_at, channel, user_hash, status, text, passage_ids, source,
          faq_id, faq_version, confidence, uncertain)
        VALUES ('2026-01-02T10:00:00.000Z', 'telegram', 'abc', 'answered', 'carta rdc ritiro', '[]',
                'faq', 'carta', 2, 0.4, 1);
      INSERT INTO unanswered_groups (label, created_at, updated_at)
        VALUES ('carta rdc ritiro', '2026-01-02', '2026-01-02');
      INSERT INTO unanswered_items (group_id, interaction_id, kind, terms, focus, created_at,
          answer, answer_source)
        VALUES (1, 1, 'uncertain', '["cart","rdc"]',
                '{"terms":["cart","rdc"],"aliases":[],"region":null}', '2026-01-02',
                'Alle Poste.', NULL);
    `);
    old.close();

    const store = openStore({ path, secret });
    expect(store.schemaVersion()).toBe(currentSchemaVersion);
    expect(store.queue.group(1)).toMatchObject({ count: 1, uncertain: 1 });
    // Queued before step 9: its answer and FAQ kept, no other FAQ named.
    expect(store.queue.groupItems(1)[0]?.given).toMatchObject({
      answer: "Alle Poste.",
      faq: { id: "carta", version: 2 },
      alternatives: [],
    });
    store.log.logInteraction({ ...answered, text: "carta rdc dove", uncertain: true });
    store.queue.enqueue({
      interactionId: 2,
      kind: "uncertain",
      focus: { terms: ["cart", "dov"], aliases: [], region: null },
      groupId: 1,
      given: { answer: "Alle Poste.", source: null, alternatives: ["pin-carta", "saldo-carta"] },
    });
    expect(store.queue.groupItems(1)[1]?.given?.alternatives).toEqual(["pin-carta", "saldo-carta"]);
    store.close();
  });

  it("refuses a database newer than the code, and leaves it alone", () => {
    const path = join(dir, "future.db");
    openStore({ path, secret }).close();
    const db = new Database(path);
    db.pragma(`user_version = ${currentSchemaVersion + 1}`);
    db.close();
    const before = readFileSync(path);
    let error: unknown;
    try {
      openStore({ path, secret });
    } catch (e) {
      error = e;
    }
    expect(isSportelloError(error) && error.code).toBe("STORE_TOO_NEW");
    expect((error as Error).message).toMatch(
      new RegExp(
        `schema ${currentSchemaVersion + 1}.*fino allo schema ${currentSchemaVersion}.*aggiornare Sportello`,
      ),
    );
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it("runs each step in one transaction: a failing step leaves the previous version intact", () => {
    const path = join(dir, "broken.db");
    const old = openDatabase(path, { migrateTo: 1 });
    // Something in the way of step 2 (a table it creates, made by hand).
    old.exec("CREATE TABLE faq_versions (x INTEGER)");
    old.close();
    expect(() => openStore({ path, secret })).toThrow(/non è utilizzabile/);
    const db = new Database(path, { readonly: true });
    expect(db.pragma("user_version", { simple: true })).toBe(1);
    db.close();
    expect(tables(path)).not.toContain("unanswered_groups");
  });
});

describe("what reaches the file", () => {
  it("stores pseudonyms, redacted text and a sealed address, never the raw values", () => {
    const path = join(dir, "private.db");
    const store = openStore({ path, secret });
    const id = store.log.logInteraction({
      ...answered,
      address: { channel: "telegram", chatId: "-100987654321", userId: "123456789" },
    });
    const row = store.log.interaction(id);
    expect(row?.text).toBe("Chi firma la convenzione? Scrivo da [EMAIL]");
    expect(row?.userHash).toMatch(/^[0-9a-f]{32}$/);
    expect(row?.userHash).toBe(store.sealer.pseudonym("telegram", "123456789"));
    expect(store.log.interactionAddress(id)).toEqual({
      channel: "telegram",
      chatId: "-100987654321",
      userId: "123456789",
    });
    store.close();
    const bytes =
      readFileSync(path).toString("latin1") +
      readFileSync(`${path}-wal`, { flag: "a+" }).toString("latin1");
    expect(bytes).not.toContain("123456789");
    expect(bytes).not.toContain("987654321");
    expect(bytes).not.toContain("mario.rossi");

    // Another secret cannot read the address back: the store does not even open with it.
    expect(() => openStore({ path, secret: "another-secret-0123456789" })).toThrow(
      /SPORTELLO_SECRET/,
    );
  });

  it("rejects a hand-damaged row with a clear error instead of a wrong value", () => {
    const path = join(dir, "damaged.db");
    const store = openStore({ path, secret });
    const id = store.log.logInteraction(answered);
    const db = new Database(path);
    db.prepare("UPDATE interactions SET passage_ids = 'non json' WHERE id = ?").run(id);
    db.close();
    expect(() => store.log.interaction(id)).toThrow(
      /riga non valida in interactions \(passage_ids/,
    );
    store.close();
  });
});

describe("retention", () => {
  it("purges old interactions with their feedback, queue entries and empty groups, in one go", () => {
    const path = join(dir, "purge.db");
    let clock = new Date("2025-01-10T10:00:00Z");
    const store = openStore({ path, secret, now: () => clock });
    const old = store.log.logInteraction({ ...answered, status: "declined", source: null });
    store.log.addFeedback({
      interactionId: old,
      channel: "telegram",
      userId: "1",
      kind: "segnala",
    });
    const oldGroup = store.queue.enqueue({
      interactionId: old,
      kind: "declined",
      focus: { terms: ["firm"], aliases: [], region: null },
    });
    clock = new Date("2026-01-10T10:00:00Z");
    const recent = store.log.logInteraction(answered);
    store.log.addFeedback({
      interactionId: recent,
      channel: "telegram",
      userId: "1",
      kind: "utile",
    });

    const result = store.stats.purge(new Date("2025-07-14T00:00:00Z"));
    expect(result).toEqual({ interactions: 1, groups: 1, notifications: 0 });
    expect(store.log.interaction(old)).toBeUndefined();
    expect(store.queue.group(oldGroup)).toBeUndefined();
    expect(store.log.interaction(recent)).toBeDefined();
    expect(store.stats.stats(null).totals.feedback).toEqual({ utile: 1, non_utile: 0, segnala: 0 });
    expect(store.integrityCheck()).toBe("ok");
    store.close();
  });
});

describe("statistics", () => {
  it("counts questions per day, channel and region with answered and helpful rates", () => {
    const path = join(dir, "stats.db");
    let clock = new Date("2026-03-02T10:00:00Z");
    const store = openStore({ path, secret, now: () => clock });
    const a = store.log.logInteraction(answered);
    store.log.logInteraction({
      ...answered,
      channel: "slack",
      status: "declined",
      source: null,
      region: null,
    });
    clock = new Date("2026-03-03T10:00:00Z");
    store.log.logInteraction({ ...answered, region: "Piemonte" });
    store.log.logRefusal({ channel: "telegram", userId: "x" });
    store.log.addFeedback({ interactionId: a, channel: "telegram", userId: "1", kind: "utile" });
    const stats = store.stats.stats(null);
    expect(stats.perDay.map((d) => [d.day, d.questions, d.answered, d.refused])).toEqual([
      ["2026-03-02", 2, 1, 0],
      ["2026-03-03", 1, 1, 1],
    ]);
    expect(stats.totals.answeredRate).toBeCloseTo(2 / 3);
    expect(stats.totals.helpfulRate).toBe(1);
    expect(stats.perChannel.find((c) => c.channel === "slack")).toMatchObject({
      questions: 1,
      declined: 1,
    });
    expect(stats.perRegion.map((r) => r.region)).toEqual(["Basilicata", "Piemonte", null]);
    const since = store.stats.stats(new Date("2026-03-03T00:00:00Z"));
    expect(since.totals.questions).toBe(1);
    store.close();
  });
});
