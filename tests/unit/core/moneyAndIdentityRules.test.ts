/**
 * The money and identity rules of issue 11 §3 as worked examples, each run through the real store,
 * loader and compute. Expected values are worked out by hand in the comments.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compute, type ComputeResult, type ComputeSettings, type TextColumn } from '../../../src/core/compute.js';
import { customerKey } from '../../../src/core/identity.js';
import type { CustomerRecord, DimensionEntry, OrderRecord, SourceName } from '../../../src/core/model.js';
import { loadComputeInput } from '../../../src/io/loadComputeInput.js';
import { Store } from '../../../src/io/store.js';

const t = (iso: string) => Date.parse(iso);
const AS_OF = t('2025-06-30T12:00:00Z');

const SETTINGS: ComputeSettings = {
  asOf: AS_OF,
  maxRecordsPerIdentifier: 20,
  lifecycle: { newDays: 30, activeDays: 90, lostDays: 180 },
  valueTiers: { method: 'share', vip: 0.05, high: 0.2, medium: 0.5 },
  firstTimeBuyerDays: 30,
};

const payment = (o: Partial<OrderRecord> & Pick<OrderRecord, 'id' | 'orderedAt' | 'amountMinor'>): OrderRecord => ({
  source: 'square',
  version: 1,
  kind: 'sale',
  status: 'completed',
  channel: 'appointment',
  currency: 'USD',
  locationId: 'SQ1',
  ...o,
});
const refund = (id: string, of: string, orderedAt: number, amountMinor: number): OrderRecord =>
  payment({ id, kind: 'refund', refOrderId: of, orderedAt, amountMinor });

interface World {
  customers?: CustomerRecord[];
  orders?: OrderRecord[];
  locations?: Partial<Record<SourceName, DimensionEntry[]>>;
  settings?: Partial<ComputeSettings>;
}

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Writes the records into a fresh store, loads them back as `ca compute` does, and computes. */
async function run(world: World): Promise<ComputeResult & { row: (source: SourceName, id: string) => number }> {
  const dir = await mkdtemp(join(tmpdir(), 'ca-money-'));
  dirs.push(dir);
  const store = new Store(dir);
  for (const source of ['lightspeed', 'square', 'ecom'] as const) {
    const customers = (world.customers ?? []).filter((c) => c.source === source);
    const orders = (world.orders ?? []).filter((o) => o.source === source);
    if (customers.length) await store.append(source, 'customers', customers);
    if (orders.length) await store.append(source, 'orders', orders);
  }
  const locations = world.locations ?? { square: [{ id: 'SQ1', name: 'Main street', timeZone: 'UTC' }] };
  for (const [source, entries] of Object.entries(locations)) await store.putDimensions(source as SourceName, 'locations', entries);
  const result = compute(await loadComputeInput(store), { ...SETTINGS, ...world.settings });
  const ids = result.master.columns.customer_id as TextColumn;
  return Object.assign(result, { row: (source: SourceName, id: string) => ids.indexOf(customerKey(source, id)) });
}

const num = (r: ComputeResult, column: string, k: number) => (r.master.columns[column] as Float64Array)[k];
const text = (r: ComputeResult, column: string, k: number) => (r.master.columns[column] as TextColumn)[k];
const square = (id: string, extra: Partial<CustomerRecord> = {}): CustomerRecord => ({ source: 'square', id, version: 1, createdAt: t('2025-01-01T00:00:00Z'), ...extra });

describe('tips in refunds: the part of a refund above the payment amount gives back the tip', () => {
  it('a $95 + $19 tip payment refunded in full ($114) leaves net revenue 0 and tips 0', async () => {
    // Payment: amount_money 95.00, tip_money 19.00. Refund 114.00 (total_money). The first 95.00 of it
    // reduces revenue, the remaining 19.00 reduces tips: gross 95, refunds 95, net 0, tips 19 - 19 = 0.
    // (Before the rule: refunds 114, net -19, tips 19.)
    const r = await run({
      customers: [square('S1')],
      orders: [
        payment({ id: 'P1', customerId: 'S1', orderedAt: t('2025-05-01T10:00:00Z'), amountMinor: 9500, tipsMinor: 1900 }),
        refund('R1', 'P1', t('2025-05-03T10:00:00Z'), -11400), // names no customer: it is P1's
      ],
    });
    const k = r.row('square', 'S1');
    expect(num(r, 'gross_revenue', k)).toBe(9500);
    expect(num(r, 'refunds', k)).toBe(9500);
    expect(num(r, 'net_revenue', k)).toBe(0);
    expect(num(r, 'tips_total', k)).toBe(0);
    expect(num(r, 'revenue_last_365d', k)).toBe(0);
    expect(num(r, 'avg_order_value', k)).toBe(0);
  });

  it('goes through a payment refunds in time order, so refunds after the as-of time do not change earlier ones', async () => {
    // Payment 100.00 + tip 20.00. Refunds: "RA" 25.00 on June 2 and "RB" 90.00 on May 2 (ids sort
    // against time). In time order RB takes 90.00 of the 100.00 revenue; RA takes the last 10.00 of
    // revenue and 15.00 of the tip. As of June 1 only RB exists: refunds 90.00, tips 20.00, net 10.00.
    // (Taken in id order, RA would have taken 25.00 of revenue and RB 75.00 + 15.00 of the tip: tips 5.00.)
    const orders = [
      payment({ id: 'P2', customerId: 'S2', orderedAt: t('2025-05-01T10:00:00Z'), amountMinor: 10000, tipsMinor: 2000 }),
      refund('RA', 'P2', t('2025-06-02T10:00:00Z'), -2500),
      refund('RB', 'P2', t('2025-05-02T10:00:00Z'), -9000),
    ];
    const early = await run({ customers: [square('S2')], orders, settings: { asOf: t('2025-06-01T00:00:00Z') } });
    const k = early.row('square', 'S2');
    expect([num(early, 'refunds', k), num(early, 'tips_total', k), num(early, 'net_revenue', k)]).toEqual([9000, 2000, 1000]);
    // As of June 30 both count: refunds 90 + 10 = 100.00, tips 20 - 15 = 5.00, net 0.
    const late = await run({ customers: [square('S2')], orders });
    const j = late.row('square', 'S2');
    expect([num(late, 'refunds', j), num(late, 'tips_total', j), num(late, 'net_revenue', j)]).toEqual([10000, 500, 0]);
  });

  it('never takes tips below zero: money given back beyond amount and tip counts as refunded revenue', async () => {
    // Payment 50.00 + tip 5.00, refunded 60.00 (more than Square allows): 50.00 revenue, 5.00 tip, and
    // the 5.00 beyond both revenue again: refunds 55.00, tips 0, net -5.00.
    const r = await run({
      customers: [square('S3')],
      orders: [
        payment({ id: 'P3', customerId: 'S3', orderedAt: t('2025-05-01T10:00:00Z'), amountMinor: 5000, tipsMinor: 500 }),
        refund('R3', 'P3', t('2025-05-03T10:00:00Z'), -6000),
      ],
    });
    const k = r.row('square', 'S3');
    expect([num(r, 'refunds', k), num(r, 'tips_total', k), num(r, 'net_revenue', k)]).toEqual([5500, 0, -500]);
  });

  it('a refund whose payment is not in the cache counts whole as a refund, with a warning', async () => {
    // R4 names payment P-gone, which was never fetched; it names its customer itself. Nothing tells its
    // tip apart: refunds 30.00 (gross 40.00 from P4), tips 0, and compute says so.
    const r = await run({
      customers: [square('S4')],
      orders: [
        payment({ id: 'P4', customerId: 'S4', orderedAt: t('2025-05-01T10:00:00Z'), amountMinor: 4000 }),
        { ...refund('R4', 'P-gone', t('2025-05-03T10:00:00Z'), -3000), customerId: 'S4' },
      ],
    });
    const k = r.row('square', 'S4');
    expect([num(r, 'gross_revenue', k), num(r, 'refunds', k), num(r, 'tips_total', k)]).toEqual([4000, 3000, 0]);
    expect(r.warnings.some((w) => w.startsWith('1 refunds name a payment that is not in the cache'))).toBe(true);
  });
});

describe('split tender: payments that share an order are one purchase', () => {
  // Customer S5. Square order ORD-1 was paid with two payments: Q2 (card, 40.00, 10:00, no customer on
  // it) and Q1 (cash, 60.00, 10:02); a third tender Q9 failed. Q3 (20.00, June 25) has no order: a
  // purchase of its own. So two purchases: ORD-1 = 100.00 dated 10:00 (its earliest completed part),
  // and Q3 = 20.00.
  const orders = [
    payment({ id: 'Q1', customerId: 'S5', purchaseId: 'ORD-1', orderedAt: t('2025-06-20T10:02:00Z'), amountMinor: 6000 }),
    payment({ id: 'Q2', purchaseId: 'ORD-1', orderedAt: t('2025-06-20T10:00:00Z'), amountMinor: 4000, tipsMinor: 500 }),
    payment({ id: 'Q9', customerId: 'S5', purchaseId: 'ORD-1', orderedAt: t('2025-06-20T09:59:00Z'), amountMinor: 4000, status: 'cancelled' }),
    payment({ id: 'Q3', customerId: 'S5', orderedAt: t('2025-06-25T15:00:00Z'), amountMinor: 2000 }),
    // A walk-in paying one order in two tenders on June 21: one order in the daily report.
    payment({ id: 'W1', purchaseId: 'ORD-2', orderedAt: t('2025-06-21T11:00:00Z'), amountMinor: 1000 }),
    payment({ id: 'W2', purchaseId: 'ORD-2', orderedAt: t('2025-06-21T11:01:00Z'), amountMinor: 500 }),
  ];
  let r: Awaited<ReturnType<typeof run>>;
  let k: number;
  it('counts the order once, with the parts summed', async () => {
    r = await run({ customers: [square('S5')], orders });
    k = r.row('square', 'S5');
    // orders_count 2 (not 3), gross 100 + 20 = 120.00, average order value 120 / 2 = 60.00, tips 5.00.
    expect(num(r, 'orders_count', k)).toBe(2);
    expect(num(r, 'appointment_orders', k)).toBe(2);
    expect(num(r, 'gross_revenue', k)).toBe(12000);
    expect(num(r, 'avg_order_value', k)).toBe(6000);
    expect(num(r, 'tips_total', k)).toBe(500);
    expect(num(r, 'orders_last_365d', k)).toBe(2);
    // Dated by the earliest completed part (Q2 at 10:00, not the failed Q9 at 09:59).
    expect(num(r, 'first_order_at', k)).toBe(t('2025-06-20T10:00:00Z'));
    // Two purchases 5 days 5 hours apart: one gap.
    expect(num(r, 'avg_days_between_orders', k)).toBeCloseTo(5 + 5 / 24, 9);
    expect(r.master.columns.is_repeat_customer[k]).toBe(1);
    expect(r.counts.purchases).toBe(2); // customers' purchases; the walk-in's is counted apart
  });

  it('gives first_time_buyers.csv the whole first purchase', () => {
    // first_order_amount = 40.00 + 60.00; the second purchase is Q3.
    const buyer = r.firstTimeBuyers.find((b) => b.row === k)!;
    expect(buyer.firstOrderAmountMinor).toBe(10000);
    expect(buyer.secondOrderAt).toBe(t('2025-06-25T15:00:00Z'));
  });

  it('counts one order per purchase in the daily report, walk-ins included', () => {
    expect(r.daily.map((d) => [d.date, d.orders, d.revenueMinor])).toEqual([
      ['2025-06-20', 1, 10000],
      ['2025-06-21', 1, 1500],
      ['2025-06-25', 1, 2000],
    ]);
    expect(r.counts.walkInPurchases).toBe(1);
    expect(r.revenueByMonthAndChannel.map((m) => [m.month, m.orders, m.revenueMinor])).toEqual([['2025-06', 3, 13500]]);
    // Of it, the walk-in's two tenders (10.00 + 5.00): what the report names beside the customers' revenue.
    expect(r.revenueByMonthAndChannel.map((m) => [m.walkInRevenueMinor, m.mixedCurrencyRevenueMinor])).toEqual([[1500, 0]]);
  });

  it('hands the models one purchase per order, with its summed amount', () => {
    // The model input per order: S5's row for Q2 (the purchase, 100.00) and Q3 (20.00); -1 elsewhere.
    const mine: [number, number][] = [];
    for (let o = 0; o < r.purchases.cluster.length; o++) {
      if (r.purchases.cluster[o] === k) mine.push([r.purchases.time[o], r.purchases.amountMinor[o]]);
    }
    expect(mine.sort((a, b) => a[0] - b[0])).toEqual([
      [t('2025-06-20T10:00:00Z'), 10000],
      [t('2025-06-25T15:00:00Z'), 2000],
    ]);
  });
});

describe('phones: read in the region of the source that recorded them', () => {
  // A Dutch and Belgian shop: Square location SQ1 in NL; Lightspeed outlets in NL and BE; an eCom
  // export (its locations have no country). No defaultRegion configured.
  const locations: World['locations'] = {
    square: [{ id: 'SQ1', name: 'Amsterdam', timeZone: 'Europe/Amsterdam', country: 'NL' }],
    lightspeed: [
      { id: 'O-NL', name: 'Utrecht', timeZone: 'Europe/Amsterdam', country: 'NL' },
      { id: 'O-BE', name: 'Antwerpen', timeZone: 'Europe/Brussels', country: 'be' },
    ],
  };
  const sale = (id: string, customerId: string, locationId: string, iso: string): OrderRecord => ({
    source: 'lightspeed', id, version: 1, kind: 'sale', status: 'completed', channel: 'in_store', customerId, orderedAt: t(iso), amountMinor: 1000, currency: 'EUR', locationId,
  });
  const customers: CustomerRecord[] = [
    square('S10', { phone: '06-12345678' }),
    { source: 'lightspeed', id: 'L10', version: 1, createdAt: t('2025-02-01T00:00:00Z'), mobile: '0470 12 34 56' },
    { source: 'lightspeed', id: 'L11', version: 1, createdAt: t('2025-02-02T00:00:00Z'), phone: '0470 12 34 56' },
    { source: 'lightspeed', id: 'L12', version: 1, createdAt: t('2025-02-03T00:00:00Z'), phone: '+31 6 12345678' },
    square('S11', { phone: '(415) 555-0101' }),
    square('S12', { phone: '(415) 555-0101' }),
    { source: 'ecom', id: 'E10', version: 1, createdAt: t('2025-02-04T00:00:00Z'), phone: '06 1234 5678' },
  ];
  const orders = [
    // L10 first bought in Antwerp, later in Utrecht: Belgian. L11 only in Utrecht: Dutch.
    sale('s1', 'L10', 'O-BE', '2025-03-01T10:00:00Z'),
    sale('s2', 'L10', 'O-NL', '2025-04-01T10:00:00Z'),
    sale('s3', 'L11', 'O-NL', '2025-03-05T10:00:00Z'),
  ];

  it('06-12345678 in a shop whose Square location is in NL is +31612345678', async () => {
    const r = await run({ customers, orders, locations });
    // S10: 06-12345678 read in NL -> +31612345678; L12 wrote the same number with its country code:
    // one customer, named after S10 (created 2025-01-01, before L12).
    const k = r.row('square', 'S10');
    expect(text(r, 'phone', k)).toBe('+31612345678');
    expect(text(r, 'lightspeed_customer_ids', k)).toBe('L12');
    // Lightspeed spans NL and BE: each record is read in the country of its first sale's outlet.
    // L10: 0470 12 34 56 in BE -> +32470123456. L11: the same digits in NL -> +31470123456, a different
    // number: two customers.
    expect(text(r, 'phone', r.row('lightspeed', 'L10'))).toBe('+32470123456');
    expect(text(r, 'phone', r.row('lightspeed', 'L11'))).toBe('+31470123456');
    // (415) 555-0101 is not a Dutch number: kept as written, and S11 and S12 are not joined by it.
    expect(text(r, 'phone', r.row('square', 'S11'))).toBe('(415) 555-0101');
    expect(text(r, 'phone', r.row('square', 'S12'))).toBe('(415) 555-0101');
    // The eCom record: no location country of its own, none configured, and the shop spans two
    // countries: no region, so kept as written and not joined to S10.
    expect(text(r, 'phone', r.row('ecom', 'E10'))).toBe('06 1234 5678');
    // Rows: S10+L12, L10, L11, S11, S12, E10.
    expect(r.master.rows).toBe(6);
    // S11, S12 and E10 have numbers that could not be used.
    // E10's source (eCom) has no location country and the shop spans two: no region, hence the hint.
    expect(r.warnings.find((w) => w.startsWith('3 customer records have a phone number that is not valid for their region'))).toMatch(
      /; for 1 of them no source location says a country: set defaultRegion in ca.config.json/,
    );
  });

  it('uses the configured region where the source says nothing', async () => {
    // With defaultRegion NL, E10's 06 1234 5678 is +31612345678 and joins S10 and L12.
    const r = await run({ customers, orders, locations, settings: { defaultRegion: 'NL' } });
    const k = r.row('square', 'S10');
    expect(text(r, 'ecom_customer_keys', k)).toBe('E10');
    expect(r.master.rows).toBe(5);
  });

  it('uses the shop\'s one country where the source says nothing and nothing is configured', async () => {
    // Only Dutch locations: the eCom record is read in NL too.
    const r = await run({
      customers: [square('S10', { phone: '06-12345678' }), customers[6]],
      locations: { square: locations.square },
    });
    expect(r.master.rows).toBe(1);
    expect(text(r, 'phone', 0)).toBe('+31612345678');
  });

  it('a number that is not valid in a US shop is kept as written, not turned into +1…', async () => {
    // Before: 06-12345678 became +10612345678 under the fixed default region US.
    const r = await run({
      customers: [square('S20', { phone: '06-12345678' })],
      locations: { square: [{ id: 'SQ1', name: 'Brooklyn', timeZone: 'America/New_York', country: 'US' }] },
    });
    expect(text(r, 'phone', 0)).toBe('06-12345678');
  });
});

describe('currencies are never added together', () => {
  // A chain with a New Zealand outlet (NZD) and an Australian Square location (AUD), and a web shop
  // selling to guests in EUR and USD.
  //   Ann  (L1):      NZD 100.00 on May 1, NZD 50.00 on June 1
  //   Bea  (S1):      AUD 80.00 on June 10
  //   Cy   (L2 + S2, one e-mail): NZD 40.00 on June 5 and AUD 30.00 on June 6
  //   Dot  (L3):      NZD 10.00 on June 20
  //   guests:         EUR 20.00 and USD 10.00 online on June 15
  const nzd = (id: string, customerId: string | undefined, iso: string, amountMinor: number): OrderRecord => ({
    source: 'lightspeed', id, version: 1, kind: 'sale', status: 'completed', channel: 'in_store', customerId, orderedAt: t(iso), amountMinor, currency: 'NZD', locationId: 'O-NZ',
  });
  const guest = (id: string, currency: string, amountMinor: number): OrderRecord => ({
    source: 'ecom', id, version: 1, kind: 'sale', status: 'completed', channel: 'online', orderedAt: t('2025-06-15T10:00:00Z'), amountMinor, currency,
  });
  const world: World = {
    customers: [
      { source: 'lightspeed', id: 'L1', version: 1, createdAt: t('2025-01-01T00:00:00Z'), firstName: 'Ann' },
      square('S1', { firstName: 'Bea' }),
      { source: 'lightspeed', id: 'L2', version: 1, createdAt: t('2025-01-02T00:00:00Z'), firstName: 'Cy', email: 'cy@example.com' },
      square('S2', { email: 'cy@example.com' }),
      { source: 'lightspeed', id: 'L3', version: 1, createdAt: t('2025-01-03T00:00:00Z'), firstName: 'Dot' },
    ],
    orders: [
      nzd('n1', 'L1', '2025-05-01T10:00:00Z', 10000),
      nzd('n2', 'L1', '2025-06-01T10:00:00Z', 5000),
      payment({ id: 'a1', customerId: 'S1', orderedAt: t('2025-06-10T10:00:00Z'), amountMinor: 8000, currency: 'AUD' }),
      nzd('n3', 'L2', '2025-06-05T10:00:00Z', 4000),
      payment({ id: 'a2', customerId: 'S2', orderedAt: t('2025-06-06T10:00:00Z'), amountMinor: 3000, currency: 'AUD' }),
      nzd('n4', 'L3', '2025-06-20T10:00:00Z', 1000),
      guest('g1', 'EUR', 2000),
      guest('g2', 'USD', 1000),
    ],
    locations: {
      lightspeed: [{ id: 'O-NZ', name: 'Ponsonby', timeZone: 'UTC' }],
      square: [{ id: 'SQ1', name: 'Bondi', timeZone: 'UTC' }],
    },
  };
  let r: Awaited<ReturnType<typeof run>>;
  const row = (source: SourceName, id: string) => r.row(source, id);

  it('keeps each customer\'s money columns in their one currency', async () => {
    r = await run(world);
    const ann = row('lightspeed', 'L1');
    expect([text(r, 'currency', ann), num(r, 'gross_revenue', ann), num(r, 'avg_order_value', ann)]).toEqual(['NZD', 15000, 7500]);
    const bea = row('square', 'S1');
    expect([text(r, 'currency', bea), num(r, 'net_revenue', bea)]).toEqual(['AUD', 8000]);
  });

  it('leaves the money columns of a customer who bought in two currencies empty, and names both', () => {
    // Cy: NZD 40.00 + AUD 30.00 is not 70 of anything. Orders still count: 2.
    const cy = row('square', 'S2');
    expect(text(r, 'currency', cy)).toBe('AUD;NZD');
    expect(num(r, 'orders_count', cy)).toBe(2);
    for (const column of ['gross_revenue', 'refunds', 'net_revenue', 'avg_order_value', 'tips_total', 'revenue_last_365d']) {
      expect(num(r, column, cy), column).toBeNaN();
    }
    // No monetary rank: no value tier and no RFM score; the segment from recency and frequency stays.
    expect(text(r, 'value_tier', cy)).toBeUndefined();
    expect(text(r, 'rfm_score', cy)).toBeUndefined();
    expect(text(r, 'rfm_segment', cy)).toBeDefined();
    expect(r.firstTimeBuyers.find((b) => b.row === cy)!.firstOrderAmountMinor).toBeNaN();
  });

  it('ranks value tiers and the monetary score within each currency', () => {
    // NZD buyers: Ann 150.00, Dot 10.00. Top 5 % of 2 = the first 1: Ann VIP; the HIGH cut (top
    // ceil(0.4) = 1) and MEDIUM cut (top ceil(1.0) = 1) are Ann's 150.00 too, so Dot is LOW. AUD: Bea
    // alone, the top of her currency: VIP. (Ranked together, 150, 80, 10: Bea would be MEDIUM.)
    expect([text(r, 'value_tier', row('lightspeed', 'L1')), text(r, 'value_tier', row('lightspeed', 'L3')), text(r, 'value_tier', row('square', 'S1'))]).toEqual(['VIP', 'LOW', 'VIP']);
    // Monetary quintile edges over NZD [10, 150]: 38, 66, 94, 122 -> Ann 5, Dot 1. Bea alone: every
    // edge is 80.00, equal to hers -> 1.
    expect([text(r, 'rfm_score', row('lightspeed', 'L1')).at(-1), text(r, 'rfm_score', row('lightspeed', 'L3')).at(-1), text(r, 'rfm_score', row('square', 'S1')).at(-1)]).toEqual(['5', '1', '1']);
  });

  it('splits cohorts by currency', () => {
    expect(r.cohorts.map((c) => [c.cohort, c.monthsSince, c.currency, c.cohortSize, c.activeCustomers, c.revenueMinor])).toEqual([
      ['2025-05', 0, 'NZD', 1, 1, 10000],
      ['2025-05', 1, 'NZD', 1, 1, 5000],
      ['2025-06', 0, 'AUD', 1, 1, 8000],
      ['2025-06', 0, 'AUD;NZD', 1, 1, NaN],
      ['2025-06', 0, 'NZD', 1, 1, 1000],
    ]);
  });

  it('leaves a daily row\'s revenue empty where two currencies met, and labels every other row', () => {
    const day = (date: string, location: string) => r.daily.find((d) => d.date === date && d.location === location)!;
    expect([day('2025-06-15', '').orders, day('2025-06-15', '').revenueMinor, day('2025-06-15', '').currency]).toEqual([2, NaN, 'EUR;USD']);
    expect([day('2025-06-10', 'Bondi').revenueMinor, day('2025-06-10', 'Bondi').currency]).toEqual([8000, 'AUD']);
  });

  it('keeps revenue by month and channel per currency', () => {
    expect(r.revenueByMonthAndChannel.map((m) => [m.month, m.channel, m.currency, m.orders, m.revenueMinor])).toEqual([
      ['2025-05', 'in_store', 'NZD', 1, 10000],
      ['2025-06', 'in_store', 'NZD', 3, 10000],
      ['2025-06', 'online', 'EUR', 1, 2000],
      ['2025-06', 'online', 'USD', 1, 1000],
      ['2025-06', 'appointment', 'AUD', 2, 11000],
    ]);
    // Split as the master splits money: guests (no customer) and Cy, who bought in AUD and NZD (no money columns).
    expect(r.revenueByMonthAndChannel.map((m) => [m.walkInRevenueMinor, m.mixedCurrencyRevenueMinor])).toEqual([
      [0, 0],
      [0, 4000],
      [2000, 0],
      [1000, 0],
      [0, 3000],
    ]);
  });

  it('says which currencies there are, and warns', () => {
    expect(r.currencies).toEqual({
      codes: [
        { code: 'AUD', purchases: 2, customers: 1 },
        { code: 'EUR', purchases: 1, customers: 0 },
        { code: 'NZD', purchases: 4, customers: 2 },
        { code: 'USD', purchases: 1, customers: 0 },
      ],
      mixedCustomers: 1,
      mixedDailyRows: 1,
    });
    expect(r.warnings.find((w) => w.startsWith('orders in 4 currencies'))).toMatch(/never added across currencies; 1 customers bought in more than one/);
  });
});
