import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isSportelloError } from "../../src/errors.js";
import { analyze } from "../../src/search/analysis.js";
import { Thesaurus } from "../../src/search/thesaurus.js";

const shippedThesaurus = fileURLToPath(new URL("../../knowledge/thesaurus.yaml", import.meta.url));

function alternativesOf(thesaurus: Thesaurus, question: string): string[] {
  return thesaurus.expand(analyze(question)).map((e) => e.alternative.text);
}

function errorOf(yaml: string): { code: string; message: string } {
  try {
    Thesaurus.parse(yaml, "thesaurus.yaml");
  } catch (error) {
    if (isSportelloError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected the thesaurus to be rejected");
}

describe("Thesaurus", () => {
  const thesaurus = Thesaurus.parse(
    [
      "- [RdC, reddito di cittadinanza]",
      "- [CPI, centro per l'impiego]",
      "- { from: navigator, to: [operatori di assistenza tecnica] }",
    ].join("\n"),
  );

  it("expands an acronym to its full form and back", () => {
    expect(alternativesOf(thesaurus, "requisiti RdC?")).toEqual(["reddito di cittadinanza"]);
    expect(alternativesOf(thesaurus, "il Reddito di Cittadinanza chi lo prende")).toEqual(["RdC"]);
  });

  it("matches a multi-word form in any inflection, case and apostrophe", () => {
    expect(alternativesOf(thesaurus, "orari dei Centri per l’Impiego")).toEqual(["CPI"]);
    expect(alternativesOf(thesaurus, "il cpi di Bari")).toEqual(["centro per l'impiego"]);
  });

  it("needs the words of a multi-word form next to each other", () => {
    expect(alternativesOf(thesaurus, "reddito da lavoro e cittadinanza")).toEqual([]);
  });

  it("applies one-way expansions in their direction only", () => {
    expect(alternativesOf(thesaurus, "quanti navigator")).toEqual([
      "operatori di assistenza tecnica",
    ]);
    expect(alternativesOf(thesaurus, "operatori di assistenza tecnica")).toEqual([]);
  });

  it("loads the shipped knowledge/thesaurus.yaml", () => {
    const shipped = Thesaurus.load(shippedThesaurus);
    expect(shipped.size).toBeGreaterThan(20);
    expect(alternativesOf(shipped, "assegno di ricollocazione")).toContain("AdR");
    expect(alternativesOf(shipped, "PCTO")).toContain("alternanza scuola-lavoro");
  });

  it("names the line and the entry of a group with a single form", () => {
    const error = errorOf("- [RdC, reddito di cittadinanza]\n- [CPI]\n");
    expect(error.code).toBe("KNOWLEDGE_INVALID");
    expect(error.message).toContain("riga 2");
    expect(error.message).toContain("voce 2");
  });

  it("refuses a form made only of words the search ignores, naming it", () => {
    const error = errorOf("- [RdC, reddito di cittadinanza]\n\n- [SIA, di per la]\n");
    expect(error.message).toContain("riga 3");
    expect(error.message).toContain('"SIA"');
  });

  it("refuses broken YAML and a file that is not a list", () => {
    expect(errorOf("- [RdC, reddito\n- [x").message).toContain("YAML non valido");
    expect(errorOf("RdC: reddito di cittadinanza\n").message).toContain("lista");
    expect(errorOf("- { from: navigator }\n").message).toContain("riga 1");
  });

  it("reports a missing file with the path", () => {
    expect(() => Thesaurus.load("/nonexistent/thesaurus.yaml")).toThrow(/nonexistent/);
  });

  it("accepts an empty file as an empty thesaurus", () => {
    expect(Thesaurus.parse("# solo commenti\n").size).toBe(0);
  });
});

describe("Thesaurus cached as JSON", () => {
  const thesaurus = Thesaurus.parse("- [RdC, reddito di cittadinanza]");

  it("expands the same once read back", () => {
    const cached = Thesaurus.fromJSON(JSON.parse(JSON.stringify(thesaurus.toJSON())));
    expect(cached && alternativesOf(cached, "requisiti RdC?")).toEqual(["reddito di cittadinanza"]);
  });

  it.each([
    ["not a list", { from: [], to: [] }],
    ["a rule without forms", [{ from: [{ text: "RdC", terms: ["rdc"] }] }]],
    ["a form without terms", [{ from: [{ text: "RdC" }], to: [] }]],
    ["a term that is not text", [{ from: [{ text: "RdC", terms: [1] }], to: [] }]],
    ["null", null],
  ])("is not read from a damaged cache (%s)", (_name, json) => {
    expect(Thesaurus.fromJSON(json)).toBeUndefined();
  });
});
