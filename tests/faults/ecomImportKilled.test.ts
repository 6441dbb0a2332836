/**
 * An e-commerce import killed while its sort is on disk (CA_TEST_CRASH_AT=spill:1, right after the
 * first sorted run is written): the next import removes the run files and stores exactly what an
 * uninterrupted import does. How the import's memory stays flat on large exports is measured by
 * `npm run bench` (bench/ecom-memory.mjs), not here.
 */
import { createWriteStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/io/store.js';
import { runCa } from '../helpers/cli.js';
import { removeWorkdirs, walk, workdir } from './helpers.js';

afterAll(removeWorkdirs);

/**
 * An order-level export of `orders` rows, one order each. The sort holds about 55 000 rows in memory
 * (32 MB at 600 bytes a row, src/sources/ecom/orderGrouper.ts), so 70 000 make it spill once.
 */
async function writeExport(path: string, orders: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('order_id,ordered_at,customer_id,email,first_name,last_name,order_total,currency,status\r\n');
  const start = Date.parse('2024-01-01T00:00:00Z');
  for (let i = 0; i < orders; ) {
    let chunk = '';
    for (let k = 0; k < 2000 && i < orders; k++, i++) {
      const customer = i % 30_000;
      const at = new Date(start + i * 97_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      chunk += `O${i},${at},C${customer},user${customer}@example.com,First${customer % 97},Last${customer % 89},${(10 + (i % 9000) / 100).toFixed(2)},USD,completed\r\n`;
    }
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await new Promise<void>((resolve) => out.on('finish', () => resolve()));
}

describe('an import killed while its sort is on disk', () => {
  it('leaves run files that the next import removes, and that import stores what an uninterrupted one does', { timeout: 180_000 }, async () => {
    const ORDERS = 70_000;
    const source = await workdir();
    const file = join(source, 'orders.csv');
    await writeExport(file, ORDERS);
    const args = ['import', 'ecom', file, '--mapping', 'generic', '--json'];
    const sortFolders = async (dir: string) => (await readdir(join(dir, 'data')).catch(() => [])).filter((name) => name.startsWith('.sort-'));

    const killed = await workdir();
    const run = await runCa(args, { cwd: killed, env: { CA_TEST_CRASH_AT: 'spill:1' } });
    expect(run.signal, `the import ended (exit ${run.code}) before its sort spilled to disk`).toBe('SIGKILL');
    expect(await sortFolders(killed)).not.toEqual([]);
    const again = await runCa(args, { cwd: killed });
    expect(again.code, again.stderr).toBe(0);
    expect(await sortFolders(killed)).toEqual([]);
    expect((await walk(join(killed, 'data'))).filter((f) => /\.(tmp|import)-\d+/.test(f))).toEqual([]);

    const clean = await workdir();
    const uninterrupted = await runCa(args, { cwd: clean });
    expect(uninterrupted.code, uninterrupted.stderr).toBe(0);
    const contents = async (dir: string) => {
      const store = new Store(join(dir, 'data', 'cache'));
      const strip = <T extends { version: number }>(records: T[]) => records.map(({ version: _v, ...rest }) => rest);
      return { orders: strip(await store.readAll('ecom', 'orders')), customers: strip(await store.readAll('ecom', 'customers')) };
    };
    const expected = await contents(clean);
    expect(expected.orders.length).toBe(ORDERS);
    expect(await contents(killed)).toEqual(expected);
  });
});
