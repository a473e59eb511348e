import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, makeTempDir, runCurationCli, type TestEnv } from "./helpers.js";

let env: TestEnv;
let groupId = 0;

/** Runs one `sportello …` curation command against the test database; returns its output. */
const sportello = (...args: string[]) => runCurationCli(env, ...args);

/** Every row of every table: what "nothing changed" means. */
function snapshot(): string {
  const db = new Database(env.config.dbPath, { readonly: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all() as Array<{ name: string }>;
    return JSON.stringify(
      tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}"`).all()]),
      (_, v: unknown) => (Buffer.isBuffer(v) ? v.toString("hex") : v),
    );
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  env = createTestApp(makeTempDir());
  const { app } = env;
  for (const [text, user] of [
    ["Dove si ritira la Carta RdC?", "1001"],
    ["La carta RdC si ritira alle Poste?", "1002"],
  ] as const) {
    await app.ask({ text, channel: "telegram", userId: user });
  }
  await app.ask({
    text: "Come si configura la stampante dell'ufficio?",
    channel: "telegram",
    userId: "1001",
  });
  groupId = app.curation.listUnanswered().groups[0]?.id ?? 0;
  // Closed here: the commands open their own connections, as the CLI does.
  await app.close();
});

afterAll(async () => {
  await env.cleanup();
});

describe("sportello curation commands", () => {
  it("lists and shows the unanswered queue, as text and as JSON lines", async () => {
    const text = await sportello("unanswered", "list", "--as", "anna");
    expect(text).toMatch(
      /#\d+ {2}\[aperta\] {2}2× {2}\d{4}-\d{2}-\d{2} {2}Dove si ritira la Carta RdC\?/,
    );
    const lines = (await sportello("unanswered", "list", "--json", "--as", "anna"))
      .trim()
      .split("\n");
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({ id: groupId, count: 2, status: "aperta" });
    const shown = JSON.parse(
      await sportello("unanswered", "show", String(groupId), "--json", "--as", "anna"),
    );
    expect(shown.phrasings.map((p: { text: string }) => p.text)).toEqual([
      "Dove si ritira la Carta RdC?",
      "La carta RdC si ritira alle Poste?",
    ]);
  });

  it("exports the queue as RFC 4180 CSV", async () => {
    const csv = await sportello("unanswered", "export", "--csv", "--as", "anna");
    const [header, first] = csv.split("\r\n");
    expect(header).toBe(
      "id,stato,domande,da verificare,prima,ultima,canali,regioni,esempi,faq,motivo",
    );
    // Two phrasings in one field: quoted, with the line break inside.
    expect(first).toContain('"Dove si ritira la Carta RdC?');
    expect(csv).toContain('La carta RdC si ritira alle Poste?"');
  });

  it("runs the FAQ lifecycle: draft from a group, edit, approve, publish, history", async () => {
    expect(
      await sportello(
        "faq",
        "draft",
        "--from-group",
        String(groupId),
        "--id",
        "carta-rdc",
        "--as",
        "anna",
      ),
    ).toMatch(/Bozza «carta-rdc» creata/);
    await sportello(
      "faq",
      "edit",
      "carta-rdc",
      "--answer",
      "Si ritira in qualsiasi ufficio postale.",
      "--add-alternative",
      "ritiro carta reddito",
      "--reason",
      "risposta",
      "--as",
      "anna",
    );
    await sportello("faq", "approve", "carta-rdc", "--as", "carla");
    expect(await sportello("faq", "publish", "carta-rdc", "--as", "carla")).toMatch(
      /pubblicata \(versione 4\)/,
    );
    const shown = JSON.parse(await sportello("faq", "show", "carta-rdc", "--json", "--as", "anna"));
    expect(shown).toMatchObject({ status: "pubblicata", version: 4, publishedVersion: 4, groupId });
    expect(shown.alternatives).toEqual([
      "La carta RdC si ritira alle Poste?",
      "ritiro carta reddito",
    ]);
    const history = (await sportello("faq", "history", "carta-rdc", "--json", "--as", "anna"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(history.map((v) => [v.version, v.action, v.author])).toEqual([
      [1, "bozza", "Anna Formatrice"],
      [2, "modifica", "Anna Formatrice"],
      [3, "approvata", expect.stringMatching(/^utente [0-9a-f]{8}$/)],
      [4, "pubblicata", expect.stringMatching(/^utente [0-9a-f]{8}$/)],
    ]);
    const list = await sportello("faq", "list", "--as", "anna");
    expect(list).toContain("carta-rdc  [pubblicata v4 (risponde v4)]");
    const stats = JSON.parse(await sportello("stats", "--json", "--as", "carla"));
    expect(stats.totals).toMatchObject({ questions: 3, declined: 3, answered: 0 });
    expect(stats.byChannel[0]).toMatchObject({ key: "telegram", questions: 3 });
    // The Carta RdC questions are now covered by a published FAQ; the printer is not.
    const plain = await sportello("stats", "--as", "carla");
    expect(plain).toContain("Argomenti senza risposta che nessuna FAQ pubblicata copre");
    expect(plain).toMatch(/^ {2}stampante {2}1 {2}1 {2}Come si configura la stampante/m);
    expect(plain).not.toContain("si ritira");
    const slack = await sportello("stats", "--channel", "slack", "--as", "carla");
    expect(slack).toMatch(/copre \(domande, persone\):\n {2}nessuno\n/);
  });

  it("exports FAQ as files and CSV, and imports them back unchanged", async () => {
    const dir = join(env.dir, "export");
    expect(await sportello("faq", "export", "--dir", dir, "--as", "anna")).toMatch(
      /^1 FAQ scritta/,
    );
    expect(await sportello("faq", "import", dir, "--as", "carla")).toMatch(
      /0 nuove, 0 aggiornate, 1 invariate/,
    );
    const csvPath = join(env.dir, "faq.csv");
    await sportello("faq", "export", "--csv", "--output", csvPath, "--as", "anna");
    expect(await sportello("faq", "import", csvPath, "--as", "carla")).toMatch(
      /0 nuove, 0 aggiornate, 1 invariate/,
    );
  });

  const badInputs: Array<[string, string[], RegExp]> = [
    [
      "unknown group",
      ["unanswered", "show", "999", "--as", "anna"],
      /gruppo di domande 999 non esiste/,
    ],
    [
      "group id not a number",
      ["unanswered", "show", "abc", "--as", "anna"],
      /«abc» non è un numero valido/,
    ],
    [
      "dismiss unknown group",
      ["unanswered", "dismiss", "999", "--reason", "doppione", "--as", "anna"],
      /999 non esiste/,
    ],
    [
      "dismiss without reason",
      ["unanswered", "dismiss", "1", "--reason", " ", "--as", "anna"],
      /serve un motivo/,
    ],
    [
      "dismiss by an operator",
      ["unanswered", "dismiss", "1", "--reason", "x", "--as", "telegram:1001"],
      /serve il ruolo di formatore/,
    ],
    [
      "read by someone unknown",
      ["unanswered", "list", "--as", "telegram:5555"],
      /serve il ruolo di formatore/,
    ],
    ["malformed acting user", ["faq", "list", "--as", "fax:1"], /Utente «fax:1» non valido/],
    [
      "audit read by a trainer",
      ["audit", "--as", "anna"],
      /anna non può consultare il registro attività: serve il ruolo di coordinatore/,
    ],
    [
      "audit with an unknown action",
      ["audit", "--action", "fqa", "--as", "carla"],
      /Nessuna operazione del registro inizia con «fqa»/,
    ],
    ["audit with a bad date", ["audit", "--since", "ieri", "--as", "carla"], /AAAA-MM-GG/],
    ["unknown FAQ", ["faq", "show", "nessuna", "--as", "anna"], /FAQ «nessuna» non esiste/],
    [
      "unknown FAQ version",
      ["faq", "show", "carta-rdc", "--version", "42", "--as", "anna"],
      /non ha una versione 42/,
    ],
    [
      "draft with empty question",
      ["faq", "draft", "--question", "", "--as", "anna"],
      /ha bisogno di una domanda/,
    ],
    [
      "draft from unknown group",
      ["faq", "draft", "--from-group", "999", "--as", "anna"],
      /999 non esiste/,
    ],
    [
      "draft with a bad id",
      ["faq", "draft", "--id", "Non Va", "--question", "Domanda di prova?", "--as", "anna"],
      /Id «Non Va» non valido/,
    ],
    [
      "draft of an existing id",
      ["faq", "draft", "--id", "carta-rdc", "--question", "Domanda di prova?", "--as", "anna"],
      /Esiste già una FAQ/,
    ],
    [
      "edit unknown FAQ",
      ["faq", "edit", "nessuna", "--answer", "Una risposta.", "--reason", "x", "--as", "anna"],
      /non esiste/,
    ],
    [
      "edit with no change",
      ["faq", "edit", "carta-rdc", "--reason", "niente", "--as", "anna"],
      /Nessuna modifica/,
    ],
    [
      "edit without reason",
      ["faq", "edit", "carta-rdc", "--answer", "Altra risposta.", "--reason", "", "--as", "anna"],
      /serve un motivo/,
    ],
    [
      "approve a published FAQ",
      ["faq", "approve", "carta-rdc", "--as", "carla"],
      /si approva solo una bozza/,
    ],
    ["publish unknown FAQ", ["faq", "publish", "nessuna", "--as", "carla"], /non esiste/],
    ["approve unknown FAQ", ["faq", "approve", "nessuna", "--as", "carla"], /non esiste/],
    [
      "retire unknown FAQ",
      ["faq", "retire", "nessuna", "--reason", "vecchia", "--as", "anna"],
      /non esiste/,
    ],
    [
      "a limit that is not a number",
      ["unanswered", "list", "--limit", "tanti", "--as", "anna"],
      /«tanti» non è un numero valido/,
    ],
    [
      "an unknown status",
      ["unanswered", "list", "--status", "chiusa", "--as", "anna"],
      /chiusa.*Allowed choices/i,
    ],
    ["export without a format", ["unanswered", "export", "--as", "anna"], /--csv/],
    [
      "a source without a document",
      ["faq", "draft", "--question", "Domanda di prova?", "--source", "#sezione", "--as", "anna"],
      /Fonte non valida/,
    ],
    [
      "retire without reason",
      ["faq", "retire", "carta-rdc", "--reason", "", "--as", "anna"],
      /serve un motivo/,
    ],
    ["history of unknown FAQ", ["faq", "history", "nessuna", "--as", "anna"], /non esiste/],
    [
      "import of a missing path",
      ["faq", "import", "/nonexistent/faq", "--as", "carla"],
      /Non trovo/,
    ],
    [
      "stats with a bad date",
      ["stats", "--since", "2026-13-45", "--as", "carla"],
      /Data non valida per --since/,
    ],
    [
      "purge with a bad period",
      ["purge", "--older-than", "sei mesi", "--as", "carla"],
      /Durata non valida/,
    ],
    [
      "purge by a trainer",
      ["purge", "--older-than", "180d", "--as", "anna"],
      /serve il ruolo di coordinatore/,
    ],
  ];
  for (const [what, args, message] of badInputs) {
    it(`rejects ${what} with a clear error and changes nothing`, async () => {
      const before = snapshot();
      await expect(sportello(...args)).rejects.toThrow(message);
      expect(snapshot()).toBe(before);
    });
  }

  it("rejects a FAQ file with a missing field, naming file and field, and changes nothing", async () => {
    const dir = join(env.dir, "bad-faq");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "buona.md"),
      "---\nid: buona\nquestion: Una domanda valida?\nreviewed: 2026-01-10\n---\n\nUna risposta valida.\n",
    );
    writeFileSync(
      join(dir, "senza-data.md"),
      "---\nid: senza-data\nquestion: Manca la data?\n---\n\nRisposta.\n",
    );
    const before = snapshot();
    await expect(sportello("faq", "import", dir, "--as", "carla")).rejects.toThrow(
      /senza-data\.md.*reviewed.*campo mancante/,
    );
    await expect(
      sportello("faq", "draft", "--file", join(dir, "senza-data.md"), "--as", "anna"),
    ).rejects.toThrow(/reviewed/);
    expect(snapshot()).toBe(before);
  });

  it("rejects a corrupt CSV with a clear error and changes nothing", async () => {
    const header = "id,question,alternatives,answer,sources,tags,region,reviewed\r\n";
    const cases: Array<[string, RegExp]> = [
      [
        `${header}nuova,"Domanda aperta?,,Risposta.,,,,2026-01-10\r\n`,
        /virgoletta aperta alla riga 2 non si chiude/,
      ],
      [`${header}nuova,Domanda?,,Risposta.\r\n`, /record 1 ha 4 campi invece di 8/],
      ["id,question\r\nx,y\r\n", /mancano le colonne answer, reviewed/],
      [
        `${header}nuova,Domanda valida?,,Risposta valida.,,,,10/01/2026\r\n`,
        /record 1, campo «reviewed»/,
      ],
      [
        `${header}ok-uno,Domanda valida?,,Risposta valida.,,,,2026-01-10\r\nNO ID,Domanda valida?,,Risposta valida.,,,,2026-01-10\r\n`,
        /record 2, campo «id»/,
      ],
      ["", /CSV vuoto/],
    ];
    for (const [i, [csv, message]] of cases.entries()) {
      const path = join(env.dir, `bad-${i}.csv`);
      writeFileSync(path, csv);
      const before = snapshot();
      await expect(sportello("faq", "import", path, "--as", "carla")).rejects.toThrow(message);
      expect(snapshot()).toBe(before);
    }
  });

  it("dismisses a group, which stays dismissed when the question comes back", async () => {
    const other = (
      await sportello("unanswered", "list", "--status", "aperta", "--json", "--as", "anna")
    )
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))[0];
    expect(other.label).toMatch(/stampante/);
    await sportello(
      "unanswered",
      "dismiss",
      String(other.id),
      "--reason",
      "non riguarda le politiche del lavoro",
      "--as",
      "anna",
    );
    const again = createTestApp(env.dir, { config: env.config });
    await again.app.ask({
      text: "Come si configura la stampante dell'ufficio?",
      channel: "telegram",
      userId: "1002",
    });
    await again.app.close();
    const shown = JSON.parse(
      await sportello("unanswered", "show", String(other.id), "--json", "--as", "anna"),
    );
    expect(shown).toMatchObject({
      status: "scartata",
      count: 2,
      dismissReason: "non riguarda le politiche del lavoro",
    });
  });

  it("purges old interactions as a coordinator", async () => {
    expect(await sportello("purge", "--older-than", "180d", "--as", "carla")).toMatch(
      /Cancellate le interazioni precedenti al [\d-]+: 0 interazioni/,
    );
  });

  it("shows coordinators the audit trail of the commands above, newest first, as text and JSON", async () => {
    const lines = (await sportello("audit", "--json", "--as", "carla"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((e) => [e.action, e.who, e.target])).toEqual([
      ["log.purge", "cli:carla", null],
      ["group.dismiss", "Anna Formatrice (cli:anna)", expect.stringMatching(/^\d+$/)],
      ["faq.import", "cli:carla", null],
      ["faq.import", "cli:carla", null],
      // A step and the group status it moved are written together, the step first.
      ["group.status", "cli:carla", String(groupId)],
      ["faq.publish", "cli:carla", "carta-rdc"],
      ["faq.approve", "cli:carla", "carta-rdc"],
      ["faq.edit", "Anna Formatrice (cli:anna)", "carta-rdc"],
      ["group.status", "Anna Formatrice (cli:anna)", String(groupId)],
      ["faq.draft", "Anna Formatrice (cli:anna)", "carta-rdc"],
    ]);
    expect(lines[0].detail).toMatchObject({ older_than: "180d", interactions: 0 });
    const text = await sportello("audit", "--action", "faq.publish", "--as", "carla");
    expect(text).toMatch(
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} {2}faq\.publish {2}cli:carla {2}carta-rdc {2}— versione: 4 · motivo: pubblicata · gruppo: \d+\n$/,
    );
    expect(await sportello("audit", "--action", "console", "--as", "carla")).toBe(
      "Nessuna voce nel registro attività per i filtri scelti.\n",
    );
    expect(await sportello("audit", "--limit", "2", "--as", "carla")).toMatch(
      /Mostrate 2 voci su 10: usare --limit per vederne di più\.\n$/,
    );
  });
});
