/**
 * Payments per location (without `location_id` Square lists only the main one), by `updated_at` in
 * ascending order, so a late customer id, a capture or a refund brings an old payment back. Sorted
 * pages let the bookmark move after every page.
 */
import { forEachConcurrently } from '../../io/concurrently.js';
import { resolveUnknownCustomers } from './customerResolver.js';
import { normalizePayment } from './normalize.js';
import type { SquareRun } from './squareRun.js';
import { fetchUpdatedSince } from './updatedSince.js';
import { SQUARE_STREAMS } from './source.js';
import type { SquareLocation } from './wire.js';

export async function fetchPayments(run: SquareRun, locations: SquareLocation[], customerOfPayment: Map<string, string | undefined>): Promise<void> {
  // Locations at once (`locationConcurrency`): each has its own bookmark, and the state saved after a
  // page holds only bookmarks whose pages are stored.
  await forEachConcurrently(locations, run.settings.locationConcurrency, async (location) => {
    await fetchUpdatedSince(run, {
      declaration: SQUARE_STREAMS.payments,
      path: '/v2/payments',
      query: { location_id: location.id },
      bookmark: run.state.payments[location.id],
      setBookmark: (bookmark) => (run.state.payments[location.id] = bookmark),
      normalize: async (page) => page.map(normalizePayment),
      afterAppend: async (records) => {
        await resolveUnknownCustomers(run, records.map((r) => r.customerId));
        for (const r of records) {
          customerOfPayment.set(r.id, r.customerId);
          run.state.earliest = Math.min(run.state.earliest ?? Infinity, r.orderedAt);
        }
      },
    });
  });
}
