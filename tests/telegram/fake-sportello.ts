// A deterministic stand-in for the Sportello facade, for the adapter tests that need behaviour the
// real corpus cannot produce on demand (a fault, a 9,000-character answer, hostile text echoed).
// It answers questions about "tirocinio", declines the rest, records feedback and closes the loop.
import type { Answer, Citation, Question, RetrievedPassage } from "../../src/answer/types.js";
import { type CurationAction, may } from "../../src/curation/policy.js";
import { SportelloError } from "../../src/errors.js";
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

const documents: DocumentMeta[] = [
  {
    id: "convenzione-basilicata",
    file: "convenzione.txt",
    title: "Convenzione Regione Basilicata – ANPAL Servizi",
    shortTitle: "Convenzione Basilicata",
    kind: "convenzione",
    region: "Basilicata",
    date: "2019-07-01",
    origin: "test",
  },
  {
    id: "linee-guida-tirocini",
    file: "linee-guida.txt",
    title: "Linee guida sui tirocini <extracurriculari> & formazione",
    kind: "circolare",
    region: null,
    date: "2017-05-25",
    origin: "test",
  },
];

const passages: RetrievedPassage[] = [
  {
    passage: {
      id: "convenzione-basilicata:aa11",
      documentId: "convenzione-basilicata",
      breadcrumb: ["Art. 3", "Obblighi delle parti"],
      location: { lineStart: 10, lineEnd: 20, pageStart: 4, pageEnd: 4 },
      text: "Il soggetto ospitante garantisce la copertura assicurativa INAIL del tirocinante.\n\nLa Regione vigila sul rispetto degli obblighi <e> delle scadenze.",
      kind: "text",
    },
    document: documents[0] as DocumentMeta,
    location: "Art. 3 › Obblighi delle parti › p. 4",
    score: 3.2,
  },
  {
    passage: {
      id: "linee-guida-tirocini:bb22",
      documentId: "linee-guida-tirocini",
      breadcrumb: ["Sezione 2"],
      location: { lineStart: 40, lineEnd: 52 },
      text: "Il tirocinio extracurriculare dura al massimo 12 mesi & non può essere ripetuto.",
      kind: "text",
    },
    document: documents[1] as DocumentMeta,
    location: "Sezione 2 › righe 40-52",
    score: 2.1,
  },
];

function citationsFor(list: RetrievedPassage[]): Citation[] {
  return list.map((r, i) => ({
    n: i + 1,
    passageId: r.passage.id,
    documentId: r.document.id,
    documentTitle: r.document.shortTitle ?? r.document.title,
    section: r.passage.breadcrumb.join(" › "),
    where: r.passage.location.pageStart
      ? `p. ${r.passage.location.pageStart}`
      : `righe ${r.passage.location.lineStart}-${r.passage.location.lineEnd}`,
  }));
}

function makeAnswer(overrides: Partial<Answer> & { parts: Answer["parts"] }): Answer {
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

/** A long answer made of paragraphs, one of which alone exceeds Telegram's limit. */
export function longBody(): string {
  const sentence = (i: number) =>
    `Frase numero ${i} del paragrafo lungo, con un'informazione utile per l'operatore.`;
  const hugeParagraph = Array.from({ length: 70 }, (_, i) => sentence(i + 1)).join(" ");
  const paragraphs = Array.from(
    { length: 8 },
    (_, i) => `Paragrafo ${i + 1}: ${"dettaglio ".repeat(40).trim()}.`,
  );
  return [
    paragraphs.slice(0, 4).join("\n\n"),
    hugeParagraph,
    paragraphs.slice(4).join("\n\n"),
  ].join("\n\n");
}

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N} ]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

export interface FakeSportelloOptions {
  /** Allowed users and their roles, by Telegram user id; anyone else is refused. */
  users: Record<string, Role[]>;
}

export class FakeSportello implements Sportello {
  readonly asked: Array<{ question: Question; address: DeliveryAddress | undefined }> = [];
  readonly feedbacks: Array<{ interactionId: number; userId: string; kind: FeedbackKind }> = [];
  readonly delivered: number[] = [];
  readonly failedDeliveries: string[] = [];
  readonly #users: Record<string, Role[]>;
  readonly #faqs: PublishedFaq[] = [];
  readonly #interactions = new Map<number, Answer>();
  readonly #declined: Array<{ text: string; address: DeliveryAddress | undefined }> = [];
  readonly #ports = new Map<string, NotificationPort>();
  #gate: Promise<void> | undefined;
  #nextInteraction = 1;
  #nextNotification = 1;

  constructor(options: FakeSportelloOptions) {
    this.#users = options.users;
  }

  access(identity: Identity): Access {
    const roles = this.#users[identity.userId];
    return roles ? { allowed: true, roles } : { allowed: false };
  }

  /** The real role policy over this fake's access (approval: coordinator). */
  may(identity: Identity, action: CurationAction): boolean {
    const access = this.access(identity);
    return access.allowed && may(access.roles, action, "coordinator");
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
    if (!this.access({ channel: question.channel, userId: question.userId }).allowed) {
      return { kind: "refused", text: "Non sei abilitato a usare Sportello (fake)." };
    }
    const text = question.text;
    if (text.includes("guasto"))
      throw new SportelloError("STORE_FAILED", "store: disk I/O error (fake)");
    const interactionId = this.#nextInteraction++;
    const faq = this.#faqs.find((f) => normalise(f.question) === normalise(text));
    let answer: Answer;
    if (faq) {
      answer = makeAnswer({
        source: "faq",
        faq: { id: faq.id, question: faq.question, version: faq.version },
        parts: { lead: "Risposta dalle FAQ:", body: faq.answer, citations: [], footer: "" },
      });
    } else if (/lunga/i.test(text)) {
      answer = makeAnswer({
        parts: {
          lead: "Ecco cosa dicono i documenti:",
          body: longBody(),
          citations: citationsFor(passages),
          footer: "Controlla sempre le fonti.",
        },
        passages,
      });
    } else if (/tirocin/i.test(text)) {
      answer = makeAnswer({
        parts: {
          lead: "Ecco cosa dicono i documenti:",
          body: `Hai chiesto: ${text}\n\nIl soggetto ospitante garantisce la copertura INAIL <sempre> & comunque.`,
          citations: citationsFor(passages),
          footer: "Apri le fonti per il testo completo.",
        },
        passages,
      });
    } else {
      answer = makeAnswer({
        status: "declined",
        source: null,
        confidence: 0.1,
        reason: "no-match",
        parts: {
          lead: `Non ho trovato una risposta a «${text}» nei documenti.`,
          body: "",
          citations: [],
          footer: "Prova a riformulare; la domanda è stata segnalata ai formatori.",
        },
      });
      this.#declined.push({ text, address });
    }
    this.#interactions.set(interactionId, answer);
    return { kind: answer.status, interactionId, answer };
  }

  async feedback(input: {
    interactionId: number;
    identity: Identity;
    kind: FeedbackKind;
  }): Promise<FeedbackOutcome> {
    if (!this.access(input.identity).allowed)
      return { kind: "refused", text: "Non sei abilitato." };
    if (!this.#interactions.has(input.interactionId)) {
      return { kind: "unknown-interaction", text: "Risposta non trovata." };
    }
    this.feedbacks.push({
      interactionId: input.interactionId,
      userId: input.identity.userId,
      kind: input.kind,
    });
    return { kind: "recorded", text: "Grazie, registrato." };
  }

  passage(id: string): RetrievedPassage | undefined {
    return passages.find((p) => p.passage.id === id);
  }

  documents(): DocumentMeta[] {
    return documents;
  }

  publishedFaqs(): PublishedFaq[] {
    return [...this.#faqs];
  }

  topUnanswered(limit: number): UnansweredGroupSummary[] {
    return this.#declined.slice(0, limit).map((d, i) => ({
      id: i + 1,
      label: normalise(d.text),
      count: 1,
      firstSeen: "2026-03-03T10:00:00Z",
      lastSeen: "2026-03-03T10:00:00Z",
      examples: [d.text],
      status: "aperta",
    }));
  }

  registerNotifier(port: NotificationPort): void {
    this.#ports.set(port.channel, port);
  }

  readonly #delivered = new Set<string>();
  firstDelivery(key: string): boolean {
    if (this.#delivered.has(key)) return false;
    this.#delivered.add(key);
    return true;
  }

  async close(): Promise<void> {}

  /** Publishes a FAQ and notifies everyone whose declined question it now answers. */
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
    for (const declined of this.#declined) {
      if (normalise(declined.text) !== normalise(full.question) || !declined.address) continue;
      const port = this.#ports.get(declined.address.channel);
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
