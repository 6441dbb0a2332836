/**
 * Each purchase's row for the models. The rows are in customer_id order from the start (identity.ts
 * numbers the clusters in that order), so every run writes the same file for the same customers and
 * nothing is reordered after the pass.
 */
import type { Prepared } from './prepare.js';

/**
 * For the models, per order: the row whose purchase it is, or -1. `orderCluster` is done with
 * and becomes that map in place. A purchase of several parts is its first part, with the parts' amounts
 * summed (a copy of the amounts only when there are any).
 */
export function purchasesForModels(p: Prepared): { cluster: Int32Array; time: Float64Array; amountMinor: Float64Array } {
  const { orders } = p.input;
  const { isPurchase, leadOf, lead } = p;
  const cluster = p.orderCluster;
  for (let o = 0; o < orders.count; o++) {
    const c = cluster[o];
    cluster[o] = c >= 0 && isPurchase(o) && leadOf(o) === o ? c : -1;
  }
  let amountMinor = orders.amountMinor;
  if (lead !== undefined) {
    amountMinor = Float64Array.from(orders.amountMinor);
    for (let o = 0; o < orders.count; o++) if (isPurchase(o) && lead[o] !== o) amountMinor[lead[o]] += orders.amountMinor[o];
  }
  return { cluster, time: orders.orderedAt, amountMinor };
}
