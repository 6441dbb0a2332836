/**
 * Each purchase's row for the models. The rows are in customer_id order from the start (identity.ts
 * numbers the clusters in that order), so every run writes the same file for the same customers and
 * nothing is reordered after the pass.
 */
import type { Prepared } from './prepare.js';

/**
 * For the models, per order: the row whose purchase it is, or -1. `orderCluster` is done with
 * and becomes that map in place. A purchase of several parts is its first part, with the parts' amounts
 * summed into the first part's amount in place: the input's amounts become the models' (compute lets
 * the input's column go right after; a copy was 80 MB at the peak of ten million orders). A part that
 * is not a first part is no other's first part, so each part's own amount is read before any change.
 */
export function purchasesForModels(p: Prepared): { cluster: Int32Array; time: Float64Array; amountMinor: Float64Array } {
  const { orders } = p.input;
  const { isPurchase, leadOf, lead } = p;
  const cluster = p.orderCluster;
  for (let o = 0; o < orders.count; o++) {
    const c = cluster[o];
    cluster[o] = c >= 0 && isPurchase(o) && leadOf(o) === o ? c : -1;
  }
  const amountMinor = orders.amountMinor;
  if (lead !== undefined) {
    for (let o = 0; o < orders.count; o++) if (isPurchase(o) && lead[o] !== o) amountMinor[lead[o]] += amountMinor[o];
  }
  return { cluster, time: orders.orderedAt, amountMinor };
}
