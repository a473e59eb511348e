// Every curation change leaves exactly one audit entry (plus one for a group whose status it
// moved), written with the change; refused or invalid actions leave none; the trail reads back
// with names for the configured users and pseudonyms for everyone else.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditRecord } from "../../src/curation/curation.js";
import { isSportelloError } from "../../src/errors.js";
import { createTestApp, makeTempDir, type TestEnv, writeFaqFile } from "./helpers.js";

const anna = { channel: "cli" as const, userId: "anna" };
const carla = { channel: "cli" as const, userId: "carla" };
const operator = { channel: "telegram" as const, userId: "1001" };
// A trainer known by a Telegram id: the raw id must never reach the file.
const telegramTrainer = { channel: "telegram" as const, userId: "777000111" };

const faqFile = (id: string, question: string) =>
  `---\nid: ${id}\nquestion: ${question}\nreviewed: 2026-01-10\n---\n\nRisposta di ${id}.\n`;

let env: TestEnv;
let clock: Date;
beforeEach(() => {
  clock = new Date("2026-03-03T09:00:00Z");
  env = createTestApp(makeTempDir(), {
    now: () => clock,
    configOverrides: {
      roles: {
        operators: ["telegram:1001"],
        trainers: ["cli:anna", "telegram:777000111"],
        coordinators: ["cli:carla"],
      },
      names: { "cli:anna": "Anna Formatrice" },
    },
  });
});
afterEach(async () => {
  await env.cleanup();
});

const trail = (): AuditRecord[] => env.app.curation.audit({ limit: 1000 }).entries;

/** Runs `fn` and returns the audit entries it added, oldest first. */
function added(fn: () => unknown): AuditRecord[] {
  const before = env.app.store.audit.list().total;
  fn();
  const after = env.app.curation.audit({ limit: 1000 }).entries;
  return after.slice(0, after.length - before).reverse();
}

function refused(fn: () => unknown): string {
  const before = env.app.store.audit.list().total;
  let code = "no error";
  try {
    fn();
  } catch (error) {
    code = isSportelloError(error) ? error.code : String(error);
  }
  expect(env.app.store.audit.list().total, `${code}: no audit entry`).toBe(before);
  return code;
}

const pseudonym = (actor: { channel: string; userId: string }) =>
  env.app.store.sealer.pseudonym(actor.channel, actor.userId);

async function declinedGroup(text: string): Promise<number> {
  const asked = await env.app.ask({ text, channel: "telegram", userId: "1001" });
  expect(asked.kind).toBe("declined");
  const group = env.app.curation.listUnanswered({ sort: "recent" }).groups[0];
  if (!group) throw new Error("no group");
  return group.id;
}

describe("the FAQ lifecycle in the audit trail", () => {
  it("writes one entry per step with the actor's pseudonym, the FAQ and its version", () => {
    const { curation } = env.app;
    const steps: Array<[string, () => unknown, typeof anna, Record<string, unknown>]> = [
      [
        "faq.draft",
        () =>
          curation.draftFaq(
            { id: "orari-cpi", question: "Quali sono gli orari del CPI?", answer: "9-13." },
            anna,
          ),
        anna,
        { version: 1, reason: "bozza", group: null },
      ],
      [
        "faq.edit",
        () => curation.editFaq("orari-cpi", { answer: "Dalle 9 alle 13." }, "più chiaro", anna),
        anna,
        { version: 2, reason: "più chiaro" },
      ],
      [
        "faq.approve",
        () => curation.approveFaq("orari-cpi", carla),
        carla,
        { version: 3, reason: "approvata" },
      ],
      [
        "faq.publish",
        () => curation.publishFaq("orari-cpi", carla, "richiesta dai CPI"),
        carla,
        { version: 4, reason: "richiesta dai CPI", group: null },
      ],
      [
        "faq.retire",
        () => curation.retireFaq("orari-cpi", "orari cambiati", anna),
        anna,
        { version: 5, reason: "orari cambiati" },
      ],
    ];
    for (const [action, run, actor, detail] of steps) {
      clock = new Date(clock.getTime() + 60_000);
      const entries = added(run);
      expect(entries, action).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        at: clock.toISOString(),
        actor: pseudonym(actor),
        action,
        target: "orari-cpi",
        detail,
      });
    }
    // Each entry matches the version it recorded, author and time alike.
    const history = curation.faqHistory("orari-cpi");
    const faqEntries = trail().filter((e) => e.target === "orari-cpi");
    expect(faqEntries.map((e) => e.at).reverse()).toEqual(history.map((v) => v.at));
  });

  it("records the group a FAQ was drafted from and resolved, as group.status entries", async () => {
    const { curation } = env.app;
    const group = await declinedGroup("Dove si ritira la Carta RdC?");
    const draft = added(() =>
      curation.draftFaq({ id: "carta-rdc", answer: "Alle Poste.", groupId: group }, anna),
    );
    expect(draft.map((e) => [e.action, e.target, e.detail])).toEqual([
      ["faq.draft", "carta-rdc", { version: 1, reason: "bozza", group }],
      ["group.status", String(group), { from: "aperta", to: "in_lavorazione", faq: "carta-rdc" }],
    ]);
    // As a person reads it, in the CLI and the console.
    expect(draft.map((e) => e.summary)).toEqual([
      `versione: 1 · motivo: bozza · gruppo: ${group}`,
      "da: aperta · a: in lavorazione · FAQ: carta-rdc",
    ]);
    curation.approveFaq("carta-rdc", carla);
    const publish = added(() => curation.publishFaq("carta-rdc", carla));
    expect(publish.map((e) => [e.action, e.actor, e.target, e.detail?.to ?? null])).toEqual([
      ["faq.publish", pseudonym(carla), "carta-rdc", null],
      ["group.status", pseudonym(carla), String(group), "risolta"],
    ]);
  });

  it("writes nothing for a refused or invalid step", () => {
    const { curation } = env.app;
    curation.draftFaq({ id: "orari-cpi", question: "Orari del CPI?", answer: "9-13." }, anna);
    expect(refused(() => curation.draftFaq({ question: "Domanda?" }, operator))).toBe("FORBIDDEN");
    expect(refused(() => curation.draftFaq({ question: "  " }, anna))).toBe("INPUT_INVALID");
    expect(refused(() => curation.draftFaq({ question: "X?", groupId: 999 }, anna))).toBe(
      "NOT_FOUND",
    );
    expect(refused(() => curation.draftFaq({ id: "orari-cpi", question: "X?" }, anna))).toBe(
      "CONFLICT",
    );
    expect(refused(() => curation.editFaq("orari-cpi", { answer: "altro" }, "", anna))).toBe(
      "INPUT_INVALID",
    );
    expect(refused(() => curation.editFaq("nessuna", { answer: "x" }, "motivo", anna))).toBe(
      "NOT_FOUND",
    );
    expect(refused(() => curation.approveFaq("orari-cpi", anna))).toBe("FORBIDDEN");
    expect(refused(() => curation.publishFaq("orari-cpi", carla))).toBe("CONFLICT");
    expect(refused(() => curation.retireFaq("orari-cpi", "motivo", operator))).toBe("FORBIDDEN");
    expect(trail().map((e) => e.action)).toEqual(["faq.draft"]);
  });
});

describe("the queue, imports and retention in the audit trail", () => {
  it("records a dismissal with its redacted reason; a refused one leaves nothing", async () => {
    const { curation } = env.app;
    const group = await declinedGroup("Come si configura la stampante dell'ufficio?");
    expect(refused(() => curation.dismissGroup(group, "fuori tema", operator))).toBe("FORBIDDEN");
    expect(refused(() => curation.dismissGroup(group, "  ", anna))).toBe("INPUT_INVALID");
    expect(refused(() => curation.dismissGroup(999, "fuori tema", anna))).toBe("NOT_FOUND");
    const entries = added(() =>
      curation.dismissGroup(group, "fuori tema, scrive mario.rossi@example.it", telegramTrainer),
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: pseudonym(telegramTrainer),
      action: "group.dismiss",
      target: String(group),
      detail: { from: "aperta", reason: "fuori tema, scrive [EMAIL]" },
    });
    expect(refused(() => curation.dismissGroup(group, "di nuovo", anna))).toBe("CONFLICT");
  });

  it("records an import by a coordinator with what it changed; a trainer's is refused", () => {
    const { curation } = env.app;
    const folder = join(env.dir, "import");
    mkdirSync(folder);
    writeFaqFile(folder, "a.md", faqFile("faq-a", "Prima domanda?"));
    writeFaqFile(folder, "b.md", faqFile("faq-b", "Seconda domanda?"));
    expect(refused(() => curation.importFaqs(folder, anna))).toBe("FORBIDDEN");
    expect(refused(() => curation.importFaqs(join(env.dir, "manca"), carla))).toBe("NOT_FOUND");
    const first = added(() => curation.importFaqs(folder, carla));
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      actor: pseudonym(carla),
      action: "faq.import",
      target: null,
      detail: { source: folder, added: ["faq-a", "faq-b"], updated: [], unchanged: 0 },
    });
    // The same files again: a coordinator's import is recorded even when it changes nothing.
    const again = added(() => curation.importFaqs(folder, carla));
    expect(again.map((e) => e.detail)).toEqual([
      { source: folder, added: [], updated: [], unchanged: 2 },
    ]);
  });

  it("records the start-up import of knowledge/faq files as Sportello's, only when it changes something", async () => {
    writeFaqFile(join(env.config.knowledgeDir, "faq"), "c.md", faqFile("faq-c", "Terza?"));
    await env.app.close();
    env = { ...env, ...createTestApp(env.dir, { config: env.config, now: () => clock }) };
    expect(trail().map((e) => [e.action, e.actor, e.who, e.detail?.added])).toEqual([
      ["faq.import", "knowledge-file", "Sportello (file in knowledge/faq)", ["faq-c"]],
    ]);
    await env.app.close();
    env = { ...env, ...createTestApp(env.dir, { config: env.config, now: () => clock }) };
    expect(trail()).toHaveLength(1);
  });

  it("records a purge with its counts, and the purge keeps the audit trail", async () => {
    const { curation } = env.app;
    const group = await declinedGroup("Come si configura la stampante dell'ufficio?");
    curation.dismissGroup(group, "fuori tema", anna);
    clock = new Date("2026-12-01T09:00:00Z");
    expect(refused(() => curation.purge("180d", anna))).toBe("FORBIDDEN");
    expect(refused(() => curation.purge("sempre", carla))).toBe("INPUT_INVALID");
    const entries = added(() => curation.purge("180d", carla));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: pseudonym(carla),
      action: "log.purge",
      detail: {
        older_than: "180d",
        before: "2026-06-04T09:00:00.000Z",
        interactions: 1,
        groups: 1,
        notifications: 0,
      },
    });
    expect(curation.listUnanswered().total).toBe(0);
    expect(trail().map((e) => e.action)).toEqual(["log.purge", "group.dismiss"]);
  });
});

describe("one transaction for a change and its entry", () => {
  it("makes no change when its audit entry cannot be written", async () => {
    const { curation } = env.app;
    const group = await declinedGroup("Dove si ritira la Carta RdC?");
    curation.draftFaq({ id: "carta-rdc", answer: "Alle Poste.", groupId: group }, anna);
    curation.approveFaq("carta-rdc", carla);
    // Another connection makes every audit insert fail, as a full disk would.
    const db = new Database(env.config.dbPath);
    db.exec(
      "CREATE TRIGGER audit_broken BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'disco pieno'); END",
    );
    db.close();
    expect(() => curation.publishFaq("carta-rdc", carla)).toThrow(/disco pieno/);
    expect(curation.faq("carta-rdc")).toMatchObject({ status: "approvata", version: 2 });
    expect(curation.unansweredGroup(group)?.status).toBe("in_lavorazione");
    expect(curation.publishedFaqs().map((f) => f.id)).not.toContain("carta-rdc");
    expect(() => curation.dismissGroup(group, "fuori tema", anna)).toThrow(/disco pieno/);
    expect(curation.unansweredGroup(group)?.status).toBe("in_lavorazione");
    clock = new Date("2026-12-01T09:00:00Z");
    expect(() => curation.purge("30d", carla)).toThrow(/disco pieno/);
    expect(curation.stats().totals.questions).toBe(1);
  });
});

describe("reading the audit trail", () => {
  it("names configured users, shows others as a pseudonym, and filters by action and day", () => {
    const { curation } = env.app;
    curation.draftFaq({ id: "uno", question: "Prima?" }, anna);
    clock = new Date("2026-03-05T09:00:00Z");
    curation.draftFaq({ id: "due", question: "Seconda?" }, telegramTrainer);
    curation.recordAudit({
      actor: { channel: "web", userId: "sconosciuto" },
      action: "console.signin_failed",
    });
    const whos = trail().map((e) => [e.action, e.who, e.label]);
    expect(whos).toEqual([
      [
        "console.signin_failed",
        `utente ${pseudonym({ channel: "web", userId: "sconosciuto" }).slice(0, 8)}`,
        "accesso alla console non riuscito",
      ],
      ["faq.draft", "telegram:777000111", "bozza di FAQ scritta"],
      ["faq.draft", "Anna Formatrice (cli:anna)", "bozza di FAQ scritta"],
    ]);
    expect(curation.audit({ action: "faq" }).entries.map((e) => e.target)).toEqual(["due", "uno"]);
    expect(curation.audit({ since: "2026-03-05" }).total).toBe(2);
    expect(curation.audit({ limit: 1, offset: 1 }).entries.map((e) => e.target)).toEqual(["due"]);
    expect(() => curation.audit({ action: "fqa" })).toThrow(
      /Nessuna operazione del registro inizia con «fqa»/,
    );
    expect(() => curation.audit({ since: "ieri" })).toThrow(/AAAA-MM-GG/);
  });

  it("takes from adapters only the console's own actions", () => {
    const { curation } = env.app;
    expect(
      refused(() =>
        curation.recordAudit({ actor: carla, action: "faq.publish" as never, target: "x" }),
      ),
    ).toBe("STORE_FAILED");
    expect(curation.auditActions().map((a) => a.code)).toContain("console.local_link");
  });

  it("never writes a raw platform id or personal data to the database file", async () => {
    const { curation } = env.app;
    const group = await declinedGroup("Dove si ritira la Carta RdC?");
    curation.draftFaq({ id: "carta-rdc", answer: "Alle Poste.", groupId: group }, telegramTrainer);
    curation.editFaq(
      "carta-rdc",
      { answer: "Alle Poste, con un documento." },
      "chiesto da RSSMRA80A01H501U",
      telegramTrainer,
    );
    curation.recordAudit({
      actor: { channel: "web", userId: "555123456" },
      action: "console.signin_failed",
    });
    expect(trail()).toHaveLength(4);
    await env.app.close();
    const path = env.config.dbPath;
    const bytes =
      readFileSync(path).toString("latin1") +
      readFileSync(`${path}-wal`, { flag: "a+" }).toString("latin1");
    expect(bytes).not.toContain("777000111");
    expect(bytes).not.toContain("555123456");
    expect(bytes).not.toContain("RSSMRA80A01H501U");
    // The pseudonyms are there instead.
    expect(bytes).toContain(pseudonym(telegramTrainer));
  });
});
