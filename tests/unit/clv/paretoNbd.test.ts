/**
 * Pareto/NBD (Schmittlein, Morrison & Colombo 1987): the CDNOW estimates of CLVTools and of the paper,
 * lifetimes' and BTYD's predictions, the numerical corner cases those libraries guard, and independent
 * checks of the likelihood and of the analytic gradient.
 */
import { describe, expect, it } from 'vitest';
import {
  createRandom,
  fitParetoNbd,
  holdoutComparison,
  paretoNbdConditionalExpectedPurchases,
  paretoNbdExpectedPurchases,
  paretoNbdLogLikelihood,
  paretoNbdProbabilityAlive,
  paretoNbdStandardErrors,
  simulateParetoNbd,
  summarize,
  type ParetoNbdParams,
  type SummaryRow,
} from '../../../src/core/clv/index.js';
import { prepareCounting } from '../../../src/core/clv/countingFit.js';
import { PARETO_NBD_MODEL } from '../../../src/core/clv/paretoNbd.js';
import { readCdnowSummary, readCdnowTransactions } from '../../fixtures/clv/cdnow.js';
import { simpson, totalProbability } from './likelihoodChecks.js';

const CLVTOOLS = 'bachmannpatrick/CLVTools tests/testthat/test_correctness_pnbd_nocovstaticcov.R @ 1b06356b0ec07640b532c666aff29e2a3b8393fa';
const LIFETIMES = 'CamDavidsonPilon/lifetimes tests/test_estimation.py @ 4f2833f4518621343bb6983eb3e540c11f66ec6a, class TestParetoNBDFitter';
const BTYD = 'cran/BTYD 2.4.3 inst/doc/BTYD-walkthrough.pdf @ 59846607a1e1379e8dc1f31d6e2b2c1e2ffada1b, section 3';

/** R's all.equal tolerance: mean absolute difference over mean absolute target (CLVTools expect_equal). */
function allEqualDifference(actual: number[], target: number[]): number {
  return actual.reduce((s, v, i) => s + Math.abs(v - target[i]), 0) / target.reduce((s, v) => s + Math.abs(v), 0);
}

const asArray = (p: ParetoNbdParams): number[] => [p.r, p.alpha, p.s, p.beta];

// CDNOW from the raw transactions (as CLVTools builds it): calibration to 1997-09-30, holdout to 1998-06-30.
const rows: SummaryRow[] = summarize(
  readCdnowTransactions().map((t) => ({ customerKey: t.sampleId, time: t.time, amount: t.cents })),
  { calibrationEnd: Date.UTC(1997, 8, 30), holdoutEnd: Date.UTC(1998, 5, 30), periodDays: 7 },
).rows;
const raw = { frequency: rows.map((r) => r.frequency), recency: rows.map((r) => r.recency), T: rows.map((r) => r.T) };
const fit = fitParetoNbd(raw);
if (!fit.ok) throw new Error(fit.reason);
const mle = fit.params;

describe('Pareto/NBD fitted on CDNOW', () => {
  it('equals CLVTools’ estimates from the same raw data: r 0.55315, α 10.57633, s 0.60625, β 11.67150, LL −9594.976', () => {
    // CLVTOOLS: correct.params.nocov.coef = c(r=0.55315, alpha=10.57633, s=0.60625, beta=11.67150),
    // correct.LL.nocov = -9594.976, checked with expect_equal(tolerance = 0.001). The surface is flat in β
    // (s.e. 6.2), so optimizers stop 1e-4 apart; the LL is printed to 3 decimals: within half a unit of it.
    expect(allEqualDifference(asArray(mle), [0.55315, 10.57633, 0.60625, 11.6715])).toBeLessThan(0.001);
    expect(Math.abs(fit.logLikelihood - -9594.976)).toBeLessThan(5e-4);
  });

  it('recovers the published r 0.553, α 10.578, s 0.606, β 11.669 and LL −9595.0', () => {
    // CLVTOOLS ("As also reported to compare against bgnbd in Fader, Hardie, Lee (2005)"): expect_equal(tolerance = 0.001).
    expect(allEqualDifference(asArray(mle), [0.553, 10.578, 0.606, 11.669])).toBeLessThan(0.001);
    expect(Math.abs(fit.logLikelihood / -9595.0 - 1)).toBeLessThan(0.001);
    // LIFETIMES.test_params_out_is_close_to_Hardie_paper, on lifetimes' 2-decimal summary: decimal=2.
    const file = readCdnowSummary();
    const fromFile = fitParetoNbd({ frequency: file.map((r) => r.x), recency: file.map((r) => r.tx), T: file.map((r) => r.T) });
    if (!fromFile.ok) throw new Error(fromFile.reason);
    asArray(fromFile.params).forEach((v, i) => expect(Math.abs(v - [0.553, 10.578, 0.606, 11.669][i])).toBeLessThan(1.5e-2));
  });

  it('standard errors equal CLVTools’ 0.0476264, 0.8427222, 0.1872594, 6.2105448', () => {
    // CLVTOOLS: params.nocov.se, expect_equal(sqrt(diag(vcov(p.cdnow))), ..., tolerance = 0.001).
    const se = paretoNbdStandardErrors(mle, raw) as ParetoNbdParams;
    expect(allEqualDifference(asArray(se), [0.0476264, 0.8427222, 0.1872594, 6.2105448])).toBeLessThan(0.001);
  });

  it('predicts like BTYD’s walkthrough', () => {
    // BTYD: pnbd.Expectation(params, t = 52) = 1.473434; customer 1516 (x 26, t.x 30.85714, T.cal 31):
    // pnbd.ConditionalExpectedTransactions(T.star = 52) = 25.45647, pnbd.PAlive = 0.997874. BTYD's own
    // estimates (printed 0.553, 10.580, 0.606, 11.656–11.658) sit 1e-4 from the MLE along the flat β
    // direction, which moves the conditional expectations by up to a few 1e-4: hence 1e-3 where they react.
    expect(Math.abs((paretoNbdExpectedPurchases(mle, 52) as number) / 1.473434 - 1)).toBeLessThan(1e-5);
    expect(Math.abs((paretoNbdProbabilityAlive(mle, 26, 30.85714, 31) as number) - 0.997874)).toBeLessThan(1e-5);
    expect(Math.abs((paretoNbdConditionalExpectedPurchases(mle, 52, 26, 30.85714, 31) as number) / 25.45647 - 1)).toBeLessThan(1e-4);
    // The "increasing frequency paradox": x = 10, 15, 20, 25 at t.x = 20, T.cal = 39, T.star = 52.
    const paradox = [0.7062289, 0.1442396, 0.02250658, 0.003092673];
    [10, 15, 20, 25].forEach((x, i) => {
      expect(Math.abs((paretoNbdConditionalExpectedPurchases(mle, 52, x, 20, 39) as number) / paradox[i] - 1)).toBeLessThan(1e-3);
    });
  });

  it('holdout by calibration frequency equals BTYD’s table (expected row, 3 decimals)', () => {
    // BTYD: pnbd.PlotFreqVsConditionalExpectedFrequency(params, T.star = 39, cal.cbs, x.star, censor = 7),
    // row "exp": 0.138 0.600 1.196 1.714 2.399 2.907 3.819 6.403.
    const groups = holdoutComparison({ name: 'paretonbd', params: mle }, { ...raw, holdoutFrequency: rows.map((r) => r.holdoutFrequency ?? 0), holdoutDuration: 39 });
    const expected = [0.138, 0.6, 1.196, 1.714, 2.399, 2.907, 3.819, 6.403];
    groups.forEach((g, i) => expect(Math.abs((g.meanPredicted as number) - expected[i])).toBeLessThan(1.5e-3));
  });
});

describe('Pareto/NBD at fixed parameters', () => {
  it('P(alive) equals BTYD’s walkthrough value quoted by lifetimes', () => {
    // LIFETIMES.test_conditional_probability_alive: params 0.5534, 10.5802, 0.6061, 11.6562 → 0.9979, |diff| < 0.001;
    // the value has 4 decimals.
    const p = { r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 };
    expect(Math.abs((paretoNbdProbabilityAlive(p, 26, 30.86, 31) as number) - 0.9979)).toBeLessThan(5e-5);
  });

  it('does not underflow for long histories (lifetimes’ values from scipy)', () => {
    // LIFETIMES.test_conditional_expectation_underflow: params α 10.58, β 11.67, r 0.55, s 0.61;
    // t = 10, x = 132 and 133, t_x = T = 200 give 6.2060517889632418 and 6.2528722475748113 (its comments).
    const p = { r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 };
    expect(Math.abs((paretoNbdConditionalExpectedPurchases(p, 10, 132, 200, 200) as number) / 6.2060517889632418 - 1)).toBeLessThan(1e-9);
    expect(Math.abs((paretoNbdConditionalExpectedPurchases(p, 10, 133, 200, 200) as number) / 6.2528722475748113 - 1)).toBeLessThan(1e-9);
  });

  it('stays finite where a direct evaluation overflows', () => {
    // LIFETIMES.test_overflow_error and test_conditional_probability_alive_overflow_error: params
    // [10.465, 7.98565181e-03, 3.0516, 2.820], frequencies in the hundreds.
    const p = { r: 10.465, alpha: 7.98565181e-3, s: 3.0516, beta: 2.82 };
    for (const [x, tx, T] of [
      [400, 5, 6],
      [500, 1, 37],
      [500, 4, 37],
    ]) {
      expect(Number.isFinite(paretoNbdLogLikelihood(p, x, tx, T))).toBe(true);
    }
    for (const [x, tx, T] of [
      [40, 5, 6],
      [50, 1, 37],
      [50, 4, 37],
    ]) {
      const alive = paretoNbdProbabilityAlive(p, x, tx, T) as number;
      expect(alive >= 0 && alive <= 1).toBe(true);
    }
    // CLVTOOLS: "Can calculate numerically stable PAlive that produced NaNs in previous implementation".
    const q = { r: 0.5143, alpha: 2.8845, s: 0.2856, beta: 14.1087 };
    const cases = [
      [221, 103.42857, 103.57143],
      [254, 97.14286, 97.28571],
      [161, 94.71429, 98.0],
      [204, 98.57143, 99.42857],
    ];
    for (const [x, tx, T] of cases) expect(Number.isFinite(paretoNbdProbabilityAlive(q, x, tx, T))).toBe(true);
  });

  it.each([
    [{ r: 0.5, alpha: 5, s: 0.7, beta: 12 }],
    [{ r: 0.5, alpha: 5, s: 0.7, beta: 1.2 }],
    [{ r: 1.5, alpha: 2, s: 0.4, beta: 300 }],
    [{ r: 0.8, alpha: 2, s: 1, beta: 40 }],
  ])('the likelihood is a distribution: P(X = x) over (0, 10] adds up to 1 (%j)', (p) => {
    expect(Math.abs(totalProbability({ name: 'paretonbd', params: p }, 10, 150) - 1)).toBeLessThan(1e-8);
  });

  it.each([
    [0, 0, 20],
    [4, 7, 20],
    [30, 19.9, 20],
  ])('equals its defining integral (x=%d, t_x=%d, T=%d)', (x, tx, T) => {
    // L = Γ(r+x) α^r β^s / Γ(r) · [(α+T)^{−(r+x)} (β+T)^{−s} + s ∫_{t_x}^T (α+τ)^{−(r+x)} (β+τ)^{−(s+1)} dτ]
    for (const p of [
      { r: 0.6, alpha: 9, s: 0.5, beta: 2 },
      { r: 1.2, alpha: 0.3, s: 2.5, beta: 60 },
    ]) {
      const c = Math.exp(lgammaRatio(p.r, x) + p.r * Math.log(p.alpha) + p.s * Math.log(p.beta));
      const integral = simpson((tau) => Math.pow(p.alpha + tau, -(p.r + x)) * Math.pow(p.beta + tau, -(p.s + 1)), tx, T, 20_000);
      const expected = Math.log(c * (Math.pow(p.alpha + T, -(p.r + x)) * Math.pow(p.beta + T, -p.s) + p.s * integral));
      expect(Math.abs((paretoNbdLogLikelihood(p, x, tx, T) as number) - expected)).toBeLessThan(1e-9);
    }
  });
});

/** ln Γ(r+x)/Γ(r) as a product, independent of lgamma. */
function lgammaRatio(r: number, x: number): number {
  let s = 0;
  for (let j = 0; j < x; j++) s += Math.log(r + j);
  return s;
}

describe('Pareto/NBD analytic gradient', () => {
  // Points in every regime of the tail integral: its series (α ≈ β), the expansion near z = 1 (β ≫ α and
  // α ≫ β), and an exponent next to an integer (s = 1 ± 1e-4, r + x integer ± 1e-4), where that expansion
  // is interpolated.
  const d = prepareCounting(raw);
  if ('reason' in d) throw new Error(d.reason);
  const evaluate = PARETO_NBD_MODEL.makeEvaluator(d);
  it.each([
    [[0.55, 0.27, 0.61, 0.3]],
    [[0.8, 0.05, 0.3, 20]],
    [[0.8, 8, 0.9, 0.01]],
    [[1.0001, 0.2, 0.9999, 15]],
    [[0.4, 0.05, 1.0001, 0.004]],
  ])('matches central differences of the log-likelihood at %j (scaled units)', (point) => {
    const gradient = new Float64Array(4);
    evaluate(Float64Array.from(point), gradient);
    for (let i = 0; i < 4; i++) {
      const h = 1e-5 * point[i];
      const up = Float64Array.from(point);
      const down = Float64Array.from(point);
      up[i] += h;
      down[i] -= h;
      const numeric = (evaluate(up) - evaluate(down)) / (2 * h);
      // The gradient's natural scale is customers / parameter; the differences are good to ~1e-9 of it.
      expect(Math.abs(gradient[i] - numeric)).toBeLessThan((1e-8 * d.totalWeight) / point[i]);
    }
  });
});

describe('Pareto/NBD recovers simulated parameters (20,000 customers)', () => {
  it('within 4 standard errors', () => {
    const truth = { r: 0.55, alpha: 10.5, s: 0.6, beta: 11.7 };
    const rng = createRandom(3);
    const T = Float64Array.from({ length: 20_000 }, () => (26 * 7 + Math.floor(rng.uniform() * 365)) / 7);
    const sim = simulateParetoNbd(truth, T, { seed: 5 });
    const recovered = fitParetoNbd(sim);
    if (!recovered.ok) throw new Error(recovered.reason);
    const se = paretoNbdStandardErrors(recovered.params, sim) as ParetoNbdParams;
    for (const name of ['r', 'alpha', 's', 'beta'] as const) {
      expect(Math.abs(recovered.params[name] - truth[name])).toBeLessThan(4 * se[name]);
    }
  });
});
