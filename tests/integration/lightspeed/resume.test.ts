/** A fetch killed anywhere and run again leaves the same store as one that was never interrupted. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetworkError } from '../../../src/io/errors.js';
import { Store } from '../../../src/io/store.js';
import { Random } from '../../../src/sandbox/random.js';
import { startLightspeedSandbox, type LightspeedSandbox } from '../../../src/sandbox/lightspeed/index.js';
import { cursors, fetchFrom, NOW, removeTempDirs, storeContents, tempDir, type StateFile } from './helpers.js';

const DATA = { customers: 300, salesPerDay: 20, historyDays: 60, now: NOW, seed: 5, rateLimit: { enabled: false } };
const settings = { pageSize: 50 };

/** A store whose process dies in the `crashAt`-th state write: after a page was appended, before its cursor was saved. */
class CrashingStore extends Store {
  private writes = 0;
  constructor(
    dir: string,
    private readonly crashAt: number,
  ) {
    super(dir);
  }
  override async writeState(source: 'lightspeed', state: unknown): Promise<void> {
    if (++this.writes === this.crashAt) throw new Error('killed');
    return super.writeState(source, state);
  }
}

describe('resuming an interrupted fetch', () => {
  let sandbox: LightspeedSandbox;
  let reference: Awaited<ReturnType<typeof storeContents>>;
  let referenceCursors: Record<string, number>;

  beforeAll(async () => {
    sandbox = await startLightspeedSandbox(DATA);
    const store = new Store(await tempDir());
    await fetchFrom(sandbox, store, { settings });
    reference = await storeContents(store);
    referenceCursors = cursors(await store.readState<StateFile>('lightspeed'));
  });
  afterAll(async () => {
    await sandbox.close();
    await removeTempDirs();
  });

  it('stopped at random pages (an exception from progress) and rerun until done', async () => {
    const random = new Random(42);
    for (let trial = 0; trial < 3; trial++) {
      const dir = await tempDir();
      let runs = 0;
      for (let done = false; !done; ) {
        runs++;
        expect(runs).toBeLessThan(100);
        let pages = 0;
        const stopAt = random.int(1, 12);
        try {
          await fetchFrom(sandbox, new Store(dir), {
            settings,
            progress: () => {
              if (++pages === stopAt) throw new Error('killed');
            },
          });
          done = true;
        } catch (error) {
          if ((error as Error).message !== 'killed') throw error;
        }
      }
      expect(runs).toBeGreaterThan(2);
      expect(await storeContents(new Store(dir))).toEqual(reference);
      expect(cursors(await new Store(dir).readState<StateFile>('lightspeed'))).toEqual(referenceCursors);
    }
  });

  it('killed between storing a page and saving its cursor: the page is read again, nothing lost or doubled', async () => {
    const dir = await tempDir();
    // Each run resumes where the last one crashed, so the crash points add up (about 34 pages in all).
    for (const crashAt of [1, 3, 5, 8, 11]) {
      await expect(fetchFrom(sandbox, new CrashingStore(dir, crashAt), { settings })).rejects.toThrow('killed');
    }
    await fetchFrom(sandbox, new Store(dir), { settings });
    expect(await storeContents(new Store(dir))).toEqual(reference);
  });

  it('killed by the network in the middle of sales: resumes from the last saved page', async () => {
    const dir = await tempDir();
    let salesStored = 0;
    await expect(
      fetchFrom(sandbox, new Store(dir), {
        settings: { ...settings, maxRetries: 2 },
        progress: ({ stream, records }) => {
          if (stream !== 'sales') return;
          salesStored += records;
          if (salesStored === 150) {
            sandbox.control.addFault({ kind: 'reset', count: 3, path: '/api/2.0/sales' });
          }
        },
      }),
    ).rejects.toThrow(NetworkError);

    // GET /sales lists no discarded (deleted) parked sales.
    const salesTotal = sandbox.control.records('sales').filter((s) => !s.deleted_at).length;
    const rerun = await fetchFrom(sandbox, new Store(dir), { settings });
    // the retailer (the store check) and four finished streams cost one request each; sales go on after its third page of 50
    expect(rerun.requests).toBe(5 + (Math.ceil(salesTotal / 50) - 3) + 1);
    expect(rerun.streams.sales.added).toBe(salesTotal - 150);
    expect(await storeContents(new Store(dir))).toEqual(reference);
  });
});
