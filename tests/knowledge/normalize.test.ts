import { describe, expect, it } from "vitest";
import { foldForMatch, normalizeLine, stripMarkup } from "../../src/knowledge/normalize.js";

const text = (raw: string) => normalizeLine(raw).text;

describe("normalizeLine", () => {
  it("turns typographic quotes, apostrophes and dashes into ASCII", () => {
    expect(text("l’Accordo “di Partenariato” 2014–2020 — PON")).toBe(
      'l\'Accordo "di Partenariato" 2014-2020 - PON',
    );
  });

  it("applies NFC so a decomposed accent matches the composed one", () => {
    expect(text("qualita\u0300")).toBe("qualità");
  });

  it("rewrites every bullet glyph to one marker", () => {
    for (const raw of [
      "• voce",
      "· voce",
      "➤ voce",
      "✓ voce",
      "\uf0fc voce",
      "‒ voce",
      "- ✓ voce",
    ]) {
      expect(text(raw)).toBe("- voce");
    }
    expect(text("o È proseguita l'assistenza")).toBe("- È proseguita l'assistenza");
    expect(text("ü Supporto ai CPI")).toBe("- Supporto ai CPI");
  });

  it("leaves the conjunction 'o' that starts a wrapped line alone", () => {
    expect(text("o in assistenza ai CPI) al 100% dei lavoratori")).toBe(
      "o in assistenza ai CPI) al 100% dei lavoratori",
    );
  });

  it("strips markdown emphasis and HTML residue from converted documents", () => {
    expect(text("➤ **Attività di supporto alla governance.**")).toBe(
      "- Attività di supporto alla governance.",
    );
    expect(text("attività di *scouting* della domanda")).toBe("attività di scouting della domanda");
    expect(text('<ul style="list-style-type: none"><p>Testo</p></ul>')).toBe("Testo");
    expect(stripMarkup("2 * 3 = 6")).toBe("2 * 3 = 6");
  });

  it("marks whole-line bold text as an emphasised heading", () => {
    expect(normalizeLine("- **Progettazione di percorsi formativi**").bold).toBe(true);
    expect(normalizeLine("testo con **una** parola").bold).toBe(false);
  });

  it("splits tab-separated and pipe rows into cells and drops separator rows", () => {
    const row = normalizeLine("ATTIVITÀ\t<p>RISULTATI</p>\t\tINDICATORI");
    expect(row.cells).toEqual(["ATTIVITÀ", "RISULTATI", "", "INDICATORI"]);
    expect(row.text).toBe("ATTIVITÀ | RISULTATI | INDICATORI");
    expect(normalizeLine("| Servizio | Durata |").text).toBe("Servizio | Durata");
    expect(normalizeLine("-----------\t-------").text).toBe("");
    expect(normalizeLine("|---|---|").text).toBe("");
  });

  it("reads markdown headings with their level", () => {
    expect(normalizeLine("## Accoglienza e **presa in carico**")).toMatchObject({
      text: "Accoglienza e presa in carico",
      markdownLevel: 2,
    });
  });
});

describe("foldForMatch", () => {
  it("lower-cases, folds accents and collapses punctuation like the evaluation does", () => {
    expect(foldForMatch("ATTIVITÁ  dell’Agenzia — perché?")).toBe("attivita dell agenzia perche");
  });
});
