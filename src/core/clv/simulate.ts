import type { BgNbdParams } from './bgnbd.js';
import { createRandom } from './random.js';

/**
 * Customers drawn from a BG/NBD population (for tests, benchmarks and demo data): λ ~ Gamma(r, α),
 * π ~ Beta(a, b); purchases at rate λ after the first one at time 0; after each repeat purchase the
 * customer drops out with probability π (the same process as lifetimes' `beta_geometric_nbd_model`).
 */
export interface SimulatedCustomers {
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  /** With `recordPurchases`: every purchase (first one at 0) as customer index and time since the first. */
  purchaseCustomer?: Int32Array;
  purchaseTime?: Float64Array;
}

export interface SimulateOptions {
  seed: number;
  recordPurchases?: boolean;
}

export function simulateBgNbd(
  params: BgNbdParams,
  T: ArrayLike<number>,
  options: SimulateOptions,
): SimulatedCustomers {
  const rng = createRandom(options.seed);
  const n = T.length;
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const observed = Float64Array.from(T);
  const customers: number[] = [];
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const lambda = rng.gamma(params.r, params.alpha);
    const dropout = rng.beta(params.a, params.b);
    if (options.recordPurchases) {
      customers.push(i);
      times.push(0);
    }
    let t = 0;
    let x = 0;
    for (;;) {
      t += rng.exponential(lambda);
      if (!(t <= observed[i])) break;
      x++;
      recency[i] = t;
      if (options.recordPurchases) {
        customers.push(i);
        times.push(t);
      }
      if (rng.uniform() < dropout) break;
    }
    frequency[i] = x;
  }
  const result: SimulatedCustomers = { frequency, recency, T: observed };
  if (options.recordPurchases) {
    result.purchaseCustomer = Int32Array.from(customers);
    result.purchaseTime = Float64Array.from(times);
  }
  return result;
}
