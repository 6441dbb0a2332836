/**
 * The canonical records every source is normalized into. Fetchers and importers produce these;
 * compute reads only these. Times are epoch milliseconds (UTC); money is integer minor units
 * (cents for USD, yen for JPY) so sums are exact.
 */

export type SourceName = 'lightspeed' | 'square' | 'ecom';
export const SOURCES: readonly SourceName[] = ['lightspeed', 'square', 'ecom'];

export type Channel = 'in_store' | 'online' | 'appointment';

/** A person as one source knows them. Key: (source, id). */
export interface CustomerRecord {
  source: SourceName;
  id: string;
  /** Orders versions of the same id: the higher one wins (Lightspeed `version`, Square `updated_at` ms, import sequence). */
  version: number;
  createdAt?: number;
  firstName?: string;
  lastName?: string;
  company?: string;
  email?: string;
  /** Raw phone as the source gave it; normalized to E.164 at compute time. */
  phone?: string;
  mobile?: string;
  emailOptOut?: boolean;
  /** A tombstone: the source deleted this customer. */
  deleted?: boolean;
  /** Square: this profile was merged into another one (id of the survivor), when known. */
  mergedInto?: string;
}

/**
 * What an order is for analytics:
 * - `sale`: a purchase when `status` is `completed`.
 * - `return`: money given back through a return sale/order (amount negative).
 * - `refund`: money given back against an earlier order (`refOrderId`), amount negative.
 */
export type OrderKind = 'sale' | 'return' | 'refund';
/** `completed` counts; `open` (parked, layby, awaiting), `cancelled` and `voided` do not. */
export type OrderStatus = 'completed' | 'open' | 'cancelled' | 'voided';

/** A sale, payment, e-commerce order, return or refund. Key: (source, id). */
export interface OrderRecord {
  source: SourceName;
  id: string;
  version: number;
  kind: OrderKind;
  status: OrderStatus;
  channel: Channel;
  /** The source's customer id; absent for walk-ins and guests. */
  customerId?: string;
  /** Business time of the order (Lightspeed `sale_date`, Square `created_at`, export order date). */
  orderedAt: number;
  /** Signed total as charged, tax included, tips excluded, in minor units. Negative for returns and refunds. */
  amountMinor: number;
  tipsMinor?: number;
  /** ISO 4217 code. */
  currency: string;
  /** Location id in the source's `locations` dimension (or the location name where the source has no ids). */
  locationId?: string;
  /** Staff id in the source's `staff` dimension (sales person). */
  staffId?: string;
  /** Campaign, referrer or shop link that brought the order. */
  campaign?: string;
  /** For returns and refunds: the order they give money back for. */
  refOrderId?: string;
  /**
   * Records that share it are parts of one purchase (Square: payments of one `order_id`, split
   * tender); a record without it is a purchase of its own.
   */
  purchaseId?: string;
  deleted?: boolean;
}

/** Square's six booking statuses; the store's column codes are their positions here. */
export const BOOKING_STATUSES = [
  'PENDING',
  'ACCEPTED',
  'CANCELLED_BY_CUSTOMER',
  'CANCELLED_BY_SELLER',
  'DECLINED',
  'NO_SHOW',
] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** An appointment. Key: (source, id). */
export interface BookingRecord {
  source: SourceName;
  id: string;
  version: number;
  customerId?: string;
  startAt: number;
  status: BookingStatus;
  locationId?: string;
  staffId?: string;
  serviceId?: string;
  deleted?: boolean;
}

/** Names for ids: locations (with their IANA time zone), staff and services. Key: (source, kind, id). */
export type DimensionKind = 'locations' | 'staff' | 'services';
export interface DimensionEntry {
  id: string;
  name: string;
  /** IANA time zone, for locations. */
  timeZone?: string;
  /** ISO 3166-1 alpha-2 country, for locations (the default region of phone numbers seen there). */
  country?: string;
}

export type TableName = 'customers' | 'orders' | 'bookings';
export interface TableRecord {
  customers: CustomerRecord;
  orders: OrderRecord;
  bookings: BookingRecord;
}
