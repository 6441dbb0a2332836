import { describe, expect, it } from 'vitest';
import { BOOKING_STATUS, BOOKING_STATUSES, CHANNEL, ORDER_STATUS, ORDER_STATUSES, codesOf } from '../../../src/core/model.js';
import {
  NO_BOOKING_STATUS,
  countedBookingStatus,
  countedOrderStatus,
  orderChannel,
  orderTips,
  refundCustomer,
} from '../../../src/core/recordRules.js';

describe('enum codes', () => {
  it('are the positions in the declared values', () => {
    expect(codesOf(['a', 'b', 'c'] as const)).toEqual({ a: 0, b: 1, c: 2 });
    expect(ORDER_STATUSES[ORDER_STATUS.voided]).toBe('voided');
    expect(BOOKING_STATUSES[BOOKING_STATUS.NO_SHOW]).toBe('NO_SHOW');
  });
});

describe('record rules', () => {
  it('a deleted order is voided whatever its status; one without a status too', () => {
    for (const status of ORDER_STATUSES) {
      expect(countedOrderStatus(ORDER_STATUS[status], true)).toBe(ORDER_STATUS.voided);
      expect(countedOrderStatus(ORDER_STATUS[status], false)).toBe(ORDER_STATUS[status]);
    }
    expect(countedOrderStatus(undefined, false)).toBe(ORDER_STATUS.voided);
  });

  it('an order without a channel was made in a store', () => {
    expect(orderChannel(undefined)).toBe(CHANNEL.in_store);
    expect(orderChannel(CHANNEL.online)).toBe(CHANNEL.online);
    expect(orderChannel(CHANNEL.appointment)).toBe(CHANNEL.appointment);
  });

  it('an order without tips has none', () => {
    expect(orderTips(NaN)).toBe(0);
    expect(orderTips(250)).toBe(250);
  });

  it('a deleted booking, or one without a status, has no status that counts', () => {
    expect(Object.values(BOOKING_STATUS)).not.toContain(NO_BOOKING_STATUS);
    expect(countedBookingStatus(BOOKING_STATUS.ACCEPTED, true)).toBe(NO_BOOKING_STATUS);
    expect(countedBookingStatus(undefined, false)).toBe(NO_BOOKING_STATUS);
    expect(countedBookingStatus(BOOKING_STATUS.NO_SHOW, false)).toBe(BOOKING_STATUS.NO_SHOW);
  });

  it("a refund belongs to the customer it names, else to its payment's customer", () => {
    expect(refundCustomer(4, 7)).toBe(4);
    expect(refundCustomer(-1, 7)).toBe(7);
    expect(refundCustomer(-1, -1)).toBe(-1);
  });
});
