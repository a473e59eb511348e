// Documents outside the knowledge folder are never indexed: a manifest entry with "..", a
// symbolic link inside documents/ pointing elsewhere, and `ingest` of a link to /etc/passwd.
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadKnowledge } from "../../src/knowledge/knowledge.js";
import { createLibrary } from "../../src/library/library.js";
import { openStore } from "../../src/store/store.js";

const fixtures = join(import.meta.dirname, "../fixtures/knowledge");
let root: string;
let dir: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "sportello-outside-"));
  dir = join(root, "knowledge");
  mkdirSync(join(dir, "documents"), { recursive: true });
  copyFileSync(join(fixtures, "convenzione-esempio.txt"), join(dir, "documents/conv.txt"));
  writeFileSync(
    join(root, "segreto.txt"),
    "Documento riservato fuori dalla cartella.\n\nContiene la parola zibaldone riservatissimo.\n",
  );
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const entry = (id: string, file: string) =>
  `  - id: ${id}\n    file: ${file}\n    title: ${id}\n    kind: altro\n    region: null\n    date: null\n    origin: test`;

describe("the knowledge folder's boundary", () => {
  it("skips manifest entries and links that lead outside it", async () => {
    symlinkSync(join(root, "segreto.txt"), join(dir, "documents/collegamento.txt"));
    symlinkSync("/etc/passwd", join(dir, "documents/passwd.txt"));
    writeFileSync(
      join(dir, "manifest.yaml"),
      `version: 1\ndocuments:\n${[
        entry("conv", "documents/conv.txt"),
        entry("fuori", "../segreto.txt"),
        entry("collegamento", "documents/collegamento.txt"),
        entry("passwd", "documents/passwd.txt"),
      ].join("\n")}\n`,
    );
    const result = await loadKnowledge(dir);
    expect(result.documents.map((d) => d.meta.id)).toEqual(["conv"]);
    expect(result.errors.map((e) => e.message).join("\n")).toMatch(
      /segreto\.txt.*fuori dalla cartella della conoscenza/,
    );
    expect(result.errors).toHaveLength(3);
    const text = result.documents.flatMap((d) => d.passages.map((p) => p.text)).join("\n");
    expect(text).not.toContain("zibaldone");
    expect(text).not.toContain("root:");
  });

  it("refuses to ingest a symbolic link to /etc/passwd", async () => {
    symlinkSync("/etc/passwd", join(root, "utenti.txt"));
    const store = openStore({
      path: join(root, "db.sqlite"),
      secret: "segreto-di-prova-0123456789",
    });
    try {
      const library = createLibrary({ knowledgeDir: dir, store });
      const result = await library.ingest({
        items: [{ path: join(root, "utenti.txt") }],
        actor: { channel: "cli", userId: "local" },
      });
      expect(result.ingested).toEqual([]);
      expect(result.failed.map((f) => f.message).join("\n")).toMatch(
        /utenti\.txt.*collegamento simbolico/,
      );
      expect(() => readFileSync(join(dir, "documents/utenti.txt"))).toThrow();
    } finally {
      store.close();
    }
  });
});
