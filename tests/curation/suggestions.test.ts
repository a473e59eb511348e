// Active learning: operators' phrasings become suggested alternatives of published FAQ; an
// accepted one answers the next paraphrase at once, a rejected one is not suggested again.
import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, makeTempDir, runCurationCli, type TestEnv } from "./helpers.js";

const anna = { channel: "cli" as const, userId: "anna" };
const carla = { channel: "cli" as const, userId: "carla" };
// Close to the FAQ by what it asks, but not answered by it before a trainer accepts the wording.
const paraphrase = "dove si ritira la tessera RdC dopo l'sms di Poste?";

async function publishCartaFaq(env: TestEnv): Promise<void> {
  const { curation } = env.app;
  curation.draftFaq(
    {
      id: "carta-rdc",
      question: "Dove si ritira la Carta RdC?",
      answer: "La Carta RdC si ritira negli uffici di Poste Italiane.",
    },
    anna,
  );
  curation.approveFaq("carta-rdc", carla);
  curation.publishFaq("carta-rdc", carla);
}

describe("suggested phrasings", () => {
  let env: TestEnv | undefined;
  afterEach(async () => {
    await env?.cleanup();
    env = undefined;
  });

  it("a queued question close to a FAQ is suggested; accepted, it answers the next paraphrase", async () => {
    env = createTestApp(makeTempDir());
    const { app } = env;
    await publishCartaFaq(env);

    const first = await app.ask({ text: paraphrase, channel: "telegram", userId: "1001" });
    expect(first.kind).toBe("declined");
    const [suggestion] = app.curation.suggestions();
    expect(suggestion).toMatchObject({ faqId: "carta-rdc", text: paraphrase, origin: "coda" });

    // An operator cannot accept it; a trainer can, in one step.
    expect(() =>
      app.curation.acceptSuggestion(suggestion?.id ?? 0, { channel: "telegram", userId: "1001" }),
    ).toThrow(/formatore/);
    const record = app.curation.acceptSuggestion(suggestion?.id ?? 0, anna);
    expect(record.alternatives).toContain(paraphrase);
    expect(record.status).toBe("pubblicata");
    expect(app.curation.faqHistory("carta-rdc").at(-1)?.reason).toBe(
      "formulazione suggerita accettata",
    );
    expect(app.curation.suggestions()).toEqual([]);

    const next = await app.ask({ text: paraphrase, channel: "telegram", userId: "1002" });
    expect(next.kind).toBe("answered");
    if (next.kind === "answered") expect(next.answer.faq?.id).toBe("carta-rdc");
  });

  it("an answer from a FAQ marked utile suggests its wording; a rejected one is not suggested again", async () => {
    env = createTestApp(makeTempDir());
    const { app } = env;
    await publishCartaFaq(env);
    const asked = await app.ask({
      text: "dove si ritira la carta rdc??",
      channel: "telegram",
      userId: "1001",
    });
    expect(asked.kind).toBe("answered");
    const id = asked.kind === "answered" ? asked.interactionId : 0;
    // The same words as the FAQ's question: nothing new to learn.
    await app.feedback({
      interactionId: id,
      identity: { channel: "telegram", userId: "1001" },
      kind: "utile",
    });
    expect(app.curation.suggestions()).toEqual([]);

    const other = await app.ask({
      text: "la Carta RdC dove si ritira?",
      channel: "telegram",
      userId: "1002",
    });
    expect(other.kind).toBe("answered");
    const otherId = other.kind === "answered" ? other.interactionId : 0;
    await app.feedback({
      interactionId: otherId,
      identity: { channel: "telegram", userId: "1002" },
      kind: "utile",
    });
    const [suggestion] = app.curation.suggestions("carta-rdc");
    expect(suggestion).toMatchObject({ text: "la Carta RdC dove si ritira?", origin: "utile" });
    app.curation.rejectSuggestion(suggestion?.id ?? 0, anna);
    await app.feedback({
      interactionId: otherId,
      identity: { channel: "telegram", userId: "1001" },
      kind: "utile",
    });
    expect(app.curation.suggestions()).toEqual([]);
    expect(app.curation.faq("carta-rdc")?.alternatives).toEqual([]);
  });
});

describe("suggested phrasings from the command line", () => {
  it("lists, accepts and rejects", async () => {
    const env = createTestApp(makeTempDir());
    try {
      await publishCartaFaq(env);
      await env.app.ask({ text: paraphrase, channel: "telegram", userId: "1001" });
      await env.app.ask({
        text: "carta rdc: ufficio per il ritiro e attivazione del pin dopo l'approvazione della domanda?",
        channel: "telegram",
        userId: "1002",
      });
      const run = (...args: string[]) => runCurationCli(env, ...args);
      const listed = await run("faq", "suggestions", "--as", "anna");
      const numbers = [...listed.matchAll(/^\[(\d+)\]/gm)].map((m) => m[1] ?? "");
      expect(numbers.length).toBeGreaterThanOrEqual(1);
      expect(await run("faq", "accept", numbers[0] ?? "", "--as", "anna")).toMatch(
        /Formulazione aggiunta alla FAQ «carta-rdc»/,
      );
      if (numbers[1]) {
        expect(await run("faq", "reject", numbers[1], "--as", "anna")).toMatch(/rifiutato/);
      }
      expect(await run("faq", "suggestions", "--as", "anna")).toMatch(/Nessuna formulazione/);
    } finally {
      await env.cleanup();
    }
  });
});
