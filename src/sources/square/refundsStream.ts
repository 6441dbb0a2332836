/**
 * Refunds of every location (ListPaymentRefunds, unlike ListPayments, covers all of them by default),
 * by `updated_at` ascending so a refund is seen again when it completes. A refund names no customer:
 * it takes its payment's.
 */
import { RemoteError } from '../../io/errors.js';
import type { OrderRecord } from '../../core/model.js';
import { normalizeRefund } from './normalize.js';
import type { SquareRun } from './squareRun.js';
import type { SquarePayment, SquareRefund } from './squareTypes.js';
import { fetchUpdatedSince } from './updatedSince.js';

export async function fetchRefunds(run: SquareRun, customerOfPayment: Map<string, string | undefined>): Promise<void> {
  await fetchUpdatedSince<SquareRefund>(run, {
    stream: 'refunds',
    path: '/v2/refunds',
    bookmark: run.state.refunds,
    setBookmark: (bookmark) => (run.state.refunds = bookmark),
    normalize: async (page) => {
      const records: OrderRecord[] = [];
      for (const refund of page) {
        const customerId = refund.payment_id ? await paymentCustomer(run, refund.payment_id, customerOfPayment) : undefined;
        const record = normalizeRefund(refund, customerId);
        if (record) records.push(record);
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
    const body = await run.api.get<{ payment?: SquarePayment }>(`/v2/payments/${encodeURIComponent(paymentId)}`);
    customerId = body.payment?.customer_id ?? undefined;
  } catch (error) {
    if (!(error instanceof RemoteError && error.status === 404)) throw error;
  }
  known.set(paymentId, customerId);
  return customerId;
}
