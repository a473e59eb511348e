// The index cached on disk by openEngine: built once, reused while the knowledge is unchanged,
// rebuilt when a document changes or the file is damaged, and kept when a rebuild fails; and the
// FAQ index saved next to it.
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openEngine } from "../../src/answer/open.js";
import type { Answer } from "../../src/answer/types.js";
import { isSportelloError, type SportelloError } from "../../src/errors.js";
import type { PublishedFaq } from "../../src/knowledge/types.js";

/** The one-file cache is the lunr engine's (the disk engine's folder: tests/search/disk-index.test.ts). */
const engine = "lunr" as const;

const fixture = join(import.meta.dirname, "../fixtures/answer/knowledge");
const questions = [
  "quanto dura un tirocinio extracurriculare nelle Marche?",
  "cosa succede se non mi presento a un appuntamento del patto di servizio?",
  "come si rinnova il passaporto?",
];

let root: string;
let knowledgeDir: string;
let cacheDir: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "sportello-cache-"));
  knowledgeDir = join(root, "knowledge");
  cacheDir = join(root, "index");
  cpSync(fixture, knowledgeDir, { recursive: true });
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const cacheFiles = () => readdirSync(cacheDir);
const onlyCacheFile = () => {
  const files = cacheFiles();
  expect(files).toHaveLength(1);
  return join(cacheDir, files[0] ?? "");
};

/** What a person sees of an answer (latency aside). */
function seen(answer: Answer) {
  return {
    status: answer.status,
    text: answer.text,
    confidence: answer.confidence,
    passages: answer.passages.map((p) => [p.passage.id, p.location, p.score]),
  };
}

describe("index cache", () => {
  it("builds and writes one file, then loads it with the same answers", async () => {
    const first = await openEngine({ knowledgeDir, cacheDir, engine });
    expect(first.cached).toBe(false);
    expect(first.errors).toEqual([]);
    const file = onlyCacheFile();
    expect(file.endsWith(".json")).toBe(true);
    expect(() => JSON.parse(readFileSync(file, "utf8"))).not.toThrow();

    const second = await openEngine({ knowledgeDir, cacheDir, engine });
    expect(second.cached).toBe(true);
    expect(second.engine.fingerprint).toBe(first.engine.fingerprint);
    expect(second.corpus.passages).toEqual(first.corpus.passages);
    for (const question of questions) {
      expect(seen(second.engine.ask(question))).toEqual(seen(first.engine.ask(question)));
    }
    // The answers come from the fixture's documents.
    const answer = second.engine.ask(questions[0] ?? "");
    expect(answer.status).toBe("answered");
    expect(answer.passages[0]?.document.id).toBe("tirocini-marche");
    expect(onlyCacheFile()).toBe(file);
  });

  it("rebuilds when a document changes, and answers from the new text", async () => {
    const first = await openEngine({ knowledgeDir, cacheDir, engine });
    const before = readFileSync(onlyCacheFile(), "utf8");
    const document = join(knowledgeDir, "documents/tirocini-marche.txt");
    writeFileSync(
      document,
      `${readFileSync(document, "utf8")}
ARTICOLO 4
Tirocini estivi di orientamento

I tirocini estivi di orientamento sono riservati agli studenti iscritti a un corso di studi e
si svolgono nel periodo di sospensione delle lezioni, per una durata massima di tre mesi. Il
soggetto ospitante può corrispondere un'indennità facoltativa, che non è obbligatoria per
questa forma di tirocinio, e comunica l'avvio al centro per l'impiego competente.
`,
    );
    const second = await openEngine({ knowledgeDir, cacheDir, engine });
    expect(second.cached).toBe(false);
    expect(second.engine.fingerprint).not.toBe(first.engine.fingerprint);
    expect(readFileSync(onlyCacheFile(), "utf8")).not.toBe(before);
    const answer = second.engine.ask("tirocini estivi di orientamento per studenti");
    expect(answer.passages[0]?.passage.text).toContain("tirocini estivi di orientamento");

    const third = await openEngine({ knowledgeDir, cacheDir, engine });
    expect(third.cached).toBe(true);
    expect(third.engine.fingerprint).toBe(second.engine.fingerprint);
  });

  it("rebuilds when the manifest or the thesaurus changes", async () => {
    const first = await openEngine({ knowledgeDir, cacheDir, engine });
    const manifest = join(knowledgeDir, "manifest.yaml");
    writeFileSync(
      manifest,
      readFileSync(manifest, "utf8").replace(
        'shortTitle: "Tirocini Marche"',
        'shortTitle: "Tirocini"',
      ),
    );
    const second = await openEngine({ knowledgeDir, cacheDir, engine });
    expect(second.cached).toBe(false);
    expect(second.engine.fingerprint).not.toBe(first.engine.fingerprint);
    writeFileSync(join(knowledgeDir, "thesaurus.yaml"), "- [tirocinio, stage]\n");
    const third = await openEngine({ knowledgeDir, cacheDir, engine });
    expect(third.cached).toBe(false);
    expect(third.engine.ask("stage nelle Marche").passages[0]?.document.id).toBe("tirocini-marche");
  });

  it.each([
    ["not JSON", "{ this is not json"],
    ["empty", ""],
    ["JSON of another shape", '{"format": 1, "documents": "none"}'],
    ["a JSON array", "[1, 2, 3]"],
  ])("rebuilds silently over a corrupt cache file (%s)", async (_label, content) => {
    const first = await openEngine({ knowledgeDir, cacheDir, engine });
    const file = onlyCacheFile();
    writeFileSync(file, content);
    const errors: SportelloError[] = [];
    const second = await openEngine({
      knowledgeDir,
      cacheDir,
      engine,
      onError: (e) => errors.push(e),
    });
    expect(second.cached).toBe(false);
    expect(errors).toEqual([]);
    expect(seen(second.engine.ask(questions[1] ?? ""))).toEqual(
      seen(first.engine.ask(questions[1] ?? "")),
    );
    // The damaged file was replaced by a good one.
    expect((await openEngine({ knowledgeDir, cacheDir, engine })).cached).toBe(true);
  });

  it("rebuilds silently when the cached index inside a valid file is damaged", async () => {
    await openEngine({ knowledgeDir, cacheDir, engine });
    const file = onlyCacheFile();
    const cached = JSON.parse(readFileSync(file, "utf8"));
    writeFileSync(file, JSON.stringify({ ...cached, index: { version: "nonsense" } }));
    const second = await openEngine({ knowledgeDir, cacheDir, engine });
    expect(second.cached).toBe(false);
    expect(second.engine.ask(questions[0] ?? "").status).toBe("answered");
  });

  it("keeps the previous cache byte for byte when the only document becomes unreadable", async () => {
    // A knowledge folder with a single document.
    const manifest = join(knowledgeDir, "manifest.yaml");
    const text = readFileSync(manifest, "utf8");
    writeFileSync(manifest, text.slice(0, text.indexOf("  # The national document")));
    const first = await openEngine({ knowledgeDir, cacheDir, engine });
    expect(first.corpus.documents.map((d) => d.id)).toEqual(["tirocini-marche"]);
    const file = onlyCacheFile();
    const before = readFileSync(file);

    writeFileSync(join(knowledgeDir, "documents/tirocini-marche.txt"), "");
    const reported: SportelloError[] = [];
    const failure = await openEngine({
      knowledgeDir,
      cacheDir,
      engine,
      onError: (e) => reported.push(e),
    }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(isSportelloError(failure)).toBe(true);
    if (!isSportelloError(failure)) return;
    expect(failure.code).toBe("KNOWLEDGE_INVALID");
    expect(failure.message).toContain(knowledgeDir);
    expect(failure.message).toMatch(/indice precedente resta in uso/);
    // The unreadable file was reported by name.
    expect(reported.map((e) => e.message).join("\n")).toContain("tirocini-marche.txt");

    expect(cacheFiles()).toEqual([file.slice(cacheDir.length + 1)]);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it("caches a JSONL corpus in its own file", async () => {
    const corpusPath = join(import.meta.dirname, "../fixtures/cli/passages.jsonl");
    await openEngine({ knowledgeDir, cacheDir, engine });
    const first = await openEngine({ knowledgeDir, corpusPath, cacheDir, engine });
    expect(first.cached).toBe(false);
    expect(cacheFiles()).toHaveLength(2);
    const second = await openEngine({ knowledgeDir, corpusPath, cacheDir, engine });
    expect(second.cached).toBe(true);
    expect(
      second.engine.ask("entro quanti giorni si presenta la domanda di NASpI?").passages[0]?.passage
        .id,
    ).toBe("naspi-01");
    expect((await openEngine({ knowledgeDir, cacheDir, engine })).cached).toBe(true);
  });

  it("applies the shipped thesaurus to another corpus: «cpi» finds «centro per l'impiego»", async () => {
    // The fixture documents never write "CPI"; the thesaurus of knowledge/ links the two.
    const { engine } = await openEngine({ knowledgeDir: "knowledge", corpusPath: knowledgeDir });
    const answer = engine.ask("entro quando si firma il patto di servizio al cpi?");
    expect(answer.passages[0]?.document.id).toBe("patto-di-servizio");
    expect(answer.passages[0]?.passage.text).not.toMatch(/\bcpi\b/i);
    expect(answer.passages[0]?.passage.text).toMatch(/centro per l'impiego/);
  });
});

describe("FAQ index cache", () => {
  const faq = (id: string, question: string, answer: string): PublishedFaq => ({
    id,
    question,
    alternatives: [],
    answer,
    sources: [],
    tags: [],
    region: null,
    reviewed: "2025-02-01",
    version: 1,
  });
  const opening = faq(
    "orari-sportello-prova",
    "A che ora apre lo sportello di prova?",
    "Lo sportello di prova apre alle 8:30 dal lunedì al venerdì.",
  );
  const closing = faq(
    "chiusura-estiva-prova",
    "Quando chiude per ferie lo sportello di prova?",
    "Lo sportello di prova chiude per ferie dal 10 al 20 agosto.",
  );
  const openingQuestion = "a che ora apre lo sportello di prova?";
  const closingQuestion = "quando chiude per ferie lo sportello di prova?";
  /** A new process: the engine opened again, given the FAQ as the service gives them. */
  async function engineWith(faqs: PublishedFaq[]) {
    const { engine } = await openEngine({ knowledgeDir, cacheDir });
    engine.setFaqs(faqs);
    return engine;
  }
  const faqFile = () => join(cacheDir, cacheFiles().find((f) => f.endsWith(".faq.json")) ?? "");

  it("answers the same from the saved FAQ index, and rebuilds a damaged one silently", async () => {
    const built = (await engineWith([opening])).ask(openingQuestion);
    expect(built.faq?.id).toBe("orari-sportello-prova");
    expect(existsSync(faqFile())).toBe(true);
    expect(seen((await engineWith([opening])).ask(openingQuestion))).toEqual(seen(built));

    writeFileSync(faqFile(), '{"key":');
    expect(seen((await engineWith([opening])).ask(openingQuestion))).toEqual(seen(built));
    // Well-formed, for the same FAQ, but the index inside is damaged.
    const saved = JSON.parse(readFileSync(faqFile(), "utf8"));
    saved.index.lunr = { version: "2.3.9" };
    writeFileSync(faqFile(), JSON.stringify(saved));
    expect(seen((await engineWith([opening])).ask(openingQuestion))).toEqual(seen(built));
  });

  it("answers a FAQ published since the index was saved", async () => {
    await engineWith([opening]).then((engine) => engine.ask(openingQuestion));
    const engine = await engineWith([opening, closing]);
    const answer = engine.ask(closingQuestion);
    expect(answer.faq?.id).toBe("chiusura-estiva-prova");
    expect(answer.text).toContain("dal 10 al 20 agosto");
    expect(engine.ask(openingQuestion).faq?.id).toBe("orari-sportello-prova");
  });
});
