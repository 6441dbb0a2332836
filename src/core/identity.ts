/**
 * Identity resolution: source records of one person become one customer. Records are joined when they
 * share a normalized e-mail or an E.164 phone (phone or mobile), or when a source says one was merged
 * into another. An identifier shared by more records than `maxRecordsPerIdentifier` is a placeholder
 * (a shop's own address, "0000000000") and joins nothing.
 */
import { hash } from 'node:crypto';
import type { CustomerRecords } from './computeInput.js';
import { SOURCE_CODES } from './computeInput.js';
import { normalizeEmail, phoneAsWritten, PhoneNormalizer } from './contact.js';
import { StringIndex } from './stringIndex.js';

export interface IdentitySettings {
  /** Region for phones without a country code where the sources' locations do not tell (src/core/phoneRegion.ts). */
  defaultRegion?: string;
  maxRecordsPerIdentifier: number;
}

export interface Identities {
  /** Cluster index per customer record; -1 when the record is left out (deleted without purchases). */
  clusterOf: Int32Array;
  clusterCount: number;
  /** Stable customer key per cluster; clusters are numbered in the order of these keys. */
  customerId: string[];
  /** Per record: normalized e-mail and E.164 phone (phone, else mobile), the ones matched on. */
  email: (string | undefined)[];
  phone: (string | undefined)[];
  /** Per record without an E.164 phone: its phone (else mobile) as written, for the master only. */
  phoneWritten: (string | undefined)[];
  /** Records with a phone or mobile that could not be read as a number in its region (kept as written). */
  unreadablePhones: number;
  /** Of those, the records for which no region was known at all. */
  unreadableWithoutRegion: number;
  /** Identifiers ignored as placeholders, for the run's warnings. */
  placeholders: string[];
}

/**
 * Identifier -> slot (src/core/stringIndex.ts), slots numbered in first-seen order, with the first record
 * and the count of each, for at most `capacity` identifiers. A Map of two million identifiers (and
 * arrays pushed to) grew through copies of itself, a few hundred MB of garbage at the memory peak of
 * `ca compute`.
 */
class IdentifierSlots {
  readonly first: Int32Array;
  readonly count: Int32Array;
  private readonly index: StringIndex;

  constructor(capacity: number) {
    // Sized once: growing it would rehash millions of identifiers.
    this.index = new StringIndex(capacity);
    this.first = new Int32Array(capacity);
    this.count = new Int32Array(capacity);
  }

  get keys(): readonly string[] {
    return this.index.keys;
  }

  get size(): number {
    return this.index.size;
  }

  /** Counts `key` for `record`; its slot. */
  note(key: string, record: number): number {
    const before = this.index.size;
    const slot = this.index.add(key);
    if (slot < before) {
      this.count[slot]++;
      return slot;
    }
    if (slot >= this.first.length) throw new Error('identity: more identifiers than the table was sized for');
    this.first[slot] = record;
    this.count[slot] = 1;
    return slot;
  }
}

class UnionFind {
  readonly parent: Int32Array;

  constructor(size: number) {
    this.parent = new Int32Array(size);
    for (let i = 0; i < size; i++) this.parent[i] = i;
  }

  find(i: number): number {
    let root = i;
    while (this.parent[root] !== root) root = this.parent[root];
    while (this.parent[i] !== root) {
      const next = this.parent[i];
      this.parent[i] = root;
      i = next;
    }
    return root;
  }

  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/** `c_` and 16 hex digits of SHA-256 over "source:id" of the cluster's oldest record. */
export function customerKey(source: string, id: string): string {
  // crypto.hash: one call, no Hash object (a million customers). The key is built as one flat string:
  // `c_${hex.slice(0, 16)}` is a pair of string pieces holding on to the whole 64-digit hex (a
  // million customer_id values kept about 35 MB more, for as long as the master lives).
  const h = hash('sha256', `${source}:${id}`, 'hex');
  const c = (i: number) => h.charCodeAt(i);
  return String.fromCharCode(0x63, 0x5f, c(0), c(1), c(2), c(3), c(4), c(5), c(6), c(7), c(8), c(9), c(10), c(11), c(12), c(13), c(14), c(15));
}

/**
 * @param keep per record: whether it takes part (false for a deleted record without purchases).
 * @param regions per record: the region its phones without a country code are read in (phoneRegions).
 */
export function resolveIdentities(
  customers: CustomerRecords,
  keep: Uint8Array,
  settings: IdentitySettings,
  regions: readonly (string | undefined)[],
): Identities {
  const n = customers.count;
  const phones = new PhoneNormalizer();
  const phoneWritten: (string | undefined)[] = new Array(n);
  let unreadablePhones = 0;
  let unreadableWithoutRegion = 0;
  const email: (string | undefined)[] = new Array(n);
  const phone: (string | undefined)[] = new Array(n);
  // identifier -> slot (in first-seen order); per slot the first record holding it and how many records do.
  const seen = new IdentifierSlots(3 * n);
  const { first: firstOf, count: countOf } = seen;
  /** Counts the identifier for the record; its slot, or -1 when there is none. */
  const note = (identifier: string | undefined, record: number): number => (identifier ? seen.note(identifier, record) : -1);
  // Per record, the slots of its e-mail, phone (phone, else mobile) and mobile (when not the phone), in
  // the order they join: the joins below then look nothing up again.
  const emailSlot = new Int32Array(n).fill(-1);
  const phoneSlot = new Int32Array(n).fill(-1);
  const mobileSlot = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    email[i] = normalizeEmail(customers.email[i]);
    const p = phones.normalize(customers.phone[i], regions[i]);
    const m = phones.normalize(customers.mobile[i], regions[i]);
    phone[i] = p ?? m;
    const writtenPhone = p === undefined ? phoneAsWritten(customers.phone[i]) : undefined;
    const writtenMobile = m === undefined ? phoneAsWritten(customers.mobile[i]) : undefined;
    if (writtenPhone !== undefined || writtenMobile !== undefined) {
      unreadablePhones++;
      if (regions[i] === undefined) unreadableWithoutRegion++;
    }
    if (phone[i] === undefined) phoneWritten[i] = writtenPhone ?? writtenMobile;
    if (!keep[i]) continue;
    emailSlot[i] = note(email[i], i);
    const p_ = note(p, i);
    const m_ = m !== p ? note(m, i) : -1;
    phoneSlot[i] = p !== undefined ? p_ : m_;
    if (p !== undefined) mobileSlot[i] = m_;
  }

  const uf = new UnionFind(n);
  const placeholders: string[] = [];
  for (let slot = 0; slot < seen.size; slot++) {
    if (countOf[slot] > settings.maxRecordsPerIdentifier) placeholders.push(seen.keys[slot]);
  }
  const join = (slot: number, record: number) => {
    if (slot < 0) return;
    const count = countOf[slot];
    if (count > 1 && count <= settings.maxRecordsPerIdentifier) uf.union(firstOf[slot], record);
  };
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    join(emailSlot[i], i);
    join(phoneSlot[i], i);
    join(mobileSlot[i], i);
    const target = customers.mergedInto[i];
    if (target >= 0 && keep[target]) uf.union(i, target);
  }

  // The oldest record of each cluster names it: earliest creation, then source order, then id.
  const representative = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    const root = uf.find(i);
    const current = representative[root];
    if (current < 0 || olderThan(customers, i, current)) representative[root] = i;
  }
  const clusterOf = new Int32Array(n).fill(-1);
  const clusterIndexOfRoot = new Int32Array(n).fill(-1);
  const customerId: string[] = [];
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    const root = uf.find(i);
    let cluster = clusterIndexOfRoot[root];
    if (cluster < 0) {
      cluster = customerId.length;
      clusterIndexOfRoot[root] = cluster;
      const rep = representative[root];
      customerId.push(customerKey(SOURCE_CODES[customers.source[rep]], customers.id[rep]));
    }
    clusterOf[i] = cluster;
  }
  // Clusters numbered in customer_id order: the master's rows are in that order from the start (no
  // reordering of filled columns), and compute's pass walks customers (and their orders) in it.
  const rank = customerIdRanks(customerId);
  const sortedIds = new Array<string>(customerId.length);
  for (let c = 0; c < customerId.length; c++) sortedIds[rank[c]] = customerId[c];
  for (let i = 0; i < n; i++) if (clusterOf[i] >= 0) clusterOf[i] = rank[clusterOf[i]];
  return { clusterOf, clusterCount: sortedIds.length, customerId: sortedIds, email, phone, phoneWritten, unreadablePhones, unreadableWithoutRegion, placeholders };
}

/**
 * Each id's position in customer_id order. Ids are `c_` and 16 hex digits: the first 13 (52 bits) are
 * an exact number, the first 4 of them pick one of 65,536 buckets (a counting sort), and each bucket's
 * handful is put in order by that number, the full id breaking ties. A million ids cost a few tens of
 * milliseconds, where a Map from keys to rows and a native sort cost two seconds.
 */
export function customerIdRanks(ids: readonly string[]): Int32Array {
  const n = ids.length;
  const keys = new Float64Array(n);
  const BUCKETS = 65_536;
  const BUCKET_WIDTH = 2 ** 36; // 52 − 16 bits
  const start = new Int32Array(BUCKETS + 1);
  for (let c = 0; c < n; c++) {
    const key = hexKey(ids[c]);
    if (key < 0) return rankByComparing(ids);
    keys[c] = key;
    start[Math.floor(key / BUCKET_WIDTH) + 1]++;
  }
  for (let b = 0; b < BUCKETS; b++) start[b + 1] += start[b];
  const fill = start.slice(0, BUCKETS);
  const order = new Int32Array(n);
  for (let c = 0; c < n; c++) order[fill[Math.floor(keys[c] / BUCKET_WIDTH)]++] = c;
  const before = (a: number, b: number) => keys[a] < keys[b] || (keys[a] === keys[b] && ids[a] < ids[b]);
  for (let b = 0; b < BUCKETS; b++) {
    for (let i = start[b] + 1; i < start[b + 1]; i++) {
      const c = order[i];
      let j = i - 1;
      while (j >= start[b] && before(c, order[j])) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = c;
    }
  }
  const rank = new Int32Array(n);
  for (let i = 0; i < n; i++) rank[order[i]] = i;
  return rank;
}

/** The first 13 hex digits of a `c_` + 16 lower-case hex digits id as a number; −1 for any other shape. */
function hexKey(id: string): number {
  if (id.length !== 18 || id.charCodeAt(0) !== 0x63 || id.charCodeAt(1) !== 0x5f) return -1;
  let key = 0;
  for (let i = 2; i < 18; i++) {
    const ch = id.charCodeAt(i);
    const digit = ch >= 0x30 && ch <= 0x39 ? ch - 0x30 : ch >= 0x61 && ch <= 0x66 ? ch - 0x57 : -1;
    if (digit < 0) return -1;
    if (i < 15) key = key * 16 + digit;
  }
  return key;
}

/** The general case (ids not of customerKey's shape): a comparison sort by the ids as strings. */
function rankByComparing(ids: readonly string[]): Int32Array {
  const order = Int32Array.from({ length: ids.length }, (_, i) => i);
  order.sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
  const rank = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) rank[order[i]] = i;
  return rank;
}

function olderThan(c: CustomerRecords, a: number, b: number): boolean {
  const ta = Number.isNaN(c.createdAt[a]) ? Infinity : c.createdAt[a];
  const tb = Number.isNaN(c.createdAt[b]) ? Infinity : c.createdAt[b];
  if (ta !== tb) return ta < tb;
  if (c.source[a] !== c.source[b]) return c.source[a] < c.source[b];
  return c.id[a] < c.id[b];
}
