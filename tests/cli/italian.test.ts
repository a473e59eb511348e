// The `sportello` command as a person at a terminal meets it (issue 11, items 6 and 15): help and
// usage errors in Italian, a closed pipe (`sportello audit | head`) ends quietly, an empty
// configuration file is refused before anything starts.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerCurationCommands } from "../../adapters/cli/curation-commands.js";
import { localizeProgram } from "../../adapters/cli/italian.js";
import {
  buildCli,
  type CliBuild,
  type CliHome,
  cliHome,
  runCli,
  spawnCli,
  stackTrace,
} from "./run-cli.js";

let build: CliBuild;
let home: CliHome;

beforeAll(() => {
  build = buildCli();
  home = cliHome();
});
afterAll(() => {
  home?.remove();
  build?.remove();
});

const sportello = (args: string[]) => runCli(build, home, args);

// Words that only an English help text or commander's own English would contain.
const english =
  /\b(the|of|and|for|from|with|display|Usage|Options|Arguments|Commands|default|choices|error)\b/;

describe("help", () => {
  it("lists the commands and options in Italian", () => {
    const root = sportello(["--help"]);
    expect(root.status).toBe(0);
    expect(root.stdout).toContain("Uso: sportello [opzioni] [comando]");
    expect(root.stdout).toContain("Comandi:");
    expect(root.stdout).toMatch(/ask \[opzioni\] \[domanda\.\.\.\]\s+risponde a una domanda/);
    expect(root.stdout).toContain("mostra questo aiuto");
    expect(root.stdout).not.toMatch(english);
    for (const command of [
      ["ask"],
      ["chat"],
      ["ingest"],
      ["eval"],
      ["calibrate"],
      ["serve"],
      ["console", "passwd"],
      ["faq"],
      ["faq", "draft"],
      ["unanswered", "list"],
      ["audit"],
    ]) {
      const help = sportello([...command, "--help"]);
      expect(help.status, command.join(" ")).toBe(0);
      expect(help.stdout, command.join(" ")).toContain("Opzioni:");
      // Flags stay as they are typed ("--from-group"): only the words around them are checked.
      expect(help.stdout.replace(/--?[\w-]+/g, ""), command.join(" ")).not.toMatch(english);
    }
    expect(sportello(["ingest", "--help"]).stdout).toMatch(
      /--kind <tipo>\s+tipo di documento \(valori: convenzione, allegato/,
    );
  });

  it("has an Italian text for every curation command, option and argument", () => {
    const program = new Command("sportello");
    registerCurationCommands(program, {
      open: () => {
        throw new Error("not opened in this test");
      },
    });
    expect(localizeProgram(program)).toEqual([]);
  });
});

describe("usage errors", () => {
  it("names an unknown command in Italian, suggests the near one, exits with 2", () => {
    const result = sportello(["fqa", "list"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^Errore: comando sconosciuto «fqa»: «sportello --help» elenca i comandi\. Forse intendevi «faq»\?/,
    );
    expect(result.stderr).not.toMatch(/unknown command|Did you mean/);
    expect(result.stderr).not.toMatch(stackTrace);
  });

  it("explains a missing argument, a missing option and a value not allowed, in Italian", () => {
    const missing = sportello(["faq", "show"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^Errore: manca l'argomento obbligatorio «id»\./);
    const required = sportello(["purge"]);
    expect(required.stderr).toMatch(
      /^Errore: manca l'opzione obbligatoria «--older-than <giorni>»\./,
    );
    const choice = sportello(["ingest", "--kind", "romanzo", "x.txt"]);
    expect(choice.status).toBe(2);
    expect(choice.stderr).toMatch(
      /^Errore: l'opzione «--kind <tipo>» non accetta «romanzo»: valori ammessi convenzione, /,
    );
    const option = sportello(["stats", "--sinse", "2026-01-01"]);
    expect(option.stderr).toMatch(
      /^Errore: opzione sconosciuta «--sinse»\. Forse intendevi «--since»\?/,
    );
    for (const result of [missing, required, choice, option]) {
      expect(result.stderr).not.toMatch(english);
    }
  });
});

describe("a closed pipe", () => {
  /** Runs `sportello …args` with its standard output closed before it writes, as `| head` does. */
  function intoClosedPipe(args: string[]): Promise<{ status: number | null; stderr: string }> {
    return spawnCli(build, home, args, { stdout: "closed" });
  }

  it("ends `audit` and `stats` quietly, without an EPIPE stack trace", async () => {
    for (const args of [["audit"], ["stats"], ["--help"]]) {
      const result = await intoClosedPipe(args);
      expect(result.stderr, args.join(" ")).not.toMatch(/EPIPE|Error|Errore/);
      expect(result.stderr, args.join(" ")).not.toMatch(stackTrace);
      expect(result.status, args.join(" ")).toBe(0);
    }
  });
});

describe("the configuration file", () => {
  it("refuses an empty or comment-only file before starting anything, saying so in Italian", () => {
    for (const [name, text] of [
      ["vuoto.yaml", ""],
      ["commenti.yaml", "# roles:\n#   coordinators: [web:marco]\n"],
    ] as const) {
      const file = join(home.dir, name);
      writeFileSync(file, text);
      const result = sportello(["--config", file, "serve"]);
      expect(result.status, name).toBe(2);
      expect(result.stderr, name).toContain(
        `Errore: configurazione: ${file} è vuoto o contiene solo commenti`,
      );
      expect(result.stdout, name).toBe("");
      expect(result.stderr, name).not.toMatch(/accesso\/locale|http:\/\//);
    }
  });
});
