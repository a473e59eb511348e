import { beforeAll, describe, expect, it } from "vitest";
import { type LoadedKnowledge, loadKnowledge } from "../../src/knowledge/knowledge.js";
import { foldForMatch } from "../../src/knowledge/normalize.js";
import { shippedKnowledge } from "../support/shipped-knowledge.js";

// The corpus that ships in knowledge/: every document loads and citations read well.
let knowledge: LoadedKnowledge;
beforeAll(async () => {
  knowledge = await loadKnowledge(shippedKnowledge);
});

const find = (documentId: string, words: string) =>
  knowledge.documents
    .find((d) => d.meta.id === documentId)
    ?.passages.find((p) => foldForMatch(p.text).includes(foldForMatch(words)));

describe("shipped knowledge", () => {
  it("loads the four documents and the FAQ without errors", () => {
    expect(knowledge.errors).toEqual([]);
    expect(knowledge.documents.map((d) => d.meta.region)).toEqual([
      "Basilicata",
      null,
      "Piemonte",
      "Emilia-Romagna",
    ]);
    expect(knowledge.faqs.length).toBeGreaterThanOrEqual(8);
  });

  it("cites the Basilicata convention by article and the Allegato by linea and objective", () => {
    expect(
      find("convenzione-basilicata", "autorizza Anpal Servizi spa al trattamento")?.breadcrumb.join(
        " ",
      ),
    ).toContain("Art. 3 – Trattamento dei dati personali");
    const objective = find(
      "convenzione-basilicata",
      "Organizzazione e gestione presso ciascun CPI di una sessione informativa",
    );
    expect(objective?.breadcrumb.slice(0, 2)).toEqual([
      "Allegato A",
      "Linea 5 – Erogazione dei servizi per l'inserimento e il reinserimento nel mercato del lavoro",
    ]);
    expect(objective?.breadcrumb[2]).toMatch(/^Obiettivo specifico 5\.1 – /);
  });

  it("names programme, section and linea for the schede of the 2019 report", () => {
    const linea = find(
      "relazione-anpal-servizi-2019",
      "Risulta stabilizzato il numero degli Istituti scolastici",
    );
    expect(linea?.breadcrumb.join(" › ")).toMatch(
      /Piano operativo ANPAL servizi 2017-2020 sezione 2 .* › Linea 7 – Gestione territoriale dei tutor/,
    );
  });

  it("keeps the repeated table header of the Allegato out of the passages", () => {
    const basilicata = knowledge.documents.find((d) => d.meta.id === "convenzione-basilicata");
    expect(basilicata?.passages.some((p) => p.text.includes("prioritario/Obiettivo"))).toBe(false);
  });

  it("strips markdown residue from the Emilia-Romagna plan", () => {
    const navigator = find("piano-at-emilia-romagna", "Sono stati assunti 143 navigator");
    expect(navigator?.text).not.toContain("*");
    expect(navigator?.breadcrumb.at(-1)).toContain("PIANO REGIONALE DI POTENZIAMENTO");
  });
});
