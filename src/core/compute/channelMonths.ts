/**
 * Purchases of everyone (walk-ins and guests included) by UTC month, channel and currency, and per
 * currency; a later part of a split purchase adds its amount where and when the purchase began.
 */
import { CHANNEL_NAMES } from '../computeInput.js';
import type { Prepared } from './prepare.js';
import { DAY_MS, monthLabel } from './shared.js';
import type { ChannelMonthRow } from './types.js';

export interface PurchaseTotals {
  revenueByMonthAndChannel: ChannelMonthRow[];
  /** Per currency index: purchases (each split purchase once). */
  purchasesByCurrency: Float64Array;
  /** Purchases of no customer. */
  walkInPurchases: number;
}

/** `mixedCluster[k]` is 1 for a customer whose money is in several currencies (money columns empty). */
export function purchaseTotals(p: Prepared, mixedCluster: Uint8Array): PurchaseTotals {
  const { orders } = p.input;
  const { isPurchase, leadOf, orderCluster, monthOfDay, firstDay } = p;
  // Key: (currency + 1) * 1 000 000 + month index * 4 + channel.
  const byMonthChannel = new Map<number, { revenue: number; orders: number; walkIn: number; mixed: number }>();
  const purchasesByCurrency = new Float64Array(orders.currencies.length);
  let walkInPurchases = 0;
  for (let o = 0; o < orders.count; o++) {
    if (!isPurchase(o)) continue;
    const lead = leadOf(o);
    const isLead = lead === o;
    if (isLead && orderCluster[o] < 0) walkInPurchases++;
    const currency = orders.currency[o];
    if (isLead && currency >= 0) purchasesByCurrency[currency]++;
    const month = monthOfDay[Math.floor(orders.orderedAt[lead] / DAY_MS) - firstDay];
    const monthKey = (currency + 1) * 1_000_000 + month * 4 + orders.channel[lead];
    let monthRow = byMonthChannel.get(monthKey);
    if (monthRow === undefined) byMonthChannel.set(monthKey, (monthRow = { revenue: 0, orders: 0, walkIn: 0, mixed: 0 }));
    monthRow.revenue += orders.amountMinor[o];
    // The same split as the master's: a part with no customer is a walk-in's, as in the walk-in count.
    if (orderCluster[o] < 0) monthRow.walkIn += orders.amountMinor[o];
    else if (mixedCluster[orderCluster[o]] === 1) monthRow.mixed += orders.amountMinor[o];
    if (isLead) monthRow.orders++;
  }
  const revenueByMonthAndChannel: ChannelMonthRow[] = [...byMonthChannel.entries()]
    .sort((a, b) => (a[0] % 1_000_000) - (b[0] % 1_000_000) || a[0] - b[0])
    .map(([key, row]) => {
      const rest = key % 1_000_000;
      const currency = orders.currencies[Math.floor(key / 1_000_000) - 1] ?? '';
      return {
        month: monthLabel(Math.floor(rest / 4)),
        channel: CHANNEL_NAMES[rest % 4],
        currency,
        revenueMinor: row.revenue,
        orders: row.orders,
        walkInRevenueMinor: row.walkIn,
        mixedCurrencyRevenueMinor: row.mixed,
      };
    });
  return { revenueByMonthAndChannel, purchasesByCurrency, walkInPurchases };
}
