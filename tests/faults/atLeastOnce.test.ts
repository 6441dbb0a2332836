/**
 * At least once, in the fetchers themselves: a fetch that dies while a page is being stored (before its
 * records reach the log) must not have saved a bookmark past that page, so the next fetch reads it
 * again. Kills at the state write and after progress are covered by the integration tests; this is the
 * other side of the same ordering (a bookmark saved before its page would pass those and lose the page).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceName, TableName, TableRecord } from '../../src/core/model.js';
import { Store } from '../../src/io/store.js';
import { startLightspeedSandbox, type LightspeedSandbox } from '../../src/sandbox/lightspeed/index.js';
import { startSquareSandbox, type SquareSandbox } from '../../src/sandbox/square/index.js';
import * as lightspeed from '../integration/lightspeed/helpers.js';
import * as square from '../integration/square/helpers.js';

class Killed extends Error {}

/** A store whose process dies inside its `dieAt`-th append, before anything reaches the log. */
class DyingStore extends Store {
  private appends = 0;
  constructor(
    dir: string,
    private readonly dieAt: number,
  ) {
    super(dir);
  }
  override async append<T extends TableName>(source: SourceName, table: T, records: readonly TableRecord[T][]) {
    if (records.length > 0 && ++this.appends === this.dieAt) throw new Killed(`killed storing append ${this.dieAt}`);
    return super.append(source, table, records);
  }
}

afterAll(async () => {
  await lightspeed.removeTempDirs();
  await square.removeTempStores();
});

describe('Lightspeed: killed while storing a page', () => {
  let sandbox: LightspeedSandbox;
  let reference: Awaited<ReturnType<typeof lightspeed.storeContents>>;
  const settings = { pageSize: 50 };

  beforeAll(async () => {
    sandbox = await startLightspeedSandbox({ customers: 200, salesPerDay: 15, historyDays: 40, now: lightspeed.NOW, seed: 71, rateLimit: { enabled: false } });
    const store = new Store(await lightspeed.tempDir());
    await lightspeed.fetchFrom(sandbox, store, { settings });
    reference = await lightspeed.storeContents(store);
  });
  afterAll(() => sandbox.close());

  it('is read again by the next fetch: the store ends as an uninterrupted one', async () => {
    for (const dieAt of [1, 2, 5, 9]) {
      const dir = await lightspeed.tempDir();
      await expect(lightspeed.fetchFrom(sandbox, new DyingStore(dir, dieAt), { settings })).rejects.toBeInstanceOf(Killed);
      await lightspeed.fetchFrom(sandbox, new Store(dir), { settings });
      expect(await lightspeed.storeContents(new Store(dir)), `killed in append ${dieAt}`).toEqual(reference);
    }
  });
});

describe('Square: killed while storing a page', () => {
  let sandbox: SquareSandbox;
  let reference: Awaited<ReturnType<typeof square.storeContents>>;

  beforeAll(async () => {
    sandbox = await startSquareSandbox({ now: square.NOW, maxPageSize: 20, customers: 100, historyDays: 40, seed: 72 });
    const store = await square.tempStore();
    await square.fetchFrom(sandbox, store);
    reference = await square.storeContents(store);
  });
  afterAll(() => sandbox.close());

  it('is read again by the next fetch: the store ends as an uninterrupted one', async () => {
    for (const dieAt of [1, 3, 8, 15, 30]) {
      const dir = (await square.tempStore()).cacheDir;
      await expect(square.fetchFrom(sandbox, new DyingStore(dir, dieAt))).rejects.toBeInstanceOf(Killed);
      await square.fetchFrom(sandbox, new Store(dir));
      expect(await square.storeContents(new Store(dir)), `killed in append ${dieAt}`).toEqual(reference);
    }
  });
});
