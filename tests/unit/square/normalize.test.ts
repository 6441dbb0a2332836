import { describe, expect, it } from 'vitest';
import {
  customerTombstone,
  normalizeBooking,
  normalizeCustomer,
  normalizePayment,
  normalizeRefund,
  serviceName,
} from '../../../src/sources/square/normalize.js';

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
    ['SOMETHING_NEW', 'open'],
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

  it.each([
    ['no created_at', { ...base, created_at: undefined }],
    ['an unparsable created_at', { ...base, created_at: 'yesterday' }],
    ['no currency anywhere', { ...base, amount_money: { amount: 1 }, total_money: undefined }],
  ])('skips a payment with %s', (_name, input) => {
    expect(normalizePayment(input)).toBeUndefined();
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
    ['an unknown status', { ...booking, status: 'COMPLETED' }],
    ['no start', { ...booking, start_at: null }],
  ])('skips a booking with %s', (_name, input) => {
    expect(normalizeBooking(input)).toBeUndefined();
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
    expect(serviceName(variation, parent)).toBe(expected);
  });
});
