import { afterEach, describe, expect, it } from "vitest";
import { createEngine } from "../../src/answer/engine.js";
import { Thesaurus } from "../../src/search/thesaurus.js";
import { createTestApp, makeTempDir, type TestEnv, testCorpus } from "./helpers.js";

describe("grouping with the thesaurus", () => {
  let env: TestEnv | undefined;
  afterEach(async () => {
    await env?.cleanup();
    env = undefined;
  });

  it("puts an acronym and its full form in one group, and keeps another question apart", async () => {
    const thesaurus = Thesaurus.parse(
      "- [RdC, reddito di cittadinanza]\n- [CPI, centro per l'impiego]\n",
    );
    env = createTestApp(makeTempDir(), { engine: createEngine({ corpus: testCorpus, thesaurus }) });
    const { app } = env;
    const ask = (text: string, userId: string) =>
      app.ask({ text, channel: "telegram", userId, conversationId: userId });

    expect((await ask("RdC sospeso?", "1001")).kind).toBe("declined");
    expect((await ask("reddito di cittadinanza sospeso", "1002")).kind).toBe("declined");
    expect((await ask("Come si prenota un appuntamento al CPI di Matera?", "1001")).kind).toBe(
      "declined",
    );

    const { groups } = app.curation.listUnanswered();
    expect(groups.map((g) => g.count).sort()).toEqual([1, 2]);
    expect(groups.find((g) => g.count === 2)?.label).toBe("RdC sospeso?");
  });
});
