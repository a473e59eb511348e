// Follow-ups through the service every adapter calls: read against the conversation's previous
// question, answered, and logged (and queued) as they were understood.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  openShippedEngine,
  type ShippedEngine,
  startTestService,
  type TestService,
} from "../support/real-service.js";

let engine: ShippedEngine;
let service: TestService;

beforeAll(async () => {
  engine = await openShippedEngine();
});
afterAll(() => engine.remove());
beforeEach(() => {
  service = startTestService(engine.opened, { roles: { operators: ["web:anna"] } });
});
afterEach(() => service.close());

const ask = (text: string, conversationId?: string) =>
  service.sportello.ask({
    text,
    channel: "web",
    userId: "anna",
    ...(conversationId ? { conversationId } : {}),
  });

describe("follow-up questions in the service", () => {
  it("queues a declined follow-up as it was understood, not as typed", async () => {
    await ask("Quanti navigator lavorano in Emilia-Romagna?", "console:anna");
    const outcome = await ask("e in Lombardia?", "console:anna");
    if (outcome.kind === "refused") throw new Error("refused");
    expect(outcome.kind).toBe("declined");
    expect(outcome.answer.reason).toBe("uncovered-region");
    expect(outcome.answer.followUpOf?.understoodAs).toBe("Quanti navigator lavorano in Lombardia?");
    const examples = service.sportello.curation.listUnanswered().groups.map((g) => g.label);
    expect(examples).toContain("Quanti navigator lavorano in Lombardia?");
    expect(examples).not.toContain("e in Lombardia?");
  });

  it("does not read follow-ups outside a named conversation", async () => {
    await ask("Quanti navigator lavorano in Emilia-Romagna?");
    const alone = await ask("e in Piemonte?");
    if (alone.kind === "refused") throw new Error("refused");
    expect(alone.answer.followUpOf ?? null).toBeNull();
  });
});
