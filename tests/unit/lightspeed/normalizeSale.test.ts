import { describe, expect, it } from 'vitest';
import { normalizeSale, type SaleContext } from '../../../src/sources/lightspeed/normalizeSale.js';
import { saleStatus } from '../../../src/sources/lightspeed/saleStatus.js';
import type { WireSale } from '../../../src/sources/lightspeed/wire.js';

const WALK_IN = 'walk-in-0000';
const context: SaleContext = {
  currency: 'NZD',
  outletCurrencies: { 'outlet-tokyo': 'JPY' },
  walkInCustomerIds: new Set([WALK_IN]),
  onlineSources: new Set(['ECOMMERCE', 'SHOPIFY']),
};

/** The spec's example closed sale (§1.11), trimmed to what normalization reads. */
const base: WireSale = {
  id: 'sale-1',
  version: 18840099999,
  outlet_id: 'outlet-wlg',
  register_id: 'reg-1',
  user_id: 'user-7',
  customer_id: 'cust-1',
  status: 'CLOSED',
  state: 'closed',
  source: 'USER',
  sale_date: '2024-11-30T22:04:10+00:00',
  created_at: '2024-11-30T22:04:11+00:00',
  total_price: 86.96,
  total_tax: 13.04,
  total_price_incl: 100.0,
  return_for: null,
};

describe('normalizeSale', () => {
  it('maps the spec example to a completed in-store sale', () => {
    expect(normalizeSale(base, context)).toEqual({
      source: 'lightspeed',
      id: 'sale-1',
      version: 18840099999,
      kind: 'sale',
      status: 'completed',
      channel: 'in_store',
      customerId: 'cust-1',
      orderedAt: Date.UTC(2024, 10, 30, 22, 4, 10),
      amountMinor: 10000,
      currency: 'NZD',
      locationId: 'outlet-wlg',
      staffId: 'user-7',
    });
  });

  const cases: Array<[string, Partial<WireSale>, Record<string, unknown>]> = [
    // amounts
    ['tax-inclusive total wins', { total_price: 10, total_tax: 1.5, total_price_incl: 11.5 }, { amountMinor: 1150 }],
    ['without total_price_incl: price + tax', { total_price: 86.96, total_tax: 13.04, total_price_incl: undefined }, { amountMinor: 10000 }],
    ['price + tax with 5-decimal parts', { total_price: 43.47826, total_tax: 6.52174, total_price_incl: null }, { amountMinor: 5000 }],
    ['decimals as strings', { total_price_incl: '317.1' }, { amountMinor: 31710 }],
    ['binary-noise decimal', { total_price_incl: 0.29 }, { amountMinor: 29 }],
    ['outlet in JPY has no minor digits', { outlet_id: 'outlet-tokyo', total_price_incl: 1500 }, { amountMinor: 1500, currency: 'JPY', locationId: 'outlet-tokyo' }],
    ['no totals at all', { total_price: undefined, total_tax: undefined, total_price_incl: undefined }, { amountMinor: 0 }],
    // returns
    ['return with return_for', { return_for: 'sale-0', total_price: -43.48, total_tax: -6.52, total_price_incl: -50 }, { kind: 'return', amountMinor: -5000, refOrderId: 'sale-0' }],
    ['negative total without return_for', { total_price_incl: -20 }, { kind: 'return', amountMinor: -2000 }],
    ['even exchange (return_for, zero total)', { return_for: 'sale-0', total_price_incl: 0 }, { kind: 'return', amountMinor: 0, refOrderId: 'sale-0' }],
    ['exchange where the customer paid more stays a sale', { return_for: 'sale-0', total_price_incl: 12.5 }, { kind: 'sale', amountMinor: 1250, refOrderId: 'sale-0' }],
    // walk-ins
    ['walk-in: customer_id null', { customer_id: null }, { customerId: undefined }],
    ['walk-in: customer_id absent', { customer_id: undefined }, { customerId: undefined }],
    ['walk-in: empty customer_id', { customer_id: '' }, { customerId: undefined }],
    ['walk-in: default customer id', { customer_id: WALK_IN }, { customerId: undefined }],
    // channel
    ['ECOMMERCE source is online', { source: 'ECOMMERCE' }, { channel: 'online' }],
    ['shopify (any case) is online', { source: 'shopify' }, { channel: 'online' }],
    ['QUOTE is in store', { source: 'QUOTE' }, { channel: 'in_store' }],
    ['no source is in store', { source: undefined }, { channel: 'in_store' }],
    // dates and ids
    ['no sale_date: created_at', { sale_date: undefined }, { orderedAt: Date.UTC(2024, 10, 30, 22, 4, 11) }],
    ['0.9-style date is UTC', { sale_date: '2016-05-05 23:35:34' }, { orderedAt: Date.UTC(2016, 4, 5, 23, 35, 34) }],
    ['Z form', { sale_date: '2019-08-15T23:05:28Z' }, { orderedAt: Date.UTC(2019, 7, 15, 23, 5, 28) }],
    ['tombstone', { deleted_at: '2024-12-01T00:00:00+00:00' }, { deleted: true }],
    ['null deleted_at is no tombstone', { deleted_at: null }, { deleted: undefined }],
  ];
  it.each(cases)('%s', (_name, patch, expected) => {
    const record = normalizeSale({ ...base, ...patch } as WireSale, context) as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(expected)) {
      if (value === undefined) expect(record).not.toHaveProperty(key);
      else expect(record[key]).toEqual(value);
    }
  });
});

describe('saleStatus', () => {
  const cases: Array<[unknown, unknown, string]> = [
    ['CLOSED', undefined, 'completed'],
    ['ONACCOUNT_CLOSED', undefined, 'completed'],
    ['LAYBY_CLOSED', undefined, 'completed'],
    ['DISPATCHED_CLOSED', undefined, 'completed'],
    ['PICKED_UP_CLOSED', undefined, 'completed'],
    ['SERVICE_CLOSED', undefined, 'completed'],
    ['SAVED', undefined, 'open'],
    ['OPEN', undefined, 'open'],
    ['LAYBY', undefined, 'open'],
    ['ONACCOUNT', undefined, 'open'],
    ['AWAITING_DISPATCH', undefined, 'open'],
    ['AWAITING_PICKUP', undefined, 'open'],
    ['SERVICE', undefined, 'open'],
    ['VOIDED', undefined, 'voided'],
    ['closed', undefined, 'completed'],
    [undefined, 'closed', 'completed'],
    [undefined, 'voided', 'voided'],
    [undefined, 'parked', 'open'],
    [undefined, 'pending', 'open'],
    [null, 'closed', 'completed'],
    ['SOMETHING_NEW', 'closed', 'completed'],
    ['SOMETHING_NEW', undefined, 'open'],
    [undefined, undefined, 'open'],
  ];
  it.each(cases)('status %s, state %s -> %s', (status, state, expected) => {
    expect(saleStatus(status, state)).toBe(expected);
  });
});
