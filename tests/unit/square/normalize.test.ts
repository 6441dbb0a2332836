import { describe, expect, it } from 'vitest';
import {
  customerTombstone,
  normalizeBooking as bookingRecord,
  normalizeCustomer as customerRecord,
  normalizePayment as paymentRecord,
  normalizeRefund as refundRecord,
  serviceName,
} from '../../../src/sources/square/normalize.js';
import { squareBooking, squareCatalogObject, squareCustomer, squareLocation, squarePayment, squareRefund } from '../../../src/sources/square/wire.js';
import { specBooking, specBulkCustomer, specCustomer, specLocation, specPayment, specRefund } from '../../fixtures/vendor/squareExamples.js';

/** Each record through its schema, then normalized: what the fetch does with every record. */
const normalizeCustomer = (raw: unknown) => customerRecord(squareCustomer.parse(raw));
const normalizePayment = (raw: unknown) => paymentRecord(squarePayment.parse(raw));
const normalizeRefund = (raw: unknown, customerId?: string) => refundRecord(squareRefund.parse(raw), customerId);
const normalizeBooking = (raw: unknown) => bookingRecord(squareBooking.parse(raw));

/** The schema's verdict on a drifted record: the fields it refuses. */
function refused(schema: { safeParse(raw: unknown): { success: boolean; error?: { issues: { path: PropertyKey[] }[] } } }, raw: unknown): string[] {
  const parsed = schema.safeParse(raw);
  expect(parsed.success).toBe(false);
  return parsed.error!.issues.map((issue) => issue.path.map(String).join('.'));
}

// Times worked out with Date.UTC by hand.
const T_2025_06_02_194731_402 = Date.UTC(2025, 5, 2, 19, 47, 31, 402);
const T_2025_06_02_194733 = Date.UTC(2025, 5, 2, 19, 47, 33);
const T_2024_03_02_174109_118 = Date.UTC(2024, 2, 2, 17, 41, 9, 118);
const T_2025_06_14_091244 = Date.UTC(2025, 5, 14, 9, 12, 44);

describe('normalizeCustomer', () => {
  it.each([
    [
      'full profile, mixed timestamp precision',
      {
        id: '7Q2K4ZB0MZ2J1F5Y8N3W6RX9TC',
        created_at: '2024-03-02T17:41:09.118Z',
        updated_at: '2025-06-14T09:12:44Z',
        given_name: 'Maya',
        family_name: 'Okafor',
        company_name: 'Acme Studio',
        email_address: 'maya.okafor@example.com',
        phone_number: '+15035550142',
        preferences: { email_unsubscribed: true },
        version: 4,
      },
      {
        source: 'square',
        id: '7Q2K4ZB0MZ2J1F5Y8N3W6RX9TC',
        version: T_2025_06_14_091244,
        createdAt: T_2024_03_02_174109_118,
        firstName: 'Maya',
        lastName: 'Okafor',
        company: 'Acme Studio',
        email: 'maya.okafor@example.com',
        phone: '+15035550142',
        emailOptOut: true,
      },
    ],
    [
      'instant profile: nothing but times; never updated',
      { id: 'C1', created_at: '2025-06-02T19:47:31.402Z', updated_at: '2025-06-02T19:47:31.402Z' },
      { source: 'square', id: 'C1', version: T_2025_06_02_194731_402, createdAt: T_2025_06_02_194731_402 },
    ],
    [
      'blank strings and nulls are absent; opt-in kept as false',
      {
        id: 'C2',
        created_at: '2025-06-02T19:47:33Z',
        given_name: '  ',
        family_name: null,
        email_address: ' a@b.example ',
        preferences: { email_unsubscribed: false },
      },
      { source: 'square', id: 'C2', version: T_2025_06_02_194733, createdAt: T_2025_06_02_194733, email: 'a@b.example', emailOptOut: false },
    ],
  ])('%s', (_name, input, expected) => {
    expect(normalizeCustomer(input)).toStrictEqual(expected);
  });

  it('the example customers of the spec, two decimals of a second included', () => {
    expect(normalizeCustomer(specCustomer)).toMatchObject({ id: 'JDKYHBWT1D4F8MFH63DBMEN8Y4', firstName: 'James', lastName: 'Bond', createdAt: Date.UTC(2018, 0, 23, 20, 21, 54, 859), version: Date.UTC(2020, 3, 20, 10, 2, 43, 83) });
    expect(normalizeCustomer(specBulkCustomer)).toMatchObject({ id: 'N18CPRVXR5214XPBBA6BZQWF3C', createdAt: Date.UTC(2024, 0, 19, 0, 27, 54, 590) });
  });

  it.each([
    ['no created_at', { id: 'C3' }, 'created_at'],
    ['an id that is a number', { id: 42, created_at: '2025-06-02T19:47:33Z' }, 'id'],
    ['e-mail preferences as text', { id: 'C4', created_at: '2025-06-02T19:47:33Z', preferences: { email_unsubscribed: 'yes' } }, 'preferences.email_unsubscribed'],
  ])('refuses a customer with %s', (_name, input, field) => {
    expect(refused(squareCustomer, input)).toContain(field);
  });

  it('tombstones carry the survivor of a merge', () => {
    expect(customerTombstone('OLD', 1000, 'NEW')).toStrictEqual({ source: 'square', id: 'OLD', version: 1000, deleted: true, mergedInto: 'NEW' });
    expect(customerTombstone('GONE', 2000)).toStrictEqual({ source: 'square', id: 'GONE', version: 2000, deleted: true });
  });
});

describe('normalizePayment', () => {
  const base = {
    id: 'dV7wQk2LmN9pXr4TsY1bZc8HjF5ZY',
    created_at: '2025-06-02T19:47:31.402Z',
    updated_at: '2025-06-02T19:47:33Z',
    amount_money: { amount: 9500, currency: 'USD' },
    tip_money: { amount: 1900, currency: 'USD' },
    total_money: { amount: 11400, currency: 'USD' },
    status: 'COMPLETED',
    location_id: 'LQ4M8B1XAZ7PD',
    customer_id: '7Q2K4ZB0MZ2J1F5Y8N3W6RX9TC',
    team_member_id: 'TMa1b2C3d4E5f6G7',
  };

  it('a completed card payment with a tip: amount without the tip, tip apart, dated by created_at', () => {
    expect(normalizePayment(base)).toStrictEqual({
      source: 'square',
      id: 'dV7wQk2LmN9pXr4TsY1bZc8HjF5ZY',
      version: T_2025_06_02_194733,
      kind: 'sale',
      status: 'completed',
      channel: 'appointment',
      customerId: '7Q2K4ZB0MZ2J1F5Y8N3W6RX9TC',
      orderedAt: T_2025_06_02_194731_402,
      amountMinor: 9500,
      tipsMinor: 1900,
      currency: 'USD',
      locationId: 'LQ4M8B1XAZ7PD',
      staffId: 'TMa1b2C3d4E5f6G7',
    });
  });

  it.each([
    ['COMPLETED', 'completed'],
    ['APPROVED', 'open'],
    ['PENDING', 'open'],
    ['CANCELED', 'cancelled'],
    ['FAILED', 'cancelled'],
  ])('status %s -> %s', (status, expected) => {
    expect(normalizePayment({ ...base, status })?.status).toBe(expected);
  });

  it('JPY is zero-decimal: whole yen stay whole yen', () => {
    const record = normalizePayment({ ...base, amount_money: { amount: 6800, currency: 'JPY' }, tip_money: undefined });
    expect(record?.amountMinor).toBe(6800);
    expect(record?.currency).toBe('JPY');
    expect(record && 'tipsMinor' in record).toBe(false);
  });

  it('a payment whose customer is not known yet has no customerId; no staff when none is named', () => {
    const record = normalizePayment({ ...base, customer_id: undefined, team_member_id: null });
    expect(record && 'customerId' in record).toBe(false);
    expect(record && 'staffId' in record).toBe(false);
  });

  it('payments of one order (split tender) share the purchase', () => {
    expect(normalizePayment({ ...base, order_id: 'ORDER-1' }).purchaseId).toBe('ORDER-1');
    expect(normalizePayment({ ...base, id: 'second', order_id: 'ORDER-1', tip_money: undefined }).purchaseId).toBe('ORDER-1');
  });

  it('the example payment of the spec', () => {
    expect(normalizePayment(specPayment)).toStrictEqual({
      source: 'square',
      id: 'bP9mAsEMYPUGjjGNaNO5ZDVyLhSZY',
      version: Date.UTC(2021, 9, 13, 19, 34, 37, 261),
      kind: 'sale',
      status: 'completed',
      channel: 'appointment',
      orderedAt: Date.UTC(2021, 9, 13, 19, 34, 33, 524),
      amountMinor: 555,
      currency: 'USD',
      locationId: 'L88917AVBK2S5',
      staffId: 'TMoK_ogh6rH1o4dV',
      purchaseId: 'd7eKah653Z579f3gVtjlxpSlmUcZY',
    });
  });

  it.each([
    ['no amount_money', { ...base, amount_money: undefined }, 'amount_money'],
    ['amount_money renamed', { ...base, amount_money: undefined, amount: { amount: 9500, currency: 'USD' } }, 'amount_money'],
    ['an amount as text', { ...base, amount_money: { amount: '95.00', currency: 'USD' } }, 'amount_money.amount'],
    ['an amount in major units', { ...base, amount_money: { amount: 95.5, currency: 'USD' } }, 'amount_money.amount'],
    ['no currency', { ...base, amount_money: { amount: 1 } }, 'amount_money.currency'],
    ['no created_at', { ...base, created_at: undefined }, 'created_at'],
    ['an unparsable created_at', { ...base, created_at: 'yesterday' }, 'created_at'],
    ['a status Square does not have', { ...base, status: 'SOMETHING_NEW' }, 'status'],
    ['no status', { ...base, status: undefined }, 'status'],
  ])('refuses a payment with %s', (_name, input, field) => {
    expect(refused(squarePayment, input)).toContain(field);
  });
});

describe('normalizeRefund', () => {
  const refund = {
    id: 'dV7wQk2LmN9pXr4TsY1bZc8HjF5ZY_xyz',
    status: 'COMPLETED',
    location_id: 'LQ4M8B1XAZ7PD',
    amount_money: { amount: 4750, currency: 'USD' },
    payment_id: 'dV7wQk2LmN9pXr4TsY1bZc8HjF5ZY',
    created_at: '2025-06-02T19:47:31.402Z',
    updated_at: '2025-06-02T19:47:33Z',
  };

  it('gives money back against its payment, negative, with the payment customer', () => {
    expect(normalizeRefund(refund, 'CUST1')).toStrictEqual({
      source: 'square',
      id: 'dV7wQk2LmN9pXr4TsY1bZc8HjF5ZY_xyz',
      version: T_2025_06_02_194733,
      kind: 'refund',
      status: 'completed',
      channel: 'appointment',
      customerId: 'CUST1',
      orderedAt: T_2025_06_02_194731_402,
      amountMinor: -4750,
      currency: 'USD',
      locationId: 'LQ4M8B1XAZ7PD',
      refOrderId: 'dV7wQk2LmN9pXr4TsY1bZc8HjF5ZY',
    });
  });

  it.each([
    ['COMPLETED', 'completed'],
    ['PENDING', 'open'],
    ['REJECTED', 'cancelled'],
    ['FAILED', 'cancelled'],
  ])('status %s -> %s', (status, expected) => {
    expect(normalizeRefund({ ...refund, status })?.status).toBe(expected);
  });

  it('an already negative amount stays negative once; no customer when unknown', () => {
    const record = normalizeRefund({ ...refund, amount_money: { amount: -300, currency: 'JPY' } });
    expect(record?.amountMinor).toBe(-300);
    expect(record && 'customerId' in record).toBe(false);
  });

  it('a refund that gives the tip back too is kept whole (more than the payment amount)', () => {
    // The payment above: 9500 + 1900 tip = 11400; the whole total comes back.
    expect(normalizeRefund({ ...refund, amount_money: { amount: 11400, currency: 'USD' } }).amountMinor).toBe(-11400);
  });

  it('the example refund of the spec', () => {
    expect(normalizeRefund(specRefund, 'CUST9')).toMatchObject({ kind: 'refund', status: 'completed', amountMinor: -555, currency: 'USD', refOrderId: 'bP9mAsEMYPUGjjGNaNO5ZDVyLhSZY', customerId: 'CUST9' });
  });

  it.each([
    ['no amount_money', { ...refund, amount_money: undefined }, 'amount_money'],
    ['no status', { ...refund, status: undefined }, 'status'],
    ['a status Square does not have', { ...refund, status: 'DONE' }, 'status'],
  ])('refuses a refund with %s', (_name, input, field) => {
    expect(refused(squareRefund, input)).toContain(field);
  });
});

describe('normalizeBooking', () => {
  const booking = {
    id: 'r5x1b9k2t7qz0m',
    version: 3,
    status: 'CANCELLED_BY_CUSTOMER',
    created_at: '2025-05-20T16:03:11Z',
    updated_at: '2025-05-27T08:45:02.250Z',
    start_at: '2025-05-28T18:30:00Z',
    location_id: 'LQ4M8B1XAZ7PD',
    customer_id: '7Q2K4ZB0MZ2J1F5Y8N3W6RX9TC',
    appointment_segments: [
      { duration_minutes: 90, service_variation_id: 'H6TZQ4WN2LBY3R5KMC7XJ0AE', team_member_id: 'TMa1b2C3d4E5f6G7' },
      { duration_minutes: 30, service_variation_id: 'SECONDSERVICE', team_member_id: 'TMsecond' },
    ],
  };

  it('takes status, start, location and the first segment', () => {
    expect(normalizeBooking(booking)).toStrictEqual({
      source: 'square',
      id: 'r5x1b9k2t7qz0m',
      version: Date.UTC(2025, 4, 27, 8, 45, 2, 250),
      customerId: '7Q2K4ZB0MZ2J1F5Y8N3W6RX9TC',
      startAt: Date.UTC(2025, 4, 28, 18, 30, 0),
      status: 'CANCELLED_BY_CUSTOMER',
      locationId: 'LQ4M8B1XAZ7PD',
      staffId: 'TMa1b2C3d4E5f6G7',
      serviceId: 'H6TZQ4WN2LBY3R5KMC7XJ0AE',
    });
  });

  it.each(['PENDING', 'ACCEPTED', 'CANCELLED_BY_CUSTOMER', 'CANCELLED_BY_SELLER', 'DECLINED', 'NO_SHOW'])('keeps status %s', (status) => {
    expect(normalizeBooking({ ...booking, status })?.status).toBe(status);
  });

  it.each([
    ['an unknown status', { ...booking, status: 'COMPLETED' }, 'status'],
    ['no start', { ...booking, start_at: null }, 'start_at'],
    ['start_at renamed', { ...booking, start_at: undefined, starts_at: booking.start_at }, 'start_at'],
    ['a segment without its team member', { ...booking, appointment_segments: [{ duration_minutes: 30 }] }, 'appointment_segments.0.team_member_id'],
  ])('refuses a booking with %s', (_name, input, field) => {
    expect(refused(squareBooking, input)).toContain(field);
  });

  it('the example booking of the spec', () => {
    expect(normalizeBooking(specBooking)).toStrictEqual({
      source: 'square',
      id: 'zkras0xv0xwswx',
      version: Date.UTC(2020, 9, 28, 15, 49, 25),
      customerId: 'EX2QSVGTZN4K1E5QE1CBFNVQ8M',
      startAt: Date.UTC(2020, 10, 26, 13, 0, 0),
      status: 'ACCEPTED',
      locationId: 'LEQHH0YY8B42M',
      staffId: 'TMXUrsBWWcHTt79t',
      serviceId: 'RU3PBTZTK7DXZDQFCJHOK2MC',
    });
  });

  it('a booking without segments has no staff or service', () => {
    const record = normalizeBooking({ ...booking, appointment_segments: [] });
    expect(record && ('staffId' in record || 'serviceId' in record)).toBe(false);
  });
});

describe('serviceName', () => {
  const item = { type: 'ITEM', id: 'I1', item_data: { name: 'Haircut' } };
  it.each([
    ['item and variation', { type: 'ITEM_VARIATION', id: 'V1', item_variation_data: { item_id: 'I1', name: 'Long hair' } }, item, 'Haircut - Long hair'],
    ['a "Regular" variation is just the item', { type: 'ITEM_VARIATION', id: 'V2', item_variation_data: { item_id: 'I1', name: 'Regular' } }, item, 'Haircut'],
    ['no parent item', { type: 'ITEM_VARIATION', id: 'V3', item_variation_data: { name: 'Long hair' } }, undefined, 'Long hair'],
    ['nothing named', { type: 'ITEM_VARIATION', id: 'V4' }, undefined, 'V4'],
  ])('%s', (_name, variation, parent, expected) => {
    expect(serviceName(squareCatalogObject.parse(variation), parent && squareCatalogObject.parse(parent))).toBe(expected);
  });
});

describe('squareLocation', () => {
  it('reads the example location of the spec: time zone, two-letter country, merchant', () => {
    expect(squareLocation.parse(specLocation)).toMatchObject({ id: '3Z4V4WHQK64X9', timezone: 'America/New_York', country: 'US', merchant_id: '3MYCJG5GVYQ8Q' });
  });

  it.each([
    ['a time zone no one knows', { ...specLocation, timezone: 'Mars/Olympus' }, 'timezone'],
    ['a country that is not ISO 3166 alpha-2', { ...specLocation, country: 'USA' }, 'country'],
  ])('refuses %s', (_name, input, field) => {
    expect(refused(squareLocation, input)).toContain(field);
  });
});
