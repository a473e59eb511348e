// Grouping trainers can trust, through the real service: unrelated questions apart, split, merge
// and move, and a publication that resolves only the questions the trainer confirms.
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, makeTempDir, RecordingPort, type TestEnv } from "./helpers.js";

const anna = { channel: "cli" as const, userId: "anna" };
const carla = { channel: "cli" as const, userId: "carla" };
const operator = { channel: "telegram" as const, userId: "1001" };

async function askFrom(env: TestEnv, text: string, userId = "1001") {
  const outcome = await env.app.ask(
    { text, channel: "telegram", userId, conversationId: userId },
    { channel: "telegram", chatId: userId, userId },
  );
  expect(outcome.kind).toBe("declined");
  return outcome.kind === "declined" ? outcome.interactionId : 0;
}

function groupOf(env: TestEnv, interactionId: number): number {
  const db = new Database(env.config.dbPath, { readonly: true });
  try {
    const row = db
      .prepare("SELECT group_id FROM unanswered_items WHERE interaction_id = ?")
      .get(interactionId) as { group_id: number } | undefined;
    return row?.group_id ?? -1;
  } finally {
    db.close();
  }
}

describe("the unanswered queue's shape", () => {
  let env: TestEnv | undefined;
  afterEach(async () => {
    await env?.cleanup();
    env = undefined;
  });

  it("keeps three unrelated CPI questions in three groups", async () => {
    env = createTestApp(makeTempDir());
    const hours = await askFrom(env, "Che orari ha il CPI di Potenza?");
    const count = await askFrom(env, "Quanti CPI ci sono in Emilia Romagna?");
    const rdc = await askFrom(
      env,
      "Entro quanti giorni il CPI deve convocare i beneficiari del RdC?",
      "1002",
    );
    const groups = new Set([groupOf(env, hours), groupOf(env, count), groupOf(env, rdc)]);
    expect(groups.size).toBe(3);
    // The same question asked again by someone else joins its own group, not another one.
    const again = await askFrom(env, "Quali sono gli orari del CPI di Potenza?", "1002");
    expect(groupOf(env, again)).toBe(groupOf(env, hours));
  });

  it("splits, merges and moves questions, each step in the audit trail", async () => {
    env = createTestApp(makeTempDir());
    const { curation } = env.app;
    const a = await askFrom(env, "Dove si ritira la Carta RdC?");
    const b = await askFrom(env, "La carta RdC si ritira alle Poste?", "1002");
    const c = await askFrom(env, "Quanto dura il contratto dei navigator?");
    const carta = groupOf(env, a);
    expect(groupOf(env, b)).toBe(carta);
    const items = curation.unansweredGroup(carta)?.phrasings ?? [];
    const second = items.find((p) => p.text.includes("Poste"));
    expect(second).toBeDefined();

    // An operator may not reshape the queue.
    expect(() => curation.splitGroup(carta, [second?.item ?? 0], operator)).toThrow(/formatore/);
    // Splitting every question out is refused: that is not a split.
    expect(() =>
      curation.splitGroup(
        carta,
        items.map((p) => p.item),
        anna,
      ),
    ).toThrow(/almeno una domanda deve restare/);

    const split = curation.splitGroup(carta, [second?.item ?? 0], anna);
    expect(groupOf(env, b)).toBe(split);
    expect(curation.unansweredGroup(carta)?.count).toBe(1);
    expect(curation.unansweredGroup(split)?.label).toBe("La carta RdC si ritira alle Poste?");

    // Move it back: its group, now empty, disappears.
    curation.moveQuestion(second?.item ?? 0, carta, anna);
    expect(groupOf(env, b)).toBe(carta);
    expect(curation.unansweredGroup(split)).toBeUndefined();

    // Merge the navigator group into the carta group.
    const navigator = groupOf(env, c);
    const merged = curation.mergeGroups(carta, [navigator], anna);
    expect(merged.count).toBe(3);
    expect(curation.unansweredGroup(navigator)).toBeUndefined();

    const actions = curation.audit({ action: "group" }).entries.map((e) => e.action);
    expect(actions).toEqual(["group.merge", "group.move", "group.split"]);
  });

  it("names a group after its first remaining question when the one it was named after leaves", async () => {
    env = createTestApp(makeTempDir());
    const { curation } = env.app;
    const a = await askFrom(env, "Dove si ritira la Carta RdC?");
    const b = await askFrom(env, "La carta RdC si ritira alle Poste?", "1002");
    const carta = groupOf(env, a);
    expect(groupOf(env, b)).toBe(carta);
    expect(curation.unansweredGroup(carta)?.label).toBe("Dove si ritira la Carta RdC?");
    const first = curation
      .unansweredGroup(carta)
      ?.phrasings.find((p) => p.text === "Dove si ritira la Carta RdC?");
    const split = curation.splitGroup(carta, [first?.item ?? 0], anna);
    expect(curation.unansweredGroup(split)?.label).toBe("Dove si ritira la Carta RdC?");
    // The group left behind no longer bears the name of a question it does not hold.
    expect(curation.unansweredGroup(carta)?.label).toBe("La carta RdC si ritira alle Poste?");
  });

  it("resolves only the questions the trainer confirms, and tells only their askers", async () => {
    env = createTestApp(makeTempDir());
    const { app } = env;
    const port = new RecordingPort("telegram");
    app.registerNotifier(port);
    const a = await askFrom(env, "Dove si ritira la Carta RdC?", "1001");
    const b = await askFrom(env, "La carta RdC si ritira alle Poste?", "1002");
    const group = groupOf(env, a);
    expect(groupOf(env, b)).toBe(group);

    const draft = app.curation.draftFaq(
      { groupId: group, id: "carta-rdc", question: "Dove si ritira la Carta RdC?" },
      anna,
    );
    app.curation.editFaq(
      draft.id,
      { answer: "La Carta RdC si ritira presso gli uffici di Poste Italiane." },
      "risposta",
      anna,
    );
    app.curation.approveFaq(draft.id, carla);

    // The publish form lists both; the FAQ answers both, so both come preselected.
    const candidates = app.curation.publishCandidates(draft.id);
    expect(candidates.map((c) => c.text).sort()).toEqual([
      "Dove si ritira la Carta RdC?",
      "La carta RdC si ritira alle Poste?",
    ]);
    expect(candidates.every((c) => c.matched)).toBe(true);

    // The trainer confirms only the first one.
    const confirmed = candidates.filter((c) => c.text.startsWith("Dove")).map((c) => c.itemId);
    app.curation.publishFaq(draft.id, carla, undefined, confirmed);
    await app.flushNotifications();

    expect(groupOf(env, a)).not.toBe(group);
    expect(app.curation.unansweredGroup(groupOf(env, a))?.status).toBe("risolta");
    const rest = app.curation.unansweredGroup(group);
    expect(rest?.status).toBe("aperta");
    expect(rest?.phrasings.map((p) => p.text)).toEqual(["La carta RdC si ritira alle Poste?"]);
    expect(port.delivered.map((n) => n.address.userId)).toEqual(["1001"]);
  });

  it("logs and queues a declined question in one transaction", async () => {
    env = createTestApp(makeTempDir());
    // The queue cannot take the question (as if the process died between the two writes).
    const db = new Database(env.config.dbPath);
    db.exec(`CREATE TRIGGER no_queue BEFORE INSERT ON unanswered_items
      BEGIN SELECT RAISE(ABORT, 'coda piena'); END;`);
    db.close();
    await expect(
      env.app.ask({ text: "Dove si ritira la Carta RdC?", channel: "telegram", userId: "1001" }),
    ).rejects.toMatchObject({ code: "STORE_FAILED" });
    const check = new Database(env.config.dbPath, { readonly: true });
    const logged = check.prepare("SELECT COUNT(*) AS n FROM interactions").get() as { n: number };
    check.close();
    expect(logged.n).toBe(0);
  });
});
