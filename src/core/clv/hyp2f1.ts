import { lgammaSigned } from './specialFunctions.js';

/**
 * Gauss hypergeometric function 2F1(a, b; c; z) for real parameters and z < 1 (z = 1 when it converges).
 *
 * BG/NBD predictions need it with z = t / (α + T + t) in [0, 1), which approaches 1 for young customers and
 * long horizons. The plain series converges there, but slowly, and for the raw BG/NBD parameters its terms
 * first grow like (1 − z)^{c−a−b} before they shrink. So: Euler's transform when c − a − b < 0 (the transformed
 * series has decaying terms), a bounded number of terms when z is close to 1, then the z → 1 − z connection
 * formula (Abramowitz & Stegun 15.3.6), which converges in a few terms there.
 */

const MAX_TERMS = 2_000_000;
/** Terms allowed near z = 1 before switching to the connection formula. */
const NEAR_ONE_BUDGET = 5_000;
const NEAR_ONE = 0.9;
const RELATIVE_TOLERANCE = 1e-16;
/** The connection formula loses about log10(1/d) digits when c − a − b is within d of an integer. */
const MIN_DISTANCE_FROM_INTEGER = 1e-3;

interface SeriesResult {
  sum: number;
  converged: boolean;
}

function series(a: number, b: number, c: number, z: number, budget: number): SeriesResult {
  let term = 1;
  let sum = 1;
  for (let k = 0; k < budget; k++) {
    const ratio = (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
    term *= ratio;
    sum += term;
    if (term === 0) return { sum, converged: true };
    if (!Number.isFinite(sum)) return { sum: NaN, converged: false };
    // Once the term ratio has settled below 1 the tail is bounded by a geometric series.
    const rho = Math.max(Math.abs(ratio), Math.abs(z));
    if (rho < 1) {
      const tail = (Math.abs(term) * rho) / (1 - rho);
      if (tail <= RELATIVE_TOLERANCE * Math.abs(sum)) return { sum, converged: true };
    }
  }
  return { sum, converged: false };
}

function distanceFromInteger(v: number): number {
  return Math.abs(v - Math.round(v));
}

/** Γ(c) Γ(u) / (Γ(v) Γ(w)) with signs, computed in log space. */
function gammaRatio(c: number, u: number, v: number, w: number): number {
  const gc = lgammaSigned(c);
  const gu = lgammaSigned(u);
  const gv = lgammaSigned(v);
  const gw = lgammaSigned(w);
  if (gv.sign === 0 || gw.sign === 0) return 0;
  return gc.sign * gu.sign * gv.sign * gw.sign * Math.exp(gc.value + gu.value - gv.value - gw.value);
}

/** A&S 15.3.6, valid when s = c − a − b is not an integer; accurate for z near 1. */
function connection(a: number, b: number, c: number, z: number): number {
  const s = c - a - b;
  const w = 1 - z;
  const first = series(a, b, 1 - s, w, MAX_TERMS);
  const second = series(c - a, c - b, 1 + s, w, MAX_TERMS);
  if (!first.converged || !second.converged) return NaN;
  const t1 = gammaRatio(c, s, c - a, c - b) * first.sum;
  const t2 = Math.exp(s * Math.log(w)) * gammaRatio(c, -s, a, b) * second.sum;
  return t1 + t2;
}

function onUnitInterval(a: number, b: number, c: number, z: number): number {
  const s = c - a - b;
  // Euler: 2F1(a,b;c;z) = (1−z)^s 2F1(c−a, c−b; c; z); pick the form whose terms decay.
  const euler = s < 0;
  const pa = euler ? c - a : a;
  const pb = euler ? c - b : b;
  const logPrefactor = euler ? s * Math.log1p(-z) : 0;
  const nearOne = z > NEAR_ONE;
  const quick = series(pa, pb, c, z, nearOne ? NEAR_ONE_BUDGET : MAX_TERMS);
  if (quick.converged) return Math.exp(logPrefactor) * quick.sum;
  if (!nearOne) return NaN;
  if (distanceFromInteger(s) > MIN_DISTANCE_FROM_INTEGER) return connection(a, b, c, z);
  const slow = series(pa, pb, c, z, MAX_TERMS);
  if (slow.converged) return Math.exp(logPrefactor) * slow.sum;
  // s (almost) an integer and z within ~1e-5 of 1: 2F1 is analytic in c, so symmetric means of neighbours
  // off the integer, Richardson-combined, are exact to O(δ⁴).
  const delta = 1e-4;
  const near = 0.5 * (connection(a, b, c + delta, z) + connection(a, b, c - delta, z));
  const far = 0.5 * (connection(a, b, c + 2 * delta, z) + connection(a, b, c - 2 * delta, z));
  return (4 * near - far) / 3;
}

export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (![a, b, c, z].every(Number.isFinite)) return NaN;
  if (c <= 0 && Number.isInteger(c)) return NaN;
  if (z === 0 || a === 0 || b === 0) return 1;
  if (z === 1) {
    const s = c - a - b;
    return s > 0 ? gammaRatio(c, s, c - a, c - b) : NaN;
  }
  if (z > 1) return NaN;
  if (z < 0) {
    // Pfaff: 2F1(a,b;c;z) = (1−z)^{−a} 2F1(a, c−b; c; z/(z−1)), which maps z < 0 into [0, 1).
    return Math.exp(-a * Math.log1p(-z)) * onUnitInterval(a, c - b, c, z / (z - 1));
  }
  return onUnitInterval(a, b, c, z);
}
