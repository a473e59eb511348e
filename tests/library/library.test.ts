// The core library on a temporary knowledge folder and store: a new folder gets a manifest, an
// empty manifest is valid, the same bytes are refused, --replace keeps the id, remove and edit
// change the manifest, every refusal is an Italian sentence, and each change is audited once and
// reaches the engine through the one hook.
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createActorCheck, localActor } from "../../src/curation/actors.js";
import { isSportelloError } from "../../src/errors.js";
import { loadKnowledge } from "../../src/knowledge/knowledge.js";
import { loadManifest } from "../../src/knowledge/manifest.js";
import type { Corpus } from "../../src/knowledge/types.js";
import { applyToCorpus } from "../../src/library/corpus.js";
import { createLibrary, type DocumentChanges, type Library } from "../../src/library/library.js";
import { openStore, type Store } from "../../src/store/store.js";
import { buildDocx } from "../knowledge/office-files.js";

let dir: string;
let knowledge: string;
let store: Store;
let changes: DocumentChanges[];
let library: Library;

const bando = buildDocx([
  { h: 1, text: "Bando tirocini 2024" },
  {
    p: "Il bando finanzia tirocini extracurricolari di sei mesi per giovani disoccupati residenti.",
  },
  { h: 2, text: "Chi può partecipare?" },
  { p: "I giovani tra 18 e 29 anni iscritti al centro per l'impiego." },
]);
const bandoV2 = buildDocx([
  { h: 1, text: "Bando tirocini 2024 (rettifica)" },
  {
    p: "Il bando finanzia tirocini extracurricolari di otto mesi per giovani disoccupati residenti.",
  },
]);

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, "uploads", name);
  writeFileSync(path, bytes);
  return path;
}

async function expectRefusal(promise: Promise<unknown>, code: string, message: RegExp) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isSportelloError(error), "a SportelloError").toBe(true);
  expect((error as { code: string }).code).toBe(code);
  expect((error as Error).message).toMatch(message);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sportello-library-"));
  knowledge = join(dir, "knowledge-nuova");
  mkdirSync(join(dir, "uploads"));
  store = openStore({ path: join(dir, "db.sqlite"), secret: "segreto-di-prova-0123456789abcdef" });
  changes = [];
  library = createLibrary({
    knowledgeDir: knowledge,
    store,
    actors: createActorCheck({
      roles: { operators: ["telegram:7"], trainers: [], coordinators: [] },
      rolesUnconfigured: false,
    } as never),
    applyChanges: (change) => {
      changes.push(change);
    },
  });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const actions = () =>
  store.audit
    .list()
    .entries.map((e) => `${e.action} ${e.target}`)
    .reverse();

describe("the library", () => {
  it("creates the manifest of a new folder with the metadata given", async () => {
    const result = await library.ingest({
      items: [
        {
          path: file("bando.docx", bando),
          meta: {
            title: "Bando tirocini Umbria",
            kind: "bando",
            region: "Umbria",
            date: "2024-03-01",
          },
        },
      ],
      actor: localActor,
    });
    expect(result.failed).toEqual([]);
    expect(result.ingested).toEqual([
      expect.objectContaining({ id: "bando", file: "documents/bando.docx", replaced: false }),
    ]);
    const manifest = loadManifest(knowledge);
    expect(manifest.documents).toEqual([
      expect.objectContaining({
        id: "bando",
        title: "Bando tirocini Umbria",
        kind: "bando",
        region: "Umbria",
        date: "2024-03-01",
        origin: "bando.docx",
        sha256: expect.stringMatching(/^[a-f0-9]{64}$/),
      }),
    ]);
    expect(readFileSync(join(knowledge, "documents/bando.docx")).equals(Buffer.from(bando))).toBe(
      true,
    );
    expect(actions()).toEqual(["knowledge.add bando"]);
    expect(changes).toHaveLength(1);
    expect(changes[0]?.added.map((d) => d.meta.id)).toEqual(["bando"]);
    expect(
      changes[0]?.added[0]?.passages.some((p) => p.breadcrumb.at(-1) === "Chi può partecipare?"),
    ).toBe(true);
  });

  it("accepts an empty manifest, and an empty manifest file", async () => {
    mkdirSync(knowledge);
    writeFileSync(join(knowledge, "manifest.yaml"), "version: 1\ndocuments:\n");
    expect(loadManifest(knowledge).documents).toEqual([]);
    expect((await loadKnowledge(knowledge)).errors).toEqual([]);
    writeFileSync(join(knowledge, "manifest.yaml"), "");
    expect(loadManifest(knowledge).documents).toEqual([]);
    expect(library.list()).toEqual([]);
  });

  it("refuses the same content under another name, and changes nothing", async () => {
    await library.ingest({ items: [{ path: file("bando.docx", bando) }], actor: localActor });
    const manifestBefore = readFileSync(join(knowledge, "manifest.yaml"), "utf8");
    const second = await library.ingest({
      items: [{ path: file("copia.docx", bando) }],
      actor: localActor,
    });
    expect(second.ingested).toEqual([]);
    expect(second.failed[0]?.message).toMatch(
      /«copia\.docx» ha lo stesso contenuto del documento «Bando tirocini 2024» \(id bando\)/,
    );
    expect(readFileSync(join(knowledge, "manifest.yaml"), "utf8")).toBe(manifestBefore);
    expect(readdirSync(join(knowledge, "documents"))).toEqual(["bando.docx"]);
    expect(actions()).toEqual(["knowledge.add bando"]);
  });

  it("replaces a document under its id, keeping the metadata not given", async () => {
    await library.ingest({
      items: [{ path: file("bando.docx", bando), meta: { kind: "bando", region: "Umbria" } }],
      actor: localActor,
    });
    const result = await library.ingest({
      items: [{ path: file("bando-rettifica.docx", bandoV2) }],
      replace: "bando",
      actor: localActor,
    });
    expect(result.ingested).toEqual([expect.objectContaining({ id: "bando", replaced: true })]);
    const [meta] = loadManifest(knowledge).documents;
    expect(meta).toMatchObject({
      id: "bando",
      kind: "bando",
      region: "Umbria",
      title: "Bando tirocini 2024",
    });
    expect(readFileSync(join(knowledge, meta?.file ?? "")).equals(Buffer.from(bandoV2))).toBe(true);
    expect(changes[1]?.removedDocumentIds).toEqual(["bando"]);
    expect(changes[1]?.added[0]?.passages[0]?.text).toContain("otto mesi");
    await expectRefusal(
      library.ingest({
        items: [{ path: file("x.docx", bandoV2) }],
        replace: "bando",
        actor: localActor,
      }),
      "CONFLICT",
      /è identico al documento bando/,
    );
    await expectRefusal(
      library.ingest({
        items: [{ path: file("y.docx", bando) }],
        replace: "manca",
        actor: localActor,
      }),
      "NOT_FOUND",
      /Non c'è un documento con id «manca» nel manifesto\. Documenti presenti: bando\./,
    );
    expect(actions()).toEqual(["knowledge.add bando", "knowledge.replace bando"]);
  });

  it("removes a document and its file", async () => {
    await library.ingest({ items: [{ path: file("bando.docx", bando) }], actor: localActor });
    const removed = await library.remove("bando", localActor);
    expect(removed.id).toBe("bando");
    expect(loadManifest(knowledge).documents).toEqual([]);
    expect(readdirSync(join(knowledge, "documents"))).toEqual([]);
    expect(changes.at(-1)).toMatchObject({ added: [], removedDocumentIds: ["bando"] });
    expect(actions()).toEqual(["knowledge.add bando", "knowledge.remove bando"]);
  });

  it("edits metadata and explains every invalid field in Italian", async () => {
    await library.ingest({ items: [{ path: file("bando.docx", bando) }], actor: localActor });
    const edited = await library.edit(
      "bando",
      { title: "Bando GOL tirocini", kind: "avviso" },
      localActor,
    );
    expect(edited).toMatchObject({ title: "Bando GOL tirocini", kind: "avviso" });
    expect(loadManifest(knowledge).documents[0]).toMatchObject({ title: "Bando GOL tirocini" });
    expect(changes.at(-1)?.edited.map((d) => d.title)).toEqual(["Bando GOL tirocini"]);

    const refusals: Array<[Record<string, string>, RegExp]> = [
      [
        { title: "ab" },
        /^Dati del documento non validi: il titolo deve avere almeno 3 caratteri\.$/,
      ],
      [
        { kind: "delibera" },
        /tipo non valido: scegli uno tra convenzione, .*bando, avviso, circolare, faq, modulo, manuale, linee guida/,
      ],
      [{ date: "1 marzo 2024" }, /la data deve essere nel formato AAAA-MM-GG/],
      [{ origin: "x" }, /la provenienza deve avere almeno 2 caratteri/],
    ];
    for (const [change, message] of refusals) {
      await expectRefusal(library.edit("bando", change, localActor), "INPUT_INVALID", message);
    }
    expect(actions()).toEqual(["knowledge.add bando", "knowledge.edit bando"]);
  });

  it("refuses someone who is not a trainer, in Italian", async () => {
    await expectRefusal(
      library.ingest({
        items: [{ path: file("bando.docx", bando) }],
        actor: { channel: "telegram", userId: "7" },
      }),
      "FORBIDDEN",
      /aggiungere documenti/,
    );
    expect(actions()).toEqual([]);
  });

  it("keeps every comment of an existing manifest, and its entries' layout", async () => {
    cpSync(join(import.meta.dirname, "../fixtures/answer/knowledge"), knowledge, {
      recursive: true,
    });
    const before = readFileSync(join(knowledge, "manifest.yaml"), "utf8");
    await library.ingest({ items: [{ path: file("bando.docx", bando) }], actor: localActor });
    await library.edit(
      "patto-di-servizio",
      { kind: "manuale", title: "Il patto di servizio" },
      localActor,
    );
    const after = readFileSync(join(knowledge, "manifest.yaml"), "utf8");
    for (const line of before.split("\n").filter((l) => l.trim().startsWith("#"))) {
      expect(after).toContain(line);
    }
    expect(after).toContain(before.slice(0, before.indexOf("  # The national")));
    expect(loadManifest(knowledge).documents.map((d) => d.id)).toEqual([
      "tirocini-marche",
      "patto-di-servizio",
      "bando",
    ]);
  });

  it("lists the documents already in a folder without manifest when it creates one", async () => {
    mkdirSync(knowledge);
    writeFileSync(
      join(knowledge, "nota.md"),
      "# Nota sui tirocini\n\nUna nota di servizio sui tirocini in Umbria.\n",
    );
    await library.ingest({ items: [{ path: file("bando.docx", bando) }], actor: localActor });
    expect(loadManifest(knowledge).documents.map((d) => [d.id, d.file])).toEqual([
      ["nota", "nota.md"],
      ["bando", "documents/bando.docx"],
    ]);
    expect((await loadKnowledge(knowledge)).documents.map((d) => d.meta.id)).toEqual([
      "nota",
      "bando",
    ]);
  });
});

describe("applyToCorpus", () => {
  it("swaps the passages of changed documents and keeps the manifest order", async () => {
    const before: Corpus = {
      documents: [
        {
          id: "a",
          file: "a.md",
          title: "Doc A",
          kind: "altro",
          region: null,
          date: null,
          origin: "x",
        },
        {
          id: "b",
          file: "b.md",
          title: "Doc B",
          kind: "altro",
          region: null,
          date: null,
          origin: "x",
        },
      ],
      passages: [
        {
          id: "a:1",
          documentId: "a",
          breadcrumb: [],
          location: { lineStart: 1, lineEnd: 1 },
          text: "a",
          kind: "text",
        },
        {
          id: "b:1",
          documentId: "b",
          breadcrumb: [],
          location: { lineStart: 1, lineEnd: 1 },
          text: "b",
          kind: "text",
        },
      ],
      fingerprint: "old",
    };
    const c = {
      id: "c",
      file: "c.md",
      title: "Doc C",
      kind: "altro" as const,
      region: null,
      date: null,
      origin: "x",
    };
    const after = applyToCorpus(
      before,
      {
        added: [
          { meta: c, passages: [{ ...before.passages[0], id: "c:1", documentId: "c" } as never] },
        ],
        removedDocumentIds: ["a"],
        edited: [],
        documents: [before.documents[1] as never, c],
      },
      "new",
    );
    expect(after.documents.map((d) => d.id)).toEqual(["b", "c"]);
    expect(after.passages.map((p) => p.id)).toEqual(["b:1", "c:1"]);
    expect(after.fingerprint).toBe("new");
  });
});
