// The values that flow through the assistant: a Question in, an Answer out.
import type { DocumentMeta, Passage } from "../knowledge/types.js";

export const channels = ["cli", "telegram", "slack", "web"] as const;
export type Channel = (typeof channels)[number];

export interface Question {
  text: string;
  channel: Channel;
  /** Raw platform user id; the store pseudonymises it, it never reaches the disk. */
  userId: string;
  /** Chat, channel or thread the question came from, for follow-ups and notifications. */
  conversationId?: string;
  /**
   * A thread inside the conversation (a Slack thread, a Telegram forum topic): anyone in it
   * continues its questions. Without one, a follow-up continues only its author's question.
   */
  threadId?: string;
  /** Slack team id, checked against the served workspaces. */
  workspaceId?: string;
  /**
   * The channel the question came through, when it is not the asker's own: the console's local
   * sign-in acts as the CLI user but asks through the web, and is logged as web.
   */
  via?: Channel;
}

export interface RetrievedPassage {
  passage: Passage;
  document: DocumentMeta;
  /** Breadcrumb and page or line range, ready to print ("Convenzione … › Art. 3 › p. 4"). */
  location: string;
  score: number;
}

export interface Citation {
  /** 1-based number shown next to the answer. */
  n: number;
  passageId: string;
  documentId: string;
  documentTitle: string;
  /** Section path under the document ("Art. 3 Trattamento dei dati personali"). */
  section: string;
  /** "p. 4", "pp. 4-5" or "righe 120-140". */
  where: string;
}

export type DeclineReason =
  | "empty"
  | "no-match"
  | "low-confidence"
  | "uncovered-region"
  /** Over maxQuestionLength: not searched (see src/service.ts). */
  | "too-long";

export interface Answer {
  status: "answered" | "declined";
  source: "faq" | "documents" | null;
  /** Calibrated confidence in [0, 1]. */
  confidence: number;
  /**
   * Answered, but not with certainty: a probable FAQ (offered with the next ones), or documents
   * whose confidence is under the calibrated `certain` bar. The reply says so; the trainers'
   * queue lists the question as "da verificare". False when certain or declined.
   */
  uncertain?: boolean;
  /** The whole reply as plain text, exactly as the CLI shows it. */
  text: string;
  /** The reply's parts, for adapters that render them with their own markup. */
  parts: {
    /** Opening line ("Ecco cosa dicono i documenti:"), or the decline message. */
    lead: string;
    /** The FAQ's answer or the excerpt of the passages; empty when declined. */
    body: string;
    citations: Citation[];
    /** Closing line (how to read the sources, or how to rephrase). */
    footer: string;
  };
  faq: { id: string; question: string; version: number } | null;
  /**
   * With a probable FAQ: the other FAQ its footer names ("Se non è quella giusta, guarda anche"),
   * in that order; the trainers' queue keeps them so that one of them can be confirmed.
   */
  alsoOffered?: Array<{ id: string; question: string }>;
  /**
   * The sentence(s) that state the answer, shown first, with the passage they come from (null
   * for a FAQ's answer); null when declined.
   */
  answer?: { text: string; passageId: string | null } | null;
  /** Top retrieved passages in rank order, also when declined. */
  passages: RetrievedPassage[];
  reason: DeclineReason | null;
  /** Region named in the question, if any, and whether the corpus covers it. */
  region: { name: string; covered: boolean } | null;
  /**
   * Set when the question was read as a follow-up of the previous one in its conversation ("e in
   * Piemonte?"): the previous question, and what the follow-up was understood as.
   */
  followUpOf?: { interactionId: number; question: string; understoodAs: string } | null;
  /** Fingerprint of the corpus that answered. */
  fingerprint: string;
  latencyMs: number;
}
