import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadMapping } from '../../../src/sources/ecom/index.js';
import { cacheFiles, fixture, removeWorkdirs, workdir } from './helpers.js';

afterAll(removeWorkdirs);

const T1 = Date.UTC(2025, 3, 1, 8, 0, 0);
const T2 = Date.UTC(2025, 3, 15, 8, 0, 0);

describe('re-imports', () => {
  test.each([['orders-comma-iso.csv'], ['orders-semicolon-decimal-comma.csv'], ['lines-tab.csv']])(
    'importing %s twice changes nothing in the store',
    async (name) => {
      const w = await workdir();
      const mapping =
        name === 'lines-tab.csv' ? await loadMapping(fixture('lines-tab.mapping.json')) : await loadMapping(name.includes('semicolon') ? 'lightspeed-ecom' : 'generic');
      const first = await w.run(fixture(name), mapping, T1);
      const orders = await w.store.readAll('ecom', 'orders');
      const customers = await w.store.readAll('ecom', 'customers');
      const files = await cacheFiles(w.dataDir);

      const second = await w.run(fixture(name), mapping, T2);
      expect(second).toEqual({ ...first, ordersWritten: 0, customersWritten: 0 });
      expect(await w.store.readAll('ecom', 'orders')).toEqual(orders);
      expect(await w.store.readAll('ecom', 'customers')).toEqual(customers);
      expect(await cacheFiles(w.dataDir)).toEqual(files);
      expect(orders.every((o) => o.version === T1)).toBe(true);
    },
  );

  test('a newer overlapping export does not double count; same order ids overwrite', async () => {
    const w = await workdir();
    const mapping = await loadMapping('generic');
    await w.run(fixture('overlap-a.csv'), mapping, T1);
    const summary = await w.run(fixture('overlap-b.csv'), mapping, T2);
    expect(summary).toMatchObject({ rowsRead: 3, ordersTaken: 3, cancelledOrders: 1, customers: 2, ordersWritten: 2, customersWritten: 1 });

    const orders = await w.store.readAll('ecom', 'orders');
    expect(orders.map((o) => [o.id, o.status, o.amountMinor, o.version])).toEqual([
      ['O1', 'completed', 1000, T1],
      ['O2', 'cancelled', 2000, T2],
      ['O3', 'completed', 3000, T1],
      ['O4', 'completed', 4000, T2],
    ]);
    // Completed purchases: 10.00 + 30.00 + 40.00, each counted once.
    const revenue = orders.filter((o) => o.status === 'completed').reduce((sum, o) => sum + o.amountMinor, 0);
    expect(revenue).toBe(8000);

    expect(await w.store.readAll('ecom', 'customers')).toEqual([
      // The newer e-mail from O4; createdAt stays at O1 (1 March), which only the store still knows.
      { source: 'ecom', id: 'P1', version: T2, createdAt: Date.UTC(2025, 2, 1, 10, 0), firstName: 'Pat', email: 'pat@example.com' },
      { source: 'ecom', id: 'P2', version: T1, createdAt: Date.UTC(2025, 2, 2, 10, 0), firstName: 'Sam', email: 'p2@example.com' },
    ]);
    // The kept copy is the latest export.
    expect((await readFile(join(w.dataDir, 'ecom_orders_export.csv'))).equals(await readFile(fixture('overlap-b.csv')))).toBe(true);
  });

  test('an older export imported later wins for what it says, but createdAt stays the earliest known', async () => {
    const w = await workdir();
    const mapping = await loadMapping('generic');
    await w.run(fixture('overlap-b.csv'), mapping, T1);
    await w.run(fixture('overlap-a.csv'), mapping, T2);
    const orders = await w.store.readAll('ecom', 'orders');
    expect(orders.map((o) => [o.id, o.status, o.version])).toEqual([
      ['O1', 'completed', T2],
      ['O2', 'completed', T2],
      ['O3', 'completed', T1],
      ['O4', 'completed', T1],
    ]);
    const p1 = (await w.store.readAll('ecom', 'customers')).find((c) => c.id === 'P1');
    expect(p1).toEqual({ source: 'ecom', id: 'P1', version: T2, createdAt: Date.UTC(2025, 2, 1, 10, 0), firstName: 'Pat', email: 'p1@example.com' });
  });
});
