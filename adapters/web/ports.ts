// What the console needs beyond the `Sportello` facade: the curation workflow (the part of
// src/curation/curation.ts it drives, the audit trail included) and the documents as indexed,
// with re-ingestion.

import type {
  Actor,
  Curation,
  DocumentMeta,
  Library,
  Passage,
  UnansweredQuery,
} from "../../src/index.js";

export type {
  Actor,
  AdapterAuditEntry,
  AnswerProposal,
  AuditQuery,
  AuditRecord,
  BreakdownRow,
  FaqInput,
  FaqRecord,
  FaqVersionRecord,
  ResolutionCandidate,
  StatsReport,
  Suggestion,
  UnansweredGroupDetail,
  UnansweredGroupRow,
  UnansweredQuery,
} from "../../src/index.js";
/** A list query with its paging and order decided. */
export type ListQuery = UnansweredQuery &
  Required<Pick<UnansweredQuery, "sort" | "limit" | "offset">>;

export type { FaqState, GroupStatus } from "../../src/index.js";
export { faqStates, groupStatuses } from "../../src/index.js";

/** The curation calls the console makes; `SportelloApp.curation` provides them all. */
export type ConsoleCuration = Pick<
  Curation,
  | "listUnanswered"
  | "unansweredGroup"
  | "unansweredRegions"
  | "unansweredOpenCounts"
  | "unansweredCsv"
  | "dismissGroup"
  | "confirmUncertain"
  | "splitGroup"
  | "mergeGroups"
  | "moveQuestion"
  | "publishCandidates"
  | "consoleNotices"
  | "consoleNoticeCount"
  | "markNotificationDelivered"
  | "displayName"
  | "proposeAnswer"
  | "suggestions"
  | "acceptSuggestion"
  | "rejectSuggestion"
  | "listFaqs"
  | "faq"
  | "faqHistory"
  | "draftFaq"
  | "editFaq"
  | "approveFaq"
  | "publishFaq"
  | "retireFaq"
  | "stats"
  | "audit"
  | "auditActions"
  | "recordAudit"
>;

export interface ReingestProgress {
  documentId: string;
  state: "in_corso" | "completata" | "fallita";
  /** 0..1 */
  fraction: number;
  /** What is being done now, in Italian ("lettura del file", "indicizzazione"). */
  step: string;
  passages: number | null;
  error: string | null;
}

export interface ConsoleDocuments {
  list(): DocumentMeta[];
  /** The passages of a document as the index sees them. */
  passages(documentId: string): Passage[];
  /** Starts re-ingestion in the background; absent when the running engine cannot rebuild itself. */
  reingest?(documentId: string, actor: Actor): void;
  progress?(documentId: string): ReingestProgress | undefined;
  /** The core library: upload, replace, remove, edit (absent: the page only shows documents). */
  library?: Library;
}
