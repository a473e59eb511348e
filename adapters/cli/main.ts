#!/usr/bin/env node
// The `sportello` command: chat, ask, ingest, eval, serve, and the curation commands.
import { resolve } from "node:path";
import { Command } from "commander";
import { openEngine } from "../../src/answer/open.js";
import { runCalibrate, runEval } from "./eval.js";

const program = new Command("sportello")
  .description("Sportello: l'assistente per gli operatori delle politiche attive del lavoro")
  .option("--knowledge <dir>", "knowledge folder", "knowledge");

program
  .command("eval")
  .description("measure retrieval and decisions on gold questions")
  .requiredOption("--gold <file>", "JSONL of gold questions")
  .option("--corpus <path>", "answer from another corpus (folder or JSONL of passages)")
  .option("--json", "one JSON object")
  .option("--verbose", "list the misses")
  .action(async (options: { gold: string; corpus?: string; json?: boolean; verbose?: boolean }) => {
    const { engine } = await openEngine({
      knowledgeDir: resolve(program.opts().knowledge),
      corpusPath: options.corpus,
      cacheDir: "data/index",
    });
    console.log(runEval(engine, options.gold, Boolean(options.json), Boolean(options.verbose)));
  });

program
  .command("calibrate")
  .description("fit the confidence model on gold questions")
  .requiredOption("--gold <file>", "JSONL of gold questions")
  .action(async (options: { gold: string }) => {
    const { engine } = await openEngine({
      knowledgeDir: resolve(program.opts().knowledge),
      cacheDir: "data/index",
    });
    console.log(runCalibrate(engine, options.gold));
  });

await program.parseAsync();
