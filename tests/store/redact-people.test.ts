// Names, dates of birth, street addresses, identity documents and number plates: redacted before
// anything is written, and never echoed back in the reply; ordinary content is left untouched.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { redact } from "../../src/store/redact.js";
import { createTestApp, makeTempDir } from "../curation/helpers.js";

describe("redact: people, addresses and documents", () => {
  const positive: Array<[string, string]> = [
    ["Mario Rossi chiede la NASpI", "[NOME] chiede la NASpI"],
    ["MARIO ROSSI è iscritto?", "[NOME] è iscritto?"],
    ["Anna Bianchi e Luca Verdi", "[NOME] e [NOME]"],
    ["il candidato Paolo D'Amico", "il candidato [NOME]"],
    ["La dott.ssa Maria Teresa De Luca del Centro", "La dott.ssa [NOME] del Centro"],
    ["il sig. Esposito non risponde", "il sig. [NOME] non risponde"],
    ["la signora Russo ha firmato", "la signora [NOME] ha firmato"],
    ["Ahmed Benali chiede il permesso", "[NOME] chiede il permesso"],
    ["nato il 12/03/1980 a Potenza", "nato il [DATA DI NASCITA] a Potenza"],
    ["nata a Matera il 3 marzo 1975", "nata a Matera il [DATA DI NASCITA]"],
    ["data di nascita: 01.01.1990", "data di nascita: [DATA DI NASCITA]"],
    ["abita in via Roma 12, 85100 Potenza (PZ)", "abita in [INDIRIZZO]"],
    ["residente in Piazza dei Mille, 5/A", "residente in [INDIRIZZO]"],
    ["domicilio c.so Garibaldi n. 3", "domicilio [INDIRIZZO]"],
    ["viale della Repubblica 100, 40127 Bologna", "[INDIRIZZO]"],
    ["carta d'identità CA12345AB", "carta d'identità [DOCUMENTO]"],
    ["CIE ca 12345 ab scaduta", "CIE [DOCUMENTO] scaduta"],
    ["documento AR 1234567", "documento [DOCUMENTO]"],
    ["targa AB 123 CD", "targa [TARGA]"],
    ["auto fz456gh ferma", "auto [TARGA] ferma"],
  ];
  for (const [input, expected] of positive) {
    it(`redacts «${input}»`, () => expect(redact(input)).toBe(expected));
  }

  const untouched = [
    "Legge 68/99",
    "D.Lgs. 150/2015",
    "Centro per l'impiego di Potenza",
    "Chi firma la convenzione per la Basilicata?",
    "Emilia Romagna ed Emilia-Romagna",
    "Friuli Venezia Giulia e Valle d'Aosta",
    "Trentino-Alto Adige",
    "San Giovanni Rotondo e Reggio Emilia",
    "Santa Maria Capua Vetere",
    "entro il 31/12/2020 va presentata",
    "la convenzione del 10 maggio 2018",
    "corso di formazione 12 ore",
    "via PEC entro 30 giorni",
    "Garanzia Giovani in Piemonte",
    "Regione Basilicata, DD 369/2020",
    "Art. 3 comma 2 del DPR 445/2000",
    "Giovanni ha chiesto della NASpI",
    "Dove si ritira la Carta RdC?",
    "il CPI di Vittoria",
    "Reddito di Cittadinanza e Assegno di Inclusione",
    "ANPAL Servizi S.p.A.",
    "164.316.744,00 €",
  ];
  for (const text of untouched) {
    it(`leaves «${text}» alone`, () => expect(redact(text)).toBe(text));
  }
});

describe("personal data through the real service", () => {
  it("never reaches the database, the WAL, the CSV or the reply", async () => {
    const env = createTestApp(makeTempDir());
    try {
      const question =
        "Mario Rossi, nato il 12/03/1980, abita in via Roma 12, 85100 Potenza, CIE CA12345AB, CF RSSMRA80A01H501U, auto AB123CD: può avere la stampante?";
      const outcome = await env.app.ask({ text: question, channel: "telegram", userId: "1001" });
      expect(outcome.kind).toBe("declined");
      if (outcome.kind !== "declined") return;
      const secrets = [
        "Mario",
        "Rossi",
        "1980",
        "Roma 12",
        "85100",
        "CA12345AB",
        "AB123CD",
        "RSSMRA80A01H501U",
      ];
      for (const item of secrets) {
        expect(outcome.answer.text, item).not.toContain(item);
        expect(outcome.answer.text.toLowerCase(), item).not.toContain(item.toLowerCase());
      }
      const csv = env.app.curation.unansweredCsv();
      expect(csv).toContain("[NOME]");
      const files = ["sportello.db", "sportello.db-wal"].map((f) =>
        readFileSync(`${env.config.dbPath.replace(/sportello\.db$/, "")}${f}`, {
          flag: "a+",
        }).toString("latin1"),
      );
      for (const item of secrets) {
        expect(csv, item).not.toContain(item);
        for (const bytes of files) expect(bytes, item).not.toContain(item);
      }
    } finally {
      await env.cleanup();
    }
  });
});
