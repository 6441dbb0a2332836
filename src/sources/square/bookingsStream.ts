/**
 * Bookings per location in start_at windows of at most 31 days (Square has no updated-since filter
 * for bookings). The first pass reaches back to the oldest activity; every pass re-reads the recent
 * past and the future, so cancellations and no-shows recorded after a booking was first seen arrive.
 * Each location's windows run through the sync loop (src/sources/syncLoop.ts), bookmarked per window.
 */
import { forEachConcurrently } from '../../io/concurrently.js';
import { resolveUnknownCustomers } from './customerResolver.js';
import { normalizeBooking } from './normalize.js';
import { historyStart } from './updatedSince.js';
import { resolveServiceNames } from './serviceNames.js';
import { formatSquareTime } from './squareTime.js';
import { DAY_MS } from '../../core/localTime.js';
import type { SquareRun } from './squareRun.js';
import { SQUARE_STREAMS } from './source.js';
import type { SquareLocation } from './wire.js';
import { syncStream } from '../syncLoop.js';
import { timeWindows } from './timeWindows.js';

export async function fetchBookings(run: SquareRun, locations: SquareLocation[]): Promise<void> {
  const s = run.settings;
  const rescanFrom = run.startedAt - s.bookingsRescanPastDays * DAY_MS;
  const futureEnd = run.startedAt + s.bookingsFutureDays * DAY_MS;
  // Locations at once (`locationConcurrency`), each in its own windows with its own pass in the state.
  await forEachConcurrently(locations, s.locationConcurrency, async (location) => {
    const current = run.state.bookings[location.id] ?? {};
    let pass = current.pass ?? newPass(run, current.settledThrough ?? backfillStart(run, rescanFrom), rescanFrom);
    await syncStream(
      {
        declaration: SQUARE_STREAMS.bookings,
        async *pages() {
          for (const [start, stop] of timeWindows(pass.next, futureEnd, s.bookingWindowDays * DAY_MS)) {
            const pages = run.api.rawPages('bookings', 'bookings', () => ({
              method: 'GET',
              path: '/v2/bookings',
              query: {
                location_id: location.id,
                start_at_min: formatSquareTime(start),
                start_at_max: formatSquareTime(stop),
                limit: s.pageSize,
              },
            }));
            for await (const records of pages) yield { records };
            // A window is bookmarked once all of it is stored.
            yield {
              records: [],
              advance: () => {
                pass = { ...pass, next: stop };
                run.state.bookings[location.id] = { ...current, pass };
              },
            };
          }
          // Everything before the rescan window, as of when this pass started, can no longer change.
          yield { records: [], advance: () => (run.state.bookings[location.id] = { settledThrough: pass.startedAt - s.bookingsRescanPastDays * DAY_MS }) };
        },
        normalize: (page) => page.map(normalizeBooking),
        store: (records) => run.appendRecords('bookings', records),
        // The customers and services a page names, looked up before its window is bookmarked.
        afterStore: async (records) => {
          await resolveUnknownCustomers(run, records.map((r) => r.customerId));
          await resolveServiceNames(run, records.map((r) => r.serviceId));
        },
      },
      run.syncRun('bookings'),
    );
  });
}

/** A pass from `settled` (or the rescan window, if that starts earlier), reaching further back for `--days`. */
function newPass(run: SquareRun, settled: number, rescanFrom: number): { from: number; next: number; startedAt: number } {
  const from = run.withLookback(Math.min(settled, rescanFrom));
  return { from, next: from, startedAt: run.startedAt };
}

/** From the configured history start, else a month before the oldest customer or payment seen. */
function backfillStart(run: SquareRun, rescanFrom: number): number {
  if (run.settings.historyStart !== undefined) return historyStart(run);
  if (run.state.earliest === undefined) return rescanFrom;
  const day = Math.floor(run.state.earliest / DAY_MS) * DAY_MS;
  return Math.max(historyStart(run), day - 31 * DAY_MS);
}
