/**
 * Hostile and broken e-commerce exports through `ca import ecom` (the real binary): a file that cannot
 * be read as orders is refused with exit 6, its file and line, and changes nothing (cache, kept copy,
 * rejects); a file with bad rows is imported with every row accounted for (taken + grouped + rejected =
 * read) and each rejected row reported at its real line. Fixtures: tests/fixtures/faults/.
 */
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/io/store.js';
import { REPO, runCa } from '../helpers/cli.js';
import { paths, removeWorkdirs, walk, workdir } from './helpers.js';

const FIXTURES = join(REPO, 'tests', 'fixtures', 'faults');
const fixture = (name: string) => join(FIXTURES, name);

afterAll(removeWorkdirs);

/** Every file under data/ with its bytes. */
async function dataTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const file of await walk(paths(dir).data)) out[file] = (await readFile(join(paths(dir).data, file))).toString('base64');
  return out;
}

/** A folder that already imported a good export, so a refused one has something to leave alone. */
async function importedBefore(): Promise<string> {
  const dir = await workdir();
  await copyFile(fixture('semicolon.csv'), join(dir, 'good.csv'));
  const run = await runCa(['import', 'ecom', 'good.csv', '--mapping', 'generic'], { cwd: dir });
  expect(run.code, run.stderr).toBe(0);
  return dir;
}

describe('files that cannot be read as orders: exit 6 naming file and line, nothing changed', () => {
  const refused: Array<[string, string, string, RegExp]> = [
    ['a delimiter the sniffer does not know (|)', 'pipe-delimited.csv', 'generic', /pipe-delimited\.csv:1: column .*\(order_id\) is not in the header$/m],
    ['a mapping that names the wrong delimiter', 'semicolon.csv', fixture('force-comma.mapping.json'), /semicolon\.csv:1: column "order_id" \(order_id\) is not in the header$/m],
    ['a required column missing', 'missing-order-id.csv', 'generic', /missing-order-id\.csv:1: column .*\(order_id\) is not in the header$/m],
    ['a last line cut inside a quoted field', 'truncated-quoted.csv', 'generic', /truncated-quoted\.csv: a quote opened after line 2 is never closed.*Quote Not Closed.*line 3/],
    ['Windows-1252 not declared in the mapping', 'windows-1252.csv', 'generic', /windows-1252\.csv:2: the file is not UTF-8 \(byte 0xEB at offset 125\); it is probably Windows-1252/],
  ];
  it.each(refused)('%s', async (_name, file, mapping, message) => {
    const dir = await importedBefore();
    const before = await dataTree(dir);
    const run = await runCa(['import', 'ecom', fixture(file), '--mapping', mapping], { cwd: dir });
    expect(run.code).toBe(6);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/^hint: /m);
    expect(await dataTree(dir)).toEqual(before);
  });

  it('the offset named for a Windows-1252 byte is the first byte that is not UTF-8', async () => {
    const bytes = await readFile(fixture('windows-1252.csv'));
    expect(bytes.findIndex((b) => b >= 0x80)).toBe(125);
    expect(bytes[125]).toBe(0xeb);
  });
});

interface Summary {
  rowsRead: number;
  ordersTaken: number;
  linesGrouped: number;
  rowsRejected: number;
  rejectsFile?: string;
}

/** Imports a fixture; checks the row accounting and that each reject sits at its real line. */
async function importRows(file: string, mapping = 'generic') {
  const dir = await workdir();
  const run = await runCa(['import', 'ecom', fixture(file), '--mapping', mapping, '--json'], { cwd: dir });
  expect(run.code, run.stderr).toBe(0);
  const summary = JSON.parse(run.stdout) as Summary;
  const lines = (await readFile(fixture(file), 'latin1')).split(/\r\n|\n/);
  const dataLines = lines.slice(1).filter((line) => line.trim() !== '').length;
  expect(summary.rowsRead, 'rows read').toBe(dataLines);
  expect(summary.ordersTaken + summary.linesGrouped + summary.rowsRejected, 'taken + grouped + rejected').toBe(summary.rowsRead);
  const rejects = summary.rejectsFile ? (parse(await readFile(summary.rejectsFile), { bom: true, columns: true }) as Record<string, string>[]) : [];
  expect(rejects).toHaveLength(summary.rowsRejected);
  for (const reject of rejects) expect(reject.raw, `line ${reject.line}`).toBe(lines[Number(reject.line) - 1]);
  const orders = await new Store(paths(dir).cache).readAll('ecom', 'orders');
  const customers = await new Store(paths(dir).cache).readAll('ecom', 'customers');
  return { run, summary, rejects: rejects.map((r) => [Number(r.line), r.field, r.reason]), orders, customers };
}

describe('files with bad rows: the good rows are taken, every bad one is reported at its line', () => {
  it('bad dates', async () => {
    const { rejects, orders } = await importRows('bad-dates.csv');
    const notDate = (value: string) => `"${value}" in column "ordered_at" is not a date (expected iso)`;
    expect(rejects).toEqual([
      [3, 'ordered_at', notDate('2025-02-30T10:00:00Z')],
      [4, 'ordered_at', notDate('2025-13-01T10:00:00Z')],
      [5, 'ordered_at', notDate('yesterday')],
      [6, 'ordered_at', notDate('01/06/2025')],
      [7, 'ordered_at', notDate('2025-06-01T25:00:00Z')],
      // Read as 1925 before: Date.UTC turns the years 0-99 into 1900-1999.
      [8, 'ordered_at', '"0025-06-01T10:00:00Z" in column "ordered_at" is before 1900'],
      [9, 'ordered_at', notDate('2025-06-01T10:00:00+25:00')],
    ]);
    expect(orders.map((o) => [o.id, new Date(o.orderedAt).toISOString()])).toEqual([
      ['T1', '2025-06-01T10:00:00.000Z'],
      ['T9', '2025-06-09T10:00:00.000Z'],
    ]);
  });

  it('bad numbers', async () => {
    const { rejects, orders } = await importRows('bad-numbers.csv');
    const notNumber = (value: string) => `"${value}" in column "order_total" is not a number with the decimal "."`;
    expect(rejects).toEqual([
      [3, 'order_total', notNumber('12.5x')],
      [4, 'order_total', notNumber('1e5')],
      [5, 'order_total', notNumber('NaN')],
      [6, 'order_total', notNumber('Infinity')],
      [7, 'order_total', notNumber('--5')],
      // Taken before, as 10^22 cents in a float64: the master then showed garbage for its money.
      [8, 'order_total', '"99999999999999999999.99" in column "order_total" is too large for an amount'],
      [11, 'order_total', notNumber('0x1F')],
    ]);
    expect(orders.map((o) => [o.id, o.amountMinor, o.kind])).toEqual([
      ['N1', 1000, 'sale'],
      ['N8', 123456, 'sale'],
      ['N9', -725, 'return'],
    ]);
  });

  it('a duplicated header: the first column of a name is used, a header repeated inside the file is a rejected row', async () => {
    const { run, rejects, orders } = await importRows('duplicated-header.csv');
    expect(run.stderr).toMatch(/duplicated-header\.csv:1: column "order_total" appears twice; the first one is used/);
    expect(rejects).toEqual([[4, 'ordered_at', '"ordered_at" in column "ordered_at" is not a date (expected iso)']]);
    expect(orders.map((o) => [o.id, o.amountMinor])).toEqual([
      ['D1', 1000],
      ['D2', 2000],
      ['D3', 3000],
    ]);
  });

  it('a last line cut short outside quotes is one rejected row', async () => {
    const { rejects, orders } = await importRows('truncated-unquoted.csv');
    expect(rejects).toEqual([[4, 'row', 'the row has 4 fields, the header has 7']]);
    expect(orders.map((o) => o.id)).toEqual(['U1', 'U2']);
  });

  it('Windows-1252 declared in the mapping: names decoded, € and Œ included', async () => {
    const { customers } = await importRows('windows-1252.csv', fixture('windows-1252.mapping.json'));
    expect(customers.map((c) => [c.id, c.firstName, c.lastName])).toEqual([
      ['C1', 'Zoë', 'Müller'],
      ['C2', 'François', 'Straße'],
      ['C3', 'Œdipe', '€uro'],
    ]);
  });
});
