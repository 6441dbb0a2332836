/**
 * The spend model (Gamma-Gamma) is fitted per currency: amounts in yen and in US cents are never one
 * sample. Proved by comparison: fitted on a mixed shop, each currency's parameters equal those fitted on
 * that currency's customers alone; a customer whose money is in two currencies gets no predicted CLV.
 */
import { describe, expect, it } from 'vitest';
import { applyModels } from '../../../src/app/models.js';
import type { Context } from '../../../src/app/context.js';
import type { ComputeResult } from '../../../src/core/compute.js';
import { createRandom, simulateBgNbd } from '../../../src/core/clv/index.js';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const AS_OF = Date.UTC(2025, 5, 30);

interface Customer {
  currency: string;
  times: number[];
  amounts: number[];
}

/**
 * Customers drawn from a BG/NBD population with CDNOW's parameters (weeks), so the purchase model fits;
 * each with a typical spend (log-normal around `scale` minor units) and purchases within ±30 % of it.
 */
function shop(seed: number, count: number, currency: string, scale: number): Customer[] {
  const random = createRandom(seed + 1000);
  const T = Array.from({ length: count }, () => 30 + Math.floor(random.uniform() * 10));
  const sim = simulateBgNbd({ r: 0.24, alpha: 4.41, a: 0.79, b: 2.43 }, T, { seed, recordPurchases: true });
  const customers: Customer[] = T.map(() => ({ currency, times: [], amounts: [] }));
  const typical = T.map(() => scale * Math.exp(0.5 * random.normal()));
  for (let i = 0; i < sim.purchaseCustomer!.length; i++) {
    const c = sim.purchaseCustomer![i];
    customers[c].times.push(AS_OF - (T[c] - sim.purchaseTime![i]) * WEEK);
    customers[c].amounts.push(Math.round(typical[c] * (0.7 + 0.6 * random.uniform())));
  }
  return customers;
}

/** The slice of a compute result the models read: one master row per customer, one purchase per row of the arrays. */
function result(customers: Customer[]): ComputeResult {
  const rows = customers.length;
  const cluster: number[] = [];
  const time: number[] = [];
  const amount: number[] = [];
  customers.forEach((c, k) => c.times.forEach((at, i) => (cluster.push(k), time.push(at), amount.push(c.amounts[i]))));
  return {
    master: {
      rows,
      columns: {
        currency: customers.map((c) => c.currency),
        p_alive: new Float64Array(rows).fill(NaN),
        expected_orders_12m: new Float64Array(rows).fill(NaN),
        predicted_clv_12m: new Float64Array(rows).fill(NaN),
      },
    },
    purchases: { cluster: Int32Array.from(cluster), time: Float64Array.from(time), amountMinor: Float64Array.from(amount) },
  } as unknown as ComputeResult;
}

const ctx = { asOf: AS_OF, config: { clv: { model: 'bgnbd', holdoutWeeks: 26, horizonMonths: 12, monthlyDiscountRate: 0.01, minRepeatBuyers: 10 } } } as unknown as Context;

describe('spend model per currency', () => {
  const usd = shop(1, 1500, 'USD', 4_000); // cents: about 40 dollars
  const jpy = shop(2, 1000, 'JPY', 6_000); // yen: about 6,000 yen
  const both: Customer = { currency: 'JPY;USD', times: [AS_OF - 50 * DAY, AS_OF - 20 * DAY], amounts: [5_000, 3_000] };

  it('fits each currency on its own customers only', async () => {
    const mixed = result([...usd, ...jpy, both]);
    const report = (await applyModels(mixed, ctx)).report!;
    const alone = async (customers: Customer[]) => (await applyModels(result(customers), ctx)).report!.gamma_gamma!;
    const byCurrency = report.gamma_gamma_by_currency!;
    expect(Object.keys(byCurrency).sort()).toEqual(['JPY', 'USD']);
    expect(byCurrency.USD).toEqual(await alone(usd));
    expect(byCurrency.JPY).toEqual(await alone(jpy));
    // The headline spend model is the currency with the most repeat buyers (purchases on two days).
    const repeat = (customers: Customer[]) => customers.filter((c) => new Set(c.times.map((at) => Math.floor(at / DAY))).size > 1).length;
    expect(report.gamma_gamma).toEqual(repeat(usd) > repeat(jpy) ? byCurrency.USD : byCurrency.JPY);
    expect(repeat(usd)).not.toBe(repeat(jpy));
    // Every single-currency buyer has a prediction in their currency; the two-currency buyer has none
    // (but the purchase model, which counts purchases, still speaks for them).
    const clv = mixed.master.columns.predicted_clv_12m as Float64Array;
    const pAlive = mixed.master.columns.p_alive as Float64Array;
    expect(clv.slice(0, usd.length + jpy.length).every((v) => Number.isFinite(v))).toBe(true);
    expect(clv[usd.length + jpy.length]).toBeNaN();
    expect(Number.isFinite(pAlive[usd.length + jpy.length])).toBe(true);
  });
});
