// Keeps one adapter's fault from taking the others down. `sportello serve` runs the console and
// the bots in one process; an error that escapes an adapter (a rejected promise inside a platform
// SDK, a polling loop that dies) is caught here, logged with its code, and the adapter it came
// from is stopped and started again with a growing pause. The process itself never exits for it.
import { isSportelloError, say } from "../../src/index.js";

export interface SupervisedPart {
  name: string;
  /** Where its code and its SDK live, to tell which part a stray error came from. */
  owns: readonly RegExp[];
  /** Creates and starts the part; resolves once it is running. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface Supervisor {
  /** Starts a part and watches it from now on. */
  add(part: SupervisedPart): Promise<void>;
  /** A part reports that it stopped on its own (a polling loop that ended with an error). */
  fault(name: string, error: unknown): void;
  /** Stops every part, latest first, and stops watching the process. */
  stopAll(): Promise<void>;
}

export interface SupervisorOptions {
  log: (line: string) => void;
  /** First pause before a restart; doubled after each fault, up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** A part running this long since its last restart starts again from initialDelayMs. */
  stableMs?: number;
}

function codeOf(error: unknown): string {
  if (isSportelloError(error)) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") return code;
  return error instanceof Error ? error.name : "UNKNOWN";
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createSupervisor(options: SupervisorOptions): Supervisor {
  const { log } = options;
  const initialDelayMs = options.initialDelayMs ?? 1_000;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  const stableMs = options.stableMs ?? 5 * 60_000;
  const parts: Array<{
    part: SupervisedPart;
    delayMs: number;
    startedAt: number;
    restarting: boolean;
  }> = [];
  let stopping = false;

  function restart(entry: (typeof parts)[number]): void {
    if (entry.restarting || stopping) return;
    entry.restarting = true;
    if (Date.now() - entry.startedAt > stableMs) entry.delayMs = initialDelayMs;
    const delay = entry.delayMs;
    entry.delayMs = Math.min(maxDelayMs, entry.delayMs * 2);
    log(say("cli.serve_restarting", { part: entry.part.name, seconds: Math.ceil(delay / 1000) }));
    const timer = setTimeout(async () => {
      try {
        await entry.part.stop();
      } catch (error) {
        log(say("cli.serve_stop_failed", { part: entry.part.name, detail: messageOf(error) }));
      }
      if (stopping) return;
      try {
        await entry.part.start();
        entry.startedAt = Date.now();
        entry.restarting = false;
        log(say("cli.serve_restarted", { part: entry.part.name }));
      } catch (error) {
        log(
          say("cli.serve_not_restarted", {
            part: entry.part.name,
            code: codeOf(error),
            detail: messageOf(error),
          }),
        );
        entry.restarting = false;
        restart(entry);
      }
    }, delay);
    timer.unref();
  }

  function fault(name: string | undefined, error: unknown): void {
    const vars = { code: codeOf(error), detail: messageOf(error) };
    log(
      name === undefined
        ? say("cli.serve_unhandled_process", vars)
        : say("cli.serve_unhandled", { part: name, ...vars }),
    );
    const entry = parts.find((p) => p.part.name === name);
    if (entry) restart(entry);
  }

  /** The part whose code or SDK appears first in the error's stack. */
  function attribute(error: unknown): string | undefined {
    const stack = error instanceof Error ? (error.stack ?? "") : "";
    for (const line of stack.split("\n").slice(1)) {
      const owner = parts.find((p) => p.part.owns.some((pattern) => pattern.test(line)));
      if (owner) return owner.part.name;
    }
    return undefined;
  }

  const onError = (error: unknown) => fault(attribute(error), error);
  process.on("unhandledRejection", onError);
  process.on("uncaughtException", onError);

  return {
    async add(part) {
      await part.start();
      parts.push({ part, delayMs: initialDelayMs, startedAt: Date.now(), restarting: false });
    },
    fault: (name, error) => fault(name, error),
    async stopAll() {
      stopping = true;
      for (const { part } of [...parts].reverse()) {
        try {
          await part.stop();
        } catch (error) {
          log(`${part.name}: ${messageOf(error)}`);
        }
      }
      process.off("unhandledRejection", onError);
      process.off("uncaughtException", onError);
    },
  };
}
