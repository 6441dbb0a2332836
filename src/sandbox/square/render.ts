/** Square's JSON shapes for the sandbox's records (field names and optionality as in Square's OpenAPI spec). */
import type {
  BookingFields,
  CustomerFields,
  LocationDef,
  PaymentFields,
  RefundFields,
  ServiceDef,
  StaffDef,
} from './entities.js';
import type { Snapshot, StampStyle } from './timeline.js';

export type Json = Record<string, unknown>;

/** Square prints some times with milliseconds and some without, sometimes both kinds in one record. */
export function rfc3339(ms: number, fractional: boolean): string {
  const text = new Date(ms).toISOString();
  return fractional || ms % 1000 !== 0 ? text : text.replace(/\.\d{3}Z$/, 'Z');
}

function created(style: StampStyle, ms: number): string {
  return rfc3339(ms, style !== 's');
}

function updated(style: StampStyle, ms: number): string {
  return rfc3339(ms, style === 'ms');
}

function money(amount: number, currency: string): Json {
  return { amount, currency };
}

/** Drops undefined fields, as Square omits unset ones. */
function compact(object: Json): Json {
  for (const key of Object.keys(object)) if (object[key] === undefined) delete object[key];
  return object;
}

export function customerJson(c: Snapshot<CustomerFields>): Json {
  return compact({
    id: c.id,
    created_at: created(c.style, c.createdAt),
    updated_at: updated(c.style, c.updatedAt),
    given_name: c.givenName,
    family_name: c.familyName,
    company_name: c.company,
    email_address: c.email,
    phone_number: c.phone,
    preferences: { email_unsubscribed: c.emailUnsubscribed },
    creation_source: c.creationSource,
    segment_ids: c.email ? ['ML2PK3ZVAE9HJ.REACHABLE'] : undefined,
    version: c.version,
  });
}

/**
 * Whether this application (the token's) made the booking: a few do, through the API. A token without
 * APPOINTMENTS_ALL_READ sees only those. Derived from the id, so it draws nothing from the generator.
 */
export function createdByThisApp(bookingId: string): boolean {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bookingId.length; i++) hash = Math.imul(hash ^ bookingId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % 20 === 0;
}

/** `sellerLevel`: the token has APPOINTMENTS_ALL_READ; `source` is shown only then. */
export function bookingJson(b: Snapshot<BookingFields>, sellerLevel = true): Json {
  const app = createdByThisApp(b.id);
  return compact({
    id: b.id,
    version: b.version,
    status: b.status,
    created_at: created(b.style, b.createdAt),
    updated_at: updated(b.style, b.updatedAt),
    start_at: rfc3339(b.startAt, false),
    location_id: b.locationId,
    customer_id: b.customerId,
    location_type: 'BUSINESS_LOCATION',
    all_day: false,
    transition_time_minutes: 0,
    appointment_segments: [
      {
        duration_minutes: b.durationMinutes,
        service_variation_id: b.serviceVariationId,
        service_variation_version: b.serviceVariationVersion,
        team_member_id: b.staffId,
        intermission_minutes: 0,
        any_team_member: false,
      },
    ],
    creator_details: app ? { creator_type: 'TEAM_MEMBER', team_member_id: b.staffId } : { creator_type: 'CUSTOMER', customer_id: b.customerId },
    source: sellerLevel ? (app ? 'API' : 'FIRST_PARTY_BUYER') : undefined,
  });
}

export function paymentJson(p: Snapshot<PaymentFields>): Json {
  const total = p.amount + p.tip;
  const completed = p.status === 'COMPLETED';
  return compact({
    id: p.id,
    created_at: created(p.style, p.createdAt),
    updated_at: updated(p.style, p.updatedAt),
    amount_money: money(p.amount, p.currency),
    tip_money: p.tip > 0 ? money(p.tip, p.currency) : undefined,
    total_money: money(total, p.currency),
    approved_money: money(total, p.currency),
    refunded_money: p.refunded > 0 ? money(p.refunded, p.currency) : undefined,
    status: p.status,
    source_type: p.sourceType,
    card_details:
      p.sourceType === 'CARD'
        ? { status: completed ? 'CAPTURED' : p.status === 'FAILED' ? 'FAILED' : 'AUTHORIZED', card: { card_brand: 'VISA', last_4: '4242' }, entry_method: 'EMV' }
        : undefined,
    cash_details: p.sourceType === 'CASH' ? { buyer_supplied_money: money(total, p.currency) } : undefined,
    location_id: p.locationId,
    order_id: p.orderId,
    customer_id: p.customerId,
    team_member_id: p.staffId,
    employee_id: p.staffId,
    refund_ids: p.refundIds.length > 0 ? p.refundIds : undefined,
    receipt_number: p.status === 'CANCELED' ? undefined : p.id.slice(0, 4),
    receipt_url: completed ? `https://squareup.com/receipt/preview/${p.id}` : undefined,
    application_details: { square_product: 'APPOINTMENTS', application_id: 'sq0idp-SANDBOX' },
    version_token: `${p.id.slice(0, 8)}v${p.version}`,
  });
}

export function refundJson(r: Snapshot<RefundFields>): Json {
  return {
    id: r.id,
    status: r.status,
    location_id: r.locationId,
    unlinked: false,
    destination_type: 'CARD',
    amount_money: money(r.amount, r.currency),
    payment_id: r.paymentId,
    order_id: r.orderId,
    reason: r.reason,
    created_at: created(r.style, r.createdAt),
    updated_at: updated(r.style, r.updatedAt),
  };
}

/**
 * Square turns every payment into an order; the sandbox derives one per `order_id` from its payments
 * (split tender: several tenders, one order), the first payment setting state, customer and times.
 */
export function orderJson(parts: Snapshot<PaymentFields>[], service: ServiceDef | undefined): Json {
  const p = parts[0];
  const amount = parts.reduce((sum, part) => sum + part.amount, 0);
  const tip = parts.reduce((sum, part) => sum + part.tip, 0);
  const state = p.status === 'COMPLETED' ? 'COMPLETED' : p.status === 'FAILED' || p.status === 'CANCELED' ? 'CANCELED' : 'OPEN';
  const orderCreated = p.createdAt - 5 * 60_000;
  return compact({
    id: p.orderId,
    location_id: p.locationId,
    customer_id: p.customerId,
    source: { name: 'Square Appointments' },
    state,
    version: p.version,
    created_at: rfc3339(orderCreated, p.style !== 's'),
    updated_at: updated(p.style, p.updatedAt),
    closed_at: state === 'OPEN' ? undefined : updated(p.style, p.updatedAt),
    line_items: [
      compact({
        uid: `${p.orderId.slice(0, 8)}-li1`,
        name: service?.itemName ?? 'Custom amount',
        variation_name: service?.variationName,
        quantity: '1',
        catalog_object_id: service?.variationId,
        catalog_version: service?.version,
        item_type: service ? 'ITEM' : 'CUSTOM_AMOUNT',
        base_price_money: money(amount, p.currency),
        gross_sales_money: money(amount, p.currency),
        total_money: money(amount, p.currency),
      }),
    ],
    tenders: parts.map((part) =>
      compact({
        id: part.id,
        location_id: part.locationId,
        transaction_id: part.orderId,
        created_at: created(part.style, part.createdAt),
        amount_money: money(part.amount + part.tip, part.currency),
        tip_money: money(part.tip, part.currency),
        customer_id: part.customerId,
        type: part.sourceType,
        payment_id: part.id,
      }),
    ),
    total_money: money(amount + tip, p.currency),
    total_tip_money: money(tip, p.currency),
    net_amount_due_money: money(state === 'OPEN' ? amount + tip : 0, p.currency),
  });
}

export function locationJson(l: LocationDef, currency: string, merchantId: string): Json {
  return compact({
    id: l.id,
    name: l.name,
    business_name: 'Sandbox Salon',
    status: l.status,
    timezone: l.timezone,
    currency,
    country: currency === 'JPY' ? 'JP' : 'US',
    created_at: rfc3339(l.createdAt, false),
    merchant_id: merchantId,
    type: 'PHYSICAL',
    mcc: '7230',
    capabilities: ['CREDIT_CARD_PROCESSING'],
  });
}

export function teamMemberJson(s: StaffDef): Json {
  return {
    id: s.id,
    is_owner: s.isOwner,
    status: s.status,
    given_name: s.givenName,
    family_name: s.familyName,
    email_address: s.email,
    created_at: rfc3339(s.createdAt, false),
    updated_at: rfc3339(s.leftAt ?? s.createdAt, false),
    assigned_locations: { assignment_type: 'EXPLICIT_LOCATIONS', location_ids: s.locationIds },
  };
}

export function catalogItemJson(services: ServiceDef[], staffIds: string[], currency: string): Json {
  const first = services[0];
  const deleted = services.every((s) => s.isDeleted);
  return {
    type: 'ITEM',
    id: first.itemId,
    updated_at: rfc3339(first.version, true),
    version: first.version,
    is_deleted: deleted,
    present_at_all_locations: true,
    item_data: {
      name: first.itemName,
      product_type: 'APPOINTMENTS_SERVICE',
      variations: services.map((s) => catalogVariationJson(s, staffIds, currency)),
    },
  };
}

export function catalogVariationJson(s: ServiceDef, staffIds: string[], currency: string): Json {
  return {
    type: 'ITEM_VARIATION',
    id: s.variationId,
    updated_at: rfc3339(s.version, true),
    version: s.version,
    is_deleted: s.isDeleted,
    present_at_all_locations: true,
    item_variation_data: {
      item_id: s.itemId,
      name: s.variationName,
      pricing_type: 'FIXED_PRICING',
      price_money: money(s.priceMinor, currency),
      service_duration: s.durationMinutes * 60_000,
      available_for_booking: !s.isDeleted,
      team_member_ids: staffIds,
    },
  };
}
