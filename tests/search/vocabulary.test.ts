// Vocabulary levers of the query plan, on both engines: truncated abbreviations completed from
// the corpus, derivational families at a lower weight than the word asked, and the thesaurus
// applied to the typo-corrected question.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ANALYSIS_VERSION } from "../../src/search/analysis.js";
import { DiskSearchIndex } from "../../src/search/disk-index.js";
import { type SearchDocument, SearchIndex } from "../../src/search/index.js";
import type { SearchIndexPort } from "../../src/search/port.js";
import { familyOf } from "../../src/search/query-plan.js";
import { Thesaurus } from "../../src/search/thesaurus.js";
import { WORD_FAMILIES_ANALYSIS } from "../../src/search/word-families.js";

const thesaurus = Thesaurus.parse("- [RdC, reddito di cittadinanza]");

const doc = (id: string, body: string): SearchDocument => ({
  id,
  heading: "Piano",
  body,
  region: null,
  documentId: id,
});
const units = [
  doc("lavoratori", "I lavoratori in cassa integrazione sono convocati dal centro."),
  doc("universita", "Le università del territorio ospitano gli sportelli di orientamento."),
  doc("regione", "La regione approva il piano entro marzo."),
  doc("regionale", "Il piano regionale prevede tre linee di intervento."),
  doc("rdc", "I beneficiari RdC firmano il patto per il lavoro."),
  doc("altro", "Le scuole organizzano incontri di orientamento con le imprese."),
  doc("cittadinanza", "Le scuole promuovono la cittadinanza attiva."),
];

const dir = mkdtempSync(join(tmpdir(), "sportello-vocabulary-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const engines: Array<[string, SearchIndexPort]> = [
  ["lunr", SearchIndex.build(units, { thesaurus })],
  ["disk", DiskSearchIndex.build(units, { thesaurus, dir })],
];

const ids = (index: SearchIndexPort, query: string) =>
  index.search(query, { limit: 5 }).map((hit) => hit.id);

describe.each(engines)("vocabulary levers (%s)", (_name, index) => {
  it('completes a truncated abbreviation: "lav." finds the passage on lavoratori', () => {
    expect(ids(index, "e i lav.?")[0]).toBe("lavoratori");
    expect(ids(index, "univ.")).toEqual(["universita"]);
    // and the abbreviation counts as a matched question term
    expect(index.search("lav. in cassa integrazione", { limit: 1 })[0]?.coverage).toBe(1);
  });

  it("does not complete a legal abbreviation of one or two letters", () => {
    expect(ids(index, "ai sensi della L. n. 68")).toEqual([]);
  });

  it("finds a word's derivational family, below the word itself", () => {
    const hits = index.search("regionale", { limit: 5 });
    expect(hits.map((hit) => hit.id)).toEqual(["regionale", "regione"]);
    expect(hits[1]?.score).toBeLessThan(hits[0]?.score ?? 0);
    expect(ids(index, "regione")).toEqual(["regione", "regionale"]);
  });

  it("applies the thesaurus to the typo-corrected question", () => {
    // "cittadinanaz" is corrected to "cittadinanza", which makes "reddito di cittadinanza",
    // which the thesaurus ties to "RdC": the only passage about the measure is found.
    expect(ids(index, "reddito di cittadinanaz")).toContain("rdc");
  });
});

describe("word families", () => {
  it("were generated with the current analysis", () => {
    expect(WORD_FAMILIES_ANALYSIS).toBe(ANALYSIS_VERSION);
  });

  it("tie derived words and leave a lone word alone", () => {
    expect(familyOf("regional")).toContain("region");
    expect(familyOf("iscrizion")).toEqual(expect.arrayContaining(["iscriv", "iscritt"]));
    expect(familyOf("zzz")).toEqual([]);
  });
});
