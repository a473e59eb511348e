// Coordinators' figures that mean something: an answer marked "non utile" is not counted as a
// good answer, and the questions each FAQ absorbed are counted (deflection).
import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, makeTempDir, type TestEnv } from "./helpers.js";

const anna = { channel: "cli" as const, userId: "anna" };
const carla = { channel: "cli" as const, userId: "carla" };

describe("outcome and deflection figures", () => {
  let env: TestEnv | undefined;
  afterEach(async () => {
    await env?.cleanup();
    env = undefined;
  });

  it("splits answers into helpful, not helpful and unjudged, and counts answers per FAQ", async () => {
    env = createTestApp(makeTempDir());
    const { app } = env;
    app.curation.draftFaq(
      { id: "carta-rdc", question: "Dove si ritira la Carta RdC?", answer: "Alle Poste." },
      anna,
    );
    app.curation.approveFaq("carta-rdc", carla);
    app.curation.publishFaq("carta-rdc", carla);
    const rate = async (text: string, kind: "utile" | "non_utile" | null) => {
      const outcome = await app.ask({ text, channel: "telegram", userId: "1001" });
      if (kind && outcome.kind !== "refused") {
        await app.feedback({
          interactionId: outcome.interactionId,
          identity: { channel: "telegram", userId: "1001" },
          kind,
        });
      }
      return outcome.kind;
    };
    expect(await rate("Dove si ritira la Carta RdC?", "utile")).toBe("answered");
    expect(await rate("Chi firma la convenzione per la Regione Basilicata?", "non_utile")).toBe(
      "answered",
    );
    expect(await rate("Quanto dura la convenzione con la Basilicata?", null)).toBe("answered");
    expect(await rate("Come si configura la stampante dell'ufficio?", null)).toBe("declined");

    const { totals, byFaq, byChannel } = app.curation.stats();
    expect(totals).toMatchObject({
      questions: 4,
      answered: 3,
      answeredHelpful: 1,
      answeredNotHelpful: 1,
      declined: 1,
      fromFaq: 1,
    });
    expect(byFaq).toEqual([
      expect.objectContaining({ faqId: "carta-rdc", answered: 1, helpful: 1, notHelpful: 0 }),
    ]);
    expect(byChannel[0]).toMatchObject({ key: "telegram", answeredNotHelpful: 1 });
  });

  it("lists the most asked topics no published FAQ covers, with askers, by channel", async () => {
    env = createTestApp(makeTempDir());
    const { app } = env;
    const ask = async (text: string, userId: string, channel: "telegram" | "slack" = "telegram") =>
      (await app.ask({ text, channel, userId })).kind;
    const bike = "Dove si parcheggia la bicicletta?";
    const printer = "Come si configura la stampante?";
    const room = "Come si prenota la sala riunioni?";
    expect(await ask(bike, "1001")).toBe("declined");
    expect(await ask(bike, "1002")).toBe("declined");
    expect(await ask(bike, "1002")).toBe("declined");
    expect(await ask(printer, "1001")).toBe("declined");
    expect(await ask(printer, "U1", "slack")).toBe("declined");
    expect(await ask(room, "1002")).toBe("declined");
    const roomTerms = ["prenot", "riunion", "sal"];
    const terms = () => app.curation.stats({ top: 20 }).uncoveredTopics.map((t) => t.term);
    expect(terms()).toEqual(expect.arrayContaining(roomTerms));
    // The room question gets a published FAQ: its topic is covered and leaves the list.
    const roomGroup = app.curation.listUnanswered().groups.find((g) => g.label === room);
    app.curation.draftFaq(
      { id: "sala-riunioni", groupId: roomGroup?.id, answer: "Dal calendario condiviso." },
      anna,
    );
    app.curation.approveFaq("sala-riunioni", carla);
    app.curation.publishFaq("sala-riunioni", carla);

    const topics = app.curation.stats().uncoveredTopics;
    expect(topics.map((t) => [t.term, t.questions, t.askers])).toEqual([
      ["biciclett", 3, 2],
      ["parchegg", 3, 2],
      ["configur", 2, 2],
      ["stampant", 2, 2],
    ]);
    expect(topics[0]?.example).toBe(bike);
    // Coordinators read the words people wrote, not the stems.
    expect(topics.map((t) => t.label)).toEqual([
      "bicicletta",
      "parcheggia",
      "configura",
      "stampante",
    ]);
    const after = terms();
    for (const term of roomTerms) expect(after).not.toContain(term);
    const slack = app.curation.stats({ channel: "slack" }).uncoveredTopics;
    expect(slack.map((t) => [t.term, t.questions, t.askers])).toEqual([
      ["configur", 1, 1],
      ["stampant", 1, 1],
    ]);
  });
});
