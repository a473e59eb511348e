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
  /** Slack team id, checked against the served workspaces. */
  workspaceId?: string;
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

export type DeclineReason = "empty" | "no-match" | "low-confidence" | "uncovered-region";

export interface Answer {
  status: "answered" | "declined";
  source: "faq" | "documents" | null;
  /** Calibrated confidence in [0, 1]. */
  confidence: number;
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
   * The sentence(s) that state the answer, shown first, with the passage they come from (null
   * for a FAQ's answer); null when declined.
   */
  answer?: { text: string; passageId: string | null } | null;
  /** The previous question this one was read against (a follow-up), set by the service. */
  followUpOf?: string | null;
  /** Top retrieved passages in rank order, also when declined. */
  passages: RetrievedPassage[];
  reason: DeclineReason | null;
  /** Region named in the question, if any, and whether the corpus covers it. */
  region: { name: string; covered: boolean } | null;
  /** Fingerprint of the corpus that answered. */
  fingerprint: string;
  latencyMs: number;
}
