/**
 * The money rules that join orders to each other before customers are visited: the records of one
 * purchase (split tender), and which part of a refund gives back tips rather than revenue.
 */
import { KIND_REFUND, STATUS_COMPLETED, type OrderRecords } from './computeInput.js';

/**
 * For every purchase record `o` (where `isPurchase(o)`), the record that stands for its purchase: the
 * earliest completed part of its purchase group (ties: the lower index), or `o` itself when it has no
 * group. Undefined when no group has two parts (every record is a purchase of its own), so a store
 * without split tender pays nothing for the rule. Other records map to themselves.
 */
export function purchaseLeads(orders: OrderRecords, isPurchase: (o: number) => boolean): Int32Array | undefined {
  if (orders.purchases === 0) return undefined;
  const first = new Int32Array(orders.purchases).fill(-1);
  let shared = false;
  for (let o = 0; o < orders.count; o++) {
    const g = orders.purchase[o];
    if (g < 0 || !isPurchase(o)) continue;
    const current = first[g];
    if (current >= 0) shared = true;
    if (current < 0 || orders.orderedAt[o] < orders.orderedAt[current]) first[g] = o;
  }
  if (!shared) return undefined;
  const lead = new Int32Array(orders.count);
  for (let o = 0; o < orders.count; o++) {
    const g = orders.purchase[o];
    lead[o] = g >= 0 && isPurchase(o) ? first[g] : o;
  }
  return lead;
}

/**
 * How much of each completed refund gives back tips. Square refunds up to a payment's `total_money`,
 * tip included, while revenue excludes tips: over all completed refunds of one payment, in time order,
 * the first `amount_money` refunded reduces revenue, the next `tip_money` reduces tips, and anything
 * beyond both (which Square does not allow) counts as revenue refunded again, so tips never go below
 * zero. Returns refund index -> tips part (positive minor units); refunds without a tips part are absent.
 */
export function refundTipParts(orders: OrderRecords): Map<number, number> {
  const byPayment = new Map<number, number[]>();
  for (let o = 0; o < orders.count; o++) {
    const payment = orders.refOrder[o];
    if (payment < 0 || orders.kind[o] !== KIND_REFUND || orders.status[o] !== STATUS_COMPLETED) continue;
    if (!(orders.tipsMinor[payment] > 0)) continue;
    const list = byPayment.get(payment);
    if (list) list.push(o);
    else byPayment.set(payment, [o]);
  }
  const parts = new Map<number, number>();
  for (const [payment, refunds] of byPayment) {
    refunds.sort((a, b) => orders.orderedAt[a] - orders.orderedAt[b] || a - b);
    let revenueLeft = Math.max(0, orders.amountMinor[payment]);
    let tipsLeft = orders.tipsMinor[payment];
    for (const r of refunds) {
      const given = Math.abs(orders.amountMinor[r]);
      const toRevenue = Math.min(given, revenueLeft);
      revenueLeft -= toRevenue;
      const toTips = Math.min(given - toRevenue, tipsLeft);
      tipsLeft -= toTips;
      if (toTips > 0) parts.set(r, toTips);
    }
  }
  return parts;
}
