import { describe, expect, it } from "vitest";
import { parseCsv, parseCsvRecords, toCsv } from "../../src/curation/csv.js";

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
