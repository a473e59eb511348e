// A knowledge folder whose manifest lists no document yet is valid: `serve` starts on it and
// every question gets the polite "non lo trovo", queued for the trainers, never a fault.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine } from "../../src/answer/engine.js";
import { type OpenedEngine, openEngine } from "../../src/answer/open.js";
import { type RunningConsole, serveLikeSportello } from "../web/local-harness.js";

let dir: string;
let opened: OpenedEngine;
let running: RunningConsole | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sportello-empty-"));
  mkdirSync(join(dir, "knowledge"));
  writeFileSync(join(dir, "knowledge/manifest.yaml"), "version: 1\ndocuments: []\n");
  opened = await openEngine({
    knowledgeDir: join(dir, "knowledge"),
    cacheDir: join(dir, "index"),
  });
});
afterAll(async () => {
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("an empty manifest", () => {
  it("opens an engine with no passage, from the cache too", async () => {
    expect(opened.corpus.passages).toEqual([]);
    const again = await openEngine({
      knowledgeDir: join(dir, "knowledge"),
      cacheDir: join(dir, "index"),
    });
    expect(again.cached).toBe(true);
  });

  it("serves the console, whose Chiedi answers «non lo trovo» and queues the question", async () => {
    running = await serveLikeSportello(opened, { knowledge: join(dir, "knowledge") });
    const browser = running.client();
    const signIn = new URL(running.localSignInUrl ?? "");
    await browser.follow(await browser.get(signIn.pathname + signIn.search));
    const question = "Chi firma la convenzione per la Basilicata?";
    expect((await browser.post("/chiedi", { domanda: question })).status).toBeLessThan(400);
    const page = (await browser.get("/chiedi")).text;
    expect(page).toContain("Non lo trovo nei documenti che conosco");
    expect(page).toContain("Ho annotato la domanda per i formatori");
    // No sentence about regions the corpus "covers": it covers none.
    expect(page).not.toContain("quelli ,");
    expect((await browser.get("/senza-risposta")).text).toContain(question);
  });
});

describe("a corpus of national documents only", () => {
  it("declines a regional question without listing covered regions", () => {
    const engine = createEngine({
      corpus: {
        documents: [
          {
            id: "naspi",
            file: "documents/naspi.md",
            title: "Circolare NASpI",
            kind: "circolare",
            region: null,
            date: null,
            origin: "test",
          },
        ],
        passages: [
          {
            id: "naspi-1",
            documentId: "naspi",
            breadcrumb: ["NASpI"],
            location: { lineStart: 1, lineEnd: 3 },
            text: "La NASpI è l'indennità mensile di disoccupazione per chi perde il lavoro.",
            kind: "text",
          },
        ],
        fingerprint: "t",
      },
    });
    const answer = engine.ask("Chi firma la convenzione per la Basilicata?");
    expect(answer.status).toBe("declined");
    expect(answer.text).toContain(
      "Non ho documenti sulla Basilicata: conosco solo documenti nazionali",
    );
  });
});
