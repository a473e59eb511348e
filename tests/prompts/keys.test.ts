// src/prompt-keys.ts is generated from prompts/*.yaml so that a wrong key fails the build; this
// test fails when it is out of date. `npm run prompt-keys` rewrites it.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { parse } from "yaml";

const root = join(import.meta.dirname, "..", "..");
const target = join(root, "src", "prompt-keys.ts");

function renderPromptKeys(): string {
  const dir = join(root, "prompts");
  const keys: string[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()) {
    const namespace = file.slice(0, -".yaml".length);
    for (const key of Object.keys(parse(readFileSync(join(dir, file), "utf8")) ?? {})) {
      keys.push(`${namespace}.${key}`);
    }
  }
  keys.sort();
  return [
    "// Generated from prompts/*.yaml by `npm run prompt-keys`: do not edit. Every key say() takes.",
    "export type PromptKey =",
    ...keys.map((key, i) => `  | ${JSON.stringify(key)}${i === keys.length - 1 ? ";" : ""}`),
    "",
  ].join("\n");
}

it("src/prompt-keys.ts lists every key of prompts/ (npm run prompt-keys rewrites it)", () => {
  const expected = renderPromptKeys();
  if (process.env.UPDATE_PROMPT_KEYS === "1") writeFileSync(target, expected);
  expect(readFileSync(target, "utf8")).toBe(expected);
});
