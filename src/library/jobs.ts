// Library work that runs in the background (a console upload, a re-read), with its progress kept
// where every adapter can read it: a page that refreshes shows the step and the fraction done.
import { randomBytes } from "node:crypto";
import type { LibraryProgress } from "./library.js";

export interface LibraryJob {
  id: string;
  kind: "ingest" | "reingest";
  /** The documents concerned, when known (a re-read names its document from the start). */
  documentIds: string[];
  state: "in_corso" | "completata" | "fallita";
  /** 0..1 */
  fraction: number;
  /** What is being done now, in Italian. */
  step: string;
  /** Italian lines saying what came of it (added documents, files left out). */
  outcome: string[];
  /** Passages of the document re-read or added, when there is one. */
  passages: number | null;
  /** The Italian message of the fault that stopped it. */
  error: string | null;
  startedAt: Date;
}

export interface LibraryJobs {
  start(
    kind: LibraryJob["kind"],
    documentIds: string[],
    run: (
      report: (progress: LibraryProgress) => void,
    ) => Promise<{ documentIds?: string[]; outcome: string[]; passages?: number }>,
    initialStep: string,
  ): LibraryJob;
  get(id: string): LibraryJob | undefined;
  /** The latest job about `documentId`. */
  latestFor(documentId: string): LibraryJob | undefined;
  /** Resolves when every job started so far has ended (tests, shutdown). */
  settled(): Promise<void>;
}

/** Finished jobs kept for their pages; older ones are forgotten. */
const KEPT = 50;

export function createJobs(): LibraryJobs {
  const jobs = new Map<string, LibraryJob>();
  const running = new Set<Promise<void>>();
  const forgetOld = () => {
    const finished = [...jobs.values()].filter((j) => j.state !== "in_corso");
    for (const job of finished.slice(0, Math.max(0, finished.length - KEPT))) jobs.delete(job.id);
  };
  return {
    start(kind, documentIds, run, initialStep) {
      forgetOld();
      const job: LibraryJob = {
        id: randomBytes(9).toString("base64url"),
        kind,
        documentIds,
        state: "in_corso",
        fraction: 0,
        step: initialStep,
        outcome: [],
        passages: null,
        error: null,
        startedAt: new Date(),
      };
      jobs.set(job.id, job);
      const task = run((progress) => {
        job.step = progress.step;
        job.fraction = Math.min(1, Math.max(job.fraction, progress.fraction));
      }).then(
        (result) => {
          job.state = "completata";
          job.fraction = 1;
          job.outcome = result.outcome;
          job.passages = result.passages ?? null;
          if (result.documentIds) job.documentIds = result.documentIds;
        },
        (error: unknown) => {
          job.state = "fallita";
          job.error = error instanceof Error ? error.message : String(error);
        },
      );
      running.add(task);
      void task.finally(() => running.delete(task));
      return job;
    },
    get: (id) => jobs.get(id),
    latestFor: (documentId) =>
      [...jobs.values()].reverse().find((job) => job.documentIds.includes(documentId)),
    async settled() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
