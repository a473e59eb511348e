// `sportello ingest` and `remove` with the disk engine's cache: the library's changes are written to
// the index folder document by document (nothing else read, no passage loaded), and the index a
// later start opens answers exactly as one rebuilt from the folder: the new document's passage is
// found, a removed one is not, a re-read one is there once. A running service sharing the folder
// takes the change in without reading any document.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type IndexCacheUpdate,
  knowledgeFingerprint,
  openEngine,
  updateIndexCache,
} from "../../src/answer/open.js";
import { watchKnowledge } from "../../src/answer/watch.js";
import { localActor } from "../../src/curation/actors.js";
import { createLibrary, type Library } from "../../src/library/library.js";

const fixture = join(import.meta.dirname, "../fixtures/answer/knowledge");
/** A document neither fixture folder has (tests/answer/live-knowledge.test.ts reads it too). */
const newDocument = readFileSync(
  join(import.meta.dirname, "../fixtures/answer/rimborsi-colloqui.txt"),
  "utf8",
);
const rimborsi = "chi rimborsa le spese di viaggio per i colloqui di selezione?";
const marche = "quanto dura un tirocinio extracurriculare nelle Marche?";
const questions = [
  rimborsi,
  marche,
  "cosa contiene il patto di servizio?",
  "entro quanti giorni si presenta la domanda di rimborso?",
  "indennità mensile del tirocinio",
];

let root: string;
let knowledgeDir: string;
let cacheDir: string;
let updates: IndexCacheUpdate[];
let library: Library;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), "sportello-index-update-"));
  knowledgeDir = join(root, "knowledge");
  cacheDir = join(root, "index");
  cpSync(fixture, knowledgeDir, { recursive: true });
  mkdirSync(join(root, "uploads"));
  // The fixture is small: the disk engine is chosen by hand, as `auto` does above 1,000 passages.
  await openEngine({ knowledgeDir, cacheDir, engine: "disk" });
  updates = [];
  library = createLibrary({
    knowledgeDir,
    lock: false,
    applyChanges: async (changes) => {
      updates.push(await updateIndexCache({ knowledgeDir, cacheDir }, changes));
    },
  });
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function upload(name: string, text: string): string {
  const path = join(root, "uploads", name);
  writeFileSync(path, text);
  return path;
}

/** What a person sees for each question: the cited passages and the answer's text. */
async function answers(options: { rebuild: boolean }) {
  const opened = await openEngine({
    knowledgeDir,
    cacheDir: options.rebuild ? join(root, "rebuilt") : cacheDir,
    engine: "disk",
    rebuild: options.rebuild,
  });
  const seen = questions.map((question) => {
    const answer = opened.engine.ask(question);
    return { question, passages: answer.passages.map((p) => p.passage.id), text: answer.text };
  });
  return { opened, seen };
}

describe("index cache update document by document (disk engine)", () => {
  it("adds a document: its passage answers, as after a rebuild, with no duplicate", async () => {
    await library.ingest({
      items: [{ path: upload("rimborsi.txt", newDocument) }],
      actor: localActor,
    });
    expect(updates.map((u) => u.incremental)).toEqual([true]);

    const updated = await answers({ rebuild: false });
    // The next start trusts the updated cache: nothing is read again.
    expect(updated.opened.cached).toBe(true);
    const answer = updated.opened.engine.ask(rimborsi);
    expect(answer.status).toBe("answered");
    expect(answer.passages[0]?.document.id).toBe("rimborsi");
    expect(answer.text).toMatch(/trenta giorni/);
    const ids = updated.opened.corpus.passages.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);

    const rebuilt = await answers({ rebuild: true });
    expect(updated.seen).toEqual(rebuilt.seen);
    expect(updated.opened.corpus.passages.length).toBe(rebuilt.opened.corpus.passages.length);
    expect(updates[0]?.passages).toBe(rebuilt.opened.corpus.passages.length);
  });

  it("removes a document: it is no longer cited, as after a rebuild", async () => {
    await library.remove("tirocini-marche", localActor);
    expect(updates.map((u) => u.incremental)).toEqual([true]);

    const updated = await answers({ rebuild: false });
    expect(updated.opened.cached).toBe(true);
    const cited = updated.opened.engine.ask(marche).passages.map((p) => p.document.id);
    expect(cited).not.toContain("tirocini-marche");
    expect(updated.opened.corpus.documents.map((d) => d.id)).not.toContain("tirocini-marche");
    expect(updated.seen).toEqual((await answers({ rebuild: true })).seen);
  });

  it("re-reads a document under the same passage ids, once", async () => {
    await library.reingest("tirocini-marche", localActor);
    await library.ingest({
      items: [{ path: upload("rimborsi.txt", newDocument) }],
      actor: localActor,
    });
    const edited = `${newDocument}\nIl modulo si scarica dal portale regionale.\n`;
    await library.ingest({
      items: [{ path: upload("rimborsi-v2.txt", edited) }],
      replace: "rimborsi",
      actor: localActor,
    });
    expect(updates.map((u) => u.incremental)).toEqual([true, true, true]);

    const updated = await answers({ rebuild: false });
    const ids = updated.opened.corpus.passages.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const rebuilt = await answers({ rebuild: true });
    expect(updated.seen).toEqual(rebuilt.seen);
    expect(ids.sort()).toEqual(rebuilt.opened.corpus.passages.map((p) => p.id).sort());
  });

  it("reaches a running service sharing the index folder, without reading the document", async () => {
    const serving = await openEngine({ knowledgeDir, cacheDir });
    const changes: Array<{ added: string[]; removed: string[] }> = [];
    const errors: unknown[] = [];
    const watcher = watchKnowledge(serving, {
      knowledgeDir,
      intervalMs: 60_000,
      onChange: (change) => changes.push(change),
      onError: (error) => errors.push(error),
    });
    try {
      await library.ingest({
        items: [{ path: upload("rimborsi.txt", newDocument) }],
        actor: localActor,
      });
      // The uploaded file is gone: the service takes the passages from the index folder.
      rmSync(join(root, "uploads", "rimborsi.txt"));
      await watcher.check();
      expect(errors).toEqual([]);
      expect(changes).toEqual([{ added: ["rimborsi"], removed: [] }]);
      expect(serving.engine.ask(rimborsi).passages[0]?.document.id).toBe("rimborsi");

      await library.remove("rimborsi", localActor);
      await watcher.check();
      expect(errors).toEqual([]);
      expect(changes[1]).toEqual({ added: [], removed: ["rimborsi"] });
      const cited = serving.engine.ask(rimborsi).passages.map((p) => p.document.id);
      expect(cited).not.toContain("rimborsi");
      expect(serving.corpus.documents.map((d) => d.id)).not.toContain("rimborsi");
    } finally {
      watcher.stop();
    }
  });

  it("records the fingerprint the service computes, which follows every document's bytes", async () => {
    await library.ingest({
      items: [{ path: upload("rimborsi.txt", newDocument) }],
      actor: localActor,
    });
    const fingerprint = knowledgeFingerprint(knowledgeDir);
    expect((await openEngine({ knowledgeDir, cacheDir })).corpus.fingerprint).toBe(fingerprint);
    const path = join(knowledgeDir, "documents/tirocini-marche.txt");
    writeFileSync(path, `${readFileSync(path, "utf8")}\nRiga aggiunta.\n`);
    expect(knowledgeFingerprint(knowledgeDir)).not.toBe(fingerprint);
  });

  it("falls back to bringing the whole cache up to date when another document changed by hand", async () => {
    writeFileSync(join(knowledgeDir, "documents/tirocini-marche.txt"), newDocument);
    await library.remove("patto-di-servizio", localActor);
    expect(updates.map((u) => u.incremental)).toEqual([false]);
    const updated = await answers({ rebuild: false });
    expect(updated.seen).toEqual((await answers({ rebuild: true })).seen);
  });
});
