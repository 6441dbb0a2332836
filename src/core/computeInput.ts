/**
 * Everything `compute` reads, already loaded into flat arrays (one entry per record), so the core is
 * pure and fast: no fs, no clock. The loader in src/io/loadComputeInput.ts builds it from the store.
 */
import { BOOKING_STATUS, CHANNELS, ORDER_KIND, ORDER_STATUS, SOURCES, type SourceName } from './model.js';

/** Source codes are positions in SOURCES. */
export const SOURCE_CODES: readonly SourceName[] = SOURCES;

/** The customer record fields compute reads as text, as the store has them. */
export const CONTACT_FIELDS = ['firstName', 'lastName', 'company', 'email', 'phone', 'mobile'] as const;

export interface CustomerRecords {
  count: number;
  /** Index into SOURCE_CODES. */
  source: Uint8Array;
  id: string[];
  createdAt: Float64Array;
  firstName: (string | undefined)[];
  lastName: (string | undefined)[];
  company: (string | undefined)[];
  email: (string | undefined)[];
  phone: (string | undefined)[];
  mobile: (string | undefined)[];
  /** 0 false, 1 true, 2 unknown. */
  emailOptOut: Uint8Array;
  deleted: Uint8Array;
  /** Index of the customer record this one was merged into at the source, or -1. */
  mergedInto: Int32Array;
}

/** Enum codes are positions in the value lists of src/core/model.ts, as in the store. */
export const KIND_SALE = ORDER_KIND.sale;
export const KIND_RETURN = ORDER_KIND.return;
export const KIND_REFUND = ORDER_KIND.refund;
export const STATUS_COMPLETED = ORDER_STATUS.completed;
export const CHANNEL_NAMES = CHANNELS;

export interface OrderRecords {
  count: number;
  source: Uint8Array;
  /** Index into CustomerRecords, or -1 (walk-in, guest). */
  customer: Int32Array;
  kind: Uint8Array;
  status: Uint8Array;
  channel: Uint8Array;
  orderedAt: Float64Array;
  amountMinor: Float64Array;
  tipsMinor: Float64Array;
  /** Index into `currencies`, or -1. */
  currency: Int32Array;
  currencies: string[];
  /** Index into ComputeInput.locations, or -1. */
  location: Int32Array;
  /** Index into ComputeInput.staff, or -1. */
  staff: Int32Array;
  /** Index into `campaigns`, or -1. */
  campaign: Int32Array;
  campaigns: string[];
  /**
   * Purchase group (records of one source sharing a `purchaseId`: Square payments of one order, split
   * tender), numbered from 0 over all sources; -1 for a record that is a purchase of its own.
   */
  purchase: Int32Array;
  /** Number of purchase groups. */
  purchases: number;
  /**
   * For refunds: index of the order (payment) they give money back for; REF_NONE when the refund names
   * none, REF_MISSING when the order it names is not in the store. Other kinds: REF_NONE.
   */
  refOrder: Int32Array;
}

export const REF_NONE = -1;
export const REF_MISSING = -2;

/** The per-record columns of orders and bookings (typed arrays of `count` entries). */
export type OrderColumn = { [K in keyof OrderRecords]: OrderRecords[K] extends Int32Array | Uint8Array | Float64Array ? K : never }[keyof OrderRecords];
export type BookingColumn = { [K in keyof BookingRecords]: BookingRecords[K] extends Int32Array | Uint8Array | Float64Array ? K : never }[keyof BookingRecords];

/**
 * `compute` owns its input: it reorders the orders in place (src/core/compute/prepare.ts) and lets each
 * column go, through this, once no part reads it any more (at ten million orders each is 10 to 80 MB,
 * and the peak of `ca compute` is the end of compute, when the models' arrays join the pass's results).
 * A released column is an empty array of its type: whatever reads it afterwards reads `undefined`.
 */
export function releaseColumns<T extends OrderRecords | BookingRecords>(records: T, names: readonly (T extends OrderRecords ? OrderColumn : BookingColumn)[]): void {
  const columns = records as unknown as Record<string, Int32Array | Uint8Array | Float64Array>;
  for (const name of names) {
    const column = columns[name as string];
    columns[name as string] = new (column.constructor as new (length: number) => typeof column)(0);
  }
}

export interface BookingRecords {
  count: number;
  customer: Int32Array;
  startAt: Float64Array;
  /** Index into BOOKING_STATUSES of src/core/model.ts; NO_BOOKING_STATUS for a deleted booking. */
  status: Uint8Array;
  location: Int32Array;
  staff: Int32Array;
  /** Index into ComputeInput.services, or -1. */
  service: Int32Array;
}

export const BOOKING_ACCEPTED = BOOKING_STATUS.ACCEPTED;
export const BOOKING_CANCELLED_BY_CUSTOMER = BOOKING_STATUS.CANCELLED_BY_CUSTOMER;
export const BOOKING_CANCELLED_BY_SELLER = BOOKING_STATUS.CANCELLED_BY_SELLER;
export const BOOKING_NO_SHOW = BOOKING_STATUS.NO_SHOW;

export interface Location {
  name: string;
  timeZone?: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country?: string;
}

export interface ComputeInput {
  customers: CustomerRecords;
  orders: OrderRecords;
  bookings: BookingRecords;
  locations: Location[];
  staff: string[];
  services: string[];
  /**
   * Per source code: the distinct countries (ISO 3166-1 alpha-2, upper case, sorted) of all that
   * source's location dimensions, whether or not an order names them; empty when none is known.
   */
  sourceCountries: string[][];
}
