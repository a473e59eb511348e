// What an operator sees first: the sentence that states the fact asked for, and a decline for a
// measure the documents never name.
import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/answer/engine.js";
import { questionType, sentenceMatchesType } from "../../src/answer/fact.js";
import { openEngine } from "../../src/answer/open.js";
import { shippedKnowledge } from "../support/shipped-knowledge.js";

let engine: Engine;
beforeAll(async () => {
  engine = (await openEngine({ knowledgeDir: shippedKnowledge })).engine;
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
    ["ogni quanto si riunisce il coordinamento?", "date"],
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
    expect(sentenceMatchesType("date", "Si tiene una sessione informativa al mese.")).toBe(true);
    expect(sentenceMatchesType("amount", "Coordinamento Generale 10.771.777")).toBe(true);
  });

  it("does not take an article, a year or a number the question names for a count", () => {
    expect(sentenceMatchesType("count", "Anpal Servizi realizza una rilevazione.")).toBe(false);
    expect(sentenceMatchesType("count", "LINEA 7T - Erogazione di contributi", ["7t"])).toBe(false);
    expect(sentenceMatchesType("count", "Le attività del 2019 in Piemonte.")).toBe(false);
    expect(
      sentenceMatchesType("count", "Gli interventi di crisi della linea 4 sono 10.", ["4", "10"]),
    ).toBe(false);
    expect(sentenceMatchesType("count", "Sono 3.770 i lavoratori coinvolti.", ["4", "10"])).toBe(
      true,
    );
  });
});

describe("the reply states the fact first", () => {
  it.each([
    ["Quanti navigator sono stati inseriti nei CPI del Piemonte?", "175"],
    [
      "quanti accordi di ricollocazione AdR CIGS sono stati trasferiti al territorio nel 2019?",
      "41",
    ],
    ["Quanti eventi dell'Employers Day 2019 sono stati programmati e con quanti CpI?", "153"],
    ["DD 570: quanto vale il Coordinamento Generale?", "10.771.777"],
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
