/**
 * Daily report part (daily_by_location.csv): per local day and location, purchases and revenue
 * (walk-ins and guests included), bookings by outcome, and the distinct customers there that day, new
 * (their first activity ever, purchase or past accepted appointment) or returning.
 */
import { BOOKING_ACCEPTED, BOOKING_CANCELLED_BY_CUSTOMER, BOOKING_CANCELLED_BY_SELLER, BOOKING_NO_SHOW } from '../computeInput.js';
import { dayNumberToDate } from '../localTime.js';
import type { Prepared } from './prepare.js';
import { sortPrefix } from './shared.js';
import type { DailyRow } from './types.js';
import type { CustomerVisit } from './visit.js';

interface DailyCell {
  orders: number;
  revenue: number;
  /** The purchases' currency (-1: none yet); `others` only once a second one comes. */
  currency: number;
  others: Set<number> | undefined;
  unique: number;
  fresh: number;
  returning: number;
  accepted: number;
  cancelled: number;
  noShows: number;
}

/** Cells kept in an array rather than a map up to this many (days × (locations + 1)). */
const DENSE_CELLS = 4_000_000;

function emptyCell(): DailyCell {
  return { orders: 0, revenue: 0, currency: -1, others: undefined, unique: 0, fresh: 0, returning: 0, accepted: 0, cancelled: 0, noShows: 0 };
}

export class DailyReportPart {
  /**
   * Keyed by local day * (locations + 1) + location + 1: in an array from key `base` on (the days of
   * the purchases and past bookings: twenty million lookups at ten million orders), in a map otherwise.
   */
  private readonly dense: (DailyCell | undefined)[] = [];
  private readonly base: number = 0;
  private readonly cells = new Map<number, DailyCell>();
  private readonly stride: number;

  constructor(private readonly p: Prepared) {
    this.stride = p.input.locations.length + 1;
    const { orders, bookings } = p.input;
    let first = Infinity;
    let last = -Infinity;
    for (let o = 0; o < orders.count; o++) {
      if (!p.isPurchase(o)) continue;
      const day = p.orderDay[o];
      if (day < first) first = day;
      if (day > last) last = day;
    }
    for (let b = 0; b < bookings.count; b++) {
      if (bookings.startAt[b] > p.asOf) continue;
      const day = p.bookingDay[b];
      if (day < first) first = day;
      if (day > last) last = day;
    }
    if (first <= last && (last - first + 1) * this.stride <= DENSE_CELLS) {
      this.base = first * this.stride;
      this.dense = new Array<DailyCell | undefined>((last - first + 1) * this.stride).fill(undefined);
    }
  }

  private cell(key: number): DailyCell {
    const at = key - this.base;
    if (at >= 0 && at < this.dense.length) return (this.dense[at] ??= emptyCell());
    let row = this.cells.get(key);
    if (!row) {
      row = emptyCell();
      this.cells.set(key, row);
    }
    return row;
  }

  /** Every cell with its key. */
  private entries(): [number, DailyCell][] {
    const out: [number, DailyCell][] = [];
    for (let at = 0; at < this.dense.length; at++) {
      const row = this.dense[at];
      if (row !== undefined) out.push([this.base + at, row]);
    }
    return [...out, ...this.cells.entries()];
  }

  /** One customer's distinct (day, location) keys, after the order and booking parts collected them. */
  visit(v: CustomerVisit): void {
    const { orders } = this.p.input;
    const stride = this.stride;
    // First activity ever (purchase or past accepted appointment) decides "new"; its local day is the
    // one the order or booking was counted on.
    let firstActivity = Infinity;
    let firstActivityLocation = -1;
    let firstActivityDay = 0;
    if (v.count > 0) {
      firstActivity = v.first;
      firstActivityLocation = orders.location[v.firstIdx];
      firstActivityDay = this.p.orderDay[v.firstIdx];
    }
    if (v.firstBooking < firstActivity) {
      firstActivity = v.firstBooking;
      firstActivityLocation = v.firstBookingLocation;
      firstActivityDay = v.firstBookingDay;
    }
    if (firstActivity === Infinity) return;
    const firstKey = firstActivityDay * stride + firstActivityLocation + 1;
    const keys = sortPrefix(v.keys, v.keyCount);
    for (let i = 0; i < v.keyCount; i++) {
      const key = keys[i];
      if (i > 0 && key === keys[i - 1]) continue;
      const row = this.cell(key);
      row.unique++;
      if (key === firstKey) row.fresh++;
      else if (Math.floor(key / stride) > firstActivityDay) row.returning++;
    }
  }

  /** Purchases of everyone, walk-ins and guests included: a later part of a purchase adds its amount where and when the purchase began. */
  addPurchases(): void {
    const { orders } = this.p.input;
    const { isPurchase, leadOf, orderDay } = this.p;
    for (let o = 0; o < orders.count; o++) {
      if (!isPurchase(o)) continue;
      const p = leadOf(o);
      const row = this.cell(orderDay[p] * this.stride + orders.location[p] + 1);
      if (p === o) row.orders++;
      row.revenue += orders.amountMinor[o];
      const currency = orders.currency[o];
      if (currency >= 0 && currency !== row.currency) {
        if (row.currency < 0) row.currency = currency;
        else (row.others ??= new Set([row.currency])).add(currency);
      }
    }
  }

  /** Past bookings by outcome (declined and pending ones are not counted). */
  addBookings(): void {
    const { bookings } = this.p.input;
    const { asOf, bookingDay } = this.p;
    for (let b = 0; b < bookings.count; b++) {
      if (bookings.startAt[b] > asOf) continue;
      const status = bookings.status[b];
      if (status !== BOOKING_ACCEPTED && status !== BOOKING_CANCELLED_BY_CUSTOMER && status !== BOOKING_CANCELLED_BY_SELLER && status !== BOOKING_NO_SHOW) continue;
      const row = this.cell(bookingDay[b] * this.stride + bookings.location[b] + 1);
      if (status === BOOKING_ACCEPTED) row.accepted++;
      else if (status === BOOKING_NO_SHOW) row.noShows++;
      else row.cancelled++;
    }
  }

  /** The report's rows by date and location name, and how many mix currencies (their revenue is empty). */
  rows(): { rows: DailyRow[]; mixedRows: number } {
    const { orders, locations } = this.p.input;
    const stride = this.stride;
    let mixedRows = 0;
    const rows: DailyRow[] = this.entries()
      .map(([key, row]) => {
        const loc = (key % stride) - 1;
        const currencies = row.others ?? (row.currency >= 0 ? [row.currency] : []);
        const mixed = row.others !== undefined && row.others.size > 1;
        if (mixed) mixedRows++;
        return {
          loc,
          date: dayNumberToDate(Math.floor(key / stride)),
          location: loc >= 0 ? locations[loc].name : '',
          orders: row.orders,
          revenueMinor: mixed ? NaN : row.revenue,
          currency: [...currencies].map((c) => orders.currencies[c]).sort().join(';'),
          uniqueCustomers: row.unique,
          newCustomers: row.fresh,
          returningCustomers: row.returning,
          acceptedBookings: row.accepted,
          cancellations: row.cancelled,
          noShows: row.noShows,
        };
      })
      // Two locations of one name (in two sources) keep their order in the locations list.
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.location < b.location ? -1 : a.location > b.location ? 1 : a.loc - b.loc))
      .map(({ loc: _, ...row }) => row);
    return { rows, mixedRows };
  }
}
