// A deterministic Sportello for the adapter's tests: answers from a fixed table, declines the
// rest, records questions and feedback. The end-to-end suite uses the real service instead.
import type { Answer, Question, RetrievedPassage } from "../../src/answer/types.js";
import { type CurationAction, may } from "../../src/curation/policy.js";
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

export const document: DocumentMeta = {
  id: "convenzione-basilicata",
  file: "convenzione-basilicata.txt",
  title: "Convenzione tra ANPAL e Regione Basilicata",
  shortTitle: "Convenzione Basilicata",
  kind: "convenzione",
  region: "Basilicata",
  date: "2019-05-02",
  origin: "ANPAL",
};

export const passage: RetrievedPassage = {
  passage: {
    id: "convenzione-basilicata:3f2a",
    documentId: document.id,
    breadcrumb: ["Art. 3 Trattamento dei dati personali"],
    location: { lineStart: 120, lineEnd: 140 },
    text: "Le parti si impegnano a trattare i dati personali nel rispetto del Regolamento (UE) 2016/679 & del d.lgs. 196/2003 <art. 13>.",
    kind: "text",
  },
  document,
  location: "Convenzione Basilicata › Art. 3 Trattamento dei dati personali › righe 120-140",
  score: 12.5,
};

function answered(lead: string, body: string): Answer {
  return {
    status: "answered",
    source: "documents",
    confidence: 0.8,
    text: `${lead}\n\n${body}\n\n[1] Convenzione Basilicata › Art. 3 · righe 120-140`,
    parts: {
      lead,
      body,
      citations: [
        {
          n: 1,
          passageId: passage.passage.id,
          documentId: document.id,
          documentTitle: "Convenzione Basilicata",
          section: "Art. 3 Trattamento dei dati personali",
          where: "righe 120-140",
        },
      ],
      footer: "Verifica sempre il testo completo nella fonte citata.",
    },
    faq: null,
    passages: [passage],
    reason: null,
    region: null,
    fingerprint: "fake",
    latencyMs: 1,
  };
}

function declined(): Answer {
  const lead = "Non ho trovato nei documenti una risposta sicura a questa domanda.";
  return {
    status: "declined",
    source: null,
    confidence: 0.1,
    text: `${lead}\n\nProva a riformulare.`,
    parts: { lead, body: "", citations: [], footer: "Prova a riformulare." },
    faq: null,
    passages: [],
    reason: "no-match",
    region: null,
    fingerprint: "fake",
    latencyMs: 1,
  };
}

/** A paragraph of `n` characters of Italian-looking prose, with sentence breaks. */
export function prose(n: number, seed = "Il beneficiario"): string {
  const sentence = `${seed} deve presentarsi al centro per l'impiego entro trenta giorni. `;
  return sentence
    .repeat(Math.ceil(n / sentence.length))
    .slice(0, n)
    .trim();
}

export const specialBody =
  "Scrivete a <!channel> solo se serve: costi & benefici, soglia > 3 e < 5, <script>alert(1)</script>.";

export class FakeSportello implements Sportello {
  readonly asked: { question: Question; address: DeliveryAddress | undefined }[] = [];
  readonly feedbacks: { interactionId: number; identity: Identity; kind: FeedbackKind }[] = [];
  readonly notifiers: NotificationPort[] = [];
  /** Users refused by access(); others are operators unless listed in roles. */
  readonly refusedUsers = new Set<string>(["UINTRUSO"]);
  readonly refusedWorkspaces = new Set<string>(["TALTRO"]);
  readonly roles = new Map<string, Role[]>([["UFORM", ["operator", "trainer"]]]);
  groups: UnansweredGroupSummary[] = [];
  #nextId = 100;

  access(identity: Identity): Access {
    if (this.refusedUsers.has(identity.userId)) return { allowed: false };
    if (identity.workspaceId && this.refusedWorkspaces.has(identity.workspaceId)) {
      return { allowed: false };
    }
    return { allowed: true, roles: this.roles.get(identity.userId) ?? ["operator"] };
  }

  /** The real role policy over this fake's access (approval: coordinator). */
  may(identity: Identity, action: CurationAction): boolean {
    const access = this.access(identity);
    return access.allowed && may(access.roles, action, "coordinator");
  }

  async ask(question: Question, address?: DeliveryAddress): Promise<AskOutcome> {
    this.asked.push({ question, address });
    const identity: Identity = {
      channel: question.channel,
      userId: question.userId,
      ...(question.conversationId ? { chatId: question.conversationId } : {}),
      ...(question.workspaceId ? { workspaceId: question.workspaceId } : {}),
    };
    if (!this.access(identity).allowed) return { kind: "refused", text: "Non sei abilitato." };
    const text = question.text.toLowerCase();
    if (text.includes("esplodi")) throw new Error("engine exploded");
    const interactionId = ++this.#nextId;
    let answer: Answer;
    if (text.includes("lunghissim")) {
      answer = answered("Ecco cosa dicono i documenti:", prose(200_000));
    } else if (text.includes("lung")) {
      const paragraphs = [prose(2_500, "Primo"), prose(4_500, "Secondo"), prose(2_000, "Terzo")];
      answer = answered("Ecco cosa dicono i documenti:", paragraphs.join("\n\n"));
    } else if (text.includes("speciali")) {
      answer = answered("Ecco cosa dicono i documenti:", specialBody);
    } else if (text.includes("dati") || text.includes("privacy")) {
      answer = answered(
        "Ecco cosa dicono i documenti:",
        "Le parti trattano i dati personali secondo il Regolamento (UE) 2016/679 [1].",
      );
    } else {
      answer = declined();
    }
    return { kind: answer.status, interactionId, answer };
  }

  async feedback(input: {
    interactionId: number;
    identity: Identity;
    kind: FeedbackKind;
  }): Promise<FeedbackOutcome> {
    if (!this.access(input.identity).allowed)
      return { kind: "refused", text: "Non sei abilitato." };
    if (input.interactionId > this.#nextId) {
      return { kind: "unknown-interaction", text: "Non trovo più questa risposta." };
    }
    this.feedbacks.push({
      interactionId: input.interactionId,
      identity: input.identity,
      kind: input.kind,
    });
    return { kind: "recorded", text: "Grazie, registrato." };
  }

  passage(id: string): RetrievedPassage | undefined {
    return id === passage.passage.id ? passage : undefined;
  }

  documents(): DocumentMeta[] {
    return [document];
  }

  publishedFaqs(): PublishedFaq[] {
    return [];
  }

  topUnanswered(limit: number): UnansweredGroupSummary[] {
    return this.groups.slice(0, limit);
  }

  registerNotifier(port: NotificationPort): void {
    this.notifiers.push(port);
  }

  readonly #delivered = new Set<string>();
  firstDelivery(key: string): boolean {
    if (this.#delivered.has(key)) return false;
    this.#delivered.add(key);
    return true;
  }

  async close(): Promise<void> {}
}
