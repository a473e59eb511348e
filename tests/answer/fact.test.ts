// What an operator sees first: the sentence that states the fact asked for, and a decline for a
// measure the documents never name.
import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/answer/engine.js";
import { questionType, sentenceMatchesType } from "../../src/answer/fact.js";
import { openEngine } from "../../src/answer/open.js";

let engine: Engine;
beforeAll(async () => {
  engine = (await openEngine({ knowledgeDir: "knowledge" })).engine;
});

const firstLine = (text: string) => text.split("\n")[0] ?? "";

describe("question types", () => {
  it.each([
    ["Quanti navigator ci sono in Piemonte?", "count"],
    ["entro quando va firmato il patto?", "date"],
    ["Da quando è sospesa la linea 19?", "date"],
    ["chi firma la convenzione?", "who"],
    ["Quanto costa il piano di assistenza tecnica?", "amount"],
    ["dove si ritira la carta RdC?", "place"],
    ["Cos'è il PON SPAO?", "definition"],
    ["Che cosa è l'assegno di ricollocazione?", "definition"],
    ["navigator Basilicata", null],
  ])("«%s» asks for %s", (question, type) => {
    expect(questionType(question)).toBe(type);
  });

  it("recognises the fact in a sentence", () => {
    expect(sentenceMatchesType("count", "Sono stati inseriti 175 navigator.")).toBe(true);
    expect(sentenceMatchesType("amount", "Le risorse ammontano a 3.892.962,46 euro.")).toBe(true);
    expect(sentenceMatchesType("amount", "Le risorse sono assegnate dal Ministero.")).toBe(false);
    expect(sentenceMatchesType("date", "La convenzione decorre dal 1 gennaio 2020.")).toBe(true);
  });
});

describe("the reply states the fact first", () => {
  it.each([
    ["Quanti navigator sono stati inseriti nei CPI del Piemonte?", "175"],
    [
      "quanti accordi di ricollocazione AdR CIGS sono stati trasferiti al territorio nel 2019?",
      "41",
    ],
  ])("«%s»: the first line holds %s, with its citation", (question, figure) => {
    const answer = engine.ask(question);
    expect(answer.status).toBe("answered");
    expect(firstLine(answer.text)).toContain(figure);
    expect(firstLine(answer.text)).toMatch(/\[1\]$/);
    expect(answer.answer?.text).toContain(figure);
    expect(answer.parts.citations[0]?.passageId).toBe(answer.answer?.passageId);
  });
});

describe("a measure the documents never name", () => {
  it.each([
    "Come si fa domanda per l'ISCRO?",
    "Quanto dura la DIS-COLL?",
    "Chi paga il bonus Maroni ai lavoratori?",
  ])("declines «%s»", (question) => {
    const answer = engine.ask(question);
    expect(answer.status).toBe("declined");
    expect(answer.answer ?? null).toBeNull();
  });
});
