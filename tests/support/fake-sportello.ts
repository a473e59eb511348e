// One in-memory Sportello for the adapter tests that need what the real corpus cannot produce on
// demand (a fault, an answer over a platform's limit, hostile text echoed back) or that exercise
// only an adapter's HTTP layer. The contract's rules hold for real: access from a table of people
// and refused workspaces, `may` from the real role policy, declined questions grouped for
// `topUnanswered`, feedback only on answers it gave, a published FAQ answering its question from
// then on and notifying the askers through the registered ports. What it answers comes from each
// suite's script (tests/telegram/answers.ts, tests/slack/answers.ts); acceptance tests use the
// real service instead (real-service.ts).
import type { Answer, Question, RetrievedPassage } from "../../src/answer/types.js";
import { type ApprovalPolicy, type CurationAction, may } from "../../src/curation/policy.js";
import type { DocumentMeta, PublishedFaq } from "../../src/knowledge/types.js";
import type {
  Access,
  AskOutcome,
  DeliveryAddress,
  FeedbackKind,
  FeedbackOutcome,
  Identity,
  NotificationPort,
  Role,
  Sportello,
  UnansweredGroupSummary,
} from "../../src/service.js";

/** One line of a suite's script: the first whose `when` matches the question answers it. */
export interface ScriptedReply {
  when: RegExp;
  /** The answer to give; `text` is the question as written. */
  answer?: (text: string) => Answer;
  /** A fault to throw instead (how an adapter copes with a failing core). */
  fault?: (text: string) => Error;
}

export interface FakeSportelloOptions {
  /** People and their roles by user id, on any channel. */
  users?: Record<string, Role[]>;
  /** The roles of anyone not in `users`; without it, only the people listed are let in. */
  othersAs?: Role[];
  /** User ids refused even with `othersAs`. */
  refusedUsers?: string[];
  /** Slack workspaces refused whoever asks from them. */
  refusedWorkspaces?: string[];
  /** Who approves FAQ, for `may` (the real policy's setting); coordinators by default. */
  approval?: ApprovalPolicy;
  script?: ScriptedReply[];
  /** The answer when no line of the script matches; the question is then queued. */
  declined?: (text: string) => Answer;
  documents?: DocumentMeta[];
  passages?: RetrievedPassage[];
  /** The first answer's interaction number (then counting up). */
  firstInteraction?: number;
}

/** An answer with defaults for what the adapters do not read; `text` joins the parts. */
export function fakeAnswer(overrides: Partial<Answer> & { parts: Answer["parts"] }): Answer {
  const { parts } = overrides;
  return {
    status: "answered",
    source: "documents",
    confidence: 0.8,
    text: [parts.lead, parts.body, parts.footer].filter(Boolean).join("\n\n"),
    faq: null,
    passages: [],
    reason: null,
    region: null,
    fingerprint: "fake",
    latencyMs: 1,
    ...overrides,
  };
}

/** A decline with the given words, as the engine returns one. */
export function fakeDecline(lead: string, footer: string): Answer {
  return fakeAnswer({
    status: "declined",
    source: null,
    confidence: 0.1,
    reason: "no-match",
    parts: { lead, body: "", citations: [], footer },
  });
}

/** Lower case words only: how the fake tells two phrasings of one question apart. */
export function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N} ]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

const defaultDecline = (text: string) =>
  fakeDecline(
    `Non ho trovato una risposta a «${text}» nei documenti.`,
    "Prova a riformulare; la domanda è stata segnalata ai formatori.",
  );

export class FakeSportello implements Sportello {
  readonly asked: Array<{ question: Question; address: DeliveryAddress | undefined }> = [];
  readonly feedbacks: Array<{ interactionId: number; identity: Identity; kind: FeedbackKind }> = [];
  /** The ports registered, one per channel (a later one replaces the earlier). */
  readonly notifiers: NotificationPort[] = [];
  /** Notification numbers delivered, and the errors of those that failed. */
  readonly delivered: number[] = [];
  readonly failedDeliveries: string[] = [];
  /** The unanswered groups: declined questions join them; a test may set its own. */
  groups: UnansweredGroupSummary[] = [];
  readonly #options: FakeSportelloOptions;
  readonly #faqs: PublishedFaq[] = [];
  readonly #answered = new Set<number>();
  readonly #declined: Array<{ text: string; address: DeliveryAddress | undefined }> = [];
  readonly #firstDeliveries = new Set<string>();
  #gate: Promise<void> | undefined;
  #nextInteraction: number;
  #nextNotification = 1;

  constructor(options: FakeSportelloOptions = {}) {
    this.#options = options;
    this.#nextInteraction = options.firstInteraction ?? 1;
  }

  access(identity: Identity): Access {
    const { users = {}, othersAs, refusedUsers = [], refusedWorkspaces = [] } = this.#options;
    if (refusedUsers.includes(identity.userId)) return { allowed: false };
    if (identity.workspaceId && refusedWorkspaces.includes(identity.workspaceId)) {
      return { allowed: false };
    }
    const roles = users[identity.userId] ?? othersAs;
    return roles ? { allowed: true, roles } : { allowed: false };
  }

  /** The real role policy over this fake's access. */
  may(identity: Identity, action: CurationAction): boolean {
    const access = this.access(identity);
    return access.allowed && may(access.roles, action, this.#options.approval ?? "coordinator");
  }

  /** Holds every answer until the returned function is called, to catch work in flight. */
  hold(): () => void {
    let release = () => {};
    this.#gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    return () => {
      this.#gate = undefined;
      release();
    };
  }

  async ask(question: Question, address?: DeliveryAddress): Promise<AskOutcome> {
    this.asked.push({ question, address });
    if (this.#gate) await this.#gate;
    const identity: Identity = {
      channel: question.channel,
      userId: question.userId,
      ...(question.conversationId ? { chatId: question.conversationId } : {}),
      ...(question.workspaceId ? { workspaceId: question.workspaceId } : {}),
    };
    if (!this.access(identity).allowed) {
      return { kind: "refused", text: "Non sei abilitato a usare Sportello (fake)." };
    }
    const text = question.text;
    const faq = this.#faqs.find((f) => normalise(f.question) === normalise(text));
    const line = faq ? undefined : this.#options.script?.find((l) => l.when.test(text));
    if (line?.fault) throw line.fault(text);
    let answer: Answer;
    if (faq) {
      answer = fakeAnswer({
        source: "faq",
        faq: { id: faq.id, question: faq.question, version: faq.version },
        parts: { lead: "Risposta dalle FAQ:", body: faq.answer, citations: [], footer: "" },
      });
    } else if (line?.answer) {
      answer = line.answer(text);
    } else {
      answer = (this.#options.declined ?? defaultDecline)(text);
      this.#queue(text, address);
    }
    const interactionId = this.#nextInteraction++;
    this.#answered.add(interactionId);
    return { kind: answer.status, interactionId, answer };
  }

  /** A declined question joins the open group of the same words, or starts one. */
  #queue(text: string, address: DeliveryAddress | undefined): void {
    this.#declined.push({ text, address });
    const now = new Date().toISOString();
    const label = normalise(text);
    const group = this.groups.find((g) => g.label === label && g.status === "aperta");
    if (group) {
      group.count++;
      group.lastSeen = now;
      group.examples.push(text);
      return;
    }
    const id = Math.max(0, ...this.groups.map((g) => g.id)) + 1;
    this.groups.push({
      id,
      label,
      count: 1,
      firstSeen: now,
      lastSeen: now,
      examples: [text],
      status: "aperta",
    });
  }

  async feedback(input: {
    interactionId: number;
    identity: Identity;
    kind: FeedbackKind;
  }): Promise<FeedbackOutcome> {
    if (!this.access(input.identity).allowed) {
      return { kind: "refused", text: "Non sei abilitato." };
    }
    if (!this.#answered.has(input.interactionId)) {
      return { kind: "unknown-interaction", text: "Non trovo più questa risposta." };
    }
    this.feedbacks.push({ ...input });
    return { kind: "recorded", text: "Grazie, registrato." };
  }

  passage(id: string): RetrievedPassage | undefined {
    return this.#options.passages?.find((p) => p.passage.id === id);
  }

  documents(): DocumentMeta[] {
    return this.#options.documents ?? [];
  }

  publishedFaqs(): PublishedFaq[] {
    return [...this.#faqs];
  }

  topUnanswered(limit: number): UnansweredGroupSummary[] {
    return this.groups
      .filter((g) => g.status === "aperta" || g.status === "in_lavorazione")
      .slice(0, limit);
  }

  registerNotifier(port: NotificationPort): void {
    const index = this.notifiers.findIndex((p) => p.channel === port.channel);
    if (index >= 0) this.notifiers.splice(index, 1);
    this.notifiers.push(port);
  }

  firstDelivery(key: string): boolean {
    if (this.#firstDeliveries.has(key)) return false;
    this.#firstDeliveries.add(key);
    return true;
  }

  async close(): Promise<void> {}

  /**
   * Publishes a FAQ: it answers its question from now on, its group is resolved, and everyone
   * who asked that question and left an address is notified through their channel's port.
   */
  async publishFaq(
    faq: Omit<PublishedFaq, "version" | "alternatives" | "sources" | "region" | "reviewed"> &
      Partial<PublishedFaq>,
  ): Promise<void> {
    const full: PublishedFaq = {
      alternatives: [],
      sources: [],
      region: null,
      reviewed: "2026-03-03",
      version: 1,
      ...faq,
    };
    this.#faqs.push(full);
    const label = normalise(full.question);
    for (const group of this.groups) {
      if (group.label === label && group.status !== "scartata") group.status = "risolta";
    }
    for (const declined of this.#declined) {
      if (normalise(declined.text) !== label || !declined.address) continue;
      const port = this.notifiers.find((p) => p.channel === declined.address?.channel);
      const id = this.#nextNotification++;
      try {
        await port?.deliver({
          id,
          address: declined.address,
          faqId: full.id,
          text: `La tua domanda «${declined.text}» ora ha una risposta: ${full.answer}`,
        });
        this.delivered.push(id);
      } catch (err) {
        this.failedDeliveries.push(String(err));
      }
    }
  }
}
