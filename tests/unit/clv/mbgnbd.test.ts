/**
 * Modified BG/NBD (Batislam, Denizel & Filiztekin 2007): the published CDNOW estimates, lifetimes' checks,
 * and independent numerical checks of the likelihood and of the conditional expectation.
 */
import { describe, expect, it } from 'vitest';
import {
  createRandom,
  fitMbgNbd,
  lbeta,
  lgamma,
  mbgnbdConditionalExpectedPurchases,
  mbgnbdExpectedPurchases,
  mbgnbdLogLikelihood,
  mbgnbdProbabilityAlive,
  simulateMbgNbd,
  type BgNbdParams,
} from '../../../src/core/clv/index.js';
import { MBGNBD_MODEL } from '../../../src/core/clv/bgnbdFit.js';
import { countingStandardErrors } from '../../../src/core/clv/countingFit.js';
import { readCdnowSummary } from '../../fixtures/clv/cdnow.js';
import { simpson, totalProbability } from './likelihoodChecks.js';

const LIFETIMES = 'CamDavidsonPilon/lifetimes tests/test_estimation.py @ 4f2833f4518621343bb6983eb3e540c11f66ec6a, class TestModifiedBetaGammaFitter';

const file = readCdnowSummary();
const history = { frequency: file.map((r) => r.x), recency: file.map((r) => r.tx), T: file.map((r) => r.T) };
const fit = fitMbgNbd(history);
if (!fit.ok) throw new Error(fit.reason);
const mle = fit.params;

describe('MBG/NBD on CDNOW (lifetimes’ 2-decimal summary, as lifetimes fits it)', () => {
  it('recovers BTYDplus’ estimates r 0.525, α 6.183, a 0.891, b 1.614', () => {
    // Source: LIFETIMES.test_params_out_is_close_to_BTYDplus ("See https://github.com/mplatzer/BTYDplus"):
    // expected = [0.525, 6.183, 0.891, 1.614], assert_array_almost_equal(..., decimal=3), i.e. |diff| < 1.5e-3.
    const published = [0.525, 6.183, 0.891, 1.614];
    [mle.r, mle.alpha, mle.a, mle.b].forEach((v, i) => expect(Math.abs(v - published[i])).toBeLessThan(1.5e-3));
  });

  it('predicts like lifetimes’ checks against Hardie’s BG/NBD spreadsheet (their tolerances)', () => {
    // LIFETIMES.test_conditional_expectation_returns_same_value_as_Hardie_excel_sheet: 1.226, |diff| < 0.05.
    expect(Math.abs((mbgnbdConditionalExpectedPurchases(mle, 39, 2, 30.43, 38.86) as number) - 1.226)).toBeLessThan(0.05);
    // LIFETIMES.test_expectation_returns_same_value_Hardie_excel_sheet: assert_allclose(rtol=0.05).
    const times = [0.1429, 1.0, 3.0, 31.8571, 32.0, 78.0];
    const expected = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576];
    times.forEach((t, i) => expect(Math.abs((mbgnbdExpectedPurchases(mle, t) as number) / expected[i] - 1)).toBeLessThan(0.05));
  });

  it('gives one-time buyers P(alive) < 1, falling with the time since their purchase', () => {
    // LIFETIMES.test_conditional_probability_alive_returns_lessthan_1_if_no_repeat_purchases (which passes
    // recency 1 with frequency 0; here a one-time buyer has t_x = 0).
    const week = mbgnbdProbabilityAlive(mle, 0, 0, 1) as number;
    const year = mbgnbdProbabilityAlive(mle, 0, 0, 52) as number;
    expect(week).toBeLessThan(1);
    expect(year).toBeLessThan(week);
    // At T = 0 only the first purchase's drop-out chance applies: b/(a+b).
    expect(mbgnbdProbabilityAlive(mle, 0, 0, 0)).toBeCloseTo(mle.b / (mle.a + mle.b), 12);
  });
});

describe('MBG/NBD formulas, checked numerically', () => {
  const p: BgNbdParams = { r: 0.5, alpha: 5, a: 0.8, b: 2.5 };

  it('the likelihood is a distribution: P(X = x) over (0, T] adds up to 1', () => {
    expect(Math.abs(totalProbability({ name: 'mbgnbd', params: p }, 10, 120) - 1)).toBeLessThan(1e-10);
  });

  it.each([
    [0, 0, 20, 26],
    [3, 12, 20, 26],
    [8, 19, 20, 52],
  ])('E[Y(t) | x=%d, t_x=%d, T=%d] (t=%d) equals the posterior integral over the drop-out probability', (x, tx, T, t) => {
    // E[Y(t) | history] L = ∫∫ g(λ) h(p) (1−p)^{x+1} λ^x e^{−λT} (1 − e^{−λpt})/p dλ dp: alive after x + 1
    // chances to drop out, then (1 − e^{−λpt})/p purchases expected in t. The λ integral is closed:
    // Γ(r+x)/Γ(r) α^r [(α+T)^{−(r+x)} − (α+T+pt)^{−(r+x)}]; p = u^{1/a} removes h's singularity at 0.
    const k = p.r + x;
    const lnC = lgamma(k) - lgamma(p.r) + p.r * Math.log(p.alpha) - k * Math.log(p.alpha + T) - lbeta(p.a, p.b) - Math.log(p.a);
    const integrand = (u: number): number => {
      const q = Math.pow(u, 1 / p.a);
      // [1 − ((α+T)/(α+T+qt))^{k}]/q, with its limit k t/(α+T) at q = 0
      const bracket = q === 0 ? (k * t) / (p.alpha + T) : -Math.expm1(-k * Math.log1p((q * t) / (p.alpha + T))) / q;
      return Math.pow(1 - q, p.b + x) * bracket;
    };
    const expected = Math.exp(lnC) * simpson(integrand, 0, 1, 200_000) / Math.exp(mbgnbdLogLikelihood(p, x, tx, T) as number);
    expect(Math.abs((mbgnbdConditionalExpectedPurchases(p, t, x, tx, T) as number) / expected - 1)).toBeLessThan(1e-7);
  });
});

describe('MBG/NBD recovers simulated parameters (20,000 customers)', () => {
  it('within 4 standard errors', () => {
    const truth = { r: 0.5, alpha: 6, a: 0.9, b: 1.6 };
    const rng = createRandom(3);
    const T = Float64Array.from({ length: 20_000 }, () => (26 * 7 + Math.floor(rng.uniform() * 365)) / 7);
    const sim = simulateMbgNbd(truth, T, { seed: 5 });
    const recovered = fitMbgNbd(sim);
    if (!recovered.ok) throw new Error(recovered.reason);
    const se = countingStandardErrors(MBGNBD_MODEL, recovered.params, sim) as BgNbdParams;
    for (const name of ['r', 'alpha', 'a', 'b'] as const) {
      expect(Math.abs(recovered.params[name] - truth[name])).toBeLessThan(4 * se[name]);
    }
  });
});
