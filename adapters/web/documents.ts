// The Documenti port built from a loaded corpus, and a tracker for re-ingestion jobs so that the
// console can show their progress while they run in the background.
import { join } from "node:path";
import { SportelloError } from "../../src/errors.js";
import { fingerprintKnowledge } from "../../src/knowledge/knowledge.js";
import { loadDocument } from "../../src/knowledge/load.js";
import { loadManifest } from "../../src/knowledge/manifest.js";
import type { Corpus, Passage } from "../../src/knowledge/types.js";
import type { ConsoleDocuments, ReingestProgress } from "./ports.js";
import { t } from "./text.js";

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

export function corpusDocuments(
  options: CorpusDocumentsOptions,
): ConsoleDocuments & { settled(): Promise<void> } {
  const jobs = new Map<string, ReingestProgress>();
  const running = new Set<Promise<void>>();
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
    /** Resolves when every re-ingestion started so far has ended (tests, shutdown). */
    async settled() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    ...(run
      ? {
          reingest(documentId: string, _user: string) {
            if (jobs.get(documentId)?.state === "in_corso") return;
            const job: ReingestProgress = {
              documentId,
              state: "in_corso",
              fraction: 0,
              step: t("documents.step_start"),
              passages: null,
              error: null,
            };
            jobs.set(documentId, job);
            const task = run(documentId, (step, fraction) => {
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
            running.add(task);
            void task.finally(() => running.delete(task));
          },
        }
      : {}),
  };
}

export interface KnowledgeReingestOptions {
  /** The knowledge folder (manifest.yaml and documents). */
  knowledgeDir: string;
  /** The corpus answering now. */
  current: () => Corpus;
  /**
   * Makes the new corpus the one that answers (rebuild the passage index and swap it in): the
   * engine's job. The console only shows its progress.
   */
  apply: (corpus: Corpus) => Promise<void> | void;
}

/**
 * Re-reads one document of the knowledge folder (its manifest entry and its file), segments it
 * again and hands the corpus with its new passages to `apply`.
 */
export function knowledgeReingestRunner(options: KnowledgeReingestOptions): ReingestRunner {
  return async (documentId, report) => {
    report(t("documents.step_manifest"), 0.05);
    const meta = loadManifest(options.knowledgeDir).documents.find((d) => d.id === documentId);
    if (!meta)
      throw new SportelloError("NOT_FOUND", t("documents.not_in_manifest", { id: documentId }));
    report(t("documents.step_read"), 0.15);
    const loaded = await loadDocument(join(options.knowledgeDir, meta.file), meta);
    report(t("documents.step_index"), 0.6);
    const before = options.current();
    const corpus: Corpus = {
      documents: before.documents.map((d) => (d.id === documentId ? loaded.meta : d)),
      passages: [...before.passages.filter((p) => p.documentId !== documentId), ...loaded.passages],
      fingerprint: fingerprintKnowledge(options.knowledgeDir),
    };
    await options.apply(corpus);
    report(t("documents.step_done"), 1);
    return { passages: loaded.passages.length };
  };
}
