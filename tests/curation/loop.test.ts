import { readFileSync } from "node:fs";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { say } from "../../src/prompts.js";
import { createTestApp, makeTempDir, RecordingPort, type TestEnv } from "./helpers.js";

const anna = { channel: "cli" as const, userId: "anna" };
const carla = { channel: "cli" as const, userId: "carla" };

describe("closing the loop in one running process", () => {
  let env: TestEnv | undefined;
  afterEach(async () => {
    await env?.cleanup();
    env = undefined;
  });

  it("declined → group → draft → approve → publish → answered from the FAQ → asker notified", async () => {
    let clock = new Date("2026-03-03T09:30:00Z");
    env = createTestApp(makeTempDir(), { now: () => clock });
    const { app } = env;

    // Two operators ask the same thing in different words; the corpus cannot answer.
    const first = await app.ask(
      {
        text: "Dove si ritira la Carta RdC? CF RSSMRA85T10A562S",
        channel: "telegram",
        userId: "1001",
        conversationId: "1001",
      },
      { channel: "telegram", chatId: "1001", userId: "1001" },
    );
    expect(first.kind).toBe("declined");
    const second = await app.ask(
      {
        text: "La carta RdC si ritira alle Poste?",
        channel: "telegram",
        userId: "1002",
        conversationId: "1002",
      },
      { channel: "telegram", chatId: "1002", userId: "1002" },
    );
    expect(second.kind).toBe("declined");

    // Both sit in one open group, redacted.
    const { groups, total } = app.curation.listUnanswered();
    expect(total).toBe(1);
    const group = groups[0];
    expect(group?.count).toBe(2);
    expect(group?.status).toBe("aperta");
    expect(group?.label).toBe("Dove si ritira la Carta RdC? CF [CODICE FISCALE]");
    expect(app.topUnanswered(5)[0]?.count).toBe(2);

    // A trainer drafts from the group: the phrasings come prefilled.
    clock = new Date("2026-03-05T10:00:00Z");
    const draft = app.curation.draftFaq(
      { groupId: group?.id, id: "carta-rdc-ritiro", question: "Dove si ritira la Carta RdC?" },
      anna,
    );
    expect(draft.status).toBe("bozza");
    expect(draft.alternatives).toContain("La carta RdC si ritira alle Poste?");
    expect(app.curation.unansweredGroup(group?.id ?? 0)?.status).toBe("in_lavorazione");

    // Approving an answerless draft fails and says which field is missing.
    expect(() => app.curation.approveFaq("carta-rdc-ritiro", carla)).toThrow(/answer/);
    app.curation.editFaq(
      "carta-rdc-ritiro",
      {
        answer:
          "La Carta RdC si ritira presso qualsiasi ufficio di Poste Italiane, dopo l'SMS o l'e-mail di Poste.",
      },
      "risposta scritta",
      anna,
    );
    // The author cannot approve (policy: coordinator); a coordinator can.
    expect(() => app.curation.approveFaq("carta-rdc-ritiro", anna)).toThrow(/coordinatore/);
    app.curation.approveFaq("carta-rdc-ritiro", carla);

    // An adapter for Telegram registers before publication.
    const telegram = new RecordingPort("telegram");
    app.registerNotifier(telegram);
    const published = app.curation.publishFaq("carta-rdc-ritiro", carla);
    expect(published.status).toBe("pubblicata");
    expect(published.publishedVersion).toBe(4);
    await app.flushNotifications();

    // Both askers hear about it, with the day they asked, in Italian.
    expect(telegram.delivered.map((n) => n.address.chatId).sort()).toEqual(["1001", "1002"]);
    expect(telegram.delivered[0]?.text).toMatch(
      /^La tua domanda del 3 marzo ora ha una risposta: «Dove si ritira la Carta RdC\?»/,
    );
    expect(telegram.delivered[0]?.text).toContain("Poste Italiane");
    expect(app.curation.unansweredGroup(group?.id ?? 0)?.status).toBe("risolta");
    expect(app.curation.unansweredGroup(group?.id ?? 0)?.faqId).toBe("carta-rdc-ritiro");

    // The same question is now answered from the FAQ, and the log keeps the version.
    const again = await app.ask({
      text: "Dove si ritira la Carta RdC?",
      channel: "telegram",
      userId: "1001",
    });
    expect(again.kind).toBe("answered");
    if (again.kind !== "answered") throw new Error("unreachable");
    expect(again.answer.source).toBe("faq");
    expect(again.answer.faq).toMatchObject({ id: "carta-rdc-ritiro", version: 4 });
    const logged = app.store.log.interaction(again.interactionId);
    expect(logged?.faq).toEqual({ id: "carta-rdc-ritiro", version: 4 });
    expect(logged?.source).toBe("faq");

    // Nothing of the asker's raw identity or personal data reached the file.
    await app.close();
    const bytes =
      readFileSync(env.config.dbPath).toString("latin1") +
      readFileSync(`${env.config.dbPath}-wal`, { flag: "a+" }).toString("latin1");
    expect(bytes).not.toContain("RSSMRA85T10A562S");
    const db = new Database(env.config.dbPath, { readonly: true });
    const users = db.prepare("SELECT DISTINCT user_hash FROM interactions").all() as Array<{
      user_hash: string;
    }>;
    db.close();
    expect(users.every((u) => /^[0-9a-f]{32}$/.test(u.user_hash))).toBe(true);
  });

  it("keeps notifications for a channel without a port and delivers them when one registers", async () => {
    const logs: string[] = [];
    env = createTestApp(makeTempDir(), {
      now: () => new Date("2026-03-03T09:30:00Z"),
      log: (line) => logs.push(line),
    });
    const { app } = env;
    await app.ask(
      {
        text: "Come si configura la stampante dell'ufficio?",
        channel: "slack",
        userId: "U1",
        conversationId: "C1",
      },
      { channel: "slack", chatId: "C1", threadId: "1700000000.000100", userId: "U1" },
    );
    await app.ask({
      text: "Come si configura la stampante dell'ufficio?",
      channel: "cli",
      userId: "anna",
    });
    const group = app.curation.listUnanswered().groups[0];
    app.curation.draftFaq(
      { groupId: group?.id, answer: "Chiedere all'assistenza informatica della regione." },
      anna,
    );
    const id = app.curation.listFaqs()[0]?.id ?? "";
    app.curation.approveFaq(id, carla);
    app.curation.publishFaq(id, carla);
    await app.flushNotifications();

    // The CLI user finds theirs at the next chat; Slack's waits for its port.
    const cli = app.pendingCliNotifications("anna");
    expect(cli).toHaveLength(1);
    expect(cli[0]?.text).toContain("La tua domanda del 3 marzo");
    app.markNotificationDelivered(cli[0]?.id ?? 0);
    expect(app.pendingCliNotifications("anna")).toHaveLength(0);

    const slack = new RecordingPort("slack");
    slack.failing = true;
    app.registerNotifier(slack);
    await app.flushNotifications();
    expect(slack.delivered).toHaveLength(0);
    slack.failing = false;
    await app.flushNotifications();
    expect(slack.delivered).toHaveLength(1);
    expect(slack.delivered[0]?.address.threadId).toBe("1700000000.000100");
    // The failed attempt was logged for the administrator, in Italian, from prompts/.
    expect(logs).toContain(
      say("curation.notification_undelivered", {
        id: slack.delivered[0]?.id ?? 0,
        channel: "slack",
        detail: "rete non raggiungibile",
      }),
    );
    // Delivered once only.
    await app.flushNotifications();
    expect(slack.delivered).toHaveLength(1);
  });

  it("refuses unknown users politely and logs the refusal without the text", async () => {
    env = createTestApp(makeTempDir());
    const { app } = env;
    const outcome = await app.ask({
      text: "Il mio IBAN è IT60X0542811101000000123456",
      channel: "telegram",
      userId: "999",
    });
    expect(outcome.kind).toBe("refused");
    if (outcome.kind !== "refused") throw new Error("unreachable");
    expect(outcome.text).toMatch(/riservato agli operatori/);
    const db = new Database(env.config.dbPath, { readonly: true });
    const rows = db.prepare("SELECT status, text FROM interactions").all();
    db.close();
    expect(rows).toEqual([{ status: "refused", text: null }]);
  });

  it("puts answers marked non utile in the queue and records feedback", async () => {
    env = createTestApp(makeTempDir());
    const { app } = env;
    const outcome = await app.ask({
      text: "Chi firma la convenzione per la Regione Basilicata?",
      channel: "telegram",
      userId: "1001",
    });
    expect(outcome.kind).toBe("answered");
    if (outcome.kind !== "answered") throw new Error("unreachable");
    const identity = { channel: "telegram" as const, userId: "1001" };
    const fb = await app.feedback({
      interactionId: outcome.interactionId,
      identity,
      kind: "non_utile",
      comment: "manca il nome, scrivetemi a a.b@c.it",
    });
    expect(fb.kind).toBe("recorded");
    expect(app.curation.listUnanswered().groups[0]?.count).toBe(1);
    expect(
      app.curation.unansweredGroup(app.curation.listUnanswered().groups[0]?.id ?? 0)?.phrasings[0]
        ?.kind,
    ).toBe("non_utile");
    const unknown = await app.feedback({ interactionId: 424242, identity, kind: "utile" });
    expect(unknown.kind).toBe("unknown-interaction");
    const db = new Database(env.config.dbPath, { readonly: true });
    const comments = db.prepare("SELECT comment FROM feedback").all();
    db.close();
    expect(comments).toEqual([{ comment: "manca il nome, scrivetemi a [EMAIL]" }]);
  });
});

describe("publishing from another process", () => {
  it("reaches the running service at its next question, and its notifications go out", async () => {
    const { openCuration } = await import("../../src/app.js");
    const env = createTestApp(makeTempDir(), { now: () => new Date("2026-03-03T09:30:00Z") });
    try {
      const { app } = env;
      const telegram = new RecordingPort("telegram");
      app.registerNotifier(telegram);
      await app.ask(
        {
          text: "Come si configura la stampante dell'ufficio?",
          channel: "telegram",
          userId: "1001",
        },
        { channel: "telegram", chatId: "1001", userId: "1001" },
      );
      // A trainer and a coordinator work from the CLI: another connection to the same file.
      const cli = openCuration({ config: env.config, log: () => {} });
      const group = cli.curation.listUnanswered().groups[0];
      cli.curation.draftFaq(
        { id: "stampante", groupId: group?.id, answer: "Chiedere all'assistenza informatica." },
        anna,
      );
      cli.curation.approveFaq("stampante", carla);
      cli.curation.publishFaq("stampante", carla);
      cli.close();

      const outcome = await app.ask({
        text: "Come si configura la stampante dell'ufficio?",
        channel: "telegram",
        userId: "1002",
      });
      expect(outcome.kind === "answered" && outcome.answer.faq?.id).toBe("stampante");
      await app.flushNotifications();
      expect(telegram.delivered.map((n) => n.faqId)).toEqual(["stampante"]);
    } finally {
      await env.cleanup();
    }
  });
});
