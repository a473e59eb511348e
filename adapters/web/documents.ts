// The Documenti port: the corpus the engine answers from (passages grouped by document) and, when
// the console has the core library, its operations (upload, replace, remove, edit, re-read) and
// their progress. Everything that changes documents happens in src/library/.
import type { Corpus, Library, LibraryJob, Passage } from "../../src/index.js";
import type { ConsoleDocuments, ReingestProgress } from "./ports.js";

export interface CorpusDocumentsOptions {
  /** The corpus the running engine answers from; called each time, so a swap shows at once. */
  corpus: () => Corpus;
  /** The core library; without it the page only shows the documents. */
  library?: Library;
}

function asProgress(job: LibraryJob, documentId: string): ReingestProgress {
  return {
    documentId,
    state: job.state,
    fraction: job.fraction,
    step: job.step,
    passages: job.passages,
    error: job.error,
  };
}

export function corpusDocuments(
  options: CorpusDocumentsOptions,
): ConsoleDocuments & { settled(): Promise<void> } {
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
  const library = options.library;
  return {
    list: () => options.corpus().documents,
    passages: passagesOf,
    progress(documentId) {
      const job = library?.jobs.latestFor(documentId);
      return job?.kind === "reingest" ? asProgress(job, documentId) : undefined;
    },
    async settled() {
      await library?.jobs.settled();
    },
    ...(library
      ? {
          library,
          reingest(documentId: string, actor) {
            library.startReingest(documentId, actor);
          },
        }
      : {}),
  };
}
