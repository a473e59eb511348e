#!/usr/bin/env node
// The `sportello` command: chat, ask, ingest, eval, calibrate, serve, and the curation commands.
// Faults end in one Italian line on stderr and a non-zero exit code, never a stack trace.
import { resolve } from "node:path";
import { Command, Option } from "commander";
import { openEngine } from "../../src/answer/open.js";
import { isSportelloError } from "../../src/errors.js";
import { documentKinds } from "../../src/knowledge/types.js";
import { say } from "../../src/prompts.js";
import { askBatch } from "./ask.js";
import { runCalibrate, runEval } from "./eval.js";
import { runIngest } from "./ingest.js";
import { answerToJson, renderTerminalAnswer } from "./render.js";

const cacheDir = () => resolve(process.env.SPORTELLO_INDEX_DIR ?? "data/index");

const program = new Command("sportello")
  .description("Sportello: l'assistente per gli operatori delle politiche attive del lavoro")
  .option("--knowledge <dir>", "knowledge folder (default: $SPORTELLO_KNOWLEDGE or knowledge/)")
  .showHelpAfterError();

const knowledgeDir = () =>
  resolve(program.opts().knowledge ?? process.env.SPORTELLO_KNOWLEDGE ?? "knowledge");

const progressLine = (line: string, final: boolean) => {
  if (process.stderr.isTTY) process.stderr.write(`\r\u001b[2K${line}${final ? "\n" : ""}`);
  else if (final) process.stderr.write(`${line}\n`);
};

program
  .command("ask")
  .description("answer one question (or a batch) from the knowledge base")
  .argument("[question...]", "the question, in Italian")
  .option("--json", "print one JSON object per question")
  .option("--batch <file>", "questions from FILE, one per line (plain text or JSON); - for stdin")
  .option(
    "--corpus <path>",
    "answer from another corpus (folder of documents or JSONL of passages)",
  )
  .action(async (words: string[], options: { json?: boolean; batch?: string; corpus?: string }) => {
    const question = words.join(" ").trim();
    if (!question && !options.batch) throw new UsageError(say("cli.empty_question"));
    const { engine } = await openEngine({
      knowledgeDir: knowledgeDir(),
      corpusPath: options.corpus,
      cacheDir: cacheDir(),
      onError: (error) =>
        process.stderr.write(`${say("cli.skipped_file", { message: error.message })}\n`),
    });
    const ask = async (text: string) => engine.ask(text);
    if (options.batch) {
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
  });

program
  .command("ingest")
  .description("add documents to the knowledge base and rebuild the index")
  .argument("[paths...]", "files (.txt, .md, .pdf) or folders to add; none rebuilds the index")
  .option("--title <title>", "title of the added document")
  .option("--short-title <title>", "short title for citations")
  .addOption(new Option("--kind <kind>", "kind of document").choices([...documentKinds]))
  .option("--region <region>", "Italian region the document is about")
  .option("--date <date>", "date (YYYY-MM-DD)")
  .option("--origin <origin>", "where the document comes from")
  .action(async (paths: string[], options: Record<string, string | undefined>) => {
    const meta = Object.fromEntries(
      Object.entries({
        title: options.title,
        shortTitle: options.shortTitle,
        kind: options.kind,
        region: options.region,
        date: options.date,
        origin: options.origin,
      }).filter(([, value]) => value !== undefined),
    );
    await runIngest({
      knowledgeDir: knowledgeDir(),
      cacheDir: cacheDir(),
      paths,
      meta,
      log: (line) => process.stderr.write(`${line}\n`),
      progress: progressLine,
    });
  });

program
  .command("eval")
  .description("measure retrieval and decisions on gold questions")
  .requiredOption("--gold <file>", "JSONL of gold questions")
  .option("--corpus <path>", "answer from another corpus (folder or JSONL of passages)")
  .option("--json", "print the figures as one JSON object")
  .option("--verbose", "list the misses")
  .action(async (options: { gold: string; corpus?: string; json?: boolean; verbose?: boolean }) => {
    const { engine } = await openEngine({
      knowledgeDir: knowledgeDir(),
      corpusPath: options.corpus,
      cacheDir: cacheDir(),
    });
    console.log(runEval(engine, options.gold, Boolean(options.json), Boolean(options.verbose)));
  });

program
  .command("calibrate")
  .description("fit the confidence model on gold questions and print it")
  .requiredOption("--gold <file>", "JSONL of gold questions")
  .option("--corpus <path>", "another corpus")
  .action(async (options: { gold: string; corpus?: string }) => {
    const { engine } = await openEngine({
      knowledgeDir: knowledgeDir(),
      corpusPath: options.corpus,
      cacheDir: cacheDir(),
    });
    console.log(runCalibrate(engine, options.gold));
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
