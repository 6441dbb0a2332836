/**
 * `ca compute`'s core: from canonical records to one row per customer with every master metric, plus
 * the daily-by-location and cohort reports. Pure and columnar: orders are grouped by customer with a
 * counting sort and each customer's orders are visited once.
 */
import {
  BOOKING_ACCEPTED,
  BOOKING_CANCELLED_BY_CUSTOMER,
  BOOKING_CANCELLED_BY_SELLER,
  BOOKING_NO_SHOW,
  CHANNEL_NAMES,
  KIND_REFUND,
  KIND_SALE,
  REF_MISSING,
  SOURCE_CODES,
  STATUS_COMPLETED,
  type ComputeInput,
} from './computeInput.js';
import { resolveIdentities, type IdentitySettings } from './identity.js';
import { civilFromDays, DAY_MS, dayNumberToDate, LocalCalendar } from './localTime.js';
import { MASTER_COLUMNS } from './masterColumns.js';
import { phoneRegions } from './phoneRegion.js';
import { purchaseLeads, refundTipParts } from './purchases.js';
import { currencyDecimals } from './currency.js';
import {
  lifecycleSegment,
  quintileEdges,
  rfmSegment,
  scoreHigherIsBetter,
  scoreLowerIsBetter,
  valueTier,
  valueTierCutoffs,
  type LifecycleThresholds,
  type ValueTierRules,
} from './segments.js';

export interface ComputeSettings extends IdentitySettings {
  asOf: number;
  lifecycle: LifecycleThresholds;
  valueTiers: ValueTierRules;
  /** Window of first_time_buyers.csv, in days before the as-of time. */
  firstTimeBuyerDays: number;
}

export type TextColumn = (string | undefined)[];
/** Per master column: text/list -> strings; timestamps -> epoch ms; money -> minor units; others -> numbers; booleans -> 0/1/2. NaN = empty. */
export type MasterColumnData = TextColumn | Float64Array | Uint8Array;

export interface MasterTable {
  rows: number;
  columns: Record<string, MasterColumnData>;
}

export interface FirstTimeBuyer {
  row: number;
  /** NaN when the customer's money is in more than one currency (the master's `currency` lists them). */
  firstOrderAmountMinor: number;
  secondOrderAt: number;
  source: string;
}

export interface DailyRow {
  date: string;
  location: string;
  orders: number;
  /** NaN when the day's purchases there are in more than one currency. */
  revenueMinor: number;
  /** The currency of the purchases ('' without any; several `;`-separated when mixed). */
  currency: string;
  uniqueCustomers: number;
  newCustomers: number;
  returningCustomers: number;
  acceptedBookings: number;
  cancellations: number;
  noShows: number;
}

/** A cohort is the customers who first bought in one month and whose money is in one currency. */
export interface CohortRow {
  cohort: string;
  monthsSince: number;
  cohortSize: number;
  activeCustomers: number;
  /** NaN for the customers whose money is in more than one currency. */
  revenueMinor: number;
  /** The cohort's currency; several `;`-separated for customers who bought in more than one. */
  currency: string;
}

export interface ChannelMonthRow {
  month: string;
  channel: string;
  currency: string;
  revenueMinor: number;
  orders: number;
  /** Of `revenueMinor`: purchases with no customer (walk-ins, guest checkouts), in no master row. */
  walkInRevenueMinor: number;
  /** Of `revenueMinor`: purchases of customers who bought in several currencies (their money columns are empty). */
  mixedCurrencyRevenueMinor: number;
}

/** Which currencies the orders are in, and where amounts in different ones met (never added up). */
export interface CurrencySummary {
  /** Per currency of completed purchases: purchases (walk-ins included) and the customers whose money columns are in it. */
  codes: { code: string; purchases: number; customers: number }[];
  /** Customers with money in more than one currency: their money columns are empty, `currency` lists them. */
  mixedCustomers: number;
  /** Daily report rows with purchases in more than one currency: their revenue is empty. */
  mixedDailyRows: number;
}

export interface ComputeResult {
  master: MasterTable;
  /** Purchases by UTC month and channel, walk-ins and guests included (gross). */
  revenueByMonthAndChannel: ChannelMonthRow[];
  firstTimeBuyers: FirstTimeBuyer[];
  daily: DailyRow[];
  cohorts: CohortRow[];
  /** For the models, per order: the master row whose purchase it is (-1: not a purchase), its time and amount. */
  purchases: { cluster: Int32Array; time: Float64Array; amountMinor: Float64Array };
  currencies: CurrencySummary;
  warnings: string[];
  counts: {
    customerRecords: number;
    customers: number;
    orders: number;
    purchases: number;
    walkInPurchases: number;
    bookings: number;
  };
}

/** Groups item indexes by a key in 0..keys-1 (counting sort); `start[k]..start[k+1]` index `order`. */
function groupBy(keyOf: Int32Array, keys: number): { start: Int32Array; order: Int32Array } {
  const start = new Int32Array(keys + 1);
  for (let i = 0; i < keyOf.length; i++) if (keyOf[i] >= 0) start[keyOf[i] + 1]++;
  for (let k = 0; k < keys; k++) start[k + 1] += start[k];
  const fill = start.slice(0, keys);
  const order = new Int32Array(start[keys]);
  for (let i = 0; i < keyOf.length; i++) {
    const k = keyOf[i];
    if (k >= 0) order[fill[k]++] = i;
  }
  return { start, order };
}

/**
 * Local day numbers per location, with the UTC offset of each location and UTC day kept in an array
 * (ten million orders fall on a few thousand days); days with a DST change ask the calendar each time.
 */
class LocalDays {
  private readonly tables: Float64Array[] = [];
  private base = 0;

  constructor(
    private readonly calendar: LocalCalendar,
    private readonly locations: readonly { timeZone?: string }[],
  ) {}

  of(location: number, ms: number): number {
    const zone = location >= 0 ? this.locations[location].timeZone : undefined;
    if (!zone) return Math.floor(ms / DAY_MS);
    const utcDay = Math.floor(ms / DAY_MS);
    let table = this.tables[location];
    if (table === undefined) {
      this.base = this.base || utcDay - 6_000;
      table = this.tables[location] = new Float64Array(8_192).fill(NaN); // about 16 years back, 6 ahead
    }
    const slot = utcDay - this.base;
    if (slot < 0 || slot >= table.length) return this.calendar.dayNumber(zone, ms);
    let offset = table[slot];
    if (offset !== offset) {
      const start = this.calendar.offset(zone, utcDay * DAY_MS);
      const end = this.calendar.offset(zone, (utcDay + 1) * DAY_MS - 1000);
      offset = table[slot] = start === end ? start : Infinity;
    }
    if (offset === Infinity) return this.calendar.dayNumber(zone, ms);
    return Math.floor((ms + offset) / DAY_MS);
  }
}

/** Sorts the first `n` entries in place (insertion sort for the usual handful; native sort past that). */
function sortPrefix<T extends Float64Array | Int32Array>(values: T, n: number): T {
  if (n > 32) {
    values.subarray(0, n).sort();
    return values;
  }
  for (let i = 1; i < n; i++) {
    const v = values[i];
    let j = i - 1;
    while (j >= 0 && values[j] > v) {
      values[j + 1] = values[j];
      j--;
    }
    values[j + 1] = v;
  }
  return values;
}

/** Most frequent value (ties: the one seen last, i.e. most recently when visited in time order). */
class ModeCounter {
  private values: number[] = [];
  private counts: number[] = [];
  private lastSeen: number[] = [];
  private tick = 0;

  reset(): void {
    this.values.length = 0;
    this.counts.length = 0;
    this.lastSeen.length = 0;
  }

  add(value: number, when: number): void {
    if (value < 0) return;
    this.tick++;
    const i = this.values.indexOf(value);
    if (i >= 0) {
      this.counts[i]++;
      this.lastSeen[i] = Math.max(this.lastSeen[i], when);
    } else {
      this.values.push(value);
      this.counts.push(1);
      this.lastSeen.push(when);
    }
  }

  get size(): number {
    return this.values.length;
  }

  mode(): number {
    let best = -1;
    for (let i = 0; i < this.values.length; i++) {
      if (best < 0 || this.counts[i] > this.counts[best] || (this.counts[i] === this.counts[best] && this.lastSeen[i] > this.lastSeen[best])) best = i;
    }
    return best < 0 ? -1 : this.values[best];
  }
}

/** `sources` cell for each bit set of source codes, in the contract's order (lightspeed;square;ecom). */
const SOURCE_LISTS: string[] = Array.from({ length: 1 << SOURCE_CODES.length }, (_, bits) =>
  SOURCE_CODES.filter((_, code) => bits & (1 << code)).join(';'),
);

const monthIndex = (ms: number) => {
  const [year, month] = civilFromDays(Math.floor(ms / DAY_MS));
  return year * 12 + month - 1;
};
const monthLabel = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;

export function compute(input: ComputeInput, settings: ComputeSettings): ComputeResult {
  const { customers, orders, bookings, locations } = input;
  const asOf = settings.asOf;
  const warnings: string[] = [];
  const calendar = new LocalCalendar();

  // Which records take part: a deleted record only while it has purchases (its history stays).
  const hasPurchases = new Uint8Array(customers.count);
  for (let o = 0; o < orders.count; o++) {
    const c = orders.customer[o];
    if (c >= 0 && orders.status[o] === STATUS_COMPLETED) hasPurchases[c] = 1;
  }
  const keep = new Uint8Array(customers.count);
  for (let i = 0; i < customers.count; i++) keep[i] = customers.deleted[i] === 1 && !hasPurchases[i] ? 0 : 1;

  const identities = resolveIdentities(customers, keep, settings, phoneRegions(input, settings.defaultRegion));
  if (identities.unreadablePhones > 0) {
    warnings.push(
      `${identities.unreadablePhones} customer records have a phone number that is not valid for their region (or written without a country code where no region is known): kept as written in phone, not used to match customers` +
        (identities.unreadableWithoutRegion > 0
          ? `; for ${identities.unreadableWithoutRegion} of them no source location says a country: set defaultRegion in ca.config.json if they are local numbers`
          : ''),
    );
  }
  for (const identifier of identities.placeholders.slice(0, 5)) {
    warnings.push(`identifier ${identifier.includes('@') ? identifier : '(a phone number)'} is on too many customer records; not used for matching`);
  }
  const clusters = identities.clusterCount;
  const clusterOfRecord = identities.clusterOf;

  const orderCluster = new Int32Array(orders.count);
  for (let o = 0; o < orders.count; o++) {
    const c = orders.customer[o];
    orderCluster[o] = c >= 0 ? clusterOfRecord[c] : -1;
  }
  const bookingCluster = new Int32Array(bookings.count);
  for (let b = 0; b < bookings.count; b++) {
    const c = bookings.customer[b];
    bookingCluster[b] = c >= 0 ? clusterOfRecord[c] : -1;
  }
  // Local day of every purchase and past booking, in its location's time zone (computed once).
  const isPurchase = (o: number) => orders.kind[o] === KIND_SALE && orders.status[o] === STATUS_COMPLETED && orders.orderedAt[o] <= asOf;
  const zoneOf = (location: number) => (location >= 0 ? locations[location].timeZone : undefined);
  const localDay = new LocalDays(calendar, locations);
  const orderDay = new Int32Array(orders.count);
  for (let o = 0; o < orders.count; o++) if (isPurchase(o)) orderDay[o] = localDay.of(orders.location[o], orders.orderedAt[o]);
  const bookingDay = new Int32Array(bookings.count);
  for (let b = 0; b < bookings.count; b++) if (bookings.startAt[b] <= asOf) bookingDay[b] = localDay.of(bookings.location[b], bookings.startAt[b]);

  // Split tender: the parts of one purchase count once, at their earliest part (`lead`), for the
  // customer of the earliest part that names one; a refund follows the payment it refunds there.
  const lead = purchaseLeads(orders, isPurchase);
  const leadOf = (o: number) => (lead === undefined ? o : lead[o]);
  if (lead !== undefined) assignPurchasesToOneCustomer(orders, isPurchase, orderCluster);
  const refundTips = refundTipParts(orders);
  let refundsWithoutPayment = 0;
  for (let o = 0; o < orders.count; o++) {
    if (orders.refOrder[o] === REF_MISSING && orders.status[o] === STATUS_COMPLETED && orders.orderedAt[o] <= asOf) refundsWithoutPayment++;
  }
  if (refundsWithoutPayment > 0) {
    warnings.push(
      `${refundsWithoutPayment} refunds name a payment that is not in the cache: each counts whole as refunded revenue (the tip in it cannot be told apart), and belongs to no customer unless it names one`,
    );
  }
  const recordsByCluster = groupBy(clusterOfRecord, clusters);
  const ordersByCluster = groupBy(orderCluster, clusters);
  const bookingsByCluster = groupBy(bookingCluster, clusters);

  // Output columns.
  const col = {
    text: (name: string) => (columns[name] = new Array<string | undefined>(clusters)) as TextColumn,
    num: (name: string) => (columns[name] = new Float64Array(clusters).fill(NaN)) as Float64Array,
    bool: (name: string) => (columns[name] = new Uint8Array(clusters).fill(2)) as Uint8Array,
  };
  const columns: Record<string, MasterColumnData> = {};
  const customerIdCol = col.text('customer_id');
  const lsIds = col.text('lightspeed_customer_ids');
  const sqIds = col.text('square_customer_ids');
  const ecIds = col.text('ecom_customer_keys');
  const firstName = col.text('first_name');
  const lastName = col.text('last_name');
  const company = col.text('company');
  const email = col.text('email');
  const phone = col.text('phone');
  const emailOptOut = col.bool('email_opt_out');
  const customerSince = col.num('customer_since');
  const firstOrderAt = col.num('first_order_at');
  const lastOrderAt = col.num('last_order_at');
  const firstOrderChannel = col.text('first_order_channel');
  const firstOrderLocation = col.text('first_order_location');
  const firstOrderSource = col.text('first_order_source');
  const ordersCount = col.num('orders_count');
  const inStoreOrders = col.num('in_store_orders');
  const onlineOrders = col.num('online_orders');
  const appointmentOrders = col.num('appointment_orders');
  const grossRevenue = col.num('gross_revenue');
  const refundsCol = col.num('refunds');
  const netRevenue = col.num('net_revenue');
  const avgOrderValue = col.num('avg_order_value');
  const tipsTotal = col.num('tips_total');
  const currencyCol = col.text('currency');
  const ordersLast365 = col.num('orders_last_365d');
  const revenueLast365 = col.num('revenue_last_365d');
  const daysSinceLast = col.num('days_since_last_order');
  const avgDaysBetween = col.num('avg_days_between_orders');
  const firstBookingAt = col.num('first_booking_at');
  const lastBookingAt = col.num('last_booking_at');
  const nextBookingAt = col.num('next_booking_at');
  const acceptedBookings = col.num('accepted_bookings');
  const cancelledByCustomer = col.num('cancelled_by_customer');
  const cancelledBySeller = col.num('cancelled_by_seller');
  const noShows = col.num('no_shows');
  const preferredStaff = col.text('preferred_staff');
  const preferredService = col.text('preferred_service');
  const distinctLocations = col.num('distinct_locations');
  // Filled by segment() and the models, which need the whole population first.
  col.text('lifecycle_segment');
  col.text('value_tier');
  col.text('rfm_score');
  col.text('rfm_segment');
  const isRepeat = col.bool('is_repeat_customer');
  const isFirstTime = col.bool('is_first_time_buyer');
  col.num('p_alive');
  col.num('expected_orders_12m');
  col.num('predicted_clv_12m');
  const sourcesCol = col.text('sources');
  for (const column of MASTER_COLUMNS) if (!(column.name in columns)) throw new Error(`compute misses ${column.name}`);

  const firstTimeBuyers: FirstTimeBuyer[] = [];
  const firstTimeFrom = asOf - settings.firstTimeBuyerDays * DAY_MS;
  const yearAgo = asOf - 365 * DAY_MS;

  // Daily report accumulators, keyed by day * (locations + 1) + location + 1.
  const stride = locations.length + 1;
  const daily = new Map<number, { orders: number; revenue: number; currencies: Set<number>; unique: number; fresh: number; returning: number; accepted: number; cancelled: number; noShows: number }>();
  const dailyRow = (key: number) => {
    let row = daily.get(key);
    if (!row) {
      row = { orders: 0, revenue: 0, currencies: new Set(), unique: 0, fresh: 0, returning: 0, accepted: 0, cancelled: 0, noShows: 0 };
      daily.set(key, row);
    }
    return row;
  };
  // Cohorts: ((currency group + 1) * 100 000 + cohort month) * 1000 + months since; a currency group
  // is one currency, or one combination of several for customers who bought in more than one.
  const currencyGroups = new Map<string, number>();
  const currencyLabels: string[] = [];
  const currencyGroupOf = (label: string) => {
    let group = currencyGroups.get(label);
    if (group === undefined) {
      group = currencyLabels.push(label) - 1;
      currencyGroups.set(label, group);
    }
    return group;
  };
  const cohortActive = new Map<number, number>();
  const cohortRevenue = new Map<number, number>();
  const cohortSize = new Map<number, number>();

  // Purchases per cluster, in the order visited, for the lifetime-value models.
  // Per order: the row of the customer when it is one of their purchases, else -1. The models read the
  // orders' own time and amount arrays through it, so no copies of ten million values are made.
  let purchaseCount = 0;

  const staffMode = new ModeCounter();
  const salesStaffMode = new ModeCounter();
  const serviceMode = new ModeCounter();
  // The distinct currencies of one customer's money (purchases, returns, refunds).
  const moneyCurrencies: number[] = [];
  const customersByCurrency = new Float64Array(orders.currencies.length);
  let mixedCustomers = 0;
  /** 1 for a customer whose money is in several currencies (money columns empty). */
  const mixedCluster = new Uint8Array(clusters);
  // Scratch space for one customer's day keys, purchase months and locations, sized for the busiest one.
  let busiest = 0;
  for (let k = 0; k < clusters; k++) {
    const n = ordersByCluster.start[k + 1] - ordersByCluster.start[k] + bookingsByCluster.start[k + 1] - bookingsByCluster.start[k];
    if (n > busiest) busiest = n;
  }
  const keyScratch = new Float64Array(busiest);
  const monthScratch = new Int32Array(busiest);
  const monthAmountScratch = new Float64Array(busiest);
  const locationScratch = new Int32Array(Math.max(1, locations.length));
  let locationCount = 0;
  const addLocation = (location: number) => {
    if (location < 0) return;
    for (let i = 0; i < locationCount; i++) if (locationScratch[i] === location) return;
    locationScratch[locationCount++] = location;
  };
  // Month index (year * 12 + month) of every UTC day that has a purchase, looked up instead of computed.
  let firstDay = Infinity;
  let lastDay = -Infinity;
  for (let o = 0; o < orders.count; o++) {
    if (!isPurchase(o)) continue;
    const day = Math.floor(orders.orderedAt[o] / DAY_MS);
    if (day < firstDay) firstDay = day;
    if (day > lastDay) lastDay = day;
  }
  const monthOfDay = new Int32Array(Number.isFinite(firstDay) ? lastDay - firstDay + 1 : 0);
  for (let d = 0; d < monthOfDay.length; d++) monthOfDay[d] = monthIndex((firstDay + d) * DAY_MS);
  let walkInPurchases = 0;

  // Scratch space reused for every customer (a million customers must not mean millions of small arrays).
  const recs: number[] = [];
  const ids: string[] = [];
  const bySourceThenNewest = (a: number, b: number) =>
    customers.source[a] - customers.source[b] || (customers.createdAt[b] || 0) - (customers.createdAt[a] || 0);
  /** The `;`-separated, sorted ids of this customer's records from one source. */
  const idList = (source: number): string | undefined => {
    ids.length = 0;
    for (const r of recs) if (customers.source[r] === source) ids.push(customers.id[r]);
    if (ids.length === 0) return undefined;
    if (ids.length === 1) return ids[0];
    return ids.sort().join(';');
  };

  // One customer at a time; a function of its own so the engine optimizes it apart from the set-up.
  const visit = (k: number) => {
    // Identity and contact data: records in source order (Lightspeed, Square, eCom), newest first within a source.
    recs.length = 0;
    for (let i = recordsByCluster.start[k]; i < recordsByCluster.start[k + 1]; i++) recs.push(recordsByCluster.order[i]);
    if (recs.length > 1) recs.sort(bySourceThenNewest);
    let since = Infinity;
    let optOut = 0;
    for (const r of recs) {
      const created = customers.createdAt[r];
      if (!Number.isNaN(created) && created < since) since = created;
      if (customers.emailOptOut[r] === 1) optOut = 1;
    }
    // Live records' contact data first; a deleted record's only where nothing else is known.
    for (let pass = 0; pass < 2; pass++) {
      for (const r of recs) {
        if (pass === 0 && customers.deleted[r] === 1) continue;
        firstName[k] ??= customers.firstName[r] || undefined;
        lastName[k] ??= customers.lastName[r] || undefined;
        company[k] ??= customers.company[r] || undefined;
        email[k] ??= identities.email[r];
        phone[k] ??= identities.phone[r];
      }
    }
    // A number that could not be normalized is shown as written, only when no record has a usable one.
    for (let pass = 0; pass < 2 && phone[k] === undefined; pass++) {
      for (const r of recs) if (pass === 1 || customers.deleted[r] !== 1) phone[k] ??= identities.phoneWritten[r];
    }
    customerIdCol[k] = identities.customerId[k];
    lsIds[k] = idList(0);
    sqIds[k] = idList(1);
    ecIds[k] = idList(2);
    emailOptOut[k] = optOut;
    customerSince[k] = since === Infinity ? NaN : since;

    let sourcesSeen = 0; // bit per source code
    for (const r of recs) sourcesSeen |= 1 << customers.source[r];

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
    let keyCount = 0;
    let monthCount = 0;
    locationCount = 0;
    staffMode.reset();
    salesStaffMode.reset();
    serviceMode.reset();
    moneyCurrencies.length = 0;
    const oStart = ordersByCluster.start[k];
    const oEnd = ordersByCluster.start[k + 1];
    for (let i = oStart; i < oEnd; i++) {
      const o = ordersByCluster.order[i];
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
        const p = leadOf(o);
        const pt = orders.orderedAt[p];
        if (pt > yearAgo) net365 += amount;
        monthScratch[monthCount] = monthOfDay[Math.floor(pt / DAY_MS) - firstDay];
        monthAmountScratch[monthCount++] = amount;
        if (p !== o) continue;
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
        addLocation(orders.location[o]);
        if (ch === 0) salesStaffMode.add(orders.staff[o], t);
        keyScratch[keyCount++] = orderDay[o] * stride + orders.location[o] + 1;
        purchaseCount++;
      } else {
        // The part of a refund that gives back a tip reduces tips, not revenue.
        const tipPart = orders.kind[o] === KIND_REFUND ? (refundTips.get(o) ?? 0) : 0;
        const back = Math.abs(amount) - tipPart;
        tips -= tipPart;
        refunds += back;
        if (t > yearAgo) net365 -= back;
      }
    }

    // Bookings.
    let accepted = 0;
    let byCustomer = 0;
    let bySeller = 0;
    let noShow = 0;
    let firstBooking = Infinity;
    let firstBookingLocation = -1;
    let lastBooking = -Infinity;
    let nextBooking = Infinity;
    const bStart = bookingsByCluster.start[k];
    const bEnd = bookingsByCluster.start[k + 1];
    for (let i = bStart; i < bEnd; i++) {
      const b = bookingsByCluster.order[i];
      const status = bookings.status[b];
      const start = bookings.startAt[b];
      if (status === BOOKING_ACCEPTED) {
        if (start <= asOf) {
          accepted++;
          if (start < firstBooking) {
            firstBooking = start;
            firstBookingLocation = bookings.location[b];
          }
          if (start > lastBooking) lastBooking = start;
          staffMode.add(bookings.staff[b], start);
          serviceMode.add(bookings.service[b], start);
          addLocation(bookings.location[b]);
          keyScratch[keyCount++] = bookingDay[b] * stride + bookings.location[b] + 1;
        } else if (start < nextBooking) nextBooking = start;
      } else if (status === BOOKING_CANCELLED_BY_CUSTOMER) byCustomer++;
      else if (status === BOOKING_CANCELLED_BY_SELLER) bySeller++;
      else if (status === BOOKING_NO_SHOW) noShow++;
    }

    ordersCount[k] = count;
    inStoreOrders[k] = inStore;
    onlineOrders[k] = online;
    appointmentOrders[k] = appointment;
    ordersLast365[k] = count365;
    // Money columns hold one currency: a customer who bought in several has them empty (never a sum
    // of two currencies), and `currency` lists them.
    let currencyGroup = -1;
    const mixed = moneyCurrencies.length > 1;
    if (moneyCurrencies.length > 0) {
      const label = mixed ? moneyCurrencies.map((c) => orders.currencies[c]).sort().join(';') : orders.currencies[moneyCurrencies[0]];
      currencyCol[k] = label;
      currencyGroup = currencyGroupOf(label);
      if (mixed) {
        mixedCustomers++;
        mixedCluster[k] = 1;
      } else customersByCurrency[moneyCurrencies[0]]++;
    }
    if (!mixed) {
      grossRevenue[k] = gross;
      refundsCol[k] = refunds;
      netRevenue[k] = gross - refunds;
      tipsTotal[k] = tips;
      revenueLast365[k] = net365;
    }
    if (count > 0) {
      firstOrderAt[k] = first;
      lastOrderAt[k] = last;
      firstOrderChannel[k] = CHANNEL_NAMES[orders.channel[firstIdx]];
      const loc = orders.location[firstIdx];
      firstOrderLocation[k] = loc >= 0 ? locations[loc].name : undefined;
      const campaign = orders.campaign[firstIdx];
      firstOrderSource[k] = campaign >= 0 ? orders.campaigns[campaign] : undefined;
      if (!mixed) avgOrderValue[k] = (gross - refunds) / count;
      daysSinceLast[k] = Math.floor((asOf - last) / DAY_MS);
      if (count > 1) avgDaysBetween[k] = (last - first) / DAY_MS / (count - 1);
      isRepeat[k] = count > 1 ? 1 : 0;
      isFirstTime[k] = count === 1 ? 1 : 0;
      if (first >= firstTimeFrom) {
        let firstAmount = mixed ? NaN : orders.amountMinor[firstIdx];
        if (lead !== undefined && !mixed) {
          firstAmount = 0;
          for (let i = oStart; i < oEnd; i++) {
            const o = ordersByCluster.order[i];
            if (isPurchase(o) && lead[o] === firstIdx) firstAmount += orders.amountMinor[o];
          }
        }
        firstTimeBuyers.push({
          row: k,
          firstOrderAmountMinor: firstAmount,
          secondOrderAt: second,
          source: SOURCE_CODES[orders.source[firstIdx]],
        });
      }
    } else {
      isRepeat[k] = 0;
      isFirstTime[k] = 0;
    }
    if (accepted > 0) {
      firstBookingAt[k] = firstBooking;
      lastBookingAt[k] = lastBooking;
    }
    if (nextBooking !== Infinity) nextBookingAt[k] = nextBooking;
    acceptedBookings[k] = accepted;
    cancelledByCustomer[k] = byCustomer;
    cancelledBySeller[k] = bySeller;
    noShows[k] = noShow;
    const staffIndex = staffMode.size > 0 ? staffMode.mode() : salesStaffMode.mode();
    preferredStaff[k] = staffIndex >= 0 ? input.staff[staffIndex] : undefined;
    const serviceIndex = serviceMode.mode();
    preferredService[k] = serviceIndex >= 0 ? input.services[serviceIndex] : undefined;
    distinctLocations[k] = locationCount;
    sourcesCol[k] = SOURCE_LISTS[sourcesSeen];

    // First activity ever (purchase or past accepted appointment) decides "new" in the daily report.
    let firstActivity = Infinity;
    let firstActivityLocation = -1;
    if (count > 0) {
      firstActivity = first;
      firstActivityLocation = orders.location[firstIdx];
    }
    if (firstBooking < firstActivity) {
      firstActivity = firstBooking;
      firstActivityLocation = firstBookingLocation;
    }
    if (firstActivity !== Infinity) {
      const firstKey = calendar.dayNumber(zoneOf(firstActivityLocation), firstActivity) * stride + firstActivityLocation + 1;
      const firstActivityDay = Math.floor(firstKey / stride);
      const keys = sortPrefix(keyScratch, keyCount);
      for (let i = 0; i < keyCount; i++) {
        const key = keys[i];
        if (i > 0 && key === keys[i - 1]) continue;
        const row = dailyRow(key);
        row.unique++;
        if (key === firstKey) row.fresh++;
        else if (Math.floor(key / stride) > firstActivityDay) row.returning++;
      }
    }

    // Cohorts by month of first purchase (UTC) and currency.
    if (count > 0) {
      const cohort = (currencyGroup + 1) * 100_000 + monthOfDay[Math.floor(first / DAY_MS) - firstDay];
      const month0 = cohort % 100_000;
      cohortSize.set(cohort, (cohortSize.get(cohort) ?? 0) + 1);
      for (let i = 0; i < monthCount; i++) {
        const key = cohort * 1000 + (monthScratch[i] - month0);
        cohortRevenue.set(key, (cohortRevenue.get(key) ?? 0) + monthAmountScratch[i]);
      }
      const months = sortPrefix(monthScratch, monthCount);
      for (let i = 0; i < monthCount; i++) {
        if (i > 0 && months[i] === months[i - 1]) continue;
        const key = cohort * 1000 + (months[i] - month0);
        cohortActive.set(key, (cohortActive.get(key) ?? 0) + 1);
      }
    }
  };
  for (let k = 0; k < clusters; k++) visit(k);

  // Orders and revenue per day and location (and per month and channel) include walk-ins and guests.
  const byMonthChannel = new Map<number, { revenue: number; orders: number; walkIn: number; mixed: number }>();
  const purchasesByCurrency = new Float64Array(orders.currencies.length);
  for (let o = 0; o < orders.count; o++) {
    if (!isPurchase(o)) continue;
    // A later part of a purchase adds its amount where and when the purchase began.
    const p = leadOf(o);
    const isLead = p === o;
    if (isLead && orderCluster[o] < 0) walkInPurchases++;
    const currency = orders.currency[o];
    if (isLead && currency >= 0) purchasesByCurrency[currency]++;
    const monthKey = (currency + 1) * 1_000_000 + monthIndex(orders.orderedAt[p]) * 4 + orders.channel[p];
    const monthRow = byMonthChannel.get(monthKey) ?? { revenue: 0, orders: 0, walkIn: 0, mixed: 0 };
    monthRow.revenue += orders.amountMinor[o];
    // The same split as the master's: a part with no customer is a walk-in's, as in the walk-in count.
    if (orderCluster[o] < 0) monthRow.walkIn += orders.amountMinor[o];
    else if (mixedCluster[orderCluster[o]] === 1) monthRow.mixed += orders.amountMinor[o];
    if (isLead) monthRow.orders++;
    byMonthChannel.set(monthKey, monthRow);
    const loc = orders.location[p];
    const row = dailyRow(orderDay[p] * stride + loc + 1);
    if (isLead) row.orders++;
    row.revenue += orders.amountMinor[o];
    if (currency >= 0) row.currencies.add(currency);
  }
  for (let b = 0; b < bookings.count; b++) {
    const start = bookings.startAt[b];
    if (start > asOf) continue;
    const status = bookings.status[b];
    if (status !== BOOKING_ACCEPTED && status !== BOOKING_CANCELLED_BY_CUSTOMER && status !== BOOKING_CANCELLED_BY_SELLER && status !== BOOKING_NO_SHOW) continue;
    const loc = bookings.location[b];
    const row = dailyRow(bookingDay[b] * stride + loc + 1);
    if (status === BOOKING_ACCEPTED) row.accepted++;
    else if (status === BOOKING_NO_SHOW) row.noShows++;
    else row.cancelled++;
  }

  segment(columns as Record<string, Float64Array & TextColumn>, clusters, settings, asOf);

  // Rows in customer_id order, so every run writes the same file for the same customers, and writers
  // walk the columns front to back instead of jumping around memory.
  const position = sortRowsByCustomerId(columns, clusters);
  for (const buyer of firstTimeBuyers) buyer.row = position[buyer.row];
  // orderCluster is done with; it becomes the models' purchase -> row map in place. A purchase of
  // several parts is its first part, with the parts' amounts summed (a copy only when there are any).
  const purchaseCluster = orderCluster;
  for (let o = 0; o < orders.count; o++) {
    const c = orderCluster[o];
    purchaseCluster[o] = c >= 0 && isPurchase(o) && leadOf(o) === o ? position[c] : -1;
  }
  let purchaseAmount = orders.amountMinor;
  if (lead !== undefined) {
    purchaseAmount = Float64Array.from(orders.amountMinor);
    for (let o = 0; o < orders.count; o++) if (isPurchase(o) && lead[o] !== o) purchaseAmount[lead[o]] += orders.amountMinor[o];
  }

  let mixedDailyRows = 0;
  const dailyRows: DailyRow[] = [...daily.entries()]
    .map(([key, row]) => {
      const loc = (key % stride) - 1;
      const mixed = row.currencies.size > 1;
      if (mixed) mixedDailyRows++;
      return {
        date: dayNumberToDate(Math.floor(key / stride)),
        location: loc >= 0 ? locations[loc].name : '',
        orders: row.orders,
        revenueMinor: mixed ? NaN : row.revenue,
        currency: [...row.currencies].map((c) => orders.currencies[c]).sort().join(';'),
        uniqueCustomers: row.unique,
        newCustomers: row.fresh,
        returningCustomers: row.returning,
        acceptedBookings: row.accepted,
        cancellations: row.cancelled,
        noShows: row.noShows,
      };
    })
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.location < b.location ? -1 : a.location > b.location ? 1 : 0));

  const cohortRows: CohortRow[] = [...cohortActive.entries()]
    .map(([key, active]) => {
      const cohort = Math.floor(key / 1000);
      const currency = currencyLabels[Math.floor(cohort / 100_000) - 1] ?? '';
      return {
        cohort: monthLabel(cohort % 100_000),
        monthsSince: key % 1000,
        cohortSize: cohortSize.get(cohort) ?? 0,
        activeCustomers: active,
        revenueMinor: currency.includes(';') ? NaN : (cohortRevenue.get(key) ?? 0),
        currency,
      };
    })
    .sort((a, b) => (a.cohort < b.cohort ? -1 : a.cohort > b.cohort ? 1 : a.monthsSince - b.monthsSince || (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0)));

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

  const currencies: CurrencySummary = {
    codes: orders.currencies
      .map((code, c) => ({ code, purchases: purchasesByCurrency[c], customers: customersByCurrency[c] }))
      .filter((entry) => entry.purchases > 0 || entry.customers > 0)
      .sort((a, b) => (a.code < b.code ? -1 : 1)),
    mixedCustomers,
    mixedDailyRows,
  };
  if (currencies.codes.length > 1 || mixedCustomers > 0) {
    const list = currencies.codes.map((c) => `${c.code} ${c.purchases} purchases`).join(', ');
    warnings.push(
      `orders in ${currencies.codes.length} currencies (${list}): every money figure is per currency, never added across currencies` +
        (mixedCustomers > 0 ? `; ${mixedCustomers} customers bought in more than one: their money columns are empty and currency lists them` : '') +
        (mixedDailyRows > 0 ? `; ${mixedDailyRows} daily report rows mix currencies: their revenue is empty` : ''),
    );
  }

  return {
    master: { rows: clusters, columns },
    revenueByMonthAndChannel,
    firstTimeBuyers,
    daily: dailyRows,
    cohorts: cohortRows,
    purchases: { cluster: purchaseCluster, time: orders.orderedAt, amountMinor: purchaseAmount },
    currencies,
    warnings,
    counts: {
      customerRecords: customers.count,
      customers: clusters,
      orders: orders.count,
      purchases: purchaseCount,
      walkInPurchases,
      bookings: bookings.count,
    },
  };
}

/**
 * Gives every part of a split purchase (and every refund of one of its parts) to the customer of the
 * purchase's earliest part that names one, so the purchase is counted once, for one customer.
 */
function assignPurchasesToOneCustomer(
  orders: ComputeInput['orders'],
  isPurchase: (o: number) => boolean,
  orderCluster: Int32Array,
): void {
  const owner = new Int32Array(orders.purchases).fill(-1);
  for (let o = 0; o < orders.count; o++) {
    const g = orders.purchase[o];
    if (g < 0 || !isPurchase(o) || orderCluster[o] < 0) continue;
    const current = owner[g];
    if (current < 0 || orders.orderedAt[o] < orders.orderedAt[current]) owner[g] = o;
  }
  for (let o = 0; o < orders.count; o++) {
    const g = orders.purchase[o];
    if (g >= 0 && isPurchase(o) && owner[g] >= 0) orderCluster[o] = orderCluster[owner[g]];
  }
  for (let o = 0; o < orders.count; o++) {
    const payment = orders.refOrder[o];
    if (payment >= 0 && orders.purchase[payment] >= 0 && orderCluster[payment] >= 0) orderCluster[o] = orderCluster[payment];
  }
}

/**
 * Reorders every column by customer_id (in place, one column at a time) and returns the new position of
 * each old row. The key is the id's first 52 bits (13 hex digits after `c_`), the full id breaking ties.
 */
function sortRowsByCustomerId(columns: Record<string, MasterColumnData>, rows: number): Int32Array {
  const ids = columns.customer_id as TextColumn;
  const keys = new Float64Array(rows);
  const rowOfKey = new Map<number, number>();
  for (let k = 0; k < rows; k++) {
    keys[k] = parseInt(ids[k]!.slice(2, 15), 16);
    rowOfKey.set(keys[k], k);
  }
  let order: Int32Array;
  if (rowOfKey.size === rows) {
    // Distinct keys (all but certainly): a native numeric sort, then back to rows.
    const sorted = Float64Array.from(keys).sort();
    order = new Int32Array(rows);
    for (let i = 0; i < rows; i++) order[i] = rowOfKey.get(sorted[i])!;
  } else {
    order = Int32Array.from({ length: rows }, (_, i) => i);
    order.sort((a, b) => keys[a] - keys[b] || (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
  }
  const position = new Int32Array(rows);
  for (let i = 0; i < rows; i++) position[order[i]] = i;
  // new[i] = old[order[i]]: numbers and flags through one shared scratch array; text in place, cycle by
  // cycle, so no column is ever held twice.
  const numbers = new Float64Array(rows);
  const bytes = new Uint8Array(rows);
  const done = new Uint8Array(rows);
  for (const name of Object.keys(columns)) {
    const column = columns[name];
    if (column instanceof Float64Array) {
      for (let i = 0; i < rows; i++) numbers[i] = column[order[i]];
      column.set(numbers);
    } else if (column instanceof Uint8Array) {
      for (let i = 0; i < rows; i++) bytes[i] = column[order[i]];
      column.set(bytes);
    } else permuteTextInPlace(column, order, done);
  }
  return position;
}

function permuteTextInPlace(column: TextColumn, order: Int32Array, done: Uint8Array): void {
  done.fill(0);
  for (let start = 0; start < column.length; start++) {
    if (done[start]) continue;
    const first = column[start];
    let at = start;
    for (;;) {
      done[at] = 1;
      const from = order[at];
      if (from === start) {
        column[at] = first;
        break;
      }
      column[at] = column[from];
      at = from;
    }
  }
}

/** Lifecycle, value tier and RFM for every customer; they need the whole population (quantiles). */
function segment(
  columns: Record<string, Float64Array & TextColumn>,
  rows: number,
  settings: ComputeSettings,
  asOf: number,
): void {
  const count = columns.orders_count as Float64Array;
  const first = columns.first_order_at as Float64Array;
  const daysSinceLast = columns.days_since_last_order as Float64Array;
  const net = columns.net_revenue as Float64Array;
  const currency = columns.currency as TextColumn;
  const lifecycle = columns.lifecycle_segment as TextColumn;
  const tier = columns.value_tier as TextColumn;
  const rfmScore = columns.rfm_score as TextColumn;
  const rfmSeg = columns.rfm_segment as TextColumn;

  let buyers = 0;
  for (let k = 0; k < rows; k++) if (count[k] > 0) buyers++;
  const recency = new Float64Array(buyers);
  const frequency = new Float64Array(buyers);
  // Money is compared within one currency only: value tiers and the monetary score rank each
  // currency's buyers apart. A customer whose money is in several currencies has neither.
  const buyersByCurrency = new Map<string, number[]>();
  let j = 0;
  for (let k = 0; k < rows; k++) {
    const daysSinceFirst = count[k] > 0 ? Math.floor((asOf - first[k]) / DAY_MS) : NaN;
    lifecycle[k] = lifecycleSegment(count[k], daysSinceFirst, daysSinceLast[k], settings.lifecycle);
    if (count[k] > 0) {
      recency[j] = daysSinceLast[k];
      frequency[j++] = count[k];
      if (Number.isNaN(net[k])) continue;
      const code = currency[k] ?? '';
      const members = buyersByCurrency.get(code);
      if (members) members.push(k);
      else buyersByCurrency.set(code, [k]);
    }
  }
  const mScore = new Uint8Array(rows);
  for (const [code, members] of buyersByCurrency) {
    const monetary = Float64Array.from(members, (k) => net[k]);
    const cutoffs = valueTierCutoffs(monetary, settings.valueTiers, 10 ** currencyDecimals(code || undefined));
    const mEdges = quintileEdges(monetary);
    for (const k of members) {
      tier[k] = valueTier(net[k], cutoffs);
      mScore[k] = scoreHigherIsBetter(net[k], mEdges);
    }
  }
  const rEdges = quintileEdges(recency);
  const fEdges = quintileEdges(frequency);
  for (let k = 0; k < rows; k++) {
    if (count[k] === 0) continue;
    const r = scoreLowerIsBetter(daysSinceLast[k], rEdges);
    const f = scoreHigherIsBetter(count[k], fEdges);
    if (mScore[k] > 0) rfmScore[k] = `${r}${f}${mScore[k]}`;
    rfmSeg[k] = rfmSegment(r, f);
  }
}
