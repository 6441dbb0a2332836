/**
 * Payments per location (without `location_id` Square lists only the main one), by `updated_at` in
 * ascending order, so a late customer id, a capture or a refund brings an old payment back. Sorted
 * pages let the bookmark move after every page.
 */
import type { OrderRecord } from '../../core/model.js';
import { resolveUnknownCustomers } from './customerResolver.js';
import { normalizePayment } from './normalize.js';
import { formatSquareTime, parseSquareTime } from './squareTime.js';
import type { SquareRun } from './squareRun.js';
import type { SquareLocation, SquarePayment } from './squareTypes.js';

/** Re-read this much before the bookmark: payments sharing its updated_at may straddle a page break. */
export const OVERLAP_MS = 1000;
/** Square's first year: `begin_time` defaults to a year ago, so backfills must send an explicit one. */
export const SQUARE_EPOCH = Date.parse('2009-01-01T00:00:00Z');

export async function fetchPayments(run: SquareRun, locations: SquareLocation[], customerOfPayment: Map<string, string | undefined>): Promise<void> {
  const end = run.safeEnd;
  const begin = formatSquareTime(historyStart(run));
  for (const location of locations) {
    const bookmark = run.state.payments[location.id];
    const from = bookmark === undefined ? undefined : run.withLookback(bookmark.through - OVERLAP_MS);
    if (from !== undefined && from >= end) continue;
    let through = bookmark?.through ?? -Infinity;
    // After an expired cursor the query starts again from the last checkpoint, not from the first page.
    let resumeAt = from;
    const pages = run.api.pages<SquarePayment>('payments', () => ({
      method: 'GET',
      path: '/v2/payments',
      query: {
        location_id: location.id,
        begin_time: begin,
        updated_at_begin_time: resumeAt === undefined ? undefined : formatSquareTime(resumeAt),
        updated_at_end_time: formatSquareTime(end),
        sort_field: 'UPDATED_AT',
        sort_order: 'ASC',
        limit: run.settings.pageSize,
      },
    }));
    for await (const page of pages) {
      const records = page.map(normalizePayment).filter((r): r is OrderRecord => r !== undefined);
      await run.append('payments', 'orders', records);
      await resolveUnknownCustomers(run, records.map((r) => r.customerId));
      for (const r of records) {
        customerOfPayment.set(r.id, r.customerId);
        run.state.earliest = Math.min(run.state.earliest ?? Infinity, r.orderedAt);
      }
      for (const p of page) through = Math.max(through, parseSquareTime(p.updated_at) ?? -Infinity);
      if (through > -Infinity) {
        run.state.payments[location.id] = { through };
        resumeAt = Math.max(resumeAt ?? -Infinity, through - OVERLAP_MS);
      }
      await run.checkpoint('payments', records.length);
    }
    run.state.payments[location.id] = { through: end };
    await run.checkpoint('payments', 0);
  }
}

export function historyStart(run: SquareRun): number {
  return run.settings.historyStart === undefined ? SQUARE_EPOCH : Date.parse(run.settings.historyStart);
}
