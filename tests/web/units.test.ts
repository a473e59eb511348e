// The console's small parts on their own: the line diff, CSV cells, the passwd command, the
// wiring helper used by `sportello serve`.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { verifyPassword } from "../../adapters/web/auth/passwords.js";
import { diffLines } from "../../adapters/web/diff.js";
import { consoleUsers, runConsolePasswd } from "../../adapters/web/passwd.js";
import { statsCsv } from "../../adapters/web/routes/stats.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sportello-web-units-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("diffLines", () => {
  test("marks removed and added lines and keeps the rest", () => {
    const diff = diffLines("a\nb\nc\nd", "a\nc\nx\nd");
    expect(diff).toEqual([
      { op: "same", text: "a" },
      { op: "del", text: "b" },
      { op: "same", text: "c" },
      { op: "add", text: "x" },
      { op: "same", text: "d" },
    ]);
  });

  test("two long texts that share nothing become a replacement block, not a huge table", () => {
    const before = Array.from({ length: 3000 }, (_, i) => `prima ${i}`).join("\n");
    const after = Array.from({ length: 3000 }, (_, i) => `dopo ${i}`).join("\n");
    const diff = diffLines(before, after);
    expect(diff.filter((l) => l.op === "del")).toHaveLength(3000);
    expect(diff.filter((l) => l.op === "add")).toHaveLength(3000);
  });
});

describe("statsCsv", () => {
  test("a cell that a spreadsheet would run as a formula is defused", () => {
    const counts = {
      questions: 1,
      answered: 0,
      declined: 1,
      refused: 0,
      helpful: 0,
      notHelpful: 0,
      answeredRate: 0,
      answeredHelpful: 0,
      answeredNotHelpful: 0,
      fromFaq: 0,
      uncertain: 0,
    };
    const csv = statsCsv({
      since: null,
      totals: { ...counts, helpfulRate: null, reported: 0 },
      days: [],
      byChannel: [],
      byRegion: [{ key: '=HYPERLINK("http://x")', ...counts }],
      topUnanswered: [],
      topUncertain: [],
      uncoveredTopics: [],
      regions: [],
      byFaq: [],
    });
    expect(csv).toContain(`regione,"'=HYPERLINK(""http://x"")",1,0,1,0,0.0000,0,0`);
  });
});

describe("sportello console passwd", () => {
  const config = () => ({
    dbPath: join(dir, "sportello.db"),
    roles: {
      operators: ["web:olga", "telegram:1"],
      trainers: ["web:tina"],
      coordinators: ["cli:local"],
    },
  });

  test("console users are the configuration's web: entries", () => {
    expect(consoleUsers(config())).toEqual(["olga", "tina"]);
  });

  test("a password typed twice is stored as a hash next to the database", async () => {
    const input = new PassThrough();
    input.end("una password lunga\nuna password lunga\n");
    const output = new PassThrough();
    const message = await runConsolePasswd({ config: config(), user: "tina", input, output });
    expect(message).toContain("Password di tina impostata");
    const file = JSON.parse(readFileSync(join(dir, "sportello.console-users.json"), "utf8"));
    expect(await verifyPassword("una password lunga", file.users.tina)).toBe(true);
    expect(readFileSync(join(dir, "sportello.console-users.json"), "utf8")).not.toContain(
      "una password",
    );
  });

  test("two different passwords, or an unknown user, change nothing", async () => {
    const input = new PassThrough();
    input.end("una password lunga\nun'altra password\n");
    await expect(
      runConsolePasswd({ config: config(), user: "tina", input, output: new PassThrough() }),
    ).rejects.toThrow("non coincidono");
    await expect(
      runConsolePasswd({
        config: config(),
        user: "mario",
        input: new PassThrough(),
        output: new PassThrough(),
      }),
    ).rejects.toThrow("non è un utente della console");
    expect(() => readFileSync(join(dir, "sportello.console-users.json"))).toThrow();
  });
});
