// Keeps a running engine in step with its knowledge folder: a cheap stat of the manifest and of
// the documents it lists, on a timer; when one changed, `refresh()` applies the changed
// documents only. So documents ingested from the CLI reach a running service without a restart.
import { statSync } from "node:fs";
import { join } from "node:path";
import { findManifest, loadManifest } from "../knowledge/index.js";
import type { OpenedEngine } from "./open.js";

export interface WatchKnowledgeOptions {
  knowledgeDir: string;
  /** How often the folder is checked (default 2 s). */
  intervalMs?: number;
  /** After a change was applied. */
  onChange?(change: { added: string[]; removed: string[] }): void;
  onError?(error: unknown): void;
}

export interface KnowledgeWatcher {
  /** Checks now (also what the timer does); resolves once any change is applied. */
  check(): Promise<void>;
  stop(): void;
}

function statKey(path: string): string {
  try {
    const stat = statSync(path);
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  } catch {
    return "missing";
  }
}

export function watchKnowledge(
  opened: Pick<OpenedEngine, "refresh">,
  options: WatchKnowledgeOptions,
): KnowledgeWatcher {
  const { knowledgeDir } = options;
  let manifestKey = "";
  let files: string[] = [];
  const signature = (): string => {
    const manifest = findManifest(knowledgeDir);
    const key = manifest ? statKey(manifest) : "none";
    if (key !== manifestKey) {
      manifestKey = key;
      try {
        files = loadManifest(knowledgeDir).documents.map((d) => join(knowledgeDir, d.file));
      } catch {
        // A manifest being written or invalid: its own stat changes again when it is fixed.
        files = [];
      }
    }
    return [key, ...files.map(statKey)].join("|");
  };
  let last = signature();
  let running: Promise<void> | undefined;

  const check = (): Promise<void> => {
    running ??= (async () => {
      try {
        const current = signature();
        if (current === last) return;
        const change = await opened.refresh();
        last = current;
        if (change.added.length > 0 || change.removed.length > 0) options.onChange?.(change);
      } catch (error) {
        options.onError?.(error);
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  const timer = setInterval(() => void check(), options.intervalMs ?? 2_000);
  timer.unref();
  return {
    check,
    stop: () => clearInterval(timer),
  };
}
