// The on-disk engine gives what the lunr engine gives (same hits, same signals) on the same
// units, changes one document without a rebuild, survives a reopen, and detects a damaged file.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DiskSearchIndex } from "../../src/search/disk-index.js";
import { IndexFormatError, type SearchDocument, SearchIndex } from "../../src/search/index.js";
import type { SearchIndexPort } from "../../src/search/port.js";
import { Thesaurus } from "../../src/search/thesaurus.js";
import { hostileInputs } from "../answer/hostile-inputs.js";

const thesaurus = Thesaurus.parse(
  ["- [RdC, reddito di cittadinanza]", "- [CPI, centro per l'impiego, centri per l'impiego]"].join(
    "\n",
  ),
);

/** A small corpus with overlapping vocabulary, so that ranks depend on BM25 details. */
const squad = readFileSync(
  join(import.meta.dirname, "../../../shared/bench/squad-it/passages.jsonl"),
  "utf8",
)
  .split("\n")
  .filter((line) => line.trim())
  .slice(0, 300)
  .map((line) => JSON.parse(line) as { id: string; title: string; text: string });

const regions = ["Piemonte", "Basilicata", null] as const;
const units: SearchDocument[] = squad.map((p, i) => ({
  id: p.id,
  heading: p.title,
  body: p.text,
  region: regions[i % 3] ?? null,
  documentId: p.title,
}));

const queries = [
  ...squad.slice(0, 60).map((p) => p.text.split(/[.?!]/)[0] ?? ""),
  "chi ha scritto la divina commedia?",
  "reddito di cittadinanza nei CPI",
  "quando fu fondata la città",
  "impero romnao", // a typo
  "la st. dell'imp. rom.", // truncated abbreviations
  "la popolazione regionale e la sua formazione", // derivational families
  "reddito di cittadinaza al cpi", // the thesaurus on the corrected question
];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sportello-disk-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const lunr = SearchIndex.build(units, { thesaurus });

function top(index: SearchIndexPort, query: string, options = {}) {
  return index.search(query, { limit: 5, ...options }).map((hit) => hit.id);
}

describe("DiskSearchIndex", () => {
  it("ranks like the lunr engine, with the same matched terms and coverage", () => {
    const disk = DiskSearchIndex.build(units, { dir, thesaurus });
    let sameFirst = 0;
    for (const query of queries) {
      const expected = lunr.search(query, { limit: 5 });
      const actual = disk.search(query, { limit: 5 });
      if (expected[0]?.id === actual[0]?.id) sameFirst++;
      // The signals the answer engine reranks with are the same for the same unit.
      for (const hit of actual) {
        const twin = lunr.search(query, { limit: 300 }).find((h) => h.id === hit.id);
        expect(twin, query).toBeDefined();
        expect(hit.matched).toEqual(twin?.matched);
        expect(hit.exact).toEqual(twin?.exact);
        expect(hit.coverage).toBeCloseTo(twin?.coverage ?? -1, 6);
      }
      expect(disk.queryTerms(query)).toEqual(lunr.queryTerms(query));
    }
    expect(sameFirst).toBeGreaterThanOrEqual(queries.length - 2);
    expect(disk.idf("impero")).toBeCloseTo(lunr.idf("impero"), 9);
    disk.close();
  });

  it("applies region and document filters like lunr", () => {
    const disk = DiskSearchIndex.build(units, { thesaurus });
    for (const query of queries.slice(0, 20)) {
      expect(top(disk, query, { regions: ["Piemonte"] })).toEqual(
        top(lunr, query, { regions: ["Piemonte"] }),
      );
      expect(top(disk, query, { regions: [null] })).toEqual(top(lunr, query, { regions: [null] }));
      const documentIds = [units[7]?.documentId ?? ""];
      expect(top(disk, query, { documentIds })).toEqual(top(lunr, query, { documentIds }));
    }
    disk.close();
  });

  it("corrects typos and expands the thesaurus like lunr", () => {
    const disk = DiskSearchIndex.build(
      [
        ...units.slice(0, 20),
        {
          id: "rdc",
          heading: "Relazione",
          body: "I beneficiari del reddito di cittadinanza sono convocati dai centri per l'impiego.",
          region: null,
          documentId: "relazione",
        },
      ],
      { thesaurus },
    );
    const hit = disk.search("RdC al cpi", { limit: 1 })[0];
    expect(hit?.id).toBe("rdc");
    expect(hit?.matched.sort()).toEqual(["cpi", "rdc"]);
    expect(hit?.exact).toEqual([]);
    expect(disk.search("beneficari convocati", { limit: 1 })[0]?.id).toBe("rdc");
    disk.close();
  });

  it("adds and removes a document without a rebuild, and keeps the change after a reopen", () => {
    const disk = DiskSearchIndex.build(units, { dir, thesaurus });
    const snapshots = () => readdirSync(dir).filter((f) => f.endsWith(".bin"));
    const before = snapshots();
    expect(disk.search("zanzariere antigrandine", { limit: 3 })).toEqual([]);

    disk.addDocuments([
      {
        id: "new:1",
        heading: "Manuale agricolo",
        body: "Le zanzariere antigrandine proteggono i frutteti del Piemonte.",
        region: "Piemonte",
        documentId: "manuale-agricolo",
      },
    ]);
    expect(top(disk, "zanzariere antigrandine")).toEqual(["new:1"]);
    // No new snapshot for one small document: the change lives in SQLite and in memory.
    expect(snapshots()).toEqual(before);
    expect(disk.size).toBe(units.length + 1);

    const removedTitle = units[0]?.documentId ?? "";
    const removedCount = units.filter((u) => u.documentId === removedTitle).length;
    const query = queries[0] ?? "";
    expect(top(disk, query)[0]).toBe(units[0]?.id);
    expect(disk.removeDocument(removedTitle)).toBe(removedCount);
    expect(top(disk, query)).not.toContain(units[0]?.id);
    expect(disk.removeDocument("no-such-document")).toBe(0);
    const after = top(disk, query);
    disk.close();

    const reopened = DiskSearchIndex.open(dir, { thesaurus });
    expect(reopened.size).toBe(units.length + 1 - removedCount);
    expect(top(reopened, "zanzariere antigrandine")).toEqual(["new:1"]);
    expect(top(reopened, query)).toEqual(after);
    // A snapshot written now gives the same answers.
    reopened.writeSnapshot();
    expect(top(reopened, query)).toEqual(after);
    reopened.close();
    const again = DiskSearchIndex.open(dir, { thesaurus });
    expect(top(again, query)).toEqual(after);
    expect(again.size).toBe(units.length + 1 - removedCount);
    again.close();
  });

  it("takes changes written to its folder without loading it, as a fresh build ranks", () => {
    // A document of the first 200 units only, other than the one re-added below.
    const removed =
      units
        .slice(0, 200)
        .map((u) => u.documentId)
        .find(
          (id) => id !== units[0]?.documentId && !units.slice(200).some((u) => u.documentId === id),
        ) ?? "";
    DiskSearchIndex.build(units.slice(0, 200), { dir, thesaurus }).close();
    const serving = DiskSearchIndex.open(dir, { thesaurus });
    DiskSearchIndex.applyChanges(dir, { removedDocumentIds: [removed], added: units.slice(200) });
    // A document removed and added again keeps its units' ids (a re-read document).
    const again = units.filter((u) => u.documentId === units[0]?.documentId);
    DiskSearchIndex.applyChanges(dir, {
      removedDocumentIds: [units[0]?.documentId ?? ""],
      added: again,
    });
    const kept = units.filter((u) => u.documentId !== removed);
    const fresh = SearchIndex.build(kept, { thesaurus });
    const reopened = DiskSearchIndex.open(dir, { thesaurus });
    expect(reopened.size).toBe(kept.length);
    // The index another process had open takes the same changes in.
    expect(serving.catchUp().removedDocumentIds.sort()).toEqual(
      [removed, units[0]?.documentId ?? ""].sort(),
    );
    expect(serving.size).toBe(kept.length);
    for (const query of queries.slice(0, 30)) {
      expect(top(reopened, query, { limit: 1 })).toEqual(top(fresh, query, { limit: 1 }));
      expect(top(serving, query, { limit: 1 })).toEqual(top(fresh, query, { limit: 1 }));
    }
    expect(() =>
      DiskSearchIndex.applyChanges(dir, { removedDocumentIds: [], added: again.slice(0, 1) }),
    ).toThrow(/share the id/);
    reopened.close();
    serving.close();
  });

  it("ranks after add/remove as a fresh build of the same units does", () => {
    const disk = DiskSearchIndex.build(units.slice(0, 200), { thesaurus });
    disk.addDocuments(units.slice(200));
    const removed = units[5]?.documentId ?? "";
    disk.removeDocument(removed);
    const kept = units.filter((u) => u.documentId !== removed);
    const fresh = SearchIndex.build(kept, { thesaurus });
    for (const query of queries.slice(0, 30)) {
      expect(top(disk, query, { limit: 1 })).toEqual(top(fresh, query, { limit: 1 }));
    }
    disk.close();
  });

  it("gives the same hits and scores with max-score pruning as scoring every posting", () => {
    const pruned = DiskSearchIndex.build(units.slice(0, 250), { dir, thesaurus });
    const exhaustive = DiskSearchIndex.build(units.slice(0, 250), { thesaurus, prune: false });
    const compare = (options: object) => {
      for (const query of queries) {
        const expected = exhaustive.search(query, options);
        const actual = pruned.search(query, options);
        expect(actual.map((h) => h.id)).toEqual(expected.map((h) => h.id));
        actual.forEach((hit, i) => {
          expect(hit.score).toBeCloseTo(expected[i]?.score ?? -1, 9);
          expect(hit.matched).toEqual(expected[i]?.matched);
        });
      }
    };
    for (const limit of [1, 5, 40]) compare({ limit });
    compare({ limit: 5, regions: ["Basilicata", null] });
    // Units added and removed since the snapshot are pruned by the same bounds.
    for (const index of [pruned, exhaustive]) {
      index.addDocuments(units.slice(250));
      index.removeDocument(units[3]?.documentId ?? "");
    }
    for (const limit of [1, 10]) compare({ limit });
    pruned.close();
    // And after a reopen, from the snapshot's stored bounds.
    const reopened = DiskSearchIndex.open(dir, { thesaurus });
    for (const query of queries) {
      expect(top(reopened, query)).toEqual(top(exhaustive, query));
    }
    reopened.close();
    exhaustive.close();
  });

  it("corrects the same typos after a reopen, from the snapshot's word table", () => {
    const misspelt = ["impero romnao", "beneficari", "cittadinanaz", "Artistoteles"];
    const built = DiskSearchIndex.build(units, { dir, thesaurus });
    const before = misspelt.map((q) => built.search(q, { limit: 3 }));
    built.close();
    const reopened = DiskSearchIndex.open(dir, { thesaurus });
    expect(misspelt.map((q) => reopened.search(q, { limit: 3 }))).toEqual(before);
    expect(before.map((hits) => hits.map((h) => h.id))).toEqual(
      misspelt.map((q) => top(lunr, q, { limit: 3 })),
    );
    reopened.close();
  });

  it("refuses a duplicate id in a clear error", () => {
    const disk = DiskSearchIndex.build(units.slice(0, 3));
    expect(() => disk.addDocuments([units[0] as SearchDocument])).toThrow(/share the id/);
    disk.close();
  });

  it("detects a truncated or damaged snapshot and a missing index", () => {
    DiskSearchIndex.build(units, { dir }).close();
    const file = join(dir, readdirSync(dir).find((f) => f.endsWith(".bin")) ?? "");
    const content = readFileSync(file);
    writeFileSync(file, content.subarray(0, content.length - 100));
    expect(() => DiskSearchIndex.open(dir)).toThrow(IndexFormatError);
    const flipped = Buffer.from(content);
    flipped[flipped.length - 10] = (flipped[flipped.length - 10] ?? 0) ^ 0xff;
    writeFileSync(file, flipped);
    expect(() => DiskSearchIndex.open(dir)).toThrow(/danneggiato|troncato/);
    expect(() => DiskSearchIndex.open(join(dir, "missing"))).toThrow(IndexFormatError);
  });

  const small = SearchIndex.build(units.slice(0, 50), { thesaurus });
  it.each(hostileInputs)("never throws on hostile input (%s)", (_label, text) => {
    const disk = DiskSearchIndex.build(units.slice(0, 50), { thesaurus });
    const hits = disk.search(text, { limit: 5 });
    expect(Array.isArray(hits)).toBe(true);
    // Nothing searchable returns nothing, never "everything".
    if (disk.queryTerms(text).length === 0) expect(hits).toEqual([]);
    expect(hits.map((h) => h.id)).toEqual(top(small, text));
    disk.close();
  });

  it("answers nothing from an empty index", () => {
    const disk = DiskSearchIndex.build([], { dir });
    expect(disk.search("navigator")).toEqual([]);
    disk.close();
    expect(DiskSearchIndex.open(dir).search("navigator")).toEqual([]);
  });
});
