/**
 * compute's parts (src/core/compute/): each declares the master columns it fills, and together they
 * fill every column exactly once; then, part by part, small shops built in memory (no store on disk)
 * with the expected values worked out by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { PREDICTION_COLUMNS } from '../../../src/core/clv/predictionColumns.js';
import { compute, type ComputeResult, type ComputeSettings, type MasterColumnData } from '../../../src/core/compute.js';
import { BookingMetricsPart } from '../../../src/core/compute/bookingMetrics.js';
import { CohortsPart } from '../../../src/core/compute/cohorts.js';
import { ContactPart } from '../../../src/core/compute/contactColumns.js';
import { DailyReportPart } from '../../../src/core/compute/dailyReport.js';
import { OrderMetricsPart } from '../../../src/core/compute/orderMetrics.js';
import { COMPUTE_PARTS } from '../../../src/core/compute/parts.js';
import { prepare } from '../../../src/core/compute/prepare.js';
import { fillSegments } from '../../../src/core/compute/segmentColumns.js';
import { emptyMasterColumns } from '../../../src/core/compute/shared.js';
import { CustomerVisit } from '../../../src/core/compute/visit.js';
import { customerKey } from '../../../src/core/identity.js';
import { MASTER_COLUMN_NAMES } from '../../../src/core/masterColumns.js';
import { memoryInput, type MemShop } from '../../helpers/memoryInput.js';

const t = (iso: string) => Date.parse(iso);
const AS_OF = t('2025-06-30T12:00:00Z');
const SETTINGS: ComputeSettings = {
  asOf: AS_OF,
  defaultRegion: 'US',
  maxRecordsPerIdentifier: 20,
  lifecycle: { newDays: 30, activeDays: 90, lostDays: 180 },
  valueTiers: { method: 'share', vip: 0.05, high: 0.2, medium: 0.5 },
  firstTimeBuyerDays: 30,
};
const LOCATIONS = [
  { name: 'Ponsonby', timeZone: 'Pacific/Auckland', country: 'NZ' },
  { name: 'Newmarket', timeZone: 'Pacific/Auckland', country: 'NZ' },
  { name: 'Brooklyn', timeZone: 'America/New_York', country: 'US' },
  { name: 'Queens', timeZone: 'America/New_York', country: 'US' },
];

const run = (shop: MemShop): ComputeResult => compute(memoryInput({ locations: LOCATIONS, ...shop }), SETTINGS);

/** The master row holding source record `id`. */
function rowOf(result: ComputeResult, id: string): number {
  const { columns, rows } = result.master;
  for (const name of ['lightspeed_customer_ids', 'square_customer_ids', 'ecom_customer_keys']) {
    const column = columns[name] as (string | undefined)[];
    for (let k = 0; k < rows; k++) if (column[k]?.split(';').includes(id)) return k;
  }
  throw new Error(`no row for ${id}`);
}

/** A row's cells as plain values: text or undefined, numbers (NaN = empty), booleans 0/1/2. */
function cells(result: ComputeResult, id: string, names: readonly string[]): Record<string, unknown> {
  const k = rowOf(result, id);
  return Object.fromEntries(names.map((name) => [name, result.master.columns[name][k]]));
}

const isEmpty = (column: MasterColumnData, k: number) =>
  column instanceof Float64Array ? Number.isNaN(column[k]) : column instanceof Uint8Array ? column[k] === 2 : column[k] === undefined;

describe('the parts and their columns', () => {
  it('every master column is declared by exactly one part', () => {
    const declared = COMPUTE_PARTS.flatMap((part) => part.columns);
    expect(new Set(declared).size).toBe(declared.length);
    expect([...declared].sort()).toEqual([...MASTER_COLUMN_NAMES].sort());
  });

  // One customer with something in every column: records of all three sources, purchases (one with a
  // campaign, one at a location), a return, tips, past and future appointments and a cancellation.
  const rich: MemShop = {
    locations: LOCATIONS,
    customers: [
      { id: 'L1', createdAt: '2024-01-01T00:00:00Z', firstName: 'Anne', lastName: 'Smith', company: 'Acme', email: 'anne@example.com', phone: '(415) 555-0101', emailOptOut: false },
      { id: 'S1', source: 'square', createdAt: '2024-02-01T00:00:00Z', email: 'anne@example.com' },
      { id: 'E1', source: 'ecom', email: 'anne@example.com' },
      { id: 'L2', firstName: 'Bob', email: 'bob@example.com' },
    ],
    orders: [
      { customer: 'L1', at: '2025-01-15T10:00:00Z', amount: 10000, campaign: 'newsletter', location: 'Ponsonby', staff: 'U1' },
      { customer: 'L1', at: '2025-06-20T10:00:00Z', amount: 5000, tips: 500, location: 'Ponsonby' },
      { customer: 'L1', at: '2025-06-21T10:00:00Z', amount: -2000, kind: 'return' },
      { customer: 'L2', at: '2025-06-01T10:00:00Z', amount: 3000 },
    ],
    bookings: [
      { customer: 'S1', at: '2025-05-01T15:00:00Z', status: 'ACCEPTED', location: 'Brooklyn', staff: 'T1', service: 'V1' },
      { customer: 'S1', at: '2025-07-10T15:00:00Z', status: 'ACCEPTED', location: 'Brooklyn' },
      { customer: 'S1', at: '2025-03-01T15:00:00Z', status: 'CANCELLED_BY_CUSTOMER' },
    ],
  };

  it('each part fills its own columns and no other, in the order of the pass', () => {
    const input = memoryInput(rich);
    const p = prepare(input, SETTINGS);
    const columns = emptyMasterColumns(p.clusters);
    const v = new CustomerVisit(p);
    const contact = new ContactPart(p, columns);
    const orders = new OrderMetricsPart(p, columns);
    const bookings = new BookingMetricsPart(p, columns);
    const daily = new DailyReportPart(p);
    const cohorts = new CohortsPart(p);
    const anne = p.identities.clusterOf[0]; // L1's row
    const filled = () => MASTER_COLUMN_NAMES.filter((name) => !isEmpty(columns[name], anne));
    const steps: [string, () => void][] = [
      ['contact', () => contact.visit(v)],
      ['order metrics', () => orders.visit(v)],
      ['booking metrics', () => bookings.visit(v)],
    ];
    let before = new Set<string>();
    for (const [name, step] of steps) {
      for (let k = 0; k < p.clusters; k++) {
        v.begin(k);
        // The parts before this one run too: later parts read what earlier ones found.
        for (const [earlier, run] of steps) {
          if (earlier === name) break;
          run();
        }
        step();
        daily.visit(v);
        cohorts.visit(v);
      }
      const now = filled();
      const added = now.filter((c) => !before.has(c));
      expect(added.sort(), name).toEqual([...COMPUTE_PARTS.find((part) => part.name === name)!.columns].sort());
      before = new Set(now);
    }
    fillSegments(columns, p.clusters, SETTINGS);
    expect(filled().filter((c) => !before.has(c)).sort()).toEqual([...COMPUTE_PARTS.find((part) => part.name === 'segments')!.columns].sort());
    // The prediction columns are left to src/core/clv/predictionColumns.ts.
    for (const name of PREDICTION_COLUMNS) expect(isEmpty(columns[name], anne)).toBe(true);
  });

  it('compute leaves the prediction columns empty for the models', () => {
    const result = run(rich);
    for (const name of PREDICTION_COLUMNS) expect([...(result.master.columns[name] as Float64Array)].every(Number.isNaN)).toBe(true);
  });
});

describe('contact part', () => {
  const cases: { name: string; shop: MemShop; id: string; expected: Record<string, unknown> }[] = [
    {
      // L1 and S1 share an e-mail (case differs). Lightspeed's record comes first for names; either
      // record opting out opts the customer out; the oldest record (S1, 2023-12-01) names the customer.
      name: 'merges records by e-mail',
      shop: {
        customers: [
          { id: 'L1', createdAt: '2024-03-01T00:00:00Z', firstName: 'Anne', lastName: 'Smith', email: 'anne@example.com', phone: '(415) 555-0101' },
          { id: 'S1', source: 'square', createdAt: '2023-12-01T00:00:00Z', firstName: 'Annie', company: 'Acme', email: 'ANNE@example.com', emailOptOut: true },
        ],
      },
      id: 'L1',
      expected: {
        customer_id: customerKey('square', 'S1'),
        lightspeed_customer_ids: 'L1',
        square_customer_ids: 'S1',
        ecom_customer_keys: undefined,
        first_name: 'Anne',
        last_name: 'Smith',
        company: 'Acme',
        email: 'anne@example.com',
        phone: '+14155550101',
        email_opt_out: 1,
        customer_since: t('2023-12-01T00:00:00Z'),
      },
    },
    {
      // L2 was deleted at the source but has a purchase, so it stays; S2 (live) gives the first name,
      // the deleted record only the last name S2 does not have.
      name: "a deleted record's data only where the live records say nothing",
      shop: {
        customers: [
          { id: 'L2', deleted: true, firstName: 'Old', lastName: 'Name', email: 'bo@example.com' },
          { id: 'S2', source: 'square', firstName: 'Bo', email: 'bo@example.com' },
        ],
        orders: [{ customer: 'L2', at: '2025-01-01T10:00:00Z', amount: 100 }],
      },
      id: 'S2',
      expected: { first_name: 'Bo', last_name: 'Name', lightspeed_customer_ids: 'L2', square_customer_ids: 'S2', customer_since: NaN, email_opt_out: 0 },
    },
    {
      // Two records of one source: ids sorted as text and joined; neither says anything about opting out.
      name: 'lists every record of a source',
      shop: {
        customers: [
          { id: 'L9', email: 'cy@example.com', phone: '415 555 0199' },
          { id: 'L10', email: 'cy@example.com' },
          { id: 'E1', source: 'ecom', phone: '+1 415-555-0199' },
        ],
      },
      id: 'L9',
      expected: { lightspeed_customer_ids: 'L10;L9', ecom_customer_keys: 'E1', email: 'cy@example.com', phone: '+14155550199', email_opt_out: 0 },
    },
  ];
  it.each(cases)('$name', ({ shop, id, expected }) => {
    expect(cells(run(shop), id, Object.keys(expected))).toEqual(expected);
  });

  it('a deleted record without purchases leaves', () => {
    expect(run({ customers: [{ id: 'L3', deleted: true, firstName: 'Gone' }] }).master.rows).toBe(0);
  });
});

describe('order metrics part', () => {
  const C = [{ id: 'C1' }];
  const cases: { name: string; shop: MemShop; expected: Record<string, unknown> }[] = [
    {
      // Purchases 2025-01-15 (100.00, in store, from the newsletter) and 2025-06-20 (50.00 online, 5.00
      // tips); 20.00 returned. Not counted: a voided and an open sale, and a sale after the as-of time.
      // Last order 10 days 2 hours before the as-of time; 156 days between the two.
      name: 'completed purchases on or before the as-of time',
      shop: {
        customers: C,
        orders: [
          { customer: 'C1', at: '2025-01-15T10:00:00Z', amount: 10000, campaign: 'newsletter', location: 'Ponsonby' },
          { customer: 'C1', at: '2025-06-20T10:00:00Z', amount: 5000, tips: 500, channel: 'online' },
          { customer: 'C1', at: '2025-06-21T10:00:00Z', amount: -2000, kind: 'return' },
          { customer: 'C1', at: '2025-06-22T10:00:00Z', amount: 99900, status: 'voided' },
          { customer: 'C1', at: '2025-06-23T10:00:00Z', amount: 7700, status: 'open' },
          { customer: 'C1', at: '2025-07-05T10:00:00Z', amount: 4400 },
        ],
      },
      expected: {
        orders_count: 2,
        in_store_orders: 1,
        online_orders: 1,
        appointment_orders: 0,
        gross_revenue: 15000,
        refunds: 2000,
        net_revenue: 13000,
        avg_order_value: 6500,
        tips_total: 500,
        currency: 'USD',
        first_order_at: t('2025-01-15T10:00:00Z'),
        last_order_at: t('2025-06-20T10:00:00Z'),
        first_order_channel: 'in_store',
        first_order_location: 'Ponsonby',
        first_order_source: 'newsletter',
        orders_last_365d: 2,
        revenue_last_365d: 13000,
        days_since_last_order: 10,
        avg_days_between_orders: 156,
        is_repeat_customer: 1,
        is_first_time_buyer: 0,
        sources: 'lightspeed',
      },
    },
    {
      // An 80.00 payment with a 10.00 tip, 85.00 refunded: 80.00 comes off revenue, the other 5.00 off tips.
      name: "a refund's tip part reduces tips, not revenue",
      shop: {
        customers: [{ id: 'S1', source: 'square' }],
        orders: [
          { id: 'p1', source: 'square', customer: 'S1', at: '2025-06-01T18:00:00Z', amount: 8000, tips: 1000, channel: 'appointment' },
          { source: 'square', customer: 'S1', at: '2025-06-05T18:00:00Z', amount: -8500, kind: 'refund', refunds: 'p1' },
        ],
      },
      expected: { orders_count: 1, appointment_orders: 1, gross_revenue: 8000, refunds: 8000, net_revenue: 0, tips_total: 500, avg_order_value: 0, revenue_last_365d: 0, is_first_time_buyer: 1 },
    },
    {
      // Paid in two parts five minutes apart: one order of 50.00, dated by its first part.
      name: 'a purchase paid in parts counts once',
      shop: {
        customers: C,
        orders: [
          { customer: 'C1', at: '2025-06-10T10:05:00Z', amount: 2000, purchase: 'g1' },
          { customer: 'C1', at: '2025-06-10T10:00:00Z', amount: 3000, purchase: 'g1' },
        ],
      },
      expected: { orders_count: 1, gross_revenue: 5000, avg_order_value: 5000, first_order_at: t('2025-06-10T10:00:00Z'), last_order_at: t('2025-06-10T10:00:00Z'), is_first_time_buyer: 1 },
    },
    {
      name: 'money in two currencies is never added up',
      shop: {
        customers: C,
        orders: [
          { customer: 'C1', at: '2025-06-01T10:00:00Z', amount: 1000, currency: 'USD' },
          { customer: 'C1', at: '2025-06-02T10:00:00Z', amount: 2000, currency: 'EUR' },
        ],
      },
      expected: { orders_count: 2, currency: 'EUR;USD', gross_revenue: NaN, refunds: NaN, net_revenue: NaN, avg_order_value: NaN, tips_total: NaN, revenue_last_365d: NaN },
    },
    {
      // 2024-05-01 is 425 days before the as-of time: outside the year; the return inside it counts.
      // 2024-05-01 -> 2025-05-01 is 365 days, -> 2025-06-20 another 50: 415 days between.
      name: 'the last 365 days',
      shop: {
        customers: C,
        orders: [
          { customer: 'C1', at: '2024-05-01T12:00:00Z', amount: 1000 },
          { customer: 'C1', at: '2025-06-20T12:00:00Z', amount: 2000 },
          { customer: 'C1', at: '2025-06-25T12:00:00Z', amount: -500, kind: 'return' },
        ],
      },
      expected: { orders_count: 2, orders_last_365d: 1, revenue_last_365d: 1500, gross_revenue: 3000, net_revenue: 2500, days_since_last_order: 10, avg_days_between_orders: 415 },
    },
    {
      // Money columns of someone who never bought are 0, not empty; per-order figures are empty.
      name: 'a customer who never bought',
      shop: { customers: C },
      expected: {
        orders_count: 0,
        gross_revenue: 0,
        refunds: 0,
        net_revenue: 0,
        tips_total: 0,
        avg_order_value: NaN,
        currency: undefined,
        first_order_at: NaN,
        days_since_last_order: NaN,
        is_repeat_customer: 0,
        is_first_time_buyer: 0,
        sources: 'lightspeed',
      },
    },
    {
      // A Lightspeed customer with an e-commerce order: both sources, in the contract's order.
      name: 'sources include where the orders come from',
      shop: { customers: C, orders: [{ source: 'ecom', customer: 'C1', at: '2025-06-01T10:00:00Z', amount: 100, channel: 'online' }] },
      expected: { sources: 'lightspeed;ecom', online_orders: 1, first_order_channel: 'online' },
    },
  ];
  it.each(cases)('$name', ({ shop, expected }) => {
    const id = shop.customers![0].id;
    expect(cells(run(shop), id, Object.keys(expected))).toEqual(expected);
  });

  it("reads each customer's orders together whatever their order in the store", () => {
    // Interleaved: S1's purchase g1 in two parts (80.00 with a 10.00 tip, then 20.00), a walk-in, S2's
    // 30.00, and S1's refund of 85.00 of the first part (80.00 revenue, 5.00 tip). compute sorts the
    // orders by customer (S2's row first here): the refund must still find its payment and the parts
    // their purchase.
    const input = memoryInput({
      locations: LOCATIONS,
      customers: [{ id: 'S2', source: 'square' }, { id: 'S1', source: 'square' }],
      orders: [
        { id: 'p1', source: 'square', customer: 'S1', at: '2025-06-01T18:00:00Z', amount: 8000, tips: 1000, purchase: 'g1', channel: 'appointment' },
        { source: 'square', at: '2025-06-01T18:30:00Z', amount: 1500, channel: 'appointment' },
        { source: 'square', customer: 'S2', at: '2025-06-02T10:00:00Z', amount: 3000, channel: 'appointment' },
        { source: 'square', customer: 'S1', at: '2025-06-01T18:01:00Z', amount: 2000, purchase: 'g1', channel: 'appointment' },
        { source: 'square', customer: 'S1', at: '2025-06-05T18:00:00Z', amount: -8500, kind: 'refund', refunds: 'p1' },
      ],
    });
    const result = compute(input, SETTINGS);
    // compute owns its input and lets every per-order column go once no part reads it.
    const { orders } = input;
    expect(Object.values(orders).filter((v) => ArrayBuffer.isView(v) && (v as Uint8Array).length > 0)).toEqual([]);
    const columns = ['orders_count', 'gross_revenue', 'refunds', 'net_revenue', 'tips_total', 'first_order_at'];
    expect(cells(result, 'S1', columns)).toEqual({ orders_count: 1, gross_revenue: 10000, refunds: 8000, net_revenue: 2000, tips_total: 500, first_order_at: t('2025-06-01T18:00:00Z') });
    expect(cells(result, 'S2', columns)).toEqual({ orders_count: 1, gross_revenue: 3000, refunds: 0, net_revenue: 3000, tips_total: 0, first_order_at: t('2025-06-02T10:00:00Z') });
    expect(result.counts).toMatchObject({ purchases: 2, walkInPurchases: 1 });
    // The models see one purchase per customer, the split one at its full amount.
    const { cluster, amountMinor } = result.purchases;
    const bought = (id: string) => [...cluster.keys()].filter((o) => cluster[o] === rowOf(result, id)).map((o) => amountMinor[o]);
    expect(bought('S1')).toEqual([10000]);
    expect(bought('S2')).toEqual([3000]);
  });

  it('lists first-time buyers of the last 30 days with their first purchase and second order', () => {
    // C1 first bought 2025-06-10 (in two parts, 50.00) and again 2025-06-20; C2 first on 2025-05-01,
    // before the window (2025-05-31 12:00 on).
    const result = run({
      customers: [{ id: 'C1' }, { id: 'C2' }],
      orders: [
        { customer: 'C1', at: '2025-06-10T10:00:00Z', amount: 3000, purchase: 'g1' },
        { customer: 'C1', at: '2025-06-10T10:01:00Z', amount: 2000, purchase: 'g1' },
        { customer: 'C1', at: '2025-06-20T10:00:00Z', amount: 700 },
        { customer: 'C2', at: '2025-05-01T10:00:00Z', amount: 900 },
      ],
    });
    expect(result.firstTimeBuyers).toEqual([{ row: rowOf(result, 'C1'), firstOrderAmountMinor: 5000, secondOrderAt: t('2025-06-20T10:00:00Z'), source: 'lightspeed' }]);
    expect(result.counts.purchases).toBe(3);
  });
});

describe('booking metrics part', () => {
  const cases: { name: string; shop: MemShop; expected: Record<string, unknown> }[] = [
    {
      // Two past accepted appointments (T2/V2 on 05-01, T1/V1 on 06-25): a tie, the later one wins.
      // Cancellations and no-shows count; declined and pending ones do not.
      name: 'appointments by outcome, the next one, and preferences',
      shop: {
        customers: [{ id: 'S1', source: 'square' }],
        bookings: [
          { customer: 'S1', at: '2025-05-01T15:00:00Z', status: 'ACCEPTED', location: 'Brooklyn', staff: 'T2', service: 'V2' },
          { customer: 'S1', at: '2025-06-25T17:00:00Z', status: 'ACCEPTED', location: 'Brooklyn', staff: 'T1', service: 'V1' },
          { customer: 'S1', at: '2025-07-10T17:00:00Z', status: 'ACCEPTED', location: 'Queens', staff: 'T2', service: 'V2' },
          { customer: 'S1', at: '2025-07-20T17:00:00Z', status: 'ACCEPTED' },
          { customer: 'S1', at: '2025-05-10T15:00:00Z', status: 'NO_SHOW', location: 'Queens' },
          { customer: 'S1', at: '2025-02-01T15:00:00Z', status: 'CANCELLED_BY_CUSTOMER' },
          { customer: 'S1', at: '2025-03-01T15:00:00Z', status: 'CANCELLED_BY_SELLER' },
          { customer: 'S1', at: '2025-03-02T15:00:00Z', status: 'DECLINED' },
          { customer: 'S1', at: '2025-03-03T15:00:00Z', status: 'PENDING' },
        ],
      },
      expected: {
        first_booking_at: t('2025-05-01T15:00:00Z'),
        last_booking_at: t('2025-06-25T17:00:00Z'),
        next_booking_at: t('2025-07-10T17:00:00Z'),
        accepted_bookings: 2,
        cancelled_by_customer: 1,
        cancelled_by_seller: 1,
        no_shows: 1,
        preferred_staff: 'T1',
        preferred_service: 'V1',
        distinct_locations: 1,
      },
    },
    {
      // No appointments: the staff of in-store purchases (U1 twice, U2 once; online orders not counted).
      name: 'without appointments, the in-store staff',
      shop: {
        customers: [{ id: 'L1' }],
        orders: [
          { customer: 'L1', at: '2025-01-01T10:00:00Z', amount: 100, staff: 'U1', location: 'Ponsonby' },
          { customer: 'L1', at: '2025-02-01T10:00:00Z', amount: 100, staff: 'U1', location: 'Newmarket' },
          { customer: 'L1', at: '2025-03-01T10:00:00Z', amount: 100, staff: 'U2', location: 'Ponsonby' },
          ...[1, 2, 3].map((d) => ({ customer: 'L1', at: `2025-04-0${d}T10:00:00Z`, amount: 100, staff: 'U3', channel: 'online' as const })),
        ],
      },
      expected: { preferred_staff: 'U1', preferred_service: undefined, accepted_bookings: 0, first_booking_at: NaN, next_booking_at: NaN, distinct_locations: 2 },
    },
    {
      // A purchase at Ponsonby and a visit at Brooklyn; a cancelled booking at Queens is no visit.
      name: 'distinct locations of purchases and visits',
      shop: {
        customers: [{ id: 'L1', email: 'x@example.com' }, { id: 'S1', source: 'square', email: 'x@example.com' }],
        orders: [{ customer: 'L1', at: '2025-01-01T10:00:00Z', amount: 100, location: 'Ponsonby' }],
        bookings: [
          { customer: 'S1', at: '2025-02-01T10:00:00Z', status: 'ACCEPTED', location: 'Brooklyn' },
          { customer: 'S1', at: '2025-03-01T10:00:00Z', status: 'CANCELLED_BY_CUSTOMER', location: 'Queens' },
        ],
      },
      expected: { distinct_locations: 2, accepted_bookings: 1, cancelled_by_customer: 1 },
    },
  ];
  it.each(cases)('$name', ({ shop, expected }) => {
    const id = shop.customers![0].id;
    expect(cells(run(shop), id, Object.keys(expected))).toEqual(expected);
  });
});

describe('daily report part', () => {
  it('buckets by local day and location, walk-ins included, and tells new from returning', () => {
    // Ponsonby is UTC+12 in June, Brooklyn UTC-4.
    // C1: 06-10 01:00Z (Ponsonby 06-10), 06-20 13:00Z (Ponsonby 06-21 01:00) -> returning there.
    // A walk-in at Ponsonby 06-20 20:00Z (06-21 08:00): an order and revenue, no customer.
    // S2: a no-show 06-18 15:00Z (Brooklyn 06-18); accepted visit 06-20 22:00Z and its payment 22:30Z
    // (Brooklyn 06-20): one customer there that day, new (the visit is their first activity).
    const result = run({
      customers: [{ id: 'C1' }, { id: 'S2', source: 'square' }],
      orders: [
        { customer: 'C1', at: '2025-06-10T01:00:00Z', amount: 1000, location: 'Ponsonby' },
        { customer: 'C1', at: '2025-06-20T13:00:00Z', amount: 5000, location: 'Ponsonby' },
        { at: '2025-06-20T20:00:00Z', amount: 1500, location: 'Ponsonby' },
        { source: 'square', customer: 'S2', at: '2025-06-20T22:30:00Z', amount: 6000, location: 'Brooklyn', channel: 'appointment' },
      ],
      bookings: [
        { customer: 'S2', at: '2025-06-18T15:00:00Z', status: 'NO_SHOW', location: 'Brooklyn' },
        { customer: 'S2', at: '2025-06-20T22:00:00Z', status: 'ACCEPTED', location: 'Brooklyn' },
      ],
    });
    const row = (date: string, location: string, r: Partial<ComputeResult['daily'][number]>) => ({
      date,
      location,
      orders: 0,
      revenueMinor: 0,
      currency: '',
      uniqueCustomers: 0,
      newCustomers: 0,
      returningCustomers: 0,
      acceptedBookings: 0,
      cancellations: 0,
      noShows: 0,
      ...r,
    });
    expect(result.daily).toEqual([
      row('2025-06-10', 'Ponsonby', { orders: 1, revenueMinor: 1000, currency: 'USD', uniqueCustomers: 1, newCustomers: 1 }),
      row('2025-06-18', 'Brooklyn', { noShows: 1 }),
      row('2025-06-20', 'Brooklyn', { orders: 1, revenueMinor: 6000, currency: 'USD', uniqueCustomers: 1, newCustomers: 1, acceptedBookings: 1 }),
      row('2025-06-21', 'Ponsonby', { orders: 2, revenueMinor: 6500, currency: 'USD', uniqueCustomers: 1, returningCustomers: 1 }),
    ]);
    expect(result.counts.walkInPurchases).toBe(1);
  });
});

describe('cohorts part and revenue by month and channel', () => {
  // C1 first bought in January and again in March; C2 in January only; C3 twice in February. A walk-in
  // bought online in January.
  const result = run({
    customers: [{ id: 'C1' }, { id: 'C2' }, { id: 'C3' }],
    orders: [
      { customer: 'C1', at: '2025-01-10T10:00:00Z', amount: 1000 },
      { customer: 'C1', at: '2025-03-05T10:00:00Z', amount: 2000 },
      { customer: 'C2', at: '2025-01-20T10:00:00Z', amount: 500 },
      { customer: 'C3', at: '2025-02-01T10:00:00Z', amount: 700 },
      { customer: 'C3', at: '2025-02-15T10:00:00Z', amount: 300 },
      { at: '2025-01-11T10:00:00Z', amount: 400, channel: 'online' },
    ],
  });

  it('follows each month of first purchase', () => {
    expect(result.cohorts).toEqual([
      { cohort: '2025-01', monthsSince: 0, cohortSize: 2, activeCustomers: 2, revenueMinor: 1500, currency: 'USD' },
      { cohort: '2025-01', monthsSince: 2, cohortSize: 2, activeCustomers: 1, revenueMinor: 2000, currency: 'USD' },
      { cohort: '2025-02', monthsSince: 0, cohortSize: 1, activeCustomers: 1, revenueMinor: 1000, currency: 'USD' },
    ]);
  });

  it('adds up purchases by month and channel, walk-ins included', () => {
    expect(result.revenueByMonthAndChannel).toEqual([
      // The walk-in's 400 is all of January's online revenue, and none of it is a customer's.
      { month: '2025-01', channel: 'in_store', currency: 'USD', revenueMinor: 1500, orders: 2, walkInRevenueMinor: 0, mixedCurrencyRevenueMinor: 0 },
      { month: '2025-01', channel: 'online', currency: 'USD', revenueMinor: 400, orders: 1, walkInRevenueMinor: 400, mixedCurrencyRevenueMinor: 0 },
      { month: '2025-02', channel: 'in_store', currency: 'USD', revenueMinor: 1000, orders: 2, walkInRevenueMinor: 0, mixedCurrencyRevenueMinor: 0 },
      { month: '2025-03', channel: 'in_store', currency: 'USD', revenueMinor: 2000, orders: 1, walkInRevenueMinor: 0, mixedCurrencyRevenueMinor: 0 },
    ]);
    expect(result.currencies.codes).toEqual([{ code: 'USD', purchases: 6, customers: 3 }]);
  });
});

describe('segments part', () => {
  // Thresholds: new 30 days, active 90, lost 180 (days before the as-of time).
  const cases: { name: string; orders: string[]; lifecycle: string }[] = [
    { name: 'never bought', orders: [], lifecycle: 'PROSPECT' },
    { name: 'first bought 10 days ago', orders: ['2025-06-20T12:00:00Z'], lifecycle: 'NEW' },
    { name: 'first bought a year ago, last 60 days ago', orders: ['2024-06-01T12:00:00Z', '2025-05-01T12:00:00Z'], lifecycle: 'ACTIVE' },
    { name: 'last bought 120 days ago', orders: ['2024-06-01T12:00:00Z', '2025-03-02T12:00:00Z'], lifecycle: 'AT_RISK' },
    { name: 'last bought 400 days ago', orders: ['2024-05-26T12:00:00Z'], lifecycle: 'LOST' },
  ];
  it.each(cases)('$name: $lifecycle', ({ orders, lifecycle }) => {
    const result = run({ customers: [{ id: 'C1' }], orders: orders.map((at) => ({ customer: 'C1', at, amount: 1000 })) });
    const expected = orders.length === 0 ? { value_tier: undefined, rfm_segment: undefined } : {};
    expect(cells(result, 'C1', ['lifecycle_segment', ...Object.keys(expected)])).toEqual({ lifecycle_segment: lifecycle, ...expected });
  });
});

describe('row order part', () => {
  it('puts rows in customer_id order and points first-time buyers and purchases at those rows', () => {
    const ids = ['A', 'B', 'C', 'D', 'E', 'F'];
    const result = run({
      customers: ids.map((id) => ({ id })),
      orders: ids.map((id, i) => ({ customer: id, at: `2025-06-${10 + i}T10:00:00Z`, amount: 100 * (i + 1) })),
    });
    const customerIds = result.master.columns.customer_id as string[];
    expect(customerIds).toEqual(ids.map((id) => customerKey('lightspeed', id)).sort());
    for (const [i, id] of ids.entries()) {
      const k = rowOf(result, id);
      expect(customerIds[k]).toBe(customerKey('lightspeed', id));
      // The purchase at customer i's time is on customer i's row (orders are in row order by now).
      const o = result.purchases.time.indexOf(Date.parse(`2025-06-${10 + i}T10:00:00Z`));
      expect(result.purchases.cluster[o]).toBe(k);
      expect((result.master.columns.gross_revenue as Float64Array)[k]).toBe(100 * (i + 1));
    }
    expect(result.firstTimeBuyers.map((b) => customerIds[b.row]).sort()).toEqual(ids.map((id) => customerKey('lightspeed', id)).sort());
    expect(result.firstTimeBuyers.map((b) => b.row)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
