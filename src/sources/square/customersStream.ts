/**
 * Customers by `updated_at` windows (SearchCustomers; it cannot sort by updated_at, so a window's
 * bookmark moves only once the whole window is stored), through the sync loop (src/sources/syncLoop.ts). Windows end a safety margin before now:
 * search shows new and changed profiles only after a lag.
 */
import { normalizeCustomer } from './normalize.js';
import { formatSquareTime, parseSquareTime } from './squareTime.js';
import { DAY_MS } from '../../core/localTime.js';
import type { SquareRun } from './squareRun.js';
import { SQUARE_STREAMS } from './source.js';
import { squareCustomer } from './wire.js';
import { syncStream } from '../syncLoop.js';
import { timeWindows } from './timeWindows.js';
import { OVERLAP_MS } from './updatedSince.js';

export async function fetchCustomers(run: SquareRun): Promise<void> {
  const end = run.safeEnd;
  let from: number;
  if (run.state.customers === undefined) {
    const first = await oldestCustomer(run);
    if (first === undefined) {
      run.state.customers = { through: end, reconciledAt: run.startedAt };
      await run.checkpoint('customers', 0);
      return;
    }
    run.state.earliest = Math.min(run.state.earliest ?? Infinity, first);
    from = first;
    // A backfill lists everyone, which is what a reconciliation would do.
    run.state.customers = { through: first, reconciledAt: run.startedAt };
  } else {
    from = run.state.customers.through - OVERLAP_MS;
  }
  from = run.withLookback(from);

  const bookmark = run.state.customers;
  await syncStream(
    {
      declaration: SQUARE_STREAMS.customers,
      async *pages() {
        for (const [start, stop] of timeWindows(from, end, run.settings.customerWindowDays * DAY_MS)) {
          const pages = run.api.rawPages('customers', 'customers', () => ({
            method: 'POST',
            path: '/v2/customers/search',
            body: {
              limit: run.settings.pageSize,
              query: {
                filter: { updated_at: { start_at: formatSquareTime(start), end_at: formatSquareTime(stop) } },
                sort: { field: 'CREATED_AT', order: 'ASC' },
              },
            },
          }));
          for await (const records of pages) {
            yield { records };
            run.log.debug(`square customers: ${records.length} updated in ${formatSquareTime(start)} .. ${formatSquareTime(stop)}`);
          }
          // Not sorted by updated_at: the window is bookmarked once all of it is stored.
          yield { records: [], advance: () => (bookmark.through = Math.max(bookmark.through, stop)) };
        }
      },
      normalize: (page) => page.map(normalizeCustomer),
      store: (records) => run.appendRecords('customers', records),
    },
    run.syncRun('customers'),
  );
}

/** Creation time of the oldest listed profile: nothing was updated before it. */
async function oldestCustomer(run: SquareRun): Promise<number | undefined> {
  const pages = run.api.pages('customers', 'customers', squareCustomer, () => ({
    method: 'POST',
    path: '/v2/customers/search',
    body: { limit: 1, query: { sort: { field: 'CREATED_AT', order: 'ASC' } } },
  }));
  for await (const page of pages) {
    const first = page[0];
    return first ? parseSquareTime(first.created_at) : undefined;
  }
  return undefined;
}
