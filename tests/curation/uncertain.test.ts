// Answers given with uncertainty reach the trainers' queue as "da verificare": with the answer
// given and the FAQ offered; confirming makes the FAQ answer the question with certainty;
// a FAQ drafted from such a question tells its asker when published; "non utile" moves it to the
// questions without an answer.
import { afterEach, describe, expect, it } from "vitest";
import { defaultCalibration } from "../../src/answer/confidence.js";
import { createEngine } from "../../src/answer/engine.js";
import { type PromptKey, say } from "../../src/prompts.js";
import {
  createTestApp,
  makeTempDir,
  RecordingPort,
  runCurationCli,
  type TestEnv,
  testCorpus,
} from "./helpers.js";

const anna = { channel: "cli" as const, userId: "anna" };
const carla = { channel: "cli" as const, userId: "carla" };

const faqQuestion = "Chi paga l'assicurazione INAIL per il contratto di apprendistato?";
// No phrasing of the FAQ is asked: its answer and tags hold the words, so it is only probable.
const probableQuestion = "inail apprendistato soggetto promotore";
const tirocinioQuestion = "Chi paga l'assicurazione INAIL per il tirocinio extracurricolare?";

/** Drafted by anna, approved and published by carla. */
function publish(
  env: TestEnv,
  faq: { id: string; question: string; answer: string; tags: string[] },
): void {
  const { curation } = env.app;
  curation.draftFaq(faq, anna);
  curation.approveFaq(faq.id, carla);
  curation.publishFaq(faq.id, carla);
}

function publishInailFaq(env: TestEnv): void {
  publish(env, {
    id: "inail-apprendistato",
    question: faqQuestion,
    answer: "L'assicurazione INAIL per apprendistato è a carico del soggetto promotore.",
    tags: ["apprendistato", "inail"],
  });
}

/** A second FAQ close to the first: a probable answer names it ("guarda anche"). */
function publishTirocinioFaq(env: TestEnv): void {
  publish(env, {
    id: "inail-tirocinio",
    question: tirocinioQuestion,
    answer: "Per il tirocinio l'assicurazione INAIL è a carico del soggetto promotore.",
    tags: ["tirocinio", "inail"],
  });
}

/** A notice's words after its date (the date reads "oggi" or a day, as the clock goes). */
function noticeAfterDate(key: PromptKey, question: string): string {
  return say(key, { date: "§", question, answer: "" }).split("§")[1] ?? "";
}

async function askFromTelegram(env: TestEnv, text: string, user = "1001") {
  return env.app.ask(
    { text, channel: "telegram", userId: user, conversationId: user },
    { channel: "telegram", chatId: user, userId: user },
  );
}

/** Runs one `sportello …` curation command against the test database; returns its output. */
const sportello = runCurationCli;

describe("answers given with uncertainty, in the trainers' queue", () => {
  let env: TestEnv | undefined;
  afterEach(async () => {
    await env?.cleanup();
    env = undefined;
  });

  it("queues a probable FAQ answer as 'da verificare', with the FAQ offered and its answer", async () => {
    env = createTestApp(makeTempDir());
    publishInailFaq(env);
    const { app } = env;

    const outcome = await askFromTelegram(env, probableQuestion);
    expect(outcome.kind).toBe("answered");
    if (outcome.kind !== "answered") return;
    expect(outcome.answer.uncertain).toBe(true);
    expect(outcome.answer.parts.lead).toBe(
      say("answer.lead_faq_probable", { question: faqQuestion }),
    );
    expect(app.store.log.interaction(outcome.interactionId)?.uncertain).toBe(true);

    // A certain answer is logged as such and queues nothing.
    const certain = await askFromTelegram(env, faqQuestion, "1002");
    expect(certain.kind === "answered" && certain.answer.uncertain).toBe(false);
    if (certain.kind === "answered") {
      expect(app.store.log.interaction(certain.interactionId)?.uncertain).toBe(false);
    }

    expect(app.curation.listUnanswered({ category: "unanswered" }).total).toBe(0);
    const { total, groups } = app.curation.listUnanswered({ category: "uncertain" });
    expect(total).toBe(1);
    expect(groups[0]).toMatchObject({ count: 1, uncertain: 1, status: "aperta" });
    const group = app.curation.unansweredGroup(groups[0]?.id ?? 0);
    expect(group?.phrasings).toHaveLength(1);
    expect(group?.phrasings[0]).toMatchObject({
      text: probableQuestion,
      kind: "uncertain",
      given: {
        source: "faq",
        answer: "L'assicurazione INAIL per apprendistato è a carico del soggetto promotore.",
        faq: { id: "inail-apprendistato", question: faqQuestion, version: 3 },
      },
    });
    // The same question asked again joins its group; a declined question opens its own.
    await askFromTelegram(env, probableQuestion, "1002");
    await askFromTelegram(env, "Come si configura la stampante dell'ufficio?");
    expect(app.curation.unansweredGroup(groups[0]?.id ?? 0)?.count).toBe(2);
    expect(app.curation.listUnanswered({ category: "unanswered" }).groups).toMatchObject([
      { label: "Come si configura la stampante dell'ufficio?", uncertain: 0 },
    ]);

    // Coordinators' figures: answered with uncertainty, its own top list, not an uncovered topic.
    const stats = app.curation.stats();
    expect(stats.totals).toMatchObject({ answered: 3, declined: 1, uncertain: 2 });
    expect(stats.topUncertain.map((g) => [g.label, g.count])).toEqual([[probableQuestion, 2]]);
    expect(stats.topUnanswered.map((g) => g.label)).toEqual([
      "Come si configura la stampante dell'ufficio?",
    ]);
    expect(stats.uncoveredTopics.map((topic) => topic.label)).not.toContain("inail");
  });

  it("confirming adds the question to the FAQ, which then answers it with certainty", async () => {
    env = createTestApp(makeTempDir());
    publishInailFaq(env);
    const { app } = env;
    const telegram = new RecordingPort("telegram");
    app.registerNotifier(telegram);
    await askFromTelegram(env, probableQuestion);
    const groupId = app.curation.listUnanswered({ category: "uncertain" }).groups[0]?.id ?? 0;

    // An operator may not confirm; a trainer may.
    const operator = { channel: "telegram" as const, userId: "1001" };
    expect(() => app.curation.confirmUncertain(groupId, operator)).toThrow();
    const result = app.curation.confirmUncertain(groupId, anna);
    expect(result).toEqual({
      faqs: [{ id: "inail-apprendistato", version: 4, added: [probableQuestion] }],
      questions: 1,
    });
    expect(app.curation.faq("inail-apprendistato")?.alternatives).toEqual([probableQuestion]);
    expect(app.curation.unansweredGroup(groupId)).toMatchObject({
      status: "risolta",
      faqId: "inail-apprendistato",
    });
    expect(app.curation.listUnanswered({ category: "uncertain", status: "aperta" }).total).toBe(0);

    const again = await askFromTelegram(env, probableQuestion, "1002");
    expect(again.kind).toBe("answered");
    if (again.kind !== "answered") return;
    expect(again.answer.uncertain).toBe(false);
    expect(again.answer.faq?.id).toBe("inail-apprendistato");
    expect(again.answer.parts.lead).toBe(say("answer.lead_faq"));
    expect(app.curation.listUnanswered({ status: "aperta" }).total).toBe(0);
    // The asker acted on an answer called uncertain: they are told it is confirmed, once.
    await app.flushNotifications();
    expect(telegram.delivered.map((n) => n.text)).toEqual([
      expect.stringContaining(noticeAfterDate("curation.notification_confirmed", faqQuestion)),
    ]);
    expect(telegram.delivered[0]?.text).not.toContain(
      noticeAfterDate("curation.notification", faqQuestion),
    );
    // A resolved group cannot be confirmed twice.
    expect(() => app.curation.confirmUncertain(groupId, anna)).toThrow(/già chiuso/);
  });

  it("keeps the other FAQ a probable answer named; confirming one of them answers with it for certain", async () => {
    env = createTestApp(makeTempDir());
    publishInailFaq(env);
    publishTirocinioFaq(env);
    const { app } = env;
    const outcome = await askFromTelegram(env, probableQuestion);
    if (outcome.kind !== "answered") throw new Error(outcome.kind);
    expect(outcome.answer.uncertain).toBe(true);
    expect(outcome.answer.faq?.id).toBe("inail-apprendistato");
    expect(outcome.answer.alsoOffered).toEqual([
      { id: "inail-tirocinio", question: tirocinioQuestion },
    ]);
    expect(outcome.answer.parts.footer).toContain(`«${tirocinioQuestion}»`);

    const groupId = app.curation.listUnanswered({ category: "uncertain" }).groups[0]?.id ?? 0;
    const item = app.curation.unansweredGroup(groupId)?.phrasings[0];
    expect(item?.given).toMatchObject({
      faq: { id: "inail-apprendistato" },
      alternatives: [{ id: "inail-tirocinio", question: tirocinioQuestion }],
    });
    await app.close();
    const shown = await sportello(env, "unanswered", "show", String(groupId));
    expect(shown).toContain(
      say("curation.cli_given_alternatives", {
        faqs: say("curation.cli_given_alternative", {
          question: tirocinioQuestion,
          id: "inail-tirocinio",
        }),
      }),
    );
    const confirmed = await sportello(
      env,
      "unanswered",
      "confirm",
      String(groupId),
      "--faq",
      "inail-tirocinio",
      "--as",
      "anna",
    );
    expect(confirmed).toContain("1 domanda confermata");

    env = createTestApp(env.dir);
    const again = await askFromTelegram(env, probableQuestion, "1002");
    if (again.kind !== "answered") throw new Error(again.kind);
    expect(again.answer.faq?.id).toBe("inail-tirocinio");
    expect(again.answer.uncertain).toBe(false);
  });

  it("a FAQ drafted from an answer to verify tells its asker when published", async () => {
    env = createTestApp(makeTempDir());
    publishInailFaq(env);
    const { app } = env;
    const telegram = new RecordingPort("telegram");
    app.registerNotifier(telegram);
    await askFromTelegram(env, probableQuestion);
    const groupId = app.curation.listUnanswered({ category: "uncertain" }).groups[0]?.id ?? 0;

    app.curation.draftFaq(
      { groupId, id: "inail-promotore", question: "Chi paga l'INAIL del tirocinante?" },
      anna,
    );
    app.curation.editFaq(
      "inail-promotore",
      { answer: "Per il tirocinio l'INAIL è a carico del soggetto promotore." },
      "risposta scritta",
      anna,
    );
    app.curation.approveFaq("inail-promotore", carla);
    const candidates = app.curation.publishCandidates("inail-promotore");
    expect(candidates).toMatchObject([
      { text: probableQuestion, matched: true, inGroup: true, uncertain: true },
    ]);
    app.curation.publishFaq("inail-promotore", carla);
    await app.flushNotifications();
    // Another FAQ than the one offered: a verified answer takes the uncertain one's place.
    expect(telegram.delivered.map((n) => n.text)).toEqual([
      expect.stringContaining(
        noticeAfterDate("curation.notification_verified", "Chi paga l'INAIL del tirocinante?"),
      ),
    ]);
    expect(app.curation.unansweredGroup(groupId)?.status).toBe("risolta");
  });

  it("publishing says which questions had no answer and which one to verify, and tells each asker in their words", async () => {
    env = createTestApp(makeTempDir());
    publishInailFaq(env);
    const { app } = env;
    const telegram = new RecordingPort("telegram");
    app.registerNotifier(telegram);
    const printer = "Come si configura la stampante dell'ufficio?";
    await askFromTelegram(env, probableQuestion, "1001");
    await askFromTelegram(env, printer, "1002");
    const toVerify = app.curation.listUnanswered({ category: "uncertain" }).groups[0]?.id ?? 0;
    const declined = app.curation.listUnanswered({ category: "unanswered" }).groups[0]?.id ?? 0;
    // A trainer judges them one topic: one group holding both kinds.
    app.curation.mergeGroups(toVerify, [declined], anna);

    app.curation.draftFaq(
      {
        groupId: toVerify,
        id: "ufficio-promotore",
        question: "Chi configura la stampante del soggetto promotore?",
        answer: "La stampante la configura l'ufficio tecnico del soggetto promotore.",
      },
      anna,
    );
    app.curation.approveFaq("ufficio-promotore", carla);
    const candidates = app.curation.publishCandidates("ufficio-promotore");
    expect(candidates.map((c) => [c.text, c.uncertain, c.inGroup])).toEqual([
      [probableQuestion, true, true],
      [printer, false, true],
    ]);
    app.curation.publishFaq(
      "ufficio-promotore",
      carla,
      undefined,
      candidates.map((c) => c.itemId),
    );
    await app.flushNotifications();
    const question = "Chi configura la stampante del soggetto promotore?";
    const byAsker = new Map(telegram.delivered.map((n) => [n.address.chatId, n.text]));
    expect(byAsker.get("1001")).toContain(
      noticeAfterDate("curation.notification_verified", question),
    );
    expect(byAsker.get("1002")).toContain(noticeAfterDate("curation.notification", question));
    expect(byAsker.get("1002")).not.toContain("verificata");
  });

  it("queues an answer from the documents under the calibrated bar with its sentence and source", async () => {
    // The shipped model's bars move each time it is refitted; this engine's "certain" bar is set
    // high so that the answer falls between its two bars whatever the fit.
    const calibration = { ...defaultCalibration, certain: 0.95 };
    env = createTestApp(makeTempDir(), {
      engine: createEngine({ corpus: testCorpus, calibration }),
    });
    const { app } = env;
    const question = "quando è stata firmata la convenzione?";
    const outcome = await askFromTelegram(env, question);
    if (outcome.kind !== "answered") throw new Error(outcome.kind);
    // Between the engine's two bars: answered (threshold), not certain (certain).
    expect(outcome.answer.source).toBe("documents");
    expect(outcome.answer.confidence).toBeGreaterThanOrEqual(calibration.threshold);
    expect(outcome.answer.confidence).toBeLessThan(calibration.certain);
    expect(outcome.answer.uncertain).toBe(true);
    expect(outcome.answer.parts.footer).toContain(say("answer.note_uncertain"));

    const groupId = app.curation.listUnanswered({ category: "uncertain" }).groups[0]?.id ?? 0;
    const item = app.curation.unansweredGroup(groupId)?.phrasings[0];
    expect(item?.given).toMatchObject({
      source: "documents",
      answer: outcome.answer.answer?.text,
      answerSource: "Convenzione Basilicata › Premesse › righe 10-19",
      faq: null,
    });
    // No FAQ was offered: confirming needs one named.
    expect(() => app.curation.confirmUncertain(groupId, anna)).toThrow(/non una FAQ/);
    app.curation.draftFaq(
      {
        id: "stipula-convenzione",
        question: "Quando è stata stipulata la convenzione con la Basilicata?",
        answer: "La convenzione ha effetto dalla data di stipula, il 10 maggio 2018.",
      },
      anna,
    );
    app.curation.approveFaq("stipula-convenzione", carla);
    // Published resolving none of the queued questions (the trainer unticked them all).
    app.curation.publishFaq("stipula-convenzione", carla, undefined, []);
    expect(app.curation.unansweredGroup(groupId)?.status).toBe("aperta");
    app.curation.confirmUncertain(groupId, anna, { faqId: "stipula-convenzione" });
    expect(app.curation.faq("stipula-convenzione")?.alternatives).toEqual([question]);
    const again = await askFromTelegram(env, question, "1002");
    expect(again.kind === "answered" && again.answer.faq?.id).toBe("stipula-convenzione");
    expect(again.kind === "answered" && again.answer.uncertain).toBe(false);
  });

  it("an answer to verify marked 'non utile' becomes a question without an answer", async () => {
    env = createTestApp(makeTempDir());
    publishInailFaq(env);
    const { app } = env;
    const outcome = await askFromTelegram(env, probableQuestion);
    if (outcome.kind !== "answered") throw new Error(outcome.kind);
    await app.feedback({
      interactionId: outcome.interactionId,
      identity: { channel: "telegram", userId: "1001" },
      kind: "non_utile",
    });
    expect(app.curation.listUnanswered({ category: "uncertain" }).total).toBe(0);
    const { groups } = app.curation.listUnanswered({ category: "unanswered" });
    expect(groups).toMatchObject([{ count: 1, uncertain: 0 }]);
    expect(app.curation.unansweredGroup(groups[0]?.id ?? 0)?.phrasings[0]?.kind).toBe("non_utile");
  });

  it("an answer to verify marked 'non utile' leaves its group to verify for the unanswered, grouped with its like", async () => {
    env = createTestApp(makeTempDir());
    publishInailFaq(env);
    const { app } = env;
    const first = await askFromTelegram(env, probableQuestion, "1001");
    const second = await askFromTelegram(env, probableQuestion, "1002");
    if (first.kind !== "answered" || second.kind !== "answered") throw new Error("declined");
    const toVerify = app.curation.listUnanswered({ category: "uncertain" }).groups;
    expect(toVerify).toMatchObject([{ count: 2, uncertain: 2 }]);
    const groupId = toVerify[0]?.id ?? 0;

    await app.feedback({
      interactionId: first.interactionId,
      identity: { channel: "telegram", userId: "1001" },
      kind: "non_utile",
    });
    // The group to verify keeps the other answer only; the question is now without an answer.
    expect(app.curation.listUnanswered({ category: "uncertain" }).groups).toMatchObject([
      { id: groupId, count: 1, uncertain: 1 },
    ]);
    const unanswered = app.curation.listUnanswered({ category: "unanswered" }).groups;
    expect(unanswered).toMatchObject([{ count: 1, uncertain: 0, label: probableQuestion }]);
    expect(unanswered[0]?.id).not.toBe(groupId);
    const regrouped = app.curation.unansweredGroup(unanswered[0]?.id ?? 0);
    expect(regrouped?.phrasings.map((p) => [p.kind, p.given])).toEqual([["non_utile", null]]);

    // The second asker says the same: the question joins the first one, and the group to verify,
    // empty, is gone.
    await app.feedback({
      interactionId: second.interactionId,
      identity: { channel: "telegram", userId: "1002" },
      kind: "non_utile",
    });
    expect(app.curation.listUnanswered({ category: "uncertain" }).total).toBe(0);
    expect(app.curation.listUnanswered({ category: "unanswered" }).groups).toMatchObject([
      { id: unanswered[0]?.id, count: 2, uncertain: 0 },
    ]);
    expect(app.curation.unansweredGroup(groupId)).toBeUndefined();
  });

  it("an answer to verify marked 'utile' stays to verify, showing the trainer it helped", async () => {
    env = createTestApp(makeTempDir());
    publishInailFaq(env);
    const { app } = env;
    const outcome = await askFromTelegram(env, probableQuestion);
    if (outcome.kind !== "answered") throw new Error(outcome.kind);
    const groupId = app.curation.listUnanswered({ category: "uncertain" }).groups[0]?.id ?? 0;
    expect(app.curation.unansweredGroup(groupId)?.phrasings[0]?.given?.helpful).toBe(false);
    await app.feedback({
      interactionId: outcome.interactionId,
      identity: { channel: "telegram", userId: "1001" },
      kind: "utile",
    });
    const item = app.curation.unansweredGroup(groupId)?.phrasings[0];
    expect(item).toMatchObject({ kind: "uncertain", given: { helpful: true } });
    await app.close();
    expect(await sportello(env, "unanswered", "show", String(groupId))).toContain(
      say("curation.cli_given_helpful"),
    );
  });

  it("the CLI lists, shows and confirms answers to verify", async () => {
    env = createTestApp(makeTempDir());
    publishInailFaq(env);
    await askFromTelegram(env, probableQuestion);
    await askFromTelegram(env, "Come si configura la stampante dell'ufficio?");
    const groupId = env.app.curation.listUnanswered({ category: "uncertain" }).groups[0]?.id ?? 0;
    await env.app.close();

    const listed = await sportello(env, "unanswered", "list", "--category", "uncertain");
    expect(listed.trim().split("\n")).toHaveLength(1);
    expect(listed).toContain(`#${groupId}`);
    expect(listed).toContain(say("curation.cli_uncertain_tag", { count: 1 }));
    expect(await sportello(env, "stats")).toContain("risposte incerte: 1");
    const all = await sportello(env, "unanswered", "list");
    expect(all).toContain("stampante");
    expect(all).toContain(probableQuestion);

    const shown = await sportello(env, "unanswered", "show", String(groupId));
    expect(shown).toContain(`FAQ proposta: «${faqQuestion}» (inail-apprendistato)`);

    const csv = await sportello(env, "unanswered", "export", "--csv", "--category", "uncertain");
    const [header, row] = csv.split("\r\n");
    expect(header?.split(",")[3]).toBe("da verificare");
    expect(row?.split(",")[3]).toBe("1");

    const confirmed = await sportello(
      env,
      "unanswered",
      "confirm",
      String(groupId),
      "--as",
      "anna",
    );
    expect(confirmed).toContain("1 domanda confermata");
    const after = await sportello(env, "unanswered", "list", "--category", "uncertain");
    expect(after).toMatch(/\[risolta\]/);
  });
});
