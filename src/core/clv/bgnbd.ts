import { hyp2f1 } from './hyp2f1.js';
import { expit, lbeta, lgamma, logAddExp } from './specialFunctions.js';

/**
 * BG/NBD (Fader, Hardie & Lee 2005a): purchases at Poisson rate λ ~ Gamma(r, α) while alive; after each repeat
 * purchase the customer drops out with probability π ~ Beta(a, b). Formulas and test values: specs/clv.md §1.
 * Time is in the caller's period unit (the same one the data were summarized in).
 */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

function validParams(p: BgNbdParams): boolean {
  return p.r > 0 && p.alpha > 0 && p.a > 0 && p.b > 0 && [p.r, p.alpha, p.a, p.b].every(Number.isFinite);
}

function validHistory(x: number, tx: number, T: number): boolean {
  return (
    Number.isInteger(x) && x >= 0 && tx >= 0 && T >= tx && Number.isFinite(T) && (x > 0 || tx === 0)
  );
}

function finiteOrUndefined(v: number): number | undefined {
  return Number.isFinite(v) ? v : undefined;
}

/** ln L for one customer, in log space throughout (the x > 0 term is joined by log-sum-exp). */
export function bgnbdLogLikelihood(p: BgNbdParams, x: number, tx: number, T: number): number | undefined {
  if (!validParams(p) || !validHistory(x, tx, T)) return undefined;
  const { r, alpha, a, b } = p;
  const a1 = lgamma(r + x) - lgamma(r) + r * Math.log(alpha);
  const a2 = lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x);
  const a3 = -(r + x) * Math.log(alpha + T);
  const a4 = x > 0 ? Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx) : -Infinity;
  return finiteOrUndefined(a1 + a2 + logAddExp(a3, a4));
}

/** ln of the odds "dropped out" : "alive" given the history (0 odds, i.e. −∞, when x = 0). */
function logOddsDead(p: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return -Infinity;
  return (
    Math.log(p.a) - Math.log(p.b + x - 1) + (p.r + x) * (Math.log(p.alpha + T) - Math.log(p.alpha + tx))
  );
}

/** P(alive at T | x, t_x, T) (Hardie note 021); 1 when x = 0 under BG/NBD. */
export function bgnbdProbabilityAlive(p: BgNbdParams, x: number, tx: number, T: number): number | undefined {
  if (!validParams(p) || !validHistory(x, tx, T)) return undefined;
  return finiteOrUndefined(expit(-logOddsDead(p, x, tx, T)));
}

/**
 * (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^{r+x} 2F1(r+x, b+x; a+b+x−1; z)], z = t/(α+T+t): the expected
 * purchases in (T, T+t] of a customer known to be alive. Euler's transform turns the power times 2F1 into
 * (1−z)^{a−1} 2F1(a+b−1−r, a−1; a+b+x−1; z), whose series has small parameters and no overflow.
 */
function expectedIfAlive(r: number, alpha: number, a: number, b: number, x: number, T: number, t: number): number {
  if (t === 0) return 0;
  const z = t / (alpha + T + t);
  const c = a + b + x - 1;
  const product = Math.exp((a - 1) * Math.log1p(-z)) * hyp2f1(a + b - 1 - r, a - 1, c, z);
  return (c / (a - 1)) * (1 - product);
}

/** a = 1 is a removable singularity of the formula above: average neighbours, Richardson-combined (O(h⁴)). */
const NEAR_ONE = 1e-6;
const STEP = 1e-4;

function expectedIfAliveAnyA(p: BgNbdParams, x: number, T: number, t: number): number {
  const { r, alpha, a, b } = p;
  if (Math.abs(a - 1) > NEAR_ONE) return expectedIfAlive(r, alpha, a, b, x, T, t);
  const at = (d: number): number =>
    0.5 * (expectedIfAlive(r, alpha, a + d, b, x, T, t) + expectedIfAlive(r, alpha, a - d, b, x, T, t));
  return (4 * at(STEP) - at(2 * STEP)) / 3;
}

/** E[Y(t) | x, t_x, T]: expected repeat purchases in the next t periods (paper eq. 10; lifetimes `predict`). */
export function bgnbdConditionalExpectedPurchases(
  p: BgNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number | undefined {
  if (!validParams(p) || !validHistory(x, tx, T) || !(t >= 0) || !Number.isFinite(t)) return undefined;
  const alive = expit(-logOddsDead(p, x, tx, T));
  if (alive === 0) return 0;
  return finiteOrUndefined(alive * expectedIfAliveAnyA(p, x, T, t));
}

/** E[X(t)]: expected repeat purchases of a new customer in (0, t] (paper eq. 9). */
export function bgnbdExpectedPurchases(p: BgNbdParams, t: number): number | undefined {
  if (!validParams(p) || !(t >= 0) || !Number.isFinite(t)) return undefined;
  return finiteOrUndefined(expectedIfAliveAnyA(p, 0, 0, t));
}

/** P(X(t) = n) for a new customer (paper eq. 8). */
export function bgnbdProbabilityOfPurchases(p: BgNbdParams, n: number, t: number): number | undefined {
  if (!validParams(p) || !Number.isInteger(n) || n < 0 || !(t >= 0) || !Number.isFinite(t)) return undefined;
  if (t === 0) return n === 0 ? 1 : 0;
  const { r, alpha, a, b } = p;
  const logShare = Math.log(alpha / (alpha + t));
  const logRest = Math.log(t / (alpha + t));
  const lbab = lbeta(a, b);
  const nbdLogPmf = (j: number): number =>
    lgamma(r + j) - lgamma(r) - lgamma(j + 1) + r * logShare + j * logRest;
  let probability = Math.exp(lbeta(a, b + n) - lbab + nbdLogPmf(n));
  if (n > 0) {
    let cumulative = 0;
    for (let j = 0; j < n; j++) cumulative += Math.exp(nbdLogPmf(j));
    probability += Math.exp(lbeta(a + 1, b + n - 1) - lbab) * Math.max(0, 1 - cumulative);
  }
  return finiteOrUndefined(probability);
}

/**
 * Expected repeat purchases in the next t periods of a customer known to be alive: E[Y(t)] / P(alive). It
 * depends on (x, T) but not on t_x, so callers predicting for many customers can share it across customers.
 */
export function bgnbdExpectedPurchasesIfAlive(p: BgNbdParams, t: number, x: number, T: number): number | undefined {
  if (!validParams(p) || !validHistory(x, 0, T) || !(t >= 0) || !Number.isFinite(t)) return undefined;
  return finiteOrUndefined(expectedIfAliveAnyA(p, x, T, t));
}
