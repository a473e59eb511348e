// An in-memory Sportello for tests that exercise the console's HTTP layer only (sign-in, CSRF,
// headers). Acceptance tests use the real service: see real-console.ts.
import type { Answer } from "../../src/answer/types.js";
import { may } from "../../src/curation/policy.js";
import type { AskOutcome, FeedbackOutcome, Role, Sportello } from "../../src/service.js";

export function fakeSportello(users: Record<string, Role[]>): Sportello & {
  asked: string[];
  feedbacks: { interactionId: number; kind: string }[];
} {
  const asked: string[] = [];
  const feedbacks: { interactionId: number; kind: string }[] = [];
  let next = 1;
  const answerFor = (text: string): Answer => ({
    status: "answered",
    source: "documents",
    confidence: 0.8,
    text: `Risposta a ${text}`,
    parts: {
      lead: "Ecco cosa dicono i documenti:",
      body: `Hai chiesto: ${text}`,
      citations: [
        {
          n: 1,
          passageId: "doc-a:1",
          documentId: "doc-a",
          documentTitle: "Convenzione <Basilicata>",
          section: "Art. 3",
          where: "p. 4",
        },
      ],
      footer: "Controlla sempre il testo completo nella fonte citata.",
    },
    faq: null,
    passages: [],
    reason: null,
    region: null,
    fingerprint: "fake",
    latencyMs: 1,
  });
  return {
    asked,
    feedbacks,
    async ask(question): Promise<AskOutcome> {
      asked.push(question.text);
      return { kind: "answered", interactionId: next++, answer: answerFor(question.text) };
    },
    access(identity) {
      const roles = identity.channel === "web" ? users[identity.userId] : undefined;
      return roles ? { allowed: true, roles } : { allowed: false };
    },
    may(identity, action) {
      const roles = identity.channel === "web" ? users[identity.userId] : undefined;
      return roles !== undefined && may(roles, action, "coordinator");
    },
    async feedback(input): Promise<FeedbackOutcome> {
      feedbacks.push({ interactionId: input.interactionId, kind: input.kind });
      return { kind: "recorded", text: "Grazie del giudizio." };
    },
    passage: () => undefined,
    documents: () => [],
    publishedFaqs: () => [],
    topUnanswered: () => [],
    registerNotifier() {},
    firstDelivery: () => true,
    async close() {},
  };
}
