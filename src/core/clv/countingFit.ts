import { compressPatterns, DistinctTuples, type HistoryColumns, type PurchasePatterns } from './compressPatterns.js';
import { fitInLogSpace, type FitResult } from './fitResult.js';
import { numericalHessian, solvePositiveDefinite } from './newton.js';
import type { ObjectiveWithGradient } from './optimize.js';

/**
 * What the purchase-count models (BG/NBD, MBG/NBD, Pareto/NBD, NBD) share when they are fitted: the
 * customers' (x, t_x, T) histories as tables of distinct values, with time rescaled so max T = 1 (as
 * lifetimes does: it keeps the time-scale parameters near 1 whatever the period unit), the checks that the
 * data can support a fit at all, and the driver that fits log-parameters and unscales the result.
 */
export interface CountingData {
  totalWeight: number;
  /** Σ w·x, for undoing the time scaling in the log-likelihood (the density of t_x has units time^−x). */
  weightedFrequency: number;
  scale: number;
  xValues: Float64Array;
  weightPerX: Float64Array;
  /** Distinct T values, scaled. */
  tValues: Float64Array;
  /** Distinct t_x values, scaled. */
  txValues: Float64Array;
  /** Every pattern (one-time buyers included), as indices into the tables above, with its weight. */
  xIndex: Int32Array;
  tIndex: Int32Array;
  txIndex: Int32Array;
  weight: Float64Array;
  repeatWeight: number;
  /** Σ w·x / Σ w·T in scaled time: a starting value for the purchase rate. */
  meanRate: number;
}

type Invalid = { reason: string };

function validate(patterns: PurchasePatterns): Invalid | number {
  const { frequency, recency, T, weight } = patterns;
  let maxT = 0;
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i];
    const tx = recency[i];
    const w = weight[i];
    if (!(Number.isInteger(x) && x >= 0)) return { reason: `invalid data: frequency ${x} is not a non-negative integer` };
    if (!(Number.isFinite(T[i]) && tx >= 0 && tx <= T[i])) {
      return { reason: `invalid data: recency ${tx} is not within [0, T = ${T[i]}]` };
    }
    if (x === 0 && tx !== 0) return { reason: `invalid data: recency ${tx} with no repeat purchase` };
    if (!(Number.isFinite(w) && w >= 0)) return { reason: `invalid data: weight ${w}` };
    if (w > 0 && T[i] > maxT) maxT = T[i];
  }
  return maxT;
}

/**
 * Histories that several fits read unchanged (see `fixedHistory`), with what `prepareCounting` made of
 * them: compressing a million customers costs about half a second, and choosing a model fits BG/NBD and
 * MBG/NBD on one calibration history.
 */
const prepared = new WeakMap<HistoryColumns, CountingData | Invalid>();
const fixed = new WeakSet<HistoryColumns>();

/**
 * The same history, marked as one whose arrays nobody changes any more: fits of it (of any counting
 * model) prepare it once. Only for histories built for a run of fits, like `chooseModel`'s.
 */
export function fixedHistory(history: HistoryColumns): HistoryColumns {
  if (fixed.has(history)) return history;
  const marked = { ...history };
  fixed.add(marked);
  return marked;
}

export function prepareCounting(history: HistoryColumns): CountingData | Invalid {
  if (!fixed.has(history)) return prepareAnew(history);
  let data = prepared.get(history);
  if (data === undefined) {
    data = prepareAnew(history);
    prepared.set(history, data);
  }
  return data;
}

function prepareAnew(history: HistoryColumns): CountingData | Invalid {
  const n = history.frequency.length;
  if (history.recency.length !== n || history.T.length !== n || (history.weight !== undefined && history.weight.length !== n)) {
    return { reason: 'invalid data: frequency, recency, T and weight differ in length' };
  }
  const patterns = compressPatterns(history);
  const maxT = validate(patterns);
  if (typeof maxT !== 'number') return maxT;
  const { frequency, recency, T, weight } = patterns;
  const scale = maxT > 0 ? 1 / maxT : 1;
  const m = frequency.length;
  const xs = new DistinctTuples(1, 256);
  const ts = new DistinctTuples(1, 4096);
  const txs = new DistinctTuples(1, 4096);
  let weightPerX = new Float64Array(256);
  const xIndex = new Int32Array(m);
  const tIndex = new Int32Array(m);
  const txIndex = new Int32Array(m);
  const w = new Float64Array(m);
  let kept = 0;
  let totalWeight = 0;
  let repeatWeight = 0;
  let weightedFrequency = 0;
  let weightedT = 0;
  for (let i = 0; i < m; i++) {
    const wi = weight[i];
    if (wi === 0) continue;
    totalWeight += wi;
    weightedFrequency += wi * frequency[i];
    weightedT += wi * T[i] * scale;
    if (frequency[i] > 0) repeatWeight += wi;
    const before = xs.size;
    const xi = xs.id(frequency[i]);
    if (xi === weightPerX.length) {
      const bigger = new Float64Array(weightPerX.length * 2);
      bigger.set(weightPerX);
      weightPerX = bigger;
    }
    if (xi === before) weightPerX[xi] = wi;
    else weightPerX[xi] += wi;
    xIndex[kept] = xi;
    tIndex[kept] = ts.id(T[i] * scale);
    txIndex[kept] = txs.id(recency[i] * scale);
    w[kept++] = wi;
  }
  return {
    totalWeight,
    weightedFrequency,
    scale,
    xValues: xs.column(0),
    weightPerX: weightPerX.slice(0, xs.size),
    tValues: ts.column(0),
    txValues: txs.column(0),
    xIndex: xIndex.slice(0, kept),
    tIndex: tIndex.slice(0, kept),
    txIndex: txIndex.slice(0, kept),
    weight: w.slice(0, kept),
    repeatWeight,
    meanRate: weightedT > 0 ? weightedFrequency / weightedT : 1,
  };
}

/** Log-likelihood in scaled time at the (scaled) parameters; writes its gradient when `gradient` is given. */
export type CountingEvaluator = (params: Float64Array, gradient?: Float64Array) => number;

export interface CountingModel<P> {
  /** For people: "BG/NBD". */
  label: string;
  names: readonly (keyof P & string)[];
  /** Parameters measured in time units (α, β): divided by the time scale when unscaled. */
  timeScaled: readonly number[];
  makeEvaluator(d: CountingData): CountingEvaluator;
  /** true: `makeEvaluator` fills the gradient; false: central differences of the log-likelihood are used. */
  analyticGradient: boolean;
  /** Starting points in scaled units. */
  starts(d: CountingData): number[][];
  /**
   * Whether a boundary pattern (per parameter: −1 → 0, 1 → ∞, 0 inside) is the no-drop-out limit, where the
   * model becomes the NBD. Models without drop-out (the NBD itself) leave it out.
   */
  noDropOut?: (atBound: number[]) => boolean;
}

export interface CountingFitOptions<P> {
  /** Fewer customers with a repeat purchase than this → ok:false. Default 20. */
  minRepeatBuyers?: number;
  /** Extra starting point (in the data's units), tried besides the built-in ones. */
  start?: P;
  /** Replace the built-in starting points by `start` alone (tests of robustness). */
  onlyStart?: boolean;
  /**
   * A fit of closely related data (the same model on the calibration part of this history): fitted from it
   * alone first, and kept when that converges to an interior maximum; otherwise the fit starts over from
   * the built-in starting points (and `start`). Near the maximum already, it needs a fraction of the
   * likelihood evaluations of the multi-start fit.
   */
  warmStart?: P;
  maxIterations?: number;
}

/** A fit that ran to the no-drop-out boundary: the data show no drop-out (yet). */
export interface NoDropOutBoundary {
  reason: string;
  /** The log-likelihood where the optimizer stopped (the data's units). */
  logLikelihood: number;
}

export type CountingFitResult<P> = FitResult<P> | { ok: false; reason: string; noDropOut: NoDropOutBoundary };

/** Central-difference step for numerical gradients on log-parameters (about the cube root of ε). */
const GRADIENT_STEP = 1e-5;

function differentHistories(d: CountingData): number {
  const seen = new Set<string>();
  for (let n = 0; n < d.weight.length && seen.size < 2; n++) seen.add(`${d.xIndex[n]}|${d.tIndex[n]}|${d.txIndex[n]}`);
  return seen.size;
}

/** Total log-likelihood Σ w·ln L over customers or patterns, in their own time unit; undefined if invalid. */
export function countingLogLikelihood<P>(model: CountingModel<P>, p: P, history: HistoryColumns): number | undefined {
  const d = prepareCounting(history);
  if ('reason' in d) return undefined;
  const scaled = Float64Array.from(model.names, (name, i) => (p[name] as number) * (model.timeScaled.includes(i) ? d.scale : 1));
  const ll = model.makeEvaluator(d)(scaled) + Math.log(d.scale) * d.weightedFrequency;
  return Number.isFinite(ll) ? ll : undefined;
}

/** −LL/W over θ = ln(params), with the model's gradient or central differences. */
function objectiveFor<P>(model: CountingModel<P>, d: CountingData): ObjectiveWithGradient {
  const evaluate = model.makeEvaluator(d);
  const k = model.names.length;
  const params = new Float64Array(k);
  const grad = new Float64Array(k);
  const W = d.totalWeight;
  const value = (theta: Float64Array): number => {
    for (let i = 0; i < k; i++) params[i] = Math.exp(theta[i]);
    return -evaluate(params) / W;
  };
  if (model.analyticGradient) {
    return (theta, g) => {
      for (let i = 0; i < k; i++) params[i] = Math.exp(theta[i]);
      const ll = evaluate(params, grad);
      for (let i = 0; i < k; i++) g[i] = (-grad[i] * params[i]) / W;
      return -ll / W;
    };
  }
  const shifted = new Float64Array(k);
  return (theta, g) => {
    const f = value(theta);
    for (let i = 0; i < k; i++) {
      shifted.set(theta);
      shifted[i] = theta[i] + GRADIENT_STEP;
      const up = value(shifted);
      shifted[i] = theta[i] - GRADIENT_STEP;
      const down = value(shifted);
      g[i] = (up - down) / (2 * GRADIENT_STEP);
    }
    return f;
  };
}

/**
 * Fit a counting model to customers (frequency x, recency t_x, T) or to compressed patterns with weights.
 * Never throws for data reasons: returns ok:false with a sentence instead.
 */
export function fitCountingModel<P>(
  model: CountingModel<P>,
  history: HistoryColumns,
  options: CountingFitOptions<P> = {},
): CountingFitResult<P> {
  const d = prepareCounting(history);
  if ('reason' in d) return { ok: false, reason: d.reason };
  const minRepeat = options.minRepeatBuyers ?? 20;
  if (d.totalWeight === 0) return { ok: false, reason: 'no customers to fit' };
  if (d.repeatWeight < minRepeat) {
    return {
      ok: false,
      reason: `only ${d.repeatWeight} customer(s) with a repeat purchase; the model needs at least ${minRepeat}`,
    };
  }
  if (differentHistories(d) < 2) {
    return { ok: false, reason: 'all customers have the same purchase history; the model cannot be identified' };
  }
  const k = model.names.length;
  const s = d.scale;
  const toTheta = (p: P): number[] => model.names.map((name, i) => Math.log((p[name] as number) * (model.timeScaled.includes(i) ? s : 1)));
  if (options.warmStart !== undefined) {
    const warm = toTheta(options.warmStart);
    if (warm.length === k && warm.every(Number.isFinite)) {
      const fit = fitFromStarts(model, d, [warm], options.maxIterations);
      if (fit.ok) return fit;
    }
  }
  const starts: number[][] = [];
  if (options.start !== undefined) starts.push(toTheta(options.start));
  if (!options.onlyStart || options.start === undefined) starts.push(...model.starts(d).map((st) => st.map(Math.log)));
  if (starts.some((st) => st.length !== k || !st.every(Number.isFinite))) return { ok: false, reason: 'invalid starting point' };
  return fitFromStarts(model, d, starts, options.maxIterations);
}

/** The optimizer from the given starts (log-parameters, scaled time), and what its end means for the model. */
function fitFromStarts<P>(model: CountingModel<P>, d: CountingData, starts: number[][], maxIterations: number | undefined): CountingFitResult<P> {
  const s = d.scale;
  const result = fitInLogSpace(objectiveFor(model, d), starts, { maxIterations, totalWeight: d.totalWeight });
  if (!Number.isFinite(result.value)) {
    return { ok: false, reason: 'the likelihood is not finite anywhere the optimizer looked' };
  }
  const logLikelihood = -result.value * d.totalWeight + Math.log(s) * d.weightedFrequency;
  const atBound = result.atBound.flatMap((end, i) => (end === 0 ? [] : [`${model.names[i]} → ${end < 0 ? 0 : '∞'}`]));
  if (atBound.length > 0) {
    const reason = `boundary solution (${atBound.join(', ')}): the data cannot pin down the model (too little repeat buying or drop-out to tell apart)`;
    if (model.noDropOut?.(result.atBound) && Number.isFinite(logLikelihood)) {
      return { ok: false, reason, noDropOut: { reason: `${atBound.join(', ')}: no drop-out in the data`, logLikelihood } };
    }
    return { ok: false, reason };
  }
  if (!result.converged) {
    return {
      ok: false,
      reason: `the optimizer did not converge after ${result.iterations} iterations and ${result.newtonSteps} Newton steps (gradient ${result.projectedGradient.toExponential(2)})`,
    };
  }
  const values = Array.from(result.x, (t, i) => Math.exp(t) / (model.timeScaled.includes(i) ? s : 1));
  const params = Object.fromEntries(model.names.map((name, i) => [name, values[i]])) as unknown as P;
  if (!Number.isFinite(logLikelihood) || !values.every(Number.isFinite)) {
    return { ok: false, reason: 'the fitted likelihood is not finite' };
  }
  return { ok: true, params, logLikelihood, iterations: result.iterations, converged: true };
}

/**
 * Asymptotic standard errors at fitted parameters: the inverse observed information (Hessian of −LL by
 * central differences of the gradient, on log-parameters) and the delta method; lifetimes' `summary`
 * "se(coef)", CLVTools' `vcov`. undefined when the information matrix is not positive definite (unidentified).
 */
export function countingStandardErrors<P>(model: CountingModel<P>, p: P, history: HistoryColumns): P | undefined {
  const d = prepareCounting(history);
  if ('reason' in d) return undefined;
  const k = model.names.length;
  const values = model.names.map((name) => p[name] as number);
  const theta = Float64Array.from(values, (v, i) => Math.log(v * (model.timeScaled.includes(i) ? d.scale : 1)));
  if (!theta.every(Number.isFinite)) return undefined;
  const hessian = numericalHessian(objectiveFor(model, d), theta, model.analyticGradient ? 1e-5 : 1e-4);
  if (hessian === undefined) return undefined;
  const information = hessian.map((v) => v * d.totalWeight);
  const se: number[] = [];
  for (let j = 0; j < k; j++) {
    const unit = new Float64Array(k);
    unit[j] = 1;
    const column = solvePositiveDefinite(information, unit);
    if (column === undefined) return undefined;
    se.push(values[j] * Math.sqrt(column[j]));
  }
  if (!se.every(Number.isFinite)) return undefined;
  return Object.fromEntries(model.names.map((name, i) => [name, se[i]])) as unknown as P;
}
