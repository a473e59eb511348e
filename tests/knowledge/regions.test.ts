// Finding the region a question is about: names, demonyms, and names cut short with a full stop.
import { describe, expect, it } from "vitest";
import { findRegions, stripRegionMentions } from "../../src/knowledge/regions.js";

describe("regions named in a question", () => {
  it("finds names and demonyms", () => {
    expect(findRegions("quanti CPI in Basilicata?")).toEqual(["Basilicata"]);
    expect(findRegions("i navigator lucani")).toEqual(["Basilicata"]);
  });

  it("finds a region name cut short with its full stop", () => {
    expect(findRegions("coordinamento AT bas.: che funzioni ha?")).toEqual(["Basilicata"]);
    expect(findRegions("APL = ? (piano pie.)")).toEqual(["Piemonte"]);
    expect(findRegions("tavoli di crisi in lomb. e tosc.")).toEqual(["Lombardia", "Toscana"]);
    expect(stripRegionMentions("piano pie.: norma di rif.?")).not.toContain("pie");
  });

  it("needs the full stop, and leaves truncations of other words alone", () => {
    expect(findRegions("il basso numero di pie")).toEqual([]);
    expect(findRegions("scadenza a mar. 2020, incontro ven. 3")).toEqual([]);
    expect(findRegions("art. 4 (abr.)")).toEqual([]);
  });
});
