/**
 * What every part of the pass reads: who takes part, the resolved customers, each order's and
 * booking's customer row and local day, split purchases and refunded tips, and the records, orders and
 * bookings grouped by customer row.
 */
import { KIND_SALE, REF_MISSING, releaseColumns, STATUS_COMPLETED, type ComputeInput } from '../computeInput.js';
import { resolveIdentities, type Identities } from '../identity.js';
import { LocalCalendar } from '../localTime.js';
import { phoneRegions } from '../phoneRegion.js';
import { purchaseLeads, refundTipParts } from '../purchases.js';
import { DAY_MS, groupBy, LocalDays, monthIndex } from './shared.js';
import type { ComputeSettings } from './types.js';

export interface Prepared {
  input: ComputeInput;
  settings: ComputeSettings;
  asOf: number;
  calendar: LocalCalendar;
  identities: Identities;
  /** Master rows (resolved customers). */
  clusters: number;
  /** Per order: its customer's row, or -1 (walk-in, guest); a split purchase's parts share the row of its first part. */
  orderCluster: Int32Array;
  /** Per order: 1 when it is a completed sale on or before the as-of time. */
  isPurchase: (o: number) => boolean;
  /** Per order: the first part of the purchase it belongs to (itself unless split tender). */
  leadOf: (o: number) => number;
  /** Set only when some purchase is split: per order, its lead. */
  lead: Int32Array | undefined;
  /** Refund -> the tip part of it. */
  refundTips: Map<number, number>;
  /** Local day number of every purchase and past booking (0 for the others). */
  orderDay: Int32Array;
  bookingDay: Int32Array;
  recordsByCluster: { start: Int32Array; order: Int32Array };
  /** Orders are sorted by customer row: row k's are orderStart[k]..orderStart[k+1]-1 (walk-ins after the last row). */
  orderStart: Int32Array;
  bookingsByCluster: { start: Int32Array; order: Int32Array };
  /** Month index of every UTC day from `firstDay` that has a purchase on or after it. */
  monthOfDay: Int32Array;
  firstDay: number;
  warnings: string[];
}

export function prepare(input: ComputeInput, settings: ComputeSettings): Prepared {
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
  // Split tender: the parts of one purchase count once, at their earliest part (`lead`), for the
  // customer of the earliest part that names one; a refund follows the payment it refunds there.
  const isPurchase = (o: number) => orders.kind[o] === KIND_SALE && orders.status[o] === STATUS_COMPLETED && orders.orderedAt[o] <= asOf;
  let lead = purchaseLeads(orders, isPurchase);
  if (lead !== undefined) assignPurchasesToOneCustomer(orders, isPurchase, orderCluster);
  let refundTips = refundTipParts(orders);
  let refundsWithoutPayment = 0;
  for (let o = 0; o < orders.count; o++) {
    if (orders.refOrder[o] === REF_MISSING && orders.status[o] === STATUS_COMPLETED && orders.orderedAt[o] <= asOf) refundsWithoutPayment++;
  }
  if (refundsWithoutPayment > 0) {
    warnings.push(
      `${refundsWithoutPayment} refunds name a payment that is not in the cache: each counts whole as refunded revenue (the tip in it cannot be told apart), and belongs to no customer unless it names one`,
    );
  }

  // Each order's customer record, purchase group and refunded payment are in orderCluster, lead and
  // refundTips now: nothing reads them again, and the sort below need not move them.
  releaseColumns(orders, ['customer', 'purchase', 'refOrder']);
  releaseColumns(bookings, ['customer']);

  // From here on the orders are in customer order (walk-ins last), each customer's in their order before.
  const sorted = sortOrdersByCustomer(orders, orderCluster, clusters);
  const newIndex = sorted.newIndex;
  if (lead !== undefined) {
    const moved = new Int32Array(orders.count);
    for (let o = 0; o < orders.count; o++) moved[newIndex[o]] = newIndex[lead[o]];
    lead = moved;
  }
  refundTips = new Map([...refundTips].map(([refund, tip]) => [newIndex[refund], tip]));
  const leadOf = lead === undefined ? (o: number) => o : ((leads: Int32Array) => (o: number) => leads[o])(lead);

  // Local day of every purchase and past booking, in its location's time zone (computed once).
  const localDay = new LocalDays(calendar, locations);
  const orderDay = new Int32Array(orders.count);
  for (let o = 0; o < orders.count; o++) if (isPurchase(o)) orderDay[o] = localDay.of(orders.location[o], orders.orderedAt[o]);
  const bookingDay = new Int32Array(bookings.count);
  for (let b = 0; b < bookings.count; b++) if (bookings.startAt[b] <= asOf) bookingDay[b] = localDay.of(bookings.location[b], bookings.startAt[b]);
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

  return {
    input,
    settings,
    asOf,
    calendar,
    identities,
    clusters,
    orderCluster,
    isPurchase,
    leadOf,
    lead,
    refundTips,
    orderDay,
    bookingDay,
    recordsByCluster: groupBy(clusterOfRecord, clusters),
    orderStart: sorted.start,
    bookingsByCluster: groupBy(bookingCluster, clusters),
    monthOfDay,
    firstDay,
    warnings,
  };
}

/**
 * Reorders every per-order column of `orders` (and `orderCluster`) in place so that each customer's
 * orders are together, in customer row order, walk-ins and guests last; within a customer the orders
 * keep their order, so ties between them break as before. Released columns (empty) stay as they are;
 * references to orders (`refOrder`, released before) are not remapped.
 * Reading a customer's orders is then reading memory front to back: at ten million orders scattered
 * in time order, the reads cost more than the metrics.
 */
function sortOrdersByCustomer(orders: ComputeInput['orders'], orderCluster: Int32Array, clusters: number): { start: Int32Array; newIndex: Int32Array } {
  const n = orders.count;
  const start = new Int32Array(clusters + 2);
  for (let o = 0; o < n; o++) {
    const c = orderCluster[o];
    start[(c < 0 ? clusters : c) + 1]++;
  }
  for (let k = 0; k <= clusters; k++) start[k + 1] += start[k];
  const fill = start.slice(0, clusters + 1);
  const newIndex = new Int32Array(n);
  for (let o = 0; o < n; o++) {
    const c = orderCluster[o];
    newIndex[o] = fill[c < 0 ? clusters : c]++;
  }
  // One scratch buffer seen as each element type (one column at a time goes through it).
  const scratch = new ArrayBuffer(n * 8);
  const f64 = new Float64Array(scratch, 0, n);
  const i32 = new Int32Array(scratch, 0, n);
  const u8 = new Uint8Array(scratch, 0, n);
  // Each array once, even if two fields were to share one.
  const columns = new Set<unknown>([...Object.values(orders), orderCluster]);
  for (const column of columns) {
    if (column instanceof Float64Array && column.length === n) {
      for (let o = 0; o < n; o++) f64[newIndex[o]] = column[o];
      column.set(f64);
    } else if (column instanceof Int32Array && column.length === n) {
      for (let o = 0; o < n; o++) i32[newIndex[o]] = column[o];
      column.set(i32);
    } else if (column instanceof Uint8Array && column.length === n) {
      for (let o = 0; o < n; o++) u8[newIndex[o]] = column[o];
      column.set(u8);
    } else if (ArrayBuffer.isView(column) && (column as Uint8Array).length === n) {
      throw new Error('compute: an order column of an unexpected array type cannot be sorted');
    }
  }
  if (n > 0 && orders.refOrder.length === n) throw new Error('compute: refOrder must be released before the orders are sorted');
  return { start, newIndex };
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
