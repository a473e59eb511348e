// .docx, .odt and .html built in the test: passages keep the document's own headings as
// breadcrumbs, tables read row by row as "colonna: valore", FAQ pairs stay whole and are cited by
// their question.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatLocation } from "../../src/answer/compose.js";
import { isSportelloError } from "../../src/errors.js";
import { inferMeta, loadDocument, readDocument } from "../../src/knowledge/load.js";
import type { DocumentMeta, Passage } from "../../src/knowledge/types.js";
import { say } from "../../src/prompts.js";
import { buildDocx, buildOdt, type TestBlock } from "./office-files.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sportello-formats-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const meta = (id: string, file: string): DocumentMeta => ({
  id,
  file,
  title: "Manuale operatore CPI",
  kind: "manuale",
  region: null,
  date: null,
  origin: "test",
});

async function load(name: string, bytes: Uint8Array | string): Promise<Passage[]> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return (await loadDocument(path, meta("doc", name))).passages;
}

const containing = (passages: Passage[], text: string) => {
  const found = passages.filter((p) => p.text.includes(text));
  expect(found, `one passage with «${text}»`).toHaveLength(1);
  return found[0] as Passage;
};

const manual: TestBlock[] = [
  { h: 1, text: "Presa in carico" },
  {
    p: "Il centro per l'impiego convoca la persona entro 30 giorni dalla dichiarazione di immediata disponibilità (DID) e sottoscrive con lei il patto di servizio personalizzato.",
  },
  { li: "documento di identità valido" },
  { li: "codice fiscale", depth: 1 },
  { h: 2, text: "Documenti richiesti" },
  {
    table: [
      ["Documento", "Chi lo rilascia", "Validità"],
      ["Carta d'identità", "Comune", "10 anni"],
      ["Permesso di soggiorno", "Questura", "2 anni"],
    ],
    header: true,
  },
  { h: 1, text: "Domande frequenti" },
  { h: 2, text: "Chi può iscriversi al programma GOL?" },
  {
    p: "Possono iscriversi i disoccupati e i beneficiari di ammortizzatori sociali residenti nella regione.",
  },
  { p: "La domanda si presenta al centro per l'impiego o sul portale regionale." },
  { h: 2, text: "Orari degli sportelli" },
  { p: "Gli sportelli sono aperti dal lunedì al venerdì, dalle 9 alle 13." },
];

describe.each([
  ["docx", buildDocx],
  ["odt", buildOdt],
] as const)(".%s", (extension, build) => {
  let passages: Passage[];
  beforeAll(async () => {
    passages = await load(`manuale.${extension}`, build(manual, "Manuale operatore CPI"));
  });

  it("keeps headings as breadcrumbs and list items as items", () => {
    const intro = containing(passages, "patto di servizio personalizzato");
    expect(intro.breadcrumb).toEqual(["Presa in carico"]);
    expect(intro.text.split("\n")).toEqual([
      "Presa in carico",
      expect.stringMatching(/^Il centro per l'impiego convoca/),
      "- documento di identità valido",
      "  - codice fiscale",
    ]);
  });

  it("reads tables row by row as «colonna: valore» under their section", () => {
    const table = containing(passages, "Carta d'identità");
    expect(table.kind).toBe("table");
    expect(table.breadcrumb).toEqual(["Presa in carico", "Documenti richiesti"]);
    expect(table.text.split("\n")).toEqual([
      "Documenti richiesti",
      "Documento: Carta d'identità; Chi lo rilascia: Comune; Validità: 10 anni",
      "Documento: Permesso di soggiorno; Chi lo rilascia: Questura; Validità: 2 anni",
    ]);
  });

  it("turns a question heading and its paragraphs into one FAQ passage", () => {
    const faq = containing(passages, "Possono iscriversi");
    expect(faq.breadcrumb).toEqual(["Domande frequenti", "Chi può iscriversi al programma GOL?"]);
    expect(faq.text.split("\n")).toEqual([
      "Chi può iscriversi al programma GOL?",
      "Possono iscriversi i disoccupati e i beneficiari di ammortizzatori sociali residenti nella regione.",
      "La domanda si presenta al centro per l'impiego o sul portale regionale.",
    ]);
    // The next section is not part of the answer.
    expect(containing(passages, "dalle 9 alle 13").breadcrumb.at(-1)).toBe("Orari degli sportelli");
  });

  it("is cited by section, never by line", () => {
    const faq = containing(passages, "Possono iscriversi");
    expect(formatLocation(faq, meta("doc", `manuale.${extension}`))).toBe(
      "Manuale operatore CPI › Domande frequenti › Chi può iscriversi al programma GOL?",
    );
  });

  it("takes the title from the document's metadata", async () => {
    const read = await readDocument(join(dir, `manuale.${extension}`));
    expect(inferMeta(`manuale.${extension}`, read.title).title).toBe("Manuale operatore CPI");
  });
});

describe("bold lines in Markdown", () => {
  it("keeps a bold line ending in «:» as the first line of the list it introduces", async () => {
    const sentence = (topic: string) =>
      `Gli esiti ${topic} sono registrati nel sistema informativo regionale entro trenta giorni. `.repeat(
        4,
      );
    const passages = await load(
      "strumenti.md",
      [
        "# Controlli",
        "",
        "**Esiti delle verifiche**",
        "",
        sentence("delle verifiche"),
        "",
        "**Gli strumenti del controllo:**",
        `- le check list, che${" ripercorrono ogni fase dell'operazione;".repeat(4)}`,
        `- i verbali, che${" riportano il nome di chi ha svolto il controllo.".repeat(4)}`,
        "",
        "**Esiti delle verifiche in loco**",
        "",
        sentence("delle verifiche in loco"),
      ].join("\n"),
    );
    const list = passages.find((p) => p.text.includes("Gli strumenti del controllo:"));
    expect(list?.breadcrumb).toEqual(["Controlli", "Esiti delle verifiche"]);
    expect(list?.text).toContain("Gli strumenti del controllo:\n- le check list");
    expect(passages.at(-1)?.breadcrumb).toEqual(["Controlli", "Esiti delle verifiche in loco"]);
  });
});

describe(".docx specifics", () => {
  it("reads a bold paragraph ending in «?» as a question, and leaves the table of contents out of .odt", async () => {
    const passages = await load(
      "faq.docx",
      buildDocx([
        { h: 1, text: "FAQ tirocini" },
        { p: "Quanto dura un tirocinio extracurricolare?", bold: true },
        { p: "Da due a dodici mesi, secondo il progetto formativo." },
        { p: "Chi paga l'indennità?", bold: true },
        { p: "Il soggetto ospitante, salvo i programmi che la finanziano." },
      ]),
    );
    expect(passages.map((p) => p.breadcrumb)).toEqual([
      ["FAQ tirocini", "Quanto dura un tirocinio extracurricolare?"],
      ["FAQ tirocini", "Chi paga l'indennità?"],
    ]);
    const odt = await load("toc.odt", buildOdt([{ p: "Testo del documento senza indice." }]));
    expect(odt.map((p) => p.text).join("\n")).not.toContain("Indice");
  });

  it("refuses a damaged file with an Italian message naming it", async () => {
    const error = await load("rotto.docx", "PK\u0003\u0004 non è uno zip").catch((e) => e);
    expect(isSportelloError(error)).toBe(true);
    expect(error.message).toMatch(
      /Documento «rotto\.docx» non leggibile: il file \.docx è danneggiato/,
    );
  });

  it.each([
    [
      "senza-documento.docx",
      { "word/styles.xml": "<w:styles/>" },
      "library.markup_docx_no_document",
    ],
    ["senza-corpo.docx", { "word/document.xml": "<w:document/>" }, "library.markup_docx_no_body"],
    [
      "senza-contenuto.odt",
      { "meta.xml": "<office:document-meta/>" },
      "library.markup_odt_no_content",
    ],
    [
      "foglio.odt",
      {
        "content.xml":
          "<office:document-content><office:body><office:spreadsheet/></office:body></office:document-content>",
      },
      "library.markup_odt_not_text",
    ],
  ] as const)("says what %s lacks, in Italian, from prompts/", async (name, entries, key) => {
    const zip = zipSync(
      Object.fromEntries(Object.entries(entries).map(([n, xml]) => [n, strToU8(xml)])),
    );
    const error = await load(name, zip).catch((e) => e);
    expect(isSportelloError(error)).toBe(true);
    expect(error.message).toContain(`Documento «${name}» non leggibile`);
    expect(error.message).toContain(`(${say(key)})`);
  });

  it("names a damaged zip container in Italian", async () => {
    const docx = buildDocx([{ p: "Testo." }]);
    const error = await load("troncato.docx", docx.slice(0, docx.length - 40)).catch((e) => e);
    expect(isSportelloError(error)).toBe(true);
    expect(error.message).toContain(say("library.markup_zip_invalid", { detail: "" }).slice(0, -2));
  });
});

const page = `<!doctype html>
<html lang="it"><head><meta charset="utf-8"><title>Garanzia Giovani in Umbria</title>
<style>.menu { color: red }</style>
<script>var tracciamento = "NON INDICIZZARE";</script>
<script type="application/ld+json">
{"@context":"https://schema.org","@type":"FAQPage","mainEntity":[
 {"@type":"Question","name":"Chi può aderire a Garanzia Giovani?","acceptedAnswer":{"@type":"Answer","text":"<p>I giovani NEET tra 15 e 29 anni.</p>"}},
 {"@type":"Question","name":"Serve lo SPID per iscriversi?","acceptedAnswer":{"@type":"Answer","text":"Sì: l'iscrizione online richiede <b>SPID</b> o CIE."}}]}
</script></head>
<body>
<header><nav><a href="/">Home</a> <a href="/menu">Menu principale del sito</a></nav></header>
<main>
<h1>Garanzia Giovani in Umbria</h1>
<h2>Come funziona</h2>
<p>Il programma accompagna i giovani verso il lavoro con un percorso personalizzato,
concordato al centro per l'impiego dopo la registrazione.</p>
<ul><li>registrazione sul portale</li><li>colloquio al CPI<ul><li>profilazione</li></ul></li></ul>
<table><thead><tr><th>Misura</th><th>Durata</th><th>Indennità</th></tr></thead>
<tbody><tr><td>Tirocinio extracurricolare</td><td>6 mesi</td><td>500 euro al mese</td></tr>
<tr><td>Servizio civile</td><td>12 mesi</td><td>444 euro al mese</td></tr></tbody></table>
<h2>Domande frequenti</h2>
<h3>Chi può aderire a Garanzia Giovani?</h3>
<p>I giovani tra 15 e 29 anni che non studiano e non lavorano (NEET), residenti in Italia.</p>
<dl><dt>Quanto dura il tirocinio?</dt><dd>Al massimo sei mesi, dodici per le persone con disabilità.</dd></dl>
<details><summary>Posso cambiare CPI?</summary><p>Sì, chiedendolo al CPI del nuovo domicilio.</p></details>
</main>
<footer>© Regione Umbria · Privacy · Cookie</footer>
</body></html>`;

describe(".html", () => {
  let passages: Passage[];
  beforeAll(async () => {
    passages = await load("faq.html", page);
  });

  it("drops navigation, footer, scripts and styles", () => {
    const all = passages.map((p) => p.text).join("\n");
    for (const junk of ["Menu principale", "NON INDICIZZARE", "Cookie", "color: red"]) {
      expect(all).not.toContain(junk);
    }
  });

  it("keeps headings, lists and the table's header", () => {
    const intro = containing(passages, "percorso personalizzato");
    expect(intro.breadcrumb).toEqual(["Garanzia Giovani in Umbria", "Come funziona"]);
    expect(intro.text).toContain("- colloquio al CPI\n  - profilazione");
    const table = containing(passages, "Tirocinio extracurricolare");
    expect(table.text).toContain(
      "Misura: Tirocinio extracurricolare; Durata: 6 mesi; Indennità: 500 euro al mese",
    );
    expect(table.text).toContain(
      "Misura: Servizio civile; Durata: 12 mesi; Indennità: 444 euro al mese",
    );
  });

  it("makes one FAQ passage per question: headings, <dl>, <details> and JSON-LD", () => {
    const faqs = passages.filter((p) => p.breadcrumb.at(-1)?.endsWith("?"));
    expect(faqs.map((p) => p.breadcrumb.at(-1))).toEqual([
      "Chi può aderire a Garanzia Giovani?",
      "Quanto dura il tirocinio?",
      "Posso cambiare CPI?",
      "Serve lo SPID per iscriversi?",
    ]);
    expect(faqs[0]?.text).toContain("non studiano e non lavorano");
    expect(faqs[0]?.breadcrumb).toEqual([
      "Garanzia Giovani in Umbria",
      "Domande frequenti",
      "Chi può aderire a Garanzia Giovani?",
    ]);
    expect(faqs[1]?.text).toBe(
      "Quanto dura il tirocinio?\nAl massimo sei mesi, dodici per le persone con disabilità.",
    );
    expect(faqs[3]?.text).toBe(
      "Serve lo SPID per iscriversi?\nSì: l'iscrizione online richiede SPID o CIE.",
    );
  });

  it("takes the page title", async () => {
    expect((await readDocument(join(dir, "faq.html"))).title).toBe("Garanzia Giovani in Umbria");
  });
});
