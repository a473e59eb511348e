// Today's way for a running engine to take document changes: the corpus it answers from, with the
// changed documents' passages swapped, handed to `setCorpus` (a full index rebuild, off the
// answering path). An engine that can update its index incrementally exposes
// `applyDocumentChanges` and is called with the changes instead.
import type { AnswerEngine } from "../answer/engine-types.js";
import type { Corpus } from "../knowledge/types.js";
import type { DocumentChanges } from "./library.js";

/** The corpus after `changes`: documents in manifest order, passages of changed ones replaced. */
export function applyToCorpus(
  corpus: Corpus,
  changes: DocumentChanges,
  fingerprint: string,
): Corpus {
  const dropped = new Set([...changes.removedDocumentIds, ...changes.added.map((d) => d.meta.id)]);
  const loaded = new Set([
    ...corpus.documents.map((d) => d.id),
    ...changes.added.map((d) => d.meta.id),
  ]);
  const removed = new Set(
    changes.removedDocumentIds.filter((id) => !changes.added.some((d) => d.meta.id === id)),
  );
  // Documents that did not load (skipped at start) stay out: only loaded ones answer.
  const documents = changes.documents.filter((d) => loaded.has(d.id) && !removed.has(d.id));
  return {
    documents,
    passages: [
      ...corpus.passages.filter((p) => !dropped.has(p.documentId)),
      ...changes.added.flatMap((d) => d.passages),
    ],
    fingerprint,
  };
}

/** An engine that takes changes itself (the search module's incremental index). */
type IncrementalEngine = AnswerEngine & {
  applyDocumentChanges?(changes: {
    added: DocumentChanges["added"];
    removedDocumentIds: string[];
    fingerprint: string;
  }): Promise<void> | void;
};

/**
 * The library's hook on a running engine: incremental when the engine can (time proportional to
 * the changed documents), otherwise a rebuild of the passage index from the updated corpus. A
 * metadata edit changes how every passage of the document is filtered (its region), so it takes
 * the rebuild. `current` and `onCorpus` keep the corpus the Documenti page shows in step.
 */
export function engineHook(options: {
  engine: AnswerEngine;
  current: () => Corpus;
  onCorpus: (corpus: Corpus) => void;
  fingerprint: () => string;
}): (changes: DocumentChanges) => Promise<void> {
  return async (changes) => {
    const fingerprint = options.fingerprint();
    const next = applyToCorpus(options.current(), changes, fingerprint);
    const engine = options.engine as IncrementalEngine;
    if (typeof engine.applyDocumentChanges === "function" && changes.edited.length === 0) {
      await engine.applyDocumentChanges({
        added: changes.added,
        removedDocumentIds: changes.removedDocumentIds,
        fingerprint,
      });
    } else engine.setCorpus(next);
    options.onCorpus(next);
  };
}
