/**
 * Log-gamma, digamma and friends for the lifetime-value models. Written out here because JavaScript has
 * no lgamma, and the models need it to ~1e-15 relative accuracy (the CDNOW log-likelihood is a sum of
 * thousands of terms that must agree with published values to 1e-6 relative).
 */

const HALF_LOG_TWO_PI = 0.9189385332046728;

/** Below this the Stirling series is not accurate enough; shift the argument up by recurrence. */
const STIRLING_MIN = 10;

function stirlingLogGamma(x: number): number {
  const inv = 1 / x;
  const inv2 = inv * inv;
  // Bernoulli-number series; at x >= 10 the next term is below 1e-17 relative.
  const series =
    inv *
    (1 / 12 +
      inv2 *
        (-1 / 360 +
          inv2 * (1 / 1260 + inv2 * (-1 / 1680 + inv2 * (1 / 1188 + inv2 * (-691 / 360360))))));
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + series;
}

/** sin(pi x) with the argument reduced first, so integers give exactly 0. */
export function sinPi(x: number): number {
  let y = x % 2;
  if (y < 0) y += 2;
  if (y === 0 || y === 1) return 0;
  if (y === 0.5) return 1;
  if (y === 1.5) return -1;
  return Math.sin(Math.PI * y);
}

/** ln Γ(x) for x > 0. */
export function lgamma(x: number): number {
  if (!(x > 0)) return x === 0 ? Infinity : NaN;
  if (x === Infinity) return Infinity;
  if (x >= STIRLING_MIN) return stirlingLogGamma(x);
  // Γ(x) = Γ(x+n) / (x (x+1) ... (x+n-1)); the product stays far from overflow for n <= 10.
  let product = 1;
  let y = x;
  while (y < STIRLING_MIN) {
    product *= y;
    y += 1;
  }
  return stirlingLogGamma(y) - Math.log(product);
}

/**
 * ln |Γ(x)| and the sign of Γ(x), for any real x (reflection for x < 0.5). Non-positive integers give
 * `{ value: Infinity, sign: 0 }`: 1/Γ is 0 there, which is what the hypergeometric connection formula needs.
 */
export function lgammaSigned(x: number): { value: number; sign: number } {
  if (x > 0) return { value: lgamma(x), sign: 1 };
  const s = sinPi(x);
  if (s === 0 || !Number.isFinite(x)) return { value: Infinity, sign: 0 };
  // Γ(x) Γ(1-x) = π / sin(πx)
  return { value: Math.log(Math.PI / Math.abs(s)) - lgamma(1 - x), sign: s > 0 ? 1 : -1 };
}

/** 1/Γ(x), finite everywhere (0 at non-positive integers). */
export function reciprocalGamma(x: number): number {
  const { value, sign } = lgammaSigned(x);
  if (sign === 0) return 0;
  return sign * Math.exp(-value);
}

/** ψ(x) = d/dx ln Γ(x), for x > 0. */
export function digamma(x: number): number {
  if (!(x > 0)) return NaN;
  let result = 0;
  let y = x;
  // At y >= 12 the first omitted asymptotic term is below 3e-15.
  while (y < 12) {
    result -= 1 / y;
    y += 1;
  }
  const inv = 1 / y;
  const inv2 = inv * inv;
  result +=
    Math.log(y) -
    0.5 * inv -
    inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132)))));
  return result;
}

/** ln B(a, b) for a, b > 0. */
export function lbeta(a: number, b: number): number {
  return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/** ln(e^u + e^v) without overflow. */
export function logAddExp(u: number, v: number): number {
  if (u === -Infinity) return v;
  if (v === -Infinity) return u;
  const m = u > v ? u : v;
  return m + Math.log1p(Math.exp(-Math.abs(u - v)));
}

/** 1 / (1 + e^{-u}), stable for large |u|. */
export function expit(u: number): number {
  if (u >= 0) return 1 / (1 + Math.exp(-u));
  const e = Math.exp(u);
  return e / (1 + e);
}
