import { describe, expect, it } from 'vitest';
import { compressPatterns, createRandom, DistinctTuples } from '../../../src/core/clv/index.js';

/** What the compression did with Maps before: the reference the hash table must match exactly. */
function withMaps(x: number[], tx: number[], T: number[], weight?: number[], include?: number[]) {
  const at = new Map<string, number>();
  const key = (v: number) => (Number.isNaN(v) ? 'NaN' : String(v === 0 ? 0 : v));
  const out = { frequency: [] as number[], recency: [] as number[], T: [] as number[], weight: [] as number[] };
  for (let i = 0; i < x.length; i++) {
    if (include !== undefined && include[i] !== 1) continue;
    const k = `${key(x[i])}|${key(tx[i])}|${key(T[i])}`;
    const w = weight === undefined ? 1 : weight[i];
    const j = at.get(k);
    if (j === undefined) {
      at.set(k, out.weight.length);
      out.frequency.push(x[i]);
      out.recency.push(tx[i]);
      out.T.push(T[i]);
      out.weight.push(w);
    } else out.weight[j] += w;
  }
  return out;
}

describe('compressPatterns', () => {
  it('gives the patterns in order of first appearance with summed weights, as Map keys would', () => {
    const rng = createRandom(3);
    const n = 50_000;
    const x: number[] = [];
    const tx: number[] = [];
    const T: number[] = [];
    const weight: number[] = [];
    const include: number[] = [];
    for (let i = 0; i < n; i++) {
      const f = Math.floor(rng.uniform() * 6);
      const age = Math.floor(rng.uniform() * 400) / 7;
      x.push(f);
      tx.push(f === 0 ? 0 : Math.floor(rng.uniform() * age * 7) / 7);
      T.push(age);
      weight.push(0.5 + Math.floor(rng.uniform() * 4));
      include.push(rng.uniform() < 0.9 ? 1 : 0);
    }
    const got = compressPatterns({ frequency: x, recency: tx, T, weight, include });
    const want = withMaps(x, tx, T, weight, include);
    expect(got.weight.length).toBe(want.weight.length);
    expect(Array.from(got.frequency)).toEqual(want.frequency);
    expect(Array.from(got.recency)).toEqual(want.recency);
    expect(Array.from(got.T)).toEqual(want.T);
    expect(Array.from(got.weight)).toEqual(want.weight);
  });

  it('treats +0 and −0 as one value and NaN as one value, keeping the first one seen', () => {
    const got = compressPatterns({ frequency: [0, 0, 1, 1, 1], recency: [-0, 0, NaN, NaN, 2], T: [5, 5, 5, 5, 5] });
    expect(Array.from(got.weight)).toEqual([2, 2, 1]);
    expect(Object.is(got.recency[0], -0)).toBe(true);
    expect(Number.isNaN(got.recency[1])).toBe(true);
  });
});

describe('DistinctTuples', () => {
  it('numbers single values by first appearance past many table growths', () => {
    const d = new DistinctTuples(1, 2);
    const values = Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 5_003);
    const ids = values.map((v) => d.id(v));
    const first = new Map<number, number>();
    for (const v of values) if (!first.has(v)) first.set(v, first.size);
    expect(ids).toEqual(values.map((v) => first.get(v)));
    expect(Array.from(d.column(0))).toEqual([...first.keys()]);
  });
});
