/**
 * Booking metrics part: past accepted bookings, the next one, cancellations and no-shows, preferred
 * staff and service, and the distinct locations of purchases and visits (so it runs after the order
 * metrics, whose in-store staff and locations it completes).
 */
import { BOOKING_ACCEPTED, BOOKING_CANCELLED_BY_CUSTOMER, BOOKING_CANCELLED_BY_SELLER, BOOKING_NO_SHOW } from '../computeInput.js';
import type { Prepared } from './prepare.js';
import { ModeCounter } from './shared.js';
import type { MasterColumnData, TextColumn } from './types.js';
import type { CustomerVisit } from './visit.js';

export const BOOKING_COLUMNS = [
  'first_booking_at',
  'last_booking_at',
  'next_booking_at',
  'accepted_bookings',
  'cancelled_by_customer',
  'cancelled_by_seller',
  'no_shows',
  'preferred_staff',
  'preferred_service',
  'distinct_locations',
] as const;

export class BookingMetricsPart {
  private readonly firstBookingAt: Float64Array;
  private readonly lastBookingAt: Float64Array;
  private readonly nextBookingAt: Float64Array;
  private readonly acceptedBookings: Float64Array;
  private readonly cancelledByCustomer: Float64Array;
  private readonly cancelledBySeller: Float64Array;
  private readonly noShows: Float64Array;
  private readonly preferredStaff: TextColumn;
  private readonly preferredService: TextColumn;
  private readonly distinctLocations: Float64Array;
  private readonly staffMode = new ModeCounter();
  private readonly serviceMode = new ModeCounter();
  private readonly stride: number;

  constructor(
    private readonly p: Prepared,
    columns: Record<string, MasterColumnData>,
  ) {
    this.firstBookingAt = columns.first_booking_at as Float64Array;
    this.lastBookingAt = columns.last_booking_at as Float64Array;
    this.nextBookingAt = columns.next_booking_at as Float64Array;
    this.acceptedBookings = columns.accepted_bookings as Float64Array;
    this.cancelledByCustomer = columns.cancelled_by_customer as Float64Array;
    this.cancelledBySeller = columns.cancelled_by_seller as Float64Array;
    this.noShows = columns.no_shows as Float64Array;
    this.preferredStaff = columns.preferred_staff as TextColumn;
    this.preferredService = columns.preferred_service as TextColumn;
    this.distinctLocations = columns.distinct_locations as Float64Array;
    this.stride = p.input.locations.length + 1;
  }

  visit(v: CustomerVisit): void {
    const { bookings, staff, services } = this.p.input;
    const { asOf, bookingDay, bookingsByCluster } = this.p;
    const { staffMode, serviceMode, stride } = this;
    const k = v.k;
    staffMode.reset();
    serviceMode.reset();
    let accepted = 0;
    let byCustomer = 0;
    let bySeller = 0;
    let noShow = 0;
    let firstBooking = Infinity;
    let firstBookingLocation = -1;
    let firstBookingDay = 0;
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
            firstBookingDay = bookingDay[b];
          }
          if (start > lastBooking) lastBooking = start;
          staffMode.add(bookings.staff[b], start);
          serviceMode.add(bookings.service[b], start);
          v.addLocation(bookings.location[b]);
          v.keys[v.keyCount++] = bookingDay[b] * stride + bookings.location[b] + 1;
        } else if (start < nextBooking) nextBooking = start;
      } else if (status === BOOKING_CANCELLED_BY_CUSTOMER) byCustomer++;
      else if (status === BOOKING_CANCELLED_BY_SELLER) bySeller++;
      else if (status === BOOKING_NO_SHOW) noShow++;
    }
    v.firstBooking = firstBooking;
    v.firstBookingLocation = firstBookingLocation;
    v.firstBookingDay = firstBookingDay;

    if (accepted > 0) {
      this.firstBookingAt[k] = firstBooking;
      this.lastBookingAt[k] = lastBooking;
    }
    if (nextBooking !== Infinity) this.nextBookingAt[k] = nextBooking;
    this.acceptedBookings[k] = accepted;
    this.cancelledByCustomer[k] = byCustomer;
    this.cancelledBySeller[k] = bySeller;
    this.noShows[k] = noShow;
    // The staff of past appointments; without any, of in-store purchases.
    const staffIndex = staffMode.size > 0 ? staffMode.mode() : v.salesStaff.mode();
    this.preferredStaff[k] = staffIndex >= 0 ? staff[staffIndex] : undefined;
    const serviceIndex = serviceMode.mode();
    this.preferredService[k] = serviceIndex >= 0 ? services[serviceIndex] : undefined;
    this.distinctLocations[k] = v.locationCount;
  }
}
