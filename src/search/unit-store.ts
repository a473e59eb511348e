// The on-disk engine's SQLite file: every indexed unit's text and metadata (read back only for
// the few units a change or a top candidate needs) and the index's own key/value metadata.
// The search module's only use of better-sqlite3; the interaction store lives in src/store/.
import Database from "better-sqlite3";
import { SportelloError } from "../errors.js";
import { say } from "../prompts.js";
import type { SearchDocument } from "./port.js";

export interface StoredUnit extends Omit<SearchDocument, "payload"> {
  num: number;
  /** Opaque text the caller stored with the unit (the answer engine's passage as JSON). */
  payload: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS units (
  num INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  document_id TEXT NOT NULL,
  region TEXT,
  heading TEXT NOT NULL,
  body TEXT NOT NULL,
  payload TEXT,
  removed INTEGER NOT NULL DEFAULT 0
);
-- A unit's id is unique among live units only: a document removed and added again (replaced,
-- re-read) brings back the same passage ids while its old rows wait for the next snapshot.
CREATE UNIQUE INDEX IF NOT EXISTS units_live_id ON units (id) WHERE removed = 0;
CREATE INDEX IF NOT EXISTS units_document ON units (document_id);
-- Opening replays the removals since the snapshot: found without reading every unit's text.
CREATE INDEX IF NOT EXISTS units_removed ON units (num) WHERE removed = 1;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

interface UnitRow {
  num: number;
  id: string;
  document_id: string;
  region: string | null;
  heading: string;
  body: string;
  payload: string | null;
}

const toUnit = (row: UnitRow): StoredUnit => ({
  num: row.num,
  id: row.id,
  documentId: row.document_id,
  region: row.region,
  heading: row.heading,
  body: row.body,
  payload: row.payload,
});

export class UnitStore {
  private readonly db: Database.Database;
  private readonly statements;

  /** Opens (creating) the file at `path`, or a private in-memory database for `:memory:`. */
  constructor(path: string) {
    try {
      this.db = new Database(path);
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("synchronous = NORMAL");
      this.db.exec(SCHEMA);
    } catch (cause) {
      throw new SportelloError(
        "INDEX_CORRUPT",
        say("search.index_unopenable", { path, detail: (cause as Error).message }),
        { cause },
      );
    }
    this.statements = {
      insert: this.db.prepare(
        "INSERT INTO units (num, id, document_id, region, heading, body, payload) VALUES (?, ?, ?, ?, ?, ?, ?)",
      ),
      byNum: this.db.prepare<[number], UnitRow>("SELECT * FROM units WHERE num = ?"),
      byId: this.db.prepare<[string], UnitRow>("SELECT * FROM units WHERE id = ? AND removed = 0"),
      ofDocument: this.db.prepare<[string], UnitRow>(
        "SELECT * FROM units WHERE document_id = ? AND removed = 0 ORDER BY num",
      ),
      markRemoved: this.db.prepare("UPDATE units SET removed = 1 WHERE document_id = ?"),
      getMeta: this.db.prepare<[string], { value: string }>("SELECT value FROM meta WHERE key = ?"),
      setMeta: this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"),
    };
  }

  insert(
    units: ReadonlyArray<{ num: number; doc: SearchDocument; payload?: string | null }>,
  ): void {
    this.db.transaction(() => {
      for (const { num, doc, payload } of units) {
        this.statements.insert.run(
          num,
          doc.id,
          doc.documentId,
          doc.region,
          doc.heading,
          doc.body,
          payload ?? null,
        );
      }
    })();
  }

  unit(num: number): StoredUnit | undefined {
    const row = this.statements.byNum.get(num);
    return row ? toUnit(row) : undefined;
  }

  unitById(id: string): StoredUnit | undefined {
    const row = this.statements.byId.get(id);
    return row ? toUnit(row) : undefined;
  }

  unitsOfDocument(documentId: string): StoredUnit[] {
    return this.statements.ofDocument.all(documentId).map(toUnit);
  }

  /** Marks a document's units removed; they stay until the next snapshot drops them. */
  markRemoved(documentId: string): void {
    this.statements.markRemoved.run(documentId);
  }

  /** Units changed since the snapshot that covers units below `upTo`. */
  changesSince(upTo: number): { added: StoredUnit[]; removed: StoredUnit[] } {
    return { added: this.liveFrom(upTo), removed: this.removedBelow(upTo) };
  }

  /** Live units numbered from `from` on, in order: those another process added since. */
  liveFrom(from: number): StoredUnit[] {
    return this.db
      .prepare<[number], UnitRow>("SELECT * FROM units WHERE num >= ? AND removed = 0 ORDER BY num")
      .all(from)
      .map(toUnit);
  }

  /** Units below `below` marked removed (since the snapshot: a snapshot purges them). */
  removedBelow(below: number): StoredUnit[] {
    return this.db
      .prepare<[number], UnitRow>("SELECT * FROM units WHERE num < ? AND removed = 1 ORDER BY num")
      .all(below)
      .map(toUnit);
  }

  /** How many units changed since the snapshot covering units below `upTo`, without reading them. */
  changeCount(upTo: number): number {
    const row = this.db
      .prepare<[number, number], { n: number }>(
        "SELECT (SELECT COUNT(*) FROM units WHERE num >= ?) + (SELECT COUNT(*) FROM units WHERE num < ? AND removed = 1) AS n",
      )
      .get(upTo, upTo);
    return row?.n ?? 0;
  }

  /** How many units below `upTo` are marked removed (the partial index on removed rows). */
  removedCount(upTo: number): number {
    return (
      this.db
        .prepare<[number], { n: number }>(
          "SELECT COUNT(*) AS n FROM units WHERE num < ? AND removed = 1",
        )
        .get(upTo)?.n ?? 0
    );
  }

  /** How many live units are numbered from `from` on (a range of the primary key). */
  liveFromCount(from: number): number {
    return (
      this.db
        .prepare<[number], { n: number }>(
          "SELECT COUNT(*) AS n FROM units WHERE num >= ? AND removed = 0",
        )
        .get(from)?.n ?? 0
    );
  }

  /** How many live units there are (an index count, no text read). */
  liveCount(): number {
    return (
      this.db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM units WHERE removed = 0").get()
        ?.n ?? 0
    );
  }

  /** Every live unit's payload, in order (units stored without one are skipped). */
  *allPayloads(): Generator<string> {
    // Only the payload column: heading and body hold the same text again, and reading them too
    // made opening the default corpus's index some 3 ms slower.
    const rows = this.db
      .prepare<[], { payload: string | null }>(
        "SELECT payload FROM units WHERE removed = 0 ORDER BY num",
      )
      .iterate();
    for (const row of rows) if (row.payload !== null) yield row.payload;
  }

  /** Drops the units marked removed (once a snapshot no longer refers to them). */
  purgeRemoved(): void {
    this.db.prepare("DELETE FROM units WHERE removed = 1").run();
  }

  /** Folds the write-ahead log into the file (after a bulk write, so the folder stays small). */
  checkpoint(): void {
    this.db.pragma("wal_checkpoint(TRUNCATE)");
  }

  /** Deletes everything (a fresh build). */
  clear(): void {
    this.db.exec("DELETE FROM units; DELETE FROM meta;");
  }

  nextNum(): number {
    const row = this.db
      .prepare<[], { next: number | null }>("SELECT MAX(num) + 1 AS next FROM units")
      .get();
    return row?.next ?? 0;
  }

  meta(key: string): string | undefined {
    return this.statements.getMeta.get(key)?.value;
  }

  setMeta(key: string, value: string): void {
    this.statements.setMeta.run(key, value);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
