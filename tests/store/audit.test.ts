// The audit trail in the store: the upgrade that adds it, what an entry keeps (pseudonym, redacted
// detail), the filters, and that neither the log's purge nor an UPDATE can change it.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/database.js";
import { currentSchemaVersion, openStore } from "../../src/store/store.js";

const secret = "audit-test-secret-0123456789";
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sportello-audit-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function fileBytes(path: string): string {
  return (
    readFileSync(path).toString("latin1") +
    readFileSync(`${path}-wal`, { flag: "a+" }).toString("latin1")
  );
}

describe("the migration that adds the audit trail", () => {
  it("upgrades a version 3 database with rows in every table, keeping them all", () => {
    const path = join(dir, "v3.db");
    const old = openDatabase(path, { migrateTo: 3 });
    old.exec(`
      INSERT INTO interactions (created_at, channel, user_hash, status, text, passage_ids, address)
        VALUES ('2026-01-02T10:00:00.000Z', 'telegram', 'abc', 'declined', 'domanda vecchia', '[]', x'00');
      INSERT INTO feedback (interaction_id, created_at, user_hash, kind)
        VALUES (1, '2026-01-02T10:01:00.000Z', 'abc', 'non_utile');
      INSERT INTO unanswered_groups (label, created_at, updated_at)
        VALUES ('domanda vecchia', '2026-01-02', '2026-01-02');
      INSERT INTO unanswered_items (group_id, interaction_id, kind, terms, created_at)
        VALUES (1, 1, 'declined', '["domand"]', '2026-01-02');
      INSERT INTO faq_versions (faq_id, version, state, content, author_hash, reason, created_at, group_id)
        VALUES ('vecchia', 1, 'bozza', '{"question":"Domanda vecchia?"}', 'h', 'bozza', '2026-01-02', 1);
      INSERT INTO notifications (channel, user_hash, address, faq_id, faq_version, text, created_at)
        VALUES ('telegram', 'abc', x'00', 'vecchia', 1, 'avviso', '2026-01-02');
    `);
    old.close();

    const store = openStore({ path, secret });
    expect(store.schemaVersion()).toBe(currentSchemaVersion);
    expect(store.log.interaction(1)).toMatchObject({ text: "domanda vecchia", hasAddress: true });
    expect(store.queue.group(1)).toMatchObject({ label: "domanda vecchia", count: 1 });
    expect(store.faqs.head("vecchia")).toMatchObject({ version: 1, state: "bozza" });
    expect(store.stats.stats(null).totals.feedback.non_utile).toBe(1);
    expect(store.notifications.pending("telegram")).toHaveLength(1);
    // The new table starts empty and takes entries.
    expect(store.audit.list()).toEqual({ total: 0, entries: [] });
    store.audit.append({
      actor: { channel: "cli", userId: "carla" },
      action: "faq.edit",
      target: "vecchia",
    });
    expect(store.audit.list().total).toBe(1);
    expect(store.integrityCheck()).toBe("ok");
    store.close();
  });
});

describe("audit entries", () => {
  it("keep the actor's pseudonym and redacted text, never the raw id or personal data", () => {
    const path = join(dir, "private.db");
    const store = openStore({ path, secret, now: () => new Date("2026-03-03T09:30:00Z") });
    store.audit.append({
      actor: { channel: "telegram", userId: "987654321" },
      action: "group.dismiss",
      target: 7,
      detail: {
        reason: "Scrive mario.rossi@example.it con il CF RSSMRA80A01H501U",
        from: "aperta",
        count: 1234567,
        list: ["IBAN IT60X0542811101000000123456"],
      },
    });
    const [entry] = store.audit.list().entries;
    expect(entry).toEqual({
      id: 1,
      at: "2026-03-03T09:30:00.000Z",
      actor: store.sealer.pseudonym("telegram", "987654321"),
      action: "group.dismiss",
      target: "7",
      detail: {
        reason: "Scrive [EMAIL] con il CF [CODICE FISCALE]",
        from: "aperta",
        // Numbers are values, not text: the redaction of long digit runs does not apply.
        count: 1234567,
        list: ["IBAN [IBAN]"],
      },
    });
    store.close();
    const bytes = fileBytes(path);
    expect(bytes).not.toContain("987654321");
    expect(bytes).not.toContain("mario.rossi");
    expect(bytes).not.toContain("RSSMRA80A01H501U");
    expect(bytes).not.toContain("0542811101");
  });

  it("name Sportello itself for the start-up import, cut long lists and texts, and refuse unknown actions or actors", () => {
    const store = openStore({ path: join(dir, "system.db"), secret });
    store.audit.append({ actor: { system: "knowledge-file" }, action: "faq.import" });
    expect(store.audit.list().entries[0]).toMatchObject({
      actor: "knowledge-file",
      target: null,
      detail: null,
    });
    // A large import keeps the start of its list and how many more there were.
    const ids = Array.from({ length: 60 }, (_, i) => `faq-${i}`);
    store.audit.append({
      actor: { system: "knowledge-file" },
      action: "faq.import",
      detail: { added: ids },
    });
    expect(store.audit.list().entries[0]?.detail?.added).toEqual([...ids.slice(0, 50), "…+10"]);
    store.audit.append({
      actor: { channel: "cli", userId: "carla" },
      action: "group.dismiss",
      detail: { reason: "x".repeat(5000) },
    });
    expect(String(store.audit.list().entries[0]?.detail?.reason)).toHaveLength(1000);
    expect(() =>
      store.audit.append({
        actor: { channel: "cli", userId: "carla" },
        action: "faq.delete" as never,
      }),
    ).toThrow(/azione sconosciuta/);
    expect(() =>
      store.audit.append({ actor: { system: "12345" as never }, action: "faq.import" }),
    ).toThrow(/attore di sistema sconosciuto/);
    expect(store.audit.list().total).toBe(3);
    store.close();
  });

  it("are listed newest first, filtered by day and action prefix, a page at a time", () => {
    let clock = new Date("2026-03-01T10:00:00Z");
    const store = openStore({ path: join(dir, "list.db"), secret, now: () => clock });
    const actor = { channel: "web" as const, userId: "carla" };
    const actions = [
      "faq.draft",
      "faq.approve",
      "console.signin",
      "faq.publish",
      "console.signin_failed",
      "group.dismiss",
    ] as const;
    for (const [n, action] of actions.entries()) {
      clock = new Date(Date.UTC(2026, 2, 1 + n, 10));
      store.audit.append({ actor, action, target: `t${n}` });
    }
    const codes = (filter: Parameters<typeof store.audit.list>[0]) =>
      store.audit.list(filter).entries.map((e) => e.action);
    expect(codes({})).toEqual([...actions].reverse());
    expect(codes({ actionPrefix: "faq." })).toEqual(["faq.publish", "faq.approve", "faq.draft"]);
    expect(codes({ actionPrefix: "faq" })).toEqual(["faq.publish", "faq.approve", "faq.draft"]);
    expect(codes({ actionPrefix: "console.signin" })).toEqual([
      "console.signin_failed",
      "console.signin",
    ]);
    expect(codes({ actionPrefix: "console.signin_" })).toEqual(["console.signin_failed"]);
    expect(codes({ since: "2026-03-04T00:00:00.000Z" })).toEqual([
      "group.dismiss",
      "console.signin_failed",
      "faq.publish",
    ]);
    const page = store.audit.list({ limit: 2, offset: 2 });
    expect(page.total).toBe(6);
    expect(page.entries.map((e) => e.target)).toEqual(["t3", "t2"]);
    // A prefix that cannot be an action matches nothing (and is not SQL).
    expect(store.audit.list({ actionPrefix: "' OR 1=1 --" })).toEqual({ total: 0, entries: [] });
    store.close();
  });

  it("survive the retention purge of the log, and cannot be rewritten", () => {
    const path = join(dir, "purge.db");
    let clock = new Date("2025-01-10T10:00:00Z");
    const store = openStore({ path, secret, now: () => clock });
    store.log.logInteraction({
      channel: "cli",
      userId: "local",
      status: "declined",
      text: "domanda vecchia",
      source: null,
      faq: null,
      passageIds: [],
      fingerprint: "fp",
      confidence: 0,
      latencyMs: 1,
      reason: "low_confidence",
      region: null,
    });
    store.audit.append({
      actor: { channel: "cli", userId: "carla" },
      action: "group.dismiss",
      target: 1,
    });
    clock = new Date("2026-01-10T10:00:00Z");
    expect(store.stats.purge(new Date("2025-07-14T00:00:00Z")).interactions).toBe(1);
    expect(store.audit.list().entries.map((e) => [e.action, e.at])).toEqual([
      ["group.dismiss", "2025-01-10T10:00:00.000Z"],
    ]);
    store.close();

    const db = new Database(path);
    expect(() => db.prepare("UPDATE audit SET actor = 'qualcun altro'").run()).toThrow(
      /non si modificano/,
    );
    db.close();
  });
});
