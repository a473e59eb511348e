// The real Sportello for end-to-end tests: the answer engine on the shipped corpus (a temporary
// copy of what knowledge/ ships, built once per test file, cached in a temporary folder) and a
// service on a SQLite file in a temporary folder, with the access rules a suite needs.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type OpenedEngine, openEngine } from "../../src/answer/open.js";
import { createSportello, type SportelloApp } from "../../src/app.js";
import { loadConfig } from "../../src/config/load.js";
import type { ConfigFileInput, SportelloConfig } from "../../src/config/schema.js";
import { shippedKnowledge } from "./shipped-knowledge.js";

export { shippedKnowledge } from "./shipped-knowledge.js";

export interface ShippedEngine {
  opened: OpenedEngine;
  remove(): void;
}

/** The engine on knowledge/, its index cached in a folder of its own. */
export async function openShippedEngine(): Promise<ShippedEngine> {
  const cacheDir = mkdtempSync(join(tmpdir(), "sportello-index-"));
  const opened = await openEngine({ knowledgeDir: shippedKnowledge, cacheDir });
  return { opened, remove: () => rmSync(cacheDir, { recursive: true, force: true }) };
}

/** A configuration on a fresh temporary folder; `overrides` names roles, chats, channels… */
export function testConfig(overrides: ConfigFileInput): { config: SportelloConfig; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "sportello-service-"));
  const config = loadConfig({
    env: {},
    cwd: dir,
    log: () => {},
    overrides: {
      db: join(dir, "sportello.db"),
      secret: "segreto-di-prova-lungo-abbastanza",
      knowledge: shippedKnowledge,
      ...overrides,
    },
  });
  return { config, dir };
}

export interface TestService {
  sportello: SportelloApp;
  config: SportelloConfig;
  dir: string;
  close(): Promise<void>;
}

/** The real service on `engine`, its store in a temporary folder removed by `close()`. */
export function startTestService(opened: OpenedEngine, overrides: ConfigFileInput): TestService {
  const { config, dir } = testConfig(overrides);
  const sportello = createSportello({
    config,
    engine: opened.engine,
    log: () => {},
    retryIntervalMs: 0,
  });
  return {
    sportello,
    config,
    dir,
    async close() {
      await sportello.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
