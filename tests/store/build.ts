// Compiles the store (and what it imports) to plain JavaScript once per test file, so that child
// processes can open the same database through the real store code.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");

export function buildStore(): { dir: string; remove(): void } {
  // Inside the repository so that the compiled files find node_modules; tests/output is ignored.
  const dir = join(root, "tests", "output", `store-build-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  execFileSync(
    process.execPath,
    [
      join(root, "node_modules", "typescript", "bin", "tsc"),
      "--outDir",
      dir,
      "--rootDir",
      root,
      "--module",
      "NodeNext",
      "--moduleResolution",
      "NodeNext",
      "--target",
      "ES2022",
      "--skipLibCheck",
      "--esModuleInterop",
      "--noCheck",
      join(root, "src", "store", "store.ts"),
    ],
    { cwd: root, stdio: "pipe" },
  );
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
