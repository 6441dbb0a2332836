/** Data that cannot support a fit: ok:false with a sentence for people, never a throw, never NaN. */
import { describe, expect, it } from 'vitest';
import { createRandom, fitBgNbd, fitGammaGamma, fitPurchaseModel, type FitResult } from '../../../src/core/clv/index.js';

function reasonOf<P>(r: FitResult<P>): string {
  if (r.ok) throw new Error(`expected a failed fit, got ${JSON.stringify(r.params)}`);
  return r.reason;
}

describe('fitBgNbd on data that cannot support it', () => {
  it.each([
    ['all one-time buyers', { frequency: Array(500).fill(0), recency: Array(500).fill(0), T: Array.from({ length: 500 }, (_, i) => 1 + (i % 40)) }, /repeat purchase/],
    ['3 customers', { frequency: [2, 0, 5], recency: [10, 0, 30], T: [20, 15, 31] }, /only 2 customer/],
    ['no customers', { frequency: [], recency: [], T: [] }, /no customers/],
    ['identical histories', { frequency: Array(100).fill(3), recency: Array(100).fill(10), T: Array(100).fill(20) }, /same purchase history/],
    ['recency after T', { frequency: [1, 2], recency: [30, 3], T: [20, 20] }, /invalid data/],
    ['NaN frequency', { frequency: [Number.NaN], recency: [0], T: [3] }, /invalid data/],
    ['recency without repeat purchases', { frequency: [0], recency: [2], T: [3] }, /invalid data/],
    ['negative weight', { frequency: [1], recency: [2], T: [3], weight: [-1] }, /invalid data/],
    ['columns of different lengths', { frequency: [1, 2], recency: [2], T: [3] }, /differ in length/],
  ])('%s', (_label, data, reason) => {
    expect(reasonOf(fitBgNbd(data))).toMatch(reason);
  });

  it('respects minRepeatBuyers', () => {
    const data = {
      frequency: Array.from({ length: 60 }, (_, i) => (i < 25 ? 1 + (i % 4) : 0)),
      recency: Array.from({ length: 60 }, (_, i) => (i < 25 ? 2 + (i % 7) : 0)),
      T: Array.from({ length: 60 }, (_, i) => 10 + (i % 5)),
    };
    expect(reasonOf(fitBgNbd(data, { minRepeatBuyers: 30 }))).toMatch(/only 25 customer\(s\).*at least 30/);
  });

  it('reports a boundary solution when nobody ever drops out and everyone buys at one rate', () => {
    // Homogeneous Poisson buyers without drop-out: the MLE sends r, α → ∞ (no heterogeneity) and π → 0.
    const rng = createRandom(5);
    const frequency: number[] = [];
    const recency: number[] = [];
    const T: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const age = 20 + rng.uniform() * 20;
      let t = 0;
      let x = 0;
      let last = 0;
      for (;;) {
        t += rng.exponential(0.5);
        if (t > age) break;
        x++;
        last = t;
      }
      frequency.push(x);
      recency.push(last);
      T.push(age);
    }
    expect(reasonOf(fitBgNbd({ frequency, recency, T }))).toMatch(/boundary solution/);
    // a → 0 comes with r, α → ∞ here: not the no-drop-out limit alone, so no NBD stands in for it.
    const family = fitPurchaseModel('bgnbd', { frequency, recency, T });
    expect(family.ok).toBe(false);
    expect(!family.ok && family.reason).toMatch(/boundary solution/);
  });
});

describe('fitGammaGamma on data that cannot support it', () => {
  it.each([
    ['fewer than 20 repeat buyers', { frequency: [1, 2, 3, 0], monetaryValue: [10, 20, 30, 0] }, /only 3 repeat buyer/],
    ['identical average spend', { frequency: Array(50).fill(2), monetaryValue: Array(50).fill(25) }, /same average spend/],
    ['no positive spend', { frequency: Array(50).fill(2), monetaryValue: Array(50).fill(0) }, /only 0 repeat buyer/],
    ['fractional frequency', { frequency: [1.5], monetaryValue: [3] }, /invalid data/],
    ['columns of different lengths', { frequency: [1, 2], monetaryValue: [3] }, /differ in length/],
  ])('%s', (_label, data, reason) => {
    expect(reasonOf(fitGammaGamma(data))).toMatch(reason);
  });

  it('reports a boundary solution when every purchase of every customer has the same value spread', () => {
    // Spend varies only through x: z̄ = 10 + 1/x. No customer heterogeneity to estimate.
    const frequency = Array.from({ length: 200 }, (_, i) => 1 + (i % 5));
    const monetaryValue = frequency.map((x) => 10 + 1 / x);
    expect(reasonOf(fitGammaGamma({ frequency, monetaryValue }))).toMatch(/boundary solution/);
  });
});
