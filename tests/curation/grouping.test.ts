import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { findGroup, type GroupingOptions, type GroupTerms } from "../../src/curation/grouping.js";
import { analyze } from "../../src/search/analysis.js";

interface Fixture {
  clusters: Record<string, string[]>;
  singletons: string[];
}

const fixture = JSON.parse(
  readFileSync(new URL("./fixtures/grouping.json", import.meta.url), "utf8"),
) as Fixture;

// Document frequencies of the fixture's terms in the four corpus documents (paragraphs), as the
// search index would give them: the "background" that tells a topic from a question's point.
const corpusDf = JSON.parse(
  readFileSync(new URL("./fixtures/corpus-df.json", import.meta.url), "utf8"),
) as { passages: number; documentFrequency: Record<string, number> };
const background = (term: string) => {
  const df = corpusDf.documentFrequency[term] ?? 0;
  return Math.log(1 + (corpusDf.passages - df + 0.5) / (df + 0.5));
};

const variants: Record<string, GroupingOptions> = {
  "queue only": {},
  "with corpus IDF": { background },
};

/** Feeds questions in order, as the queue receives them; returns each one's group. */
function groupInOrder(texts: string[], options: GroupingOptions = {}): number[] {
  const groups: GroupTerms[] = [];
  return texts.map((text) => {
    const terms = analyze(text);
    const match = findGroup(terms, groups, options);
    if (match) {
      groups.find((g) => g.groupId === match.groupId)?.terms.push(terms);
      return match.groupId;
    }
    groups.push({ groupId: groups.length, terms: [terms] });
    return groups.length - 1;
  });
}

describe("grouping of unanswered questions", () => {
  const items = [
    ...Object.entries(fixture.clusters).flatMap(([key, texts]) =>
      texts.map((text) => ({ text, key })),
    ),
    ...fixture.singletons.map((text, i) => ({ text, key: `single-${i}` })),
  ];
  // Two arrival orders: clusters one after the other, and interleaved.
  const orders = {
    grouped: items,
    interleaved: [...items].sort((a, b) => ((a.text.length * 7) % 13) - ((b.text.length * 7) % 13)),
  };

  for (const [variant, options] of Object.entries(variants)) {
    for (const [name, order] of Object.entries(orders)) {
      it(`keeps unrelated questions apart and most paraphrases together (${variant}, ${name})`, () => {
        const assigned = groupInOrder(
          order.map((item) => item.text),
          options,
        );
        let together = 0;
        let pairs = 0;
        const wrong: string[] = [];
        for (let i = 0; i < order.length; i++) {
          for (let j = i + 1; j < order.length; j++) {
            const same = order[i]?.key === order[j]?.key;
            const merged = assigned[i] === assigned[j];
            if (same) {
              pairs++;
              if (merged) together++;
            } else if (merged) {
              wrong.push(`${order[i]?.text} ≈ ${order[j]?.text}`);
            }
          }
        }
        expect(wrong).toEqual([]);
        // Paraphrases with no word in common ("RdC" / "reddito di cittadinanza") stay apart.
        // Measured: 14/19 pairs (queue only, interleaved), 11/19 (queue only, grouped), 15/19 with
        // the corpus IDF in both orders.
        expect(together / pairs).toBeGreaterThanOrEqual(options.background ? 0.75 : 0.55);
      });
    }
  }

  it("puts close paraphrases in one group", () => {
    for (const options of Object.values(variants)) {
      const groups = groupInOrder(fixture.clusters["navigator-contratto"] ?? [], options);
      expect(new Set(groups).size).toBe(1);
      const offerta = groupInOrder(fixture.clusters["offerta-congrua"] ?? [], options);
      expect(new Set(offerta).size).toBe(1);
    }
    const carta = groupInOrder(fixture.clusters["carta-rdc"] ?? [], { background });
    expect(new Set(carta).size).toBe(1);
  });

  it.each(Object.entries(variants))(
    "does not group questions that only share a topic (%s)",
    (_, options) => {
      const groups = groupInOrder(
        [
          "Come si calcola il reddito di cittadinanza?",
          "Come si richiede il reddito di cittadinanza?",
          "Quanti navigator lavorano in Emilia-Romagna?",
          "Quanti navigator sono assegnati al Piemonte?",
        ],
        options,
      );
      expect(new Set(groups).size).toBe(4);
    },
  );

  it("never groups an empty analysis", () => {
    expect(findGroup([], [{ groupId: 1, terms: [[]] }])).toBeNull();
  });
});
