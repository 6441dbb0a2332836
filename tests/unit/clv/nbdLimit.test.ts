/**
 * The no-drop-out limit (issue 13): a shop whose data show no drop-out yet sends BG/NBD's a → 0, and the
 * model converges to the NBD (P(alive) = 1, E[Y(t) | x, T] = (r + x) t/(α + T)). The formulas are checked by
 * hand and as limits of the three drop-out models; a simulated shop without drop-out must be predicted by
 * the NBD instead of being refused (other boundaries are still refused: degenerate.test.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  bgnbdConditionalExpectedPurchases,
  bgnbdLogLikelihood,
  bgnbdProbabilityAlive,
  chooseModel,
  createRandom,
  fitBgNbd,
  fitPurchaseModel,
  mbgnbdConditionalExpectedPurchases,
  mbgnbdLogLikelihood,
  mbgnbdProbabilityAlive,
  nbdConditionalExpectedPurchases,
  nbdExpectedPurchases,
  nbdLogLikelihood,
  paretoNbdConditionalExpectedPurchases,
  paretoNbdLogLikelihood,
  paretoNbdProbabilityAlive,
  predictCustomers,
  simulateNbd,
  type PurchaseModel,
} from '../../../src/core/clv/index.js';
import { countingStandardErrors } from '../../../src/core/clv/countingFit.js';
import { NBD_MODEL } from '../../../src/core/clv/nbd.js';
import { independentMaximum } from './independentMaximum.js';

const nbd = { r: 0.5, alpha: 10 };

describe('NBD formulas', () => {
  it('log-likelihood by hand: x = 2, T = 30 (t_x plays no part)', () => {
    // Γ(r+2)/Γ(r) = r(r+1) = 0.75; α^r = √10; (α+T)^{−(r+x)} = 40^{−2.5}
    const expected = Math.log(0.75 * Math.sqrt(10) * Math.pow(40, -2.5));
    expect(nbdLogLikelihood(nbd, 2, 12, 30)).toBeCloseTo(expected, 12);
    expect(nbdLogLikelihood(nbd, 2, 29, 30)).toBeCloseTo(expected, 12);
  });

  it('E[Y(t) | x, T] = (r + x) t/(α + T) and E[X(t)] = r t/α, by hand', () => {
    expect(nbdConditionalExpectedPurchases(nbd, 52, 3, 40)).toBeCloseTo((3.5 * 52) / 50, 12);
    expect(nbdExpectedPurchases(nbd, 52)).toBeCloseTo((0.5 * 52) / 10, 12);
  });

  it('E[Y(t) | x, T] is t times the posterior mean rate, integrated numerically', () => {
    // Posterior ∝ λ^{r+x−1} e^{−λ(α+T)}: ∫ λ·post / ∫ post by the midpoint rule on λ = u/(1−u).
    const [x, T, t] = [4, 25, 13];
    let top = 0;
    let bottom = 0;
    const steps = 400_000;
    for (let k = 0; k < steps; k++) {
      const u = (k + 0.5) / steps;
      const lambda = u / (1 - u);
      const density = Math.pow(lambda, nbd.r + x - 1) * Math.exp(-lambda * (nbd.alpha + T)) / (1 - u) ** 2;
      top += lambda * density;
      bottom += density;
    }
    expect(nbdConditionalExpectedPurchases(nbd, t, x, T)).toBeCloseTo((t * top) / bottom, 8);
  });

  it.each([
    [0, 0, 20],
    [3, 15, 20],
    [12, 19.5, 20],
  ])('is the limit of BG/NBD and MBG/NBD as a → 0 and of Pareto/NBD as s → 0 or β → ∞ (x=%d, t_x=%d, T=%d)', (x, tx, T) => {
    const bg = { r: nbd.r, alpha: nbd.alpha, a: 1e-10, b: 3 };
    const limitLl = nbdLogLikelihood(nbd, x, tx, T) as number;
    const limitY = nbdConditionalExpectedPurchases(nbd, 26, x, T) as number;
    for (const [ll, alive, y] of [
      [bgnbdLogLikelihood(bg, x, tx, T), bgnbdProbabilityAlive(bg, x, tx, T), bgnbdConditionalExpectedPurchases(bg, 26, x, tx, T)],
      [mbgnbdLogLikelihood(bg, x, tx, T), mbgnbdProbabilityAlive(bg, x, tx, T), mbgnbdConditionalExpectedPurchases(bg, 26, x, tx, T)],
      ...[
        { r: nbd.r, alpha: nbd.alpha, s: 1e-10, beta: 4 },
        { r: nbd.r, alpha: nbd.alpha, s: 0.7, beta: 1e12 },
      ].map((p) => [paretoNbdLogLikelihood(p, x, tx, T), paretoNbdProbabilityAlive(p, x, tx, T), paretoNbdConditionalExpectedPurchases(p, 26, x, tx, T)]),
    ]) {
      expect(Math.abs((ll as number) - limitLl)).toBeLessThan(1e-8);
      expect(1 - (alive as number)).toBeLessThan(1e-8);
      expect(Math.abs((y as number) / limitY - 1)).toBeLessThan(1e-8);
    }
  });
});

describe('a shop with a year of history and no drop-out yet', () => {
  // Issue 13's retail data: about 4,300 customers over one year, 2,800 repeat buyers; an independent fit gave
  // r ≈ 0.83, α ≈ 69 days. Simulated with those values (weeks), first purchases spread over the year.
  const truth = { r: 0.83, alpha: 69 / 7 };
  const rng = createRandom(13);
  const T = Float64Array.from({ length: 4300 }, () => (365 - Math.floor(rng.uniform() * 365)) / 7);
  const sim = simulateNbd(truth, T, { seed: 14 });
  const history = { frequency: sim.frequency, recency: sim.recency.map((t) => Math.floor(t * 7) / 7), T };

  it('has the issue’s shape', () => {
    const repeat = history.frequency.filter((x) => x > 0).length;
    expect(repeat).toBeGreaterThan(2400);
    expect(repeat).toBeLessThan(3000);
  });

  it('BG/NBD alone runs to a → 0 and says so', () => {
    const fit = fitBgNbd(history);
    expect(fit.ok).toBe(false);
    expect('noDropOut' in fit && fit.noDropOut.reason).toMatch(/a → 0/);
  });

  it.each(['bgnbd', 'mbgnbd', 'paretonbd'] as const)('%s becomes the NBD, at its maximum, near the truth', (family) => {
    const fit = fitPurchaseModel(family, history);
    if (!fit.ok) throw new Error(fit.reason);
    expect(fit.model.name).toBe('nbd');
    expect(fit.limit).toMatch(/→ .*: no drop-out in the data/);
    const p = fit.model.params as { r: number; alpha: number };
    const se = countingStandardErrors(NBD_MODEL, p, history) as { r: number; alpha: number };
    expect(Math.abs(p.r - truth.r)).toBeLessThan(4 * se.r);
    expect(Math.abs(p.alpha - truth.alpha)).toBeLessThan(4 * se.alpha);
    const ll = (theta: number[]): number =>
      history.frequency.reduce((s, x, i) => s + (nbdLogLikelihood({ r: Math.exp(theta[0]), alpha: Math.exp(theta[1]) }, x, history.recency[i], T[i]) as number), 0);
    const best = independentMaximum(ll, [Math.log(1), Math.log(8)]);
    expect(Math.abs(fit.logLikelihood - best.value)).toBeLessThan(1e-3);
  });

  it('predicts with the limit formulas: P(alive) = 1, E[Y(t)] = (r + x) t/(α + T)', () => {
    const choice = chooseModel(history, undefined, { setting: 'auto' });
    if (!choice.fit.ok) throw new Error(choice.fit.reason);
    const model = choice.fit.model as Extract<PurchaseModel, { name: 'nbd' }>;
    expect(model.name).toBe('nbd');
    const predictions = predictCustomers(model, history, 52);
    for (const i of [0, 1, 2, 100, 4299]) {
      expect(predictions.probabilityAlive[i]).toBe(1);
      const { r, alpha } = model.params;
      expect(predictions.expectedPurchases[i]).toBeCloseTo(((r + history.frequency[i]) * 52) / (alpha + T[i]), 12);
    }
  });
});
