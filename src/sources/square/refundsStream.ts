/**
 * Refunds of every location (ListPaymentRefunds, unlike ListPayments, covers all of them by default),
 * by `updated_at` ascending so a refund is seen again when it completes. A refund names no customer:
 * it takes its payment's.
 */
import { RemoteError } from '../../io/errors.js';
import type { OrderRecord } from '../../core/model.js';
import { normalizeRefund } from './normalize.js';
import { OVERLAP_MS, historyStart } from './paymentsStream.js';
import { formatSquareTime, parseSquareTime } from './squareTime.js';
import type { SquareRun } from './squareRun.js';
import type { SquarePayment, SquareRefund } from './squareTypes.js';

export async function fetchRefunds(run: SquareRun, customerOfPayment: Map<string, string | undefined>): Promise<void> {
  const end = run.safeEnd;
  const bookmark = run.state.refunds;
  const from = bookmark === undefined ? undefined : run.withLookback(bookmark.through - OVERLAP_MS);
  if (from !== undefined && from >= end) return;
  let through = bookmark?.through ?? -Infinity;
  let resumeAt = from;
  const pages = run.api.pages<SquareRefund>('refunds', () => ({
    method: 'GET',
    path: '/v2/refunds',
    query: {
      begin_time: formatSquareTime(historyStart(run)),
      updated_at_begin_time: resumeAt === undefined ? undefined : formatSquareTime(resumeAt),
      updated_at_end_time: formatSquareTime(end),
      sort_field: 'UPDATED_AT',
      sort_order: 'ASC',
      limit: run.settings.pageSize,
    },
  }));
  for await (const page of pages) {
    const records: OrderRecord[] = [];
    for (const refund of page) {
      const customerId = refund.payment_id ? await paymentCustomer(run, refund.payment_id, customerOfPayment) : undefined;
      const record = normalizeRefund(refund, customerId);
      if (record) records.push(record);
    }
    await run.append('refunds', 'orders', records);
    for (const r of page) through = Math.max(through, parseSquareTime(r.updated_at) ?? -Infinity);
    if (through > -Infinity) {
      run.state.refunds = { through };
      resumeAt = Math.max(resumeAt ?? -Infinity, through - OVERLAP_MS);
    }
    await run.checkpoint('refunds', records.length);
  }
  run.state.refunds = { through: end };
  await run.checkpoint('refunds', 0);
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
