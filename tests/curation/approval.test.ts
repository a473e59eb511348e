import { afterEach, describe, expect, it } from "vitest";
import { openCuration } from "../../src/app.js";
import { isSportelloError } from "../../src/errors.js";
import { createTestApp, makeTempDir, type TestEnv } from "./helpers.js";

const anna = { channel: "cli" as const, userId: "anna" };
const bruno = { channel: "cli" as const, userId: "bruno" };
const carla = { channel: "cli" as const, userId: "carla" };
const operator = { channel: "telegram" as const, userId: "1001" };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isSportelloError(error) ? error.code : "not a SportelloError";
  }
  return undefined;
}

describe("approval policies", () => {
  let env: TestEnv | undefined;
  afterEach(async () => {
    await env?.cleanup();
    env = undefined;
  });

  it("second-trainer: another trainer approves and publishes; the author cannot", () => {
    env = createTestApp(makeTempDir(), { configOverrides: { approval: "second-trainer" } });
    const { curation } = env.app;
    curation.draftFaq(
      {
        id: "orari-cpi",
        question: "Quali sono gli orari del CPI?",
        answer: "Dal lunedì al venerdì, 9-13.",
      },
      anna,
    );
    expect(codeOf(() => curation.approveFaq("orari-cpi", anna))).toBe("FORBIDDEN");
    // Bruno edits it: now neither Anna's nor Bruno's approval is a second pair of eyes for both.
    curation.editFaq(
      "orari-cpi",
      { answer: "Dal lunedì al venerdì, dalle 9 alle 13." },
      "orario preciso",
      bruno,
    );
    expect(codeOf(() => curation.approveFaq("orari-cpi", bruno))).toBe("FORBIDDEN");
    expect(codeOf(() => curation.approveFaq("orari-cpi", anna))).toBe("FORBIDDEN");
    // A coordinator always can; an operator never can.
    expect(codeOf(() => curation.approveFaq("orari-cpi", operator))).toBe("FORBIDDEN");
    curation.approveFaq("orari-cpi", carla);
    expect(curation.publishFaq("orari-cpi", anna).status).toBe("pubblicata");
  });

  it("second-trainer: a trainer who did not write the draft approves it", () => {
    env = createTestApp(makeTempDir(), { configOverrides: { approval: "second-trainer" } });
    const { curation } = env.app;
    curation.draftFaq(
      {
        id: "orari-cpi",
        question: "Quali sono gli orari del CPI?",
        answer: "Dal lunedì al venerdì, 9-13.",
      },
      anna,
    );
    expect(curation.approveFaq("orari-cpi", bruno).status).toBe("approvata");
  });

  it("coordinator policy: trainers draft, only coordinators approve and publish; edits need a new approval", () => {
    env = createTestApp(makeTempDir());
    const { curation } = env.app;
    expect(
      codeOf(() => curation.draftFaq({ question: "Domanda di un operatore?" }, operator)),
    ).toBe("FORBIDDEN");
    const draft = curation.draftFaq(
      { question: "Quali sono gli orari del CPI?", answer: "Dal lunedì al venerdì." },
      anna,
    );
    expect(draft.id).toBe("quali-sono-gli-orari-del-cpi");
    expect(codeOf(() => curation.approveFaq(draft.id, bruno))).toBe("FORBIDDEN");
    expect(codeOf(() => curation.publishFaq(draft.id, carla))).toBe("CONFLICT");
    curation.approveFaq(draft.id, carla);
    expect(codeOf(() => curation.publishFaq(draft.id, anna))).toBe("FORBIDDEN");
    curation.publishFaq(draft.id, carla);
    // An edit of a published FAQ is a new draft; the published version keeps answering.
    const edited = curation.editFaq(
      draft.id,
      { answer: "Dal lunedì al venerdì, 9-13." },
      "orario",
      anna,
    );
    expect(edited).toMatchObject({ status: "bozza", version: 4, publishedVersion: 3 });
    expect(env.app.publishedFaqs().map((f) => [f.id, f.version, f.answer])).toEqual([
      [draft.id, 3, "Dal lunedì al venerdì."],
    ]);
  });
});

describe("acting on the version the person saw", () => {
  let env: TestEnv | undefined;
  afterEach(async () => {
    await env?.cleanup();
    env = undefined;
  });

  it("another process's change in between makes approve, publish, edit and retire a CONFLICT that writes nothing", async () => {
    env = createTestApp(makeTempDir());
    const { curation } = env.app;
    const draft = curation.draftFaq(
      { id: "orari-cpi", question: "Quali sono gli orari del CPI?", answer: "Dalle 9 alle 13." },
      anna,
    );
    // Carla looked at version 1; meanwhile Bruno, in another process (the CLI), edits it.
    const other = await openCuration({ config: env.config, log: () => {} });
    try {
      other.curation.editFaq("orari-cpi", { answer: "Dalle 9 alle 12." }, "orario ridotto", bruno);
    } finally {
      await other.close();
    }
    const audit = curation.audit().total;
    const conflict = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return isSportelloError(error) ? [error.code, error.message] : ["?", ""];
      }
      return ["none", ""];
    };
    expect(
      conflict(() => curation.approveFaq("orari-cpi", carla, undefined, draft.version)),
    ).toEqual([
      "CONFLICT",
      "Nel frattempo qualcuno ha cambiato la FAQ «orari-cpi» (ora è alla versione 2): rileggila e riprova.",
    ]);
    expect(conflict(() => curation.retireFaq("orari-cpi", "non serve", carla, 1))[0]).toBe(
      "CONFLICT",
    );
    expect(
      conflict(() => curation.editFaq("orari-cpi", { answer: "Altro." }, "altro", anna, 1))[0],
    ).toBe("CONFLICT");
    expect(curation.faq("orari-cpi")).toMatchObject({ status: "bozza", version: 2 });
    expect(curation.audit().total).toBe(audit);
    // On the version now at the head, the step goes through.
    curation.approveFaq("orari-cpi", carla, undefined, 2);
    expect(
      conflict(() => curation.publishFaq("orari-cpi", carla, undefined, undefined, 2))[0],
    ).toBe("CONFLICT");
    expect(curation.publishFaq("orari-cpi", carla, undefined, undefined, 3).status).toBe(
      "pubblicata",
    );
  });
});

describe("roles of curation actors", () => {
  let env: TestEnv | undefined;
  afterEach(async () => {
    await env?.cleanup();
    env = undefined;
  });

  it("a Slack trainer can draft when the served workspaces are listed", () => {
    env = createTestApp(makeTempDir(), {
      configOverrides: {
        roles: { trainers: ["slack:UTRAINER"], coordinators: ["cli:carla"] },
        slack: { workspaces: ["T0001"] },
      },
    });
    const trainer = { channel: "slack" as const, userId: "UTRAINER" };
    const draft = env.app.curation.draftFaq(
      { id: "orari-cpi", question: "Quali sono gli orari del CPI?", answer: "Dalle 9 alle 13." },
      trainer,
    );
    expect(draft.status).toBe("bozza");
    // Chat access still checks the workspace.
    expect(env.app.access({ channel: "slack", userId: "UTRAINER", workspaceId: "T9999" })).toEqual({
      allowed: false,
    });
  });
});
