// The evaluation's scoring rule (shared/eval/README.md): a passage is a hit when its raw text
// contains the evidence, tolerant of typographic quotes, re-joined hyphenation, stripped markup,
// accents, case and punctuation. And the two gold formats that `sportello eval` reads.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isSportelloError } from "../../src/errors.js";
import { isHit, loadGold } from "../../src/eval/gold.js";

const evidence = (text: string) => ({ kind: "evidence" as const, evidence: text });
const passage = (text: string, id = "doc:1") => ({ id, text });

describe("isHit with evidence", () => {
  it.each([
    [
      "identical text",
      "linea 19 è stato sospeso nel secondo trimestre 2019",
      "…la linea 19 è stato sospeso nel secondo trimestre 2019, in accordo…",
    ],
    [
      "typographic double quotes in the evidence",
      "il progetto “Botteghe di mestiere”",
      'ad esempio, il progetto "Botteghe di mestiere" e altri',
    ],
    [
      "guillemets in the passage",
      'il progetto "Botteghe di mestiere"',
      "ad esempio, il progetto «Botteghe di mestiere» e altri",
    ],
    [
      "typographic apostrophe in the evidence",
      "inserimento nei CPI dei 175 navigator a supporto dell’attuazione del RdC",
      "inserimento nei CPI dei 175 navigator a supporto dell'attuazione del RdC.",
    ],
    [
      "hyphen at a line break in the source, re-joined in the passage",
      "consolidare i rapporti scuola- formazione-impresa sul territorio",
      "e di consolidare i rapporti scuola-formazione-impresa sul territorio regionale",
    ],
    [
      "line break inside the evidence",
      "sviluppo di poli tecnico-\nprofessionali",
      "lo sviluppo di poli tecnico-professionali nelle province",
    ],
    [
      "accents folded",
      "è iniziata l'attività dei circa 450 navigator campani",
      "E iniziata l'attivita dei circa 450 navigator campani",
    ],
    ["accent written as an apostrophe", "attività dei navigator", "le attivita' dei navigator"],
    [
      "case",
      "LEP O: sessioni collettive di presentazione",
      "lep o: Sessioni Collettive di presentazione degli strumenti",
    ],
    [
      "punctuation and spacing",
      "pari a 164.316.744,00 euro",
      "pari a 164 316 744 00   euro complessivi",
    ],
    [
      "markdown residue in the passage",
      "Il principale è stato il Recruitment day",
      "Il principale è stato il **Recruitment day** (34,6%)",
    ],
    [
      "bullet glyph and dash variants",
      "Supporto all'aggiornamento del SIM – verifica periodica",
      "• Supporto all'aggiornamento del SIM - verifica periodica",
    ],
    [
      "non-breaking and repeated spaces",
      "almeno 4.000 imprese l’anno",
      "almeno 4.000\u00a0imprese   l'anno",
    ],
  ])("hits across %s", (_label, expected, text) => {
    expect(isHit(evidence(expected), passage(text))).toBe(true);
  });

  it.each([
    ["a different number", "circa 450 navigator", "circa 540 navigator"],
    ["half a word", "navigator campani", "navigator campania"],
    ["a word inside another", "ore", "le risorse assegnate"],
    ["words in another order", "secondo trimestre 2019", "2019 trimestre secondo"],
    ["a missing word", "sessione informativa al mese", "sessione informativa mensile"],
  ])("misses %s", (_label, expected, text) => {
    expect(isHit(evidence(expected), passage(text))).toBe(false);
  });

  it("compares passage ids exactly in the passage-id format", () => {
    const expected = { kind: "passage" as const, passageId: "a00p000" };
    expect(isHit(expected, passage("anything", "a00p000"))).toBe(true);
    expect(isHit(expected, passage("anything", "a00p0001"))).toBe(false);
    expect(isHit(expected, passage("anything", "A00P000"))).toBe(false);
  });
});

describe("loadGold", () => {
  const dir = mkdtempSync(join(tmpdir(), "sportello-gold-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, `${lines.join("\n")}\n`);
    return path;
  };

  it("reads the evidence format, the passage-id format and blank lines", () => {
    const path = write("mixed.jsonl", [
      '{"id": "d001", "question": "chi firma?", "style": "informal", "file": "000.txt", "evidence": "Donato Viggiano", "answer": "Viggiano"}',
      "",
      '{"id": "d002", "question": "carta RdC?", "style": "formal", "file": null, "evidence": null, "answer": null}',
      '{"id": "s1", "question": "Quando iniziò la crisi?", "passage": "a00p000", "answers": ["1973"]}',
    ]);
    expect(loadGold(path)).toEqual([
      {
        id: "d001",
        question: "chi firma?",
        style: "informal",
        expected: { kind: "evidence", evidence: "Donato Viggiano" },
      },
      { id: "d002", question: "carta RdC?", style: "formal", expected: null },
      {
        id: "s1",
        question: "Quando iniziò la crisi?",
        style: "squad",
        expected: { kind: "passage", passageId: "a00p000" },
      },
    ]);
  });

  // The development set lives next to the repository (../shared), not in it.
  const devSet = join(import.meta.dirname, "../../../shared/eval/gold_dev.jsonl");
  it.skipIf(!existsSync(devSet))("reads the whole development set of the project", () => {
    const gold = loadGold(devSet);
    expect(gold).toHaveLength(95);
    expect(gold.filter((q) => q.expected === null)).toHaveLength(15);
  });

  it.each([
    ["a line that is not JSON", ['{"id": "a", "question": "ok", "evidence": "x"}', "{oops"], 2],
    ["a line without question", ['{"id": "a", "evidence": "x"}'], 1],
  ])("names the line of %s", (_label, lines, line) => {
    const path = write(`bad-${line}.jsonl`, lines);
    let error: unknown;
    try {
      loadGold(path);
    } catch (caught) {
      error = caught;
    }
    expect(isSportelloError(error) && error.code).toBe("INPUT_INVALID");
    expect((error as Error).message).toContain(`${path}:${line}`);
  });

  it("says which file it cannot read", () => {
    expect(() => loadGold(join(dir, "missing.jsonl"))).toThrow(/missing\.jsonl/);
  });
});
