/**
 * src/core/identity.ts: which source records are one person, and what that person is called. Records
 * are built by hand (no store, no loader); each expectation is worked out in its comment.
 */
import { describe, expect, it } from 'vitest';
import type { CustomerRecords } from '../../../src/core/computeInput.js';
import { customerIdRanks, customerKey, resolveIdentities, type IdentitySettings } from '../../../src/core/identity.js';

/** Source codes in the order of SOURCE_CODES: lightspeed 0, square 1, ecom 2. */
const SOURCE = { lightspeed: 0, square: 1, ecom: 2 } as const;

interface Person {
  source: keyof typeof SOURCE;
  id: string;
  created?: string;
  email?: string;
  phone?: string;
  mobile?: string;
  /** Index of the record this one was merged into at the source. */
  mergedInto?: number;
  /** Deleted without purchases: left out. */
  left?: boolean;
  region?: string;
}

function resolve(people: Person[], settings: Partial<IdentitySettings> = {}) {
  const n = people.length;
  const records: CustomerRecords = {
    count: n,
    source: Uint8Array.from(people, (p) => SOURCE[p.source]),
    id: people.map((p) => p.id),
    createdAt: Float64Array.from(people, (p) => (p.created ? Date.parse(p.created) : NaN)),
    firstName: people.map(() => undefined),
    lastName: people.map(() => undefined),
    company: people.map(() => undefined),
    email: people.map((p) => p.email),
    phone: people.map((p) => p.phone),
    mobile: people.map((p) => p.mobile),
    emailOptOut: new Uint8Array(n).fill(2),
    deleted: Uint8Array.from(people, (p) => (p.left ? 1 : 0)),
    mergedInto: Int32Array.from(people, (p) => p.mergedInto ?? -1),
  };
  const keep = Uint8Array.from(people, (p) => (p.left ? 0 : 1));
  const result = resolveIdentities(records, keep, { maxRecordsPerIdentifier: 20, ...settings }, people.map((p) => p.region));
  /** Records grouped by cluster, as sorted lists of ids; left-out records not listed. */
  const groups = () => {
    const byCluster = new Map<number, string[]>();
    people.forEach((p, i) => {
      const c = result.clusterOf[i];
      if (c >= 0) byCluster.set(c, [...(byCluster.get(c) ?? []), p.id]);
    });
    return [...byCluster.values()].map((ids) => ids.sort()).sort((a, b) => a[0].localeCompare(b[0]));
  };
  const keyOf = (i: number) => result.customerId[result.clusterOf[i]];
  return { ...result, groups, keyOf };
}

describe('customerKey', () => {
  it('is c_ and the first 16 hex digits of SHA-256 over "source:id"', () => {
    // printf 'lightspeed:42' | sha256sum -> b8d6a00cf1d856e8…; printf 'square:SQ-7' | sha256sum -> f9253a0dd4e06a3c…
    expect(customerKey('lightspeed', '42')).toBe('c_b8d6a00cf1d856e8');
    expect(customerKey('square', 'SQ-7')).toBe('c_f9253a0dd4e06a3c');
  });
});

describe('resolveIdentities: who is one person', () => {
  it('joins records whose e-mails are the same once trimmed and lower-cased, across sources', () => {
    const r = resolve([
      { source: 'lightspeed', id: 'L1', email: 'Anna@Example.com' },
      { source: 'square', id: 'S1', email: ' anna@example.COM ' },
      { source: 'ecom', id: 'E1', email: 'bob@example.com' },
    ]);
    expect(r.groups()).toEqual([['E1'], ['L1', 'S1']]);
    expect(r.clusterCount).toBe(2);
    expect(r.email).toEqual(['anna@example.com', 'anna@example.com', 'bob@example.com']);
  });

  it('joins by phone once each is read in its own region: +31 6 1234 5678 and 06-12345678 in NL', () => {
    const r = resolve([
      { source: 'lightspeed', id: 'L1', phone: '+31 6 1234 5678' },
      { source: 'square', id: 'S1', phone: '06-12345678', region: 'NL' },
      // The same digits where no region is known cannot be read, so they join no one.
      { source: 'ecom', id: 'E1', phone: '06-12345678' },
    ]);
    expect(r.groups()).toEqual([['E1'], ['L1', 'S1']]);
    expect(r.phone).toEqual(['+31612345678', '+31612345678', undefined]);
    expect(r.phoneWritten).toEqual([undefined, undefined, '06-12345678']);
    expect(r.unreadablePhones).toBe(1);
    expect(r.unreadableWithoutRegion).toBe(1);
  });

  it('joins by mobile too, and the phone column is the phone, else the mobile', () => {
    const r = resolve([
      { source: 'lightspeed', id: 'L1', phone: '+12015550123', mobile: '+447400123456' },
      { source: 'square', id: 'S1', phone: '+447400123456' },
      { source: 'ecom', id: 'E1', mobile: '+12015550199' },
    ]);
    expect(r.groups()).toEqual([['E1'], ['L1', 'S1']]);
    expect(r.phone).toEqual(['+12015550123', '+447400123456', '+12015550199']);
  });

  it('is transitive: A and B share an e-mail, B and C a phone, so A, B and C are one', () => {
    const r = resolve([
      { source: 'lightspeed', id: 'A', email: 'a@example.com' },
      { source: 'square', id: 'B', email: 'a@example.com', phone: '+12015550123' },
      { source: 'ecom', id: 'C', phone: '+1 (201) 555-0123' },
      { source: 'ecom', id: 'D', email: 'd@example.com' },
    ]);
    expect(r.groups()).toEqual([['A', 'B', 'C'], ['D']]);
  });

  it('treats an identifier on more records than maxRecordsPerIdentifier as a placeholder that joins no one', () => {
    // The shop's own address on four records, with the limit at 3: four people, one placeholder.
    const shop = 'info@shop.example';
    const r = resolve(
      ['1', '2', '3', '4'].map((id) => ({ source: 'lightspeed' as const, id, email: shop })),
      { maxRecordsPerIdentifier: 3 },
    );
    expect(r.groups()).toEqual([['1'], ['2'], ['3'], ['4']]);
    expect(r.placeholders).toEqual([shop]);
    // At the limit itself it is still an identifier.
    const atLimit = resolve(
      ['1', '2', '3'].map((id) => ({ source: 'lightspeed' as const, id, email: shop })),
      { maxRecordsPerIdentifier: 3 },
    );
    expect(atLimit.groups()).toEqual([['1', '2', '3']]);
    expect(atLimit.placeholders).toEqual([]);
  });

  it('joins a record the source merged into another, with nothing in common', () => {
    const r = resolve([
      { source: 'square', id: 'S-old', email: 'old@example.com', mergedInto: 1 },
      { source: 'square', id: 'S-new', email: 'new@example.com' },
    ]);
    expect(r.groups()).toEqual([['S-new', 'S-old']]);
  });

  it('leaves out a record deleted without purchases: it is in no cluster and bridges no one', () => {
    // L2 would join L1 (e-mail) and S1 (phone); left out, it joins neither and L1, S1 stay apart.
    const r = resolve([
      { source: 'lightspeed', id: 'L1', email: 'x@example.com' },
      { source: 'lightspeed', id: 'L2', email: 'x@example.com', phone: '+12015550123', left: true },
      { source: 'square', id: 'S1', phone: '+12015550123' },
      // A merge into a left-out record is not followed either.
      { source: 'square', id: 'S2', mergedInto: 1 },
    ]);
    expect(r.clusterOf[1]).toBe(-1);
    expect(r.groups()).toEqual([['L1'], ['S1'], ['S2']]);
    expect(r.clusterCount).toBe(3);
  });
});

describe('resolveIdentities: many identifiers (the table they are counted in)', () => {
  it('joins exactly the records that share one, among thousands, and lists placeholders in first-seen order', () => {
    // 6,000 records: record i (i < 2,000) shares its e-mail with record i + 2,000 and its mobile with
    // record i + 4,000, so each i makes one person of three records (2,000 people); 12,000 distinct
    // identifiers, enough that their slots in the table collide. Then 25 records share a phone
    // (over maxRecordsPerIdentifier 20: a placeholder that joins nothing), and 25 more share an e-mail,
    // seen after it.
    const people: Person[] = [];
    for (let i = 0; i < 6000; i++) {
      const j = i % 2000;
      people.push({ source: 'lightspeed', id: `R${i}`, email: i < 4000 ? `p${j}@example.com` : undefined, mobile: i < 2000 || i >= 4000 ? `+6421${String(100000 + j)}` : undefined });
    }
    for (let i = 0; i < 25; i++) people.push({ source: 'square', id: `S${i}`, phone: '+6495550000' });
    for (let i = 0; i < 25; i++) people.push({ source: 'square', id: `T${i}`, email: 'shop@example.com' });
    const r = resolve(people);
    expect(r.clusterCount).toBe(2000 + 50);
    for (let j = 0; j < 2000; j += 97) {
      expect(r.clusterOf[j + 2000]).toBe(r.clusterOf[j]);
      expect(r.clusterOf[j + 4000]).toBe(r.clusterOf[j]);
      expect(r.clusterOf[j + 1]).not.toBe(r.clusterOf[j]);
    }
    expect(r.placeholders).toEqual(['+6495550000', 'shop@example.com']);
  });
});

describe('resolveIdentities: what the person is called', () => {
  it('after the oldest record of the cluster', () => {
    const r = resolve([
      { source: 'lightspeed', id: 'L1', created: '2024-05-01T00:00:00Z', email: 'p@example.com' },
      { source: 'square', id: 'S1', created: '2023-01-01T00:00:00Z', email: 'p@example.com' },
    ]);
    expect(r.keyOf(0)).toBe(customerKey('square', 'S1'));
    expect(r.keyOf(1)).toBe(customerKey('square', 'S1'));
  });

  it('a record without a creation time counts as the newest', () => {
    const r = resolve([
      { source: 'lightspeed', id: 'L1', email: 'p@example.com' },
      { source: 'ecom', id: 'E1', created: '2025-01-01T00:00:00Z', email: 'p@example.com' },
    ]);
    expect(r.keyOf(0)).toBe(customerKey('ecom', 'E1'));
  });

  it('on equal times, the source first in lightspeed, square, ecom order, then the smaller id', () => {
    const same = '2024-01-01T00:00:00Z';
    const bySource = resolve([
      { source: 'ecom', id: 'E1', created: same, email: 'p@example.com' },
      { source: 'square', id: 'S1', created: same, email: 'p@example.com' },
    ]);
    expect(bySource.keyOf(0)).toBe(customerKey('square', 'S1'));
    const byId = resolve([
      { source: 'lightspeed', id: 'b', created: same, email: 'p@example.com' },
      { source: 'lightspeed', id: 'a', created: same, email: 'p@example.com' },
    ]);
    expect(byId.keyOf(0)).toBe(customerKey('lightspeed', 'a'));
  });

  it('does not depend on the order of the records', () => {
    const people: Person[] = [
      { source: 'lightspeed', id: 'L1', created: '2024-05-01T00:00:00Z', email: 'p@example.com' },
      { source: 'square', id: 'S1', created: '2023-01-01T00:00:00Z', phone: '+12015550123', email: 'p@example.com' },
      { source: 'ecom', id: 'E1', phone: '+12015550123' },
      { source: 'ecom', id: 'E2', email: 'q@example.com' },
    ];
    const forward = resolve(people);
    const backward = resolve([...people].reverse());
    const keys = (r: ReturnType<typeof resolve>, list: Person[]) => Object.fromEntries(list.map((p, i) => [p.id, r.keyOf(i)]));
    expect(keys(backward, [...people].reverse())).toEqual(keys(forward, people));
    expect(forward.keyOf(2)).toBe(customerKey('square', 'S1'));
  });
});

describe('customerIdRanks: clusters are numbered in customer_id order', () => {
  const byStrings = (ids: string[]) => {
    const rank = new Map([...ids].sort().map((id, i) => [id, i]));
    return ids.map((id) => rank.get(id));
  };

  it('ranks customer keys as sorting the strings would, ties in the first 13 hex digits included', () => {
    const ids = Array.from({ length: 5_000 }, (_, i) => customerKey('lightspeed', `L${i}`));
    // Same first 52 bits, different last digits; and the ends of the key range.
    ids.push('c_abcdef0123456fff', 'c_abcdef0123456f00', 'c_abcdef012345600a', 'c_0000000000000000', 'c_ffffffffffffffff');
    expect(Array.from(customerIdRanks(ids))).toEqual(byStrings(ids));
  });

  it('falls back to comparing the strings when an id is of another shape', () => {
    const ids = [customerKey('square', 'S1'), 'legacy-7', customerKey('ecom', 'E1'), 'c_XYZ'];
    expect(Array.from(customerIdRanks(ids))).toEqual(byStrings(ids));
  });

  it('numbers resolved customers in customer_id order', () => {
    const n = 300;
    const customers: CustomerRecords = {
      count: n,
      id: Array.from({ length: n }, (_, i) => `R${i}`),
      source: new Uint8Array(n),
      createdAt: new Float64Array(n).fill(NaN),
      email: new Array(n).fill(undefined),
      phone: new Array(n).fill(undefined),
      mobile: new Array(n).fill(undefined),
      mergedInto: new Int32Array(n).fill(-1),
      deleted: new Uint8Array(n),
    } as unknown as CustomerRecords;
    const r = resolveIdentities(customers, new Uint8Array(n).fill(1), { maxRecordsPerIdentifier: 20 }, new Array(n).fill(undefined));
    expect(r.customerId).toEqual([...r.customerId].sort());
    for (let i = 0; i < n; i++) expect(r.customerId[r.clusterOf[i]]).toBe(customerKey('lightspeed', `R${i}`));
  });
});
