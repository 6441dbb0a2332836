/**
 * Order metrics part: counts, money, first and last purchase, recency and rhythm, the 365-day figures,
 * repeat and first-time flags, the first-time buyers list, and `sources`. A split purchase counts once,
 * dated by its first part; money columns hold one currency (a customer who bought in several has them
 * empty and `currency` lists them).
 */
import { CHANNEL_NAMES, KIND_REFUND, KIND_SALE, SOURCE_CODES, STATUS_COMPLETED } from '../computeInput.js';
import type { Prepared } from './prepare.js';
import { DAY_MS } from './shared.js';
import type { FirstTimeBuyer, MasterColumnData, TextColumn } from './types.js';
import type { CustomerVisit } from './visit.js';

export const ORDER_COLUMNS = [
  'first_order_at',
  'last_order_at',
  'first_order_channel',
  'first_order_location',
  'first_order_source',
  'orders_count',
  'in_store_orders',
  'online_orders',
  'appointment_orders',
  'gross_revenue',
  'refunds',
  'net_revenue',
  'avg_order_value',
  'tips_total',
  'currency',
  'orders_last_365d',
  'revenue_last_365d',
  'days_since_last_order',
  'avg_days_between_orders',
  'is_repeat_customer',
  'is_first_time_buyer',
  'sources',
] as const;

/** `sources` cell for each bit set of source codes, in the contract's order (lightspeed;square;ecom). */
const SOURCE_LISTS: string[] = Array.from({ length: 1 << SOURCE_CODES.length }, (_, bits) =>
  SOURCE_CODES.filter((_, code) => bits & (1 << code)).join(';'),
);

export class OrderMetricsPart {
  readonly firstTimeBuyers: FirstTimeBuyer[] = [];
  /** Purchases of customers (walk-ins not included). */
  purchaseCount = 0;
  /** Per currency: customers whose money is in it alone. */
  readonly customersByCurrency: Float64Array;
  /** Customers whose money is in more than one currency. */
  mixedCustomers = 0;
  /** 1 for a customer whose money is in several currencies (money columns empty). */
  readonly mixedCluster: Uint8Array;

  private readonly firstOrderAt: Float64Array;
  private readonly lastOrderAt: Float64Array;
  private readonly firstOrderChannel: TextColumn;
  private readonly firstOrderLocation: TextColumn;
  private readonly firstOrderSource: TextColumn;
  private readonly ordersCount: Float64Array;
  private readonly inStoreOrders: Float64Array;
  private readonly onlineOrders: Float64Array;
  private readonly appointmentOrders: Float64Array;
  private readonly grossRevenue: Float64Array;
  private readonly refundsCol: Float64Array;
  private readonly netRevenue: Float64Array;
  private readonly avgOrderValue: Float64Array;
  private readonly tipsTotal: Float64Array;
  private readonly currencyCol: TextColumn;
  private readonly ordersLast365: Float64Array;
  private readonly revenueLast365: Float64Array;
  private readonly daysSinceLast: Float64Array;
  private readonly avgDaysBetween: Float64Array;
  private readonly isRepeat: Uint8Array;
  private readonly isFirstTime: Uint8Array;
  private readonly sourcesCol: TextColumn;
  /** The distinct currencies of one customer's money (purchases, returns, refunds). */
  private readonly moneyCurrencies: number[] = [];
  private readonly firstTimeFrom: number;
  private readonly yearAgo: number;
  private readonly stride: number;

  constructor(
    private readonly p: Prepared,
    columns: Record<string, MasterColumnData>,
  ) {
    this.firstOrderAt = columns.first_order_at as Float64Array;
    this.lastOrderAt = columns.last_order_at as Float64Array;
    this.firstOrderChannel = columns.first_order_channel as TextColumn;
    this.firstOrderLocation = columns.first_order_location as TextColumn;
    this.firstOrderSource = columns.first_order_source as TextColumn;
    this.ordersCount = columns.orders_count as Float64Array;
    this.inStoreOrders = columns.in_store_orders as Float64Array;
    this.onlineOrders = columns.online_orders as Float64Array;
    this.appointmentOrders = columns.appointment_orders as Float64Array;
    this.grossRevenue = columns.gross_revenue as Float64Array;
    this.refundsCol = columns.refunds as Float64Array;
    this.netRevenue = columns.net_revenue as Float64Array;
    this.avgOrderValue = columns.avg_order_value as Float64Array;
    this.tipsTotal = columns.tips_total as Float64Array;
    this.currencyCol = columns.currency as TextColumn;
    this.ordersLast365 = columns.orders_last_365d as Float64Array;
    this.revenueLast365 = columns.revenue_last_365d as Float64Array;
    this.daysSinceLast = columns.days_since_last_order as Float64Array;
    this.avgDaysBetween = columns.avg_days_between_orders as Float64Array;
    this.isRepeat = columns.is_repeat_customer as Uint8Array;
    this.isFirstTime = columns.is_first_time_buyer as Uint8Array;
    this.sourcesCol = columns.sources as TextColumn;
    this.customersByCurrency = new Float64Array(p.input.orders.currencies.length);
    this.mixedCluster = new Uint8Array(p.clusters);
    this.firstTimeFrom = p.asOf - p.settings.firstTimeBuyerDays * DAY_MS;
    this.yearAgo = p.asOf - 365 * DAY_MS;
    this.stride = p.input.locations.length + 1;
  }

  visit(v: CustomerVisit): void {
    const p = this.p;
    const { orders, locations } = p.input;
    const { asOf, leadOf, orderDay, monthOfDay, firstDay, refundTips } = p;
    const { yearAgo, stride, moneyCurrencies } = this;
    const k = v.k;
    // Orders, in one pass: metrics now; the day keys (daily report) and purchase months (cohorts) go to
    // scratch arrays and are folded after, when the first purchase and first activity are known.
    let count = 0;
    let inStore = 0;
    let online = 0;
    let appointment = 0;
    let gross = 0;
    let refunds = 0;
    let tips = 0;
    let first = Infinity;
    let firstIdx = -1;
    let second = Infinity;
    let last = -Infinity;
    let count365 = 0;
    let net365 = 0;
    let sourcesSeen = v.sources;
    moneyCurrencies.length = 0;
    // The customer's orders are together (prepare sorted them by customer).
    const oStart = p.orderStart[k];
    const oEnd = p.orderStart[k + 1];
    for (let o = oStart; o < oEnd; o++) {
      sourcesSeen |= 1 << orders.source[o];
      const t = orders.orderedAt[o];
      if (orders.status[o] !== STATUS_COMPLETED || t > asOf) continue;
      const amount = orders.amountMinor[o];
      const cur = orders.currency[o];
      if (cur >= 0 && !moneyCurrencies.includes(cur)) moneyCurrencies.push(cur);
      if (orders.kind[o] === KIND_SALE) {
        gross += amount;
        tips += orders.tipsMinor[o];
        // Every part of a purchase is dated by its first part; only that one counts as an order.
        const lead = leadOf(o);
        const pt = orders.orderedAt[lead];
        if (pt > yearAgo) net365 += amount;
        v.months[v.monthCount] = monthOfDay[Math.floor(pt / DAY_MS) - firstDay];
        v.monthAmounts[v.monthCount++] = amount;
        if (lead !== o) continue;
        count++;
        const ch = orders.channel[o];
        if (ch === 0) inStore++;
        else if (ch === 1) online++;
        else appointment++;
        if (t < first || (t === first && o < firstIdx)) {
          second = first;
          first = t;
          firstIdx = o;
        } else if (t < second) second = t;
        if (t > last) last = t;
        if (t > yearAgo) count365++;
        v.addLocation(orders.location[o]);
        if (ch === 0) v.salesStaff.add(orders.staff[o], t);
        v.keys[v.keyCount++] = orderDay[o] * stride + orders.location[o] + 1;
        this.purchaseCount++;
      } else {
        // The part of a refund that gives back a tip reduces tips, not revenue.
        const tipPart = orders.kind[o] === KIND_REFUND ? (refundTips.get(o) ?? 0) : 0;
        const back = Math.abs(amount) - tipPart;
        tips -= tipPart;
        refunds += back;
        if (t > yearAgo) net365 -= back;
      }
    }
    v.sources = sourcesSeen;
    v.count = count;
    v.first = first;
    v.firstIdx = firstIdx;
    v.last = last;

    this.ordersCount[k] = count;
    this.inStoreOrders[k] = inStore;
    this.onlineOrders[k] = online;
    this.appointmentOrders[k] = appointment;
    this.ordersLast365[k] = count365;
    const mixed = moneyCurrencies.length > 1;
    if (moneyCurrencies.length > 0) {
      const label = mixed ? moneyCurrencies.map((c) => orders.currencies[c]).sort().join(';') : orders.currencies[moneyCurrencies[0]];
      this.currencyCol[k] = label;
      v.currencyLabel = label;
      if (mixed) {
        this.mixedCustomers++;
        this.mixedCluster[k] = 1;
      } else this.customersByCurrency[moneyCurrencies[0]]++;
    }
    if (!mixed) {
      this.grossRevenue[k] = gross;
      this.refundsCol[k] = refunds;
      this.netRevenue[k] = gross - refunds;
      this.tipsTotal[k] = tips;
      this.revenueLast365[k] = net365;
    }
    if (count > 0) {
      this.firstOrderAt[k] = first;
      this.lastOrderAt[k] = last;
      this.firstOrderChannel[k] = CHANNEL_NAMES[orders.channel[firstIdx]];
      const loc = orders.location[firstIdx];
      this.firstOrderLocation[k] = loc >= 0 ? locations[loc].name : undefined;
      const campaign = orders.campaign[firstIdx];
      this.firstOrderSource[k] = campaign >= 0 ? orders.campaigns[campaign] : undefined;
      if (!mixed) this.avgOrderValue[k] = (gross - refunds) / count;
      this.daysSinceLast[k] = Math.floor((asOf - last) / DAY_MS);
      if (count > 1) this.avgDaysBetween[k] = (last - first) / DAY_MS / (count - 1);
      this.isRepeat[k] = count > 1 ? 1 : 0;
      this.isFirstTime[k] = count === 1 ? 1 : 0;
      if (first >= this.firstTimeFrom) {
        let firstAmount = mixed ? NaN : orders.amountMinor[firstIdx];
        if (p.lead !== undefined && !mixed) {
          firstAmount = 0;
          for (let o = oStart; o < oEnd; o++) {
            if (p.isPurchase(o) && p.lead[o] === firstIdx) firstAmount += orders.amountMinor[o];
          }
        }
        this.firstTimeBuyers.push({ row: k, firstOrderAmountMinor: firstAmount, secondOrderAt: second, source: SOURCE_CODES[orders.source[firstIdx]] });
      }
    } else {
      this.isRepeat[k] = 0;
      this.isFirstTime[k] = 0;
    }
    this.sourcesCol[k] = SOURCE_LISTS[sourcesSeen];
  }
}
