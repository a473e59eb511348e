// `sportello ingest`, `remove`, `documents list|edit`: thin callers of the core library
// (src/library/), which validates, writes the knowledge folder and the audit trail. The CLI's
// hook on "the engine" rebuilds the cached index, with progress on stderr.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Command, Option } from "commander";
import {
  createActorCheck,
  createLibrary,
  type DocumentChanges,
  documentKinds,
  formatSeconds,
  isSupportedFile,
  type Library,
  type MetaInput,
  openCuration,
  openEngine,
  parseActor,
  type SportelloConfig,
  SportelloError,
  say,
  updateIndexCache,
} from "../../src/index.js";

export interface LibraryCommandsContext {
  config(): SportelloConfig;
  cacheDir(): string;
  progress(line: string, final: boolean): void;
}

/** Files named on the command line; a folder stands for the documents directly inside it. */
function expandPaths(paths: string[]): string[] {
  return paths.flatMap((path) =>
    existsSync(path) && statSync(path).isDirectory()
      ? readdirSync(path)
          .sort()
          .filter((name) => isSupportedFile(name))
          .map((name) => join(path, name))
      : [path],
  );
}

const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * Brings the cached index up to date and says how it went: after a change, with the documents
 * the library read (only those are indexed); everything when `full`.
 */
async function rebuildIndex(
  context: LibraryCommandsContext,
  knowledgeDir: string,
  options: { full?: boolean; changes?: DocumentChanges } = {},
) {
  const engineOptions = {
    knowledgeDir,
    cacheDir: context.cacheDir(),
    rebuild: options.full ?? false,
    onProgress: (done: number, total: number, file: string) =>
      context.progress(say("ingest.progress", { done, total, file }), done === total),
    onError: (error: SportelloError) => log(error.message),
  };
  const update = options.changes
    ? await updateIndexCache(engineOptions, options.changes)
    : await openEngine(engineOptions).then((opened) => ({
        documents: opened.corpus.documents.length,
        passages: opened.corpus.passages.length,
        errors: opened.errors,
        ms: opened.timings.ingestMs + opened.timings.buildMs,
        incremental: false,
      }));
  log(
    say("cli.ingest_done", {
      documents: update.documents,
      passages: update.passages,
      skipped: update.errors.length,
      seconds: formatSeconds(update.ms),
    }),
  );
}

/** Runs `task` with a library on the configured folder and store, closing the store after. */
async function withLibrary<T>(
  context: LibraryCommandsContext,
  task: (library: Library) => Promise<T>,
  options: { rebuild: boolean } = { rebuild: true },
): Promise<T> {
  const config = context.config();
  const knowledgeDir = resolve(config.knowledgeDir);
  // The store through the service's own opener: adapters never open the store themselves.
  const { store, close } = openCuration({ config });
  try {
    const library = createLibrary({
      knowledgeDir,
      store,
      actors: createActorCheck(config),
      // Another `ingest` (or `serve` taking an upload) changing the folder: wait, and say so.
      onLockWait: log,
      ...(options.rebuild
        ? {
            applyChanges: async (changes) => {
              // No passage left: nothing to index (an empty manifest is valid, an empty index not).
              if (changes.documents.length === 0) log(say("library.cli_empty"));
              else await rebuildIndex(context, knowledgeDir, { changes });
              // A running `serve` watches the knowledge folder and picks the change up itself.
              log(say("library.service_note"));
            },
          }
        : {}),
    });
    return await task(library);
  } finally {
    close();
  }
}

function metaOptions(command: Command): Command {
  return command
    .option("--title <title>", "title")
    .option("--short-title <title>", "short title for citations")
    .addOption(new Option("--kind <kind>", "kind of document").choices([...documentKinds]))
    .option("--region <region>", "Italian region the document is about (empty: national)")
    .option("--date <date>", "date (YYYY-MM-DD)")
    .option("--origin <origin>", "where the document comes from");
}

function metaFrom(options: Record<string, string | undefined>): MetaInput {
  const meta: MetaInput = {};
  if (options.title !== undefined) meta.title = options.title;
  if (options.shortTitle !== undefined) meta.shortTitle = options.shortTitle;
  if (options.kind !== undefined) meta.kind = options.kind;
  if (options.region !== undefined) meta.region = options.region;
  if (options.date !== undefined) meta.date = options.date;
  if (options.origin !== undefined) meta.origin = options.origin;
  return meta;
}

export function registerLibraryCommands(program: Command, context: LibraryCommandsContext): void {
  metaOptions(
    program
      .command("ingest")
      .description("add documents to the knowledge base and rebuild the index")
      .argument(
        "[paths...]",
        "files (.txt, .md, .pdf, .docx, .odt, .html) or folders to add; none rebuilds the index",
      ),
  )
    .option("--replace <id>", "replace document ID with this file (a new version)")
    .option("--as <user>", "who is adding (default: the local CLI user)")
    .action(async (paths: string[], options: Record<string, string | undefined>) => {
      if (paths.length === 0) {
        await rebuildIndex(context, resolve(context.config().knowledgeDir), { full: true });
        return;
      }
      const files = expandPaths(paths);
      const meta = metaFrom(options);
      await withLibrary(context, async (library) => {
        const result = await library.ingest({
          items: files.map((path) => ({ path, ...(files.length === 1 ? { meta } : {}) })),
          ...(options.replace !== undefined ? { replace: options.replace } : {}),
          actor: parseActor(options.as),
          onProgress: (progress) => context.progress(progress.step, progress.fraction >= 1),
        });
        for (const failure of result.failed) log(failure.message);
        for (const document of result.ingested) {
          log(
            say(document.replaced ? "library.cli_replaced" : "library.cli_added", {
              id: document.id,
              file: document.file,
              passages: document.passages,
            }),
          );
        }
        if (result.ingested.length === 0) {
          const only = result.failed.length === 1 ? result.failed[0] : undefined;
          throw new SportelloError(
            "DOCUMENT_UNREADABLE",
            only ? only.message : say("cli.ingest_nothing_added"),
          );
        }
      });
    });

  program
    .command("remove")
    .description("remove a document from the knowledge base and rebuild the index")
    .argument("<id>", "document id (see `sportello documents list`)")
    .option("--as <user>", "who is removing (default: the local CLI user)")
    .action(async (id: string, options: { as?: string }) => {
      await withLibrary(context, async (library) => {
        const meta = await library.remove(id, parseActor(options.as));
        log(say("library.cli_removed", { id: meta.id, title: meta.title }));
      });
    });

  const documents = program.command("documents").description("the documents of the knowledge base");
  documents
    .command("list")
    .description("list the documents of the manifest")
    .option("--json", "one JSON object per line")
    .action(async (options: { json?: boolean }) => {
      const library = createLibrary({ knowledgeDir: context.config().knowledgeDir });
      for (const meta of library.list()) {
        process.stdout.write(
          options.json
            ? `${JSON.stringify(meta)}\n`
            : `${[meta.id, meta.kind, meta.region ?? say("library.national"), meta.date ?? "—", meta.title].join("  ")}\n`,
        );
      }
    });
  metaOptions(
    documents
      .command("edit")
      .description("change a document's metadata")
      .argument("<id>", "document id"),
  )
    .option("--as <user>", "who is editing (default: the local CLI user)")
    .action(async (id: string, options: Record<string, string | undefined>) => {
      const meta = metaFrom(options);
      if (Object.keys(meta).length === 0)
        throw new SportelloError("INPUT_INVALID", say("library.cli_nothing_to_edit"));
      await withLibrary(
        context,
        async (library) => {
          const edited = await library.edit(id, meta, parseActor(options.as));
          log(say("library.cli_edited", { id: edited.id, title: edited.title }));
          log(say("library.service_note"));
        },
        // Metadata changes no passage: the index is rebuilt at the next start (new fingerprint).
        { rebuild: false },
      );
    });
}
