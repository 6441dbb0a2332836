/**
 * A large e-commerce export, generated at test time (never committed): every row accounted for, the
 * rejected ones at their real lines, and the peak memory of the `ca import ecom` process measured.
 *
 * Memory stays flat: it depends neither on the size of the file (a 200 MB export of 100 000 orders
 * peaks like a 50 MB one of the same orders) nor on the number of orders (800 000 orders peak like
 * 100 000): rows are grouped into orders through a sort that spills to disk, and each order is compared
 * with the store and written as soon as it is complete. docs/guarantees.md states this.
 */
import { createWriteStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/io/store.js';
import { runCa } from '../helpers/cli.js';
import { removeWorkdirs, runMeasured, walk, workdir } from './helpers.js';

const MB = 1024 * 1024;
/** Peak resident memory allowed for any export (the sort's budget, csv-parse, Node itself). */
const BOUND_KB = 320 * 1024;
/** "Alike": what a larger input may add to the smaller one's peak. */
const alike = (smallKb: number) => smallKb * 1.15 + 30 * 1024;

afterAll(removeWorkdirs);

/**
 * Writes an export of `orders` rows padded to about `megabytes` with a quoted free-text column the
 * mapping does not use (quotes, commas and semicolons inside). Every 25 000th row (from the 8th) has a
 * total that is not a number. Returns the line numbers of those rows.
 */
async function writeExport(path: string, megabytes: number, orders: number): Promise<number[]> {
  const header = 'order_id,ordered_at,customer_id,email,first_name,last_name,order_total,currency,status,notes\r\n';
  const otherFields = 115;
  const noteLength = Math.max(1, Math.round((megabytes * MB) / orders) - otherFields);
  let note = '';
  while (note.length < noteLength) note += 'Gift wrap, please; "fragile" glass, leave at the door. ';
  const noteCell = `"${note.slice(0, noteLength).replace(/"/g, '""')}"`;
  const out = createWriteStream(path);
  out.write(header);
  const bad: number[] = [];
  const start = Date.parse('2024-01-01T00:00:00Z');
  for (let i = 0; i < orders; ) {
    let chunk = '';
    for (let k = 0; k < 2000 && i < orders; k++, i++) {
      const customer = i % 30_000;
      const at = new Date(start + i * 97_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const broken = i % 25_000 === 7;
      if (broken) bad.push(i + 2);
      const total = broken ? 'oops' : (10 + (i % 9000) / 100).toFixed(2);
      chunk += `O${i},${at},C${customer},user${customer}@example.com,First${customer % 97},Last${customer % 89},${total},USD,completed,${noteCell}\r\n`;
    }
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await new Promise<void>((resolve) => out.on('finish', () => resolve()));
  return bad;
}

interface Imported {
  maxRssKb: number;
  bytes: number;
}

async function importAndCount(megabytes: number, orders: number): Promise<Imported> {
  const dir = await workdir();
  const file = join(dir, 'orders.csv');
  const bad = await writeExport(file, megabytes, orders);
  const run = await runMeasured(['import', 'ecom', file, '--mapping', 'generic', '--json'], dir);
  expect(run.code, run.stderr).toBe(0);
  const summary = JSON.parse(run.stdout);
  expect(summary).toMatchObject({ rowsRead: orders, ordersTaken: orders - bad.length, linesGrouped: 0, rowsRejected: bad.length });
  const rejects = parse(await readFile(summary.rejectsFile), { bom: true, columns: true }) as Record<string, string>[];
  expect(rejects.map((r) => Number(r.line))).toEqual(bad);
  for (const reject of rejects) expect(reject.raw.startsWith(`O${Number(reject.line) - 2},`)).toBe(true);
  expect(Number.isFinite(run.maxRssKb), 'peak memory was not measured').toBe(true);
  const bytes = (await stat(file)).size;
  return { maxRssKb: run.maxRssKb, bytes };
}

describe('a large export', () => {
  it(
    'memory does not grow with the file: 50 MB and 200 MB of the same 100 000 orders peak alike, under the bound',
    async () => {
      const small = await importAndCount(50, 100_000);
      const large = await importAndCount(200, 100_000);
      expect(large.bytes).toBeGreaterThan(4 * small.bytes * 0.95);
      console.log(`peak RSS: ${Math.round(small.bytes / MB)} MB file ${Math.round(small.maxRssKb / 1024)} MB, ${Math.round(large.bytes / MB)} MB file ${Math.round(large.maxRssKb / 1024)} MB`);
      expect(small.maxRssKb).toBeLessThan(BOUND_KB);
      expect(large.maxRssKb).toBeLessThan(BOUND_KB);
      expect(large.maxRssKb).toBeLessThan(alike(small.maxRssKb));
    },
    180_000,
  );

  it(
    'memory does not grow with the number of orders: 800 000 orders peak like 100 000 in a file of the same size',
    async () => {
      const few = await importAndCount(80, 100_000);
      const many = await importAndCount(80, 800_000);
      console.log(`peak RSS: 100 000 orders ${Math.round(few.maxRssKb / 1024)} MB, 800 000 orders ${Math.round(many.maxRssKb / 1024)} MB`);
      expect(many.maxRssKb).toBeLessThan(BOUND_KB);
      expect(many.maxRssKb).toBeLessThan(alike(few.maxRssKb));
    },
    240_000,
  );

  it(
    'an import killed while its sort is on disk leaves no run files after the next import, and that import stores what an uninterrupted one does',
    async () => {
      const source = await workdir();
      const file = join(source, 'orders.csv');
      await writeExport(file, 30, 150_000);
      const args = ['import', 'ecom', file, '--mapping', 'generic', '--json'];
      const sortFolders = async (dir: string) => (await readdir(join(dir, 'data')).catch(() => [])).filter((name) => name.startsWith('.sort-'));

      const killed = await workdir();
      const run = await runCa(args, { cwd: killed, killWhen: async () => (await sortFolders(killed)).length > 0 });
      expect(run.signal, 'the import ended before its sort spilled to disk').toBe('SIGKILL');
      expect(await sortFolders(killed)).not.toEqual([]);
      const again = await runCa(args, { cwd: killed });
      expect(again.code, again.stderr).toBe(0);
      expect(await sortFolders(killed)).toEqual([]);
      expect((await walk(join(killed, 'data'))).filter((f) => /\.(tmp|import)-\d+/.test(f))).toEqual([]);

      const clean = await workdir();
      expect((await runCa(args, { cwd: clean })).code).toBe(0);
      const contents = async (dir: string) => {
        const store = new Store(join(dir, 'data', 'cache'));
        const strip = <T extends { version: number }>(records: T[]) => records.map(({ version: _v, ...rest }) => rest);
        return { orders: strip(await store.readAll('ecom', 'orders')), customers: strip(await store.readAll('ecom', 'customers')) };
      };
      const expected = await contents(clean);
      expect(expected.orders.length).toBe(150_000 - 6);
      expect(await contents(killed)).toEqual(expected);
    },
    180_000,
  );
});
