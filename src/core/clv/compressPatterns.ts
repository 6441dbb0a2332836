/**
 * Customers → unique (x, t_x, T) patterns with weights; the BG/NBD likelihood only depends on the
 * pattern. With weeks as whole periods most customers share one and fits run over thousands of rows
 * instead of millions; with t_x and T in days (as compute counts them) a chain's million customers still
 * make most of a million patterns (750,000 of 900,000 in the 10M-order bench), so the compression itself
 * must cost little: it is a hash table over typed arrays, not Maps.
 */
export interface PurchasePatterns {
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  /** How many customers (or how much weight) share the pattern. */
  weight: Float64Array;
}

export interface HistoryColumns {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
  /** Per-customer weight (default 1). */
  weight?: ArrayLike<number>;
  /** Only rows with include[i] === 1 are used (e.g. `present` from summarizeColumns). */
  include?: ArrayLike<number>;
}

/**
 * Ids for distinct tuples of numbers (compared as Map keys compare numbers: +0 and −0 are one, NaN is
 * one), by first appearance, in an open-addressing table over typed arrays with each tuple's values side
 * by side: a million customers mean a million lookups per fit, which Maps of numbers (and string keys
 * for triples) made a second's work.
 */
export class DistinctTuples {
  private readonly bits = new Float64Array(1);
  private readonly words = new Int32Array(this.bits.buffer);
  private slots: Int32Array;
  private mask: number;
  /** The distinct tuples, in order of first appearance, `width` values each. */
  values: Float64Array<ArrayBuffer>;
  size = 0;

  constructor(
    readonly width: 1 | 3,
    expected = 16,
  ) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.slots = new Int32Array(capacity).fill(-1);
    this.mask = capacity - 1;
    this.values = new Float64Array(Math.max(8, expected) * width);
  }

  private hashOf(v: number): number {
    // One hash for +0 and −0, and for every NaN, as they are one key.
    this.bits[0] = v === 0 ? 0 : v !== v ? NaN : v;
    // murmur3's finalizer over both words: whole numbers have all-zero low bits, which must not
    // leave the table's low bits all alike.
    let h = this.words[0] ^ Math.imul(this.words[1], 0x9e3779b1);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return h ^ (h >>> 16);
  }

  private slotOf(a: number, b: number, c: number): number {
    let h = this.hashOf(a);
    if (this.width === 3) h ^= Math.imul(this.hashOf(b), 0xc2b2ae35) ^ Math.imul(this.hashOf(c), 0x27d4eb2f);
    return (h >>> 0) & this.mask;
  }

  /** The id of (a, b, c) (of a alone when the width is 1), a new one when it was not seen before. */
  id(a: number, b = 0, c = 0): number {
    const width = this.width;
    const values = this.values;
    let h = this.slotOf(a, b, c);
    for (;;) {
      const at = this.slots[h];
      if (at < 0) break;
      const o = at * width;
      if (same(values[o], a) && (width === 1 || (same(values[o + 1], b) && same(values[o + 2], c)))) return at;
      h = (h + 1) & this.mask;
    }
    const id = this.size++;
    if ((id + 1) * width > this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    const o = id * width;
    this.values[o] = a;
    if (width === 3) {
      this.values[o + 1] = b;
      this.values[o + 2] = c;
    }
    this.slots[h] = id;
    if (this.size * 2 > this.slots.length) this.rehash();
    return id;
  }

  /** The `part`th value of every tuple, in id order. */
  column(part: number): Float64Array<ArrayBuffer> {
    const out = new Float64Array(this.size);
    for (let id = 0; id < this.size; id++) out[id] = this.values[id * this.width + part];
    return out;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    this.mask = this.slots.length - 1;
    const w = this.width;
    for (let id = 0; id < this.size; id++) {
      let h = this.slotOf(this.values[id * w], w === 3 ? this.values[id * w + 1] : 0, w === 3 ? this.values[id * w + 2] : 0);
      while (this.slots[h] >= 0) h = (h + 1) & this.mask;
      this.slots[h] = id;
    }
  }
}

/** SameValueZero, as Map keys compare. */
const same = (x: number, y: number): boolean => x === y || (x !== x && y !== y);

export function compressPatterns(history: HistoryColumns): PurchasePatterns {
  const n = history.frequency.length;
  const { frequency, recency, T, weight, include } = history;
  const distinct = new DistinctTuples(3, n);
  let w = new Float64Array(Math.max(8, Math.min(n, 1 << 16)));
  for (let i = 0; i < n; i++) {
    if (include !== undefined && include[i] !== 1) continue;
    const before = distinct.size;
    const at = distinct.id(frequency[i], recency[i], T[i]);
    if (at === w.length) {
      const bigger = new Float64Array(w.length * 2);
      bigger.set(w);
      w = bigger;
    }
    // The first customer of a pattern sets its weight, later ones add to it.
    if (at === before) w[at] = weight === undefined ? 1 : weight[i];
    else w[at] += weight === undefined ? 1 : weight[i];
  }
  const m = distinct.size;
  return {
    frequency: distinct.column(0),
    recency: distinct.column(1),
    T: distinct.column(2),
    weight: w.slice(0, m),
  };
}
