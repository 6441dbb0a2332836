import type { BgNbdParams } from './bgnbd.js';
import { compressPatterns, type HistoryColumns, type PurchasePatterns } from './compressPatterns.js';
import { fitInLogSpace, type FitResult } from './fitResult.js';
import { digamma, lgamma } from './specialFunctions.js';

/**
 * Maximum-likelihood fit of BG/NBD over log-parameters with time rescaled so max T = 1 (as lifetimes does:
 * it keeps α near 1 whatever the period unit). The likelihood and its analytic gradient are evaluated per
 * distinct x, T and t_x value, so a pattern costs one exp and one log1p per evaluation.
 */

export interface BgNbdFitOptions {
  /** Fewer customers with a repeat purchase than this → ok:false. Default 20. */
  minRepeatBuyers?: number;
  /** Extra starting point (in the data's units), tried besides the built-in ones. */
  start?: BgNbdParams;
  /** Replace the built-in starting points by `start` alone (tests of robustness). */
  onlyStart?: boolean;
  maxIterations?: number;
}

const NAMES = ['r', 'alpha', 'a', 'b'] as const;

interface Prepared {
  totalWeight: number;
  /** Σ w·x, for undoing the time scaling in the log-likelihood. */
  weightedFrequency: number;
  scale: number;
  xValues: Float64Array;
  weightPerX: Float64Array;
  tValues: Float64Array;
  /** Weight of x = 0 patterns per distinct T: their likelihood depends on T only. */
  zeroWeightPerT: Float64Array;
  txValues: Float64Array;
  /** Repeat-buyer patterns, as indices into the tables above. */
  xIndex: Int32Array;
  tIndex: Int32Array;
  txIndex: Int32Array;
  weight: Float64Array;
  repeatWeight: number;
  meanRate: number;
}

type Invalid = { reason: string };

function indexer(): { ids: Map<number, number>; values: number[]; id: (v: number) => number } {
  const ids = new Map<number, number>();
  const values: number[] = [];
  return {
    ids,
    values,
    id(v: number): number {
      let id = ids.get(v);
      if (id === undefined) {
        id = values.length;
        ids.set(v, id);
        values.push(v);
      }
      return id;
    },
  };
}

function prepare(patterns: PurchasePatterns): Prepared | Invalid {
  const { frequency, recency, T, weight } = patterns;
  const n = frequency.length;
  let maxT = 0;
  for (let i = 0; i < n; i++) {
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
  const scale = maxT > 0 ? 1 / maxT : 1;
  const xs = indexer();
  const ts = indexer();
  const txs = indexer();
  const weightPerX: number[] = [];
  const zeroWeightPerT: number[] = [];
  const xIndex: number[] = [];
  const tIndex: number[] = [];
  const txIndex: number[] = [];
  const w: number[] = [];
  let totalWeight = 0;
  let repeatWeight = 0;
  let weightedFrequency = 0;
  let weightedT = 0;
  for (let i = 0; i < n; i++) {
    if (weight[i] === 0) continue;
    const wi = weight[i];
    totalWeight += wi;
    weightedFrequency += wi * frequency[i];
    weightedT += wi * T[i] * scale;
    const xi = xs.id(frequency[i]);
    weightPerX[xi] = (weightPerX[xi] ?? 0) + wi;
    const ti = ts.id(T[i] * scale);
    if (frequency[i] === 0) {
      zeroWeightPerT[ti] = (zeroWeightPerT[ti] ?? 0) + wi;
      continue;
    }
    repeatWeight += wi;
    xIndex.push(xi);
    tIndex.push(ti);
    txIndex.push(txs.id(recency[i] * scale));
    w.push(wi);
  }
  const zeros = new Float64Array(ts.values.length);
  zeroWeightPerT.forEach((v, i) => (zeros[i] = v ?? 0));
  return {
    totalWeight,
    weightedFrequency,
    scale,
    xValues: Float64Array.from(xs.values),
    weightPerX: Float64Array.from(weightPerX),
    tValues: Float64Array.from(ts.values),
    zeroWeightPerT: zeros,
    txValues: Float64Array.from(txs.values),
    xIndex: Int32Array.from(xIndex),
    tIndex: Int32Array.from(tIndex),
    txIndex: Int32Array.from(txIndex),
    weight: Float64Array.from(w),
    repeatWeight,
    meanRate: weightedT > 0 ? weightedFrequency / weightedT : 1,
  };
}

/**
 * Log-likelihood (in scaled time) and its gradient with respect to (r, α, a, b).
 */
function makeEvaluator(d: Prepared): (p: Float64Array, grad: Float64Array) => number {
  const nx = d.xValues.length;
  const nt = d.tValues.length;
  const ntx = d.txValues.length;
  const perX = new Float64Array(nx); // A1 + A2
  const c4 = new Float64Array(nx); // ln a − ln(b + x − 1)
  const dc4b = new Float64Array(nx);
  const lnT = new Float64Array(nt);
  const invT = new Float64Array(nt);
  const lnTx = new Float64Array(ntx);
  const invTx = new Float64Array(ntx);
  return (p, grad) => {
    const r = p[0];
    const alpha = p[1];
    const a = p[2];
    const b = p[3];
    const lnAlpha = Math.log(alpha);
    const lgR = lgamma(r);
    const psiR = digamma(r);
    const lgAB = lgamma(a + b);
    const lgB = lgamma(b);
    const psiAB = digamma(a + b);
    const psiB = digamma(b);
    const lnA = Math.log(a);
    let ll = 0;
    let gr = 0;
    let gAlpha = 0;
    let ga = 0;
    let gb = 0;
    for (let i = 0; i < nx; i++) {
      const x = d.xValues[i];
      const w = d.weightPerX[i];
      const a1 = lgamma(r + x) - lgR + r * lnAlpha;
      const a2 = lgAB + lgamma(b + x) - lgB - lgamma(a + b + x);
      perX[i] = a1 + a2;
      ll += w * (a1 + a2);
      if (x > 0) {
        const psiABX = digamma(a + b + x);
        gr += w * (digamma(r + x) - psiR + lnAlpha);
        ga += w * (psiAB - psiABX);
        gb += w * (psiAB + digamma(b + x) - psiB - psiABX);
        c4[i] = lnA - Math.log(b + x - 1);
        dc4b[i] = -1 / (b + x - 1);
      } else {
        gr += w * lnAlpha;
      }
      gAlpha += (w * r) / alpha;
    }
    for (let j = 0; j < nt; j++) {
      const s = alpha + d.tValues[j];
      lnT[j] = Math.log(s);
      invT[j] = 1 / s;
      const w0 = d.zeroWeightPerT[j];
      if (w0 > 0) {
        ll -= w0 * r * lnT[j];
        gr -= w0 * lnT[j];
        gAlpha -= w0 * r * invT[j];
      }
    }
    for (let k = 0; k < ntx; k++) {
      const s = alpha + d.txValues[k];
      lnTx[k] = Math.log(s);
      invTx[k] = 1 / s;
    }
    const m = d.weight.length;
    for (let n = 0; n < m; n++) {
      const i = d.xIndex[n];
      const j = d.tIndex[n];
      const k = d.txIndex[n];
      const w = d.weight[n];
      const rx = r + d.xValues[i];
      const a3 = -rx * lnT[j];
      const a4 = c4[i] - rx * lnTx[k];
      // log-sum-exp; w3, w4 are the shares of the two terms in the likelihood.
      let w3: number;
      let top: number;
      let e: number;
      if (a3 >= a4) {
        e = Math.exp(a4 - a3);
        top = a3;
        w3 = 1 / (1 + e);
      } else {
        e = Math.exp(a3 - a4);
        top = a4;
        w3 = e / (1 + e);
      }
      const w4 = 1 - w3;
      ll += w * (top + Math.log1p(e));
      gr -= w * (w3 * lnT[j] + w4 * lnTx[k]);
      gAlpha -= w * rx * (w3 * invT[j] + w4 * invTx[k]);
      ga += (w * w4) / a;
      gb += w * w4 * dc4b[i];
    }
    grad[0] = gr;
    grad[1] = gAlpha;
    grad[2] = ga;
    grad[3] = gb;
    return ll;
  };
}

/** Total log-likelihood Σ w·ln L over the given customers or patterns, in their own time unit. */
export function bgnbdTotalLogLikelihood(p: BgNbdParams, history: HistoryColumns): number | undefined {
  const prepared = prepare(compressPatterns(history));
  if ('reason' in prepared) return undefined;
  const evaluate = makeEvaluator(prepared);
  const s = prepared.scale;
  const ll =
    evaluate(Float64Array.of(p.r, p.alpha * s, p.a, p.b), new Float64Array(4)) +
    Math.log(s) * prepared.weightedFrequency;
  return Number.isFinite(ll) ? ll : undefined;
}

function differentHistories(d: Prepared): number {
  const seen = new Set<string>();
  for (let j = 0; j < d.tValues.length; j++) if (d.zeroWeightPerT[j] > 0) seen.add(`0|${j}`);
  for (let n = 0; n < d.weight.length && seen.size < 2; n++) {
    seen.add(`${d.xIndex[n]}|${d.tIndex[n]}|${d.txIndex[n]}`);
  }
  return seen.size;
}

/**
 * Fit BG/NBD to customers (frequency x, recency t_x, T) or to compressed patterns with weights. Never throws
 * for data reasons: returns ok:false with a sentence instead.
 */
export function fitBgNbd(history: HistoryColumns, options: BgNbdFitOptions = {}): FitResult<BgNbdParams> {
  const { frequency, recency, T, weight } = history;
  const n = frequency.length;
  if (recency.length !== n || T.length !== n || (weight !== undefined && weight.length !== n)) {
    return { ok: false, reason: 'invalid data: frequency, recency, T and weight differ in length' };
  }
  const prepared = prepare(compressPatterns(history));
  if ('reason' in prepared) return { ok: false, reason: prepared.reason };
  const minRepeat = options.minRepeatBuyers ?? 20;
  if (prepared.totalWeight === 0) return { ok: false, reason: 'no customers to fit' };
  if (prepared.repeatWeight < minRepeat) {
    return {
      ok: false,
      reason: `only ${prepared.repeatWeight} customer(s) with a repeat purchase; the model needs at least ${minRepeat}`,
    };
  }
  if (differentHistories(prepared) < 2) {
    return { ok: false, reason: 'all customers have the same purchase history; the model cannot be identified' };
  }

  const evaluate = makeEvaluator(prepared);
  const params = new Float64Array(4);
  const grad = new Float64Array(4);
  const W = prepared.totalWeight;
  // Objective: −LL / W over θ = ln(params); mean, so tolerances do not depend on the number of customers.
  const objective = (theta: Float64Array, g: Float64Array): number => {
    for (let i = 0; i < 4; i++) params[i] = Math.exp(theta[i]);
    const ll = evaluate(params, grad);
    for (let i = 0; i < 4; i++) g[i] = (-grad[i] * params[i]) / W;
    return -ll / W;
  };
  const s = prepared.scale;
  const toTheta = (p: BgNbdParams): number[] => [p.r, p.alpha * s, p.a, p.b].map(Math.log);
  const starts: number[][] = [];
  if (options.start !== undefined) starts.push(toTheta(options.start));
  if (!options.onlyStart || options.start === undefined) {
    // Mean purchase rate r/α matched to the data, and a flat start like lifetimes' (all ones).
    starts.push(toTheta({ r: 0.5, alpha: 0.5 / prepared.meanRate / s, a: 0.8, b: 2.5 }));
    starts.push([0, 0, 0, 0]);
  }
  if (starts.some((st) => !st.every(Number.isFinite))) return { ok: false, reason: 'invalid starting point' };
  const result = fitInLogSpace(objective, starts, options.maxIterations);
  if (!Number.isFinite(result.value)) {
    return { ok: false, reason: 'the likelihood is not finite anywhere the optimizer looked' };
  }
  const atBound = result.atBound.flatMap((end, i) => (end === 0 ? [] : [`${NAMES[i]} → ${end < 0 ? 0 : '∞'}`]));
  if (atBound.length > 0) {
    return {
      ok: false,
      reason: `boundary solution (${atBound.join(', ')}): the data cannot pin down the model (too little repeat buying or drop-out to tell apart)`,
    };
  }
  if (!result.converged) {
    return {
      ok: false,
      reason: `the optimizer did not converge after ${result.iterations} iterations (gradient ${result.projectedGradient.toExponential(2)})`,
    };
  }
  const fitted: BgNbdParams = {
    r: Math.exp(result.x[0]),
    alpha: Math.exp(result.x[1]) / s,
    a: Math.exp(result.x[2]),
    b: Math.exp(result.x[3]),
  };
  const logLikelihood = -result.value * W + Math.log(s) * prepared.weightedFrequency;
  if (!Number.isFinite(logLikelihood) || !Object.values(fitted).every(Number.isFinite)) {
    return { ok: false, reason: 'the fitted likelihood is not finite' };
  }
  return { ok: true, params: fitted, logLikelihood, iterations: result.iterations, converged: true };
}

/** Inverse of a small dense symmetric matrix (row-major); undefined when singular. */
function invert(m: Float64Array, n: number): Float64Array | undefined {
  const a = Float64Array.from(m);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col]) > Math.abs(a[pivot * n + col])) pivot = r;
    const pv = a[pivot * n + col];
    if (!(Math.abs(pv) > 0) || !Number.isFinite(pv)) return undefined;
    for (let k = 0; k < n; k++) {
      [a[col * n + k], a[pivot * n + k]] = [a[pivot * n + k], a[col * n + k]];
      [inv[col * n + k], inv[pivot * n + k]] = [inv[pivot * n + k], inv[col * n + k]];
    }
    for (let k = 0; k < n; k++) {
      a[col * n + k] /= pv;
      inv[col * n + k] /= pv;
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r * n + col];
      if (f === 0) continue;
      for (let k = 0; k < n; k++) {
        a[r * n + k] -= f * a[col * n + k];
        inv[r * n + k] -= f * inv[col * n + k];
      }
    }
  }
  return inv;
}

/**
 * Asymptotic standard errors of fitted BG/NBD parameters: the inverse observed information (Hessian of −LL by
 * central differences of the analytic gradient, on log-parameters) and the delta method. Same quantity as
 * lifetimes' `summary` "se(coef)". undefined when the information matrix is singular (unidentified model).
 */
export function bgnbdStandardErrors(p: BgNbdParams, history: HistoryColumns): BgNbdParams | undefined {
  const prepared = prepare(compressPatterns(history));
  if ('reason' in prepared) return undefined;
  const evaluate = makeEvaluator(prepared);
  const s = prepared.scale;
  const theta = [p.r, p.alpha * s, p.a, p.b].map(Math.log);
  if (!theta.every(Number.isFinite)) return undefined;
  const gradTheta = (th: number[]): Float64Array => {
    const params = Float64Array.from(th, Math.exp);
    const g = new Float64Array(4);
    evaluate(params, g);
    for (let i = 0; i < 4; i++) g[i] *= params[i];
    return g;
  };
  const h = 1e-5;
  const info = new Float64Array(16);
  for (let j = 0; j < 4; j++) {
    const up = theta.slice();
    const down = theta.slice();
    up[j] += h;
    down[j] -= h;
    const gu = gradTheta(up);
    const gd = gradTheta(down);
    for (let i = 0; i < 4; i++) info[i * 4 + j] = -(gu[i] - gd[i]) / (2 * h);
  }
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (info[i * 4 + j] + info[j * 4 + i]);
      info[i * 4 + j] = v;
      info[j * 4 + i] = v;
    }
  }
  const cov = invert(info, 4);
  if (cov === undefined) return undefined;
  const values = [p.r, p.alpha, p.a, p.b];
  const se = values.map((v, i) => v * Math.sqrt(cov[i * 4 + i]));
  if (!se.every(Number.isFinite)) return undefined;
  return { r: se[0], alpha: se[1], a: se[2], b: se[3] };
}
