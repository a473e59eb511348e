// `sportello unanswered split|merge|move` and `faq publish --questions` against a real store.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, makeTempDir, runCurationCli, type TestEnv } from "./helpers.js";

let env: TestEnv;

const sportello = (...args: string[]) => runCurationCli(env, ...args);

async function group(id: number) {
  return JSON.parse(
    await sportello("unanswered", "show", String(id), "--json", "--as", "anna"),
  ) as {
    id: number;
    count: number;
    status: string;
    phrasings: Array<{ item: number; text: string }>;
  };
}

beforeAll(async () => {
  env = createTestApp(makeTempDir());
  for (const [text, user] of [
    ["Dove si ritira la Carta RdC?", "1001"],
    ["La carta RdC si ritira alle Poste?", "1002"],
    ["Quanto dura il contratto dei navigator?", "1001"],
  ] as const) {
    await env.app.ask({ text, channel: "telegram", userId: user });
  }
  await env.app.close();
});

afterAll(async () => {
  await env.cleanup();
});

describe("reshaping the queue from the command line", () => {
  it("splits, moves back and merges, then publishes resolving only the listed questions", async () => {
    const list = (await sportello("unanswered", "list", "--json", "--as", "anna"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: number; count: number; label: string });
    const carta = list.find((g) => g.count === 2)?.id ?? 0;
    const navigator = list.find((g) => g.count === 1)?.id ?? 0;
    const shown = await sportello("unanswered", "show", String(carta), "--as", "anna");
    const poste = (await group(carta)).phrasings.find((p) => p.text.includes("Poste"))?.item ?? 0;
    expect(shown).toContain(`[${poste}]`);

    const split = await sportello(
      "unanswered",
      "split",
      String(carta),
      String(poste),
      "--as",
      "anna",
    );
    const created = Number(/gruppo (\d+)\.$/.exec(split.trim())?.[1]);
    expect((await group(created)).phrasings.map((p) => p.text)).toEqual([
      "La carta RdC si ritira alle Poste?",
    ]);
    expect(
      await sportello("unanswered", "move", String(poste), String(carta), "--as", "anna"),
    ).toMatch(/spostata nel gruppo/);
    expect((await group(carta)).count).toBe(2);
    await sportello("unanswered", "merge", String(carta), String(navigator), "--as", "anna");
    expect((await group(carta)).count).toBe(3);

    await sportello(
      "faq",
      "draft",
      "--from-group",
      String(carta),
      "--id",
      "carta-rdc",
      "--question",
      "Dove si ritira la Carta RdC?",
      "--answer",
      "Presso gli uffici postali.",
      "--as",
      "anna",
    );
    await sportello("faq", "approve", "carta-rdc", "--as", "carla");
    await sportello("faq", "publish", "carta-rdc", "--questions", String(poste), "--as", "carla");
    const rest = await group(carta);
    expect(rest.status).toBe("aperta");
    expect(rest.phrasings.map((p) => p.text).sort()).toEqual([
      "Dove si ritira la Carta RdC?",
      "Quanto dura il contratto dei navigator?",
    ]);
  });
});
