// Shared set-up for curation tests: a temporary folder with a configuration, a tiny corpus and
// the real answer engine, removed afterwards.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { registerCurationCommands } from "../../adapters/cli/curation-commands.js";
import { createEngine } from "../../src/answer/engine.js";
import {
  type CreateSportelloOptions,
  createSportello,
  openCuration,
  type SportelloApp,
} from "../../src/app.js";
import { loadConfig } from "../../src/config/load.js";
import type { ConfigFileInput, SportelloConfig } from "../../src/config/schema.js";
import type { Corpus, DocumentMeta, Passage } from "../../src/knowledge/types.js";
import type { NotificationPort, OutgoingNotification } from "../../src/service.js";

const convention: DocumentMeta = {
  id: "convenzione-basilicata",
  file: "convenzione-basilicata.txt",
  title: "Convenzione tra Anpal Servizi e Regione Basilicata",
  shortTitle: "Convenzione Basilicata",
  kind: "convenzione",
  region: "Basilicata",
  date: "2018-05-10",
  origin: "Anpal Servizi",
};

function passage(n: number, breadcrumb: string[], text: string): Passage {
  return {
    id: `convenzione-basilicata:p${n}`,
    documentId: convention.id,
    breadcrumb,
    location: { lineStart: n * 10, lineEnd: n * 10 + 9 },
    text,
    kind: "text",
  };
}

export const testCorpus: Corpus = {
  documents: [convention],
  passages: [
    passage(
      1,
      ["Premesse"],
      "La Convenzione è firmata per la Regione Basilicata dal Dirigente Generale del Dipartimento Politiche di Sviluppo, Lavoro, Formazione e Ricerca, e per Anpal Servizi dall'Amministratore unico.",
    ),
    passage(
      2,
      ["Art. 4 Decorrenza"],
      "La presente Convenzione ha effetto dalla data di stipula e ha durata fino al 31 dicembre 2020.",
    ),
    passage(
      3,
      ["Art. 3 Trattamento dei dati personali"],
      "Le parti trattano i dati personali nel rispetto del Regolamento (UE) 2016/679 e del D.Lgs. 196/2003.",
    ),
    passage(
      4,
      ["Art. 2 Attività"],
      "Anpal Servizi fornisce assistenza tecnica ai Centri per l'impiego della Basilicata per il rafforzamento dei servizi al lavoro.",
    ),
  ],
  fingerprint: "test-corpus-1",
};

export interface TestEnv {
  dir: string;
  config: SportelloConfig;
  app: SportelloApp;
  cleanup(): Promise<void>;
}

export const secret = "test-secret-0123456789abcdef";

export function makeConfig(dir: string, overrides: ConfigFileInput = {}): SportelloConfig {
  mkdirSync(join(dir, "knowledge", "faq"), { recursive: true });
  return loadConfig({
    env: {
      SPORTELLO_DB: join(dir, "data", "sportello.db"),
      SPORTELLO_SECRET: secret,
      SPORTELLO_KNOWLEDGE: join(dir, "knowledge"),
    },
    cwd: dir,
    overrides: {
      roles: {
        operators: ["telegram:1001", "telegram:1002", "slack:U1"],
        trainers: ["cli:anna", "cli:bruno"],
        coordinators: ["cli:carla"],
      },
      names: { "cli:anna": "Anna Formatrice" },
      ...overrides,
    },
    log: () => {},
  });
}

export function makeTempDir(): string {
  return mkdtempSync(join(tmpdir(), "sportello-curation-"));
}

export function createTestApp(
  dir: string,
  options: Partial<CreateSportelloOptions> & { configOverrides?: ConfigFileInput } = {},
): TestEnv {
  const config = options.config ?? makeConfig(dir, options.configOverrides);
  const engine = options.engine ?? createEngine({ corpus: testCorpus });
  const app = createSportello({ retryIntervalMs: 0, log: () => {}, ...options, config, engine });
  return {
    dir,
    config,
    app,
    async cleanup() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A notification port that records what it is asked to deliver, and can be told to fail. */
export class RecordingPort implements NotificationPort {
  readonly delivered: OutgoingNotification[] = [];
  failing = false;
  constructor(readonly channel: NotificationPort["channel"]) {}
  async deliver(notification: OutgoingNotification): Promise<void> {
    if (this.failing) throw new Error("rete non raggiungibile");
    this.delivered.push(notification);
  }
}

export function writeFaqFile(dir: string, name: string, text: string): void {
  writeFileSync(join(dir, name), text);
}

/** Runs one `sportello …` curation command against the test database; returns its output. */
export async function runCurationCli(env: TestEnv, ...args: string[]): Promise<string> {
  let output = "";
  const program = new Command("sportello").exitOverride().configureOutput({
    writeOut: () => {},
    writeErr: () => {},
  });
  registerCurationCommands(program, {
    open: () => openCuration({ config: env.config, log: () => {} }),
    write: (text) => {
      output += text;
    },
  });
  await program.parseAsync(args, { from: "user" });
  return output;
}
