import type { BgNbdParams } from './bgnbd.js';
import type { NbdParams } from './nbd.js';
import type { ParetoNbdParams } from './paretoNbd.js';
import { createRandom, type Random } from './random.js';

/**
 * Customers drawn from the purchase models (for tests, benchmarks and demo data). Every customer buys at
 * Poisson rate λ ~ Gamma(r, α) from a first purchase at time 0 until observed at T, while alive:
 * - BG/NBD: after each repeat purchase the customer drops out with probability π ~ Beta(a, b) (the same
 *   process as lifetimes' `beta_geometric_nbd_model`);
 * - MBG/NBD: the same, and also right after the first purchase (lifetimes' `modified_beta_geometric_nbd_model`);
 * - Pareto/NBD: the lifetime is exponential with rate μ ~ Gamma(s, β) (lifetimes' `pareto_nbd_model`);
 * - NBD: nobody drops out.
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

interface Customer {
  lambda: number;
  /** Drop-out probability after each repeat purchase (BG/MBG); undefined: no drop-out at purchases. */
  dropout?: number;
  /** MBG/NBD: the first purchase is a chance to drop out too. */
  dropAtFirst?: boolean;
  /** Pareto/NBD: the time the customer drops out. */
  lifetime?: number;
}

function simulate(T: ArrayLike<number>, options: SimulateOptions, draw: (rng: Random) => Customer): SimulatedCustomers {
  const rng = createRandom(options.seed);
  const n = T.length;
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const observed = Float64Array.from(T);
  const customers: number[] = [];
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = draw(rng);
    if (options.recordPurchases) {
      customers.push(i);
      times.push(0);
    }
    const end = Math.min(observed[i], c.lifetime ?? Infinity);
    let t = 0;
    let x = 0;
    let alive = !(c.dropAtFirst === true && rng.uniform() < (c.dropout ?? 0));
    while (alive) {
      t += rng.exponential(c.lambda);
      if (!(t <= end)) break;
      x++;
      recency[i] = t;
      if (options.recordPurchases) {
        customers.push(i);
        times.push(t);
      }
      if (c.dropout !== undefined && rng.uniform() < c.dropout) alive = false;
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

export function simulateBgNbd(params: BgNbdParams, T: ArrayLike<number>, options: SimulateOptions): SimulatedCustomers {
  return simulate(T, options, (rng) => ({ lambda: rng.gamma(params.r, params.alpha), dropout: rng.beta(params.a, params.b) }));
}

export function simulateMbgNbd(params: BgNbdParams, T: ArrayLike<number>, options: SimulateOptions): SimulatedCustomers {
  return simulate(T, options, (rng) => ({
    lambda: rng.gamma(params.r, params.alpha),
    dropout: rng.beta(params.a, params.b),
    dropAtFirst: true,
  }));
}

export function simulateParetoNbd(params: ParetoNbdParams, T: ArrayLike<number>, options: SimulateOptions): SimulatedCustomers {
  return simulate(T, options, (rng) => {
    const lambda = rng.gamma(params.r, params.alpha);
    return { lambda, lifetime: rng.exponential(rng.gamma(params.s, params.beta)) };
  });
}

export function simulateNbd(params: NbdParams, T: ArrayLike<number>, options: SimulateOptions): SimulatedCustomers {
  return simulate(T, options, (rng) => ({ lambda: rng.gamma(params.r, params.alpha) }));
}
