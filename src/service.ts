// The one entry point every adapter uses. An adapter turns a platform event into one of these
// calls and renders what comes back; it never touches the engine, the index or the store itself.
import type { Answer, Channel, Question, RetrievedPassage } from "./answer/types.js";
import type { CurationAction } from "./curation/policy.js";
import type { DocumentMeta, PublishedFaq } from "./knowledge/types.js";

export const roles = ["operator", "trainer", "coordinator"] as const;
export type Role = (typeof roles)[number];

/** Who is acting, as the platform names them. Raw ids stay in memory only. */
export interface Identity {
  channel: Channel;
  userId: string;
  /** Telegram chat id, Slack channel id, … */
  chatId?: string;
  /** Slack team id. */
  workspaceId?: string;
}

export type Access = { allowed: true; roles: Role[] } | { allowed: false };

/**
 * Where a later message for this person goes: enough for the adapter of that channel to send it.
 * The store keeps it encrypted with the configured secret, never in clear.
 */
export interface DeliveryAddress {
  channel: Channel;
  chatId: string;
  /** Slack thread timestamp or Telegram message id to reply to. */
  threadId?: string;
  userId: string;
}

/**
 * The longest question answered, in characters. A question is a sentence or two; a pasted
 * document would cost every later step (search, log, grouping) for nothing, so beyond this the
 * person gets a polite reply and nothing is searched or written.
 */
export const maxQuestionLength = 2000;

export type AskOutcome =
  | { kind: "answered" | "declined"; interactionId: number; answer: Answer }
  /** `too-long`: over maxQuestionLength, `text` says so; otherwise the person is not served. */
  | { kind: "refused"; text: string; reason?: "too-long" };

export const feedbackKinds = ["utile", "non_utile", "segnala"] as const;
export type FeedbackKind = (typeof feedbackKinds)[number];

export type FeedbackOutcome =
  | { kind: "recorded"; text: string }
  | { kind: "unknown-interaction"; text: string }
  | { kind: "refused"; text: string };

/** A message the curation loop wants delivered ("La tua domanda del 3 marzo ora ha una risposta"). */
export interface OutgoingNotification {
  id: number;
  address: DeliveryAddress;
  text: string;
  faqId: string;
}

/** Implemented by each adapter that can send messages on its own. */
export interface NotificationPort {
  channel: Channel;
  deliver(notification: OutgoingNotification): Promise<void>;
}

export interface UnansweredGroupSummary {
  id: number;
  label: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
  examples: string[];
  status: "aperta" | "in_lavorazione" | "risolta" | "scartata";
  /** How many of its questions were answered with uncertainty ("da verificare"). */
  uncertain?: number;
}

export interface Sportello {
  /** Checks access, answers, logs the interaction (redacted) and remembers where to notify. */
  ask(question: Question, address?: DeliveryAddress): Promise<AskOutcome>;
  access(identity: Identity): Access;
  /** True when `identity` is served and the role policy (src/curation/policy.ts) lets them do `action`. */
  may(identity: Identity, action: CurationAction): boolean;
  feedback(input: {
    interactionId: number;
    identity: Identity;
    kind: FeedbackKind;
    comment?: string;
  }): Promise<FeedbackOutcome>;
  /** A passage with its document and location, for "/fonte N" and "Mostra fonte". */
  passage(id: string): RetrievedPassage | undefined;
  documents(): DocumentMeta[];
  publishedFaqs(): PublishedFaq[];
  topUnanswered(limit: number): UnansweredGroupSummary[];
  registerNotifier(port: NotificationPort): void;
  /**
   * True the first time `key` is offered within `ttlSeconds`, false for a repeat, also across a
   * restart: an adapter processes a retried or replayed request (Slack event, signed request,
   * Telegram callback) once.
   */
  firstDelivery(key: string, ttlSeconds: number): boolean;
  close(): Promise<void>;
}
