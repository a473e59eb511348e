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
import { ANALYSIS_VERSION, analyzeWords } from "./analysis.js";
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
import { Thesaurus } from "./thesaurus.js";
import { type StoredUnit, UnitStore } from "./unit-store.js";

/** Bumped when the snapshot file's layout changes. */
export const DISK_FORMAT_VERSION = 1;
const MAGIC = "SPTLPOST";
const UNITS_FILE = "units.db";
/** A new snapshot is written once this share of the units changed since the last one. */
const SNAPSHOT_CHANGE_RATIO = 0.2;
/** … or this many units, whichever comes first. */
const SNAPSHOT_CHANGE_MAX = 50_000;
const DEAD = 0xffffffff;

export interface DiskSearchIndexOptions {
  /** Folder of the index (units.db and the snapshot); none keeps everything in memory. */
  dir?: string;
  thesaurus?: Thesaurus;
  /** Weight of the heading field against the body (default 1, as in the lunr engine). */
  headingBoost?: number;
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
}

export class DiskSearchIndex implements SearchIndexPort {
  readonly engine = "disk" as const;
  private readonly thesaurus: Thesaurus;
  private readonly headingBoost: number;
  private readonly store: UnitStore;

  // Dictionary: term → id; per term the live documents containing it (for `idf`) and the
  // number of (unit, field) pairs containing it (lunr's BM25 IDF, kept for equal rankings).
  private termIds = new Map<string, number>();
  private df: number[] = [];
  private fieldDf: number[] = [];
  private base: BaseSegment = emptyBase();
  private delta = new Map<number, DeltaPostings>();

  // Units by number.
  private ids: string[] = [];
  private unitDocument: number[] = [];
  private headingLength: number[] = [];
  private bodyLength: number[] = [];
  private alive: number[] = [];
  private numById = new Map<string, number>();
  private documentIds: string[] = [];
  /** Regions as written, numbered; each unit has its own (a document's units may differ). */
  private regionNames: Array<string | null> = [];
  private regionIndex = new Map<string | null, number>();
  private unitRegion: number[] = [];
  private documentIndex = new Map<string, number>();
  private numsOfDocument = new Map<number, number[]>();
  private liveCount = 0;
  private totalHeading = 0;
  private totalBody = 0;
  private words = new Set<string>();
  private alphabet = "";

  private changesSinceSnapshot = 0;
  private scores = new Float64Array(0);

  private constructor(options: DiskSearchIndexOptions) {
    this.thesaurus = options.thesaurus ?? Thesaurus.empty();
    this.headingBoost = options.headingBoost ?? 1;
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
      index.addDocuments(docs, payloads, { snapshot: false });
      index.writeSnapshot();
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
      throw new IndexFormatError("corrupt", `search: nessun indice in ${dir}: va costruito`);
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
    const id = this.termIds.get(term);
    return bm25Idf(id === undefined ? 0 : (this.df[id] ?? 0), this.liveCount);
  }

  /** True when some live unit contains the analysed `term`. */
  knows(term: string): boolean {
    const id = this.termIds.get(term);
    return id !== undefined && (this.df[id] ?? 0) > 0;
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

  /** Key/value metadata kept in the index's SQLite file (fingerprints, document hashes). */
  meta(key: string): string | undefined {
    return this.store.meta(key);
  }

  setMeta(key: string, value: string): void {
    this.store.setMeta(key, value);
  }

  /** The payload stored with a unit (the answer engine's passage), read from SQLite. */
  payload(id: string): string | undefined {
    return this.store.unitById(id)?.payload ?? undefined;
  }

  /** Every live unit with its payload, in insertion order. */
  units(): Generator<StoredUnit> {
    return this.store.allUnits();
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
    const touched: number[] = [];
    const averageHeading = this.totalHeading / this.liveCount || 1;
    const averageBody = this.totalBody / this.liveCount || 1;
    const k1 = BM25_K1;
    const b = BM25_B;
    let norm = 0;
    for (const [termId, boost] of clauses) {
      norm += boost * boost;
      const idf = bm25Idf(this.fieldDf[termId] ?? 0, this.liveCount);
      const headingWeight = idf * this.headingBoost * boost;
      const bodyWeight = idf * boost;
      this.forEachPosting(termId, (num, tfHeading, tfBody) => {
        let score = 0;
        if (tfHeading > 0) {
          const length = (this.headingLength[num] ?? 0) / averageHeading;
          score += (headingWeight * (k1 + 1) * tfHeading) / (k1 * (1 - b + b * length) + tfHeading);
        }
        if (tfBody > 0) {
          const length = (this.bodyLength[num] ?? 0) / averageBody;
          score += (bodyWeight * (k1 + 1) * tfBody) / (k1 * (1 - b + b * length) + tfBody);
        }
        if (scores[num] === 0) touched.push(num);
        scores[num] = (scores[num] ?? 0) + score;
      });
    }

    const regions = options.regions ? new Set(options.regions) : undefined;
    const documentIds = options.documentIds ? new Set(options.documentIds) : undefined;
    const best = new TopK(limit);
    for (const num of touched) {
      const score = scores[num] ?? 0;
      scores[num] = 0;
      if (score <= 0) continue;
      const document = this.unitDocument[num] ?? 0;
      if (regions && !regions.has(this.regionNames[this.unitRegion[num] ?? 0] ?? null)) continue;
      if (documentIds && !documentIds.has(this.documentIds[document] ?? "")) continue;
      best.offer(num, score);
    }

    const scale = 1 / Math.sqrt(norm);
    const termOf = new Map<number, string>();
    for (const term of [...plan.terms, ...plan.extraTerms.keys()]) {
      const id = this.termIds.get(term);
      if (id !== undefined) termOf.set(id, term);
    }
    return best.sorted().map(([num, score]) => {
      const present = new Set<string>();
      for (const [termId] of clauses) {
        if (this.contains(termId, num)) present.add(termOf.get(termId) ?? "");
      }
      const matched = matchedTerms(plan, present);
      return {
        id: this.ids[num] ?? "",
        score: score * scale,
        matched,
        exact: matched.filter((term) => present.has(term)),
        coverage: this.coverage(plan.terms, matched),
      };
    });
  }

  addDocuments(
    docs: readonly SearchDocument[],
    payloads?: ReadonlyArray<string | null>,
    options: { snapshot?: boolean } = {},
  ): void {
    if (docs.length === 0) return;
    const seen = new Set<string>();
    for (const doc of docs) {
      if (this.numById.has(doc.id) || seen.has(doc.id)) {
        throw new SportelloError(
          "KNOWLEDGE_INVALID",
          `search: two passages share the id "${doc.id}": passage ids must be unique`,
        );
      }
      seen.add(doc.id);
    }
    const first = Math.max(this.ids.length, this.store.nextNum());
    // SQLite first: if the disk is full nothing changes in memory either.
    this.store.insert(
      docs.map((doc, i) => ({ num: first + i, doc, payload: payloads?.[i] ?? doc.payload })),
    );
    docs.forEach((doc, i) => {
      this.indexUnit(first + i, doc);
    });
    this.changesSinceSnapshot += docs.length;
    if (options.snapshot !== false) this.snapshotIfDue();
  }

  removeDocument(documentId: string): number {
    const document = this.documentIndex.get(documentId);
    const nums = document === undefined ? [] : (this.numsOfDocument.get(document) ?? []);
    if (nums.length === 0) return 0;
    this.store.markRemoved(documentId);
    let removed = 0;
    for (const num of nums) {
      if (!this.alive[num]) continue;
      const unit = this.store.unit(num);
      if (unit) this.unindexUnit(num, unit);
      removed++;
    }
    this.numsOfDocument.delete(document ?? -1);
    this.changesSinceSnapshot += removed;
    this.snapshotIfDue();
    return removed;
  }

  /** Writes a snapshot now when enough changed since the last one. */
  private snapshotIfDue(): void {
    const due =
      this.changesSinceSnapshot >
      Math.min(SNAPSHOT_CHANGE_MAX, Math.max(1_000, this.liveCount * SNAPSHOT_CHANGE_RATIO));
    if (due) this.writeSnapshot();
  }

  close(): void {
    this.store.close();
  }

  // --- indexing ---------------------------------------------------------------------------

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

  private liveTermId(term: string): number | undefined {
    const id = this.termIds.get(term);
    return id !== undefined && (this.df[id] ?? 0) > 0 ? id : undefined;
  }

  /** Term frequencies of a unit's two fields, and their lengths in terms. */
  private analyseUnit(doc: Pick<SearchDocument, "heading" | "body">, collectWords: boolean) {
    const frequencies = new Map<string, [heading: number, body: number]>();
    const lengths = [0, 0];
    const fields = [doc.heading, doc.body];
    for (let field = 0; field < 2; field++) {
      for (const { word, terms } of analyzeWords(fields[field] ?? "")) {
        if (collectWords && terms.length === 1 && isIndexableWord(word)) this.addWord(word);
        for (const term of terms) {
          let counts = frequencies.get(term);
          if (!counts) {
            counts = [0, 0];
            frequencies.set(term, counts);
          }
          counts[field] = (counts[field] ?? 0) + 1;
          lengths[field] = (lengths[field] ?? 0) + 1;
        }
      }
    }
    return { frequencies, headingLength: lengths[0] ?? 0, bodyLength: lengths[1] ?? 0 };
  }

  private addWord(word: string): void {
    if (this.words.has(word)) return;
    this.words.add(word);
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

  private indexUnit(num: number, doc: Omit<SearchDocument, "payload">): void {
    const { frequencies, headingLength, bodyLength } = this.analyseUnit(doc, true);
    const document = this.documentNumber(doc.documentId);
    this.ids[num] = doc.id;
    this.unitDocument[num] = document;
    this.unitRegion[num] = this.regionNumber(doc.region);
    this.headingLength[num] = headingLength;
    this.bodyLength[num] = bodyLength;
    this.alive[num] = 1;
    this.numById.set(doc.id, num);
    const nums = this.numsOfDocument.get(document) ?? [];
    nums.push(num);
    this.numsOfDocument.set(document, nums);
    this.liveCount++;
    this.totalHeading += headingLength;
    this.totalBody += bodyLength;
    for (const [term, [tfHeading, tfBody]] of frequencies) {
      let id = this.termIds.get(term);
      if (id === undefined) {
        id = this.df.length;
        this.termIds.set(term, id);
        this.df.push(0);
        this.fieldDf.push(0);
      }
      this.df[id] = (this.df[id] ?? 0) + 1;
      this.fieldDf[id] = (this.fieldDf[id] ?? 0) + (tfHeading > 0 ? 1 : 0) + (tfBody > 0 ? 1 : 0);
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

  /** Takes a unit out of the counts; its postings stay, skipped as dead, until the next snapshot. */
  private unindexUnit(num: number, doc: Omit<SearchDocument, "payload">): void {
    const { frequencies } = this.analyseUnit(doc, false);
    for (const [term, [tfHeading, tfBody]] of frequencies) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      this.df[id] = Math.max(0, (this.df[id] ?? 0) - 1);
      this.fieldDf[id] = Math.max(
        0,
        (this.fieldDf[id] ?? 0) - (tfHeading > 0 ? 1 : 0) - (tfBody > 0 ? 1 : 0),
      );
    }
    this.alive[num] = 0;
    this.numById.delete(doc.id);
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

  private scratch(): Float64Array {
    if (this.scores.length < this.ids.length) {
      this.scores = new Float64Array(Math.max(this.ids.length, this.scores.length * 2, 1024));
    }
    return this.scores;
  }

  // --- snapshot ---------------------------------------------------------------------------

  /**
   * Writes every live posting into one snapshot file (atomically, under a new name), records
   * it in SQLite, drops the units removed before it, and serves from it.
   */
  writeSnapshot(): void {
    const encoded = this.encodeSnapshot();
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
      };
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
  }

  private snapshotMeta(): SnapshotMeta | undefined {
    const raw = this.store.meta("snapshot");
    return raw ? (JSON.parse(raw) as SnapshotMeta) : undefined;
  }

  private encodeSnapshot(): { buffer: Buffer; upTo: number } {
    const upTo = this.ids.length;
    const termNames: string[] = [];
    for (const [term, id] of this.termIds) termNames[id] = term;
    // Only terms some live unit has; they are renumbered densely.
    const kept: number[] = [];
    for (let id = 0; id < termNames.length; id++) if ((this.df[id] ?? 0) > 0) kept.push(id);
    const offsets = new Uint32Array(kept.length + 1);
    let total = 0;
    kept.forEach((id, i) => {
      total += this.df[id] ?? 0;
      offsets[i + 1] = total;
    });
    const nums = new Uint32Array(total);
    const tfHeading = new Uint16Array(total);
    const tfBody = new Uint16Array(total);
    const df = new Uint32Array(kept.length);
    const fieldDf = new Uint32Array(kept.length);
    kept.forEach((id, i) => {
      let at = offsets[i] ?? 0;
      df[i] = this.df[id] ?? 0;
      fieldDf[i] = this.fieldDf[id] ?? 0;
      this.forEachPosting(id, (num, h, b) => {
        nums[at] = num;
        tfHeading[at] = h;
        tfBody[at] = b;
        at++;
      });
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
      ids.push(live ? (this.ids[num] ?? "") : "");
    }
    const sections: Array<[string, Uint8Array]> = [
      ["offsets", bytes(offsets)],
      ["nums", bytes(nums)],
      ["tfHeading", bytes(tfHeading)],
      ["tfBody", bytes(tfBody)],
      ["df", bytes(df)],
      ["fieldDf", bytes(fieldDf)],
      ["unitDocument", bytes(unitDocument)],
      ["unitRegion", bytes(unitRegion)],
      ["headingLength", bytes(headingLength)],
      ["bodyLength", bytes(bodyLength)],
      ["terms", Buffer.from(kept.map((id) => termNames[id]).join("\n"))],
      ["ids", Buffer.from(ids.join("\n"))],
      [
        "documents",
        Buffer.from(JSON.stringify({ documents: this.documentIds, regions: this.regionNames })),
      ],
      ["words", Buffer.from([...this.words].join("\n"))],
    ];
    let offset = 0;
    const layout: Record<string, [number, number]> = {};
    for (const [name, data] of sections) {
      layout[name] = [offset, data.byteLength];
      offset += align8(data.byteLength);
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
    const buffer = Buffer.alloc(start + offset);
    buffer.write(MAGIC, 0, "latin1");
    buffer.writeUInt32LE(header.length, MAGIC.length);
    header.copy(buffer, MAGIC.length + 4);
    for (const [name, data] of sections) {
      buffer.set(data, start + (layout[name]?.[0] ?? 0));
    }
    return { buffer, upTo };
  }

  /** Replaces the in-memory state with the snapshot in `buffer` (no units after it). */
  private loadSnapshot(buffer: Buffer): void {
    if (buffer.toString("latin1", 0, MAGIC.length) !== MAGIC) {
      throw new IndexFormatError(
        "corrupt",
        "search: il file dell'indice non è un indice Sportello",
      );
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
        throw new IndexFormatError("corrupt", `search: il file dell'indice è incompleto (${name})`);
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

    const terms = header.termCount === 0 ? [] : text("terms").split("\n");
    this.base = {
      termCount: header.termCount,
      offsets: view("offsets", u32, 4),
      nums: view("nums", u32, 4),
      tfHeading: view("tfHeading", u16, 2),
      tfBody: view("tfBody", u16, 2),
    };
    this.termIds = new Map(terms.map((term, id) => [term, id]));
    this.df = Array.from(view("df", u32, 4));
    this.fieldDf = Array.from(view("fieldDf", u32, 4));
    this.delta = new Map();

    const names = JSON.parse(text("documents")) as {
      documents: string[];
      regions: Array<string | null>;
    };
    this.documentIds = names.documents;
    this.regionNames = names.regions;
    this.regionIndex = new Map(names.regions.map((region, i) => [region, i]));
    this.unitRegion = Array.from(view("unitRegion", u32, 4));
    this.documentIndex = new Map(this.documentIds.map((id, i) => [id, i]));

    const unitDocument = view("unitDocument", u32, 4);
    this.headingLength = Array.from(view("headingLength", u32, 4));
    this.bodyLength = Array.from(view("bodyLength", u32, 4));
    this.ids = header.upTo === 0 ? [] : text("ids").split("\n");
    this.unitDocument = [];
    this.alive = [];
    this.numById = new Map();
    this.numsOfDocument = new Map();
    this.liveCount = 0;
    this.totalHeading = 0;
    this.totalBody = 0;
    for (let num = 0; num < header.upTo; num++) {
      const document = unitDocument[num] ?? DEAD;
      const live = document !== DEAD;
      this.alive.push(live ? 1 : 0);
      this.unitDocument.push(live ? document : 0);
      if (!live) continue;
      this.numById.set(this.ids[num] ?? "", num);
      const nums = this.numsOfDocument.get(document);
      if (nums) nums.push(num);
      else this.numsOfDocument.set(document, [num]);
      this.liveCount++;
      this.totalHeading += this.headingLength[num] ?? 0;
      this.totalBody += this.bodyLength[num] ?? 0;
    }
    this.words = new Set();
    this.alphabet = "";
    for (const word of text("words").split("\n")) if (word) this.addWord(word);
    this.changesSinceSnapshot = 0;
    this.scores = new Float64Array(0);
  }

  private loadFromDisk(dir: string): void {
    const meta = this.snapshotMeta();
    if (!meta)
      throw new IndexFormatError("corrupt", `search: l'indice in ${dir} non ha un'istantanea`);
    if (meta.formatVersion !== DISK_FORMAT_VERSION || meta.analysisVersion !== ANALYSIS_VERSION) {
      throw new IndexFormatError(
        "stale",
        `search: l'indice in ${dir} è di un'altra versione: va ricostruito`,
      );
    }
    const buffer = readFileSync(join(dir, meta.file));
    if (buffer.length !== meta.length || crc32(buffer) !== meta.crc) {
      throw new IndexFormatError(
        "corrupt",
        `search: il file ${meta.file} è troncato o danneggiato: l'indice va ricostruito`,
      );
    }
    this.loadSnapshot(buffer);
    // Changes made after the snapshot: recorded in SQLite, replayed here.
    const { added, removed } = this.store.changesSince(meta.upTo);
    for (const unit of removed) {
      if (this.alive[unit.num]) this.unindexUnit(unit.num, unit);
    }
    for (const unit of added) this.indexUnit(unit.num, unit);
    this.changesSinceSnapshot = added.length + removed.length;
  }
}

function bytes(array: Uint32Array | Uint16Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/** The best `k` (unit, score) pairs, by a min-heap on score. */
class TopK {
  private readonly nums: number[] = [];
  private readonly scores: number[] = [];

  constructor(private readonly k: number) {}

  offer(num: number, score: number): void {
    if (this.nums.length < this.k) {
      this.nums.push(num);
      this.scores.push(score);
      this.up(this.nums.length - 1);
    } else if (score > (this.scores[0] ?? 0)) {
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

  private swap(i: number, j: number): void {
    [this.nums[i], this.nums[j]] = [this.nums[j] ?? 0, this.nums[i] ?? 0];
    [this.scores[i], this.scores[j]] = [this.scores[j] ?? 0, this.scores[i] ?? 0];
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((this.scores[parent] ?? 0) <= (this.scores[i] ?? 0)) break;
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
      if (left < n && (this.scores[left] ?? 0) < (this.scores[smallest] ?? 0)) smallest = left;
      if (right < n && (this.scores[right] ?? 0) < (this.scores[smallest] ?? 0)) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }
}
