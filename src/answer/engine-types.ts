// The contract of the answer engine: retrieval and decision over one corpus, no I/O, no logging.
// The service (src/app.ts) wraps it with access control, the store and notifications.
import type { Corpus, DocumentMeta, PublishedFaq } from "../knowledge/types.js";
import type { Answer, RetrievedPassage } from "./types.js";

export interface AnswerEngine {
  /**
   * Answers one question. Never throws on user text. `passages` in the Answer holds the top
   * `topK` retrieved passages (default 5) in rank order, also when the question is declined.
   */
  ask(text: string, options?: { topK?: number }): Answer;
  /** A passage by id, with its document and printable location. */
  passage(id: string): RetrievedPassage | undefined;
  documents(): DocumentMeta[];
  /** Regions the corpus covers (documents with a region), as written in the manifest. */
  regions(): string[];
  readonly fingerprint: string;
  /** The FAQ that currently answer. */
  faqs(): PublishedFaq[];
  /**
   * Replaces the answering FAQ set by building a new FAQ index and swapping it in one
   * assignment: a question being answered finishes on the set it started with.
   */
  setFaqs(faqs: PublishedFaq[]): void;
  /**
   * Replaces the corpus the engine answers from (after a re-ingestion): the new passage index is
   * built before the swap, so questions keep being answered from the old one meanwhile.
   */
  setCorpus(corpus: Corpus): void;
  /**
   * True when `faq` would answer `question` if it were published (curation preselects the queued
   * questions a FAQ answers when it is published).
   */
  faqMatches(question: string, faq: PublishedFaq): boolean;
  /** The search's Italian analysis (folded, stemmed terms), for grouping similar questions. */
  analyze(text: string): string[];
}
