import { describe, expect, test } from 'vitest';
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

/** Adds rows (numbered as lines 2, 3, ...) and returns the problems by line. */
function group(rows: EcomRow[], overrides: Partial<GroupingSettings> = {}) {
  const grouper = new OrderGrouper({ ...settings, ...overrides });
  const problems: Record<number, string> = {};
  rows.forEach((r, i) => {
    const problem = grouper.add(r, i + 2);
    if (problem) problems[i + 2] = `${problem.field}: ${problem.reason}`;
  });
  return { grouper, problems, orders: [...grouper.records(7)], counts: grouper.counts() };
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
  test.each(cases)('%s', (_name, rows, expected) => {
    const { orders, problems } = group(rows);
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
  test.each(cases)('%s', (_name, rows, overrides, expected) => {
    expect(group(rows, overrides).problems).toEqual(expected);
  });

  test('a rejected line leaves its order as it was', () => {
    const { orders, counts } = group([row('1', { orderTotal: money('10.00') }), row('1', { orderTotal: money('11.00') })]);
    expect(orders.map((o) => o.amountMinor)).toEqual([1000]);
    expect(counts.linesGrouped).toBe(0);
  });
});

describe('records and counts', () => {
  test('non-adjacent lines join their order; statuses, guests and returns are counted', () => {
    const { orders, counts } = group([
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

  test('the default location applies where a row names none', () => {
    const { orders } = group([row('A', { orderTotal: money('1.00') }), row('B', { orderTotal: money('1.00'), location: 'Pop-up' })], {
      defaultLocation: 'Webshop',
    });
    expect(orders.map((o) => o.locationId)).toEqual(['Webshop', 'Pop-up']);
  });

  test('customer facts: each field from the latest order that has it, first order time the earliest', () => {
    const { grouper } = group([
      row('2', { orderedAt: T0 + 2 * DAY, customerId: 'C1', orderTotal: money('1.00'), contact: { email: 'new@example.com', lastName: 'Lee-Park' } }),
      row('1', { orderedAt: T0, customerId: 'C1', orderTotal: money('1.00'), contact: { email: 'old@example.com', firstName: 'Ann', phone: '555' } }),
      row('3', { orderedAt: T0 + 2 * DAY, customerId: 'C1', orderTotal: money('1.00'), contact: { lastName: 'Park' } }),
    ]);
    expect([...grouper.customerFacts()].map(({ id, firstOrderAt, contact }) => ({ id, firstOrderAt, contact }))).toEqual([
      { id: 'C1', firstOrderAt: T0, contact: { email: 'new@example.com', lastName: 'Park', firstName: 'Ann', phone: '555' } },
    ]);
  });
});
