/**
 * `clv.model`: a configured model, or `auto`: the holdout check (calibration → holdout, group means by
 * calibration repeat purchases), and BIC on the whole history when no holdout check is possible.
 */
import { describe, expect, it } from 'vitest';
import {
  chooseModel,
  createRandom,
  fitBgNbd,
  fitPurchaseModel,
  holdoutComparison,
  holdoutError,
  simulateBgNbd,
  simulateMbgNbd,
  type HoldoutInput,
  type SimulatedCustomers,
} from '../../../src/core/clv/index.js';

const HOLDOUT = 26;

/** Customers joining over a year, observed 13–65 weeks before the calibration end, then 26 weeks of holdout. */
function population(simulate: typeof simulateBgNbd, truth: { r: number; alpha: number; a: number; b: number }, seed: number) {
  const rng = createRandom(seed);
  const calibrationT = Float64Array.from({ length: 10_000 }, () => 13 + Math.floor(rng.uniform() * 52 * 7) / 7);
  const sim = simulate(truth, calibrationT.map((t) => t + HOLDOUT), { seed: seed + 10, recordPurchases: true });
  return { calibration: split(sim, calibrationT), full: { frequency: sim.frequency, recency: sim.recency, T: sim.T } };
}

/** The calibration histories and holdout counts, from the recorded purchase times. */
function split(sim: SimulatedCustomers, calibrationT: Float64Array): HoldoutInput {
  const n = calibrationT.length;
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const holdoutFrequency = new Float64Array(n);
  const customers = sim.purchaseCustomer as Int32Array;
  const times = sim.purchaseTime as Float64Array;
  for (let k = 0; k < customers.length; k++) {
    const [i, t] = [customers[k], times[k]];
    if (t === 0) continue;
    if (t <= calibrationT[i]) {
      frequency[i]++;
      recency[i] = Math.max(recency[i], t);
    } else holdoutFrequency[i]++;
  }
  return { frequency, recency, T: calibrationT, holdoutFrequency, holdoutDuration: HOLDOUT };
}

const mbgData = population(simulateMbgNbd, { r: 0.5, alpha: 6, a: 1.5, b: 2 }, 1);

describe('clv.model: auto, by the holdout check', () => {
  it('picks the smallest holdout error, and the holdout table is each candidate’s calibration fit', () => {
    const choice = chooseModel(mbgData.full, mbgData.calibration, { setting: 'auto' });
    expect(choice.rule).toBe('holdout');
    const errors = choice.candidates.map((c) => (c.calibration?.ok ? c.calibration.holdoutError : undefined));
    expect(errors.every((e) => e !== undefined)).toBe(true);
    const best = choice.candidates[errors.indexOf(Math.min(...(errors as number[])))].family;
    expect(choice.fit.family).toBe(best);
    // Recomputed from scratch: each candidate fitted on the calibration period, its holdout groups and error.
    const history = { frequency: mbgData.calibration.frequency, recency: mbgData.calibration.recency, T: mbgData.calibration.T };
    for (const c of choice.candidates) {
      const fit = fitPurchaseModel(c.family, history);
      if (!fit.ok) throw new Error(fit.reason);
      const groups = holdoutComparison(fit.model, mbgData.calibration);
      expect(c.calibration?.ok && c.calibration.holdoutError).toBeCloseTo(holdoutError(groups) as number, 12);
      groups.forEach((g, i) => {
        expect(choice.holdout[i].label).toBe(g.label);
        expect(choice.holdout[i].customers).toBe(g.customers);
        expect(choice.holdout[i].meanPredicted[c.family]).toBeCloseTo(g.meanPredicted as number, 12);
      });
    }
    // The chosen model is fitted again on the whole history; the others are not needed.
    expect(choice.candidates.filter((c) => c.full !== undefined).map((c) => c.family)).toEqual([best]);
    expect(choice.reason).toMatch(/purchases per customer off against/);
  });

  it('recognises the model that generated the data: MBG/NBD (one-time buyers drop out) and BG/NBD', () => {
    // Errors on these seeds: MBG data 0.016 (MBG) vs 0.028 (BG), 0.042 (Pareto); BG data 0.023 (BG) vs ≥ 0.106.
    expect(chooseModel(mbgData.full, mbgData.calibration, { setting: 'auto' }).fit.family).toBe('mbgnbd');
    const bgData = population(simulateBgNbd, { r: 0.5, alpha: 6, a: 0.8, b: 2.5 }, 1);
    expect(chooseModel(bgData.full, bgData.calibration, { setting: 'auto' }).fit.family).toBe('bgnbd');
  });

  it('the holdout error is the customer-weighted gap between group means, by hand', () => {
    const groups = [
      { calibrationPurchases: 0, label: '0', customers: 3, meanActual: 0.5, meanPredicted: 0.4 },
      { calibrationPurchases: 1, label: '1+', customers: 1, meanActual: 2, meanPredicted: 2.6 },
    ];
    expect(holdoutError(groups)).toBeCloseTo((3 * 0.1 + 1 * 0.6) / 4, 12);
    expect(holdoutError([{ ...groups[0], meanPredicted: undefined }])).toBeUndefined();
  });
});

describe('the whole-history fit starts from the calibration fit', () => {
  const same = (a: Record<string, number>, b: Record<string, number>) => {
    for (const name of Object.keys(b)) expect(Math.abs(a[name] - b[name]) / b[name], name).toBeLessThan(1e-6);
  };

  it('and reaches the maximum a fit from the built-in starting points reaches, in fewer iterations', () => {
    const choice = chooseModel(mbgData.full, mbgData.calibration, { setting: 'auto' });
    expect(choice.fit.ok).toBe(true);
    if (!choice.fit.ok) return;
    const cold = fitPurchaseModel(choice.fit.family, mbgData.full);
    if (!cold.ok) throw new Error(cold.reason);
    same(choice.fit.model.params as unknown as Record<string, number>, cold.model.params as unknown as Record<string, number>);
    expect(Math.abs(choice.fit.logLikelihood - cold.logLikelihood)).toBeLessThan(1e-4);
    expect(choice.fit.iterations).toBeLessThan(cold.iterations / 2);
  });

  it('and starts over from the built-in starting points when it does not converge from there', () => {
    // A "calibration fit" from which the optimizer runs off to the boundary a → 0, b → ∞.
    const bad = { r: 1, alpha: 1, a: 1e-6, b: 1e6 };
    const alone = fitBgNbd(mbgData.full, { start: bad, onlyStart: true });
    expect(alone.ok, 'the bad start alone must not give a fit, or this test proves nothing').toBe(false);
    const warm = fitPurchaseModel('bgnbd', mbgData.full, { warmStart: { name: 'bgnbd', params: bad } });
    const cold = fitPurchaseModel('bgnbd', mbgData.full);
    if (!warm.ok || !cold.ok) throw new Error('no fit');
    same(warm.model.params as unknown as Record<string, number>, cold.model.params as unknown as Record<string, number>);
  });

  it('only from a fit of the same family', () => {
    const mbg = fitPurchaseModel('mbgnbd', mbgData.full);
    if (!mbg.ok) throw new Error(mbg.reason);
    const bg = fitPurchaseModel('bgnbd', mbgData.full, { warmStart: mbg.model });
    const cold = fitPurchaseModel('bgnbd', mbgData.full);
    if (!bg.ok || !cold.ok) throw new Error('no fit');
    expect(bg.iterations).toBe(cold.iterations);
    same(bg.model.params as unknown as Record<string, number>, cold.model.params as unknown as Record<string, number>);
  });
});

describe('clv.model: auto without a holdout check', () => {
  it('takes the lowest BIC, −2 ln L + k ln n, on the whole history', () => {
    const choice = chooseModel(mbgData.full, undefined, { setting: 'auto' });
    expect(choice.rule).toBe('likelihood');
    const n = mbgData.full.frequency.length;
    const bic = choice.candidates.map((c) => {
      const fit = fitPurchaseModel(c.family, mbgData.full);
      if (!fit.ok) throw new Error(fit.reason);
      const k = fit.model.name === 'nbd' ? 2 : 4;
      expect(c.full?.ok && c.full.bic).toBeCloseTo(-2 * fit.logLikelihood + k * Math.log(n), 6);
      return -2 * fit.logLikelihood + k * Math.log(n);
    });
    expect(choice.fit.family).toBe(choice.candidates[bic.indexOf(Math.min(...bic))].family);
  });

  it('falls back to it when no model can be fitted on a calibration period that is too short', () => {
    const calibration = { ...mbgData.calibration, frequency: mbgData.calibration.frequency.map(() => 0), recency: mbgData.calibration.recency.map(() => 0) };
    const choice = chooseModel(mbgData.full, calibration, { setting: 'auto' });
    expect(choice.rule).toBe('likelihood');
    expect(choice.reason).toMatch(/no model could be fitted on the calibration period/);
    expect(choice.holdout).toEqual([]);
  });

  it('refuses, with every model’s reason, when none can be fitted', () => {
    const few = { frequency: [1, 0, 2], recency: [3, 0, 5], T: [10, 10, 10] };
    const choice = chooseModel(few, undefined, { setting: 'auto' });
    expect(choice.fit.ok).toBe(false);
    expect(!choice.fit.ok && choice.fit.reason).toMatch(/BG\/NBD: only 2 .*MBG\/NBD: only 2 /);
    // Pareto/NBD is not among auto's candidates (its cost; see AUTO_MODELS).
    expect(choice.candidates.map((c) => c.family)).toEqual(['bgnbd', 'mbgnbd']);
  });
});

describe('a configured model', () => {
  it('is fitted alone; with a holdout period its check is shown too', () => {
    const alone = chooseModel(mbgData.full, undefined, { setting: 'paretonbd' });
    expect(alone.rule).toBe('configured');
    expect(alone.candidates.map((c) => c.family)).toEqual(['paretonbd']);
    expect(alone.fit.ok && alone.fit.model.name).toBe('paretonbd');
    const checked = chooseModel(mbgData.full, mbgData.calibration, { setting: 'bgnbd' });
    expect(checked.fit.family).toBe('bgnbd');
    expect(Object.keys(checked.holdout[0].meanPredicted)).toEqual(['bgnbd']);
  });
});
