import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../../../src/sources/square/settings.js';

describe('square settingsSchema', () => {
  it('fills every default', () => {
    expect(settingsSchema.parse({})).toEqual({
      squareVersion: '2025-08-20',
      pageSize: 100,
      safetyMarginSeconds: 120,
      customerWindowDays: 30,
      bookingWindowDays: 31,
      bookingsRescanPastDays: 90,
      bookingsFutureDays: 62,
      customerReconcileDays: 7,
      locationConcurrency: 4,
      maxRequestsPerSecond: 10,
      acceptAppOnlyBookings: false,
      maxRejectShare: 0.05,
    });
  });

  it.each([
    ['a bookings window over 31 days', { bookingWindowDays: 40 }],
    ['a page size over 100', { pageSize: 200 }],
    ['a version without updated_at filters on refunds', { squareVersion: '2024-10-17' }],
    ['a malformed version', { squareVersion: '2025-8-20' }],
    ['a history start that is no date', { historyStart: 'last spring' }],
    ['a negative margin', { safetyMarginSeconds: -1 }],
    ['a reject share over 1', { maxRejectShare: 1.5 }],
  ])('rejects %s', (_name, input) => {
    expect(settingsSchema.safeParse(input).success).toBe(false);
  });

  it('keeps a history start', () => {
    expect(settingsSchema.parse({ historyStart: '2019-01-01' }).historyStart).toBe('2019-01-01');
  });
});
