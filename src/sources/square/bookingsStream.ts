/**
 * Bookings per location in start_at windows of at most 31 days (Square has no updated-since filter
 * for bookings). The first pass reaches back to the oldest activity; every pass re-reads the recent
 * past and the future, so cancellations and no-shows recorded after a booking was first seen arrive.
 */
import { resolveUnknownCustomers } from './customerResolver.js';
import { normalizeBooking } from './normalize.js';
import { historyStart } from './updatedSince.js';
import { resolveServiceNames } from './serviceNames.js';
import { formatSquareTime } from './squareTime.js';
import { DAY_MS } from '../../core/localTime.js';
import type { SquareRun } from './squareRun.js';
import { squareBooking, type SquareLocation } from './wire.js';
import { timeWindows } from './timeWindows.js';

export async function fetchBookings(run: SquareRun, locations: SquareLocation[]): Promise<void> {
  const s = run.settings;
  const rescanFrom = run.startedAt - s.bookingsRescanPastDays * DAY_MS;
  const futureEnd = run.startedAt + s.bookingsFutureDays * DAY_MS;
  for (const location of locations) {
    const current = run.state.bookings[location.id] ?? {};
    let pass = current.pass;
    if (!pass) {
      const from = run.withLookback(Math.min(current.settledThrough ?? backfillStart(run, rescanFrom), rescanFrom));
      pass = { from, next: from, startedAt: run.startedAt };
    }
    for (const [start, stop] of timeWindows(pass.next, futureEnd, s.bookingWindowDays * DAY_MS)) {
      const pages = run.api.pages('bookings', 'bookings', squareBooking, () => ({
        method: 'GET',
        path: '/v2/bookings',
        query: {
          location_id: location.id,
          start_at_min: formatSquareTime(start),
          start_at_max: formatSquareTime(stop),
          limit: s.pageSize,
        },
      }));
      let count = 0;
      for await (const page of pages) {
        const records = page.map(normalizeBooking);
        await run.append('bookings', 'bookings', records);
        await resolveUnknownCustomers(run, records.map((r) => r.customerId));
        await resolveServiceNames(run, records.map((r) => r.serviceId));
        count += records.length;
      }
      pass = { ...pass, next: stop };
      run.state.bookings[location.id] = { ...current, pass };
      await run.checkpoint('bookings', count);
    }
    // Everything before the rescan window, as of when this pass started, can no longer change.
    run.state.bookings[location.id] = { settledThrough: pass.startedAt - s.bookingsRescanPastDays * DAY_MS };
    await run.checkpoint('bookings', 0);
  }
}

/** From the configured history start, else a month before the oldest customer or payment seen. */
function backfillStart(run: SquareRun, rescanFrom: number): number {
  if (run.settings.historyStart !== undefined) return historyStart(run);
  if (run.state.earliest === undefined) return rescanFrom;
  const day = Math.floor(run.state.earliest / DAY_MS) * DAY_MS;
  return Math.max(historyStart(run), day - 31 * DAY_MS);
}
