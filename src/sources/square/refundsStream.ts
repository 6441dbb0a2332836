/**
 * Refunds of every location (ListPaymentRefunds, unlike ListPayments, covers all of them by default),
 * by `updated_at` ascending so a refund is seen again when it completes. A refund names no customer:
 * it takes its payment's.
 */
import { z } from 'zod';
import { RemoteError } from '../../io/errors.js';
import type { OrderRecord } from '../../core/model.js';
import { normalizeRefund } from './normalize.js';
import type { SquareRun } from './squareRun.js';
import { fetchUpdatedSince } from './updatedSince.js';
import { SQUARE_STREAMS } from './source.js';
import { squarePayment } from './wire.js';

/** GetPayment. */
const retrievedPayment = z.looseObject({ payment: z.unknown() });

export async function fetchRefunds(run: SquareRun, customerOfPayment: Map<string, string | undefined>): Promise<void> {
  await fetchUpdatedSince(run, {
    declaration: SQUARE_STREAMS.refunds,
    path: '/v2/refunds',
    bookmark: run.state.refunds,
    setBookmark: (bookmark) => (run.state.refunds = bookmark),
    normalize: async (page) => {
      const records: OrderRecord[] = [];
      for (const refund of page) {
        const customerId = refund.payment_id ? await paymentCustomer(run, refund.payment_id, customerOfPayment) : undefined;
        records.push(normalizeRefund(refund, customerId));
      }
      return records;
    },
  });
}

/** From this run's payments, else asked of Square (refunded payments are few). */
async function paymentCustomer(run: SquareRun, paymentId: string, known: Map<string, string | undefined>): Promise<string | undefined> {
  if (known.has(paymentId)) return known.get(paymentId);
  let customerId: string | undefined;
  try {
    const body = run.api.check.one('payments', retrievedPayment, await run.api.get(`/v2/payments/${encodeURIComponent(paymentId)}`));
    customerId = run.api.check.one('payments', squarePayment, body.payment).customer_id ?? undefined;
  } catch (error) {
    if (!(error instanceof RemoteError && error.status === 404)) throw error;
  }
  known.set(paymentId, customerId);
  return customerId;
}
