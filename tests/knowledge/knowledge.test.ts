import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isSportelloError } from "../../src/errors.js";
import { serializeFaq } from "../../src/knowledge/faq.js";
import {
  fingerprintKnowledge,
  loadKnowledge,
  loadPassagesJsonl,
} from "../../src/knowledge/knowledge.js";
import { loadManifest } from "../../src/knowledge/manifest.js";

const fixtures = join(import.meta.dirname, "../fixtures/knowledge");
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sportello-kb-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeManifest(documents: Array<Record<string, unknown>>) {
  const entries = documents.map((d) =>
    Object.entries({ kind: "altro", region: null, date: null, origin: "test", ...d })
      .map(([k, v], i) => `${i === 0 ? "  - " : "    "}${k}: ${JSON.stringify(v)}`)
      .join("\n"),
  );
  writeFileSync(join(dir, "manifest.yaml"), `version: 1\ndocuments:\n${entries.join("\n")}\n`);
}

describe("loadKnowledge with a manifest", () => {
  it("reports a corrupt PDF, a binary file and an empty file, and loads the rest", async () => {
    mkdirSync(join(dir, "documents"));
    copyFileSync(join(fixtures, "convenzione-esempio.txt"), join(dir, "documents/conv.txt"));
    writeFileSync(
      join(dir, "documents/rotto.pdf"),
      "%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage",
    );
    writeFileSync(
      join(dir, "documents/binario.txt"),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]),
    );
    writeFileSync(join(dir, "documents/vuoto.md"), "  \n\n");
    writeManifest([
      { id: "conv", file: "documents/conv.txt", title: "Convenzione Molise", region: "Molise" },
      { id: "rotto", file: "documents/rotto.pdf", title: "PDF rotto" },
      { id: "binario", file: "documents/binario.txt", title: "Binario" },
      { id: "vuoto", file: "documents/vuoto.md", title: "Vuoto" },
    ]);
    const progress: string[] = [];
    const reported: string[] = [];
    const result = await loadKnowledge(dir, {
      onProgress: (done, total, file) => progress.push(`${done}/${total} ${file}`),
      onError: (error) => reported.push(error.code),
    });
    expect(result.documents.map((d) => d.meta.id)).toEqual(["conv"]);
    expect(result.documents[0]?.meta.region).toBe("Molise");
    expect(result.errors).toHaveLength(3);
    expect(reported).toEqual(["DOCUMENT_UNREADABLE", "DOCUMENT_UNREADABLE", "DOCUMENT_UNREADABLE"]);
    const messages = result.errors.map((e) => e.message).join("\n");
    expect(messages).toContain("«rotto.pdf»");
    expect(messages).toContain("«binario.txt» non leggibile: il file non è testo");
    expect(messages).toContain("«vuoto.md» non leggibile: il file è vuoto");
    expect(progress).toEqual(["1/4 conv.txt", "2/4 rotto.pdf", "3/4 binario.txt", "4/4 vuoto.md"]);
  });

  it("reports a document listed in the manifest but missing on disk", async () => {
    writeManifest([{ id: "manca", file: "documents/manca.txt", title: "Documento mancante" }]);
    const result = await loadKnowledge(dir);
    expect(result.documents).toEqual([]);
    expect(result.errors[0]?.message).toContain("«manca.txt» non leggibile: il file non esiste");
  });

  it("refuses an invalid manifest naming the file and the field", async () => {
    writeManifest([{ id: "Doc Uno", file: "a.txt", title: "Titolo valido" }]);
    try {
      loadManifest(dir);
      expect.unreachable();
    } catch (error) {
      expect(isSportelloError(error) && error.code).toBe("KNOWLEDGE_INVALID");
      expect((error as Error).message).toContain("manifest.yaml");
      expect((error as Error).message).toContain("documents.0.id");
    }
    await expect(loadKnowledge(dir)).rejects.toThrow(/documents\.0\.id/);
  });

  it("skips a bad FAQ file and keeps the good ones", async () => {
    mkdirSync(join(dir, "faq"));
    writeManifest([{ id: "conv", file: "conv.txt", title: "Convenzione" }]);
    copyFileSync(join(fixtures, "convenzione-esempio.txt"), join(dir, "conv.txt"));
    writeFileSync(
      join(dir, "faq/buona.md"),
      serializeFaq({
        id: "buona",
        question: "Chi firma la convenzione?",
        alternatives: [],
        answer: "La dott.ssa Anna Bianchi per la Regione.",
        sources: [{ document: "conv" }],
        tags: [],
        region: "Molise",
        reviewed: "2025-01-20",
      }),
    );
    writeFileSync(join(dir, "faq/rotta.md"), "---\nid: rotta\n---\nRisposta senza domanda.\n");
    writeFileSync(join(dir, "faq/README.md"), "# Istruzioni, non una FAQ\n");
    const result = await loadKnowledge(dir);
    expect(result.faqs.map((f) => f.id)).toEqual(["buona"]);
    expect(result.errors.map((e) => e.message)).toEqual([expect.stringContaining("«rotta.md»")]);
  });
});

describe("loadKnowledge on a folder without manifest", () => {
  it("infers titles from the first heading and regions only from titles", async () => {
    copyFileSync(join(fixtures, "guida-esempio.md"), join(dir, "guida.md"));
    copyFileSync(join(fixtures, "rapporto-intestazioni.txt"), join(dir, "rapporto_umbria.txt"));
    writeFileSync(join(dir, "note.csv"), "a,b\n");
    const result = await loadKnowledge(dir);
    expect(result.errors).toEqual([]);
    const byId = Object.fromEntries(result.documents.map((d) => [d.meta.id, d.meta]));
    expect(byId.guida).toMatchObject({
      title: "Guida operativa ai servizi per l'impiego",
      kind: "altro",
      region: null,
    });
    expect(byId["rapporto-umbria"]).toMatchObject({
      title: "Regione Umbria - Rapporto sui servizi per il lavoro 2021",
      region: "Umbria",
    });
  });
});

describe("loadPassagesJsonl", () => {
  it("keeps each passage as it is and makes one document per title", () => {
    const file = join(dir, "passages.jsonl");
    writeFileSync(
      file,
      [
        { id: "a1", title: "Crisi energetica", text: "La crisi del 1973 iniziò in ottobre." },
        { id: "a2", title: "Crisi energetica", text: "Il prezzo del petrolio salì." },
        { id: "b1", title: "Roma", text: "Roma è la capitale d'Italia." },
      ]
        .map((row) => JSON.stringify(row))
        .join("\n"),
    );
    const documents = loadPassagesJsonl(file);
    expect(documents.map((d) => [d.meta.title, d.passages.map((p) => p.id)])).toEqual([
      ["Crisi energetica", ["a1", "a2"]],
      ["Roma", ["b1"]],
    ]);
    expect(documents[0]?.passages[1]?.text).toBe("Il prezzo del petrolio salì.");
  });

  it("names the line of a malformed row", () => {
    const file = join(dir, "bad.jsonl");
    writeFileSync(file, `${JSON.stringify({ id: "a", title: "T", text: "x" })}\n{"id": "b"}\n`);
    expect(() => loadPassagesJsonl(file)).toThrow(/bad\.jsonl.*riga 2/);
  });
});

describe("fingerprintKnowledge", () => {
  it("changes when a document, a FAQ or the thesaurus changes, and only then", () => {
    writeManifest([{ id: "conv", file: "conv.txt", title: "Convenzione" }]);
    writeFileSync(join(dir, "conv.txt"), "ARTICOLO 1\nOggetto\n\nTesto della convenzione.\n");
    const first = fingerprintKnowledge(dir);
    expect(fingerprintKnowledge(dir)).toBe(first);
    writeFileSync(join(dir, "conv.txt"), "ARTICOLO 1\nOggetto\n\nTesto modificato.\n");
    const second = fingerprintKnowledge(dir);
    expect(second).not.toBe(first);
    mkdirSync(join(dir, "faq"));
    writeFileSync(join(dir, "faq/una.md"), "---\nid: una\n---\n");
    const third = fingerprintKnowledge(dir);
    expect(third).not.toBe(second);
    writeFileSync(join(dir, "thesaurus.yaml"), "cpi: [centro per l'impiego]\n");
    expect(fingerprintKnowledge(dir)).not.toBe(third);
  });
});
