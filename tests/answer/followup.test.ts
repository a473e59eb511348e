// Follow-up questions read against the previous question of the same conversation.
import { describe, expect, it } from "vitest";
import {
  askInConversation,
  ConversationMemory,
  readFollowUp,
  splitQuestion,
} from "../../src/answer/followup.js";

const signer = "chi firma la convenzione per la Basilicata?";

describe("readFollowUp", () => {
  it("moves the previous question to another region, fitting the article", () => {
    expect(readFollowUp("e in Piemonte?", signer)).toEqual({
      expanded: "chi firma la convenzione per il Piemonte?",
      kind: "region",
    });
    expect(readFollowUp("e per l'Emilia-Romagna?", signer)?.expanded).toBe(
      "chi firma la convenzione per l'Emilia-Romagna?",
    );
    expect(readFollowUp("Piemonte?", "quanti navigator ci sono in Emilia Romagna?")?.expanded).toBe(
      "quanti navigator ci sono in Piemonte?",
    );
    expect(readFollowUp("e nelle Marche?", "quanti CPI ci sono nel Piemonte?")?.expanded).toBe(
      "quanti CPI ci sono nelle Marche?",
    );
  });

  it("adds the region when the previous question named none", () => {
    expect(readFollowUp("e in Piemonte?", "chi firma la convenzione?")?.expanded).toBe(
      "chi firma la convenzione in Piemonte?",
    );
  });

  it("asks a new question about the previous subject", () => {
    expect(readFollowUp("e quanto dura?", signer)).toEqual({
      expanded: "quanto dura la convenzione per la Basilicata?",
      kind: "question",
    });
    expect(readFollowUp("chi la firma?", "quanto dura la convenzione?")?.expanded).toBe(
      "chi firma la convenzione?",
    );
    expect(readFollowUp("e chi lo gestisce?", "cos'è il PON SPAO?")?.expanded).toBe(
      "chi gestisce il PON SPAO?",
    );
    expect(readFollowUp("e quanto dura in Piemonte?", signer)?.expanded).toBe(
      "quanto dura la convenzione per il Piemonte?",
    );
  });

  it("asks the previous question about another subject", () => {
    expect(readFollowUp("e il LEP P?", "cosa prevede il LEP O?")).toEqual({
      expanded: "cosa prevede il LEP P?",
      kind: "subject",
    });
  });

  it("leaves questions that stand on their own alone", () => {
    expect(readFollowUp("cos'è il LEP?", signer)).toBeNull();
    expect(readFollowUp("e cos'è la NASpI?", signer)).toBeNull();
    expect(
      readFollowUp("come si fa la domanda di reddito di cittadinanza in Basilicata?", signer),
    ).toBeNull();
    expect(readFollowUp("grazie mille", signer)).toBeNull();
    // Without a marker a bare short question is only tried when asked eagerly.
    expect(readFollowUp("quanto dura?", signer)).toBeNull();
    expect(readFollowUp("quanto dura?", signer, { eager: true })?.expanded).toBe(
      "quanto dura la convenzione per la Basilicata?",
    );
  });

  it("never reads a region change into two regions at once", () => {
    const reading = readFollowUp("e in Lombardia?", signer);
    expect(reading?.expanded).toBe("chi firma la convenzione per la Lombardia?");
    expect(reading?.expanded).not.toMatch(/Basilicata/);
  });

  it("splits a question into what is asked and its subject", () => {
    expect(splitQuestion(signer)).toEqual({
      asking: "chi firma",
      subject: "la convenzione per la Basilicata",
    });
    expect(splitQuestion("quanti navigator ci sono in Emilia-Romagna?").subject).toBe(
      "navigator ci sono in Emilia-Romagna",
    );
  });
});

describe("askInConversation", () => {
  /** An engine that answers only questions about the convention, counting what it is asked. */
  function conversation() {
    const asked: string[] = [];
    const ask = (question: string) => {
      asked.push(question);
      return { status: /convenzione/.test(question) ? "answered" : "declined" } as const;
    };
    const memory = new ConversationMemory();
    memory.remember("k", { question: signer, interactionId: 1, at: 0 });
    return { asked, ask, memory };
  }

  it("reads a bare question that finds nothing alone against the previous one", async () => {
    const { asked, ask, memory } = conversation();
    const read = await askInConversation(ask, memory, "k", "quanto dura?", 1_000);
    expect(read.answer.status).toBe("answered");
    expect(read.asked).toBe("quanto dura la convenzione per la Basilicata?");
    expect(asked).toHaveLength(2);
  });

  it("asks a short question with a subject of its own once, and declines it", async () => {
    for (const question of ["cos'è NASpI?", "quanti CPI nel 2019?", "requisiti tirocinio estivo"]) {
      const { asked, ask, memory } = conversation();
      const read = await askInConversation(ask, memory, "k", question, 1_000);
      expect(read.answer.status).toBe("declined");
      expect(read.followUp).toBeNull();
      expect(asked).toEqual([question]);
    }
  });
});

describe("ConversationMemory", () => {
  it("forgets a conversation after the window", () => {
    const memory = new ConversationMemory({ windowMs: 1_000 });
    memory.remember("k", { question: signer, interactionId: 1, at: 0 });
    expect(memory.previous("k", 999)?.question).toBe(signer);
    expect(memory.previous("k", 1_001)).toBeUndefined();
  });

  it("keys a thread by the thread, a chat by the person", () => {
    const inThread = (userId: string) =>
      ConversationMemory.key({ channel: "slack", conversationId: "C1", threadId: "1.2", userId });
    expect(inThread("U1")).toBe(inThread("U2"));
    const inGroup = (userId: string) =>
      ConversationMemory.key({ channel: "telegram", conversationId: "-100", userId });
    expect(inGroup("1")).not.toBe(inGroup("2"));
  });

  it("stays bounded", () => {
    const memory = new ConversationMemory();
    for (let i = 0; i < 10_050; i++)
      memory.remember(`k${i}`, { question: "q", interactionId: i, at: 0 });
    expect(memory.size).toBe(10_000);
    expect(memory.previous("k0", 0)).toBeUndefined();
    expect(memory.previous("k10049", 0)?.interactionId).toBe(10_049);
  });
});
