import { gammaGammaExpectedSpend, type GammaGammaParams } from './gammaGamma.js';
import { expectedPurchasesIfAlive, probabilityAlive, type PurchaseModel } from './purchaseModel.js';

/**
 * Predicted customer lifetime value over the next `months` months, lifetimes' `customer_lifetime_value`
 * convention (specs/clv.md §3): Σ_{k=1..H} E[M]·(E[Y(kΔ)] − E[Y((k−1)Δ)]) / (1 + d)^k, where E[Y] is the
 * purchase model's conditional expectation, E[M] the Gamma-Gamma expected spend and Δ the model periods per month.
 */
export interface ClvOptions {
  /**
   * Model periods in one month. lifetimes uses 30 for daily and 4.345 for weekly data; 365.25/12/periodDays
   * ({@link periodsPerMonth}) is the calendar average.
   */
  periodsPerMonth: number;
  /** Horizon H in months. Default 12. */
  months?: number;
  /** Monthly discount rate d. Default 0.01 (lifetimes). */
  monthlyDiscountRate?: number;
}

/** Average model periods per calendar month for a period of `periodDays` days. */
export function periodsPerMonth(periodDays: number): number {
  return 365.25 / 12 / periodDays;
}

interface Horizon {
  months: number;
  rate: number;
  step: number;
}

function validOptions(o: ClvOptions): Horizon | undefined {
  const months = o.months ?? 12;
  const rate = o.monthlyDiscountRate ?? 0.01;
  if (!(Number.isInteger(months) && months >= 0) || !(rate > -1) || !(o.periodsPerMonth > 0)) return undefined;
  if (!Number.isFinite(rate) || !Number.isFinite(o.periodsPerMonth)) return undefined;
  return { months, rate, step: o.periodsPerMonth };
}

/** Σ_k (E[Y(kΔ)] − E[Y((k−1)Δ)]) / (1+d)^k for a customer known to be alive; depends on (x, T) only. */
function discountedPurchasesIfAlive(model: PurchaseModel, x: number, T: number, h: Horizon): number | undefined {
  let sum = 0;
  let previous = 0;
  for (let k = 1; k <= h.months; k++) {
    const current = expectedPurchasesIfAlive(model, k * h.step, x, T);
    if (current === undefined) return undefined;
    sum += (current - previous) / Math.pow(1 + h.rate, k);
    previous = current;
  }
  return sum;
}

function clvFrom(
  model: PurchaseModel,
  gg: GammaGammaParams,
  x: number,
  tx: number,
  T: number,
  monetaryValue: number,
  discounted: (x: number, T: number) => number | undefined,
): number | undefined {
  const spend = gammaGammaExpectedSpend(gg, x, monetaryValue);
  if (spend === undefined) return undefined;
  const alive = probabilityAlive(model, x, tx, T);
  if (alive === undefined) return undefined;
  const purchases = discounted(x, T);
  if (purchases === undefined) return undefined;
  const value = spend * alive * purchases;
  return Number.isFinite(value) ? value : undefined;
}

/** CLV of one customer (monetary value = mean repeat spend z̄, any value when x = 0). */
export function customerLifetimeValue(
  model: PurchaseModel,
  gg: GammaGammaParams,
  x: number,
  tx: number,
  T: number,
  monetaryValue: number,
  options: ClvOptions,
): number | undefined {
  const h = validOptions(options);
  if (h === undefined) return undefined;
  return clvFrom(model, gg, x, tx, T, monetaryValue, (xx, TT) => discountedPurchasesIfAlive(model, xx, TT, h));
}

export interface ClvInput {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
  monetaryValue: ArrayLike<number>;
}

/**
 * CLV per customer; undefined where it cannot be computed (invalid history, q ≤ 1, overflow). Customers
 * sharing (x, T) share the expensive hypergeometric part, so a million customers cost a few thousand series.
 */
export function predictClv(
  model: PurchaseModel,
  gg: GammaGammaParams,
  customers: ClvInput,
  options: ClvOptions,
): (number | undefined)[] {
  const n = customers.frequency.length;
  const out: (number | undefined)[] = new Array(n).fill(undefined);
  const h = validOptions(options);
  if (h === undefined) return out;
  const cache = new Map<number, Map<number, number | undefined>>();
  const discounted = (x: number, T: number): number | undefined => {
    let byT = cache.get(x);
    if (byT === undefined) {
      byT = new Map();
      cache.set(x, byT);
    }
    if (byT.has(T)) return byT.get(T);
    const v = discountedPurchasesIfAlive(model, x, T, h);
    byT.set(T, v);
    return v;
  };
  for (let i = 0; i < n; i++) {
    out[i] = clvFrom(
      model,
      gg,
      customers.frequency[i],
      customers.recency[i],
      customers.T[i],
      customers.monetaryValue[i],
      discounted,
    );
  }
  return out;
}
