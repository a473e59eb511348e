// What the console needs from the rest of Sportello beyond the `Sportello` facade: the curation
// workflow, statistics and the documents as indexed. `curation-adapter.ts` builds these from the
// store's curation API; tests may pass their own.
import type { Channel } from "../../src/answer/types.js";
import type { DocumentMeta, Faq, Passage } from "../../src/knowledge/types.js";
import type { Role } from "../../src/service.js";

/** The person acting in the console: a signed-in console user. */
export interface Actor {
  user: string;
  roles: Role[];
}

export const groupStatuses = ["aperta", "in_lavorazione", "risolta", "scartata"] as const;
export type GroupStatus = (typeof groupStatuses)[number];

export interface UnansweredQuery {
  status?: GroupStatus;
  region?: string;
  channel?: Channel;
  /** ISO date, inclusive. */
  since?: string;
  /** ISO date, inclusive. */
  until?: string;
  sort: "count" | "recent";
  limit: number;
  offset: number;
}

export interface UnansweredGroupRow {
  id: number;
  label: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
  status: GroupStatus;
  channels: Channel[];
  regions: string[];
  /** The FAQ that resolved the group, when status is "risolta". */
  faqId: string | null;
  /** Why the group was dismissed, when status is "scartata". */
  dismissReason: string | null;
}

export interface UnansweredPhrasing {
  text: string;
  askedAt: string;
  channel: Channel;
  region: string | null;
}

export interface UnansweredGroupDetail extends UnansweredGroupRow {
  phrasings: UnansweredPhrasing[];
}

export const faqStatuses = ["bozza", "approvata", "pubblicata", "ritirata"] as const;
export type FaqStatus = (typeof faqStatuses)[number];

/** What the editor submits: a FAQ without its review date (the store sets it). */
export type FaqInput = Omit<Faq, "reviewed" | "id"> & { id?: string };

export interface FaqRecord extends Faq {
  status: FaqStatus;
  version: number;
  updatedAt: string;
  updatedBy: string;
  /** The group the FAQ was drafted from, if any. */
  groupId: number | null;
}

export interface FaqVersionRecord {
  version: number;
  at: string;
  author: string;
  /** What happened: "bozza", "modifica", "approvata", "pubblicata", "ritirata". */
  action: string;
  reason: string | null;
  faq: Faq;
}

export interface DayStats {
  date: string;
  questions: number;
  answered: number;
  helpful: number;
  notHelpful: number;
}

export interface BreakdownRow {
  key: string;
  questions: number;
  answered: number;
  helpful: number;
  notHelpful: number;
}

export interface StatsReport {
  since: string | null;
  days: DayStats[];
  byRegion: BreakdownRow[];
  byChannel: BreakdownRow[];
  topUnanswered: UnansweredGroupRow[];
}

export interface ConsoleCuration {
  listUnanswered(query: UnansweredQuery): { total: number; groups: UnansweredGroupRow[] };
  unansweredGroup(id: number): UnansweredGroupDetail | undefined;
  /** Regions seen in the queue, for the filter. */
  unansweredRegions(): string[];
  dismissGroup(id: number, reason: string, actor: Actor): void;
  listFaqs(query: { search?: string; status?: FaqStatus }): FaqRecord[];
  faq(id: string): FaqRecord | undefined;
  faqHistory(id: string): FaqVersionRecord[];
  draftFaq(input: FaqInput & { groupId?: number }, actor: Actor): FaqRecord;
  editFaq(id: string, input: FaqInput, reason: string, actor: Actor): FaqRecord;
  approveFaq(id: string, actor: Actor): FaqRecord;
  /** Publishing swaps the running index: the next ask() may answer from it. */
  publishFaq(id: string, actor: Actor): Promise<FaqRecord> | FaqRecord;
  retireFaq(id: string, reason: string, actor: Actor): Promise<FaqRecord> | FaqRecord;
  stats(query: { since?: string }): StatsReport;
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
