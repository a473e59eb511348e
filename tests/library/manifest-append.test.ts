// Adding documents appends their entries to the manifest's text instead of parsing and printing
// the whole file, when the file allows it; either way the manifest read back lists every document,
// in order, with what was given, and the trainers' comments stay. A new process reads the parsed
// manifest kept next to the index cache while the file is unchanged.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadManifest, useManifestCache } from "../../src/knowledge/manifest.js";
import type { DocumentMeta } from "../../src/knowledge/types.js";
import { appendToManifest, removeFromManifest } from "../../src/library/manifest-file.js";
import { yaml } from "../../src/yaml.js";

const added: DocumentMeta[] = [
  {
    id: "bando-gol",
    file: "documents/bando-gol.docx",
    title: "Bando GOL: tirocini # e «percorsi» 2024",
    kind: "bando",
    region: "Piemonte",
    date: "2024",
    origin: "bando-gol.docx",
    sha256: "ab".repeat(32),
  },
  {
    id: "nota",
    file: "documents/nota.md",
    title: "Nota di servizio\nsu due righe",
    kind: "circolare",
    region: null,
    date: null,
    origin: "- nota.md",
  },
];

const existing = `  - id: tirocini-marche
    file: documents/tirocini-marche.txt
    title: "Tirocini Marche"
    kind: circolare
    region: Marche
    date: "2023"
    origin: "Documento scritto per i test"
`;

const documentsOf = (text: string) =>
  (yaml().parse(text) as { documents: Array<Record<string, unknown>> }).documents;

/** What the entries read back as: the fields given, no undefined one. */
const plain = (meta: DocumentMeta) =>
  Object.fromEntries(Object.entries(meta).filter(([, value]) => value !== undefined));

describe("appendToManifest", () => {
  const shapes: Record<string, string> = {
    "indented entries, comments": `# Documents of this folder\nversion: 1\ndocuments:\n  # The first one\n${existing}  # trailing comment\n`,
    "entries in the first column": `version: 1\ndocuments:\n${existing.replace(/^ {2}/gm, "")}`,
    "no final newline": `version: 1\ndocuments:\n${existing.trimEnd()}`,
    "an empty list": "version: 1\ndocuments:\n",
    "blank lines at the end": `version: 1\ndocuments:\n${existing}\n\n`,
  };
  for (const [shape, text] of Object.entries(shapes)) {
    it(`appends to ${shape}, read back in order with every field`, () => {
      const appended = appendToManifest(text, added);
      expect(appended).toBeDefined();
      const before = documentsOf(text) ?? [];
      expect(documentsOf(appended ?? "")).toEqual([...before, ...added.map(plain)]);
      for (const line of text.split("\n").filter((l) => l.trim().startsWith("#"))) {
        expect(appended).toContain(line);
      }
    });
  }

  const refused: Record<string, string> = {
    "documents not the last key": `documents:\n${existing}version: 1\n`,
    "a flow list": "version: 1\ndocuments: []\n",
    "several YAML documents": `version: 1\ndocuments:\n${existing}---\nversion: 1\n`,
    "something else before the entries": `version: 1\ndocuments:\n  foo: bar\n`,
  };
  for (const [shape, text] of Object.entries(refused)) {
    it(`leaves ${shape} to the whole-file rendering`, () => {
      expect(appendToManifest(text, added)).toBeUndefined();
    });
  }
});

describe("the parsed manifest kept next to the index cache", () => {
  it("is read instead of the YAML while the file is unchanged, and parsed again after an edit", () => {
    const root = mkdtempSync(join(tmpdir(), "sportello-manifest-cache-"));
    try {
      const folder = (name: string) => {
        const dir = join(root, name);
        mkdirSync(dir);
        writeFileSync(join(dir, "manifest.yaml"), `version: 1\ndocuments:\n${existing}`);
        return dir;
      };
      const knowledge = folder("knowledge");
      const other = folder("other");
      const cache = join(root, "index");
      useManifestCache(cache);
      expect(loadManifest(knowledge).documents[0]?.title).toBe("Tirocini Marche");
      const [file] = readdirSync(cache);
      const path = join(cache, file ?? "");
      // The cached copy is what a new process reads: marked here, so that it shows.
      writeFileSync(path, readFileSync(path, "utf8").replace("Tirocini Marche", "Dalla cache"));
      loadManifest(other); // the in-process copy now holds another folder's manifest
      expect(loadManifest(knowledge).documents[0]?.title).toBe("Dalla cache");

      // Edited by hand (another size and time): the YAML is parsed again.
      const manifest = join(knowledge, "manifest.yaml");
      writeFileSync(manifest, readFileSync(manifest, "utf8").replace('Marche"', 'Marche 2024"'));
      expect(loadManifest(knowledge).documents[0]?.title).toBe("Tirocini Marche 2024");
    } finally {
      useManifestCache(undefined);
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("removeFromManifest", () => {
  const second = `  # The national one
  - id: patto
    file: documents/patto.md
    title: "Patto di servizio"
    kind: manuale
    region: null
    date: "2022"
    origin: "Documento scritto per i test"
`;
  const meta = (text: string, id: string) =>
    documentsOf(text).find((d) => d.id === id) as unknown as DocumentMeta;

  const shapes: Record<string, string> = {
    "the first of two, indented, with comments": `# Header\nversion: 1\ndocuments:\n${existing}${second}`,
    "the last of two": `version: 1\ndocuments:\n${second}${existing}`,
    "entries in the first column": `version: 1\ndocuments:\n${(existing + second).replace(/^ {2}/gm, "")}`,
  };
  for (const [shape, text] of Object.entries(shapes)) {
    it(`cuts ${shape}, the others and their comments kept`, () => {
      const removed = meta(text, "tirocini-marche");
      const cut = removeFromManifest(text, removed);
      expect(cut).toBeDefined();
      expect(documentsOf(cut ?? "")).toEqual(documentsOf(text).filter((d) => d.id !== removed.id));
      for (const line of text.split("\n").filter((l) => l.trim().startsWith("#"))) {
        expect(cut).toContain(line);
      }
    });
  }

  it("cuts nothing when the entry in the file is not the one removed", () => {
    const text = `version: 1\ndocuments:\n${existing}${second}`;
    const stale = { ...meta(text, "tirocini-marche"), title: "Altro titolo" };
    expect(removeFromManifest(text, stale)).toBeUndefined();
    expect(removeFromManifest(`version: 1\ndocuments: []\n`, stale)).toBeUndefined();
  });
});
