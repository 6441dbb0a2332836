/**
 * A worked example small enough to check by hand (the expected values are derived in the comments),
 * run through the real store, loader and compute.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compute, type ComputeResult, type TextColumn } from '../../../src/core/compute.js';
import { customerKey } from '../../../src/core/identity.js';
import type { BookingRecord, CustomerRecord, OrderRecord } from '../../../src/core/model.js';
import { loadComputeInput } from '../../../src/io/loadComputeInput.js';
import { Store } from '../../../src/io/store.js';

const t = (iso: string) => Date.parse(iso);
const AS_OF = t('2025-06-30T12:00:00Z');

const customers: CustomerRecord[] = [
  { source: 'lightspeed', id: 'L1', version: 1, createdAt: t('2024-01-10T00:00:00Z'), firstName: 'Anne', lastName: 'Smith', email: 'anne@example.com', phone: '(415) 555-0101' },
  { source: 'lightspeed', id: 'L2', version: 2, createdAt: t('2025-06-01T00:00:00Z'), firstName: 'Bob', email: 'bob@example.com' },
  { source: 'lightspeed', id: 'L3', version: 3, deleted: true, firstName: 'Gone' },
  { source: 'lightspeed', id: 'L4', version: 4, createdAt: t('2024-02-01T00:00:00Z'), firstName: 'Carl', deleted: true },
  { source: 'square', id: 'S1', version: 5, createdAt: t('2023-12-01T00:00:00Z'), firstName: 'Annie', email: 'ANNE@example.com', emailOptOut: true },
  { source: 'square', id: 'S2', version: 6, createdAt: t('2025-01-01T00:00:00Z'), firstName: 'Dana', phone: '+14155550202' },
  { source: 'square', id: 'S3', version: 7, createdAt: t('2024-01-01T00:00:00Z'), firstName: 'Sam' },
  { source: 'ecom', id: 'E1', version: 8, createdAt: t('2025-06-28T09:00:00Z'), firstName: 'Dana', lastName: 'Lee', phone: '415-555-0202' },
];

const order = (o: Partial<OrderRecord> & Pick<OrderRecord, 'source' | 'id' | 'orderedAt' | 'amountMinor'>): OrderRecord => ({
  version: 1,
  kind: 'sale',
  status: 'completed',
  channel: o.source === 'lightspeed' ? 'in_store' : o.source === 'square' ? 'appointment' : 'online',
  currency: 'USD',
  ...o,
});

const orders: OrderRecord[] = [
  order({ source: 'lightspeed', id: 'o1', customerId: 'L1', orderedAt: t('2025-01-15T11:30:00Z'), amountMinor: 10000, locationId: 'O1', staffId: 'U1' }),
  order({ source: 'lightspeed', id: 'o2', customerId: 'L1', orderedAt: t('2025-06-20T10:00:00Z'), amountMinor: 5000, locationId: 'O1', staffId: 'U1' }),
  order({ source: 'lightspeed', id: 'o3', customerId: 'L1', orderedAt: t('2025-06-21T10:00:00Z'), amountMinor: -2000, kind: 'return', locationId: 'O1', refOrderId: 'o2' }),
  order({ source: 'lightspeed', id: 'o4', customerId: 'L1', orderedAt: t('2025-06-22T10:00:00Z'), amountMinor: 99900, status: 'voided', locationId: 'O1' }),
  order({ source: 'lightspeed', id: 'o5', customerId: 'L1', orderedAt: t('2025-06-23T10:00:00Z'), amountMinor: 7700, status: 'open', locationId: 'O1' }),
  order({ source: 'lightspeed', id: 'o6', customerId: 'L1', orderedAt: t('2025-07-05T10:00:00Z'), amountMinor: 4400, locationId: 'O1' }),
  order({ source: 'lightspeed', id: 'o7', customerId: 'L4', orderedAt: t('2024-03-01T12:00:00Z'), amountMinor: 4000, locationId: 'O1' }),
  order({ source: 'lightspeed', id: 'walkin', orderedAt: t('2025-06-20T13:00:00Z'), amountMinor: 1500, locationId: 'O1' }),
  order({ source: 'square', id: 'p1', customerId: 'S1', orderedAt: t('2024-12-01T18:00:00Z'), amountMinor: 8000, tipsMinor: 1000, locationId: 'SQ1' }),
  order({ source: 'square', id: 'r1', orderedAt: t('2024-12-05T18:00:00Z'), amountMinor: -3000, kind: 'refund', refOrderId: 'p1', locationId: 'SQ1' }),
  order({ source: 'square', id: 'p2', customerId: 'S2', orderedAt: t('2025-06-25T17:00:00Z'), amountMinor: 6000, locationId: 'SQ1' }),
  order({ source: 'ecom', id: 'E-100', customerId: 'E1', orderedAt: t('2025-06-28T09:00:00Z'), amountMinor: 2550, campaign: 'newsletter' }),
];

const booking = (b: Partial<BookingRecord> & Pick<BookingRecord, 'id' | 'customerId' | 'startAt' | 'status'>): BookingRecord => ({
  source: 'square',
  version: 1,
  locationId: 'SQ1',
  ...b,
});

const bookings: BookingRecord[] = [
  booking({ id: 'b1', customerId: 'S2', startAt: t('2025-06-25T17:00:00Z'), status: 'ACCEPTED', staffId: 'T1', serviceId: 'V1' }),
  booking({ id: 'b2', customerId: 'S2', startAt: t('2025-07-10T17:00:00Z'), status: 'ACCEPTED', staffId: 'T1', serviceId: 'V1' }),
  booking({ id: 'b3', customerId: 'S2', startAt: t('2025-05-01T15:00:00Z'), status: 'NO_SHOW' }),
  booking({ id: 'b4', customerId: 'S1', startAt: t('2025-02-01T15:00:00Z'), status: 'CANCELLED_BY_CUSTOMER' }),
  booking({ id: 'b5', customerId: 'S3', startAt: t('2025-06-10T15:00:00Z'), status: 'ACCEPTED', staffId: 'T1', serviceId: 'V1' }),
  booking({ id: 'b6', customerId: 'S2', startAt: t('2025-03-01T15:00:00Z'), status: 'CANCELLED_BY_SELLER' }),
  booking({ id: 'b7', customerId: 'S2', startAt: t('2025-03-02T15:00:00Z'), status: 'DECLINED' }),
];

let dir: string;
let result: ComputeResult;
const row = (id: string) => (result.master.columns.customer_id as TextColumn).indexOf(id);
const text = (column: string, k: number) => (result.master.columns[column] as TextColumn)[k];
const num = (column: string, k: number) => (result.master.columns[column] as Float64Array)[k];
const bool = (column: string, k: number) => (result.master.columns[column] as Uint8Array)[k];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ca-compute-'));
  const store = new Store(dir);
  for (const source of ['lightspeed', 'square', 'ecom'] as const) {
    await store.append(source, 'customers', customers.filter((c) => c.source === source));
    await store.append(source, 'orders', orders.filter((o) => o.source === source));
  }
  await store.append('square', 'bookings', bookings);
  await store.putDimensions('lightspeed', 'locations', [{ id: 'O1', name: 'Ponsonby', timeZone: 'Pacific/Auckland' }]);
  await store.putDimensions('lightspeed', 'staff', [{ id: 'U1', name: 'Uma' }]);
  await store.putDimensions('square', 'locations', [{ id: 'SQ1', name: 'Brooklyn', timeZone: 'America/New_York' }]);
  await store.putDimensions('square', 'staff', [{ id: 'T1', name: 'Tess' }]);
  await store.putDimensions('square', 'services', [{ id: 'V1', name: 'Haircut' }]);
  const input = await loadComputeInput(store);
  result = compute(input, {
    asOf: AS_OF,
    defaultRegion: 'US',
    maxRecordsPerIdentifier: 20,
    lifecycle: { newDays: 30, activeDays: 90, lostDays: 180 },
    valueTiers: { method: 'share', vip: 0.05, high: 0.2, medium: 0.5 },
    firstTimeBuyerDays: 30,
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('identity resolution', () => {
  it('gives one row per person; deleted profiles without purchases leave', () => {
    // Anne (L1+S1 by e-mail), Bob, Carl (deleted, has a purchase), Dana (S2+E1 by phone), Sam. L3 is gone.
    expect(result.master.rows).toBe(5);
    expect([...(result.master.columns.customer_id as TextColumn)].sort()).toEqual(
      [customerKey('square', 'S1'), customerKey('lightspeed', 'L2'), customerKey('lightspeed', 'L4'), customerKey('square', 'S2'), customerKey('square', 'S3')].sort(),
    );
  });

  it('names a merged customer after its oldest record and lists every source record', () => {
    const anne = row(customerKey('square', 'S1')); // S1 (2023-12-01) is older than L1 (2024-01-10)
    expect(text('lightspeed_customer_ids', anne)).toBe('L1');
    expect(text('square_customer_ids', anne)).toBe('S1');
    expect(text('first_name', anne)).toBe('Anne'); // Lightspeed's record comes first
    expect(text('email', anne)).toBe('anne@example.com');
    expect(text('phone', anne)).toBe('+14155550101');
    expect(bool('email_opt_out', anne)).toBe(1); // Square says so
    expect(num('customer_since', anne)).toBe(t('2023-12-01T00:00:00Z'));
    expect(text('sources', anne)).toBe('lightspeed;square');
    const dana = row(customerKey('square', 'S2'));
    expect(text('ecom_customer_keys', dana)).toBe('E1');
    expect(num('customer_since', dana)).toBe(t('2025-01-01T00:00:00Z'));
  });
});

describe('order metrics (Anne: 80.00 appointment, 100.00 and 50.00 in store; 20.00 returned, 30.00 refunded)', () => {
  it('counts completed purchases only, before the as-of time', () => {
    const anne = row(customerKey('square', 'S1'));
    expect(num('orders_count', anne)).toBe(3); // voided, parked and the July sale do not count
    expect([num('in_store_orders', anne), num('online_orders', anne), num('appointment_orders', anne)]).toEqual([2, 0, 1]);
    expect(num('gross_revenue', anne)).toBe(23000);
    expect(num('refunds', anne)).toBe(5000); // the return and the refund found through its payment
    expect(num('net_revenue', anne)).toBe(18000);
    expect(num('avg_order_value', anne)).toBe(6000);
    expect(num('tips_total', anne)).toBe(1000);
    expect(text('currency', anne)).toBe('USD');
  });

  it('knows the first order, recency and rhythm', () => {
    const anne = row(customerKey('square', 'S1'));
    expect(num('first_order_at', anne)).toBe(t('2024-12-01T18:00:00Z'));
    expect(num('last_order_at', anne)).toBe(t('2025-06-20T10:00:00Z'));
    expect(text('first_order_channel', anne)).toBe('appointment');
    expect(text('first_order_location', anne)).toBe('Brooklyn');
    expect(num('orders_last_365d', anne)).toBe(3);
    expect(num('revenue_last_365d', anne)).toBe(18000);
    expect(num('days_since_last_order', anne)).toBe(10); // 10 days and 2 hours
    // Dec 1 18:00 -> Jun 20 10:00 = 200 days 16 hours, over 2 gaps
    expect(num('avg_days_between_orders', anne)).toBeCloseTo((200 + 16 / 24) / 2, 9);
    expect(num('distinct_locations', anne)).toBe(2);
    expect(text('preferred_staff', anne)).toBe('Uma'); // no appointments: the in-store sales person
    expect(num('cancelled_by_customer', anne)).toBe(1);
    expect(text('lifecycle_segment', anne)).toBe('ACTIVE');
    expect(bool('is_repeat_customer', anne)).toBe(1);
  });

  it('keeps the purchase history of a customer deleted at the source', () => {
    const carl = row(customerKey('lightspeed', 'L4'));
    expect(num('orders_count', carl)).toBe(1);
    expect(text('lifecycle_segment', carl)).toBe('LOST');
    expect(bool('is_first_time_buyer', carl)).toBe(1);
  });
});

describe('appointments', () => {
  it('counts accepted past bookings, the next one, no-shows, and preferences', () => {
    const dana = row(customerKey('square', 'S2'));
    expect(num('accepted_bookings', dana)).toBe(1);
    expect(num('first_booking_at', dana)).toBe(t('2025-06-25T17:00:00Z'));
    expect(num('last_booking_at', dana)).toBe(t('2025-06-25T17:00:00Z'));
    expect(num('next_booking_at', dana)).toBe(t('2025-07-10T17:00:00Z'));
    expect(num('no_shows', dana)).toBe(1);
    expect(num('cancelled_by_seller', dana)).toBe(1);
    expect(num('cancelled_by_customer', dana)).toBe(0); // a declined request is neither
    expect(num('distinct_locations', dana)).toBe(1); // Brooklyn; the online order has no location
    expect(text('preferred_staff', dana)).toBe('Tess');
    expect(text('preferred_service', dana)).toBe('Haircut');
    expect(text('lifecycle_segment', dana)).toBe('NEW');
    expect(text('sources', dana)).toBe('square;ecom'); // the contract's order: lightspeed;square;ecom
  });

  it('a profile with only an appointment is a PROSPECT with its booking dates', () => {
    const sam = row(customerKey('square', 'S3'));
    expect(num('orders_count', sam)).toBe(0);
    expect(text('lifecycle_segment', sam)).toBe('PROSPECT');
    expect(num('first_booking_at', sam)).toBe(t('2025-06-10T15:00:00Z'));
    expect(text('value_tier', sam)).toBeUndefined();
    expect(text('rfm_score', sam)).toBeUndefined();
  });
});

describe('segments over the three buyers', () => {
  it('scores RFM by quintiles and tiers by share of net revenue', () => {
    // recency [2, 10, 486] days, frequency [1, 2, 3], monetary [4000, 8550, 18000] (worked out in the docs)
    const anne = row(customerKey('square', 'S1'));
    const carl = row(customerKey('lightspeed', 'L4'));
    const dana = row(customerKey('square', 'S2'));
    expect([text('rfm_score', anne), text('rfm_score', carl), text('rfm_score', dana)]).toEqual(['355', '111', '533']);
    expect([text('rfm_segment', anne), text('rfm_segment', carl), text('rfm_segment', dana)]).toEqual(['loyal_customers', 'hibernating', 'potential_loyalists']);
    expect([text('value_tier', anne), text('value_tier', carl), text('value_tier', dana)]).toEqual(['VIP', 'LOW', 'MEDIUM']);
  });
});

describe('first-time buyers (last 30 days)', () => {
  it('lists Dana only, with her second order', () => {
    expect(result.firstTimeBuyers).toHaveLength(1);
    const [dana] = result.firstTimeBuyers;
    expect(text('customer_id', dana.row)).toBe(customerKey('square', 'S2'));
    expect(dana.firstOrderAmountMinor).toBe(6000);
    expect(dana.secondOrderAt).toBe(t('2025-06-28T09:00:00Z'));
    expect(dana.source).toBe('square');
  });
});

describe('daily by location (local days)', () => {
  it('buckets by the outlet time zone and counts new customers on their first visit', () => {
    const rows = result.daily.map((r) => [r.date, r.location, r.orders, r.revenueMinor, r.uniqueCustomers, r.newCustomers, r.returningCustomers, r.acceptedBookings, r.cancellations, r.noShows]);
    expect(rows).toEqual([
      ['2024-03-02', 'Ponsonby', 1, 4000, 1, 1, 0, 0, 0, 0], // 12:00Z = 01:00 next day in Auckland (NZDT)
      ['2024-12-01', 'Brooklyn', 1, 8000, 1, 1, 0, 0, 0, 0],
      ['2025-01-16', 'Ponsonby', 1, 10000, 1, 0, 1, 0, 0, 0], // 11:30Z = 00:30 next day (+13 in January)
      ['2025-02-01', 'Brooklyn', 0, 0, 0, 0, 0, 0, 1, 0],
      ['2025-03-01', 'Brooklyn', 0, 0, 0, 0, 0, 0, 1, 0], // cancelled by the seller
      ['2025-05-01', 'Brooklyn', 0, 0, 0, 0, 0, 0, 0, 1],
      ['2025-06-10', 'Brooklyn', 0, 0, 1, 1, 0, 1, 0, 0], // Sam: new on the day of the first appointment
      ['2025-06-20', 'Ponsonby', 1, 5000, 1, 0, 1, 0, 0, 0], // 10:00Z = 22:00 (+12 in June)
      ['2025-06-21', 'Ponsonby', 1, 1500, 0, 0, 0, 0, 0, 0], // the walk-in, 13:00Z = 01:00 next day
      ['2025-06-25', 'Brooklyn', 1, 6000, 1, 1, 0, 1, 0, 0],
      ['2025-06-28', '', 1, 2550, 1, 0, 1, 0, 0, 0],
    ]);
  });
});

describe('cohorts', () => {
  it('follows each acquisition month', () => {
    expect(result.cohorts.map((c) => [c.cohort, c.monthsSince, c.cohortSize, c.activeCustomers, c.revenueMinor])).toEqual([
      ['2024-03', 0, 1, 1, 4000],
      ['2024-12', 0, 1, 1, 8000],
      ['2024-12', 1, 1, 1, 10000],
      ['2024-12', 6, 1, 1, 5000],
      ['2025-06', 0, 1, 1, 8550],
    ]);
  });
});
