/**
 * Square objects (checked against their schemas in `wire.ts`) -> canonical records. Pure: no clock, no
 * I/O. What the canonical form needs (an id, a time, an amount, a currency, a status) the schemas
 * guarantee, so nothing here turns an absent field into a zero or a date.
 */
import type { BookingRecord, CustomerRecord, OrderRecord, OrderStatus } from '../../core/model.js';
import { parseSquareTime } from './squareTime.js';
import type { SquareBooking, SquareCatalogObject, SquareCustomer, SquarePayment, SquareRefund } from './wire.js';

/** Leaves out absent fields so stored records carry only what the source said. */
function defined<T extends object>(record: T): T {
  for (const key of Object.keys(record) as (keyof T)[]) if (record[key] === undefined) delete record[key];
  return record;
}

function text(value: string | null | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A time the schema has already accepted. */
function timeOf(value: string): number {
  const ms = parseSquareTime(value);
  if (ms === undefined) throw new Error(`not an RFC 3339 time: ${value}`);
  return ms;
}

/** Square's `updated_at` orders versions of one record; `created_at` when a record never changed. */
function versionOf(updatedAt: string | undefined, createdAt: string | undefined): number {
  return parseSquareTime(updatedAt) ?? parseSquareTime(createdAt) ?? 0;
}

export function normalizeCustomer(c: SquareCustomer): CustomerRecord {
  const optOut = c.preferences?.email_unsubscribed;
  return defined<CustomerRecord>({
    source: 'square',
    id: c.id,
    version: versionOf(c.updated_at, c.created_at),
    createdAt: timeOf(c.created_at),
    firstName: text(c.given_name),
    lastName: text(c.family_name),
    company: text(c.company_name),
    email: text(c.email_address),
    phone: text(c.phone_number),
    emailOptOut: typeof optOut === 'boolean' ? optOut : undefined,
  });
}

/**
 * Square has no tombstones: a deleted profile just stops being listed, and a merge deletes the
 * originals in favour of a new profile. `version` must beat every version stored for the id.
 */
export function customerTombstone(id: string, version: number, mergedInto?: string): CustomerRecord {
  return defined<CustomerRecord>({ source: 'square', id, version, deleted: true, mergedInto });
}

const PAYMENT_STATUS: Record<SquarePayment['status'], OrderStatus> = {
  COMPLETED: 'completed',
  APPROVED: 'open',
  PENDING: 'open',
  CANCELED: 'cancelled',
  FAILED: 'cancelled',
};

/**
 * A payment is an appointment sale that counts once COMPLETED; `amount_money` excludes the tip, which
 * is kept apart. Payments of one order (split tender) share `purchaseId`.
 */
export function normalizePayment(p: SquarePayment): OrderRecord {
  return defined<OrderRecord>({
    source: 'square',
    id: p.id,
    version: versionOf(p.updated_at, p.created_at),
    kind: 'sale',
    status: PAYMENT_STATUS[p.status],
    channel: 'appointment',
    customerId: text(p.customer_id),
    orderedAt: timeOf(p.created_at),
    amountMinor: p.amount_money.amount,
    tipsMinor: p.tip_money?.amount,
    currency: p.amount_money.currency,
    locationId: text(p.location_id),
    staffId: text(p.team_member_id),
    purchaseId: text(p.order_id),
  });
}

const REFUND_STATUS: Record<SquareRefund['status'], OrderStatus> = {
  COMPLETED: 'completed',
  PENDING: 'open',
  REJECTED: 'cancelled',
  FAILED: 'cancelled',
};

/**
 * A refund gives money back against its payment: negative, counted once COMPLETED. Its amount is kept
 * whole: it may include a tip given back (compute splits it against the payment).
 */
export function normalizeRefund(r: SquareRefund, customerId?: string): OrderRecord {
  return defined<OrderRecord>({
    source: 'square',
    id: r.id,
    version: versionOf(r.updated_at, r.created_at),
    kind: 'refund',
    status: REFUND_STATUS[r.status],
    channel: 'appointment',
    customerId: text(customerId),
    orderedAt: timeOf(r.created_at),
    amountMinor: -Math.abs(r.amount_money.amount),
    currency: r.amount_money.currency,
    locationId: text(r.location_id),
    refOrderId: text(r.payment_id),
  });
}

/** The first appointment segment names the technician and the service. */
export function normalizeBooking(b: SquareBooking): BookingRecord {
  const first = b.appointment_segments?.[0];
  return defined<BookingRecord>({
    source: 'square',
    id: b.id,
    version: versionOf(b.updated_at, b.created_at),
    customerId: text(b.customer_id),
    startAt: timeOf(b.start_at),
    status: b.status,
    locationId: text(b.location_id),
    staffId: text(first?.team_member_id),
    serviceId: text(first?.service_variation_id),
  });
}

/** "Haircut - Long hair"; just "Balayage" where the variation is the item's only, unnamed one. */
export function serviceName(variation: SquareCatalogObject, item: SquareCatalogObject | undefined): string {
  const itemName = text(item?.item_data?.name);
  const variationName = text(variation.item_variation_data?.name);
  const plain = !variationName || variationName.toLowerCase() === 'regular';
  if (itemName && !plain) return `${itemName} - ${variationName}`;
  return itemName ?? variationName ?? variation.id;
}
