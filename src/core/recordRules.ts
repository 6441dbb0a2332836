/**
 * The rules by which stored canonical records count in compute, in one place: the loader
 * (src/io/loadComputeInput.ts) applies them to every record as it reads the store. They work on enum
 * codes (positions in the lists of src/core/model.ts); `undefined` is a value the store does not have.
 */
import { BOOKING_STATUSES, CHANNEL, ORDER_STATUS } from './model.js';

/** A deleted (tombstoned) order, or one without a status, does not count: it is voided. */
export function countedOrderStatus(status: number | undefined, deleted: boolean): number {
  return deleted || status === undefined ? ORDER_STATUS.voided : status;
}

/** An order without a channel was made in a store. */
export function orderChannel(channel: number | undefined): number {
  return channel ?? CHANNEL.in_store;
}

/** An order without tips has none. */
export function orderTips(tipsMinor: number): number {
  return Number.isNaN(tipsMinor) ? 0 : tipsMinor;
}

/** The status code of a booking that counts as none of the statuses: a deleted booking has it. */
export const NO_BOOKING_STATUS = 255;
if (BOOKING_STATUSES.length >= NO_BOOKING_STATUS) throw new Error('NO_BOOKING_STATUS must not be a status code');

/** A deleted booking keeps no status that counts. */
export function countedBookingStatus(status: number | undefined, deleted: boolean): number {
  return deleted || status === undefined ? NO_BOOKING_STATUS : status;
}

/**
 * The customer (record index, -1 for none) a refund belongs to: the one it names, else the customer
 * of the payment it refunds.
 */
export function refundCustomer(named: number, ofPayment: number): number {
  return named >= 0 ? named : ofPayment;
}
