/**
 * Strings numbered in first-seen order (their slots): an open-addressing table over an FNV-1a hash of
 * the string's UTF-16 units, in typed arrays that double as it fills. For the million-key lookups of
 * compute (customer ids while the cache loads, the payments refunds name, e-mails and phones in identity
 * resolution): a Map of a million customer ids cost about a second to fill and read, most of it in cache
 * misses and the copies it grows through.
 */
export class StringIndex {
  /** The keys, by slot. */
  readonly keys: string[] = [];
  private hashes: Int32Array;
  private table: Int32Array;
  private mask: number;

  constructor(expected = 16) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.table = new Int32Array(capacity).fill(-1);
    this.mask = capacity - 1;
    this.hashes = new Int32Array(Math.max(16, expected));
  }

  get size(): number {
    return this.keys.length;
  }

  /** The slot of `key`, or -1. */
  find(key: string): number {
    const h = hashOf(key);
    for (let at = h & this.mask; ; at = (at + 1) & this.mask) {
      const slot = this.table[at];
      if (slot < 0) return -1;
      if (this.hashes[slot] === h && this.keys[slot] === key) return slot;
    }
  }

  /**
   * The slot of the key spelled by `bytes[start..end)`, every one of them ASCII (below 0x80), or -1: a
   * lookup without making the string (src/io/columnar.ts searches a dictionary of millions this way).
   */
  findAscii(bytes: Uint8Array, start: number, end: number): number {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    h ^= h >>> 15;
    const length = end - start;
    for (let at = h & this.mask; ; at = (at + 1) & this.mask) {
      const slot = this.table[at];
      if (slot < 0) return -1;
      if (this.hashes[slot] !== h) continue;
      const key = this.keys[slot];
      if (key.length !== length) continue;
      let i = 0;
      while (i < length && key.charCodeAt(i) === bytes[start + i]) i++;
      if (i === length) return slot;
    }
  }

  /** The slot of `key`, given the next one if it is new. */
  add(key: string): number {
    const h = hashOf(key);
    let at = h & this.mask;
    for (; ; at = (at + 1) & this.mask) {
      const slot = this.table[at];
      if (slot < 0) break;
      if (this.hashes[slot] === h && this.keys[slot] === key) return slot;
    }
    const slot = this.keys.length;
    this.keys.push(key);
    if (slot === this.hashes.length) {
      const hashes = new Int32Array(slot * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.hashes[slot] = h;
    this.table[at] = slot;
    // At most half full, so a probe ends soon.
    if (2 * (slot + 1) > this.table.length) this.grow();
    return slot;
  }

  private grow(): void {
    const table = new Int32Array(this.table.length * 2).fill(-1);
    const mask = table.length - 1;
    for (let slot = 0; slot < this.keys.length; slot++) {
      let at = this.hashes[slot] & mask;
      while (table[at] >= 0) at = (at + 1) & mask;
      table[at] = slot;
    }
    this.table = table;
    this.mask = mask;
  }
}

/** FNV-1a over the UTF-16 units (`findAscii` computes the same over ASCII bytes). */
function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  // FNV's low bits, which pick the place, mix in the high ones.
  return h ^ (h >>> 15);
}
