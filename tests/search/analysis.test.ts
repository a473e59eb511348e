import { describe, expect, it } from "vitest";
import { analyze, foldText, withKnownLetterCodes } from "../../src/search/analysis.js";

/** The one term `word` gives on its own, for comparisons that read like the sentence they test. */
function termOf(word: string): string {
  const terms = analyze(word);
  expect(terms).toHaveLength(1);
  return terms[0] as string;
}

describe("analyze", () => {
  it("splits elided articles, with the straight and the typographic apostrophe", () => {
    const impiego = termOf("impiego");
    expect(analyze("centro dell'impiego")).toContain(impiego);
    expect(analyze("centro dell’impiego")).toContain(impiego);
    expect(analyze("l'attività")).toEqual([termOf("attività")]);
    expect(analyze("quest'anno")).toEqual([termOf("anno")]);
    expect(analyze("un'altra nell'ambito all'interno c'è d'intesa s'intende")).not.toEqual(
      expect.arrayContaining(["l", "dell", "un", "nell", "all", "c", "d", "s", "quest"]),
    );
  });

  it("folds accents the same way on both sides, also when the accent is typed as an apostrophe", () => {
    expect(termOf("attività")).toBe(termOf("attivita"));
    expect(termOf("attività")).toBe(termOf("ATTIVITA'"));
    expect(termOf("università")).toBe(termOf("universita"));
    expect(foldText("Perché È così")).toBe("perche e cosi");
  });

  it("maps singular and plural to the same stem", () => {
    expect(termOf("centri")).toBe(termOf("centro"));
    expect(termOf("convenzioni")).toBe(termOf("convenzione"));
    expect(termOf("lavoratori")).toBe(termOf("lavoratore"));
  });

  it("drops Italian stop words, including elided forms and question words", () => {
    expect(analyze("chi è che ha detto quello?")).toEqual([termOf("detto")]);
    expect(analyze("di che cosa si tratta quando")).toEqual([termOf("tratta")]);
    expect(analyze("il la lo gli le un una di a da in con su per tra fra")).toEqual([]);
  });

  it("keeps numbers and codes findable, whole and by their parts", () => {
    expect(analyze("D.Lgs. 81/2008")).toEqual(["dlgs", "81/2008", "81", "2008"]);
    expect(analyze("obiettivo specifico 5.1")).toContain("5.1");
    expect(analyze("Piano 2017-2020")).toEqual(
      expect.arrayContaining(["2017-2020", "2017", "2020"]),
    );
    expect(analyze("nel 1973")).toEqual(["1973"]);
    expect(analyze("LINEA 08")).toEqual(analyze("linea 8"));
    expect(analyze("codice DD-A15 e progetto 180N")).toEqual(
      expect.arrayContaining(["a15", "180n"]),
    );
  });

  it("reads the percent sign as the word a question uses for it", () => {
    expect(analyze("il 32,8% dei lavoratori")).toEqual(
      expect.arrayContaining(["32,8", ...analyze("percentuale")]),
    );
    expect(analyze("in che percentuale?")).toEqual(analyze("in %?"));
  });

  it("collapses dotted abbreviations so that a question without dots still meets them", () => {
    expect(analyze("S.p.A.")).toEqual(analyze("spa"));
    expect(analyze("D.G.R. n. 1193")).toEqual(expect.arrayContaining(analyze("dgr 1193")));
  });

  it("keeps the letter of a code after an acronym (LEP O), also in a list, not in a heading", () => {
    expect(analyze("cosa prevede il LEP O?")).toContain("lep_o");
    expect(analyze("- LEP O: sessioni collettive")).toContain("lep_o");
    expect(analyze("i LEP A, C e G)")).toEqual(expect.arrayContaining(["lep_a", "lep_c", "lep_g"]));
    expect(analyze("LEP E e F1: sessioni")).toContain("lep_e");
    // The letter alone is a stop word: without the pair, LEP A and LEP O were the same question.
    expect(analyze("il LEP A")).not.toContain("lep_o");
    for (const text of [
      "RISPETTO DEI LEP E L'ATTUAZIONE",
      "CPI E SERVIZI",
      "ATTO N. 369",
      "GEPI S.p.A.",
      "il lep o",
    ]) {
      expect(analyze(text).some((t) => t.includes("_"))).toBe(false);
    }
  });

  it("writes a letter code typed in lower case in capitals only when the index knows it", () => {
    const known = new Set(["lep_o", "lep_e"]);
    const knows = (term: string) => known.has(term);
    expect(withKnownLetterCodes("cosa prevede il lep o?", knows)).toBe("cosa prevede il LEP O?");
    expect(withKnownLetterCodes("e il Lep O", knows)).toBe("e il LEP O");
    // Pairs the index does not hold as a code stay as typed.
    expect(withKnownLetterCodes("da a chi si rivolge il lep a", knows)).toBe(
      "da a chi si rivolge il lep a",
    );
    // Before another word the letter is a word of its own: "e" is "and" there.
    expect(withKnownLetterCodes("cosa fanno i lep e i navigator?", knows)).toBe(
      "cosa fanno i lep e i navigator?",
    );
    expect(withKnownLetterCodes("e il lep e?", knows)).toBe("e il LEP E?");
    expect(withKnownLetterCodes("", knows)).toBe("");
  });

  it("never throws and returns [] when nothing is searchable", () => {
    const inputs = [
      "",
      "   \n\t ",
      "🙂🚀👍🏽",
      "\u0000\u0001\u0007\u001b[31m",
      "\uD800\uDFFF\uD800",
      "*?!:;~^+-\"'()[]{}",
      "x".repeat(10_000),
      "parola ".repeat(2_000),
      null as unknown as string,
      undefined as unknown as string,
    ];
    for (const input of inputs) expect(Array.isArray(analyze(input))).toBe(true);
    expect(analyze("🙂🚀")).toEqual([]);
    expect(analyze("*?!:;~^")).toEqual([]);
  });
});

describe("foldText on Latin text", () => {
  // The folding as first written, for any text: foldText takes a per-character path for text
  // within Latin Extended-A and must give exactly this.
  const reference = (text: string) =>
    text
      .normalize("NFC")
      .toLowerCase()
      .replace(/[\u2018\u2019\u201B\u02BC\u02B9\u0060\u00B4\u2032]/g, "'")
      .replace(/[\u2010-\u2015\u2212]/g, "-")
      .normalize("NFD")
      .replace(/\p{M}+/gu, "")
      .normalize("NFC")
      .replace(/(?<![\p{L}\p{N}.])(?:\p{L}{1,3}\.)+\p{L}{1,3}(?![\p{L}\p{N}])/gu, (a) =>
        a.replaceAll(".", ""),
      );

  it("gives what the whole-text normalisation gives, on random text", () => {
    // A fixed pseudo-random sequence, so that a failure can be replayed.
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const alphabet = [
      ...Array.from({ length: 0x180 }, (_, i) => String.fromCharCode(i)),
      ..."aeiou .'SpA.D.Lgs.".split(""),
      "\u0301", // a combining accent: the text leaves the per-character path
      ..."\u2019\u2018\u201b\u02bc\u02b9\u2032\u2010\u2013\u2014\u2212\u201c\u00b4`",
    ];
    for (let round = 0; round < 3000; round++) {
      const length = next() % 40;
      let text = "";
      for (let i = 0; i < length; i++) text += alphabet[next() % alphabet.length];
      expect(foldText(text)).toBe(reference(text));
    }
  });

  it("folds accents, capitals and abbreviations as before", () => {
    for (const text of [
      "Attività PERCHÉ città È İstanbul ŒUVRE Ærø ß",
      "il D.Lgs. 150/2015 e la S.p.A., l`art. 5 ´quota´",
      "perche' dell’impiego – 2017‐2020",
    ]) {
      expect(foldText(text)).toBe(reference(text));
    }
  });
});
