/**
 * The canonical records every source is normalized into, declared once as data: each enum as its
 * values (a value's code is its position), each table as its columns. The TypeScript record types,
 * the enum codes and the column store's layout (src/io/tableSpecs.ts) are derived from these lists.
 * Fetchers and importers produce these records; compute reads only these. Times are epoch
 * milliseconds (UTC); money is integer minor units (cents for USD, yen for JPY) so sums are exact.
 */

/** Value -> code (its position in `values`), for an enum declared as its values. */
export type Codes<T extends readonly string[]> = { readonly [K in T[number]]: number };

export function codesOf<const T extends readonly string[]>(values: T): Codes<T> {
  return Object.freeze(Object.fromEntries(values.map((value, code) => [value, code]))) as Codes<T>;
}

/** The sources, in the order every list of them follows (master columns, `sources`, identity ties). */
export const SOURCES = ['lightspeed', 'square', 'ecom'] as const;
export type SourceName = (typeof SOURCES)[number];
export const SOURCE = codesOf(SOURCES);

/**
 * What an order is for analytics:
 * - `sale`: a purchase when `status` is `completed`.
 * - `return`: money given back through a return sale/order (amount negative).
 * - `refund`: money given back against an earlier order (`refOrderId`), amount negative.
 */
export const ORDER_KINDS = ['sale', 'return', 'refund'] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];
export const ORDER_KIND = codesOf(ORDER_KINDS);

/** `completed` counts; `open` (parked, layby, awaiting), `cancelled` and `voided` do not. */
export const ORDER_STATUSES = ['completed', 'open', 'cancelled', 'voided'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const ORDER_STATUS = codesOf(ORDER_STATUSES);

export const CHANNELS = ['in_store', 'online', 'appointment'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL = codesOf(CHANNELS);

/** Square's six booking statuses. */
export const BOOKING_STATUSES = [
  'PENDING',
  'ACCEPTED',
  'CANCELLED_BY_CUSTOMER',
  'CANCELLED_BY_SELLER',
  'DECLINED',
  'NO_SHOW',
] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
export const BOOKING_STATUS = codesOf(BOOKING_STATUSES);

/**
 * One column of a canonical table: its name (= the record field), how the column store keeps it
 * (`f64` numbers, `dict` strings, `bool`, `enum` of `values`), whether every record has it, and
 * what it holds.
 */
export interface CanonicalColumn {
  readonly name: string;
  readonly type: 'f64' | 'dict' | 'bool' | 'enum';
  readonly values?: readonly string[];
  readonly required?: true;
  readonly doc: string;
}

const KEY_COLUMNS = [
  { name: 'id', type: 'dict', required: true, doc: "The source's id; the key is (source, id)." },
  {
    name: 'version',
    type: 'f64',
    required: true,
    doc: 'Orders versions of the same id: the higher one wins (Lightspeed `version`, Square `updated_at` ms, import sequence).',
  },
] as const satisfies readonly CanonicalColumn[];

/** A person as one source knows them. */
export const CUSTOMER_COLUMNS = [
  ...KEY_COLUMNS,
  { name: 'createdAt', type: 'f64', doc: 'When the source created the profile.' },
  { name: 'firstName', type: 'dict', doc: 'First name.' },
  { name: 'lastName', type: 'dict', doc: 'Last name.' },
  { name: 'company', type: 'dict', doc: 'Company.' },
  { name: 'email', type: 'dict', doc: 'E-mail address as the source gave it.' },
  { name: 'phone', type: 'dict', doc: 'Raw phone as the source gave it; normalized to E.164 at compute time.' },
  { name: 'mobile', type: 'dict', doc: 'Raw mobile phone as the source gave it.' },
  { name: 'emailOptOut', type: 'bool', doc: 'The customer does not want marketing e-mail.' },
  { name: 'deleted', type: 'bool', doc: 'A tombstone: the source deleted this customer.' },
  { name: 'mergedInto', type: 'dict', doc: 'Square: this profile was merged into another one (id of the survivor), when known.' },
] as const satisfies readonly CanonicalColumn[];

/** A sale, payment, e-commerce order, return or refund. */
export const ORDER_COLUMNS = [
  ...KEY_COLUMNS,
  { name: 'kind', type: 'enum', values: ORDER_KINDS, required: true, doc: 'sale, return or refund (ORDER_KINDS).' },
  { name: 'status', type: 'enum', values: ORDER_STATUSES, required: true, doc: 'Only `completed` counts (ORDER_STATUSES).' },
  { name: 'channel', type: 'enum', values: CHANNELS, required: true, doc: 'in_store, online or appointment.' },
  { name: 'customerId', type: 'dict', doc: "The source's customer id; absent for walk-ins and guests." },
  {
    name: 'orderedAt',
    type: 'f64',
    required: true,
    doc: 'Business time of the order (Lightspeed `sale_date`, Square `created_at`, export order date).',
  },
  {
    name: 'amountMinor',
    type: 'f64',
    required: true,
    doc: 'Signed total as charged, tax included, tips excluded, in minor units. Negative for returns and refunds.',
  },
  { name: 'tipsMinor', type: 'f64', doc: 'Tips, in minor units.' },
  { name: 'currency', type: 'dict', required: true, doc: 'ISO 4217 code.' },
  {
    name: 'locationId',
    type: 'dict',
    doc: "Location id in the source's `locations` dimension (or the location name where the source has no ids).",
  },
  { name: 'staffId', type: 'dict', doc: "Staff id in the source's `staff` dimension (sales person)." },
  { name: 'campaign', type: 'dict', doc: 'Campaign, referrer or shop link that brought the order.' },
  { name: 'refOrderId', type: 'dict', doc: 'For returns and refunds: the order they give money back for.' },
  { name: 'deleted', type: 'bool', doc: 'A tombstone: the source deleted this order.' },
  // Added after the first release: bases written before it read it as absent.
  {
    name: 'purchaseId',
    type: 'dict',
    doc: 'Records that share it are parts of one purchase (Square: payments of one `order_id`, split tender); a record without it is a purchase of its own.',
  },
] as const satisfies readonly CanonicalColumn[];

/** An appointment. */
export const BOOKING_COLUMNS = [
  ...KEY_COLUMNS,
  { name: 'customerId', type: 'dict', doc: "The source's customer id." },
  { name: 'startAt', type: 'f64', required: true, doc: 'When the appointment starts.' },
  { name: 'status', type: 'enum', values: BOOKING_STATUSES, required: true, doc: "Square's booking status (BOOKING_STATUSES)." },
  { name: 'locationId', type: 'dict', doc: "Location id in the source's `locations` dimension." },
  { name: 'staffId', type: 'dict', doc: "Staff id in the source's `staff` dimension." },
  { name: 'serviceId', type: 'dict', doc: "Service id in the source's `services` dimension." },
  { name: 'deleted', type: 'bool', doc: 'A tombstone: the source deleted this booking.' },
] as const satisfies readonly CanonicalColumn[];

/** The canonical tables, each as its columns in the column store's order. */
export const CANONICAL_TABLES = {
  customers: CUSTOMER_COLUMNS,
  orders: ORDER_COLUMNS,
  bookings: BOOKING_COLUMNS,
} as const;

export type TableName = keyof typeof CANONICAL_TABLES;

/** The TypeScript value of one declared column. */
type ValueOf<C extends CanonicalColumn> = C['type'] extends 'f64'
  ? number
  : C['type'] extends 'bool'
    ? boolean
    : C['type'] extends 'enum'
      ? NonNullable<C['values']>[number]
      : string;

/** A record of a table declared as `Columns`: required columns as required fields, the others optional; keyed by (source, id). */
type RecordOf<Columns extends readonly CanonicalColumn[]> = { source: SourceName } & {
  [C in Columns[number] as C extends { required: true } ? C['name'] : never]: ValueOf<C>;
} & {
  [C in Columns[number] as C extends { required: true } ? never : C['name']]?: ValueOf<C>;
};

export type CustomerRecord = RecordOf<typeof CUSTOMER_COLUMNS>;
export type OrderRecord = RecordOf<typeof ORDER_COLUMNS>;
export type BookingRecord = RecordOf<typeof BOOKING_COLUMNS>;

export interface TableRecord {
  customers: CustomerRecord;
  orders: OrderRecord;
  bookings: BookingRecord;
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
