// A read-only set of strings kept as bytes (UTF-8 text, offsets, an open-addressing hash table of
// typed arrays): viewed in place from a snapshot buffer, so that opening a dictionary of a
// million terms costs no JavaScript string or Map entry until one is looked up.

/** FNV-1a over the UTF-16 code units: the same value at write and at lookup. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The three arrays a table is stored as. */
export interface EncodedStringTable {
  text: Buffer;
  /** Entry i is text[offsets[i] … offsets[i+1]). */
  offsets: Uint32Array;
  /** Power-of-two slots holding entry number + 1 (0 = empty). */
  slots: Uint32Array;
}

export class StringTable {
  readonly count: number;

  constructor(
    private readonly text: Buffer,
    private readonly offsets: Uint32Array,
    private readonly slots: Uint32Array,
  ) {
    this.count = Math.max(0, offsets.length - 1);
  }

  static empty(): StringTable {
    const { text, offsets, slots } = StringTable.encode([]);
    return new StringTable(text, offsets, slots);
  }

  /** Encodes `strings` (distinct) in order; entry numbers are their positions. */
  static encode(strings: readonly string[]): EncodedStringTable {
    const parts = strings.map((s) => Buffer.from(s, "utf8"));
    const offsets = new Uint32Array(strings.length + 1);
    let total = 0;
    parts.forEach((part, i) => {
      total += part.length;
      offsets[i + 1] = total;
    });
    const text = Buffer.concat(parts, total);
    let size = 2;
    while (size < strings.length * 2) size *= 2;
    const slots = new Uint32Array(size);
    const mask = size - 1;
    strings.forEach((s, i) => {
      let slot = hashString(s) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = i + 1;
    });
    return { text, offsets, slots };
  }

  /** The entry number of `value`, or -1. */
  find(value: string): number {
    if (this.count === 0) return -1;
    const { slots } = this;
    const mask = slots.length - 1;
    let slot = hashString(value) & mask;
    for (;;) {
      const entry = slots[slot] ?? 0;
      if (entry === 0) return -1;
      if (this.at(entry - 1) === value) return entry - 1;
      slot = (slot + 1) & mask;
    }
  }

  has(value: string): boolean {
    return this.find(value) >= 0;
  }

  at(entry: number): string {
    return this.text.toString("utf8", this.offsets[entry] ?? 0, this.offsets[entry + 1] ?? 0);
  }

  *[Symbol.iterator](): Generator<string> {
    for (let i = 0; i < this.count; i++) yield this.at(i);
  }
}
