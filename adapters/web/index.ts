// The web console's public surface: create and start it, set console passwords, and the helpers
// that connect it to a running Sportello.
import type { SportelloApp } from "../../src/app.js";
import type { SportelloConfig } from "../../src/config/schema.js";
import type { Corpus } from "../../src/knowledge/types.js";
import { credentialPathForDb, fileCredentialStore } from "./auth/passwords.js";
import { type ConsoleOptions, createConsole, type WebConsole } from "./console.js";
import type { ConsoleLogger } from "./context.js";
import { corpusDocuments, knowledgeReingestRunner } from "./documents.js";

export { isLoopbackAddress, localSignInPath } from "./auth/local-access.js";
export {
  type CredentialStore,
  credentialPathForDb,
  fileCredentialStore,
  hashPassword,
  setConsolePassword,
  verifyPassword,
} from "./auth/passwords.js";
export {
  type ConsoleAddress,
  type ConsoleOptions,
  createConsole,
  type WebConsole,
} from "./console.js";
export type { ConsoleLogger } from "./context.js";
export { corpusDocuments, knowledgeReingestRunner, type ReingestRunner } from "./documents.js";
export { consoleUsers, runConsolePasswd } from "./passwd.js";
export type { ConsoleCuration, ConsoleDocuments } from "./ports.js";

/** A ConsoleLogger writing one line per event, like the service's `log`. */
export function lineLogger(write: (line: string) => void, verbose = false): ConsoleLogger {
  const line = (level: string) => (event: string, fields?: Record<string, unknown>) =>
    write(`console ${level} ${event}${fields ? ` ${JSON.stringify(fields)}` : ""}`);
  return { info: verbose ? line("info") : () => {}, warn: line("warn"), error: line("error") };
}

/**
 * The console for a running service, as `sportello serve` starts it: host, port and approval
 * policy from the configuration, passwords in the file next to the database, the Documenti page
 * on the corpus the engine answers from. With no roles configured and a loopback host, start()
 * also returns `localSignInUrl`, the one-time link that signs the local user in.
 */
export function createConsoleForApp(options: {
  app: SportelloApp;
  config: SportelloConfig;
  /** The corpus the engine was built from (openEngine's `corpus`). */
  corpus?: () => Corpus;
  /**
   * Makes a re-read corpus the one that answers (rebuild and swap the passage index). Without it
   * the Documenti page offers no re-ingestion.
   */
  applyCorpus?: (corpus: Corpus) => Promise<void> | void;
  logger?: ConsoleLogger;
  /** Overrides for tests: port 0, a fake clock… */
  overrides?: Partial<ConsoleOptions>;
}): WebConsole {
  const { app, config } = options;
  let corpus = options.corpus;
  const apply = options.applyCorpus;
  return createConsole({
    sportello: app,
    curation: app.curation,
    documents: corpus
      ? corpusDocuments({
          corpus: () => (corpus as () => Corpus)(),
          ...(apply
            ? {
                reingest: knowledgeReingestRunner({
                  knowledgeDir: config.knowledgeDir,
                  current: () => (corpus as () => Corpus)(),
                  apply: async (next) => {
                    await apply(next);
                    corpus = () => next;
                  },
                }),
              }
            : {}),
          onError: (id, error) =>
            options.logger?.error("console.reingest_failed", {
              document: id,
              message: String(error),
            }),
        })
      : undefined,
    credentials: fileCredentialStore(credentialPathForDb(config.dbPath)),
    sessionRecords: app.store.sessions,
    approval: config.approval,
    host: config.console.host,
    port: config.console.port,
    localSignIn: config.rolesUnconfigured,
    logger: options.logger,
    ...options.overrides,
    // Device cookies (auth/rate-limit.ts) stay valid across restarts.
    signIn: { deviceKey: config.secret, ...options.overrides?.signIn },
  });
}
