import { describe, expect, it } from "vitest";
import { isSportelloError } from "../../src/errors.js";
import { ANALYSIS_VERSION } from "../../src/search/analysis.js";
import { IndexFormatError, type SearchDocument, SearchIndex } from "../../src/search/index.js";
import { Thesaurus } from "../../src/search/thesaurus.js";

const thesaurus = Thesaurus.parse(
  [
    "- [RdC, reddito di cittadinanza]",
    "- [CPI, centro per l'impiego, centri per l'impiego]",
    "- [navigator, navigatori]",
  ].join("\n"),
);

const passages: SearchDocument[] = [
  {
    id: "rel:rdc-full",
    heading: "Relazione 2019 › Reddito di Cittadinanza",
    body: "Il Reddito di Cittadinanza prevede la convocazione dei beneficiari presso i centri per l'impiego entro trenta giorni dalla domanda.",
    region: null,
    documentId: "relazione-2019",
  },
  {
    id: "pie:rdc-acronym",
    heading: "Piano Piemonte › Rafforzamento dei servizi",
    body: "Supporto ai CPI piemontesi nella gestione dei beneficiari RdC e nella stipula del Patto per il lavoro.",
    region: "Piemonte",
    documentId: "piano-piemonte",
  },
  {
    id: "rel:navigator",
    heading: "Relazione 2019 › Assistenza tecnica",
    body: "Nel 2019 sono stati contrattualizzati 2.980 navigator, assegnati alle regioni secondo il riparto.",
    region: null,
    documentId: "relazione-2019",
  },
  {
    id: "bas:art4",
    heading: "Convenzione Basilicata › Art. 4 Decorrenza",
    body: "La convenzione decorre dalla data di sottoscrizione e ha durata fino al 31 dicembre 2020.",
    region: "Basilicata",
    documentId: "convenzione-basilicata",
  },
  {
    id: "pie:scuola",
    heading: "Piano Piemonte › Transizione scuola-lavoro",
    body: "Alternanza scuola-lavoro: percorsi per studenti con disabilità negli istituti piemontesi.",
    region: "Piemonte",
    documentId: "piano-piemonte",
  },
  {
    id: "er:scuola",
    heading: "Piano Emilia-Romagna › Transizione scuola-lavoro",
    body: "Alternanza scuola-lavoro: laboratori nelle scuole emiliane per 1.200 studenti.",
    region: "Emilia-Romagna",
    documentId: "piano-emilia-romagna",
  },
  {
    id: "rel:sezione",
    heading: "Relazione 2019 › Piano operativo",
    body: "La sezione 4 del piano riguarda la parità di genere.",
    region: null,
    documentId: "relazione-2019",
  },
  {
    id: "rel:lezione",
    heading: "Relazione 2019 › Formazione",
    body: "Ogni lezione frontale durava quattro ore, seguita da studio in modalità FAD.",
    region: null,
    documentId: "relazione-2019",
  },
];

const index = SearchIndex.build(passages, { thesaurus });

function ids(query: string, options?: Parameters<SearchIndex["search"]>[1]): string[] {
  return index.search(query, options).map((hit) => hit.id);
}

describe("SearchIndex.search", () => {
  it("finds a passage by a word written with an elision in the text", () => {
    expect(ids("orari impiego")[0]).toBe("rel:rdc-full");
  });

  it("finds the full form from an acronym and the acronym from the full form", () => {
    expect(ids("requisiti RdC")).toContain("rel:rdc-full");
    expect(ids("reddito di cittadinanza piemontesi")).toContain("pie:rdc-acronym");
    expect(ids("cpi convocazione")[0]).toBe("rel:rdc-full");
    expect(ids("centri per l'impiego piemontesi")).toContain("pie:rdc-acronym");
  });

  it("ranks the user's own word above a thesaurus alternative", () => {
    const hits = ids("rdc");
    expect(hits[0]).toBe("pie:rdc-acronym");
    expect(hits).toContain("rel:rdc-full");
  });

  it("tolerates a one-letter typo in a longer word", () => {
    expect(ids("quanti navigattor?")[0]).toBe("rel:navigator");
    expect(ids("quando scade la convenzone")[0]).toBe("bas:art4");
    expect(ids("parità di gnere")[0]).toBe("rel:sezione");
  });

  it("never corrects a word that the corpus knows", () => {
    expect(ids("sezione")).toEqual(["rel:sezione"]);
    expect(ids("lezione")).toEqual(["rel:lezione"]);
  });

  it("finds numbers and codes", () => {
    expect(ids("2.980")[0]).toBe("rel:navigator");
    expect(ids("31 dicembre 2020")[0]).toBe("bas:art4");
  });

  it("keeps only the requested regions and documents", () => {
    expect(ids("alternanza scuola lavoro")).toEqual(
      expect.arrayContaining(["pie:scuola", "er:scuola"]),
    );
    expect(ids("alternanza studenti", { regions: ["Piemonte"] })).toEqual(["pie:scuola"]);
    expect(ids("alternanza studenti", { regions: ["Emilia-Romagna", null] })).toEqual([
      "er:scuola",
    ]);
    expect(ids("beneficiari", { regions: [null] })).toEqual(["rel:rdc-full"]);
    expect(ids("beneficiari", { documentIds: ["piano-piemonte"] })).toEqual(["pie:rdc-acronym"]);
    expect(ids("alternanza scuola lavoro", { regions: ["Toscana"] })).toEqual([]);
  });

  it("honours the limit", () => {
    expect(ids("relazione", { limit: 2 })).toHaveLength(2);
    expect(ids("relazione", { limit: 0 })).toEqual([]);
  });

  it("reports which question terms each hit contains, and an IDF-weighted coverage", () => {
    const terms = index.queryTerms("navigator contrattualizzati in Toscana");
    expect(terms).toHaveLength(3);
    const [hit] = index.search("navigator contrattualizzati in Toscana");
    expect(hit?.id).toBe("rel:navigator");
    expect(hit?.matched).toHaveLength(2);
    expect(hit?.matched).not.toContain(terms[2]);
    expect(hit?.coverage).toBeGreaterThan(0.3);
    expect(hit?.coverage).toBeLessThan(0.8);

    const [full] = index.search("quanti navigator contrattualizzati");
    expect(full?.coverage).toBeCloseTo(1);
  });

  it("counts a term found through the thesaurus or a typo as matched", () => {
    const [viaThesaurus] = index.search("RdC convocazione").filter((h) => h.id === "rel:rdc-full");
    expect(viaThesaurus?.matched).toEqual(index.queryTerms("RdC convocazione"));
    const [viaTypo] = index.search("navigattor");
    expect(viaTypo?.matched).toEqual(index.queryTerms("navigattor"));
  });

  it("weighs rare terms above common ones, and unknown terms highest", () => {
    const [common] = index.queryTerms("relazione");
    const [rare] = index.queryTerms("parità");
    const [unknown] = index.queryTerms("toscana");
    expect(index.idf(rare as string)).toBeGreaterThan(index.idf(common as string));
    expect(index.idf(unknown as string)).toBeGreaterThan(index.idf(rare as string));
  });
});

describe("SearchIndex.search with hostile input", () => {
  const hostile = [
    "foo:",
    ":",
    "title:formazione",
    "body:",
    "heading:x",
    "~",
    "navigator~",
    "navigator~2",
    "^2",
    "navigator^10",
    "-x",
    "-formazione",
    "+",
    "+*",
    "*",
    "nav*",
    "*igator",
    '"unbalanced',
    '"',
    "ferie -",
    "https://www.anpal.gov.it/rdc?x=1&y=2#frag",
    "'; DROP TABLE x;--",
    "<script>alert(1)</script>",
    "a".repeat(10_000),
    "navigator ".repeat(1_500),
    "",
    "   ",
    "🙂🙂🙂",
    "il la di per con che",
    "\u0000\u0007\u001b[2J\r\n",
    "\uD800 lone surrogate",
    "(((",
    "[]{}\\",
  ];

  it.each(hostile)("returns an array without throwing for %j", (query) => {
    const hits = index.search(query);
    expect(Array.isArray(hits)).toBe(true);
  });

  it("returns nothing, not every passage, when the question has no searchable words", () => {
    for (const query of ["", "   ", "*", "+*", "🙂🙂🙂", "il la di per con che", "~", "^2", ":"]) {
      expect(ids(query)).toEqual([]);
    }
  });

  it("reads lunr syntax as plain words", () => {
    expect(ids("-formazione")).toEqual(ids("formazione"));
    expect(ids("title:sezione")).toEqual(ids("title sezione"));
    expect(ids("navigator~2")[0]).toBe("rel:navigator");
    expect(ids("nav*")).toEqual([]);
  });
});

describe("SearchIndex serialisation", () => {
  it("gives the same hits after a round trip through JSON", () => {
    const loaded = SearchIndex.load(JSON.parse(JSON.stringify(index)), { thesaurus });
    for (const query of ["requisiti RdC", "navigattor", "alternanza scuola lavoro", "2.980"]) {
      expect(loaded.search(query)).toEqual(index.search(query));
    }
    expect(loaded.size).toBe(passages.length);
  });

  it("rejects an index written by another analysis version as stale", () => {
    const json = { ...index.toJSON(), analysisVersion: ANALYSIS_VERSION + 1 };
    const error = catchError(() => SearchIndex.load(json));
    expect(error).toBeInstanceOf(IndexFormatError);
    expect((error as IndexFormatError).reason).toBe("stale");
    expect((error as IndexFormatError).code).toBe("INDEX_CORRUPT");
    expect((error as Error).message).toContain("rebuild");
  });

  it("rejects an index written by another format version as stale", () => {
    const json = { ...index.toJSON(), formatVersion: 999 };
    expect((catchError(() => SearchIndex.load(json)) as IndexFormatError).reason).toBe("stale");
  });

  it("rejects damaged data as corrupt", () => {
    for (const json of [
      null,
      {},
      "x",
      { ...index.toJSON(), docs: "x" },
      { ...index.toJSON(), lunr: { version: "2.3.9" } },
    ]) {
      const error = catchError(() => SearchIndex.load(json));
      expect(error).toBeInstanceOf(IndexFormatError);
      expect((error as IndexFormatError).reason).toBe("corrupt");
    }
  });
});

describe("SearchIndex.build", () => {
  it("refuses two passages with the same id", () => {
    const first = passages[0] as SearchDocument;
    const error = catchError(() => SearchIndex.build([first, { ...first }]));
    expect(isSportelloError(error) && error.code).toBe("KNOWLEDGE_INVALID");
  });

  it("serves a FAQ index: question and phrasings as heading, answer as body", () => {
    const faq = SearchIndex.build(
      [
        {
          id: "faq-carta-rdc",
          heading: "Come si ritira la Carta RdC? Dove prendo la carta del reddito?",
          body: "La Carta si ritira presso gli uffici postali dopo l'SMS di Poste Italiane.",
          region: null,
          documentId: "faq",
        },
        {
          id: "faq-did",
          heading: "Come si rilascia la DID online?",
          body: "Dal portale ANPAL, sezione Cittadini.",
          region: null,
          documentId: "faq",
        },
      ],
      { thesaurus },
    );
    expect(faq.search("dove si prende la carta del reddito di cittadinanza")[0]?.id).toBe(
      "faq-carta-rdc",
    );
    expect(faq.search("did online")[0]?.id).toBe("faq-did");
  });

  it("builds, saves and loads an empty index that finds nothing", () => {
    const empty = SearchIndex.build([]);
    expect(empty.search("navigator")).toEqual([]);
    expect(SearchIndex.load(JSON.parse(JSON.stringify(empty))).search("navigator")).toEqual([]);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}
