import {
  credentialPathForDb,
  fileCredentialStore,
  setConsolePassword,
} from "../../adapters/web/auth/passwords.js";
import { createConsole, type WebConsole } from "../../adapters/web/console.js";
import { corpusDocuments } from "../../adapters/web/documents.js";
import type { OpenedEngine } from "../../src/answer/open.js";
import type { SportelloApp } from "../../src/app.js";
import type { SportelloConfig } from "../../src/config/schema.js";
import { fingerprintKnowledge } from "../../src/knowledge/knowledge.js";
import type { Corpus } from "../../src/knowledge/types.js";
import { applyToCorpus } from "../../src/library/corpus.js";
import { createLibrary } from "../../src/library/library.js";
import { openShippedEngine, shippedKnowledge, startTestService } from "../support/real-service.js";
import { ConsoleClient } from "./client.js";

export { shippedKnowledge as knowledgeDir } from "../support/real-service.js";

/** Console users by role; each password is `password-di-<name>`. */
export const users = {
  operator: "olga",
  trainer: "tina",
  otherTrainer: "teo",
  coordinator: "carla",
} as const;

export function passwordOf(user: string): string {
  return `password-di-${user}`;
}

// A cheap scrypt cost keeps sign-in fast in tests; the production cost is tested on its own.
const testCost = { N: 1024, r: 8, p: 1 };

export async function openSharedEngine(): Promise<{ opened: OpenedEngine; cleanup(): void }> {
  const { opened, remove } = await openShippedEngine();
  return { opened, cleanup: remove };
}

export interface Harness {
  dir: string;
  config: SportelloConfig;
  sportello: SportelloApp;
  web: WebConsole;
  /** The corpus the Documenti page shows (changed by re-ingestion). */
  corpus(): Corpus;
  /** Resolves when the re-ingestions started so far have ended. */
  reingestSettled(): Promise<void>;
  /** Signs `user` in and returns their client. */
  signedIn(user: string): Promise<ConsoleClient>;
  close(): Promise<void>;
}

export async function startHarness(
  opened: OpenedEngine,
  options: {
    approval?: "coordinator" | "second-trainer";
    /** Replaces the step that swaps a re-ingested corpus in (default: take it at once). */
    applyCorpus?: (corpus: Corpus) => Promise<void> | void;
    /** People of other channels to name under `roles` too (`telegram:7`, `slack:U7`, `cli:ada`). */
    moreRoles?: { operators?: string[]; trainers?: string[]; coordinators?: string[] };
  } = {},
): Promise<Harness> {
  const service = startTestService(opened, {
    approval: options.approval ?? "coordinator",
    roles: {
      operators: [
        `web:${users.operator}`,
        "telegram:42",
        "slack:U1",
        ...(options.moreRoles?.operators ?? []),
      ],
      trainers: [
        `web:${users.trainer}`,
        `web:${users.otherTrainer}`,
        ...(options.moreRoles?.trainers ?? []),
      ],
      coordinators: [`web:${users.coordinator}`, ...(options.moreRoles?.coordinators ?? [])],
    },
    names: {
      [`web:${users.trainer}`]: "Tina Formatrice",
      [`web:${users.coordinator}`]: "Carla Coordinatrice",
    },
  });
  const { sportello, config, dir } = service;
  const credentials = fileCredentialStore(credentialPathForDb(config.dbPath));
  const known = Object.values(users);
  for (const user of known) {
    await setConsolePassword({
      credentials,
      user,
      password: passwordOf(user),
      knownUsers: known,
      cost: testCost,
    });
  }
  let corpus = opened.corpus;
  // Re-reading only reads knowledge/; nothing here adds, replaces or removes a document.
  const library = createLibrary({
    knowledgeDir: shippedKnowledge,
    store: sportello.store,
    applyChanges: async (changes) => {
      const next = applyToCorpus(corpus, changes, fingerprintKnowledge(shippedKnowledge));
      await options.applyCorpus?.(next);
      corpus = next;
    },
  });
  const documents = corpusDocuments({ corpus: () => corpus, library });
  const web = createConsole({
    sportello,
    curation: sportello.curation,
    documents,
    credentials,
    sessionRecords: sportello.store.sessions,
    approval: config.approval,
    // start() (the browser tests) takes a free port: tests never need 8080 free.
    port: 0,
  });
  return {
    dir,
    config,
    sportello,
    web,
    corpus: () => corpus,
    reingestSettled: () => documents.settled(),
    async signedIn(user) {
      const client = new ConsoleClient(web.app);
      const response = await client.signIn(user, passwordOf(user));
      if (response.status !== 303) throw new Error(`sign-in of ${user} failed: ${response.status}`);
      return client;
    },
    async close() {
      await web.stop();
      await service.close();
    },
  };
}
