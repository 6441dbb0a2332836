/**
 * The loop ListPayments and ListPaymentRefunds share: pages sorted by `updated_at` ascending, from the
 * bookmark (less an overlap, more with a lookback) to the run's safe end, the bookmark moving after
 * every stored page (the sync loop, src/sources/syncLoop.ts); after an expired cursor the query starts
 * again from the last checkpoint.
 */
import type { z } from 'zod';
import type { OrderRecord } from '../../core/model.js';
import { formatSquareTime, parseSquareTime } from './squareTime.js';
import type { SquareRun } from './squareRun.js';
import type { StreamDeclaration } from '../sourceDefinition.js';
import { syncStream } from '../syncLoop.js';

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
  /** State and progress name: `payments` or `refunds` (also the list's key); its wire schema. */
  declaration: StreamDeclaration<z.output<S>> & { name: 'payments' | 'refunds'; wire: S };
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

/** Runs one such stream through the sync loop: a bookmark after every page, then the window's end. */
export async function fetchUpdatedSince<S extends z.ZodType<{ updated_at?: string }>>(run: SquareRun, s: UpdatedSinceStream<S>): Promise<void> {
  const end = run.safeEnd;
  const from = s.bookmark === undefined ? undefined : run.withLookback(s.bookmark.through - OVERLAP_MS);
  if (from !== undefined && from >= end) return;
  const stream = s.declaration.name;
  let through = s.bookmark?.through ?? -Infinity;
  let resumeAt = from;
  const pages = run.api.rawPages(stream, stream, () => ({
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
  const advance = (page: readonly { updated_at?: string }[]) => {
    for (const item of page) through = Math.max(through, parseSquareTime(item.updated_at) ?? -Infinity);
    if (through > -Infinity) {
      s.setBookmark({ through });
      resumeAt = Math.max(resumeAt ?? -Infinity, through - OVERLAP_MS);
    }
  };
  await syncStream(
    {
      declaration: s.declaration,
      async *pages() {
        for await (const records of pages) yield { records, advance };
        // Every page up to the run's safe end is stored: the bookmark is that end.
        yield { records: [], advance: () => s.setBookmark({ through: end }) };
      },
      normalize: s.normalize,
      store: (records) => run.appendRecords('orders', records),
      afterStore: s.afterAppend,
    },
    run.syncRun(stream),
  );
}
