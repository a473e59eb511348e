// What the console needs from the rest of Sportello beyond the `Sportello` facade: the curation
// workflow, statistics and the documents as indexed. The row types are the store's own;
// `curation-port.ts` builds this port from the curation API, tests may pass their own.
import type { Channel } from "../../src/answer/types.js";
import type { DocumentMeta, Passage } from "../../src/knowledge/types.js";
import type { Role } from "../../src/service.js";
import type {
  FaqContent,
  FaqState,
  FaqVersion,
  GroupItem,
  GroupRow,
  GroupStatus,
} from "../../src/store/rows.js";
import type { StoreStats } from "../../src/store/stats.js";

export { faqStates, groupStatuses } from "../../src/store/rows.js";
export type { FaqContent, FaqState, FaqVersion, GroupItem, GroupRow, GroupStatus, StoreStats };

/** The person acting in the console: a signed-in console user. */
export interface Actor {
  user: string;
  roles: Role[];
}

export interface UnansweredQuery {
  status?: GroupStatus;
  region?: string;
  channel?: Channel;
  /** ISO date (YYYY-MM-DD), inclusive: groups last seen on or after it. */
  since?: string;
  /** ISO date, inclusive: groups first seen on or before it. */
  until?: string;
  sort: "count" | "recent";
  limit: number;
  offset: number;
}

/** What the editor submits. The review date is set when the FAQ is published. */
export interface FaqInput {
  question: string;
  alternatives: string[];
  answer: string;
  sources: FaqContent["sources"];
  tags: string[];
  region: string | null;
}

export interface StatsReport extends StoreStats {
  topUnanswered: GroupRow[];
}

export interface ConsoleCuration {
  listUnanswered(query: UnansweredQuery): { total: number; groups: GroupRow[] };
  unansweredGroup(id: number): { group: GroupRow; items: GroupItem[] } | undefined;
  /** Regions seen in the queue, for the filter. */
  unansweredRegions(): string[];
  dismissGroup(id: number, reason: string, actor: Actor): void;
  /** Latest version of every FAQ, optionally filtered by state and by text. */
  listFaqs(query: { search?: string; state?: FaqState }): FaqVersion[];
  faq(id: string): FaqVersion | undefined;
  faqHistory(id: string): FaqVersion[];
  /** A new FAQ in state "bozza"; `id` is chosen from the question when absent. */
  draftFaq(
    input: FaqInput & { id?: string; groupId?: number; reason: string },
    actor: Actor,
  ): FaqVersion;
  editFaq(id: string, basedOn: number, input: FaqInput, reason: string, actor: Actor): FaqVersion;
  approveFaq(id: string, basedOn: number, actor: Actor): FaqVersion;
  /** Publishing swaps the running index: the next ask() may answer from it. */
  publishFaq(id: string, basedOn: number, actor: Actor): Promise<FaqVersion> | FaqVersion;
  retireFaq(
    id: string,
    basedOn: number,
    reason: string,
    actor: Actor,
  ): Promise<FaqVersion> | FaqVersion;
  stats(query: { since?: Date }): StatsReport;
}

export interface ReingestProgress {
  documentId: string;
  state: "in_corso" | "completata" | "fallita";
  /** 0..1 */
  fraction: number;
  /** What is being done now ("lettura", "segmentazione", "indicizzazione"). */
  step: string;
  passages: number | null;
  error: string | null;
}

export interface ConsoleDocuments {
  list(): DocumentMeta[];
  /** The passages of a document as the index sees them. */
  passages(documentId: string): Passage[];
  /** Starts re-ingestion; absent when the running engine cannot rebuild itself. */
  reingest?(documentId: string, actor: Actor): void;
  progress?(documentId: string): ReingestProgress | undefined;
}
