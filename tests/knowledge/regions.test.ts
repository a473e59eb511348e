// Finding the region a question is about: names, demonyms, and names cut short with a full stop.
import { describe, expect, it } from "vitest";
import {
  correctRegionNames,
  findRegions,
  stripRegionMentions,
} from "../../src/knowledge/regions.js";

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

describe("region names mistyped by one letter", () => {
  it("are written right", () => {
    expect(correctRegionNames("in toscanna quanti cpi")).toBe("in toscana quanti cpi");
    expect(correctRegionNames("navigator in Sicillia?")).toBe("navigator in sicilia?");
    expect(correctRegionNames("il piano del piemonet")).toBe("il piano del piemonte");
    expect(correctRegionNames("piano del molisse")).toBe("piano del molise");
  });

  it("leave words one edit from a short name alone", () => {
    // "venuto" and "paglia" are one letter from Veneto and Puglia; "trentina" from Trentino.
    const text = "è venuto con la paglia, una trentina di persone";
    expect(correctRegionNames(text)).toBe(text);
    expect(findRegions(correctRegionNames(text))).toEqual([]);
  });

  it('read lower-case "marche" as the region only after "regione"', () => {
    expect(findRegions("la regione marche quanti navigator ha avuto?")).toEqual(["Marche"]);
    expect(findRegions("le marche da bollo")).toEqual([]);
  });
});
