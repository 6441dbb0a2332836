import type { HistoryColumns } from './compressPatterns.js';
import {
  countingLogLikelihood,
  countingStandardErrors,
  fitCountingModel,
  type CountingData,
  type CountingEvaluator,
  type CountingFitOptions,
  type CountingFitResult,
  type CountingModel,
} from './countingFit.js';
import { hyp2f1 } from './hyp2f1.js';
import { digamma, expit, lgamma, lgammaSigned, logAddExp } from './specialFunctions.js';

/**
 * Pareto/NBD (Schmittlein, Morrison & Colombo 1987): purchases at Poisson rate λ ~ Gamma(r, α) while alive;
 * the lifetime is exponential with rate μ ~ Gamma(s, β), so customers drop out at any time, not only at a
 * purchase. Likelihood (Fader & Hardie, "A Note on Deriving the Pareto/NBD Model and Related Expressions",
 * 2005, eq. 11–12):
 *   L = Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^{−(r+x)} (β+T)^{−s} + s ∫_{t_x}^{T} (α+τ)^{−(r+x)} (β+τ)^{−(s+1)} dτ ],
 * the integral being the note's A0 / (r+s+x). With H(t) = ∫_t^∞ the integral is H(t_x) − H(T), and H is a
 * Gaussian hypergeometric function (see logTail), evaluated in log space; time is in the caller's unit.
 */
export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

function validParams(p: ParetoNbdParams): boolean {
  return [p.r, p.alpha, p.s, p.beta].every((v) => v > 0 && Number.isFinite(v));
}

function validHistory(x: number, tx: number, T: number): boolean {
  return Number.isInteger(x) && x >= 0 && tx >= 0 && T >= tx && Number.isFinite(T) && (x > 0 || tx === 0);
}

/**
 * ln H(t) = ln ∫_t^∞ (α+τ)^{−p} (β+τ)^{−q} dτ. With M the larger and m the smaller of α, β, e_m the exponent
 * of (m+τ), e_M the other one and κ = p + q − 1:
 *   H = (M+t)^{−κ}/κ · 2F1(κ, e_m; κ+1; z),  z = (M−m)/(M+t)          (expand the ratio of the two bases)
 *     = (M+t)^{−e_M} (m+t)^{1−e_m} / κ · 2F1(1, e_M; κ+1; z)          (Euler's transform)
 * The last series has positive terms shrinking at least like z^k, so there is no cancellation, and the
 * powers that could overflow (x in the hundreds) are taken in log space.
 */
interface Tail {
  large: number;
  small: number;
  eLarge: number;
  eSmall: number;
  alphaLarger: boolean;
}

function tailOrder(p: number, q: number, alpha: number, beta: number): Tail {
  const alphaLarger = alpha >= beta;
  return alphaLarger
    ? { large: alpha, small: beta, eLarge: p, eSmall: q, alphaLarger }
    : { large: beta, small: alpha, eLarge: q, eSmall: p, alphaLarger };
}

/** The same through the general hyp2f1 (transformations, connection formula): the last resort. */
function logTailByHyp2f1(p: number, q: number, alpha: number, beta: number, t: number): number {
  const { large, small, eLarge, eSmall } = tailOrder(p, q, alpha, beta);
  const z = (large - small) / (large + t);
  return -eLarge * Math.log(large + t) + (1 - eSmall) * Math.log(small + t) - Math.log(p + q - 1) + Math.log(hyp2f1(1, eLarge, p + q, z));
}

/** Up to this z the series of 2F1(1, e_M; κ+1; z) is summed directly; beyond it, the expansion around z = 1. */
const SERIES_MAX_Z = 0.8;
const SERIES_TERMS = 600;
/** Closer than this to an integer, e_m's expansion is interpolated from points off the integer (nearOneTail). */
const NEAR_INTEGER = 1e-3;
/** Relative step of the central differences of the last-resort path. */
const TAIL_STEP = 1e-5;

/**
 * ln H with its derivatives with respect to (e_M, e_m, M, m) in g[0..3], from the series in z:
 * S = Σ c_k z^k, c_{k+1} = c_k (e_M+k)/(κ+1+k), differentiated term by term (∂ ln c_k/∂e_M =
 * Σ_{j<k} 1/(e_M+j) − 1/(κ+1+j), ∂ ln c_k/∂e_m = −Σ_{j<k} 1/(κ+1+j)). NaN when it does not converge.
 */
function seriesTail(o: Tail, t: number, g: Float64Array): number {
  const lnLarge = Math.log(o.large + t);
  const lnSmall = Math.log(o.small + t);
  const z = (o.large - o.small) / (o.large + t);
  const c1 = o.eLarge + o.eSmall; // κ + 1
  let term = 1;
  let sum = 1;
  let sumLarge = 0;
  let sumSmall = 0;
  let sumZ = 0; // Σ k c_k z^{k−1}
  let dLarge = 0;
  let dSmall = 0;
  let converged = false;
  for (let k = 0; k < SERIES_TERMS && !converged; k++) {
    const ratio = (o.eLarge + k) / (c1 + k);
    sumZ += (k + 1) * term * ratio;
    term *= ratio * z;
    dLarge += 1 / (o.eLarge + k) - 1 / (c1 + k);
    dSmall -= 1 / (c1 + k);
    sum += term;
    sumLarge += term * dLarge;
    sumSmall += term * dSmall;
    // The derivative sums carry factors k/z and ln k: stop when their next terms are negligible too.
    converged = term * (k + 2) <= 1e-17 * sum * z;
  }
  if (!converged) return NaN;
  const kappa = c1 - 1;
  const dLnSdz = sumZ / sum;
  g[0] = -lnLarge - 1 / kappa + sumLarge / sum;
  g[1] = -lnSmall - 1 / kappa + sumSmall / sum;
  g[2] = -o.eLarge / (o.large + t) + (dLnSdz * (o.small + t)) / ((o.large + t) * (o.large + t));
  g[3] = (1 - o.eSmall) / (o.small + t) - dLnSdz / (o.large + t);
  return -o.eLarge * lnLarge + (1 - o.eSmall) * lnSmall - Math.log(kappa) + Math.log(sum);
}

/** ψ for any non-integer real argument (reflection below 1/2). */
function digammaAnywhere(y: number): number {
  return y > 0 ? digamma(y) : digamma(1 - y) - Math.PI / Math.tan(Math.PI * y);
}

/**
 * Near z = 1 (m + t small against M + t: a long expected lifetime against the purchase scale, as when
 * the data show little drop-out), by the z → 1 − z connection formula (A&S 15.3.6), which for these
 * parameters splits H into two closed pieces, with w = 1 − z = (m+t)/(M+t):
 *   H = (M+t)^{−e_M} (m+t)^{1−e_m} / (e_m − 1) · 2F1(1, e_M; 2 − e_m; w)  +  Γ(κ) Γ(1−e_m) / Γ(e_M) · (M − m)^{−κ}.
 * The second piece does not depend on t. The series in w ≤ 0.2 converges in a few dozen terms and is
 * differentiated term by term like seriesTail's. Both pieces have poles at integer e_m that cancel; there
 * the caller combines values off the integer (see logTailWithGradient). NaN when the sum is not positive.
 */
function connectionTail(o: Tail, t: number, g: Float64Array): number {
  const eM = o.eLarge;
  const em = o.eSmall;
  const kappa = eM + em - 1;
  const lnLarge = Math.log(o.large + t);
  const lnSmall = Math.log(o.small + t);
  const w = (o.small + t) / (o.large + t);
  const c = 2 - em;
  let term = 1;
  let sum = 1;
  let sumM = 0; // Σ d_k w^k ∂ln|d_k|/∂e_M
  let summ = 0; // Σ d_k w^k ∂ln|d_k|/∂e_m
  let sumW = 0; // Σ k d_k w^{k−1}
  let dM = 0;
  let dm = 0;
  let converged = false;
  for (let k = 0; k < SERIES_TERMS && !converged; k++) {
    const ratio = (eM + k) / (c + k);
    sumW += (k + 1) * term * ratio;
    term *= ratio * w;
    dM += 1 / (eM + k);
    dm += 1 / (c + k);
    sum += term;
    sumM += term * dM;
    summ += term * dm;
    converged = k + 1 > -c && Math.abs(term) * (k + 2) <= 1e-17 * Math.abs(sum) * w;
  }
  if (!converged || sum === 0) return NaN;
  // Piece 1, in log of its absolute value with its sign.
  const l1 = -eM * lnLarge + (1 - em) * lnSmall - Math.log(Math.abs(em - 1)) + Math.log(Math.abs(sum));
  const s1 = Math.sign(em - 1) * Math.sign(sum);
  // Piece 2.
  const gammaSmall = lgammaSigned(1 - em);
  const lnGap = Math.log(o.large - o.small);
  const l2 = lgamma(kappa) + gammaSmall.value - lgamma(eM) - kappa * lnGap;
  const s2 = gammaSmall.sign;
  const top = Math.max(l1, l2);
  const total = s1 * Math.exp(l1 - top) + s2 * Math.exp(l2 - top);
  if (!(total > 0)) return NaN;
  const lnH = top + Math.log(total);
  const w1 = s1 * Math.exp(l1 - lnH);
  const w2 = s2 * Math.exp(l2 - lnH);
  const dLnFdw = sumW / sum;
  const psiKappa = digamma(kappa);
  g[0] = w1 * (-lnLarge + sumM / sum) + w2 * (psiKappa - digamma(eM) - lnGap);
  g[1] = w1 * (-lnSmall - 1 / (em - 1) + summ / sum) + w2 * (psiKappa - digammaAnywhere(1 - em) - lnGap);
  g[2] = w1 * (-eM / (o.large + t) - (dLnFdw * w) / (o.large + t)) - (w2 * kappa) / (o.large - o.small);
  g[3] = w1 * ((1 - em) / (o.small + t) + dLnFdw / (o.large + t)) + (w2 * kappa) / (o.large - o.small);
  return lnH;
}

/**
 * connectionTail, or where e_m is within NEAR_INTEGER of an integer n (where its two pieces cancel), the
 * cubic through e_m = n ± δ, n ± 2δ (δ = NEAR_INTEGER; H is analytic in e_m), evaluated at e_m: O(δ⁴).
 */
function nearOneTail(o: Tail, t: number, g: Float64Array): number {
  const n = Math.round(o.eSmall);
  const offset = o.eSmall - n;
  if (Math.abs(offset) > NEAR_INTEGER) return connectionTail(o, t, g);
  const nodes = [-2 * NEAR_INTEGER, -NEAR_INTEGER, NEAR_INTEGER, 2 * NEAR_INTEGER];
  const part = new Float64Array(4);
  let value = 0;
  g.fill(0);
  for (let i = 0; i < nodes.length; i++) {
    let weight = 1;
    for (let j = 0; j < nodes.length; j++) if (j !== i) weight *= (offset - nodes[j]) / (nodes[i] - nodes[j]);
    value += weight * connectionTail({ ...o, eSmall: n + nodes[i] }, t, part);
    for (let k = 0; k < 4; k++) g[k] += weight * part[k];
  }
  return value;
}

/** Derivatives in (e_M, e_m, M, m) order, before they are mapped to (p, q, α, β). */
const scratch = new Float64Array(4);

function logTail(p: number, q: number, alpha: number, beta: number, t: number): number {
  return logTailWithGradient(p, q, alpha, beta, t, undefined, 0);
}

/**
 * ln H and, with `d`, its partial derivatives with respect to (p, q, α, β), written into d[at..at+3]: the
 * series in z up to SERIES_MAX_Z, the expansion around z = 1 beyond; hyp2f1 with central differences only
 * where neither gives a finite answer.
 */
function logTailWithGradient(
  p: number,
  q: number,
  alpha: number,
  beta: number,
  t: number,
  d: Float64Array | undefined,
  at: number,
): number {
  const o = tailOrder(p, q, alpha, beta);
  const z = (o.large - o.small) / (o.large + t);
  const value = z <= SERIES_MAX_Z ? seriesTail(o, t, scratch) : nearOneTail(o, t, scratch);
  if (Number.isFinite(value) && scratch.every(Number.isFinite)) {
    if (d !== undefined) {
      d[at] = o.alphaLarger ? scratch[0] : scratch[1];
      d[at + 1] = o.alphaLarger ? scratch[1] : scratch[0];
      d[at + 2] = o.alphaLarger ? scratch[2] : scratch[3];
      d[at + 3] = o.alphaLarger ? scratch[3] : scratch[2];
    }
    return value;
  }
  if (d !== undefined) {
    const v = [p, q, alpha, beta];
    for (let i = 0; i < 4; i++) {
      const h = TAIL_STEP * v[i];
      const up = v.slice();
      const down = v.slice();
      up[i] += h;
      down[i] -= h;
      d[at + i] = (logTailByHyp2f1(up[0], up[1], up[2], up[3], t) - logTailByHyp2f1(down[0], down[1], down[2], down[3], t)) / (2 * h);
    }
  }
  return logTailByHyp2f1(p, q, alpha, beta, t);
}

/** ln ∫_{t_x}^{T} (α+τ)^{−(r+x)} (β+τ)^{−(s+1)} dτ from ln H(t_x) and ln H(T); −∞ when t_x = T. */
function logBetween(lnHtx: number, lnHT: number): number {
  const d = lnHT - lnHtx;
  return d >= 0 ? -Infinity : lnHtx + Math.log1p(-Math.exp(d));
}

/** The two terms of L / (Γ(r+x) α^r β^s / Γ(r)) in log: [alive at T, dropped out in (t_x, T]]. */
function logTerms(p: ParetoNbdParams, x: number, tx: number, T: number): [number, number] {
  const { r, alpha, s, beta } = p;
  const alive = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const lnHtx = logTail(r + x, s + 1, alpha, beta, tx);
  const lnHT = logTail(r + x, s + 1, alpha, beta, T);
  return [alive, Math.log(s) + logBetween(lnHtx, lnHT)];
}

export function paretoNbdLogLikelihood(p: ParetoNbdParams, x: number, tx: number, T: number): number | undefined {
  if (!validParams(p) || !validHistory(x, tx, T)) return undefined;
  const [alive, dead] = logTerms(p, x, tx, T);
  const v = lgamma(p.r + x) - lgamma(p.r) + p.r * Math.log(p.alpha) + p.s * Math.log(p.beta) + logAddExp(alive, dead);
  return Number.isFinite(v) ? v : undefined;
}

/** P(alive at T | x, t_x, T): the share of the "alive at T" term in the likelihood (note eq. 18). */
export function paretoNbdProbabilityAlive(p: ParetoNbdParams, x: number, tx: number, T: number): number | undefined {
  if (!validParams(p) || !validHistory(x, tx, T)) return undefined;
  const [alive, dead] = logTerms(p, x, tx, T);
  const v = expit(alive - dead);
  return Number.isFinite(v) ? v : undefined;
}

/** expm1(y)/y, 1 at y = 0. */
function expm1OverY(y: number): number {
  return y === 0 ? 1 : Math.expm1(y) / y;
}

/**
 * Expected purchases in the next t periods of a customer known to be alive at T: E[λ | x, T] = (r+x)/(α+T)
 * times E[(1 − e^{−μt})/μ] under μ ~ Gamma(s, β+T) = (β+T)/(s−1) · [1 − ((β+T)/(β+T+t))^{s−1}], written so
 * that s = 1 (where it is (β+T) ln(1 + t/(β+T))) needs no special case. Depends on (x, T) only.
 */
export function paretoNbdExpectedPurchasesIfAlive(p: ParetoNbdParams, t: number, x: number, T: number): number | undefined {
  if (!validParams(p) || !validHistory(x, 0, T) || !(t >= 0) || !Number.isFinite(t)) return undefined;
  const horizon = Math.log1p(t / (p.beta + T));
  const v = ((p.r + x) / (p.alpha + T)) * (p.beta + T) * horizon * expm1OverY((1 - p.s) * horizon);
  return Number.isFinite(v) ? v : undefined;
}

/** E[Y(t) | x, t_x, T] = P(alive) × E[purchases | alive] (note eq. 22; BTYD pnbd.ConditionalExpectedTransactions). */
export function paretoNbdConditionalExpectedPurchases(
  p: ParetoNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number | undefined {
  const alive = paretoNbdProbabilityAlive(p, x, tx, T);
  const ifAlive = paretoNbdExpectedPurchasesIfAlive(p, t, x, T);
  return alive === undefined || ifAlive === undefined ? undefined : alive * ifAlive;
}

/** E[X(t)] = rβ/(α(s−1)) · [1 − (β/(β+t))^{s−1}] for a new customer (note eq. 17). */
export function paretoNbdExpectedPurchases(p: ParetoNbdParams, t: number): number | undefined {
  return paretoNbdExpectedPurchasesIfAlive(p, t, 0, 0);
}

/**
 * The likelihood per pattern needs H at every distinct (x, t_x) and (x, T): a few tens of thousands of
 * hypergeometric series for a million customers with day-level histories.
 */
function paretoEvaluator(d: CountingData): CountingEvaluator {
  const ids = new Map<number, number>();
  const pairX: number[] = [];
  const pairT: number[] = [];
  const pairOf = (xi: number, t: number, key: number): number => {
    let id = ids.get(key);
    if (id === undefined) {
      id = pairX.length;
      ids.set(key, id);
      pairX.push(d.xValues[xi]);
      pairT.push(t);
    }
    return id;
  };
  const m = d.weight.length;
  const nt = d.tValues.length;
  const ntx = d.txValues.length;
  const txPair = new Int32Array(m);
  const tPair = new Int32Array(m);
  for (let n = 0; n < m; n++) {
    const xi = d.xIndex[n];
    // Keys: (x, t_x) pairs first, then (x, T) pairs, so the two kinds never collide.
    txPair[n] = pairOf(xi, d.txValues[d.txIndex[n]], xi * (ntx + nt) + d.txIndex[n]);
    tPair[n] = pairOf(xi, d.tValues[d.tIndex[n]], xi * (ntx + nt) + ntx + d.tIndex[n]);
  }
  const lnH = new Float64Array(pairX.length);
  const dH = new Float64Array(4 * pairX.length);
  const lnAlphaT = new Float64Array(nt);
  const lnBetaT = new Float64Array(nt);
  const nx = d.xValues.length;
  return (params, grad) => {
    const r = params[0];
    const alpha = params[1];
    const s = params[2];
    const beta = params[3];
    for (let i = 0; i < lnH.length; i++) {
      lnH[i] = grad === undefined
        ? logTail(r + pairX[i], s + 1, alpha, beta, pairT[i])
        : logTailWithGradient(r + pairX[i], s + 1, alpha, beta, pairT[i], dH, 4 * i);
    }
    for (let j = 0; j < nt; j++) {
      lnAlphaT[j] = Math.log(alpha + d.tValues[j]);
      lnBetaT[j] = Math.log(beta + d.tValues[j]);
    }
    const lnS = Math.log(s);
    const lnAlpha = Math.log(alpha);
    const lnBeta = Math.log(beta);
    const lgR = lgamma(r);
    const psiR = digamma(r);
    let ll = 0;
    let gr = 0;
    let gAlpha = 0;
    let gs = 0;
    let gBeta = 0;
    for (let i = 0; i < nx; i++) {
      const w = d.weightPerX[i];
      ll += w * (lgamma(r + d.xValues[i]) - lgR + r * lnAlpha + s * lnBeta);
      if (grad !== undefined) {
        gr += w * (digamma(r + d.xValues[i]) - psiR + lnAlpha);
        gAlpha += (w * r) / alpha;
        gs += w * lnBeta;
        gBeta += (w * s) / beta;
      }
    }
    for (let n = 0; n < m; n++) {
      const j = d.tIndex[n];
      const w = d.weight[n];
      const rx = r + d.xValues[d.xIndex[n]];
      const alive = -rx * lnAlphaT[j] - s * lnBetaT[j];
      const hx = txPair[n];
      const hT = tPair[n];
      const between = logBetween(lnH[hx], lnH[hT]);
      const dead = lnS + between;
      ll += w * logAddExp(alive, dead);
      if (grad === undefined) continue;
      // Shares of the two terms, and ∂ ln(H(t_x) − H(T)) = (∂ln H(t_x) − ρ ∂ln H(T)) / (1 − ρ), ρ = H(T)/H(t_x).
      const wAlive = expit(alive - dead);
      const tT = d.tValues[j];
      gr -= w * wAlive * lnAlphaT[j];
      gAlpha -= (w * wAlive * rx) / (alpha + tT);
      gs -= w * wAlive * lnBetaT[j];
      gBeta -= (w * wAlive * s) / (beta + tT);
      const wDead = 1 - wAlive;
      if (wDead === 0) continue;
      const rho = Math.exp(lnH[hT] - lnH[hx]);
      const f = (w * wDead) / (1 - rho);
      gr += f * (dH[4 * hx] - rho * dH[4 * hT]);
      gs += w * wDead / s + f * (dH[4 * hx + 1] - rho * dH[4 * hT + 1]);
      gAlpha += f * (dH[4 * hx + 2] - rho * dH[4 * hT + 2]);
      gBeta += f * (dH[4 * hx + 3] - rho * dH[4 * hT + 3]);
    }
    if (grad !== undefined) {
      grad[0] = gr;
      grad[1] = gAlpha;
      grad[2] = gs;
      grad[3] = gBeta;
    }
    return ll;
  };
}

export const PARETO_NBD_MODEL: CountingModel<ParetoNbdParams> = {
  label: 'Pareto/NBD',
  names: ['r', 'alpha', 's', 'beta'],
  timeScaled: [1, 3],
  analyticGradient: true,
  makeEvaluator: paretoEvaluator,
  // A flat start (CLVTools' and lifetimes' defaults are all ones) and one matching the mean purchase rate.
  starts: (d) => [
    [1, 1, 1, 1],
    [0.5, 0.5 / d.meanRate, 0.5, 0.5],
  ],
  // μ ~ Gamma(s, β) collapses onto 0 when s → 0 or β → ∞: nobody drops out.
  noDropOut: (atBound) => atBound[0] === 0 && atBound[1] === 0 && (atBound[2] === -1 || atBound[3] === 1),
};

export function fitParetoNbd(
  history: HistoryColumns,
  options: CountingFitOptions<ParetoNbdParams> = {},
): CountingFitResult<ParetoNbdParams> {
  return fitCountingModel(PARETO_NBD_MODEL, history, options);
}

export function paretoNbdTotalLogLikelihood(p: ParetoNbdParams, history: HistoryColumns): number | undefined {
  return countingLogLikelihood(PARETO_NBD_MODEL, p, history);
}

export function paretoNbdStandardErrors(p: ParetoNbdParams, history: HistoryColumns): ParetoNbdParams | undefined {
  return countingStandardErrors(PARETO_NBD_MODEL, p, history);
}
