import { describe, expect, it } from "vitest";
import { redact } from "../../src/store/redact.js";

describe("redact: personal data becomes typed placeholders", () => {
  const cases: Array<[string, string, string]> = [
    [
      "codice fiscale",
      "Il CF è RSSMRA85T10A562S, cosa serve?",
      "Il CF è [CODICE FISCALE], cosa serve?",
    ],
    ["codice fiscale minuscolo", "cf rssmra85t10a562s", "cf [CODICE FISCALE]"],
    ["codice fiscale con omocodia", "CF RSSMRA85T10A56NS", "CF [CODICE FISCALE]"],
    ["partita IVA con controllo", "la ditta 01234567897 assume?", "la ditta [PARTITA IVA] assume?"],
    ["partita IVA etichettata", "P.IVA 12345678901 e poi", "P.IVA [PARTITA IVA] e poi"],
    ["partita IVA con IT", "partita iva IT01234567897.", "partita iva [PARTITA IVA]."],
    ["IBAN italiano compatto", "IBAN IT60X0542811101000000123456 grazie", "IBAN [IBAN] grazie"],
    [
      "IBAN italiano a gruppi",
      "su IT60 X054 2811 1010 0000 0123 456 va bene?",
      "su [IBAN] va bene?",
    ],
    ["IBAN estero", "conto DE89 3704 0044 0532 0130 00 GRAZIE", "conto [IBAN] GRAZIE"],
    ["e-mail", "scrivere a mario.rossi@example.it.", "scrivere a [EMAIL]."],
    ["cellulare", "chiamare il 347 1234567 domani", "chiamare il [TELEFONO] domani"],
    ["cellulare con +39", "tel. +39 347-123-4567", "tel. [TELEFONO]"],
    ["cellulare compatto", "numero 3471234567", "numero [TELEFONO]"],
    ["fisso", "ufficio 06 12345678 o 0971/123456", "ufficio [TELEFONO] o [TELEFONO]"],
    ["fisso con 0039", "0039 02 1234 5678", "[TELEFONO]"],
    ["numero di pratica", "pratica n. 987654321 ferma", "pratica n. [NUMERO] ferma"],
    ["pratica con trattini", "domanda INPS-2019-1234567", "domanda INPS-2019-[NUMERO]"],
    ["carta", "carta 5333 1712 3456 7890", "carta [NUMERO]"],
  ];
  for (const [kind, input, expected] of cases) {
    it(kind, () => {
      expect(redact(input)).toBe(expected);
    });
  }

  it("removes several kinds from one message", () => {
    const text =
      "Beneficiario RSSMRA85T10A562S, mail anna@pec.it, cell 3331234567, IBAN IT60X0542811101000000123456";
    const out = redact(text);
    expect(out).toBe("Beneficiario [CODICE FISCALE], mail [EMAIL], cell [TELEFONO], IBAN [IBAN]");
  });
});

describe("redact: ordinary content is left alone", () => {
  const untouched = [
    "Scadenza 31/12/2019, poi 01/03/2020 e 2019-12-31",
    "Ai sensi del D.Lgs. 150/2015, del DL 4/2019 e della L. 68/1999",
    "Regolamento (UE) 2016/679 e DPR 445/2000",
    "Importo di 164.316.744,00 € e 3.500.000 euro",
    "Budget 1000000 € nel 2019",
    "percentuale del 12,5% e 80%",
    "Obiettivo 5.1.3 della Linea 19 del Piano 2017-2020",
    "Nel 2019 e nel 2020 i navigator erano 2.980",
    "La DGR 1193/19 del 17/07/2019, determinazione 1116 del 05/09/2019",
    "data 31122019 scritta compatta",
    "CUP J31H17000080006",
    "ore 14:30, stanza 3",
    "Quanti navigator in Basilicata? CONVENZIONE ANPAL SERVIZI",
  ];
  for (const text of untouched) {
    it(text, () => {
      expect(redact(text)).toBe(text);
    });
  }
});
