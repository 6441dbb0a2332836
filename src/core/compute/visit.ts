/**
 * One customer's pass, shared by the parts: what earlier parts found (records, first purchase, first
 * booking) and scratch space reused for every customer, so a million customers never mean millions of
 * small arrays. The parts run in order: contact, order metrics, booking metrics, daily report, cohorts.
 */
import { ModeCounter } from './shared.js';
import type { Prepared } from './prepare.js';

export class CustomerVisit {
  /** Master row. */
  k = 0;
  /** Contact: the customer's records, in source order (Lightspeed, Square, eCom), newest first within a source. */
  readonly recs: number[] = [];
  /** Contact and orders: bit per source code the customer's records and orders come from. */
  sources = 0;

  /** Order metrics: purchases, the first one (time, order index), the last one. */
  count = 0;
  first = Infinity;
  firstIdx = -1;
  last = -Infinity;
  /** Order metrics: the customer's currency (several `;`-separated), undefined without money. */
  currencyLabel: string | undefined = undefined;
  /** Order metrics: in-store sales staff, the fallback of preferred_staff. */
  readonly salesStaff = new ModeCounter();

  /** Booking metrics: first past accepted booking and its location. */
  firstBooking = Infinity;
  firstBookingLocation = -1;
  /** Its local day number. */
  firstBookingDay = 0;

  /** Daily report keys (day * stride + location + 1) of purchases and past accepted bookings. */
  readonly keys: Float64Array;
  keyCount = 0;
  /** Cohorts: month index and amount of every purchase part. */
  readonly months: Int32Array;
  readonly monthAmounts: Float64Array;
  monthCount = 0;
  /** Distinct locations of purchases and past accepted bookings. */
  readonly locations: Int32Array;
  locationCount = 0;

  constructor(p: Prepared) {
    // Scratch space sized for the busiest customer.
    let busiest = 0;
    const { orderStart: o, bookingsByCluster: b } = p;
    for (let k = 0; k < p.clusters; k++) {
      const n = o[k + 1] - o[k] + b.start[k + 1] - b.start[k];
      if (n > busiest) busiest = n;
    }
    this.keys = new Float64Array(busiest);
    this.months = new Int32Array(busiest);
    this.monthAmounts = new Float64Array(busiest);
    this.locations = new Int32Array(Math.max(1, p.input.locations.length));
  }

  /** Starts customer `k`: everything per customer back to empty. */
  begin(k: number): void {
    this.k = k;
    this.recs.length = 0;
    this.sources = 0;
    this.count = 0;
    this.first = Infinity;
    this.firstIdx = -1;
    this.last = -Infinity;
    this.currencyLabel = undefined;
    this.salesStaff.reset();
    this.firstBooking = Infinity;
    this.firstBookingLocation = -1;
    this.firstBookingDay = 0;
    this.keyCount = 0;
    this.monthCount = 0;
    this.locationCount = 0;
  }

  addLocation(location: number): void {
    if (location < 0) return;
    for (let i = 0; i < this.locationCount; i++) if (this.locations[i] === location) return;
    this.locations[this.locationCount++] = location;
  }
}
