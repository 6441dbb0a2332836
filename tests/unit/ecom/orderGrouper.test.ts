import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseDecimal } from '../../../src/sources/ecom/decimal.js';
import { OrderGrouper, type GroupingSettings } from '../../../src/sources/ecom/orderGrouper.js';
import type { EcomRow } from '../../../src/sources/ecom/readRow.js';

const settings: GroupingSettings = {
  lineLevel: 'auto',
  defaultCurrency: 'USD',
  cancelledStatuses: new Set(['cancelled']),
  openStatuses: new Set(['on_hold']),
};
const money = (text: string) => parseDecimal(text, '.')!;
const T0 = Date.UTC(2025, 0, 1, 12);
const DAY = 86_400_000;

function row(orderId: string, fields: Partial<EcomRow> = {}): EcomRow {
  return { orderId, orderedAt: T0, contact: {}, ...fields };
}

const temp = await mkdtemp(join(tmpdir(), 'ca-grouper-'));
afterAll(() => rm(temp, { recursive: true, force: true }));

/**
 * Adds rows (numbered as lines 2, 3, ...) and returns the orders, the customers, the counts and the
 * problems by line. `budget`: bytes of rows kept in memory before the sort spills them to disk.
 */
async function group(rows: EcomRow[], overrides: Partial<GroupingSettings> = {}, budget?: number) {
  const grouper = new OrderGrouper({ ...settings, ...overrides }, temp, budget);
  const problems: Record<number, string> = {};
  for (const [i, r] of rows.entries()) await grouper.add(r, i + 2);
  const orders = [];
  for await (const order of grouper.orders(7, async (reject) => {
    // The row's text is looked up in the file when the rejects are written (RejectsWriter.commit).
    expect(reject.raw).toBeUndefined();
    problems[reject.line] = `${reject.field}: ${reject.reason}`;
  })) {
    orders.push(order);
  }
  const customers = [];
  for await (const facts of grouper.customers()) customers.push(facts);
  const runFiles = (await readdir(temp)).length;
  await grouper.dispose();
  return { problems, orders, customers, counts: grouper.counts(), runFiles };
}

describe('amounts of grouped orders', () => {
  const cases: [string, EcomRow[], number][] = [
    ['one row with an order total', [row('1', { orderTotal: money('25.50') })], 2550],
    [
      'line amounts are summed: 2 x 7.50 + 4.25 + 4 x 1.10',
      [row('1', { lineAmount: money('15.00') }), row('1', { lineAmount: money('4.25') }), row('1', { lineAmount: money('4.40') })],
      2365,
    ],
    [
      'the order total wins over the lines (it includes tax and shipping)',
      [row('1', { orderTotal: money('30.00'), lineAmount: money('10.00') }), row('1', { lineAmount: money('15.00') })],
      3000,
    ],
    [
      'the total only on a later line',
      [row('1', { lineAmount: money('10.00') }), row('1', { lineAmount: money('15.00'), orderTotal: money('27.95') })],
      2795,
    ],
    [
      'a line without amount in an order that has a total',
      [row('1', { orderTotal: money('9.99') }), row('1', { orderedAt: undefined })],
      999,
    ],
    ['a negative total is a return', [row('1', { orderTotal: money('-5.25') })], -525],
    ['yen have no decimals', [row('1', { orderTotal: money('1500'), currency: 'JPY' })], 1500],
    ['dinars have three', [row('1', { orderTotal: money('1.5'), currency: 'KWD' })], 1500],
  ];
  test.each(cases)('%s', async (_name, rows, expected) => {
    const { orders, problems } = await group(rows);
    expect(problems).toEqual({});
    expect(orders.map((o) => o.amountMinor)).toEqual([expected]);
  });
});

describe('rows that cannot join their order', () => {
  const cases: [string, EcomRow[], Partial<GroupingSettings>, Record<number, string>][] = [
    ['first row without a date', [row('1', { orderedAt: undefined, orderTotal: money('1.00') })], {}, { 2: 'ordered_at: order 1 has no order date' }],
    [
      'first row without any amount',
      [row('1', {})],
      {},
      { 2: 'order_total: order 1 has no total (the order total and the line amount are empty)' },
    ],
    [
      'no currency and no default',
      [row('1', { orderTotal: money('1.00') })],
      { defaultCurrency: undefined },
      { 2: 'currency: the currency is empty and the mapping sets no default_currency' },
    ],
    [
      'a second total that differs',
      [row('1', { orderTotal: money('10.00') }), row('1', { orderTotal: money('11.00') })],
      {},
      { 3: 'order_total: order total 11.00 differs from 10.00 on line 2 of the same order 1' },
    ],
    [
      'another currency in the same order',
      [row('1', { orderTotal: money('10.00'), currency: 'EUR' }), row('1', { lineAmount: money('1.00'), currency: 'USD' })],
      {},
      { 3: 'currency: currency USD differs from EUR of order 1 (first on line 2)' },
    ],
    [
      'another customer in the same order',
      [row('1', { orderTotal: money('10.00'), customerId: 'C1' }), row('1', { customerId: 'C2' })],
      {},
      { 3: 'customer_id: customer C2 differs from C1 of order 1 (first on line 2)' },
    ],
    [
      'a line without amount when the order has no total',
      [row('1', { lineAmount: money('3.00') }), row('1', {})],
      {},
      { 3: 'order_total: line of order 1 (first on line 2) has no amount and the order has no total' },
    ],
    [
      'a repeated id when the mapping says one row per order',
      [row('1', { orderTotal: money('10.00') }), row('2', { orderTotal: money('1.00') }), row('1', { orderTotal: money('10.00') })],
      { lineLevel: false },
      { 4: 'order_id: order 1 (first on line 2) appears again; the mapping says one row per order ("line_level": false)' },
    ],
  ];
  test.each(cases)('%s', async (_name, rows, overrides, expected) => {
    expect((await group(rows, overrides)).problems).toEqual(expected);
  });

  test('a rejected line leaves its order as it was', async () => {
    const { orders, counts } = await group([row('1', { orderTotal: money('10.00') }), row('1', { orderTotal: money('11.00') })]);
    expect(orders.map((o) => o.amountMinor)).toEqual([1000]);
    expect(counts.linesGrouped).toBe(0);
  });
});

describe('records and counts', () => {
  test('non-adjacent lines join their order; statuses, guests and returns are counted', async () => {
    const { orders, counts } = await group([
      row('A', { customerId: 'C1', lineAmount: money('1.00'), status: 'paid', location: 'Web', campaign: 'mail' }),
      row('B', { orderTotal: money('2.00'), status: 'Cancelled' }),
      row('A', { lineAmount: money('3.00') }),
      row('C', { customerId: 'C2', orderTotal: money('-4.00'), status: 'ON_HOLD' }),
    ]);
    expect(orders).toEqual([
      { source: 'ecom', id: 'A', version: 7, kind: 'sale', status: 'completed', channel: 'online', customerId: 'C1', orderedAt: T0, amountMinor: 400, currency: 'USD', locationId: 'Web', campaign: 'mail' },
      { source: 'ecom', id: 'B', version: 7, kind: 'sale', status: 'cancelled', channel: 'online', orderedAt: T0, amountMinor: 200, currency: 'USD' },
      { source: 'ecom', id: 'C', version: 7, kind: 'return', status: 'open', channel: 'online', customerId: 'C2', orderedAt: T0, amountMinor: -400, currency: 'USD' },
    ]);
    expect(counts).toEqual({ ordersTaken: 3, linesGrouped: 1, guestOrders: 1, cancelledOrders: 1, returns: 1, customers: 2 });
  });

  test('the default location applies where a row names none', async () => {
    const { orders } = await group([row('A', { orderTotal: money('1.00') }), row('B', { orderTotal: money('1.00'), location: 'Pop-up' })], {
      defaultLocation: 'Webshop',
    });
    expect(orders.map((o) => o.locationId)).toEqual(['Webshop', 'Pop-up']);
  });

  test('customer facts: each field from the latest order that has it, first order time the earliest', async () => {
    const { customers } = await group([
      row('2', { orderedAt: T0 + 2 * DAY, customerId: 'C1', orderTotal: money('1.00'), contact: { email: 'new@example.com', lastName: 'Lee-Park' } }),
      row('1', { orderedAt: T0, customerId: 'C1', orderTotal: money('1.00'), contact: { email: 'old@example.com', firstName: 'Ann', phone: '555' } }),
      row('3', { orderedAt: T0 + 2 * DAY, customerId: 'C1', orderTotal: money('1.00'), contact: { lastName: 'Park' } }),
    ]);
    expect(customers.map(({ id, firstOrderAt, contact }) => ({ id, firstOrderAt, contact }))).toEqual([
      { id: 'C1', firstOrderAt: T0, contact: { email: 'new@example.com', lastName: 'Park', firstName: 'Ann', phone: '555' } },
    ]);
  });
});

describe('rows sorted on disk', () => {
  const rows = [
    row('B', { customerId: 'C2', orderTotal: money('2.00'), contact: { email: 'b@example.com' } }),
    row('A', { customerId: 'C1', lineAmount: money('1.00'), contact: { email: 'first@example.com' } }),
    row('C', { customerId: 'C1', orderTotal: money('5.00'), contact: { email: 'second@example.com' } }),
    row('A', { lineAmount: money('3.00'), contact: { firstName: 'Ann' } }),
    row('B', { orderTotal: money('2.50') }),
    row('A', { lineAmount: money('0.50') }),
  ];

  test('a budget of one byte (every row its own run file) groups exactly as in memory', async () => {
    const inMemory = await group(rows);
    const spilled = await group(rows, {}, 1);
    // A: lines 3, 5 and 7 = 1.00 + 3.00 + 0.50; B: 2.00 (line 6 says 2.50 and is rejected); C: 5.00.
    expect(spilled.orders.map((o) => [o.id, o.amountMinor])).toEqual([['A', 450], ['B', 200], ['C', 500]]);
    expect(spilled.problems).toEqual({ 6: 'order_total: order total 2.50 differs from 2.00 on line 2 of the same order B' });
    // Equal order times: the later row's e-mail wins (line 4 after line 3); line 5 joined A, so Ann is C1's.
    expect(spilled.customers.map((c) => [c.id, c.contact])).toEqual([
      ['C1', { email: 'second@example.com', firstName: 'Ann' }],
      ['C2', { email: 'b@example.com' }],
    ]);
    expect(spilled.counts).toEqual({ ordersTaken: 3, linesGrouped: 2, guestOrders: 0, cancelledOrders: 0, returns: 0, customers: 2 });
    expect(spilled.runFiles).toBeGreaterThan(0);
    expect(inMemory.runFiles).toBe(0);
    expect({ ...spilled, runFiles: 0 }).toEqual(inMemory);
    expect(await readdir(temp)).toEqual([]);
  });
});
