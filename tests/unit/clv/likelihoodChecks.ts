/** Independent numerical checks of the purchase models' formulas, shared by their test files. */
import { lgamma, logLikelihood, type PurchaseModel } from '../../../src/core/clv/index.js';

/** Composite Simpson's rule on [a, b] with `intervals` (even) sub-intervals. */
export function simpson(f: (x: number) => number, a: number, b: number, intervals: number): number {
  const h = (b - a) / intervals;
  let sum = f(a) + f(b);
  for (let k = 1; k < intervals; k++) sum += (k % 2 === 1 ? 4 : 2) * f(a + k * h);
  return (sum * h) / 3;
}

/**
 * Σ_x P(X = x) over a window (0, T] from the likelihood alone. L(x, t_x, T) is the joint density of the x
 * repeat-purchase times, which it depends on only through the last one, t_x; the earlier x − 1 times range
 * over a simplex of volume t_x^{x−1}/(x−1)!. So P(X = 0) = L(0, 0, T) and
 * P(X = x) = ∫_0^T L(x, t_x, T) t_x^{x−1}/(x−1)! dt_x, and the probabilities must add up to 1.
 */
export function totalProbability(model: PurchaseModel, T: number, maxX: number): number {
  let total = Math.exp(logLikelihood(model, 0, 0, T) as number);
  for (let x = 1; x <= maxX; x++) {
    const density = (tx: number): number =>
      tx === 0 ? (x === 1 ? Math.exp(logLikelihood(model, 1, 0, T) as number) : 0) : Math.exp((logLikelihood(model, x, tx, T) as number) + (x - 1) * Math.log(tx) - lgamma(x));
    total += simpson(density, 0, T, 2000);
  }
  return total;
}
