// Counts and lists read as Italian: "1 nuova risposta", "1 utile", "Piemonte ed Emilia-Romagna",
// "dell'Emilia-Romagna" (issue 11, item 15), on the shipped templates and the real engine.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listInItalian, say, withPreposition } from "../../src/prompts.js";
import { openShippedEngine, type ShippedEngine } from "../support/real-service.js";

describe("plural forms in the shipped templates", () => {
  it("agrees noun and adjective with the number", () => {
    expect(say("cli.chat_notifications", { count: 1 })).toBe(
      "Hai 1 nuova risposta alle tue domande:",
    );
    expect(say("cli.chat_notifications", { count: 3 })).toBe(
      "Hai 3 nuove risposte alle tue domande:",
    );
    expect(say("web.stats.feedback_counts", { utile: 1, non_utile: 0, segnala: 2 })).toBe(
      "1 utile, 0 non utili, 2 segnalate",
    );
    expect(say("cli.batch_errors", { count: 1 })).toBe("1 riga non valida nel file delle domande.");
    expect(say("curation.cli_exported", { count: 1, dir: "faq" })).toBe("1 FAQ scritta in faq.");
    expect(
      say("slack.home_group", { label: "RdC", count: 1, status: "aperta", lastSeen: "1/12" }),
    ).toContain("1 domanda ·");
    expect(
      say("telegram.pendenti_line", {
        n: 1,
        label: "RdC",
        count: 1,
        lastSeen: "2026-12-01",
        status: "aperta",
      }),
    ).toBe("1. RdC: 1 richiesta, il 2026-12-01 (aperta)");
    expect(say("web.signin.wait_minutes", { count: 1 })).toBe("1 minuto");
    expect(say("web.signin.wait_seconds", { count: 30 })).toBe("30 secondi");
    expect(say("library.cli_added", { id: "avviso", file: "documents/a.pdf", passages: 1 })).toBe(
      "Aggiunto: avviso (documents/a.pdf, 1 passaggio)",
    );
    expect(
      say("library.cli_replaced", { id: "avviso", file: "documents/a.pdf", passages: 4 }),
    ).toBe("Sostituito: avviso (documents/a.pdf, 4 passaggi)");
  });
});

describe("lists and region names", () => {
  it("joins with «ed» before a word starting with e, and articles the regions", () => {
    expect(listInItalian(["Piemonte", "Emilia-Romagna"])).toBe("Piemonte ed Emilia-Romagna");
    expect(listInItalian(["Basilicata", "Piemonte", "Toscana"])).toBe(
      "Basilicata, Piemonte e Toscana",
    );
    expect(withPreposition("di", "Emilia-Romagna")).toBe("dell'Emilia-Romagna");
    expect(withPreposition("su", "Lombardia")).toBe("sulla Lombardia");
    expect(withPreposition("di", "Marche")).toBe("delle Marche");
    expect(withPreposition("di", "Roma")).toBe("di Roma");
  });

  describe("the engine's refusal for a region it does not cover", () => {
    let shipped: ShippedEngine;
    beforeAll(async () => {
      shipped = await openShippedEngine();
    });
    afterAll(() => shipped.remove());

    it("names the regions it knows with their articles", () => {
      const answer = shipped.opened.engine.ask("cosa fanno i navigator in Lombardia?");
      expect(answer.reason).toBe("uncovered-region");
      expect(answer.text).toContain(
        "Non ho documenti sulla Lombardia: conosco solo quelli nazionali e quelli della Basilicata, del Piemonte e dell'Emilia-Romagna",
      );
    });
  });
});
