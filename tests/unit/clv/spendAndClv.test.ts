import { describe, expect, it } from 'vitest';
import {
  bgnbdConditionalExpectedPurchases,
  customerLifetimeValue,
  gammaGammaExpectedSpend,
  gammaGammaLogLikelihood,
  holdoutComparison,
  periodsPerMonth,
  predictClv,
  type BgNbdParams,
} from '../../../src/core/clv/index.js';

describe('Gamma-Gamma formulas', () => {
  const g = { p: 2, q: 3, gamma: 4 };

  it('log-density by hand: x = 2, z̄ = 5', () => {
    // Γ(7)/(Γ(4)Γ(3)) = 720/12 = 60; γ^q = 64; x^{px} = 2^4 = 16; z̄^{px−1} = 125; (γ + x z̄)^{px+q} = 14^7
    expect(gammaGammaLogLikelihood(g, 2, 5)).toBeCloseTo(Math.log((60 * 64 * 16 * 125) / Math.pow(14, 7)), 12);
  });

  it('the density of z̄ integrates to 1', () => {
    // Midpoint rule on u = z/(1+z) ∈ (0,1), dz = du/(1−u)²
    const steps = 200_000;
    let total = 0;
    for (let k = 0; k < steps; k++) {
      const u = (k + 0.5) / steps;
      const z = u / (1 - u);
      total += Math.exp(gammaGammaLogLikelihood(g, 3, z) as number) / (1 - u) ** 2 / steps;
    }
    expect(total).toBeCloseTo(1, 6);
  });

  it.each([
    [2, 5, 28 / 6], // p(γ + x z̄)/(px + q − 1) = 2·14/6
    [0, 0, 4], // population mean pγ/(q − 1) = 8/2
    [0, 123, 4], // z̄ is ignored without repeat purchases
  ])('E[M | x=%d, z̄=%d] = %d', (x, z, expected) => {
    expect(gammaGammaExpectedSpend(g, x, z)).toBeCloseTo(expected, 12);
  });

  it('is undefined where the model has no answer', () => {
    expect(gammaGammaExpectedSpend({ p: 2, q: 0.8, gamma: 4 }, 0, 0)).toBeUndefined(); // q ≤ 1: no population mean
    expect(gammaGammaExpectedSpend(g, 2, -5)).toBeUndefined();
    expect(gammaGammaExpectedSpend(g, 2, Number.NaN)).toBeUndefined();
    expect(gammaGammaLogLikelihood(g, 0, 5)).toBeUndefined();
  });
});

describe('customerLifetimeValue', () => {
  const bg: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
  const model = { name: 'bgnbd', params: bg } as const;
  const gg = { p: 6.25, q: 3.74, gamma: 15.44 };
  const [x, tx, T, zbar] = [4, 20, 30, 40];
  const spend = gammaGammaExpectedSpend(gg, x, zbar) as number;
  const Y = (t: number): number => bgnbdConditionalExpectedPurchases(bg, t, x, tx, T) as number;

  it('one month: E[M]·E[Y(Δ)]/(1+d)', () => {
    const v = customerLifetimeValue(model, gg, x, tx, T, zbar, { periodsPerMonth: 4.345, months: 1, monthlyDiscountRate: 0.02 });
    expect(v).toBeCloseTo((spend * Y(4.345)) / 1.02, 10);
  });

  it('two months: each month’s increment discounted by its own factor', () => {
    const v = customerLifetimeValue(model, gg, x, tx, T, zbar, { periodsPerMonth: 4.345, months: 2, monthlyDiscountRate: 0.02 });
    expect(v).toBeCloseTo(spend * (Y(4.345) / 1.02 + (Y(8.69) - Y(4.345)) / 1.02 ** 2), 10);
  });

  it('without discounting the sum telescopes to E[M]·E[Y(HΔ)]', () => {
    const v = customerLifetimeValue(model, gg, x, tx, T, zbar, { periodsPerMonth: 4.345, months: 24, monthlyDiscountRate: 0 });
    expect(v).toBeCloseTo(spend * Y(24 * 4.345), 9);
  });

  it('periodsPerMonth is the calendar average', () => {
    expect(periodsPerMonth(1)).toBeCloseTo(30.4375, 12);
    expect(periodsPerMonth(7)).toBeCloseTo(30.4375 / 7, 12);
  });

  it('predictClv gives the single-customer values, and undefined where one is impossible', () => {
    const options = { periodsPerMonth: 4.345 };
    const values = predictClv(model, { ...gg, q: 0.9 }, { frequency: [4, 0, 2], recency: [20, 0, 40], T: [30, 10, 30], monetaryValue: [40, 0, 10] }, options);
    expect(values[0]).toBeCloseTo(customerLifetimeValue(model, { ...gg, q: 0.9 }, 4, 20, 30, 40, options) as number, 12);
    expect(values[1]).toBeUndefined(); // x = 0 and q < 1: no expected spend
    expect(values[2]).toBeUndefined(); // t_x > T
    expect(predictClv(model, gg, { frequency: [1], recency: [1], T: [2], monetaryValue: [5] }, { periodsPerMonth: 0 })).toEqual([undefined]);
  });
});

describe('holdoutComparison', () => {
  const bg: BgNbdParams = { r: 0.5, alpha: 5, a: 0.9, b: 3 };
  const model = { name: 'bgnbd', params: bg } as const;
  it('groups by calibration repeat purchases with the last group open-ended', () => {
    const data = {
      frequency: [0, 0, 1, 3, 9, 12],
      recency: [0, 0, 5, 8, 20, 25],
      T: [10, 20, 20, 20, 30, 30],
      holdoutFrequency: [1, 0, 2, 0, 4, 7],
      holdoutDuration: 13,
    };
    const groups = holdoutComparison(model, data, { lastGroup: 3 });
    const predict = (i: number): number =>
      bgnbdConditionalExpectedPurchases(bg, 13, data.frequency[i], data.recency[i], data.T[i]) as number;
    expect(groups.map((g) => [g.label, g.customers, g.meanActual])).toEqual([
      ['0', 2, 0.5],
      ['1', 1, 2],
      ['3+', 3, 11 / 3],
    ]);
    expect(groups[0].meanPredicted).toBeCloseTo((predict(0) + predict(1)) / 2, 12);
    expect(groups[2].meanPredicted).toBeCloseTo((predict(3) + predict(4) + predict(5)) / 3, 12);
  });
});
