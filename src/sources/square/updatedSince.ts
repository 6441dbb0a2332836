/**
 * The loop ListPayments and ListPaymentRefunds share: pages sorted by `updated_at` ascending, from the
 * bookmark (less an overlap, more with a lookback) to the run's safe end, the bookmark moving after
 * every stored page; after an expired cursor the query starts again from the last checkpoint.
 */
import type { z } from 'zod';
import type { OrderRecord } from '../../core/model.js';
import { formatSquareTime, parseSquareTime } from './squareTime.js';
import type { SquareRun } from './squareRun.js';

/**
 * Re-read this much before a bookmark: records sharing its updated_at may straddle a page break, and
 * Square does not say whether a range's ends are inclusive.
 */
export const OVERLAP_MS = 1000;
/** Square's first year: `begin_time` defaults to a year ago, so backfills must send an explicit one. */
export const SQUARE_EPOCH = Date.parse('2009-01-01T00:00:00Z');

export function historyStart(run: SquareRun): number {
  return run.settings.historyStart === undefined ? SQUARE_EPOCH : Date.parse(run.settings.historyStart);
}

export interface UpdatedSinceStream<S extends z.ZodType<{ updated_at?: string }>> {
  /** State and progress name: `payments` or `refunds` (also the list's key). */
  stream: 'payments' | 'refunds';
  /** Each record's wire schema. */
  schema: S;
  path: string;
  /** Query parameters besides the time window and sort (e.g. `location_id`). */
  query?: Record<string, string>;
  bookmark: { through: number } | undefined;
  setBookmark(bookmark: { through: number }): void;
  /** Turns a page into the records to store (and does whatever else a page needs). */
  normalize(page: z.output<S>[]): Promise<OrderRecord[]>;
  /** After the page's records are stored, before the bookmark is saved. */
  afterAppend?(records: OrderRecord[]): Promise<void>;
}

export async function fetchUpdatedSince<S extends z.ZodType<{ updated_at?: string }>>(run: SquareRun, s: UpdatedSinceStream<S>): Promise<void> {
  const end = run.safeEnd;
  const from = s.bookmark === undefined ? undefined : run.withLookback(s.bookmark.through - OVERLAP_MS);
  if (from !== undefined && from >= end) return;
  let through = s.bookmark?.through ?? -Infinity;
  let resumeAt = from;
  const pages = run.api.pages(s.stream, s.stream, s.schema, () => ({
    method: 'GET',
    path: s.path,
    query: {
      ...s.query,
      begin_time: formatSquareTime(historyStart(run)),
      updated_at_begin_time: resumeAt === undefined ? undefined : formatSquareTime(resumeAt),
      updated_at_end_time: formatSquareTime(end),
      sort_field: 'UPDATED_AT',
      sort_order: 'ASC',
      limit: run.settings.pageSize,
    },
  }));
  for await (const page of pages) {
    const records = await s.normalize(page);
    await run.append(s.stream, 'orders', records);
    await s.afterAppend?.(records);
    for (const item of page) through = Math.max(through, parseSquareTime(item.updated_at) ?? -Infinity);
    if (through > -Infinity) {
      s.setBookmark({ through });
      resumeAt = Math.max(resumeAt ?? -Infinity, through - OVERLAP_MS);
    }
    await run.checkpoint(s.stream, records.length);
  }
  s.setBookmark({ through: end });
  await run.checkpoint(s.stream, 0);
}
