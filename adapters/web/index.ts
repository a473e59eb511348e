// The web console's public surface: create and start it, set console passwords, and the helpers
// that connect it to a running Sportello.
import type { Corpus, SportelloApp, SportelloConfig } from "../../src/index.js";
import { credentialPathForDb, fileCredentialStore } from "./auth/passwords.js";
import { type ConsoleOptions, createConsole, type WebConsole } from "./console.js";
import type { ConsoleLogger } from "./context.js";
import { corpusDocuments } from "./documents.js";

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
export { corpusDocuments } from "./documents.js";
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
 * on the corpus the engine answers from, with the service's library (upload, replace, remove,
 * edit, re-read). With no roles configured and a loopback host, start() also returns
 * `localSignInUrl`, the one-time link that signs the local user in.
 */
export function createConsoleForApp(options: {
  app: SportelloApp;
  config: SportelloConfig;
  /** The corpus to show when the service was created without one (its library then stays off). */
  corpus?: () => Corpus;
  logger?: ConsoleLogger;
  /** Overrides for tests: port 0, a fake clock… */
  overrides?: Partial<ConsoleOptions>;
}): WebConsole {
  const { app, config } = options;
  // The library changes documents only where its hook reaches the engine (app created with its
  // corpus); otherwise the page shows the documents and offers no change.
  const live = app.corpus() !== undefined;
  const corpus = () => (app.corpus() ?? options.corpus?.()) as Corpus;
  return createConsole({
    sportello: app,
    curation: app.curation,
    documents:
      live || options.corpus
        ? corpusDocuments({ corpus, ...(live ? { library: app.library } : {}) })
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
