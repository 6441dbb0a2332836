import { describe, expect, it } from 'vitest';
import { normalizeSale, type SaleContext } from '../../../src/sources/lightspeed/normalizeSale.js';
import { saleStatus } from '../../../src/sources/lightspeed/saleStatus.js';
import { SALE_STATUSES, wireSale } from '../../../src/sources/lightspeed/wire.js';

const WALK_IN = 'walk-in-0000';
const context: SaleContext = {
  currency: 'NZD',
  outletCurrencies: { 'outlet-tokyo': 'JPY' },
  walkInCustomerIds: new Set([WALK_IN]),
  onlineSources: new Set(['ECOMMERCE', 'SHOPIFY']),
};

/** A closed sale in the shape of the API 2.0 `Sale` schema (tax-exclusive total_price plus total_tax). */
const base = {
  id: 'sale-1',
  version: 18840099999,
  outlet_id: 'outlet-wlg',
  register_id: 'reg-1',
  user_id: 'user-7',
  customer_id: 'cust-1',
  invoice_number: 'WLG-1042',
  status: 'CLOSED',
  source: 'USER',
  note: '',
  return_for: null,
  sale_date: '2024-11-30T22:04:10+00:00',
  created_at: '2024-11-30T22:04:11+00:00',
  updated_at: '2024-11-30T22:04:11+00:00',
  deleted_at: null,
  total_price: 86.96,
  total_tax: 13.04,
  total_loyalty: 0,
  taxes: [{ name: 'GST', rate: 0.15, amount: 13.04 }],
  line_items: [{ id: 'line-1', product_id: 'p-1', quantity: 1, price: 86.96, price_total: 86.96, tax: 13.04, tax_total: 13.04, status: 'CONFIRMED' }],
  payments: [{ name: 'Card', register_id: 'reg-1', retailer_payment_type_id: 'card', payment_date: '2024-11-30T22:04:10+00:00', amount: 100 }],
  attributes: [],
};

/** The sale through its schema, then normalized: what the fetch does with every sale. */
function normalized(patch: Record<string, unknown>) {
  return normalizeSale(wireSale.parse({ ...base, ...patch }), context);
}

describe('normalizeSale', () => {
  it('maps a 2.0 sale to a completed in-store sale worth total_price + total_tax', () => {
    expect(normalized({})).toEqual({
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

  const cases: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
    // amounts: total_price is tax exclusive; 2.0 has no total_price_incl, and a stray one is not read
    ['price + tax', { total_price: 10, total_tax: 1.5 }, { amountMinor: 1150 }],
    ['a stray total_price_incl is not the amount', { total_price: 10, total_tax: 1.5, total_price_incl: 99 }, { amountMinor: 1150 }],
    ['price + tax with 5-decimal parts', { total_price: 43.47826, total_tax: 6.52174 }, { amountMinor: 5000 }],
    ['binary-noise decimal', { total_price: 0.29, total_tax: 0 }, { amountMinor: 29 }],
    ['tax-free sale', { total_price: 25, total_tax: 0 }, { amountMinor: 2500 }],
    ['outlet in JPY has no minor digits', { outlet_id: 'outlet-tokyo', total_price: 1364, total_tax: 136 }, { amountMinor: 1500, currency: 'JPY', locationId: 'outlet-tokyo' }],
    // returns
    ['return with return_for', { return_for: 'sale-0', total_price: -43.48, total_tax: -6.52 }, { kind: 'return', amountMinor: -5000, refOrderId: 'sale-0' }],
    ['negative total without return_for', { total_price: -17.39, total_tax: -2.61 }, { kind: 'return', amountMinor: -2000 }],
    ['even exchange (return_for, zero total)', { return_for: 'sale-0', total_price: 0, total_tax: 0 }, { kind: 'return', amountMinor: 0, refOrderId: 'sale-0' }],
    ['exchange where the customer paid more stays a sale', { return_for: 'sale-0', total_price: 10.87, total_tax: 1.63 }, { kind: 'sale', amountMinor: 1250, refOrderId: 'sale-0' }],
    // statuses
    ['parked', { status: 'SAVED' }, { status: 'open' }],
    ['layby paid off', { status: 'LAYBY_CLOSED' }, { status: 'completed' }],
    ['voided', { status: 'VOIDED' }, { status: 'voided' }],
    ['a stray state does not decide', { status: 'VOIDED', state: 'closed' }, { status: 'voided' }],
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
    // dates
    ['0.9-style date is UTC', { sale_date: '2016-05-05 23:35:34' }, { orderedAt: Date.UTC(2016, 4, 5, 23, 35, 34) }],
    ['Z form', { sale_date: '2019-08-15T23:05:28Z' }, { orderedAt: Date.UTC(2019, 7, 15, 23, 5, 28) }],
    ['offset form', { sale_date: '2019-08-16T11:05:28+12:00' }, { orderedAt: Date.UTC(2019, 7, 15, 23, 5, 28) }],
    ['tombstone', { deleted_at: '2024-12-01T00:00:00+00:00' }, { deleted: true }],
    ['null deleted_at is no tombstone', { deleted_at: null }, { deleted: undefined }],
  ];
  it.each(cases)('%s', (_name, patch, expected) => {
    const record = normalized(patch) as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(expected)) {
      if (value === undefined) expect(record).not.toHaveProperty(key);
      else expect(record[key]).toEqual(value);
    }
  });
});

describe('the 2.0 sale schema refuses what would become a wrong number', () => {
  const { sale_date: _date, status: _status, ...withoutDateAndStatus } = base;
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['no total_price', { ...base, total_price: undefined }, 'total_price'],
    ['total_price as text', { ...base, total_price: '86.96' }, 'total_price'],
    ['only total_price_incl (another reading of the totals)', { ...base, total_price: undefined, total_tax: undefined, total_price_incl: 100 }, 'total_price'],
    ['no total_tax', { ...base, total_tax: undefined }, 'total_tax'],
    ['no sale_date', { ...base, sale_date: undefined }, 'sale_date'],
    ['a sale_date that is no time', { ...base, sale_date: 'yesterday' }, 'sale_date'],
    ['a status 2.0 does not have', { ...base, status: 'OPEN' }, 'status'],
    ['a status in lower case', { ...base, status: 'closed' }, 'status'],
    ['no status, only the newer state', { ...base, status: undefined, state: 'closed' }, 'status'],
    ['the date-based 2026.01 shape (date, no status)', { ...withoutDateAndStatus, date: base.sale_date, state: 'closed' }, 'status'],
    ['no version', { ...base, version: undefined }, 'version'],
    ['a version as text', { ...base, version: '18840099999' }, 'version'],
    ['no id', { ...base, id: undefined }, 'id'],
  ];
  it.each(cases)('%s', (_name, raw, field) => {
    const parsed = wireSale.safeParse(raw);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((issue) => issue.path.join('.'))).toContain(field);
  });
});

describe('saleStatus', () => {
  const expected: Record<(typeof SALE_STATUSES)[number], string> = {
    SAVED: 'open',
    CLOSED: 'completed',
    ONACCOUNT: 'open',
    LAYBY: 'open',
    ONACCOUNT_CLOSED: 'completed',
    LAYBY_CLOSED: 'completed',
    AWAITING_DISPATCH: 'open',
    AWAITING_PICKUP: 'open',
    DISPATCHED_CLOSED: 'completed',
    PICKED_UP_CLOSED: 'completed',
    VOIDED: 'voided',
    SERVICE: 'open',
    SERVICE_CLOSED: 'completed',
  };
  it.each(SALE_STATUSES.map((status) => [status, expected[status]]))('%s -> %s', (status, result) => {
    expect(saleStatus(status)).toBe(result);
  });
});
