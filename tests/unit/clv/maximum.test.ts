/**
 * Every fit ends at the maximum of its likelihood: within 1e-3 of what an independent maximiser (a
 * Nelder–Mead written in the test, restarted until it gains less than 1e-7) finds on the same data. On a flat
 * surface a quasi-Newton optimizer stops on a small gradient well short of the maximum in value (issue 13:
 * 0.04 on CDNOW's 23,570 customers); the fits polish with Newton steps until a step gains < 1e-6.
 */
import { describe, expect, it } from 'vitest';
import {
  compressPatterns,
  createRandom,
  fitBgNbd,
  fitMbgNbd,
  fitNbd,
  fitParetoNbd,
  logLikelihood,
  simulateBgNbd,
  simulateParetoNbd,
  summarize,
  type HistoryColumns,
  type PurchaseModel,
} from '../../../src/core/clv/index.js';
import { BGNBD_MODEL, MBGNBD_MODEL } from '../../../src/core/clv/bgnbdFit.js';
import { prepareCounting, type CountingModel } from '../../../src/core/clv/countingFit.js';
import { NBD_MODEL } from '../../../src/core/clv/nbd.js';
import { PARETO_NBD_MODEL } from '../../../src/core/clv/paretoNbd.js';
import { readCdnowTransactions } from '../../fixtures/clv/cdnow.js';
import { independentMaximum } from './independentMaximum.js';

/** Total log-likelihood as a function of ln(params), with the data compressed once. */
function objective<P>(model: CountingModel<P>, history: HistoryColumns): (theta: number[]) => number {
  const d = prepareCounting(history);
  if ('reason' in d) throw new Error(d.reason);
  const evaluate = model.makeEvaluator(d);
  const shift = Math.log(d.scale) * d.weightedFrequency;
  return (theta) => evaluate(Float64Array.from(theta, (t, i) => Math.exp(t) * (model.timeScaled.includes(i) ? d.scale : 1))) + shift;
}

/** The same total from the per-customer functions users call: ties the fast evaluator to the formulas. */
function perCustomerTotal(model: PurchaseModel, history: HistoryColumns): number {
  const p = compressPatterns(history);
  let total = 0;
  for (let i = 0; i < p.weight.length; i++) total += p.weight[i] * (logLikelihood(model, p.frequency[i], p.recency[i], p.T[i]) as number);
  return total;
}

function cdnow(): HistoryColumns {
  const rows = summarize(
    readCdnowTransactions().map((t) => ({ customerKey: t.sampleId, time: t.time, amount: t.cents })),
    { calibrationEnd: Date.UTC(1997, 8, 30), periodDays: 7 },
  ).rows;
  return { frequency: rows.map((r) => r.frequency), recency: rows.map((r) => r.recency), T: rows.map((r) => r.T) };
}

/** 23,570 customers (the size of the full CDNOW cohort) joining over 12 weeks, observed for 78 weeks, t_x to the day. */
function cohort(seed: number): Float64Array {
  const rng = createRandom(seed);
  return Float64Array.from({ length: 23_570 }, () => (546 - Math.floor(rng.uniform() * 84)) / 7);
}

function toDays(history: { frequency: Float64Array; recency: Float64Array; T: Float64Array }): HistoryColumns {
  return { frequency: history.frequency, recency: history.recency.map((t) => Math.floor(t * 7) / 7), T: history.T };
}

function expectAtMaximum<P extends object>(
  name: PurchaseModel['name'],
  model: CountingModel<P>,
  fit: { ok: true; params: P; logLikelihood: number } | { ok: false; reason: string },
  history: HistoryColumns,
): void {
  if (!fit.ok) throw new Error(fit.reason);
  const f = objective(model, history);
  const start = model.names.map((n) => Math.log(fit.params[n] as number));
  // The independent search starts 5 % off in every parameter, so it has to find the top on its own.
  const best = independentMaximum(f, start.map((t, i) => t + (i % 2 === 0 ? 0.05 : -0.05)));
  expect(Math.abs(fit.logLikelihood - best.value)).toBeLessThan(1e-3);
  expect(Math.abs(perCustomerTotal({ name, params: fit.params } as PurchaseModel, history) - fit.logLikelihood)).toBeLessThan(1e-6);
}

describe('fits end at the maximum (within 1e-3 of an independent Nelder–Mead)', () => {
  const data = cdnow();

  it('CDNOW: BG/NBD, MBG/NBD, Pareto/NBD and NBD', () => {
    expectAtMaximum('bgnbd', BGNBD_MODEL, fitBgNbd(data), data);
    expectAtMaximum('mbgnbd', MBGNBD_MODEL, fitMbgNbd(data), data);
    expectAtMaximum('paretonbd', PARETO_NBD_MODEL, fitParetoNbd(data), data);
    expectAtMaximum('nbd', NBD_MODEL, fitNbd(data), data);
  });

  it('a flat BG/NBD surface (drop-out well pinned, a and b not): the fit converges and reaches the top', () => {
    // a/(a+b) is well determined, a + b is not: a long, nearly flat ridge. BFGS alone stopped on a small
    // gradient here and the fit was refused as "did not converge".
    const history = toDays(simulateBgNbd({ r: 0.4, alpha: 10, a: 8, b: 40 }, cohort(1), { seed: 101 }));
    expectAtMaximum('bgnbd', BGNBD_MODEL, fitBgNbd(history), history);
  });

  it('a flat Pareto/NBD surface (long lifetimes, few drop-outs to learn s and β from)', () => {
    const history = toDays(simulateParetoNbd({ r: 0.4, alpha: 10, s: 2, beta: 200 }, cohort(2), { seed: 102 }));
    expectAtMaximum('paretonbd', PARETO_NBD_MODEL, fitParetoNbd(history), history);
  });
});
