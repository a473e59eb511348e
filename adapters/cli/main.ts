#!/usr/bin/env node
// The `sportello` command: chat, ask, ingest/remove/documents, eval, calibrate, serve, and the
// curation commands.
// Faults end in one Italian line on stderr and a non-zero exit code, never a stack trace.
// Each command imports what it alone uses, so `ask` loads neither the adapters nor ingestion.
import { dirname, join, resolve } from "node:path";
import { Option } from "commander";
import {
  type Answer,
  createSportello,
  isSportelloError,
  loadConfig,
  localCliUser,
  openCuration,
  openEngine,
  type SearchEngineChoice,
  type SportelloConfig,
  SportelloError,
  say,
  searchEngines,
  tooLongAnswer,
  useManifestCache,
  usePromptCache,
} from "../../src/index.js";
import { registerCurationCommands } from "./curation-commands.js";
import { registerLibraryCommands } from "./ingest.js";
import { SportelloCommand } from "./italian.js";
import { answerToJson, renderTerminalAnswer } from "./render.js";

// `sportello audit | head`: once the reader has gone, stop quietly instead of an EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit();
  });
}

// Descriptions here are notes for developers; the help a person reads is Italian, from
// prompts/cli.yaml (italian.ts).
const program = new SportelloCommand("sportello")
  .description("Sportello: l'assistente per gli operatori delle politiche attive del lavoro")
  .option(
    "--config <file>",
    "configuration file (default: $SPORTELLO_CONFIG or ./sportello.config.yaml)",
  )
  .option("--db <path>", "SQLite database (default: $SPORTELLO_DB or data/sportello.db)")
  .option("--knowledge <dir>", "knowledge folder (default: $SPORTELLO_KNOWLEDGE or knowledge/)")
  .showHelpAfterError();

let loadedConfig: SportelloConfig | undefined;
/** The configuration: file, then environment, then command-line flags. */
function config(): SportelloConfig {
  if (!loadedConfig) {
    const options = program.opts<{ config?: string; db?: string; knowledge?: string }>();
    loadedConfig = loadConfig({
      env: process.env,
      file: options.config,
      overrides: {
        ...(options.db ? { db: options.db } : {}),
        ...(options.knowledge ? { knowledge: options.knowledge } : {}),
      },
    });
    // The templates of prompts/, compiled, next to the index cache: no YAML read at start.
    usePromptCache(join(cacheDir(), "prompts.json"));
    // The manifest, parsed, there too: `ingest` into a folder of many documents parses no YAML.
    useManifestCache(cacheDir());
  }
  return loadedConfig;
}

const knowledgeDir = () => config().knowledgeDir;
/** The built index is cached next to the database. */
const cacheDir = () =>
  resolve(process.env.SPORTELLO_INDEX_DIR ?? join(dirname(config().dbPath), "index"));

const reportSkipped = (error: Error) =>
  process.stderr.write(`${say("cli.skipped_file", { message: error.message })}\n`);

/** The search engine: `--engine` of the command, else the configuration (auto by default). */
const searchEngine = (flag?: string) => (flag ?? config().search.engine) as SearchEngineChoice;
const engineOption = () =>
  new Option("--engine <engine>", "search engine (default: search.engine or auto)").choices([
    ...searchEngines,
  ]);

/**
 * The engine and the service; `retryMs` is how often undelivered notifications are retried. The
 * store's pages are read for damage at every `serve`, by the short commands only when the file
 * changed since the last clean close.
 */
async function openApp(
  retryMs = 0,
  engine?: string,
  checkStorePages: "always" | "when-changed" = "when-changed",
) {
  const opened = await openEngine({
    knowledgeDir: knowledgeDir(),
    cacheDir: cacheDir(),
    engine: searchEngine(engine),
    onError: reportSkipped,
  });
  const app = createSportello({
    config: config(),
    engine: opened.engine,
    corpus: opened.corpus,
    retryIntervalMs: retryMs,
    checkStorePages,
  });
  return { opened, app };
}

const progressLine = (line: string, final: boolean) => {
  if (process.stderr.isTTY) process.stderr.write(`\r\u001b[2K${line}${final ? "\n" : ""}`);
  else if (final) process.stderr.write(`${line}\n`);
};

program
  .command("ask")
  .description("answer one question (or a batch) from the knowledge base")
  // A question may start with "-" ("-ferie nei cpi?"): unknown options are words of it.
  .allowUnknownOption()
  .argument("[question...]", "the question, in Italian")
  .option("--json", "print one JSON object per question")
  .option("--batch <file>", "questions from FILE, one per line (plain text or JSON); - for stdin")
  .option(
    "--corpus <path>",
    "answer from another corpus (folder of documents or JSONL of passages)",
  )
  .addOption(engineOption())
  .action(
    async (
      words: string[],
      options: { json?: boolean; batch?: string; corpus?: string; engine?: string },
    ) => {
      const question = words.join(" ").trim();
      if (!question && !options.batch) throw new UsageError(say("cli.empty_question"));
      // Another corpus is an experiment: answered by the engine alone, nothing logged. The
      // knowledge base answers through the service, so questions are logged and queued.
      if (options.corpus) {
        const { engine } = await openEngine({
          knowledgeDir: knowledgeDir(),
          corpusPath: options.corpus,
          cacheDir: cacheDir(),
          engine: searchEngine(options.engine),
          onError: reportSkipped,
        });
        await answerQuestions(question, options, async (text) => engine.ask(text));
        return;
      }
      const { app } = await openApp(0, options.engine);
      try {
        await answerQuestions(question, options, async (text) => {
          const outcome = await app.ask({ text, channel: "cli", userId: localCliUser });
          if (outcome.kind === "refused" && outcome.reason === "too-long") {
            return tooLongAnswer(outcome.text);
          }
          if (outcome.kind === "refused") throw new UsageError(outcome.text);
          return outcome.answer;
        });
      } finally {
        await app.close();
      }
    },
  );

async function answerQuestions(
  question: string,
  options: { json?: boolean; batch?: string },
  ask: (text: string) => Promise<Answer>,
): Promise<void> {
  if (options.batch) {
    const { askBatch } = await import("./ask.js");
    const { errors } = await askBatch(options.batch, ask, Boolean(options.json), (line) =>
      process.stdout.write(`${line}\n`),
    );
    if (errors > 0) {
      process.stderr.write(`${say("cli.batch_errors", { count: errors })}\n`);
      process.exitCode = 2;
    }
    return;
  }
  const answer = await ask(question);
  process.stdout.write(
    options.json
      ? `${JSON.stringify(answerToJson(null, question, answer))}\n`
      : `${renderTerminalAnswer(answer)}\n`,
  );
}

program
  .command("chat")
  .description("chat with Sportello in the terminal")
  .action(async () => {
    const { opened, app } = await openApp();
    try {
      const { runChat } = await import("./chat.js");
      await runChat(app, opened.corpus.passages.length);
    } finally {
      await app.close();
    }
  });

registerLibraryCommands(program, { config, cacheDir, progress: progressLine });

program
  .command("eval")
  .description("measure retrieval and decisions on gold questions")
  .option(
    "--gold <file>",
    "JSONL of gold questions (repeat for several; default: ../shared/eval/gold_dev.jsonl and tests/eval/*.jsonl)",
    (value: string, previous: string[] = []) => [...previous, value],
  )
  .option("--corpus <path>", "answer from another corpus (folder or JSONL of passages)")
  .option("--json", "print the figures as one JSON object")
  .option("--verbose", "list the misses")
  .addOption(engineOption())
  .action(
    async (options: {
      gold?: string[];
      corpus?: string;
      json?: boolean;
      verbose?: boolean;
      engine?: string;
    }) => {
      const { defaultGoldPaths, runEval } = await import("./eval.js");
      const goldPaths = options.gold ?? defaultGoldPaths(process.cwd());
      if (goldPaths.length === 0) {
        throw new SportelloError("INPUT_INVALID", say("cli.gold_missing"));
      }
      const { engine } = await openEngine({
        knowledgeDir: knowledgeDir(),
        corpusPath: options.corpus,
        cacheDir: cacheDir(),
        engine: searchEngine(options.engine),
      });
      console.log(runEval(engine, goldPaths, Boolean(options.json), Boolean(options.verbose)));
    },
  );

program
  .command("calibrate")
  .description("fit the confidence model on gold questions and print it")
  .option(
    "--gold <file>",
    "JSONL of gold questions (repeat for several files; default: the sets eval reads)",
    (value: string, previous: string[] = []) => [...previous, value],
  )
  .option("--corpus <path>", "another corpus")
  .option(
    "--out <file>",
    "write the fitted model to this weights file (src/answer/calibration.json is the one the engine reads after `npm run build`)",
  )
  .action(async (options: { gold?: string[]; corpus?: string; out?: string }) => {
    const { defaultGoldPaths, runCalibrate } = await import("./eval.js");
    const goldPaths = options.gold ?? defaultGoldPaths(process.cwd());
    if (goldPaths.length === 0) throw new SportelloError("INPUT_INVALID", say("cli.gold_missing"));
    const { engine } = await openEngine({
      knowledgeDir: knowledgeDir(),
      corpusPath: options.corpus,
      cacheDir: cacheDir(),
    });
    console.log(runCalibrate(engine, goldPaths, options.out));
  });

program
  .command("serve")
  .description("start the web console and the Telegram/Slack bots that are configured")
  .action(async () => {
    const { opened, app } = await openApp(60_000, undefined, "always");
    const { runServe } = await import("./serve.js");
    await runServe({
      config: config(),
      opened,
      app,
      log: (line) => process.stderr.write(`${line}\n`),
    });
  });

program
  .command("console")
  .description("web console administration")
  .command("passwd")
  .description("set the console password of a user named web:USER in the configuration")
  .argument("<user>", "console user name (without web:)")
  .action(async (user: string) => {
    const { runConsolePasswd } = await import("../web/index.js");
    process.stdout.write(`${await runConsolePasswd({ config: config(), user })}\n`);
  });

registerCurationCommands(program, {
  open: async () => {
    const { engine } = await openEngine({
      knowledgeDir: knowledgeDir(),
      cacheDir: cacheDir(),
      engine: searchEngine(),
      onError: reportSkipped,
    });
    return openCuration({ config: config(), engine });
  },
});

class UsageError extends Error {}

try {
  await program.parseAsync();
} catch (error) {
  const message =
    isSportelloError(error) || error instanceof UsageError
      ? error.message
      : error instanceof Error
        ? error.message
        : String(error);
  process.stderr.write(`${say("cli.error", { message })}\n`);
  if (process.env.SPORTELLO_DEBUG && error instanceof Error)
    process.stderr.write(`${error.stack}\n`);
  process.exitCode = isSportelloError(error) || error instanceof UsageError ? 2 : 1;
}
