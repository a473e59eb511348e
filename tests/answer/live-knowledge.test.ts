// A running service picks up documents added to or removed from its knowledge folder without a
// restart, on both engines; the index cache survives a full disk, a read-only folder and a
// truncated file.
import {
  appendFileSync,
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openEngine } from "../../src/answer/open.js";
import { watchKnowledge } from "../../src/answer/watch.js";
import { createSportello } from "../../src/app.js";
import { localCliUser } from "../../src/config/access.js";
import { testConfig } from "../support/real-service.js";

const fixture = join(import.meta.dirname, "../fixtures/answer/knowledge");
const question = "chi rimborsa le spese di viaggio per i colloqui di selezione?";
/** A document neither fixture folder has (tests/library/index-update.test.ts reads it too). */
const newDocument = readFileSync(
  join(import.meta.dirname, "../fixtures/answer/rimborsi-colloqui.txt"),
  "utf8",
);
const manifestEntry = `  - id: rimborsi-colloqui
    file: documents/rimborsi-colloqui.txt
    title: "Rimborsi delle spese per i colloqui di selezione"
    kind: circolare
    region: null
    date: "2022-01-10"
    origin: "Documento scritto per i test"
`;

let root: string;
let knowledgeDir: string;
let cacheDir: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "sportello-live-"));
  knowledgeDir = join(root, "knowledge");
  cacheDir = join(root, "index");
  cpSync(fixture, knowledgeDir, { recursive: true });
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function addDocument(): void {
  writeFileSync(join(knowledgeDir, "documents/rimborsi-colloqui.txt"), newDocument);
  appendFileSync(join(knowledgeDir, "manifest.yaml"), manifestEntry);
}

describe.each(["lunr", "disk"] as const)("live knowledge folder (%s engine)", (engine) => {
  it("answers from a document added after start, and stops after it is removed", async () => {
    const opened = await openEngine({ knowledgeDir, cacheDir, engine });
    expect(opened.engine.index.engine).toBe(engine);
    const { config, dir } = testConfig({ knowledge: knowledgeDir });
    const sportello = createSportello({
      config,
      engine: opened.engine,
      log: () => {},
      retryIntervalMs: 0,
    });
    const changes: Array<{ added: string[]; removed: string[] }> = [];
    const watcher = watchKnowledge(opened, {
      knowledgeDir,
      intervalMs: 60_000,
      onChange: (change) => changes.push(change),
    });
    try {
      const ask = async () => {
        const outcome = await sportello.ask({
          text: question,
          channel: "cli",
          userId: localCliUser,
        });
        if (outcome.kind === "refused") throw new Error("refused");
        return outcome.answer;
      };
      expect((await ask()).passages[0]?.document.id).not.toBe("rimborsi-colloqui");

      addDocument();
      await watcher.check();
      expect(changes).toEqual([{ added: ["rimborsi-colloqui"], removed: [] }]);
      const answer = await ask();
      expect(answer.status).toBe("answered");
      expect(answer.passages[0]?.document.id).toBe("rimborsi-colloqui");
      expect(answer.text).toMatch(/trenta giorni/);
      expect(opened.corpus.documents.map((d) => d.id)).toContain("rimborsi-colloqui");

      // The cache was brought up to date: a new start loads it without ingesting anything.
      const restarted = await openEngine({ knowledgeDir, cacheDir, engine });
      expect(restarted.cached).toBe(true);
      expect(restarted.engine.ask(question).passages[0]?.document.id).toBe("rimborsi-colloqui");

      // Removing the manifest entry takes the document out of the answers.
      const manifest = join(knowledgeDir, "manifest.yaml");
      writeFileSync(manifest, readFileSync(manifest, "utf8").replace(manifestEntry, ""));
      await watcher.check();
      expect(changes[1]).toEqual({ added: [], removed: ["rimborsi-colloqui"] });
      const after = await ask();
      expect(after.passages.map((p) => p.document.id)).not.toContain("rimborsi-colloqui");
      // The other documents still answer.
      const marche = opened.engine.ask("quanto dura un tirocinio extracurriculare nelle Marche?");
      expect(marche.passages[0]?.document.id).toBe("tirocini-marche");
    } finally {
      watcher.stop();
      await sportello.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("brings a cached index up to date at start when one document changed", async () => {
    const first = await openEngine({ knowledgeDir, cacheDir, engine });
    addDocument();
    const second = await openEngine({ knowledgeDir, cacheDir, engine });
    expect(second.cached).toBe(false);
    expect(second.timings.ingestMs).toBe(0);
    expect(second.engine.ask(question).passages[0]?.document.id).toBe("rimborsi-colloqui");
    expect(second.corpus.passages.length).toBeGreaterThan(first.corpus.passages.length);
  });
});

describe("index cache failures", () => {
  it("answers from memory when the disk is full, warns once in Italian, leaves no .tmp", async () => {
    // The lunr engine's cache is one file, written through one temporary file.
    await openEngine({ knowledgeDir, cacheDir, engine: "lunr" });
    const [name] = readdirSync(cacheDir);
    const file = join(cacheDir, name ?? "");
    rmSync(file);
    // The temporary file the cache is written to is /dev/full: every write fails with ENOSPC.
    symlinkSync("/dev/full", `${file}.${process.pid}.tmp`);
    const warnings: string[] = [];
    const opened = await openEngine({
      knowledgeDir,
      cacheDir,
      engine: "lunr",
      onWarning: (w) => warnings.push(w),
    });
    expect(
      opened.engine.ask("quanto dura un tirocinio extracurriculare nelle Marche?").status,
    ).toBe("answered");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/non riesco a salvare l'indice/);
    expect(warnings[0]).toMatch(/disco pieno/);
    expect(warnings[0]).not.toMatch(/ENOSPC|Error/);
    expect(readdirSync(cacheDir)).toEqual([]);
    // Said once per process: a second failure is silent.
    symlinkSync("/dev/full", `${file}.${process.pid}.tmp`);
    await openEngine({
      knowledgeDir,
      cacheDir,
      engine: "lunr",
      onWarning: (w) => warnings.push(w),
    });
    expect(warnings).toHaveLength(1);
  });

  it.each(["lunr", "disk"] as const)(
    "answers from memory when the cache folder is read-only (%s)",
    async (engine) => {
      // As root a chmod does not stop writes; /sys refuses new entries to everyone.
      const readOnly =
        process.getuid?.() === 0 ? `/sys/sportello-test-${engine}` : join(root, "ro");
      if (!readOnly.startsWith("/sys")) {
        mkdirSync(readOnly);
        chmodSync(readOnly, 0o555);
      }
      const warnings: string[] = [];
      const opened = await openEngine({
        knowledgeDir,
        cacheDir: join(readOnly, engine),
        engine,
        onWarning: (w) => warnings.push(w),
      });
      const answer = opened.engine.ask("quanto dura un tirocinio extracurriculare nelle Marche?");
      expect(answer.passages[0]?.document.id).toBe("tirocini-marche");
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/non riesco a salvare l'indice/);
      expect(existsSync(join(readOnly, engine))).toBe(false);
    },
  );

  it("rebuilds a truncated but well-formed lunr cache", async () => {
    const first = await openEngine({ knowledgeDir, cacheDir, engine: "lunr" });
    const [name] = readdirSync(cacheDir);
    const file = join(cacheDir, name ?? "");
    const cached = JSON.parse(readFileSync(file, "utf8"));
    // Still valid JSON with every field, but half the passages are gone.
    cached.body.passages = cached.body.passages.slice(
      0,
      Math.floor(cached.body.passages.length / 2),
    );
    writeFileSync(file, JSON.stringify(cached));
    const second = await openEngine({ knowledgeDir, cacheDir, engine: "lunr" });
    expect(second.cached).toBe(false);
    expect(second.corpus.passages).toEqual(first.corpus.passages);
    expect((await openEngine({ knowledgeDir, cacheDir, engine: "lunr" })).cached).toBe(true);
  });

  it("rebuilds the disk engine's index when its snapshot is truncated", async () => {
    const first = await openEngine({ knowledgeDir, cacheDir, engine: "disk" });
    const [folder] = readdirSync(cacheDir);
    const dir = join(cacheDir, folder ?? "");
    const snapshot = join(dir, readdirSync(dir).find((f) => f.endsWith(".bin")) ?? "");
    const content = readFileSync(snapshot);
    writeFileSync(snapshot, content.subarray(0, content.length - 64));
    const second = await openEngine({ knowledgeDir, cacheDir, engine: "disk" });
    expect(second.cached).toBe(false);
    expect(second.engine.ask(question).passages.map((p) => p.passage.id)).toEqual(
      first.engine.ask(question).passages.map((p) => p.passage.id),
    );
  });
});
