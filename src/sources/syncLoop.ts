/**
 * The one loop every paged stream of an API source runs: read a page from the stream's bookmark, check
 * it against the stream's wire schema, normalize, store (append to the log, fsynced, or put dimensions),
 * then move the bookmark and save the sync state, then report progress. The order is the guarantee
 * (docs/guarantees.md, "at least once"): a bookmark is saved only after the pages it covers are in the
 * store, so a run killed anywhere (`CA_TEST_CRASH_AT=append:n` fires inside the store's append,
 * `checkpoint:n` after the state is written) re-reads at most what it had not bookmarked, which the
 * store's newest-version-wins upsert makes harmless.
 *
 * What differs between streams is declared, not looped again:
 * - `pages()` reads from the bookmark: Lightspeed's version cursor, Square's `updated_at` (sorted pages),
 *   or windows (Square's customers by `updated_at`, bookings by `start_at` per location). A page that
 *   moves the bookmark carries `advance`; a page without it is stored and its bookmark waits (a window
 *   is bookmarked whole, by a closing empty page the reader yields at its end).
 * - `normalize` and `store` per stream (Lightspeed's walk-ins dropped, registers kept in the state only).
 * - `afterStore`, a hook between storing a page and moving its bookmark: Square resolves the customers
 *   (and services) a page of payments or bookings names that the store does not know yet, so their
 *   lookups are covered by the same bookmark.
 * Per-location bookmarks (Square's payments and bookings) are one stream run per location, concurrently:
 * each `advance` sets only its location's bookmark in the shared state, so the state saved after a page
 * holds only bookmarks whose pages are stored.
 *
 * Streams read whole on every run (Square's locations, team and services, the retailer) and Square's
 * reconciliation of deleted customers keep no bookmark and do not run through here.
 */
import type { StreamCounts } from './fetchTypes.js';
import type { StreamDeclaration } from './sourceDefinition.js';
import type { WireCheck } from './wireCheck.js';

/** Adds `stored` to `counts`. */
export function addCounts(counts: StreamCounts, stored: StreamCounts): void {
  counts.added += stored.added;
  counts.updated += stored.updated;
  counts.deleted += stored.deleted;
}

/** One page as read: the records as sent (none: nothing to store), and, when storing it moves the bookmark, how. */
export interface SyncPage<Wire> {
  records: readonly unknown[];
  /** Sets the stream's bookmark in the sync state past this page, given its checked records. */
  advance?: (checked: Wire[]) => void;
}

/** A stream's declaration with what one run of it does. */
export interface SyncStream<Wire, Record> {
  declaration: StreamDeclaration<Wire>;
  /** The pages from the bookmark on; the next is read only once the previous one is stored and bookmarked. */
  pages(): AsyncIterable<SyncPage<Wire>>;
  normalize(checked: Wire[]): Record[] | Promise<Record[]>;
  /** Stores a page's records (append, put dimensions, or the sync state only) and says what it stored. */
  store(records: Record[]): Promise<StreamCounts>;
  /** After the page is stored, before its bookmark moves (see above). */
  afterStore?(records: Record[]): Promise<void>;
}

/** What the loop needs of the run: the wire check, where counts go, how the state is saved, progress. */
export interface SyncRun {
  check: WireCheck;
  /** Adds what a page stored (`records` normalized records) to the stream's counts in the fetch summary. */
  tally(stored: StreamCounts, records: number): void;
  saveState(): Promise<void>;
  /** Records read since the last saved bookmark, reported once it is saved. */
  progress?: (event: { stream: string; records: number }) => void;
}

export async function syncStream<Wire, Record>(stream: SyncStream<Wire, Record>, run: SyncRun): Promise<void> {
  const { name, wire } = stream.declaration;
  let unreported = 0;
  for await (const page of stream.pages()) {
    // A page with too many records off their shape stops the fetch here: nothing of it is stored.
    const checked = run.check.page(name, wire, page.records);
    if (page.records.length > 0) {
      const records = await stream.normalize(checked);
      run.tally(await stream.store(records), records.length);
      await stream.afterStore?.(records);
      unreported += page.records.length;
    }
    if (!page.advance) continue;
    // Only now, with the page in the store: a run killed before this line reads the page again.
    page.advance(checked);
    await run.saveState();
    run.progress?.({ stream: name, records: unreported });
    unreported = 0;
  }
}
