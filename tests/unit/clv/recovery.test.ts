/**
 * Parameter recovery: simulate customers from known parameters (seeded, so the data are fixed), fit, and
 * require the truth within the stated tolerance. The tolerances are several standard errors wide, so only
 * a biased likelihood or a fitter that stops early fails them.
 */
import { describe, expect, it } from 'vitest';
import {
  bgnbdStandardErrors,
  bgnbdTotalLogLikelihood,
  compressPatterns,
  createRandom,
  fitBgNbd,
  fitGammaGamma,
  simulateBgNbd,
  type BgNbdParams,
} from '../../../src/core/clv/index.js';

const NAMES = ['r', 'alpha', 'a', 'b'] as const;

/** Cohorts joining over a year, observed to a common end: T in whole days, expressed in weeks. */
function cohortAges(n: number, seed: number): Float64Array {
  const rng = createRandom(seed);
  return Float64Array.from({ length: n }, () => (26 * 7 + Math.floor(rng.uniform() * 365)) / 7);
}

describe('BG/NBD recovers simulated parameters (20,000 customers)', () => {
  // [truth, seed, relative tolerance]. The last population is hard: few drop-outs to learn a and b from
  // (their standard errors are ~15 % of the values), hence the wider band.
  it.each([
    [{ r: 0.25, alpha: 4, a: 0.8, b: 2.5 }, 11, 0.12],
    [{ r: 0.8, alpha: 6, a: 1.5, b: 4 }, 12, 0.12],
    [{ r: 2, alpha: 20, a: 0.4, b: 6 }, 13, 0.4],
  ])('%j', (truth: BgNbdParams, seed: number, tolerance: number) => {
    const T = cohortAges(20_000, seed);
    const sim = simulateBgNbd(truth, T, { seed: seed * 7 });
    const fit = fitBgNbd(sim);
    if (!fit.ok) throw new Error(fit.reason);
    const se = bgnbdStandardErrors(fit.params, sim) as BgNbdParams;
    for (const name of NAMES) {
      // Stated tolerance: within 4 standard errors and within the relative band.
      expect(Math.abs(fit.params[name] - truth[name])).toBeLessThan(4 * se[name]);
      expect(Math.abs(fit.params[name] / truth[name] - 1)).toBeLessThan(tolerance);
    }
  });

  it('fits compressed patterns with weights exactly like the customers they stand for', () => {
    const T = cohortAges(20_000, 5).map((t) => Math.round(t));
    const sim = simulateBgNbd({ r: 0.5, alpha: 3, a: 0.9, b: 3 }, T, { seed: 9 });
    // Whole-week recency so that customers share patterns.
    const recency = sim.recency.map((t) => Math.floor(t));
    const customers = { frequency: sim.frequency, recency, T };
    const patterns = compressPatterns(customers);
    expect(patterns.weight.length).toBeLessThan(10_000);
    expect(patterns.weight.reduce((s, w) => s + w, 0)).toBe(20_000);
    const direct = fitBgNbd(customers);
    const weighted = fitBgNbd(patterns);
    if (!direct.ok || !weighted.ok) throw new Error('fit failed');
    for (const name of NAMES) expect(weighted.params[name]).toBeCloseTo(direct.params[name], 8);
    expect(bgnbdTotalLogLikelihood(direct.params, patterns)).toBeCloseTo(direct.logLikelihood, 6);
  });
});

describe('Gamma-Gamma recovers simulated parameters (20,000 repeat buyers)', () => {
  it('p 6, q 4, γ 15 (pymc-marketing’s synthetic setting)', () => {
    const truth = { p: 6, q: 4, gamma: 15 };
    const rng = createRandom(31);
    const n = 20_000;
    const frequency = new Float64Array(n);
    const monetaryValue = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = 1 + Math.floor(rng.uniform() * 6);
      const nu = rng.gamma(truth.q, truth.gamma);
      let total = 0;
      for (let j = 0; j < x; j++) total += rng.gamma(truth.p, nu);
      frequency[i] = x;
      monetaryValue[i] = total / x;
    }
    const fit = fitGammaGamma({ frequency, monetaryValue });
    if (!fit.ok) throw new Error(fit.reason);
    // Stated tolerance: 15 % (pymc-marketing uses 30 % with 1,000 customers).
    expect(Math.abs(fit.params.p / truth.p - 1)).toBeLessThan(0.15);
    expect(Math.abs(fit.params.q / truth.q - 1)).toBeLessThan(0.15);
    expect(Math.abs(fit.params.gamma / truth.gamma - 1)).toBeLessThan(0.15);
    // The population mean spend pγ/(q−1) = 30 is pinned down far better than the parameters themselves.
    const mean = (fit.params.p * fit.params.gamma) / (fit.params.q - 1);
    expect(Math.abs(mean / 30 - 1)).toBeLessThan(0.03);
  });
});
