// Reads and validates knowledge/manifest.yaml: which documents ship, with their metadata.
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join, resolve } from "node:path";
import type * as z from "zod";
import { SportelloError } from "../errors.js";
import { say } from "../prompts.js";
import { yaml } from "../yaml.js";
import { type Manifest, manifestSchema } from "./types.js";

export const manifestNames = ["manifest.yaml", "manifest.yml"] as const;

/** Path of the manifest in `dir`, or undefined when the folder has none. */
export function findManifest(dir: string): string | undefined {
  return manifestNames.map((name) => join(dir, name)).find((path) => existsSync(path));
}

/** "documents.2.region" for an issue's path. */
export function issueField(issue: z.core.$ZodIssue | undefined): string {
  return issue?.path.length ? issue.path.map(String).join(".") : say("ingest.field_root");
}

/** What is wrong with the value, in the schema's words or a general one. */
export function issueProblem(issue: z.core.$ZodIssue | undefined): string {
  return issue?.message ?? say("ingest.field_invalid");
}

/**
 * The last manifest parsed, by path and stat: one start or one ingest reads the manifest from
 * several places (fingerprint, document hashes, the library), and YAML parsing is the slow part.
 * The inode is in the key, so a manifest written through a rename is never mistaken for the old.
 */
let parsed: { key: string; manifest: Manifest } | undefined;

function statKey(path: string): string | undefined {
  try {
    const stat = statSync(path);
    return `${path}:${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/**
 * A folder where each manifest parsed is kept as JSON with its stat key (next to the index
 * cache): a new process (`sportello ingest`) does not parse a manifest of a thousand entries
 * again (about a second on a busy machine) unless the file changed.
 */
let cacheDir: string | undefined;

export function useManifestCache(dir: string | undefined): void {
  cacheDir = dir;
}

const MANIFEST_CACHE_FORMAT = 1;

function cacheFileOf(path: string): string | undefined {
  if (!cacheDir) return undefined;
  const name = createHash("sha256").update(resolve(path)).digest("hex").slice(0, 16);
  return join(cacheDir, `manifest-${name}.json`);
}

function readCached(path: string, key: string): Manifest | undefined {
  const file = cacheFileOf(path);
  if (!file || !existsSync(file)) return undefined;
  try {
    const stored = JSON.parse(readFileSync(file, "utf8")) as { format?: unknown; key?: unknown };
    if (stored.format !== MANIFEST_CACHE_FORMAT || stored.key !== key) return undefined;
    const checked = manifestSchema.safeParse((stored as { manifest?: unknown }).manifest);
    return checked.success ? checked.data : undefined;
  } catch {
    return undefined;
  }
}

function writeCached(path: string, key: string, manifest: Manifest): void {
  const file = cacheFileOf(path);
  if (!file) return;
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(cacheDir ?? "", { recursive: true });
    writeFileSync(temporary, JSON.stringify({ format: MANIFEST_CACHE_FORMAT, key, manifest }));
    renameSync(temporary, file);
  } catch {
    // A cache that cannot be written costs a parse next time, nothing else.
    rmSync(temporary, { force: true });
  }
}

function remember(path: string, key: string, manifest: Manifest, persist: boolean): void {
  parsed = { key, manifest: structuredClone(manifest) };
  if (persist) writeCached(path, key, manifest);
}

/** Loads the manifest of `dir`; a missing file, bad YAML or an invalid field is KNOWLEDGE_INVALID. */
export function loadManifest(dir: string): Manifest {
  const path = findManifest(dir) ?? join(dir, manifestNames[0]);
  const key = statKey(path);
  if (key !== undefined && parsed?.key === key) return structuredClone(parsed.manifest);
  const cached = key === undefined ? undefined : readCached(path, key);
  if (cached && key !== undefined) {
    remember(path, key, cached, false);
    return cached;
  }
  const manifest = parseManifest(dir, path);
  if (key !== undefined) remember(path, key, manifest, true);
  return manifest;
}

/**
 * Records the manifest just written to `dir`, so that the next `loadManifest` in this process does
 * not parse its YAML again (a thousand entries take a quarter of a second). The entries go through
 * the schema, as a parse of the file would take them.
 */
export function rememberManifest(dir: string, manifest: Manifest): void {
  const path = findManifest(dir);
  const key = path && statKey(path);
  if (!path || key === undefined) return;
  remember(path, key, manifestSchema.parse(structuredClone(manifest)), true);
}

function parseManifest(dir: string, path: string): Manifest {
  const file = path.slice(dir.length).replace(/^[/\\]/, "");
  let data: unknown;
  try {
    data = yaml().parse(readFileSync(path, "utf8"));
  } catch (error) {
    const problem = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new SportelloError(
      "KNOWLEDGE_INVALID",
      say("ingest.manifest_unreadable", { file, problem: problem ?? "" }),
      { cause: error },
    );
  }
  const parsed = manifestSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SportelloError(
      "KNOWLEDGE_INVALID",
      say("ingest.manifest_invalid", {
        file,
        field: issueField(issue),
        problem: issueProblem(issue),
      }),
      { cause: parsed.error },
    );
  }
  const seen = new Set<string>();
  for (const document of parsed.data.documents) {
    if (seen.has(document.id)) {
      throw new SportelloError(
        "KNOWLEDGE_INVALID",
        say("ingest.manifest_duplicate_id", { file, id: document.id }),
      );
    }
    seen.add(document.id);
  }
  return parsed.data;
}
