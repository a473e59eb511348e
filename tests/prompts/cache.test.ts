// The compiled templates kept next to the index cache: used while prompts/*.yaml is unchanged,
// read again from the YAML as soon as a file differs from what the cache was compiled from.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sportello-prompts-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh copy of src/prompts.ts, as a new process would load it. */
async function freshPrompts(cacheFile: string) {
  vi.resetModules();
  const prompts = await import("../../src/prompts.js");
  prompts.usePromptCache(cacheFile);
  return prompts;
}

interface CacheFile {
  namespaces: Record<string, { hash: string; templates: Record<string, string> }>;
}

describe("the compiled templates", () => {
  it("are written on first use, used while the file is unchanged, replaced when it changed", async () => {
    const cacheFile = join(dir, "prompts.json");
    const shipped = (await freshPrompts(cacheFile)).say("access.refused");
    const written = JSON.parse(readFileSync(cacheFile, "utf8")) as CacheFile;
    const entry = written.namespaces.access;
    expect(entry?.templates.refused).toBe(shipped);

    // Same hash as prompts/access.yaml: the cache is what is said (the YAML is not read).
    if (!entry) throw new Error("no access namespace in the cache");
    entry.templates.refused = "Dalla cache.";
    writeFileSync(cacheFile, JSON.stringify(written));
    expect((await freshPrompts(cacheFile)).say("access.refused")).toBe("Dalla cache.");

    // Compiled from other bytes: the YAML is read again and the cache rewritten.
    entry.hash = "compiled-from-an-older-file";
    writeFileSync(cacheFile, JSON.stringify(written));
    expect((await freshPrompts(cacheFile)).say("access.refused")).toBe(shipped);
    const rewritten = JSON.parse(readFileSync(cacheFile, "utf8")) as CacheFile;
    expect(rewritten.namespaces.access?.templates.refused).toBe(shipped);
  });

  it("that cannot be read or written only cost the reading of the YAML", async () => {
    const cacheFile = join(dir, "prompts.json");
    writeFileSync(cacheFile, "{ not json");
    // A cache "folder" that is a file: nothing can be written there.
    writeFileSync(join(dir, "a-file"), "");
    const prompts = await freshPrompts(join(dir, "a-file", "prompts.json"));
    expect(prompts.say("access.refused").length).toBeGreaterThan(0);
    expect((await freshPrompts(cacheFile)).say("access.refused").length).toBeGreaterThan(0);
  });
});
