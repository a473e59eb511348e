// The engine for large corpora: a typed-array inverted index (a snapshot file read into Buffers,
// plus in-memory postings for units added since) over the same Italian analysis and BM25 as the
// lunr engine, with units' text and metadata in SQLite. Adding or removing a document costs time
// proportional to that document; a new snapshot is written when the changes pile up.
import { randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { SportelloError } from "../errors.js";
import { say } from "../prompts.js";
import { ANALYSIS_VERSION, forEachToken, forEachWord, termsOfNewWord } from "./analysis.js";
import {
  IndexFormatError,
  type SearchDocument,
  type SearchHit,
  type SearchIndexPort,
  type SearchOptions,
} from "./port.js";
import {
  BM25_B,
  BM25_K1,
  bm25Idf,
  DEFAULT_LIMIT,
  EXACT_BOOST,
  editsInSet,
  isIndexableWord,
  matchedTerms,
  planQuery,
  queryTermsOf,
  weightedCoverage,
  wordsWithPrefixIn,
} from "./query-plan.js";
import { StringTable } from "./string-table.js";
import { Thesaurus } from "./thesaurus.js";
import { type StoredUnit, UnitStore } from "./unit-store.js";

/** Bumped when the snapshot file's layout or the units table changes (4: ids unique among live
 * units only, so a replaced document's passages can come back under their ids). */
export const DISK_FORMAT_VERSION = 4;
const MAGIC = "SPTLPOST";
const UNITS_FILE = "units.db";
/** A new snapshot is written once this share of the units changed since the last one. */
const SNAPSHOT_CHANGE_RATIO = 0.2;
/** … or this many units, whichever comes first. */
const SNAPSHOT_CHANGE_MAX = 50_000;
const DEAD = 0xffffffff;
/** Shortest field length of a term not yet seen in that field. */
const NO_LENGTH = 0xffffffff;
/** Units written to SQLite per transaction during a build. */
const BUILD_BATCH = 10_000;

export interface DiskSearchIndexOptions {
  /** Folder of the index (units.db and the snapshot); none keeps everything in memory. */
  dir?: string;
  thesaurus?: Thesaurus;
  /** Weight of the heading field against the body (default 1, as in the lunr engine). */
  headingBoost?: number;
  /**
   * Skip the postings of frequent terms once they cannot change the hits (default true; the
   * hits and scores are the same either way, false only measures what it saves).
   */
  prune?: boolean;
}

/** Postings of one term for units added since the snapshot: parallel arrays, by unit number. */
interface DeltaPostings {
  nums: number[];
  tfHeading: number[];
  tfBody: number[];
}

/** The snapshot's postings: for term t, entries offsets[t] … offsets[t+1]-1. */
interface BaseSegment {
  termCount: number;
  offsets: Uint32Array;
  nums: Uint32Array;
  tfHeading: Uint16Array;
  tfBody: Uint16Array;
}

const emptyBase = (): BaseSegment => ({
  termCount: 0,
  offsets: new Uint32Array(1),
  nums: new Uint32Array(0),
  tfHeading: new Uint16Array(0),
  tfBody: new Uint16Array(0),
});

interface SnapshotMeta {
  file: string;
  upTo: number;
  length: number;
  crc: number;
  formatVersion: number;
  analysisVersion: number;
  /** Live units in the snapshot: what the next snapshot's due date is measured against. */
  live?: number;
}

/** Changes made to an index folder without loading it (see `DiskSearchIndex.applyChanges`). */
export interface DiskIndexChanges {
  /** Documents whose units go (removed, or replaced by `added`). */
  removedDocumentIds: readonly string[];
  added: readonly SearchDocument[];
  /** Metadata written in the same transaction (the caller's record of what the index holds). */
  meta?: Record<string, string>;
}

/** What another process changed in an index folder since this one last looked. */
export interface DiskIndexCatchUp {
  /** True when another process wrote a new snapshot: everything was read again. */
  reloaded: boolean;
  /** Units added (with their payloads), in order; empty when reloaded. */
  added: StoredUnit[];
  /** Documents that lost units; empty when reloaded. */
  removedDocumentIds: string[];
}

/** Whether a new snapshot is due after `changes` since one of `live` units. */
function snapshotDue(changes: number, live: number): boolean {
  return changes > Math.min(SNAPSHOT_CHANGE_MAX, Math.max(1_000, live * SNAPSHOT_CHANGE_RATIO));
}

/** A Uint32Array that grows: per-term and per-unit counters past the snapshot's. */
function grown(array: Uint32Array<ArrayBufferLike>, length: number, fill = 0): Uint32Array {
  if (length <= array.length) return array;
  const larger = new Uint32Array(Math.max(length, Math.ceil(array.length * 1.5), 1024));
  if (fill !== 0) larger.fill(fill, array.length);
  larger.set(array);
  return larger;
}

export class DiskSearchIndex implements SearchIndexPort {
  readonly engine = "disk" as const;
  private thesaurus: Thesaurus;
  private readonly headingBoost: number;
  private readonly store: UnitStore;

  // Dictionary: the snapshot's terms (a string table viewed in its buffer, numbered 0 …
  // base.termCount-1) and the terms first seen since (a Map, numbered after). Per term the live
  // units containing it (for `idf`) and the number of (unit, field) pairs containing it (lunr's
  // BM25 IDF, kept for equal rankings).
  private baseTerms = StringTable.empty();
  private newTerms = new Map<string, number>();
  private termCount = 0;
  private df: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  private fieldDf: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  // Per term, for the bound on its BM25 part: its largest frequency and shortest field length
  // in each field (a removal leaves them as they were: still a bound).
  private maxTfHeading: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  private maxTfBody: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  private minLengthHeading: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  private minLengthBody: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  /** Max-score pruning of the search (off only to measure it). */
  private readonly prune: boolean;
  private base: BaseSegment = emptyBase();
  private delta = new Map<number, DeltaPostings>();

  // Units by number: typed columns; ids of the snapshot's units in a string table, later ones
  // in a Map.
  private unitCount = 0;
  private baseIds = StringTable.empty();
  private baseUpTo = 0;
  private newIds = new Map<string, number>();
  private newIdOf = new Map<number, string>();
  private unitDocument: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  private unitRegion: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  private headingLength: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  private bodyLength: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  private alive: Uint8Array<ArrayBufferLike> = new Uint8Array(0);
  private documentIds: string[] = [];
  /** Regions as written, numbered; each unit has its own (a document's units may differ). */
  private regionNames: Array<string | null> = [];
  private regionIndex = new Map<string | null, number>();
  private documentIndex = new Map<string, number>();
  private liveCount = 0;
  private totalHeading = 0;
  private totalBody = 0;
  // Whole words for typo correction: the snapshot's, and those first seen since.
  private baseWords = StringTable.empty();
  private newWords = new Set<string>();
  private alphabet = "";

  private changesSinceSnapshot = 0;
  /** The snapshot file this index was loaded from (another one: another process wrote it). */
  private snapshotFile: string | undefined;
  /** Units numbered from here on were written by another process unless in `ownSince`. */
  private syncedUpTo = 0;
  private ownSince = new Set<number>();
  private scores = new Float64Array(0);
  private norms: [Float64Array, Float64Array] = [new Float64Array(0), new Float64Array(0)];
  private normsKey = "";
  private touched = new Uint32Array(0);
  private running = new Uint32Array(0);
  private scoreFloor: ScoreFloor | undefined;

  private constructor(options: DiskSearchIndexOptions) {
    this.thesaurus = options.thesaurus ?? Thesaurus.empty();
    this.headingBoost = options.headingBoost ?? 1;
    this.prune = options.prune ?? true;
    if (options.dir) mkdirSync(options.dir, { recursive: true });
    this.store = new UnitStore(options.dir ? join(options.dir, UNITS_FILE) : ":memory:");
    this.dir = options.dir;
  }

  private readonly dir: string | undefined;

  /**
   * Builds an index over `docs`, replacing whatever `options.dir` held, and writes its snapshot.
   * `payloads[i]` is stored with `docs[i]` (see `payload`).
   * @throws SportelloError KNOWLEDGE_INVALID when two documents share an id.
   */
  static build(
    docs: readonly SearchDocument[],
    options: DiskSearchIndexOptions = {},
    payloads?: ReadonlyArray<string | null>,
  ): DiskSearchIndex {
    if (options.dir) {
      rmSync(options.dir, { recursive: true, force: true });
    }
    const index = new DiskSearchIndex(options);
    try {
      index.buildFrom(docs, payloads);
    } catch (error) {
      index.close();
      throw error;
    }
    return index;
  }

  /**
   * Opens the index in `dir`: the snapshot, then the changes made since it.
   * @throws IndexFormatError "stale" for another format or analysis, "corrupt" for a damaged,
   * truncated or missing snapshot (rebuild it).
   */
  static open(dir: string, options: Omit<DiskSearchIndexOptions, "dir"> = {}): DiskSearchIndex {
    if (!existsSync(join(dir, UNITS_FILE))) {
      throw new IndexFormatError("corrupt", say("search.index_missing", { dir }));
    }
    const index = new DiskSearchIndex({ ...options, dir });
    try {
      index.loadFromDisk(dir);
    } catch (error) {
      index.close();
      if (error instanceof SportelloError) throw error;
      throw new IndexFormatError(
        "corrupt",
        `search: l'indice in ${dir} è danneggiato: va ricostruito`,
        {
          cause: error,
        },
      );
    }
    return index;
  }

  get size(): number {
    return this.liveCount;
  }

  queryTerms(query: string): string[] {
    return queryTermsOf(query);
  }

  idf(term: string): number {
    const id = this.termId(term);
    return bm25Idf(id === undefined ? 0 : (this.df[id] ?? 0), this.liveCount);
  }

  /** True when some live unit contains the analysed `term`. */
  knows(term: string): boolean {
    return this.liveTermId(term) !== undefined;
  }

  coverage(terms: readonly string[], matched: readonly string[]): number {
    return weightedCoverage(terms, matched, (term) => this.idf(term));
  }

  /** One metadata value of the index in `dir`, read without opening the index. */
  static peekMeta(dir: string, key: string): string | undefined {
    if (!existsSync(join(dir, UNITS_FILE))) return undefined;
    const store = new UnitStore(join(dir, UNITS_FILE));
    try {
      return store.meta(key);
    } finally {
      store.close();
    }
  }

  /**
   * Removes and adds documents in the index folder `dir` without loading it: the units are
   * written to SQLite, where whoever opens the index next (or `catchUp`s) replays them, so the
   * time is that of the changed documents, not of the corpus. When enough changed since the last
   * snapshot, the index is loaded once and a new snapshot written (amortised over the changes).
   * @throws IndexFormatError for an index of another version or without snapshot (rebuild it);
   * SportelloError KNOWLEDGE_INVALID when an added unit's id is already live.
   */
  static applyChanges(
    dir: string,
    changes: DiskIndexChanges,
    options: Omit<DiskSearchIndexOptions, "dir"> = {},
  ): { live: number } {
    if (!existsSync(join(dir, UNITS_FILE))) {
      throw new IndexFormatError("corrupt", `search: nessun indice in ${dir}: va costruito`);
    }
    const store = new UnitStore(join(dir, UNITS_FILE));
    let due = false;
    let live = 0;
    try {
      const raw = store.meta("snapshot");
      const meta = raw ? (JSON.parse(raw) as SnapshotMeta) : undefined;
      if (!meta) {
        throw new IndexFormatError("corrupt", `search: l'indice in ${dir} non ha un'istantanea`);
      }
      if (meta.formatVersion !== DISK_FORMAT_VERSION || meta.analysisVersion !== ANALYSIS_VERSION) {
        throw new IndexFormatError(
          "stale",
          `search: l'indice in ${dir} è di un'altra versione: va ricostruito`,
        );
      }
      store.transaction(() => {
        for (const id of changes.removedDocumentIds) store.markRemoved(id);
        const seen = new Set<string>();
        for (const doc of changes.added) {
          if (seen.has(doc.id) || store.unitById(doc.id)) {
            throw new SportelloError(
              "KNOWLEDGE_INVALID",
              `search: two passages share the id "${doc.id}": passage ids must be unique`,
            );
          }
          seen.add(doc.id);
        }
        const first = Math.max(meta.upTo, store.nextNum());
        store.insert(
          changes.added.map((doc, i) => ({ num: first + i, doc, payload: doc.payload })),
        );
        for (const [key, value] of Object.entries(changes.meta ?? {})) store.setMeta(key, value);
      });
      // Counted from the snapshot's own count and the changes since, not over every unit.
      live =
        meta.live === undefined
          ? store.liveCount()
          : meta.live - store.removedCount(meta.upTo) + store.liveFromCount(meta.upTo);
      due = snapshotDue(store.changeCount(meta.upTo), meta.live ?? meta.upTo);
    } finally {
      store.close();
    }
    if (due) {
      const index = DiskSearchIndex.open(dir, options);
      try {
        index.writeSnapshot();
      } finally {
        index.close();
      }
    }
    return { live };
  }

  /**
   * Replays what another process changed in this index's folder since it was opened (or last
   * caught up): the units it added and those it marked removed. After another process wrote a
   * new snapshot, everything is read again (`reloaded`).
   */
  catchUp(): DiskIndexCatchUp {
    const none: DiskIndexCatchUp = { reloaded: false, added: [], removedDocumentIds: [] };
    if (!this.dir) return none;
    if (this.snapshotMeta()?.file !== this.snapshotFile) {
      this.loadFromDisk(this.dir);
      return { ...none, reloaded: true };
    }
    const { added, removed } = this.foreignChanges();
    const removedDocumentIds = new Set<string>();
    for (const unit of removed) {
      this.unindexUnit(unit.num, unit);
      removedDocumentIds.add(unit.documentId);
    }
    const reader = this.unitReader();
    for (const unit of added) this.indexUnit(unit.num, unit, reader);
    this.changesSinceSnapshot += removed.length + added.length;
    this.syncedUpTo = this.unitCount;
    this.ownSince.clear();
    return { reloaded: false, added, removedDocumentIds: [...removedDocumentIds] };
  }

  /** Units another process added or removed that this one has not replayed. */
  private foreignChanges(): { added: StoredUnit[]; removed: StoredUnit[] } {
    return {
      added: this.store.liveFrom(this.syncedUpTo).filter((unit) => !this.ownSince.has(unit.num)),
      removed: this.store.removedBelow(this.unitCount).filter((unit) => this.alive[unit.num]),
    };
  }

  /** Key/value metadata kept in the index's SQLite file (fingerprints, document hashes). */
  meta(key: string): string | undefined {
    return this.store.meta(key);
  }

  /**
   * Queries from now on expand with `thesaurus` (it only serves queries): the thesaurus recorded
   * in the index's own metadata can be taken after opening it once.
   */
  useThesaurus(thesaurus: Thesaurus): void {
    this.thesaurus = thesaurus;
  }

  setMeta(key: string, value: string): void {
    this.store.setMeta(key, value);
  }

  /** The payload stored with a unit (the answer engine's passage), read from SQLite. */
  payload(id: string): string | undefined {
    return this.store.unitById(id)?.payload ?? undefined;
  }

  /** Every live unit's payload (units stored without one are skipped), in insertion order. */
  payloads(): Generator<string> {
    return this.store.allPayloads();
  }

  search(query: string, options: SearchOptions = {}): SearchHit[] {
    const limit = options.limit ?? DEFAULT_LIMIT;
    const plan = planQuery(query, this.vocabulary, this.thesaurus);
    const clauses: Array<[termId: number, boost: number]> = [];
    for (const term of plan.terms) {
      const id = this.liveTermId(term);
      if (id !== undefined) clauses.push([id, EXACT_BOOST]);
    }
    for (const [term, boost] of plan.extraTerms) {
      const id = this.liveTermId(term);
      if (id !== undefined) clauses.push([id, boost]);
    }
    if (clauses.length === 0 || limit <= 0 || this.liveCount === 0) return [];

    const scores = this.scratch();
    // The units reached, in typed arrays reused between searches (a growing array of a common
    // term's units was most of a slow search).
    const touched = this.touched;
    let touchedCount = 0;
    const averageHeading = this.totalHeading / this.liveCount || 1;
    const averageBody = this.totalBody / this.liveCount || 1;
    const k1 = BM25_K1;
    const b = BM25_B;
    const { base, alive } = this;
    const [headingNorm, bodyNorm] = this.lengthNorms(averageHeading, averageBody);
    const regions = options.regions ? new Set(options.regions) : undefined;
    const documentIds = options.documentIds ? new Set(options.documentIds) : undefined;
    const accepted = (num: number) =>
      (!regions || regions.has(this.regionNames[this.unitRegion[num] ?? 0] ?? null)) &&
      (!documentIds || documentIds.has(this.documentIds[this.unitDocument[num] ?? 0] ?? ""));
    // A term's part of BM25 for given frequency and relative length; its largest value in a
    // term's postings is bounded by its largest frequency with its shortest field.
    const part = (tf: number, length: number) => (k1 + 1) * (tf / (k1 * (1 - b + b * length) + tf));

    let norm = 0;
    const terms = clauses.map(([termId, boost]) => {
      norm += boost * boost;
      const idf = bm25Idf(this.fieldDf[termId] ?? 0, this.liveCount);
      const headingWeight = idf * this.headingBoost * boost;
      const bodyWeight = idf * boost;
      const maxHeading = this.maxTfHeading[termId] ?? 0;
      const maxBody = this.maxTfBody[termId] ?? 0;
      const bound =
        (maxHeading > 0
          ? headingWeight * part(maxHeading, (this.minLengthHeading[termId] ?? 0) / averageHeading)
          : 0) +
        (maxBody > 0
          ? bodyWeight * part(maxBody, (this.minLengthBody[termId] ?? 0) / averageBody)
          : 0);
      const postings =
        (termId < base.termCount
          ? (base.offsets[termId + 1] ?? 0) - (base.offsets[termId] ?? 0)
          : 0) + (this.delta.get(termId)?.nums.length ?? 0);
      return {
        termId,
        headingWeight,
        bodyWeight,
        bound: bound * (1 + 1e-9) + 1e-12,
        postings,
      };
    });
    // Shortest postings first: once what the remaining terms can add is less than the
    // limit-th best score so far, no unit they alone reach can enter the hits, and they only
    // complete the scores of the units still in the running (max-score pruning). The long
    // postings of common words are left for last, to be looked up for those units only (the
    // rare terms, read first, also weigh the most, so the bar rises early).
    terms.sort((x, y) => x.postings - y.postings || y.bound - x.bound);
    const remaining = new Float64Array(terms.length + 1);
    for (let j = terms.length - 1; j >= 0; j--) {
      remaining[j] = (remaining[j + 1] ?? 0) + (terms[j]?.bound ?? 0);
    }
    let running: Uint32Array | undefined;
    // A lower bound of the limit-th best final score: the limit-th best score of the units
    // that hold the term just done (scores only grow, so any `limit` units' scores so far are
    // below their final ones). Kept term by term as the postings are read, it costs a compare
    // per posting; the limit-th best of every unit reached, recomputed, cost a pass over them
    // in random order each time (most of a slow search at 1M passages).
    let threshold = 0;
    const floor = this.floor(limit);
    for (let j = 0; j < terms.length; j++) {
      const { termId, headingWeight, bodyWeight } = terms[j] as (typeof terms)[number];
      const scoreOf = (num: number, tfHeading: number, tfBody: number) => {
        let score = 0;
        if (tfHeading > 0) {
          score += (headingWeight * (k1 + 1) * tfHeading) / ((headingNorm[num] ?? 0) + tfHeading);
        }
        if (tfBody > 0) {
          score += (bodyWeight * (k1 + 1) * tfBody) / ((bodyNorm[num] ?? 0) + tfBody);
        }
        return score;
      };
      if (!running && j > 0 && this.prune && (remaining[j] ?? 0) < threshold) {
        // What the remaining terms can add no longer lifts a unit they alone reach into the
        // hits: from here on only the units still in the running are scored.
        const kept = this.running;
        let count = 0;
        const keep = (num: number) => {
          if ((scores[num] ?? 0) + (remaining[j] ?? 0) >= threshold && accepted(num)) {
            kept[count++] = num;
          } else {
            // Out of the running; reset with every reached unit at the end.
            scores[num] = -1;
          }
        };
        if (touchedCount * 16 < this.unitCount) {
          for (let t = 0; t < touchedCount; t++) keep(touched[t] ?? 0);
          kept.subarray(0, count).sort();
        } else {
          // Many reached: every unit's score read in order is faster than theirs in the order
          // they were reached (a cache miss each), and gives the running units sorted.
          for (let num = 0; num < this.unitCount; num++) if ((scores[num] ?? 0) > 0) keep(num);
        }
        running = kept.subarray(0, count);
      }
      floor.clear();
      if (!running) {
        // The snapshot's postings in a plain loop (the hot path), then those added since.
        if (termId < base.termCount) {
          const end = base.offsets[termId + 1] ?? 0;
          for (let i = base.offsets[termId] ?? 0; i < end; i++) {
            const num = base.nums[i] ?? 0;
            if (!alive[num]) continue;
            if (scores[num] === 0) touched[touchedCount++] = num;
            const score =
              (scores[num] ?? 0) + scoreOf(num, base.tfHeading[i] ?? 0, base.tfBody[i] ?? 0);
            scores[num] = score;
            if (score > floor.lowest && accepted(num)) floor.offer(score);
          }
        }
        const postings = this.delta.get(termId);
        if (postings) {
          for (let i = 0; i < postings.nums.length; i++) {
            const num = postings.nums[i] ?? 0;
            if (!alive[num]) continue;
            if (scores[num] === 0) touched[touchedCount++] = num;
            const score =
              (scores[num] ?? 0) +
              scoreOf(num, postings.tfHeading[i] ?? 0, postings.tfBody[i] ?? 0);
            scores[num] = score;
            if (score > floor.lowest && accepted(num)) floor.offer(score);
          }
        }
        threshold = Math.max(threshold, floor.lowest);
        continue;
      }
      // Completing the running units' scores: each looked up in the postings (sorted by unit).
      const postings = this.delta.get(termId);
      let kept = 0;
      let low = termId < base.termCount ? (base.offsets[termId] ?? 0) : 0;
      const end = termId < base.termCount ? (base.offsets[termId + 1] ?? 0) : 0;
      for (const num of running) {
        low = lowerBound(base.nums, low, end, num);
        if (low < end && base.nums[low] === num) {
          scores[num] =
            (scores[num] ?? 0) + scoreOf(num, base.tfHeading[low] ?? 0, base.tfBody[low] ?? 0);
        } else if (postings) {
          const at = lowerBound(postings.nums, 0, postings.nums.length, num);
          if (postings.nums[at] === num) {
            scores[num] =
              (scores[num] ?? 0) +
              scoreOf(num, postings.tfHeading[at] ?? 0, postings.tfBody[at] ?? 0);
          }
        }
        const score = scores[num] ?? 0;
        if (score + (remaining[j + 1] ?? 0) >= threshold) {
          running[kept++] = num;
          if (score > floor.lowest) floor.offer(score);
        } else scores[num] = -1;
      }
      running = running.subarray(0, kept);
      threshold = Math.max(threshold, floor.lowest);
    }

    const best = new TopK(limit);
    if (running) {
      // Only the units still in the running can be hits (accepted when they entered it).
      for (const num of running) {
        const score = scores[num] ?? 0;
        if (score > 0) best.offer(num, score);
      }
    } else {
      for (let t = 0; t < touchedCount; t++) {
        const num = touched[t] ?? 0;
        const score = scores[num] ?? 0;
        if (score > 0 && score >= best.lowestIfFull && accepted(num)) best.offer(num, score);
      }
    }
    // Scores reset for the next search: all at once when many were reached.
    if (touchedCount * 16 < this.unitCount) {
      for (let t = 0; t < touchedCount; t++) scores[touched[t] ?? 0] = 0;
    } else {
      scores.fill(0, 0, this.unitCount);
    }

    const scale = 1 / Math.sqrt(norm);
    const termOf = new Map<number, string>();
    for (const term of [...plan.terms, ...plan.extraTerms.keys()]) {
      const id = this.termId(term);
      if (id !== undefined) termOf.set(id, term);
    }
    return best.sorted().map(([num, score]) => {
      const present = new Set<string>();
      for (const [termId] of clauses) {
        if (this.contains(termId, num)) present.add(termOf.get(termId) ?? "");
      }
      const matched = matchedTerms(plan, present);
      return {
        id: this.idOf(num),
        score: score * scale,
        matched,
        exact: matched.filter((term) => present.has(term)),
        coverage: this.coverage(plan.terms, matched),
      };
    });
  }

  addDocuments(docs: readonly SearchDocument[], payloads?: ReadonlyArray<string | null>): void {
    if (docs.length === 0) return;
    this.checkNewIds(docs);
    const first = Math.max(this.unitCount, this.store.nextNum());
    // SQLite first: if the disk is full nothing changes in memory either.
    this.store.insert(
      docs.map((doc, i) => ({ num: first + i, doc, payload: payloads?.[i] ?? doc.payload })),
    );
    const reader = this.unitReader();
    docs.forEach((doc, i) => {
      this.indexUnit(first + i, doc, reader);
      this.ownSince.add(first + i);
    });
    this.changesSinceSnapshot += docs.length;
    this.snapshotIfDue();
  }

  private checkNewIds(docs: readonly SearchDocument[]): void {
    const seen = new Set<string>();
    for (const doc of docs) {
      if (this.liveNumOf(doc.id) !== undefined || seen.has(doc.id)) {
        throw new SportelloError(
          "KNOWLEDGE_INVALID",
          `search: two passages share the id "${doc.id}": passage ids must be unique`,
        );
      }
      seen.add(doc.id);
    }
  }

  /**
   * A fresh build: every unit's postings go into one flat log of typed arrays (no per-term
   * JavaScript arrays), which the snapshot sorts by term in one pass.
   */
  private buildFrom(docs: readonly SearchDocument[], payloads?: ReadonlyArray<string | null>) {
    this.checkNewIds(docs);
    const log = new PostingLog();
    const reader = this.unitReader();
    for (let start = 0; start < docs.length; start += BUILD_BATCH) {
      const batch = docs.slice(start, start + BUILD_BATCH);
      this.store.insert(
        batch.map((doc, i) => ({
          num: start + i,
          doc,
          payload: payloads?.[start + i] ?? doc.payload,
        })),
      );
      batch.forEach((doc, i) => {
        const num = start + i;
        const { terms, headingLength, bodyLength } = reader.unit(doc);
        this.recordUnit(num, doc, headingLength, bodyLength);
        for (const id of terms) {
          const [tfHeading, tfBody] = reader.take(id);
          this.countTermId(id, tfHeading, tfBody, headingLength, bodyLength);
          log.push(id, num, Math.min(tfHeading, 0xffff), Math.min(tfBody, 0xffff));
        }
      });
    }
    this.writeSnapshot(log);
  }

  /**
   * What units are indexed with (a fresh build, added documents, changes replayed): each
   * distinct word read is analysed, put in the vocabulary and given its term ids once, then
   * looked up once per occurrence (rather than asking the token cache, a unit's term map, the
   * vocabulary and the term dictionary for every word). Term ids are given in the order the
   * terms first occur. One reader per batch of units: its word map grows with what it reads.
   */
  private unitReader(): UnitReader {
    const wordTerms = new Map<string, number | readonly number[]>();
    // Each term's frequency in the unit being read, by id; cleared as the unit's terms are taken.
    let heading: Uint32Array<ArrayBufferLike> = new Uint32Array(1024);
    let body: Uint32Array<ArrayBufferLike> = new Uint32Array(1024);
    const unitTerms: number[] = [];
    const resolve = (word: string): number | readonly number[] => {
      const terms = termsOfNewWord(word);
      if (terms.length === 1 && isIndexableWord(word)) this.addWord(word);
      const ids = terms.map((term) => this.ensureTermId(term));
      if (this.termCount > heading.length) {
        heading = grown(heading, this.termCount);
        body = grown(body, this.termCount);
      }
      return ids.length === 1 ? (ids[0] as number) : ids;
    };
    // The field being read: one visitor for every word of the build, its state in these.
    let readingHeading = true;
    let length = 0;
    const visit = (word: string) => {
      let ids = wordTerms.get(word);
      if (ids === undefined) {
        ids = resolve(word);
        wordTerms.set(word, ids);
      }
      // Taken after the word's terms were resolved, which may have grown the arrays.
      const counts = readingHeading ? heading : body;
      if (typeof ids === "number") {
        if (heading[ids] === 0 && body[ids] === 0) unitTerms.push(ids);
        counts[ids] = (counts[ids] ?? 0) + 1;
        length++;
        return;
      }
      for (const id of ids) {
        if (heading[id] === 0 && body[id] === 0) unitTerms.push(id);
        counts[id] = (counts[id] ?? 0) + 1;
      }
      length += ids.length;
    };
    const read = (text: string, isHeading: boolean) => {
      readingHeading = isHeading;
      length = 0;
      forEachToken(text, visit);
      return length;
    };
    return {
      unit: (doc: Pick<SearchDocument, "heading" | "body">) => {
        unitTerms.length = 0;
        const headingLength = read(doc.heading ?? "", true);
        const bodyLength = read(doc.body ?? "", false);
        return { terms: unitTerms, headingLength, bodyLength };
      },
      /** A term's frequencies in the unit just read, cleared for the next. */
      take: (id: number): [number, number] => {
        const counts: [number, number] = [heading[id] ?? 0, body[id] ?? 0];
        heading[id] = 0;
        body[id] = 0;
        return counts;
      },
    };
  }

  removeDocument(documentId: string): number {
    if (!this.documentIndex.has(documentId)) return 0;
    const units = this.store.unitsOfDocument(documentId);
    if (units.length === 0) return 0;
    this.store.markRemoved(documentId);
    let removed = 0;
    for (const unit of units) {
      if (!this.alive[unit.num]) continue;
      this.unindexUnit(unit.num, unit);
      removed++;
    }
    this.changesSinceSnapshot += removed;
    this.snapshotIfDue();
    return removed;
  }

  /** Writes a snapshot now when enough changed since the last one. */
  private snapshotIfDue(): void {
    if (!snapshotDue(this.changesSinceSnapshot, this.liveCount)) return;
    // A snapshot covers the units below its number and purges the removed rows: with changes of
    // another process not replayed here, it would lose them. It waits for the next `catchUp`.
    if (this.dir && this.hasForeignChanges()) return;
    this.writeSnapshot();
  }

  private hasForeignChanges(): boolean {
    if (this.snapshotMeta()?.file !== this.snapshotFile) return true;
    const { added, removed } = this.foreignChanges();
    return added.length > 0 || removed.length > 0;
  }

  close(): void {
    this.store.close();
  }

  // --- indexing ---------------------------------------------------------------------------

  private readonly words = (() => {
    const engine = this;
    return {
      has: (word: string) => engine.newWords.has(word) || engine.baseWords.has(word),
      // Counted and listed only for completing truncated words ("lav."), sorted once per size.
      get size() {
        return engine.baseWords.count + engine.newWords.size;
      },
      *[Symbol.iterator]() {
        yield* engine.baseWords;
        yield* engine.newWords;
      },
    };
  })();

  private readonly vocabulary = {
    hasTerm: (term: string) => this.liveTermId(term) !== undefined,
    hasWord: (word: string) => this.words.has(word),
    wordsOneEditAway: (word: string) => editsInSet(word, this.words, this.alphabet),
    wordsWithPrefix: (prefix: string) => wordsWithPrefixIn(this.words, prefix),
    documentFrequency: (term: string) => {
      const id = this.liveTermId(term);
      return id === undefined ? 0 : (this.df[id] ?? 0);
    },
  };

  private termId(term: string): number | undefined {
    const id = this.baseTerms.find(term);
    return id >= 0 ? id : this.newTerms.get(term);
  }

  private liveTermId(term: string): number | undefined {
    const id = this.termId(term);
    return id !== undefined && (this.df[id] ?? 0) > 0 ? id : undefined;
  }

  private idOf(num: number): string {
    if (num < this.baseUpTo) return this.baseIds.at(num);
    return this.newIdOf.get(num) ?? "";
  }

  /** The number of the live unit with this id, if there is one. */
  private liveNumOf(id: string): number | undefined {
    const base = this.baseIds.find(id);
    if (base >= 0 && this.alive[base]) return base;
    const num = this.newIds.get(id);
    return num !== undefined && this.alive[num] ? num : undefined;
  }

  /** Term frequencies of a unit's two fields (to take a removed unit out of the statistics). */
  private analyseUnit(doc: Pick<SearchDocument, "heading" | "body">) {
    const frequencies = new Map<string, [heading: number, body: number]>();
    const fields = [doc.heading, doc.body];
    for (let field = 0; field < 2; field++) {
      forEachWord(fields[field] ?? "", (_word, terms) => {
        for (const term of terms) {
          let counts = frequencies.get(term);
          if (!counts) {
            counts = [0, 0];
            frequencies.set(term, counts);
          }
          counts[field] = (counts[field] ?? 0) + 1;
        }
      });
    }
    return frequencies;
  }

  private addWord(word: string): void {
    if (this.words.has(word)) return;
    this.newWords.add(word);
    for (const letter of word) if (!this.alphabet.includes(letter)) this.alphabet += letter;
  }

  private documentNumber(documentId: string): number {
    let document = this.documentIndex.get(documentId);
    if (document === undefined) {
      document = this.documentIds.length;
      this.documentIds.push(documentId);
      this.documentIndex.set(documentId, document);
    }
    return document;
  }

  private regionNumber(region: string | null): number {
    let number = this.regionIndex.get(region);
    if (number === undefined) {
      number = this.regionNames.length;
      this.regionNames.push(region);
      this.regionIndex.set(region, number);
    }
    return number;
  }

  private indexUnit(num: number, doc: Omit<SearchDocument, "payload">, reader: UnitReader): void {
    const { terms, headingLength, bodyLength } = reader.unit(doc);
    this.recordUnit(num, doc, headingLength, bodyLength);
    for (const id of terms) {
      const [tfHeading, tfBody] = reader.take(id);
      this.countTermId(id, tfHeading, tfBody, headingLength, bodyLength);
      let postings = this.delta.get(id);
      if (!postings) {
        postings = { nums: [], tfHeading: [], tfBody: [] };
        this.delta.set(id, postings);
      }
      postings.nums.push(num);
      postings.tfHeading.push(Math.min(tfHeading, 0xffff));
      postings.tfBody.push(Math.min(tfBody, 0xffff));
    }
  }

  /** Counts one unit's occurrence of `term` in the dictionary; returns the term's number. */
  /** The term's id, a new one (with room in the per-term arrays) when it is not indexed yet. */
  private ensureTermId(term: string): number {
    let id = this.termId(term);
    if (id === undefined) {
      id = this.termCount++;
      this.newTerms.set(term, id);
      if (this.termCount > this.df.length) {
        const size = Math.max(this.termCount, Math.ceil(this.df.length * 1.5), 1024);
        this.df = grown(this.df, size);
        this.fieldDf = grown(this.fieldDf, size);
        this.maxTfHeading = grown(this.maxTfHeading, size);
        this.maxTfBody = grown(this.maxTfBody, size);
        this.minLengthHeading = grown(this.minLengthHeading, size, NO_LENGTH);
        this.minLengthBody = grown(this.minLengthBody, size, NO_LENGTH);
      }
    }
    return id;
  }

  /** Counts one unit's frequencies of a term in its statistics. */
  private countTermId(
    id: number,
    tfHeading: number,
    tfBody: number,
    headingLength: number,
    bodyLength: number,
  ): void {
    if (tfHeading > 0) {
      this.maxTfHeading[id] = Math.max(this.maxTfHeading[id] ?? 0, tfHeading);
      this.minLengthHeading[id] = Math.min(this.minLengthHeading[id] ?? NO_LENGTH, headingLength);
    }
    if (tfBody > 0) {
      this.maxTfBody[id] = Math.max(this.maxTfBody[id] ?? 0, tfBody);
      this.minLengthBody[id] = Math.min(this.minLengthBody[id] ?? NO_LENGTH, bodyLength);
    }
    this.df[id] = (this.df[id] ?? 0) + 1;
    this.fieldDf[id] = (this.fieldDf[id] ?? 0) + (tfHeading > 0 ? 1 : 0) + (tfBody > 0 ? 1 : 0);
  }

  /** A unit's metadata, by number. */
  private recordUnit(
    num: number,
    doc: Omit<SearchDocument, "payload">,
    headingLength: number,
    bodyLength: number,
  ): void {
    const document = this.documentNumber(doc.documentId);
    this.unitCount = Math.max(this.unitCount, num + 1);
    if (this.unitCount > this.alive.length) {
      const size = Math.max(this.unitCount, Math.ceil(this.alive.length * 1.5), 1024);
      this.unitDocument = grown(this.unitDocument, size);
      this.unitRegion = grown(this.unitRegion, size);
      this.headingLength = grown(this.headingLength, size);
      this.bodyLength = grown(this.bodyLength, size);
      const alive = new Uint8Array(size);
      alive.set(this.alive);
      this.alive = alive;
    }
    if (num >= this.baseUpTo) {
      this.newIds.set(doc.id, num);
      this.newIdOf.set(num, doc.id);
    }
    this.unitDocument[num] = document;
    this.unitRegion[num] = this.regionNumber(doc.region);
    this.headingLength[num] = headingLength;
    this.bodyLength[num] = bodyLength;
    this.alive[num] = 1;
    this.liveCount++;
    this.totalHeading += headingLength;
    this.totalBody += bodyLength;
  }

  /** Takes a unit out of the counts; its postings stay, skipped as dead, until the next snapshot. */
  private unindexUnit(num: number, doc: Omit<SearchDocument, "payload">): void {
    const frequencies = this.analyseUnit(doc);
    for (const [term, [tfHeading, tfBody]] of frequencies) {
      const id = this.termId(term);
      if (id === undefined) continue;
      this.df[id] = Math.max(0, (this.df[id] ?? 0) - 1);
      this.fieldDf[id] = Math.max(
        0,
        (this.fieldDf[id] ?? 0) - (tfHeading > 0 ? 1 : 0) - (tfBody > 0 ? 1 : 0),
      );
    }
    this.alive[num] = 0;
    this.newIds.delete(doc.id);
    this.liveCount--;
    this.totalHeading -= this.headingLength[num] ?? 0;
    this.totalBody -= this.bodyLength[num] ?? 0;
  }

  private forEachPosting(
    termId: number,
    visit: (num: number, tfHeading: number, tfBody: number) => void,
  ): void {
    const { base, alive } = this;
    if (termId < base.termCount) {
      const end = base.offsets[termId + 1] ?? 0;
      for (let i = base.offsets[termId] ?? 0; i < end; i++) {
        const num = base.nums[i] ?? 0;
        if (alive[num]) visit(num, base.tfHeading[i] ?? 0, base.tfBody[i] ?? 0);
      }
    }
    const postings = this.delta.get(termId);
    if (postings) {
      for (let i = 0; i < postings.nums.length; i++) {
        const num = postings.nums[i] ?? 0;
        if (alive[num]) visit(num, postings.tfHeading[i] ?? 0, postings.tfBody[i] ?? 0);
      }
    }
  }

  /** True when the unit `num` has the term (postings are sorted by unit number). */
  private contains(termId: number, num: number): boolean {
    const { base } = this;
    if (termId < base.termCount) {
      let low = base.offsets[termId] ?? 0;
      let high = (base.offsets[termId + 1] ?? 0) - 1;
      while (low <= high) {
        const middle = (low + high) >>> 1;
        const value = base.nums[middle] ?? 0;
        if (value === num) return true;
        if (value < num) low = middle + 1;
        else high = middle - 1;
      }
    }
    return this.delta.get(termId)?.nums.includes(num) ?? false;
  }

  /** The search's reusable floor of the limit-th best score. */
  private floor(limit: number): ScoreFloor {
    if (this.scoreFloor?.size !== limit) this.scoreFloor = new ScoreFloor(limit);
    return this.scoreFloor;
  }

  /**
   * Each unit's BM25 length term for its heading and body, `k1 * (1 - b + b * length / average)`,
   * computed once for the current averages instead of for every posting of every search; again
   * after documents are added or removed.
   */
  private lengthNorms(averageHeading: number, averageBody: number): [Float64Array, Float64Array] {
    const key = `${this.unitCount}:${this.liveCount}:${averageHeading}:${averageBody}`;
    if (this.normsKey !== key) {
      const heading = new Float64Array(this.unitCount);
      const body = new Float64Array(this.unitCount);
      for (let num = 0; num < this.unitCount; num++) {
        const headingLength = (this.headingLength[num] ?? 0) / averageHeading;
        heading[num] = BM25_K1 * (1 - BM25_B + BM25_B * headingLength);
        const bodyLength = (this.bodyLength[num] ?? 0) / averageBody;
        body[num] = BM25_K1 * (1 - BM25_B + BM25_B * bodyLength);
      }
      this.norms = [heading, body];
      this.normsKey = key;
    }
    return this.norms;
  }

  private scratch(): Float64Array {
    if (this.scores.length < this.unitCount) {
      const size = Math.max(this.unitCount, this.scores.length * 2, 1024);
      this.scores = new Float64Array(size);
      this.touched = new Uint32Array(size);
      this.running = new Uint32Array(size);
    }
    return this.scores;
  }

  // --- snapshot ---------------------------------------------------------------------------

  /**
   * Writes every live posting into one snapshot file (atomically, under a new name), records
   * it in SQLite, drops the units removed before it, and serves from it.
   */
  writeSnapshot(log?: PostingLog): void {
    const encoded = this.encodeSnapshot(log);
    if (this.dir) {
      const file = `postings-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}.bin`;
      const path = join(this.dir, file);
      const temporary = `${path}.tmp`;
      try {
        writeFileSync(temporary, encoded.buffer);
        renameSync(temporary, path);
      } catch (error) {
        rmSync(temporary, { force: true });
        throw error;
      }
      const previous = this.snapshotMeta();
      const meta: SnapshotMeta = {
        file,
        upTo: encoded.upTo,
        length: encoded.buffer.length,
        crc: crc32(encoded.buffer),
        formatVersion: DISK_FORMAT_VERSION,
        analysisVersion: ANALYSIS_VERSION,
        live: this.liveCount,
      };
      this.snapshotFile = file;
      this.store.transaction(() => {
        this.store.setMeta("snapshot", JSON.stringify(meta));
        this.store.purgeRemoved();
      });
      this.store.checkpoint();
      if (previous && previous.file !== file) {
        try {
          unlinkSync(join(this.dir, previous.file));
        } catch {
          // Already gone: nothing to clean.
        }
      }
    }
    this.loadSnapshot(encoded.buffer);
    this.syncedUpTo = this.unitCount;
    this.ownSince.clear();
  }

  private snapshotMeta(): SnapshotMeta | undefined {
    const raw = this.store.meta("snapshot");
    return raw ? (JSON.parse(raw) as SnapshotMeta) : undefined;
  }

  /** `log` holds postings of units numbered after every unit in the base and the delta. */
  private encodeSnapshot(log?: PostingLog): { buffer: Buffer; upTo: number } {
    const upTo = this.unitCount;
    const newTermNames: string[] = [];
    for (const [term, id] of this.newTerms) newTermNames[id - this.base.termCount] = term;
    const termName = (id: number) =>
      id < this.base.termCount
        ? this.baseTerms.at(id)
        : (newTermNames[id - this.base.termCount] ?? "");
    // Only terms some live unit has; they are renumbered densely.
    const kept: number[] = [];
    for (let id = 0; id < this.termCount; id++) if ((this.df[id] ?? 0) > 0) kept.push(id);
    const offsets = new Uint32Array(kept.length + 1);
    let total = 0;
    kept.forEach((id, i) => {
      total += this.df[id] ?? 0;
      offsets[i + 1] = total;
    });
    const df = new Uint32Array(kept.length);
    const fieldDf = new Uint32Array(kept.length);
    const maxTfHeading = new Uint32Array(kept.length);
    const maxTfBody = new Uint32Array(kept.length);
    const minLengthHeading = new Uint32Array(kept.length);
    const minLengthBody = new Uint32Array(kept.length);
    kept.forEach((id, i) => {
      df[i] = this.df[id] ?? 0;
      fieldDf[i] = this.fieldDf[id] ?? 0;
      maxTfHeading[i] = this.maxTfHeading[id] ?? 0;
      maxTfBody[i] = this.maxTfBody[id] ?? 0;
      minLengthHeading[i] = this.minLengthHeading[id] ?? NO_LENGTH;
      minLengthBody[i] = this.minLengthBody[id] ?? NO_LENGTH;
    });
    const unitDocument = new Uint32Array(upTo);
    const unitRegion = new Uint32Array(upTo);
    const headingLength = new Uint32Array(upTo);
    const bodyLength = new Uint32Array(upTo);
    const ids: string[] = [];
    for (let num = 0; num < upTo; num++) {
      const live = this.alive[num] === 1;
      unitDocument[num] = live ? (this.unitDocument[num] ?? 0) : DEAD;
      unitRegion[num] = this.unitRegion[num] ?? 0;
      headingLength[num] = this.headingLength[num] ?? 0;
      bodyLength[num] = this.bodyLength[num] ?? 0;
      ids.push(live ? this.idOf(num) : "");
    }
    const termTable = StringTable.encode(kept.map(termName));
    const idTable = StringTable.encode(ids);
    const wordTable = StringTable.encode([...this.baseWords, ...this.newWords]);
    const sections: Array<[string, Uint8Array | number]> = [
      ["offsets", bytes(offsets)],
      // The postings are written straight into the file's buffer (see below): only sizes here.
      ["nums", total * 4],
      ["tfHeading", total * 2],
      ["tfBody", total * 2],
      ["df", bytes(df)],
      ["fieldDf", bytes(fieldDf)],
      ["maxTfHeading", bytes(maxTfHeading)],
      ["maxTfBody", bytes(maxTfBody)],
      ["minLengthHeading", bytes(minLengthHeading)],
      ["minLengthBody", bytes(minLengthBody)],
      ["unitDocument", bytes(unitDocument)],
      ["unitRegion", bytes(unitRegion)],
      ["headingLength", bytes(headingLength)],
      ["bodyLength", bytes(bodyLength)],
      ["terms", termTable.text],
      ["termOffsets", bytes(termTable.offsets)],
      ["termSlots", bytes(termTable.slots)],
      ["ids", idTable.text],
      ["idOffsets", bytes(idTable.offsets)],
      ["idSlots", bytes(idTable.slots)],
      ["words", wordTable.text],
      ["wordOffsets", bytes(wordTable.offsets)],
      ["wordSlots", bytes(wordTable.slots)],
      [
        "documents",
        Buffer.from(
          JSON.stringify({
            documents: this.documentIds,
            regions: this.regionNames,
            alphabet: this.alphabet,
          }),
        ),
      ],
    ];
    let offset = 0;
    const layout: Record<string, [number, number]> = {};
    for (const [name, data] of sections) {
      const length = typeof data === "number" ? data : data.byteLength;
      layout[name] = [offset, length];
      offset += align8(length);
    }
    const header = Buffer.from(
      JSON.stringify({
        formatVersion: DISK_FORMAT_VERSION,
        analysisVersion: ANALYSIS_VERSION,
        upTo,
        termCount: kept.length,
        postings: total,
        sections: layout,
      }),
    );
    const start = align8(MAGIC.length + 4 + header.length);
    // Its own ArrayBuffer at offset 0 (not Node's shared pool), so typed views are aligned.
    const buffer = Buffer.from(new ArrayBuffer(start + offset));
    buffer.write(MAGIC, 0, "latin1");
    buffer.writeUInt32LE(header.length, MAGIC.length);
    header.copy(buffer, MAGIC.length + 4);
    for (const [name, data] of sections) {
      if (typeof data !== "number") buffer.set(data, start + (layout[name]?.[0] ?? 0));
    }
    const sectionStart = (name: string) => buffer.byteOffset + start + (layout[name]?.[0] ?? 0);
    const nums = new Uint32Array(buffer.buffer, sectionStart("nums"), total);
    const tfHeading = new Uint16Array(buffer.buffer, sectionStart("tfHeading"), total);
    const tfBody = new Uint16Array(buffer.buffer, sectionStart("tfBody"), total);
    // Where each term's next posting goes, by old term number.
    const cursor = new Uint32Array(this.termCount);
    kept.forEach((id, i) => {
      let at = offsets[i] ?? 0;
      this.forEachPosting(id, (num, h, b) => {
        nums[at] = num;
        tfHeading[at] = h;
        tfBody[at] = b;
        at++;
      });
      cursor[id] = at;
    });
    if (log) {
      // In unit order, so each term's postings stay sorted by unit number.
      for (let i = 0; i < log.length; i++) {
        const id = log.terms[i] ?? 0;
        const at = cursor[id] ?? 0;
        cursor[id] = at + 1;
        nums[at] = log.nums[i] ?? 0;
        const tf = log.tfs[i] ?? 0;
        tfHeading[at] = tf >>> 16;
        tfBody[at] = tf & 0xffff;
      }
    }
    return { buffer, upTo };
  }

  /** Replaces the in-memory state with the snapshot in `buffer` (no units after it). */
  private loadSnapshot(buffer: Buffer): void {
    if (buffer.toString("latin1", 0, MAGIC.length) !== MAGIC) {
      throw new IndexFormatError("corrupt", say("search.index_not_sportello"));
    }
    const headerLength = buffer.readUInt32LE(MAGIC.length);
    const header = JSON.parse(
      buffer.toString("utf8", MAGIC.length + 4, MAGIC.length + 4 + headerLength),
    ) as {
      formatVersion: number;
      analysisVersion: number;
      upTo: number;
      termCount: number;
      sections: Record<string, [number, number]>;
    };
    if (
      header.formatVersion !== DISK_FORMAT_VERSION ||
      header.analysisVersion !== ANALYSIS_VERSION
    ) {
      throw new IndexFormatError(
        "stale",
        `search: l'indice ha formato ${header.formatVersion} e analisi ${header.analysisVersion}, servono ${DISK_FORMAT_VERSION} e ${ANALYSIS_VERSION}: va ricostruito`,
      );
    }
    const start = align8(MAGIC.length + 4 + headerLength);
    // Typed arrays need aligned offsets: a small file read into Node's shared pool may not be.
    const whole =
      buffer.byteOffset % 8 === 0 ? buffer : Buffer.from(new Uint8Array(buffer).slice().buffer);
    const section = (name: string): [number, number] => {
      const found = header.sections[name];
      if (!found || start + found[0] + found[1] > whole.length) {
        throw new IndexFormatError("corrupt", say("search.index_incomplete", { section: name }));
      }
      return [whole.byteOffset + start + found[0], found[1]];
    };
    const view = <T>(
      name: string,
      make: (b: ArrayBuffer, o: number, n: number) => T,
      size: number,
    ) => {
      const [offset, length] = section(name);
      return make(whole.buffer as ArrayBuffer, offset, length / size);
    };
    const text = (name: string) => {
      const [offset, length] = section(name);
      return Buffer.from(whole.buffer, offset, length).toString("utf8");
    };
    const u32 = (b: ArrayBuffer, o: number, n: number) => new Uint32Array(b, o, n);
    const u16 = (b: ArrayBuffer, o: number, n: number) => new Uint16Array(b, o, n);

    const table = (name: string) => {
      const [offset, length] = section(name);
      return new StringTable(
        Buffer.from(whole.buffer, offset, length),
        view(`${name.replace(/s$/, "")}Offsets`, u32, 4),
        view(`${name.replace(/s$/, "")}Slots`, u32, 4),
      );
    };

    this.base = {
      termCount: header.termCount,
      offsets: view("offsets", u32, 4),
      nums: view("nums", u32, 4),
      tfHeading: view("tfHeading", u16, 2),
      tfBody: view("tfBody", u16, 2),
    };
    this.baseTerms = table("terms");
    this.newTerms = new Map();
    this.termCount = header.termCount;
    // Counters change with every added or removed unit: copies, not views of the file.
    this.df = view("df", u32, 4).slice();
    this.fieldDf = view("fieldDf", u32, 4).slice();
    this.maxTfHeading = view("maxTfHeading", u32, 4).slice();
    this.maxTfBody = view("maxTfBody", u32, 4).slice();
    this.minLengthHeading = view("minLengthHeading", u32, 4).slice();
    this.minLengthBody = view("minLengthBody", u32, 4).slice();
    this.delta = new Map();

    const names = JSON.parse(text("documents")) as {
      documents: string[];
      regions: Array<string | null>;
      alphabet: string;
    };
    this.documentIds = names.documents;
    this.regionNames = names.regions;
    this.regionIndex = new Map(names.regions.map((region, i) => [region, i]));
    this.documentIndex = new Map(this.documentIds.map((id, i) => [id, i]));

    const upTo = header.upTo;
    this.unitCount = upTo;
    this.baseUpTo = upTo;
    this.baseIds = table("ids");
    this.newIds = new Map();
    this.newIdOf = new Map();
    this.unitDocument = view("unitDocument", u32, 4).slice();
    this.unitRegion = view("unitRegion", u32, 4).slice();
    this.headingLength = view("headingLength", u32, 4).slice();
    this.bodyLength = view("bodyLength", u32, 4).slice();
    this.alive = new Uint8Array(upTo);
    this.liveCount = 0;
    this.totalHeading = 0;
    this.totalBody = 0;
    const { unitDocument, alive, headingLength, bodyLength } = this;
    for (let num = 0; num < upTo; num++) {
      if (unitDocument[num] === DEAD) {
        unitDocument[num] = 0;
        continue;
      }
      alive[num] = 1;
      this.liveCount++;
      this.totalHeading += headingLength[num] ?? 0;
      this.totalBody += bodyLength[num] ?? 0;
    }
    this.baseWords = table("words");
    this.newWords = new Set();
    this.alphabet = names.alphabet;
    this.changesSinceSnapshot = 0;
    this.scores = new Float64Array(0);
    this.touched = new Uint32Array(0);
    this.running = new Uint32Array(0);
  }

  private loadFromDisk(dir: string): void {
    const meta = this.snapshotMeta();
    if (!meta) throw new IndexFormatError("corrupt", say("search.index_no_snapshot", { dir }));
    if (meta.formatVersion !== DISK_FORMAT_VERSION || meta.analysisVersion !== ANALYSIS_VERSION) {
      throw new IndexFormatError("stale", say("search.index_other_version", { dir }));
    }
    const buffer = readFileSync(join(dir, meta.file));
    if (buffer.length !== meta.length || crc32(buffer) !== meta.crc) {
      throw new IndexFormatError("corrupt", say("search.index_truncated", { file: meta.file }));
    }
    this.loadSnapshot(buffer);
    this.snapshotFile = meta.file;
    this.ownSince.clear();
    // Changes made after the snapshot: recorded in SQLite, replayed here.
    const { added, removed } = this.store.changesSince(meta.upTo);
    for (const unit of removed) {
      if (this.alive[unit.num]) this.unindexUnit(unit.num, unit);
    }
    const reader = this.unitReader();
    for (const unit of added) this.indexUnit(unit.num, unit, reader);
    this.changesSinceSnapshot = added.length + removed.length;
    this.syncedUpTo = this.unitCount;
  }
}

function bytes(array: Uint32Array | Uint16Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/** The first position in `array[from … to)` whose value is at least `value` (sorted array). */
function lowerBound(array: ArrayLike<number>, from: number, to: number, value: number): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((array[middle] ?? 0) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Postings of a fresh build, in unit order: (term, unit, packed term frequencies) triples. */
/** Reads units into term ids and per-unit frequencies (see `unitReader`). */
interface UnitReader {
  /** The unit's distinct term ids, in the order they first occur, and its fields' lengths. */
  unit(doc: Pick<SearchDocument, "heading" | "body">): {
    terms: readonly number[];
    headingLength: number;
    bodyLength: number;
  };
  /** A term's frequencies in the unit just read, cleared for the next. */
  take(id: number): [heading: number, body: number];
}

class PostingLog {
  terms = new Uint32Array(1 << 16);
  nums = new Uint32Array(1 << 16);
  /** Heading frequency in the high 16 bits, body frequency in the low ones. */
  tfs = new Uint32Array(1 << 16);
  length = 0;

  push(term: number, num: number, tfHeading: number, tfBody: number): void {
    if (this.length === this.terms.length) this.grow();
    this.terms[this.length] = term;
    this.nums[this.length] = num;
    this.tfs[this.length] = ((tfHeading << 16) | tfBody) >>> 0;
    this.length++;
  }

  private grow(): void {
    const size = Math.ceil(this.terms.length * 1.5);
    for (const name of ["terms", "nums", "tfs"] as const) {
      const larger = new Uint32Array(size);
      larger.set(this[name]);
      this[name] = larger;
    }
  }
}

/**
 * The `size`-th best of the scores offered (each score a different unit's): a min-heap of the
 * best `size` scores, its root the lowest of them. `lowest` is that score once `size` were
 * offered since `clear`, 0 until then, so a caller offers only scores above it.
 */
class ScoreFloor {
  private readonly heap: Float64Array;
  private count = 0;
  lowest = 0;

  constructor(readonly size: number) {
    this.heap = new Float64Array(Math.max(1, size));
  }

  clear(): void {
    this.count = 0;
    this.lowest = 0;
  }

  offer(score: number): void {
    const heap = this.heap;
    if (this.count < this.size) {
      let i = this.count++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if ((heap[parent] ?? 0) <= score) break;
        heap[i] = heap[parent] ?? 0;
        i = parent;
      }
      heap[i] = score;
      if (this.count === this.size) this.lowest = heap[0] ?? 0;
      return;
    }
    if (score <= (heap[0] ?? 0)) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.size) break;
      const right = left + 1;
      const child = right < this.size && (heap[right] ?? 0) < (heap[left] ?? 0) ? right : left;
      if ((heap[child] ?? 0) >= score) break;
      heap[i] = heap[child] ?? 0;
      i = child;
    }
    heap[i] = score;
    this.lowest = heap[0] ?? 0;
  }
}

/** The best `k` (unit, score) pairs, by a min-heap on score. */
class TopK {
  private readonly nums: number[] = [];
  private readonly scores: number[] = [];

  constructor(private readonly k: number) {}

  get full(): boolean {
    return this.nums.length >= this.k;
  }

  /** The lowest score kept once full (an offer below it is refused), else -Infinity. */
  get lowestIfFull(): number {
    return this.full ? (this.scores[0] ?? 0) : Number.NEGATIVE_INFINITY;
  }

  offer(num: number, score: number): void {
    if (this.nums.length < this.k) {
      this.nums.push(num);
      this.scores.push(score);
      this.up(this.nums.length - 1);
    } else if (this.worse(0, num, score)) {
      this.nums[0] = num;
      this.scores[0] = score;
      this.down(0);
    }
  }

  sorted(): Array<[number, number]> {
    return this.nums
      .map((num, i): [number, number] => [num, this.scores[i] ?? 0])
      .sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  }

  /**
   * True when the entry at `i` ranks below (`num`, `score`): a lower score, or the same score
   * and a higher unit number, so that ties resolve the same whatever order units are offered in.
   */
  private worse(i: number, num: number, score: number): boolean {
    const own = this.scores[i] ?? 0;
    return own < score || (own === score && (this.nums[i] ?? 0) > num);
  }

  private swap(i: number, j: number): void {
    [this.nums[i], this.nums[j]] = [this.nums[j] ?? 0, this.nums[i] ?? 0];
    [this.scores[i], this.scores[j]] = [this.scores[j] ?? 0, this.scores[i] ?? 0];
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.worse(i, this.nums[parent] ?? 0, this.scores[parent] ?? 0)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.nums.length;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      const lower = (j: number) =>
        this.worse(j, this.nums[smallest] ?? 0, this.scores[smallest] ?? 0);
      if (left < n && lower(left)) smallest = left;
      if (right < n && lower(right)) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }
}
