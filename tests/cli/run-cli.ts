// Builds the `sportello` command from the current sources into a private folder (so a run never
// reads a stale dist/ or disturbs another process using it) and runs it as a user would.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { shippedKnowledge } from "../support/shipped-knowledge.js";

export const repoRoot = resolve(import.meta.dirname, "../..");

export interface CliBuild {
  main: string;
  remove(): void;
}

/**
 * Bundles the command from the sources into a temporary folder with the project's own bundler
 * (scripts/bundle.mjs, as `npm run build` does for dist/sportello.js): the tests run the program
 * that ships. Types are checked by `npm run check`, not here.
 */
export function buildCli(): CliBuild {
  const outDir = mkdtempSync(join(tmpdir(), "sportello-cli-build-"));
  try {
    execFileSync(process.execPath, [join(repoRoot, "scripts/bundle.mjs"), outDir], {
      cwd: repoRoot,
      stdio: "pipe",
      timeout: 180_000,
    });
  } catch (error) {
    rmSync(outDir, { recursive: true, force: true });
    throw error;
  }
  // The bundle finds prompts/ next to it and its external packages in node_modules/.
  symlinkSync(join(repoRoot, "prompts"), join(outDir, "prompts"));
  symlinkSync(join(repoRoot, "node_modules"), join(outDir, "node_modules"));
  return {
    main: join(outDir, "sportello.js"),
    remove: () => rmSync(outDir, { recursive: true, force: true }),
  };
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliHome {
  dir: string;
  env: Record<string, string>;
  remove(): void;
}

/** A temporary home for one test's database and index cache. */
export function cliHome(): CliHome {
  const dir = mkdtempSync(join(tmpdir(), "sportello-cli-"));
  mkdirSync(join(dir, "index"));
  return {
    dir,
    env: {
      SPORTELLO_DB: join(dir, "sportello.db"),
      SPORTELLO_INDEX_DIR: join(dir, "index"),
      SPORTELLO_SECRET: "test-secret-for-the-cli-tests-0123456789abcdef",
      // The shipped corpus, never the live knowledge/ folder (`--knowledge` still wins).
      SPORTELLO_KNOWLEDGE: shippedKnowledge,
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs `sportello …args` in the repository with only the variables it needs. */
export function runCli(
  build: CliBuild,
  home: CliHome,
  args: string[],
  options: { input?: string; nodeArgs?: string[] } = {},
): CliResult {
  const result = spawnSync(process.execPath, [...(options.nodeArgs ?? []), build.main, ...args], {
    cwd: repoRoot,
    input: options.input ?? "",
    encoding: "utf8",
    timeout: 60_000,
    env: cliEnv(home),
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * `sportello …args` as a child process that runs alongside others (or the test), resolved when it
 * ends. Its standard output is ignored, or `closed` before it writes, as `| head` does.
 */
export function spawnCli(
  build: CliBuild,
  home: CliHome,
  args: string[],
  options: { stdout?: "ignore" | "closed" } = {},
): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [build.main, ...args], {
      cwd: repoRoot,
      stdio: ["ignore", options.stdout === "closed" ? "pipe" : "ignore", "pipe"],
      env: cliEnv(home),
    });
    child.stdout?.destroy();
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stderr }));
  });
}

function cliEnv(home: CliHome): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? "", HOME: home.dir, NO_COLOR: "1", ...home.env };
}

/** A stack trace as Node prints it: "    at fn (file:line:col)". */
export const stackTrace = /^\s+at .+(\(|:\d+:\d+)/m;
