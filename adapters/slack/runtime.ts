// What every listener shares, in a file of its own so that `handlers.ts`, `questions.ts` and
// `buttons.ts` depend on it rather than on each other.
import type { Answer, Sportello } from "../../src/index.js";
import type { BoundedMap } from "./memory.js";

/** What every listener shares: the facade, the log, the one place faults are caught. */
export interface SlackRuntime {
  sportello: Sportello;
  log: (line: string) => void;
  /** Runs `work` after the ack; a fault is logged with its code and `apologise` is tried. */
  guard(
    where: string,
    work: () => Promise<void>,
    apologise?: () => Promise<unknown>,
  ): Promise<void>;
  describe(error: unknown): string;
  /** Answers behind ephemeral replies (slash command), for "Condividi" and feedback on them. */
  answers: BoundedMap<number, Answer>;
}
