import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isSportelloError } from "../../src/errors.js";
import { loadFaqs, parseFaq, serializeFaq } from "../../src/knowledge/faq.js";
import { loadManifest } from "../../src/knowledge/manifest.js";
import type { Faq } from "../../src/knowledge/types.js";
import { shippedKnowledge } from "../support/shipped-knowledge.js";

const knowledgeDir = shippedKnowledge;
const faq: Faq = {
  id: "decorrenza-convenzione",
  question: "Da quando ha effetto la convenzione?",
  alternatives: ["quando parte la convenzione", "decorrenza: convenzione #1"],
  answer:
    "La Convenzione ha effetto dalla data di stipula (Art. 4).\n\nVale per il triennio 2017-2020.",
  sources: [{ document: "convenzione-basilicata", section: "Art. 4 – Decorrenza", page: 3 }],
  tags: ["convenzione"],
  region: "Basilicata",
  reviewed: "2025-01-20",
};

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function faqError(text: string): string {
  try {
    parseFaq(text, "mia-faq.md");
  } catch (error) {
    if (isSportelloError(error)) return `${error.code} ${error.message}`;
    throw error;
  }
  throw new Error("expected an error");
}

describe("FAQ files", () => {
  it("round-trips through serializeFaq and parseFaq", () => {
    const text = serializeFaq(faq);
    expect(text.startsWith("---\nid: decorrenza-convenzione\n")).toBe(true);
    expect(parseFaq(text, "x.md")).toEqual(faq);
  });

  it("fills optional fields with their defaults", () => {
    const parsed = parseFaq(
      "---\nid: breve\nquestion: Chi firma la convenzione?\nreviewed: 2025-02-01\n---\nIl dirigente generale.\n",
      "breve.md",
    );
    expect(parsed).toMatchObject({ alternatives: [], sources: [], tags: [], region: null });
    expect(parsed.reviewed).toBe("2025-02-01");
  });

  it("names the file and the missing field", () => {
    const message = faqError(
      "---\nid: senza-domanda\nreviewed: 2025-01-01\n---\nRisposta valida.\n",
    );
    expect(message).toContain("KNOWLEDGE_INVALID");
    expect(message).toContain("mia-faq.md");
    expect(message).toContain("question");
    expect(message).toContain("campo mancante");
  });

  it("explains a malformed date, an empty answer and a missing header", () => {
    expect(
      faqError("---\nid: a\nquestion: Domanda lunga?\nreviewed: 20/01/2025\n---\nRisposta.\n"),
    ).toContain("AAAA-MM-GG");
    expect(
      faqError("---\nid: a\nquestion: Domanda lunga?\nreviewed: 2025-01-20\n---\n\n"),
    ).toContain("risposta");
    expect(faqError("Solo testo senza intestazione")).toContain("---");
  });

  it("refuses two FAQ files with the same id", () => {
    dir = mkdtempSync(join(tmpdir(), "sportello-faq-"));
    writeFileSync(join(dir, "a.md"), serializeFaq(faq));
    writeFileSync(join(dir, "b.md"), serializeFaq(faq));
    expect(() => loadFaqs(dir as string)).toThrow(/decorrenza-convenzione.*a\.md/);
  });

  it("ships a valid starter set whose sources name documents of the manifest", () => {
    const faqs = loadFaqs(join(knowledgeDir, "faq"));
    expect(faqs.length).toBeGreaterThanOrEqual(8);
    const ids = new Set(loadManifest(knowledgeDir).documents.map((d) => d.id));
    for (const item of faqs) {
      expect(item.sources.length).toBeGreaterThan(0);
      for (const source of item.sources) expect(ids.has(source.document)).toBe(true);
    }
    expect(faqs.find((f) => f.id === "firmatari-convenzione-basilicata")?.answer).toContain(
      "Donato Viggiano",
    );
  });
});
