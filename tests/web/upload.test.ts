// A trainer uploads a document in the console: multipart form, a progress page that refreshes by
// itself (no script), the manifest of a temporary knowledge folder updated, the engine answering
// from the new passages at once, Italian refusals, and every change in the audit trail.
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  credentialPathForDb,
  fileCredentialStore,
  setConsolePassword,
} from "../../adapters/web/auth/passwords.js";
import { createConsole, type WebConsole } from "../../adapters/web/console.js";
import { corpusDocuments } from "../../adapters/web/documents.js";
import { type OpenedEngine, openEngine } from "../../src/answer/open.js";
import { createSportello, type SportelloApp } from "../../src/app.js";
import { loadManifest } from "../../src/knowledge/manifest.js";
import type { Corpus } from "../../src/knowledge/types.js";
import { buildDocx } from "../knowledge/office-files.js";
import { testConfig } from "../support/real-service.js";
import { ConsoleClient } from "./client.js";

let dir: string;
let knowledge: string;
let opened: OpenedEngine;
let sportello: SportelloApp;
let web: WebConsole;
let serviceDir: string;

const password = (user: string) => `password-di-${user}`;
const bando = buildDocx([
  { h: 1, text: "Bando borse lavoro Umbria" },
  {
    p: "Le borse lavoro durano quattro mesi e sono riservate alle persone disoccupate da almeno dodici mesi, iscritte al centro per l'impiego di Perugia o di Terni.",
  },
  { h: 2, text: "Quanto vale la borsa lavoro?" },
  { p: "La borsa lavoro vale 600 euro al mese, pagati dalla Regione Umbria." },
]);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sportello-upload-test-"));
  knowledge = join(dir, "knowledge");
  cpSync(join(import.meta.dirname, "../fixtures/answer/knowledge"), knowledge, { recursive: true });
  opened = await openEngine({ knowledgeDir: knowledge, cacheDir: join(dir, "index") });
  const made = testConfig({
    knowledge,
    roles: { operators: ["web:olga"], trainers: ["web:tina"], coordinators: [] },
  });
  serviceDir = made.dir;
  sportello = createSportello({
    config: made.config,
    engine: opened.engine,
    corpus: opened.corpus,
    log: () => {},
    retryIntervalMs: 0,
  });
  const credentials = fileCredentialStore(credentialPathForDb(made.config.dbPath));
  for (const user of ["olga", "tina"]) {
    await setConsolePassword({
      credentials,
      user,
      password: password(user),
      knownUsers: ["olga", "tina"],
      cost: { N: 1024, r: 8, p: 1 },
    });
  }
  web = createConsole({
    sportello,
    curation: sportello.curation,
    documents: corpusDocuments({
      corpus: () => sportello.corpus() as Corpus,
      library: sportello.library,
    }),
    credentials,
    approval: "coordinator",
  });
});

afterAll(async () => {
  await web?.stop();
  await sportello?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(serviceDir, { recursive: true, force: true });
});

async function signedIn(user: string): Promise<ConsoleClient> {
  const client = new ConsoleClient(web.app);
  const response = await client.signIn(user, password(user));
  expect(response.status).toBe(303);
  return client;
}

const topDocument = (question: string) =>
  opened.engine.ask(question).passages[0]?.passage.documentId;
const question = "quanto vale la borsa lavoro in Umbria al mese?";
const actions = () =>
  sportello.store.audit
    .list({ actionPrefix: "knowledge." })
    .entries.map((e) => `${e.action} ${e.target}`)
    .reverse();

describe("document upload in the console", () => {
  test("a trainer uploads a .docx, follows its progress, and the answers use it at once", async () => {
    const operator = await signedIn("olga");
    expect((await operator.get("/documenti")).text).not.toContain("Carica un documento");
    expect((await operator.get("/documenti/carica")).status).toBe(403);

    const trainer = await signedIn("tina");
    expect((await trainer.get("/documenti")).text).toContain('href="/documenti/carica"');
    const form = await trainer.get("/documenti/carica");
    expect(form.text).toContain('enctype="multipart/form-data"');
    expect(form.text).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(topDocument(question)).not.toBe("bando-borse");

    const started = await trainer.postFile(
      "/documenti/carica",
      { field: "file", name: "bando-borse.docx", bytes: bando },
      { titolo: "Bando borse lavoro 2024", tipo: "bando", regione: "Umbria", data: "2024-05-02" },
    );
    expect(started.status).toBe(303);
    expect(started.location).toMatch(/^\/documenti\/lavori\/[\w-]+$/);
    const progress = await trainer.follow(started);
    expect(progress.status).toBe(200);
    expect(progress.text).toMatch(/Caricamento (in corso|completato)/);
    await sportello.library.jobs.settled();
    const done = await trainer.follow(started);
    expect(done.text).toContain("Caricamento completato");
    expect(done.text).toContain("Aggiunto: bando-borse (documents/bando-borse.docx");
    expect(done.text).not.toContain('http-equiv="refresh"');

    expect(loadManifest(knowledge).documents.at(-1)).toMatchObject({
      id: "bando-borse",
      title: "Bando borse lavoro 2024",
      kind: "bando",
      region: "Umbria",
      date: "2024-05-02",
      origin: "bando-borse.docx",
    });
    expect(topDocument(question)).toBe("bando-borse");
    const page = await trainer.get("/documenti/bando-borse");
    expect(page.text).toContain("Quanto vale la borsa lavoro?");
    expect(actions()).toEqual(["knowledge.add bando-borse"]);
  });

  test("the same file again, a short title and an unknown format are refused in Italian", async () => {
    const trainer = await signedIn("tina");
    await trainer.get("/documenti/carica");
    const again = await trainer.postFile("/documenti/carica", {
      field: "file",
      name: "copia.docx",
      bytes: bando,
    });
    await sportello.library.jobs.settled();
    const failed = await trainer.follow(again);
    expect(failed.text).toContain("Caricamento non riuscito");
    expect(failed.text).toContain("ha lo stesso contenuto del documento «Bando borse lavoro 2024»");

    await trainer.get("/documenti/carica");
    const short = await trainer.postFile(
      "/documenti/carica",
      { field: "file", name: "altro.docx", bytes: bando },
      { titolo: "ab" },
    );
    expect(short.status).toBe(400);
    expect(short.text).toContain("il titolo deve avere almeno 3 caratteri");

    const exe = await trainer.postFile("/documenti/carica", {
      field: "file",
      name: "programma.exe",
      bytes: new Uint8Array([77, 90, 0, 1]),
    });
    expect(exe.status).toBe(400);
    expect(exe.text).toContain("formato non supportato");
    expect(loadManifest(knowledge).documents.filter((d) => d.id.startsWith("bando")).length).toBe(
      1,
    );
    expect(actions()).toEqual(["knowledge.add bando-borse"]);
  });

  test("a trainer edits the metadata, then removes the document", async () => {
    const trainer = await signedIn("tina");
    const form = await trainer.get("/documenti/bando-borse/modifica");
    expect(form.text).toContain('value="Bando borse lavoro 2024"');
    const bad = await trainer.post("/documenti/bando-borse/modifica", {
      titolo: "Bando borse lavoro 2024",
      tipo: "bando",
      data: "2 maggio",
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("la data deve essere nel formato AAAA-MM-GG");
    const saved = await trainer.post("/documenti/bando-borse/modifica", {
      titolo: "Avviso borse lavoro Umbria",
      tipo: "avviso",
      regione: "Umbria",
      data: "2024-05-02",
      provenienza: "Regione Umbria",
    });
    expect(saved.status).toBe(303);
    expect(loadManifest(knowledge).documents.at(-1)).toMatchObject({
      title: "Avviso borse lavoro Umbria",
      kind: "avviso",
      origin: "Regione Umbria",
    });
    expect(sportello.documents().find((d) => d.id === "bando-borse")?.title).toBe(
      "Avviso borse lavoro Umbria",
    );

    const removed = await trainer.post("/documenti/bando-borse/togli");
    expect(removed.status).toBe(303);
    expect(loadManifest(knowledge).documents.map((d) => d.id)).not.toContain("bando-borse");
    expect(topDocument(question)).not.toBe("bando-borse");
    expect(readFileSync(join(knowledge, "manifest.yaml"), "utf8")).toContain(
      "# The regional document",
    );
    expect(actions()).toEqual([
      "knowledge.add bando-borse",
      "knowledge.edit bando-borse",
      "knowledge.remove bando-borse",
    ]);
  });
});
