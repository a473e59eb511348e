// The Documenti port built from a loaded corpus, and a tracker for re-ingestion jobs so that the
// console can show their progress while they run in the background.
import type { Corpus, Passage } from "../../src/knowledge/types.js";
import type { Actor, ConsoleDocuments, ReingestProgress } from "./ports.js";

/** Re-reads one document and swaps the running index; reports its steps as it goes. */
export type ReingestRunner = (
  documentId: string,
  report: (step: string, fraction: number) => void,
) => Promise<{ passages: number }>;

export interface CorpusDocumentsOptions {
  /** The corpus the running engine answers from; called each time, so a swap shows at once. */
  corpus: () => Corpus;
  /** Without it the page offers no re-ingestion. */
  reingest?: ReingestRunner;
  onError?: (documentId: string, error: unknown) => void;
}

export function corpusDocuments(options: CorpusDocumentsOptions): ConsoleDocuments {
  const jobs = new Map<string, ReingestProgress>();
  let cachedFor: Corpus | undefined;
  let byDocument = new Map<string, Passage[]>();
  const passagesOf = (documentId: string): Passage[] => {
    const corpus = options.corpus();
    if (corpus !== cachedFor) {
      cachedFor = corpus;
      byDocument = new Map();
      for (const passage of corpus.passages) {
        const list = byDocument.get(passage.documentId) ?? [];
        list.push(passage);
        byDocument.set(passage.documentId, list);
      }
    }
    return byDocument.get(documentId) ?? [];
  };
  const run = options.reingest;
  return {
    list: () => options.corpus().documents,
    passages: passagesOf,
    progress: (documentId) => jobs.get(documentId),
    ...(run
      ? {
          reingest(documentId: string, _actor: Actor) {
            if (jobs.get(documentId)?.state === "in_corso") return;
            const job: ReingestProgress = {
              documentId,
              state: "in_corso",
              fraction: 0,
              step: "avvio",
              passages: null,
              error: null,
            };
            jobs.set(documentId, job);
            run(documentId, (step, fraction) => {
              job.step = step;
              job.fraction = Math.min(1, Math.max(0, fraction));
            }).then(
              (result) => {
                job.state = "completata";
                job.fraction = 1;
                job.passages = result.passages;
              },
              (error: unknown) => {
                job.state = "fallita";
                job.error = error instanceof Error ? error.message : String(error);
                options.onError?.(documentId, error);
              },
            );
          },
        }
      : {}),
  };
}
