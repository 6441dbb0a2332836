import fs from 'node:fs';
import { appendFile, mkdir, mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { StringIndex } from '../../../src/core/stringIndex.js';
import { recordsToColumns, writeColumns, type DictColumn } from '../../../src/io/columnar.js';
import { Store } from '../../../src/io/store.js';
import { TABLE_SPECS } from '../../../src/io/tableSpecs.js';
import type { OrderRecord } from '../../../src/core/model.js';

const temp = await mkdtemp(join(tmpdir(), 'ca-store-'));
afterAll(() => rm(temp, { recursive: true, force: true }));

const order = (id: string, version: number, amountMinor: number): OrderRecord => ({
  source: 'ecom',
  id,
  version,
  kind: 'sale',
  status: 'completed',
  channel: 'online',
  orderedAt: 0,
  amountMinor,
  currency: 'USD',
});
const amounts = (records: OrderRecord[]) => records.map((r) => [r.id, r.version, r.amountMinor]);

describe('Store', () => {
  test('newest version per id from a base written out of id order and a log, in id order', async () => {
    const cache = await mkdtemp(join(temp, 'cache-'));
    const store = new Store(cache);
    await mkdir(join(cache, 'ecom'));
    // A base whose rows are not sorted by id (as a hand-built or older base might be).
    const base = [order('o3', 5, 300), order('o10', 5, 1000), order('o1', 5, 100)].map(({ source: _s, ...r }) => r);
    await writeColumns(join(cache, 'ecom', 'orders.col'), TABLE_SPECS.orders, recordsToColumns(TABLE_SPECS.orders, base));
    await store.append('ecom', 'orders', [order('o2', 1, 200), order('o3', 4, 333)]);
    await store.append('ecom', 'orders', [order('o1', 5, 111), order('o2', 1, 222)]);
    // o1: the log's equal version is the later write; o2: the later of two equal log versions;
    // o3: the log's older version loses to the base. Ids compare as text: o1 < o10 < o2 < o3.
    expect(amounts(await store.readAll('ecom', 'orders'))).toEqual([
      ['o1', 5, 111],
      ['o10', 5, 1000],
      ['o2', 1, 222],
      ['o3', 5, 300],
    ]);
    await store.compact('ecom');
    // Folded into the base, the log is removed (a reader holding it reads on from its open file).
    await expect(readFile(join(cache, 'ecom', 'orders.log'), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(amounts(await store.readAll('ecom', 'orders'))).toEqual([
      ['o1', 5, 111],
      ['o10', 5, 1000],
      ['o2', 1, 222],
      ['o3', 5, 300],
    ]);
    expect((await readdir(join(cache, 'ecom'))).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  test('a base written before a column was added reads it as absent, sorted or not, and compacts with it', async () => {
    const older = TABLE_SPECS.orders.filter((spec) => spec.name !== 'purchaseId');
    for (const sorted of [false, true]) {
      const cache = await mkdtemp(join(temp, 'cache-'));
      const store = new Store(cache);
      await mkdir(join(cache, 'ecom'));
      const base = [order('a', 1, 100), order('b', 1, 200)].map(({ source: _s, ...r }) => r);
      await writeColumns(join(cache, 'ecom', 'orders.col'), older, recordsToColumns(older, base), sorted ? { uniqueSortedBy: 'id' } : {});
      await store.append('ecom', 'orders', [{ ...order('b', 2, 250), purchaseId: 'p1' }]);
      const read = async () => (await store.readAll('ecom', 'orders')).map((r) => [r.id, r.amountMinor, r.purchaseId]);
      expect(await read()).toEqual([
        ['a', 100, undefined],
        ['b', 250, 'p1'],
      ]);
      await store.compact('ecom');
      expect(await read()).toEqual([
        ['a', 100, undefined],
        ['b', 250, 'p1'],
      ]);
      const columns = await store.loadColumns('ecom', 'orders', ['purchaseId']);
      expect(columns?.rows).toBe(2);
    }
  });

  test('a torn last log line is left out and cut before the next append', async () => {
    const cache = await mkdtemp(join(temp, 'cache-'));
    const store = new Store(cache);
    await store.append('ecom', 'orders', [order('a', 1, 1)]);
    await appendFile(join(cache, 'ecom', 'orders.log'), '{"id":"b","vers');
    expect(amounts(await new Store(cache).readAll('ecom', 'orders'))).toEqual([['a', 1, 1]]);
    const again = new Store(cache);
    expect(await again.append('ecom', 'orders', [order('c', 1, 3), order('a', 2, 2)])).toEqual({ added: 1, updated: 1 });
    expect(amounts(await again.readAll('ecom', 'orders'))).toEqual([
      ['a', 2, 2],
      ['c', 1, 3],
    ]);
  });

  test('rowsOfIds numbers rows as loadColumns does: from the base on disk, and from a reader folding a log in', async () => {
    const cache = await mkdtemp(join(temp, 'cache-'));
    const writer = new Store(cache);
    await writer.append('ecom', 'orders', [order('o3', 1, 3), order('o1', 1, 1), order('é2', 1, 2)]);
    await writer.compact('ecom');
    await writer.append('ecom', 'orders', [order('o0', 1, 0)]);
    const wanted = new StringIndex();
    for (const id of ['o1', 'é2', 'o0', 'o9']) wanted.add(id);
    const rowsAsLoaded = async (store: Store) => {
      const rows = [...(await store.rowsOfIds('ecom', 'orders', wanted))];
      const { data } = (await store.loadColumns('ecom', 'orders', ['id']))!;
      const id = data.id as DictColumn;
      return rows.map((r) => (r < 0 ? undefined : id.dict[id.codes[r]]));
    };
    // A reader folds the log (o0) in memory; the base on disk has only the other three.
    expect(await rowsAsLoaded(new Store(cache, { readOnly: true }))).toEqual(['o1', 'é2', 'o0', undefined]);
    await writer.compact('ecom');
    expect(await rowsAsLoaded(new Store(cache, { readOnly: true }))).toEqual(['o1', 'é2', 'o0', undefined]);
    expect([...(await new Store(cache, { readOnly: true }).rowsOfIds('lightspeed', 'orders', wanted))]).toEqual([-1, -1, -1, -1]);
  });

  test('a reader ignores what a fetch appends while it reads: a line written partly after its look at the log is no damage', async () => {
    const cache = await mkdtemp(join(temp, 'cache-'));
    await new Store(cache).append('ecom', 'orders', [order('a', 1, 1), order('b', 1, 2)]);
    const log = join(cache, 'ecom', 'orders.log');
    // The reader looks at the log's size and last byte through a file handle, then streams the file: a
    // writer (readers take no lock) appends a whole line and part of the next right after that look.
    const probe = await open(log, 'r');
    const FileHandle = Object.getPrototypeOf(probe) as { stat(...args: unknown[]): Promise<unknown> };
    await probe.close();
    const stat = FileHandle.stat;
    let appended = false;
    FileHandle.stat = async function (this: unknown, ...args: unknown[]) {
      const seen = await stat.apply(this, args);
      if (!appended) {
        appended = true;
        await appendFile(log, `${JSON.stringify({ ...order('c', 1, 3), source: undefined })}\n{"id":"d","vers`);
      }
      return seen;
    };
    try {
      expect(amounts(await new Store(cache, { readOnly: true }).readAll('ecom', 'orders'))).toEqual([
        ['a', 1, 1],
        ['b', 1, 2],
      ]);
    } finally {
      FileHandle.stat = stat;
    }
    expect(appended).toBe(true);
  });

  test('a writer folding the log into the base while a reader reads it: the reader gets every record once, no damage', async () => {
    const cache = await mkdtemp(join(temp, 'cache-'));
    const writer = new Store(cache);
    await writer.append('ecom', 'orders', [order('a', 1, 1)]);
    await writer.compact('ecom');
    // A log of many reads' worth (the reader reads 256 KiB at a time), after a base.
    const many = Array.from({ length: 6000 }, (_, k) => order(`m${String(k).padStart(5, '0')}`, 1, k));
    await writer.append('ecom', 'orders', many);
    await writer.append('ecom', 'orders', [order('a', 2, 2)]);
    expect((await stat(join(cache, 'ecom', 'orders.log'))).size).toBeGreaterThan(600 * 1024);
    // After the reader's first read of a part of the log (through a file handle or fs.read, whichever
    // it uses), a fetch (the writer) ends: it folds the log into the base.
    const probe = await open(join(cache, 'ecom', 'orders.log'), 'r');
    const FileHandle = Object.getPrototypeOf(probe) as { read(...args: unknown[]): Promise<{ bytesRead: number }> };
    await probe.close();
    const handleRead = FileHandle.read;
    const fsRead = fs.read;
    let folded = false;
    let started = false;
    // Only the read that starts the fold waits for it (the fold's own reads go through the same hooks).
    const foldOnce = (bytesRead: number): Promise<void> | undefined => {
      if (bytesRead <= 1 || started) return undefined;
      started = true;
      return writer.compact('ecom').then(() => void (folded = true));
    };
    FileHandle.read = async function (this: unknown, ...args: unknown[]) {
      const result = await handleRead.apply(this, args);
      await foldOnce(result.bytesRead);
      return result;
    };
    (fs as { read: unknown }).read = (...args: unknown[]) => {
      const callback = args.pop() as (error: Error | null, bytesRead: number, buffer: Buffer) => void;
      (fsRead as (...a: unknown[]) => void)(...args, (error: Error | null, bytesRead: number, buffer: Buffer) => {
        const wait = error ? undefined : foldOnce(bytesRead);
        if (wait) void wait.then(() => callback(error, bytesRead, buffer), (e: Error) => callback(e, 0, buffer));
        else callback(error, bytesRead, buffer);
      });
    };
    let seen: ReturnType<typeof amounts>;
    try {
      seen = amounts(await new Store(cache, { readOnly: true }).readAll('ecom', 'orders'));
    } finally {
      FileHandle.read = handleRead;
      (fs as { read: unknown }).read = fsRead;
    }
    expect(folded).toBe(true);
    expect(seen).toEqual([['a', 2, 2], ...many.map((o) => [o.id, 1, o.amountMinor])]);
    expect(amounts(await new Store(cache, { readOnly: true }).readAll('ecom', 'orders'))).toEqual(seen);
  });

  test('a damaged line inside the log is named with its line number', async () => {
    const cache = await mkdtemp(join(temp, 'cache-'));
    await mkdir(join(cache, 'ecom'));
    await writeFile(join(cache, 'ecom', 'orders.log'), '{"id":"a","version":1}\nnot json\n{"id":"b","version":1}\n');
    await expect(new Store(cache).readAll('ecom', 'orders')).rejects.toThrow(/orders\.log:2: damaged record/);
  });

  test('records(where): only matching records, judged on the newest version, base rows read or not', async () => {
    const cache = await mkdtemp(join(temp, 'cache-'));
    const store = new Store(cache);
    const mine = (id: string, version: number, customerId: string) => ({ ...order(id, version, 1), customerId });
    await store.append('ecom', 'orders', [mine('a', 1, 'C1'), mine('b', 1, 'C2'), mine('c', 1, 'C1'), mine('d', 1, 'C2'), mine('e', 1, 'C1')]);
    await store.compact('ecom');
    // b moves to C1 and c leaves it in newer versions; an older log version of e names C2 and loses.
    await store.append('ecom', 'orders', [mine('b', 2, 'C1'), mine('c', 2, 'C3'), mine('e', 0, 'C2'), mine('f', 1, 'C1')]);
    const ids: string[] = [];
    for await (const record of store.records('ecom', 'orders', { column: 'customerId', values: new Set(['C1']) })) ids.push(record.id as string);
    expect(ids).toEqual(['a', 'b', 'e', 'f']);
    // Compaction over the same base and log keeps every record, base rows copied as they are.
    await store.compact('ecom');
    const all = (await store.readAll('ecom', 'orders')).map((o) => [o.id, o.version, o.customerId]);
    expect(all).toEqual([
      ['a', 1, 'C1'],
      ['b', 2, 'C1'],
      ['c', 2, 'C3'],
      ['d', 1, 'C2'],
      ['e', 1, 'C1'],
      ['f', 1, 'C1'],
    ]);
  });
});
