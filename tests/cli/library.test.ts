// `sportello ingest`, `remove`, `documents list|edit` end to end, as a trainer types them, on a
// knowledge folder that does not exist yet (never the live knowledge/).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDocx } from "../knowledge/office-files.js";
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
let files: string;
let knowledge: string;

beforeAll(() => {
  build = buildCli();
  home = cliHome();
  files = mkdtempSync(join(tmpdir(), "sportello-cli-files-"));
  knowledge = join(home.dir, "knowledge-nuova");
});
afterAll(() => {
  build?.remove();
  home?.remove();
  rmSync(files, { recursive: true, force: true });
});

const sportello = (...args: string[]) => runCli(build, home, ["--knowledge", knowledge, ...args]);

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(files, name);
  writeFileSync(path, bytes);
  return path;
}

const bando = buildDocx([
  { h: 1, text: "Bando borse lavoro Umbria" },
  { p: "Le borse lavoro durano quattro mesi e valgono 600 euro al mese per i disoccupati." },
]);
const bandoV2 = buildDocx([
  { h: 1, text: "Bando borse lavoro Umbria (rettifica)" },
  { p: "Le borse lavoro durano sei mesi e valgono 650 euro al mese per i disoccupati." },
]);
const manifest = () => readFileSync(join(knowledge, "manifest.yaml"), "utf8");

describe("the knowledge folder from the command line", () => {
  it("creates the manifest of a new folder with the metadata given, and refuses a duplicate", () => {
    const added = sportello(
      "ingest",
      file("bando.docx", bando),
      "--title",
      "Bando borse lavoro 2024",
      "--kind",
      "bando",
      "--region",
      "Umbria",
      "--date",
      "2024-05-02",
    );
    expect(added.stderr).not.toMatch(stackTrace);
    expect(added.status).toBe(0);
    expect(added.stderr).toContain("Aggiunto: bando (documents/bando.docx");
    expect(added.stderr).toContain("se ne accorge da solo");
    expect(manifest()).toMatch(
      /- id: bando\n\s+file: documents\/bando\.docx\n\s+title: Bando borse lavoro 2024\n\s+kind: bando\n\s+region: Umbria\n\s+date: 2024-05-02/,
    );

    const before = manifest();
    const again = sportello("ingest", file("copia.docx", bando));
    expect(again.status).toBe(2);
    expect(again.stderr).toContain(
      "«copia.docx» ha lo stesso contenuto del documento «Bando borse lavoro 2024» (id bando)",
    );
    expect(again.stderr).not.toMatch(stackTrace);
    expect(manifest()).toBe(before);
    expect(readdirSync(join(knowledge, "documents"))).toEqual(["bando.docx"]);
  });

  it("explains invalid metadata in Italian", () => {
    const short = sportello("ingest", file("altro.docx", bandoV2), "--title", "ab");
    expect(short.status).toBe(2);
    expect(short.stderr).toContain("il titolo deve avere almeno 3 caratteri");
    const kind = sportello("ingest", file("altro.docx", bandoV2), "--kind", "delibera");
    expect(kind.status).toBe(2);
    expect(kind.stderr).toContain("valori ammessi convenzione, allegato");
    expect(kind.stderr).not.toMatch(stackTrace);
  });

  it("replaces, lists, edits and removes", () => {
    const replaced = sportello("ingest", file("bando-v2.docx", bandoV2), "--replace", "bando");
    expect(replaced.status).toBe(0);
    expect(replaced.stderr).toContain("Sostituito: bando");
    expect(readFileSync(join(knowledge, "documents/bando.docx")).equals(Buffer.from(bandoV2))).toBe(
      true,
    );

    const listed = sportello("documents", "list", "--json");
    expect(listed.status).toBe(0);
    expect(
      listed.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line)),
    ).toEqual([
      expect.objectContaining({ id: "bando", kind: "bando", title: "Bando borse lavoro 2024" }),
    ]);

    const edited = sportello(
      "documents",
      "edit",
      "bando",
      "--kind",
      "avviso",
      "--title",
      "Avviso borse",
    );
    expect(edited.status).toBe(0);
    expect(manifest()).toContain("kind: avviso");
    const badDate = sportello("documents", "edit", "bando", "--date", "maggio");
    expect(badDate.status).toBe(2);
    expect(badDate.stderr).toContain("la data deve essere nel formato AAAA-MM-GG");

    const missing = sportello("remove", "non-esiste");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("Non c'è un documento con id «non-esiste»");
    const removed = sportello("remove", "bando");
    expect(removed.status).toBe(0);
    expect(removed.stderr).toContain("Tolto: bando (Avviso borse)");
    expect(existsSync(join(knowledge, "documents/bando.docx"))).toBe(false);
    // An empty manifest is valid.
    const empty = sportello("documents", "list");
    expect(empty.status).toBe(0);
    expect(empty.stdout).toBe("");
    // `ask` on it declines politely, from the index the removal left behind or from nothing.
    const asked = sportello("ask", "quanto durano le borse lavoro in Umbria?");
    expect(asked.stderr).not.toMatch(stackTrace);
    expect(asked.status).toBe(0);
    expect(asked.stdout).toContain("Non lo trovo nei documenti che conosco");

    // … and a document can be added to it again.
    expect(sportello("ingest", file("bando-v2.docx", bandoV2)).status).toBe(0);

    const audit = sportello("audit", "--action", "knowledge");
    expect(audit.status).toBe(0);
    for (const action of [
      "knowledge.add",
      "knowledge.replace",
      "knowledge.edit",
      "knowledge.remove",
    ]) {
      expect(audit.stdout).toContain(action);
    }
  });
});

describe("two `ingest` at once", () => {
  /** `sportello ingest` as a child process that runs alongside others. */
  const ingestAsync = (folder: string, paths: string[]) =>
    spawnCli(build, home, ["--knowledge", folder, "ingest", ...paths]);

  it("keeps every document of both in the manifest, which stays whole", async () => {
    const folder = join(home.dir, "knowledge-concorrente");
    const batch = (who: string) =>
      ["uno", "due", "tre"].map((n) =>
        file(
          `${who}-${n}.md`,
          `# Scheda ${who} ${n}\n\nLa scheda ${who} ${n} spiega agli operatori una procedura del centro per l'impiego.\n`,
        ),
      );
    const [first, second] = await Promise.all([
      ingestAsync(folder, batch("anna")),
      ingestAsync(folder, batch("bruno")),
    ]);
    expect(first.stderr).not.toMatch(stackTrace);
    expect(second.stderr).not.toMatch(stackTrace);
    expect([first.status, second.status]).toEqual([0, 0]);
    const listed = runCli(build, home, ["--knowledge", folder, "documents", "list", "--json"]);
    expect(listed.status).toBe(0);
    const ids = listed.stdout
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { id: string }).id)
      .sort();
    expect(ids).toEqual([
      "anna-due",
      "anna-tre",
      "anna-uno",
      "bruno-due",
      "bruno-tre",
      "bruno-uno",
    ]);
    expect(
      readdirSync(folder).filter((name) => name.includes(".tmp") || name.endsWith(".lock")),
    ).toEqual([]);
  });
});
