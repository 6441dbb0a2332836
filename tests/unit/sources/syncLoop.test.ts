/**
 * The sync loop's order, on a fake source's stream: a page is checked, stored, and only then is its
 * bookmark moved and saved; a store that fails part-way leaves the bookmark on the last stored page, and
 * a second run from there stores the rest: nothing lost, nothing bookmarked that is not stored.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { StreamCounts } from '../../../src/sources/fetchTypes.js';
import type { StreamDeclaration } from '../../../src/sources/sourceDefinition.js';
import { syncStream, type SyncPage, type SyncStream } from '../../../src/sources/syncLoop.js';
import { WireCheck } from '../../../src/sources/wireCheck.js';

const wireItem = z.object({ id: z.string(), version: z.number().int() });
type WireItem = z.output<typeof wireItem>;

/** The fake source's one stream: items by a version cursor, into a table of its own. */
const ITEMS: StreamDeclaration<WireItem> = { name: 'items', target: 'orders', key: 'id', cursor: 'version', wire: wireItem };

/** The fake vendor: 10 items, versions 1..10, 3 a page. */
const VENDOR: WireItem[] = Array.from({ length: 10 }, (_, i) => ({ id: `i${i + 1}`, version: i + 1 }));

/** A store that keeps what it appended and the saved state, and fails on the append after `failAfter`. */
class FakeStore {
  readonly rows = new Map<string, number>();
  readonly events: string[] = [];
  saved: { cursor: number } = { cursor: 0 };
  private appends = 0;

  constructor(private readonly failAfter = Infinity) {}

  async append(records: { id: string; version: number }[]): Promise<StreamCounts> {
    if (this.appends++ >= this.failAfter) throw new Error('disk full');
    let added = 0;
    for (const r of records) {
      if (!this.rows.has(r.id)) added++;
      this.rows.set(r.id, Math.max(this.rows.get(r.id) ?? 0, r.version));
    }
    this.events.push(`append ${records.map((r) => r.id).join(',')}`);
    return { added, updated: records.length - added, deleted: 0 };
  }
}

/** One run of the stream from the saved cursor; `vendor` as the API serves it. */
async function run(store: FakeStore, vendor: unknown[] = VENDOR, maxShare = 0.5) {
  const state = { cursor: store.saved.cursor };
  const tally: StreamCounts = { added: 0, updated: 0, deleted: 0 };
  const progress: number[] = [];
  const check = new WireCheck('lightspeed', maxShare, 'fake API 1');
  const stream: SyncStream<WireItem, { id: string; version: number }> = {
    declaration: ITEMS,
    async *pages(): AsyncGenerator<SyncPage<WireItem>> {
      for (;;) {
        const after = state.cursor;
        const page = vendor.filter((v) => (v as WireItem).version > after).slice(0, 3);
        if (page.length === 0) return;
        const maxVersion = Math.max(...page.map((v) => (v as WireItem).version));
        yield { records: page, advance: () => (state.cursor = maxVersion) };
      }
    },
    normalize: (checked) => checked.map((item) => ({ id: item.id, version: item.version })),
    store: (records) => store.append(records),
  };
  const outcome = await syncStream(stream, {
    check,
    tally: (stored) => {
      tally.added += stored.added;
      tally.updated += stored.updated;
    },
    saveState: async () => {
      store.saved = { ...state };
      store.events.push(`save ${state.cursor}`);
    },
    progress: (event) => progress.push(event.records),
  }).then(
    () => 'done',
    (error: Error) => error.message,
  );
  return { outcome, tally, progress, rejects: check.rejects };
}

describe('syncStream', () => {
  it('stores each page before it saves the bookmark that covers it, then reports progress', async () => {
    const store = new FakeStore();
    const result = await run(store);
    expect(result.outcome).toBe('done');
    expect(store.events).toEqual([
      'append i1,i2,i3', 'save 3',
      'append i4,i5,i6', 'save 6',
      'append i7,i8,i9', 'save 9',
      'append i10', 'save 10',
    ]);
    expect(result.tally).toEqual({ added: 10, updated: 0, deleted: 0 });
    expect(result.progress).toEqual([3, 3, 3, 1]);
  });

  it.each([0, 1, 2, 3])('a store failing after %i appends leaves the bookmark on the last stored page; a rerun loses nothing', async (failAfter) => {
    const store = new FakeStore(failAfter);
    const first = await run(store);
    expect(first.outcome).toBe('disk full');
    // Everything the bookmark covers is stored.
    for (const item of VENDOR.filter((v) => v.version <= store.saved.cursor)) expect(store.rows.get(item.id)).toBe(item.version);
    expect(store.saved.cursor).toBe(Math.min(failAfter * 3, 10));

    const again = new FakeStore();
    for (const [id, version] of store.rows) again.rows.set(id, version);
    again.saved = store.saved;
    expect((await run(again)).outcome).toBe('done');
    expect([...again.rows.keys()].sort()).toEqual(VENDOR.map((v) => v.id).sort());
    expect(again.saved.cursor).toBe(10);
  });

  it('sets a record off its wire schema aside; a page mostly off its shape stops before anything of it is stored', async () => {
    const drifting = VENDOR.map((v) => (v.version === 2 ? { id: 'i2', version: 2.5 } : v));
    const store = new FakeStore();
    const result = await run(store, drifting);
    expect(result.outcome).toBe('done');
    expect(result.rejects.map((r) => r.id)).toEqual(['i2']);
    expect(store.rows.has('i2')).toBe(false);

    const broken = VENDOR.map((v) => (v.version >= 4 && v.version <= 6 ? { id: v.id, version: v.version + 0.5 } : v));
    const stopped = new FakeStore();
    const failed = await run(stopped, broken);
    expect(failed.outcome).toMatch(/shape/);
    expect(stopped.events).toEqual(['append i1,i2,i3', 'save 3']);
  });
});
