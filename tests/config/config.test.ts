import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveAccess } from "../../src/config/access.js";
import { loadConfig } from "../../src/config/load.js";
import { isSportelloError } from "../../src/errors.js";

let dir: string;
let logged: string[];
const load = (env: Record<string, string> = {}, extra: Parameters<typeof loadConfig>[0] = {}) =>
  loadConfig({ env, cwd: dir, log: (line) => logged.push(line), ...extra });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sportello-config-"));
  logged = [];
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function errorOf(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error("expected an error");
}

describe("loadConfig", () => {
  it("works with no configuration at all: defaults, a generated secret, the local CLI user in charge", () => {
    const config = load();
    expect(config.dbPath).toBe(join(dir, "data", "sportello.db"));
    expect(config.knowledgeDir).toBe(join(dir, "knowledge"));
    expect(config.console).toEqual({ port: 8080, host: "127.0.0.1" });
    expect(config.slack.port).toBe(3000);
    expect(config.approval).toBe("coordinator");
    expect(config.file).toBeNull();

    // The secret is created once, private, announced in the log, and reused afterwards.
    const secretFile = join(dir, "data", "secret");
    expect(config.secretSource).toBe("generated");
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(secretFile, "utf8").trim()).toBe(config.secret);
    expect(logged.join("\n")).toMatch(/generata una chiave in .*secret \(permessi 0600\)/);
    const again = load();
    expect(again.secret).toBe(config.secret);
    expect(again.secretSource).toBe("secret-file");

    expect(resolveAccess(config, { channel: "cli", userId: "local" })).toEqual({
      allowed: true,
      roles: ["operator", "trainer", "coordinator"],
    });
    expect(resolveAccess(config, { channel: "telegram", userId: "1" })).toEqual({ allowed: false });
  });

  it("reads a YAML file, with environment variables winning over it", () => {
    writeFileSync(
      join(dir, "sportello.config.yaml"),
      [
        "db: db/qui.db",
        "approval: second-trainer",
        "roles:",
        "  trainers: ['telegram:42']",
        "slack:",
        "  port: 3100",
        "  botToken: xoxb-dal-file",
        "telegram:",
        "  chats: [-1001234]",
      ].join("\n"),
    );
    const config = load({
      SPORTELLO_SECRET: "s".repeat(20),
      SLACK_BOT_TOKEN: "xoxb-da-env",
      CONSOLE_PORT: "9090",
    });
    expect(config.file).toBe(join(dir, "sportello.config.yaml"));
    expect(config.dbPath).toBe(join(dir, "db", "qui.db"));
    expect(config.slack).toMatchObject({ port: 3100, botToken: "xoxb-da-env" });
    expect(config.console.port).toBe(9090);
    expect(config.telegram.chats).toEqual(["-1001234"]);
    expect(config.secretSource).toBe("env");
    expect(config.approval).toBe("second-trainer");
  });

  it("reads a JSON file named by SPORTELLO_CONFIG and applies command-line overrides last", () => {
    const file = join(dir, "altro.json");
    writeFileSync(file, JSON.stringify({ web: { open: true }, knowledge: "kb" }));
    const config = load(
      { SPORTELLO_CONFIG: file, SPORTELLO_DB: "env.db", SPORTELLO_SECRET: "s".repeat(20) },
      { overrides: { db: join(dir, "flag.db") } },
    );
    expect(config.web.open).toBe(true);
    expect(config.knowledgeDir).toBe(join(dir, "kb"));
    expect(config.dbPath).toBe(join(dir, "flag.db"));
  });

  const invalid: Array<[string, () => unknown, RegExp]> = [
    [
      "a port that is not a number",
      () => load({ SLACK_PORT: "tremila" }),
      /SLACK_PORT deve essere un numero di porta \(1-65535\) \(valore: "tremila"\)/,
    ],
    [
      "a console port out of range",
      () => load({ CONSOLE_PORT: "70000" }),
      /CONSOLE_PORT deve essere un numero di porta/,
    ],
    [
      "a webhook URL that is not a URL",
      () => load({ TELEGRAM_WEBHOOK_URL: "non-un-url" }),
      /TELEGRAM_WEBHOOK_URL/,
    ],
    [
      "a short secret, without echoing it",
      () => load({ SPORTELLO_SECRET: "corto" }),
      /^(?!.*corto).*SPORTELLO_SECRET: .*16 caratteri/,
    ],
    [
      "an unknown role entry",
      () => {
        writeFileSync(join(dir, "sportello.config.yaml"), "roles:\n  trainers: ['mario']\n");
        return load();
      },
      /roles\.trainers\.0: utente: scrivere "canale:id"/,
    ],
    [
      "an unknown key",
      () => {
        writeFileSync(join(dir, "sportello.config.yaml"), "aproval: coordinator\n");
        return load();
      },
      /sportello\.config\.yaml: \(radice\)|aproval/,
    ],
    [
      "broken YAML",
      () => {
        writeFileSync(join(dir, "sportello.config.yaml"), "roles: [\n");
        return load();
      },
      /sportello\.config\.yaml non è leggibile/,
    ],
    [
      "an empty file",
      () => {
        writeFileSync(join(dir, "sportello.config.yaml"), "\n  \n");
        return load();
      },
      /sportello\.config\.yaml è vuoto o contiene solo commenti/,
    ],
    [
      "a file with only comments",
      () => {
        writeFileSync(
          join(dir, "sportello.config.yaml"),
          "# roles:\n#   coordinators: [web:marco]\n# console: { port: 9000 }\n",
        );
        return load();
      },
      /sportello\.config\.yaml è vuoto o contiene solo commenti: scrivere le impostazioni/,
    ],
    [
      "an empty JSON file named by SPORTELLO_CONFIG",
      () => {
        writeFileSync(join(dir, "conf.json"), "");
        return load({ SPORTELLO_CONFIG: "conf.json" });
      },
      /conf\.json è vuoto o contiene solo commenti/,
    ],
    [
      "a missing explicit file",
      () => load({}, { file: "manca.yaml" }),
      /impossibile leggere .*manca\.yaml/,
    ],
  ];
  for (const [what, fn, message] of invalid) {
    it(`rejects ${what} with a message naming it`, () => {
      const error = errorOf(fn);
      expect(isSportelloError(error) && error.code).toBe("CONFIG_INVALID");
      expect(error.message).toMatch(message);
    });
  }
});

describe("access rules", () => {
  const config = () =>
    load(
      { SPORTELLO_SECRET: "s".repeat(20) },
      {
        overrides: {
          roles: { operators: ["telegram:1"], trainers: ["slack:U2"], coordinators: ["cli:carla"] },
          telegram: { chats: ["-100555"] },
          slack: { workspaces: ["T1"], channels: ["C9"] },
        },
      },
    );

  it("gives named users their roles, nested, anywhere on their channel", () => {
    const c = config();
    expect(resolveAccess(c, { channel: "telegram", userId: "1", chatId: "1" })).toEqual({
      allowed: true,
      roles: ["operator"],
    });
    expect(resolveAccess(c, { channel: "slack", userId: "U2", workspaceId: "T1" })).toEqual({
      allowed: true,
      roles: ["operator", "trainer"],
    });
    expect(resolveAccess(c, { channel: "cli", userId: "carla" })).toEqual({
      allowed: true,
      roles: ["operator", "trainer", "coordinator"],
    });
  });

  it("serves members of listed chats and channels as operators, refuses everyone else", () => {
    const c = config();
    expect(resolveAccess(c, { channel: "telegram", userId: "77", chatId: "-100555" })).toEqual({
      allowed: true,
      roles: ["operator"],
    });
    expect(resolveAccess(c, { channel: "telegram", userId: "77", chatId: "77" })).toEqual({
      allowed: false,
    });
    expect(
      resolveAccess(c, { channel: "slack", userId: "U7", chatId: "C9", workspaceId: "T1" }),
    ).toEqual({ allowed: true, roles: ["operator"] });
    expect(resolveAccess(c, { channel: "web", userId: "alice" })).toEqual({ allowed: false });
  });

  it("refuses another Slack workspace even for a named user", () => {
    expect(
      resolveAccess(config(), { channel: "slack", userId: "U2", workspaceId: "T-altro" }),
    ).toEqual({ allowed: false });
  });

  it("keeps the local CLI user in charge unless the configuration names cli:local itself", () => {
    expect(resolveAccess(config(), { channel: "cli", userId: "local" })).toEqual({
      allowed: true,
      roles: ["operator", "trainer", "coordinator"],
    });
    const limited = load(
      { SPORTELLO_SECRET: "s".repeat(20) },
      { overrides: { roles: { operators: ["cli:local"] } } },
    );
    expect(resolveAccess(limited, { channel: "cli", userId: "local" })).toEqual({
      allowed: true,
      roles: ["operator"],
    });
    expect(resolveAccess(limited, { channel: "cli", userId: "mario" })).toEqual({ allowed: false });
  });
});
