// The `sportello` command end to end: built from the sources, run in a child process with its
// database and index in a temporary folder, read as a user or a script would read it.
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnswerEngine } from "../../src/answer/engine-types.js";
import { openEngine } from "../../src/answer/open.js";
import { say } from "../../src/prompts.js";
import { hostileInputs } from "../answer/hostile-inputs.js";
import { shippedKnowledge } from "../support/shipped-knowledge.js";
import {
  buildCli,
  type CliBuild,
  type CliHome,
  cliHome,
  repoRoot,
  runCli,
  stackTrace,
} from "./run-cli.js";

const fixtures = join(repoRoot, "tests/fixtures/cli");
const passagesJsonl = join(fixtures, "passages.jsonl");
const jsonlIds = readFileSync(passagesJsonl, "utf8")
  .split("\n")
  .filter((line) => line.trim())
  .map((line) => (JSON.parse(line) as { id: string }).id);

let build: CliBuild;
let home: CliHome;
let engine: AnswerEngine;
const homes: CliHome[] = [];

beforeAll(async () => {
  build = buildCli();
  home = cliHome();
  homes.push(home);
  engine = (await openEngine({ knowledgeDir: shippedKnowledge })).engine;
}, 180_000);

afterAll(() => {
  for (const h of homes) h.remove();
  build?.remove();
});

const sportello = (args: string[], input?: string, where: CliHome = home) =>
  runCli(build, where, args, { input });

function newHome(): CliHome {
  const created = cliHome();
  homes.push(created);
  return created;
}

/** Parses stdout as JSON lines, failing on anything else. */
function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

interface JsonPassage {
  id: string;
  document: { id: string; title: string; region: string | null };
  location: string;
  text: string;
  score: number;
}

/** The fields of the JSON contract of `sportello ask --json`. */
function expectContract(answer: Record<string, unknown>, question: string): void {
  expect(answer.question).toBe(question);
  expect(["answered", "declined"]).toContain(answer.status);
  expect(["faq", "documents", null]).toContain(answer.source);
  expect(typeof answer.confidence).toBe("number");
  expect(answer.confidence).toBeGreaterThanOrEqual(0);
  expect(answer.confidence).toBeLessThanOrEqual(1);
  expect(typeof answer.text).toBe("string");
  expect((answer.text as string).trim().length).toBeGreaterThan(0);
  if (answer.faq !== null) {
    expect(answer.faq).toEqual(
      expect.objectContaining({ id: expect.any(String), question: expect.any(String) }),
    );
  }
  expect(typeof answer.uncertain).toBe("boolean");
  // The other FAQ named after a probable one; none for any other answer.
  expect(Array.isArray(answer.alsoOffered)).toBe(true);
  if (!answer.uncertain || answer.source !== "faq") expect(answer.alsoOffered).toEqual([]);
  const passages = answer.passages as JsonPassage[];
  expect(Array.isArray(passages)).toBe(true);
  expect(passages.length).toBeLessThanOrEqual(5);
  for (const p of passages) {
    expect(typeof p.id).toBe("string");
    expect(p.document).toEqual({
      id: expect.any(String),
      title: expect.any(String),
      region: p.document.region === null ? null : expect.any(String),
    });
    expect(typeof p.location).toBe("string");
    expect(typeof p.text).toBe("string");
    expect(typeof p.score).toBe("number");
  }
  const scores = passages.map((p) => p.score);
  expect([...scores].sort((a, b) => b - a)).toEqual(scores);
}

describe("sportello ask --json", () => {
  it("prints exactly one JSON object with the contract's fields", () => {
    const question = "Chi firma la convenzione tra Anpal Servizi e la Regione Basilicata?";
    const result = sportello(["ask", "--json", question]);
    expect(result.status).toBe(0);
    expect(result.stdout.endsWith("\n")).toBe(true);
    expect(result.stdout.trimEnd().split("\n")).toHaveLength(1);
    const [answer] = jsonLines(result.stdout);
    if (!answer) throw new Error("no JSON on stdout");
    expectContract(answer, question);
    expect(answer.id).toBeNull();
    expect(answer.status).toBe("answered");
    expect(answer.source).toBe("faq");
    expect(answer.faq).toEqual(
      expect.objectContaining({ id: "firmatari-convenzione-basilicata", version: 1 }),
    );
    expect(answer.text).toContain("Donato Viggiano");
    expect(answer.text).toContain("Fonti:");
    // Each passage carries its full raw text, not an excerpt.
    const passages = answer.passages as JsonPassage[];
    expect(passages.length).toBe(5);
    for (const p of passages) {
      const known = engine.passage(p.id);
      expect(known?.passage.text).toBe(p.text);
      expect(p.document.id).toBe(known?.document.id);
      expect(p.document.title).toBe(known?.document.title);
      expect(p.document.region).toBe(known?.document.region);
      expect(p.location).toBe(known?.location);
    }
  });

  it("answers a batch file line by line, in order, echoing the ids", () => {
    const file = join(home.dir, "questions.txt");
    writeFileSync(
      file,
      [
        "chi firma la convenzione per la Regione Basilicata?",
        '{"question": "quanti navigator ci sono in Emilia-Romagna?", "id": "q7"}',
        "",
        '{"id": 3, "question": "navigator in Toscana"}',
        "   ",
        "Come si richiede il bonus bebè all'INPS?",
      ].join("\n"),
    );
    const result = sportello(["ask", "--json", "--batch", file]);
    expect(result.status).toBe(0);
    const answers = jsonLines(result.stdout);
    expect(answers.map((a) => [a.id, a.question])).toEqual([
      [null, "chi firma la convenzione per la Regione Basilicata?"],
      ["q7", "quanti navigator ci sono in Emilia-Romagna?"],
      [3, "navigator in Toscana"],
      [null, "Come si richiede il bonus bebè all'INPS?"],
    ]);
    for (const a of answers) expectContract(a, a.question as string);
    expect(answers[2]?.status).toBe("declined");
    expect(answers[2]?.reason).toBe("uncovered-region");
    // A declined question keeps its retrieved passages, so retrieval can be measured.
    const declined = answers[3];
    expect(declined?.status).toBe("declined");
    expect(declined?.source).toBeNull();
    expect(declined?.faq).toBeNull();
    expect(declined?.text).toContain("«bonus»");
    expect((declined?.passages ?? []) as JsonPassage[]).not.toHaveLength(0);
  });

  it("reads batch lines of one conversation as follow-ups of the line before", () => {
    const file = join(home.dir, "conversation.jsonl");
    writeFileSync(
      file,
      [
        '{"question": "Quanti navigator lavorano in Emilia-Romagna?", "conversation": "a"}',
        '{"question": "e in Piemonte?", "conversation": "a"}',
        '{"question": "e in Piemonte?"}',
      ].join("\n"),
    );
    const result = sportello(["ask", "--json", "--batch", file]);
    expect(result.status).toBe(0);
    const [first, followUp, alone] = jsonLines(result.stdout);
    expect(first?.followUpOf).toBeNull();
    expect(followUp?.followUpOf).toEqual({
      interactionId: 1,
      question: "Quanti navigator lavorano in Emilia-Romagna?",
      understoodAs: "Quanti navigator lavorano in Piemonte?",
    });
    expect(followUp?.status).toBe("answered");
    expect(String(followUp?.text).split("\n")[0]).toBe(
      "Intendi: «Quanti navigator lavorano in Piemonte?»",
    );
    // Outside a conversation the same words are a question of their own.
    expect(alone?.followUpOf).toBeNull();
  });

  it("reads a batch from stdin, reports malformed lines, answers the others, exits with 2", () => {
    const result = sportello(
      ["ask", "--json", "--batch", "-"],
      [
        "RdC",
        '{"question": "navigator in Toscana", "id": "ok"',
        '{"id": "no-question"}',
        '{"question": 42}',
        '{"question": "cosa sono i LEP?", "id": "last"}',
      ].join("\n"),
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(say("cli.batch_errors", { count: 3 }));
    expect(result.stderr).not.toMatch(stackTrace);
    const lines = jsonLines(result.stdout);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toEqual(
      expect.objectContaining({ id: null, question: "RdC", status: "answered" }),
    );
    expect(lines[1]).toEqual(expect.objectContaining({ line: 2, error: expect.any(String) }));
    expect(lines[2]).toEqual(expect.objectContaining({ line: 3, error: expect.any(String) }));
    expect(lines[3]).toEqual(expect.objectContaining({ line: 4, error: expect.any(String) }));
    expect(lines[4]).toEqual(expect.objectContaining({ id: "last", status: expect.any(String) }));
    expect(String(lines[2]?.error)).toMatch(/question/);
  });

  it("answers from a JSONL corpus with --corpus, citing the file's passage ids", () => {
    const question = "entro quanti giorni si presenta la domanda di NASpI all'INPS?";
    const result = sportello(["ask", "--json", "--corpus", passagesJsonl, question]);
    expect(result.status).toBe(0);
    const [answer] = jsonLines(result.stdout);
    if (!answer) throw new Error("no JSON on stdout");
    expectContract(answer, question);
    const passages = answer.passages as JsonPassage[];
    expect(passages[0]?.id).toBe("naspi-01");
    expect(passages[0]?.document.title).toBe("NASpI");
    for (const p of passages) expect(jsonlIds).toContain(p.id);
    expect(answer.status).toBe("answered");
    expect(answer.text).toContain("sessantotto giorni");
  });
});

describe("a cold sportello ask", () => {
  it("loads neither a platform SDK, nor the YAML parser, nor the document readers", () => {
    const cold = newHome();
    const question = "chi firma la convenzione per la Basilicata?";
    // The first run builds the index and compiles the templates; the next ones find them.
    expect(runCli(build, cold, ["ask", question]).status).toBe(0);
    const recorded = join(cold.dir, "modules.txt");
    cold.env.SPORTELLO_RECORD_IMPORTS = recorded;
    const result = runCli(build, cold, ["ask", question], {
      nodeArgs: ["--import", join(fixtures, "record-imports.mjs")],
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Donato Viggiano");
    const files = readFileSync(recorded, "utf8").split("\n").filter(Boolean);
    // The bundle's files stand for the sources they hold (scripts/bundle.mjs lists them).
    const contents = JSON.parse(
      readFileSync(join(dirname(build.main), "sportello.contents.json"), "utf8"),
    ) as Record<string, string[]>;
    const loaded = files.flatMap((file) => {
      const path = file.replace(/^file:\/\//, "");
      const inBundle = relative(dirname(build.main), path);
      return contents[inBundle]?.map((source) => `/${source}`) ?? [path];
    });
    // The recording works: the engine's own packages are there.
    expect(loaded.some((m) => m.includes("/node_modules/lunr/"))).toBe(true);
    expect(loaded.some((m) => m.includes("/node_modules/better-sqlite3/"))).toBe(true);
    const unwanted = loaded.filter((m) =>
      /\/node_modules\/(yaml|pdfjs-dist|grammy|@grammyjs|@slack|hono|@hono|htmlparser2|domhandler|fflate)\/|\/adapters\/(web|slack|telegram)\//.test(
        m,
      ),
    );
    expect(unwanted).toEqual([]);
  });
});

describe("sportello ask for a person", () => {
  it("explains in Italian how to ask when the question is missing", () => {
    const result = sportello(["ask"]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(say("cli.empty_question"));
    expect(result.stderr).not.toMatch(stackTrace);
  });

  it.each([
    ["lunr syntax", 'title:ferie ~ ^2 +* "unbalanced navigator~2'],
    [
      "SQL, HTML, control characters and emoji",
      "'; DROP TABLE interactions;-- <script>alert(1)</script> \u0007\u001b[31m 😀🎉",
    ],
  ])("answers %s without a stack trace", (_label, question) => {
    const result = sportello(["ask", question]);
    expect(result.status).toBe(0);
    expect(result.stdout.trim().length).toBeGreaterThan(0);
    expect(result.stdout + result.stderr).not.toMatch(stackTrace);
  });

  it("answers every hostile input of a batch with a valid JSON line", () => {
    // One line each: newlines inside an input would split it into several questions.
    const inputs = hostileInputs
      .map(([, text]) => text.replace(/[\r\n]+/g, " ").replaceAll("\0", " "))
      .filter((text) => text.trim().length > 0 && !text.trim().startsWith("{"));
    const result = sportello(["ask", "--json", "--batch", "-"], `${inputs.join("\n")}\n`);
    expect(result.status).toBe(0);
    expect(result.stderr).not.toMatch(stackTrace);
    const answers = jsonLines(result.stdout);
    expect(answers).toHaveLength(inputs.length);
    // A lone surrogate cannot be written as UTF-8: it arrives as U+FFFD.
    const asRead = (text: string) => Buffer.from(text, "utf8").toString("utf8").trim();
    for (const [i, answer] of answers.entries()) expectContract(answer, asRead(inputs[i] ?? ""));
  });

  it("names a missing batch file or corpus, without a stack trace", () => {
    const batch = sportello(["ask", "--json", "--batch", join(home.dir, "domande-mancanti.txt")]);
    expect(batch.status).not.toBe(0);
    expect(batch.stdout).toBe("");
    expect(batch.stderr).toContain("domande-mancanti.txt");
    expect(batch.stderr).not.toMatch(stackTrace);
    const corpus = sportello(["ask", "--corpus", join(home.dir, "corpus-mancante.jsonl"), "RdC"]);
    expect(corpus.status).not.toBe(0);
    expect(corpus.stderr).toContain("corpus-mancante.jsonl");
    expect(corpus.stderr).not.toMatch(stackTrace);
  });

  // A question that starts with "-" is a question, not an unknown option.
  it("answers a question that starts with a dash, or explains it in Italian", () => {
    const result = sportello(["ask", "-ferie nei cpi"]);
    expect(result.stderr).not.toMatch(/unknown option/);
    expect(result.stdout.length + result.stderr.length).toBeGreaterThan(0);
  });
});

describe("sportello eval", () => {
  const gold = join(fixtures, "gold.jsonl");

  it("prints the figures as JSON for both gold formats", () => {
    const result = sportello(["eval", "--gold", gold, "--corpus", passagesJsonl, "--json"]);
    expect(result.status).toBe(0);
    const [output] = jsonLines(result.stdout);
    const report = (output?.sets as Array<Record<string, unknown>> | undefined)?.[0];
    if (!report) throw new Error("no JSON on stdout");
    expect(report.outOfFold).toEqual(
      expect.objectContaining({ questions: 5, confidentlyWrong: expect.any(Number) }),
    );
    expect(report).toEqual(
      expect.objectContaining({
        questions: 5,
        answerable: 4,
        unanswerable: 1,
        recallAt1: expect.any(Number),
        recallAt3: expect.any(Number),
        recallAt5: 1,
        mrr: expect.any(Number),
        answeredRate: expect.any(Number),
        declinedRate: 1,
      }),
    );
    for (const key of ["recallAt1", "recallAt3", "mrr", "answeredRate"]) {
      expect(report[key]).toBeGreaterThanOrEqual(0);
      expect(report[key]).toBeLessThanOrEqual(1);
    }
    const byStyle = report.byStyle as Record<string, Record<string, unknown>>;
    expect(Object.keys(byStyle).sort()).toEqual(["formal", "informal", "keyword", "squad"]);
    expect(byStyle.formal).toEqual(expect.objectContaining({ questions: 2, unanswerable: 1 }));
    expect(byStyle.squad).toEqual(expect.objectContaining({ questions: 1, recallAt5: 1 }));
    const latency = report.latency as Record<string, number>;
    for (const key of ["p50", "p95", "p99", "max"]) expect(latency[key]).toBeGreaterThanOrEqual(0);
    expect(latency.p50).toBeLessThanOrEqual(latency.p95 ?? 0);
  });

  it("prints a table for a person", () => {
    const result = sportello(["eval", "--gold", gold, "--corpus", passagesJsonl]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/R@1/);
    expect(result.stdout).toMatch(/^all\s+5\s/m);
    expect(result.stdout).toMatch(/^squad\s+1\s/m);
    expect(result.stdout).toMatch(/latency ms: p50 [\d.]+ {2}p95 [\d.]+/);
  });

  it("names the line of a gold file it cannot read, without a stack trace", () => {
    const bad = join(home.dir, "bad-gold.jsonl");
    writeFileSync(bad, '{"id": "a", "question": "ok", "evidence": "x"}\n{not json\n');
    const result = sportello(["eval", "--gold", bad, "--corpus", passagesJsonl]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${bad}:2`);
    expect(result.stderr).not.toMatch(stackTrace);
  });
});

describe("sportello chat", () => {
  it("answers, records feedback, and the curation commands see it", () => {
    const chatHome = newHome();
    const answered = "Chi firma la convenzione tra Anpal Servizi e la Regione Basilicata?";
    const declined = "Come si richiede il bonus bebè all'INPS?";
    const chat = sportello(["chat"], `${answered}\n+\n${declined}\nesci\n`, chatHome);
    expect(chat.status).toBe(0);
    expect(chat.stderr).not.toMatch(stackTrace);
    expect(chat.stdout).toContain("Donato Viggiano");
    expect(chat.stdout).toContain(say("cli.chat_feedback_hint"));
    expect(chat.stdout).toContain(say("access.feedback_recorded"));
    expect(chat.stdout).toContain(say("answer.decline_noted"));
    expect(chat.stdout.trimEnd().endsWith(say("cli.chat_bye"))).toBe(true);
    // The answer comes before the feedback confirmation, which comes before the decline.
    const order = [
      "Donato Viggiano",
      say("access.feedback_recorded"),
      say("answer.decline_noted"),
    ].map((text) => chat.stdout.indexOf(text));
    expect([...order].sort((a, b) => a - b)).toEqual(order);

    const stats = sportello(["stats", "--json"], undefined, chatHome);
    expect(stats.status).toBe(0);
    const [report] = jsonLines(stats.stdout);
    expect(report?.totals).toEqual(
      expect.objectContaining({ questions: 2, answered: 1, declined: 1, helpful: 1 }),
    );

    const unanswered = sportello(["unanswered", "list", "--json"], undefined, chatHome);
    expect(unanswered.status).toBe(0);
    const groups = jsonLines(unanswered.stdout);
    expect(groups.map((g) => g.label)).toEqual([declined]);
    expect(groups[0]).toEqual(expect.objectContaining({ count: 1, channels: ["cli"] }));

    // The local user dismisses the group; the audit trail names them and the group.
    const dismiss = sportello(
      ["unanswered", "dismiss", String(groups[0]?.id), "--reason", "non è di competenza"],
      undefined,
      chatHome,
    );
    expect(dismiss.status).toBe(0);
    const audit = sportello(["audit", "--action", "group", "--json"], undefined, chatHome);
    expect(audit.status).toBe(0);
    expect(jsonLines(audit.stdout).map((e) => [e.action, e.who, e.target, e.detail])).toEqual([
      [
        "group.dismiss",
        "cli:local",
        String(groups[0]?.id),
        { from: "aperta", reason: "non è di competenza" },
      ],
    ]);
    const text = sportello(["audit"], undefined, chatHome);
    expect(text.stdout).toMatch(
      / {2}group\.dismiss {2}cli:local {2}\d+ {2}— da: aperta · motivo: non è di competenza\n/,
    );
    // Only coordinators read it; the refusal is a sentence, not a stack trace.
    const refused = sportello(["audit", "--as", "telegram:42"], undefined, chatHome);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain("non può consultare il registro attività");
    expect(refused.stderr).not.toMatch(stackTrace);
  });
});

describe("sportello ingest", () => {
  const fixtureKnowledge = join(repoRoot, "tests/fixtures/answer/knowledge");

  function knowledgeCopy(where: CliHome): string {
    const dir = join(where.dir, "knowledge");
    cpSync(fixtureKnowledge, dir, { recursive: true });
    return dir;
  }

  it("adds a document, keeps the manifest's comments, rebuilds, and ask cites it", async () => {
    const ingestHome = newHome();
    const knowledge = knowledgeCopy(ingestHome);
    const manifestBefore = readFileSync(join(knowledge, "manifest.yaml"), "utf8");
    const result = sportello(
      ["--knowledge", knowledge, "ingest", join(fixtures, "new-doc.md")],
      undefined,
      ingestHome,
    );
    expect(result.status).toBe(0);
    expect(result.stderr).not.toMatch(stackTrace);
    expect(result.stderr).toMatch(/new-doc/);

    expect(readdirSync(join(knowledge, "documents")).sort()).toEqual([
      "new-doc.md",
      "patto-di-servizio.md",
      "tirocini-marche.txt",
    ]);
    expect(readFileSync(join(knowledge, "documents/new-doc.md"), "utf8")).toBe(
      readFileSync(join(fixtures, "new-doc.md"), "utf8"),
    );
    const manifest = readFileSync(join(knowledge, "manifest.yaml"), "utf8");
    // Every comment line trainers wrote is still there.
    for (const line of manifestBefore.split("\n").filter((l) => l.trim().startsWith("#"))) {
      expect(manifest).toContain(line.trim());
    }
    expect(manifest).toMatch(/- id: new-doc\n\s+file: documents\/new-doc\.md/);
    expect(manifest).toContain("Esonero contributivo per le assunzioni di giovani under 36");
    // The index was rebuilt into the cache folder.
    expect(readdirSync(join(ingestHome.dir, "index")).length).toBeGreaterThan(0);

    // The index was rebuilt and cached: the next start loads it with the new document.
    const reopened = await openEngine({
      knowledgeDir: knowledge,
      cacheDir: join(ingestHome.dir, "index"),
    });
    expect(reopened.cached).toBe(true);
    expect(reopened.corpus.documents.map((d) => d.id)).toContain("new-doc");

    const question = "chi ha diritto all'esonero contributivo per i giovani under 36?";
    const ask = sportello(
      ["--knowledge", knowledge, "ask", "--json", question],
      undefined,
      ingestHome,
    );
    expect(ask.status).toBe(0);
    const [answer] = jsonLines(ask.stdout);
    if (!answer) throw new Error("no JSON on stdout");
    expect(answer.status).toBe("answered");
    expect((answer.passages as JsonPassage[])[0]?.document.id).toBe("new-doc");
    expect(answer.text).toContain("Fonti:");
    expect(answer.text).toContain("Esonero contributivo per le assunzioni di giovani under 36");
  });

  it("refuses a corrupt PDF by name and changes nothing", () => {
    const ingestHome = newHome();
    const knowledge = knowledgeCopy(ingestHome);
    const bad = join(ingestHome.dir, "x.pdf");
    // Deterministic bytes that are not a PDF.
    writeFileSync(bad, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)));
    const manifestBefore = readFileSync(join(knowledge, "manifest.yaml"));
    const documentsBefore = readdirSync(join(knowledge, "documents")).sort();

    const result = sportello(["--knowledge", knowledge, "ingest", bad], undefined, ingestHome);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("x.pdf");
    expect(result.stderr).not.toMatch(stackTrace);
    expect(readFileSync(join(knowledge, "manifest.yaml")).equals(manifestBefore)).toBe(true);
    expect(readdirSync(join(knowledge, "documents")).sort()).toEqual(documentsBefore);
  });
});
