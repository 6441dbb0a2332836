/**
 * The CDNOW benchmark (Fader, Hardie & Lee 2005): raw transactions → summarize (the path users run) → BG/NBD
 * and Gamma-Gamma fits, compared with the published estimates and the lifetimes / CLVTools test values in
 * tests/fixtures/clv/cdnow/reference_values.json.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bgnbdConditionalExpectedPurchases,
  bgnbdExpectedPurchases,
  bgnbdStandardErrors,
  bgnbdTotalLogLikelihood,
  fitBgNbd,
  fitGammaGamma,
  frequencySpendCorrelation,
  gammaGammaExpectedSpend,
  holdoutComparison,
  predictClv,
  summarize,
  type BgNbdParams,
  type GammaGammaParams,
  type SummaryRow,
} from '../../../src/core/clv/index.js';
import { bgnbdVector, readCdnowSummary, readCdnowTransactions, readReferenceValues } from '../../fixtures/clv/cdnow.js';

const ref = readReferenceValues();
const CALIBRATION_END = Date.UTC(1997, 8, 30); // 1997-09-30, inclusive (clv.md §4.2)
const HOLDOUT_END = Date.UTC(1998, 5, 30);

/** R's all.equal tolerance: mean absolute difference over mean absolute target (CLVTools expect_equal). */
function allEqualDifference(actual: number[], target: number[]): number {
  const diff = actual.reduce((s, v, i) => s + Math.abs(v - target[i]), 0);
  return diff / target.reduce((s, v) => s + Math.abs(v), 0);
}

const bgArray = (p: BgNbdParams): number[] => [p.r, p.alpha, p.a, p.b];
const ggArray = (g: GammaGammaParams): number[] => [g.p, g.q, g.gamma];

let rows: SummaryRow[];
let holdoutDuration: number | undefined;
let bg: BgNbdParams;
let bgLogLikelihood: number;
let gg: GammaGammaParams;
let ggLogLikelihood: number;

const columns = (): { frequency: number[]; recency: number[]; T: number[] } => ({
  frequency: rows.map((r) => r.frequency),
  recency: rows.map((r) => r.recency),
  T: rows.map((r) => r.T),
});

beforeAll(() => {
  const summary = summarize(
    readCdnowTransactions().map((t) => ({ customerKey: t.sampleId, time: t.time, amount: t.cents })),
    { calibrationEnd: CALIBRATION_END, holdoutEnd: HOLDOUT_END, periodDays: 7 },
  );
  rows = summary.rows;
  holdoutDuration = summary.holdoutDuration;
  const bgFit = fitBgNbd(columns());
  if (!bgFit.ok) throw new Error(bgFit.reason);
  bg = bgFit.params;
  bgLogLikelihood = bgFit.logLikelihood;
  const ggFit = fitGammaGamma({
    frequency: rows.map((r) => r.frequency),
    monetaryValue: rows.map((r) => r.monetaryValue / 100),
  });
  if (!ggFit.ok) throw new Error(ggFit.reason);
  gg = ggFit.params;
  ggLogLikelihood = ggFit.logLikelihood;
});

describe('CDNOW summary from raw transactions', () => {
  it('reproduces cdnow_customers_summary_with_transactions.csv for every customer', () => {
    const expected = readCdnowSummary();
    expect(rows).toHaveLength(expected.length);
    const byId = new Map(rows.map((r) => [Number(r.customerKey), r]));
    let mismatches = 0;
    for (const e of expected) {
      const r = byId.get(e.id);
      if (r === undefined) {
        mismatches++;
        continue;
      }
      const round2 = (v: number): number => Math.round(v * 100) / 100;
      // z̄ in the file: mean of repeat-day values in dollars, rounded half-up from exact cents.
      const cents = Math.round(r.monetaryValue * r.frequency);
      const zbarCents = r.frequency === 0 ? 0 : Math.floor((2 * cents + r.frequency) / (2 * r.frequency));
      if (
        r.frequency !== e.x ||
        round2(r.recency) !== e.tx ||
        round2(r.T) !== e.T ||
        zbarCents !== Math.round(e.zbar * 100)
      ) {
        mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('matches the recomputed sample facts', () => {
    const facts = ref.cdnow_sample_facts_recomputed;
    expect(rows.length).toBe(facts.customers);
    expect(rows.reduce((s, r) => s + r.frequency, 0)).toBe(facts.sum_frequency_calibration);
    expect(rows.filter((r) => r.frequency === 0).length).toBe(facts.customers_with_zero_repeat);
    expect(rows.filter((r) => r.frequency > 0).length).toBe(facts.repeat_customers);
    expect(rows.reduce((s, r) => s + (r.holdoutFrequency ?? 0), 0)).toBe(
      facts['holdout_repeat_transactions_day_merged_1997-10-01_to_1998-06-30'],
    );
    expect(holdoutDuration).toBe(39);
  });
});

describe('BG/NBD fitted on CDNOW', () => {
  it('recovers the published estimates r 0.243, α 4.414, a 0.793, b 2.426', () => {
    const pub = ref.bgnbd_published;
    // CLVTools: expect_equal(..., tolerance = 0.001), i.e. R all.equal
    expect(allEqualDifference(bgArray(bg), bgArray(pub))).toBeLessThan(0.001);
    // lifetimes: assert_array_almost_equal(..., decimal=2)
    bgArray(bg).forEach((v, i) => expect(Math.abs(v - bgArray(pub)[i])).toBeLessThan(1.5e-2));
    expect(Math.abs(bgLogLikelihood - pub.log_likelihood) / Math.abs(pub.log_likelihood)).toBeLessThan(0.001);
  });

  it('equals CLVTools’ full-precision MLE from the same raw data', () => {
    const clvtools = ref.bgnbd_mle_full_precision.clvtools_tests;
    bgArray(bg).forEach((v, i) => expect(Math.abs(v / bgArray(clvtools)[i] - 1)).toBeLessThan(1e-5));
    expect(Math.abs(bgLogLikelihood - clvtools.log_likelihood)).toBeLessThan(1e-3);
  });

  it('equals lifetimes’ MLE when fitted on lifetimes’ 2-decimal summary file', () => {
    const file = readCdnowSummary();
    const fit = fitBgNbd({ frequency: file.map((r) => r.x), recency: file.map((r) => r.tx), T: file.map((r) => r.T) });
    if (!fit.ok) throw new Error(fit.reason);
    const docs = ref.bgnbd_mle_full_precision.lifetimes_docs;
    bgArray(fit.params).forEach((v, i) => expect(Math.abs(v / bgArray(docs)[i] - 1)).toBeLessThan(1e-5));
    const recomputed = ref.bgnbd_mle_full_precision.recomputed;
    expect(Math.abs(fit.logLikelihood - recomputed.log_likelihood)).toBeLessThan(1e-3);
  });

  it('converges to the same optimum from a poor starting point', () => {
    const fit = fitBgNbd(columns(), { start: { r: 20, alpha: 0.01, a: 30, b: 0.05 }, onlyStart: true });
    if (!fit.ok) throw new Error(fit.reason);
    bgArray(fit.params).forEach((v, i) => expect(Math.abs(v / bgArray(bg)[i] - 1)).toBeLessThan(1e-5));
  });

  it('log-likelihood at the published parameters (file data) is −9582.4268', () => {
    const file = readCdnowSummary();
    const ll = bgnbdTotalLogLikelihood(ref.bgnbd_published, {
      frequency: file.map((r) => r.x),
      recency: file.map((r) => r.tx),
      T: file.map((r) => r.T),
    });
    expect(Math.abs((ll as number) - ref.bgnbd_mle_full_precision.recomputed.ll_at_published_rounded_params)).toBeLessThan(1e-3);
  });

  it('standard errors equal lifetimes’ summary (0.0126, 0.378, 0.186, 0.705)', () => {
    const file = readCdnowSummary();
    const history = { frequency: file.map((r) => r.x), recency: file.map((r) => r.tx), T: file.map((r) => r.T) };
    const se = bgnbdStandardErrors(ref.bgnbd_mle_full_precision.lifetimes_docs, history) as BgNbdParams;
    // Published to 3 significant digits: within half a unit of the last one.
    expect(Math.abs(se.r - 0.0126)).toBeLessThan(0.00005);
    expect(Math.abs(se.alpha - 0.378)).toBeLessThan(0.0005);
    expect(Math.abs(se.a - 0.186)).toBeLessThan(0.0005);
    expect(Math.abs(se.b - 0.705)).toBeLessThan(0.0005);
  });

  it('predicts like Hardie’s spreadsheet: E[Y(39) | 2, 30.43, 38.86] = 1.226', () => {
    const v = bgnbdVector(ref, 'conditional expected repeat purchases') as {
      t: number;
      x: number;
      t_x: number;
      T: number;
      expected: number;
      tol_abs: number;
    };
    const got = bgnbdConditionalExpectedPurchases(bg, v.t, v.x, v.t_x, v.T) as number;
    expect(Math.abs(got - v.expected)).toBeLessThan(v.tol_abs);
  });

  it('E[X(t)] for a new customer matches Hardie’s spreadsheet', () => {
    const v = bgnbdVector(ref, 'unconditional E[X(t)]') as { t: number[]; expected: number[] };
    v.t.forEach((t, i) => expect(Math.abs((bgnbdExpectedPurchases(bg, t) as number) - v.expected[i])).toBeLessThan(1.5e-3));
  });

  it('holdout: 1653.4 predicted vs 1882 actual repeat purchases over 39 weeks, by calibration frequency', () => {
    const data = { ...columns(), holdoutFrequency: rows.map((r) => r.holdoutFrequency ?? 0), holdoutDuration: 39 };
    const groups = holdoutComparison({ name: 'bgnbd', params: bg }, data);
    expect(groups.map((g) => g.label)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7+']);
    expect(groups.reduce((s, g) => s + g.customers, 0)).toBe(2357);
    expect(groups[0].customers).toBe(1411);
    const actual = groups.reduce((s, g) => s + g.customers * g.meanActual, 0);
    const predicted = groups.reduce((s, g) => s + g.customers * (g.meanPredicted as number), 0);
    expect(actual).toBeCloseTo(1882, 9);
    expect(Math.abs(predicted - 1653.42)).toBeLessThan(0.1);
  });
});

describe('Gamma-Gamma fitted on CDNOW repeat buyers', () => {
  it('recovers the published p 6.25, q 3.74, γ 15.44 and CLVTools’ log-likelihood', () => {
    const pub = ref.gammagamma_published;
    ggArray(gg).forEach((v, i) => expect(Math.abs(v - ggArray(pub)[i])).toBeLessThan(1.5e-2));
    expect(allEqualDifference(ggArray(gg), ggArray(pub))).toBeLessThan(0.001);
    // CLVTools computes it from raw transactions, as here.
    expect(Math.abs(ggLogLikelihood - pub.log_likelihood_clvtools)).toBeLessThan(1e-3);
  });

  it('equals the recomputed MLE on lifetimes’ summary file (2-decimal z̄)', () => {
    const file = readCdnowSummary();
    const fit = fitGammaGamma({ frequency: file.map((r) => r.x), monetaryValue: file.map((r) => r.zbar) });
    if (!fit.ok) throw new Error(fit.reason);
    const mle = ref.gammagamma_published.mle_recomputed;
    ggArray(fit.params).forEach((v, i) => expect(Math.abs(v / ggArray(mle)[i] - 1)).toBeLessThan(1e-5));
    expect(Math.abs(fit.logLikelihood - mle.log_likelihood)).toBeLessThan(1e-3);
    const constrained = fitGammaGamma({ frequency: file.map((r) => r.x), monetaryValue: file.map((r) => r.zbar) }, { qAboveOne: true });
    if (!constrained.ok) throw new Error(constrained.reason);
    ggArray(constrained.params).forEach((v, i) => expect(Math.abs(v / ggArray(mle)[i] - 1)).toBeLessThan(1e-5));
  });

  it('expected average spend of customers 1..10 (Hardie spreadsheet, lifetimes docs)', () => {
    const file = readCdnowSummary().slice(0, 10);
    const v = ref.gammagamma_test_vectors.conditional_expected_average_spend_first10;
    const fixed = { p: 6.25, q: 3.74, gamma: 15.44 };
    file.forEach((r, i) => {
      expect(Math.abs((gammaGammaExpectedSpend(fixed, r.x, r.zbar) as number) - v.expected[i])).toBeLessThan(v.tol_abs);
    });
    const fit = fitGammaGamma({ frequency: readCdnowSummary().map((r) => r.x), monetaryValue: readCdnowSummary().map((r) => r.zbar) });
    if (!fit.ok) throw new Error(fit.reason);
    file.forEach((r, i) => {
      expect(Math.abs((gammaGammaExpectedSpend(fit.params, r.x, r.zbar) as number) - v.docs_full_precision[i])).toBeLessThan(1e-4);
    });
    const all = readCdnowSummary().map((r) => gammaGammaExpectedSpend(fit.params, r.x, r.zbar) as number);
    const mean = all.reduce((s, x) => s + x, 0) / all.length;
    expect(Math.abs(mean - ref.gammagamma_test_vectors.mean_of_conditional_expectations_all_2357)).toBeLessThan(1e-4);
    expect(Math.abs((gammaGammaExpectedSpend(fixed, 0, 0) as number) - ref.gammagamma_test_vectors.population_mean_spend_published_params)).toBeLessThan(5e-4);
  });

  it('frequency and spend are nearly uncorrelated (lifetimes docs: 0.1139)', () => {
    const file = readCdnowSummary();
    const rho = frequencySpendCorrelation({ frequency: file.map((r) => r.x), monetaryValue: file.map((r) => r.zbar) });
    expect(Math.abs((rho as number) - 0.1139)).toBeLessThan(5e-5);
  });
});

describe('CLV on CDNOW (lifetimes Quickstart, freq "D" factor 30 on weekly data)', () => {
  it('reproduces customer_lifetime_value(time=12, discount_rate=0.01) for customers 1..10', () => {
    const file = readCdnowSummary();
    const history = { frequency: file.map((r) => r.x), recency: file.map((r) => r.tx), T: file.map((r) => r.T) };
    const bgFit = fitBgNbd(history);
    const ggFit = fitGammaGamma({ frequency: history.frequency, monetaryValue: file.map((r) => r.zbar) });
    if (!bgFit.ok || !ggFit.ok) throw new Error('fit failed');
    const values = predictClv({ name: 'bgnbd', params: bgFit.params }, ggFit.params, { ...history, monetaryValue: file.map((r) => r.zbar) }, {
      periodsPerMonth: 30,
      months: 12,
      monthlyDiscountRate: 0.01,
    });
    ref.clv_lifetimes_quickstart.first10.forEach((expected, i) => {
      expect(Math.abs((values[i] as number) - expected)).toBeLessThan(1e-4);
    });
    expect(values.every((v) => v !== undefined && Number.isFinite(v) && v >= 0)).toBe(true);
  });
});
