import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, test } from 'vitest';
import { InputError } from '../../../src/io/errors.js';
import { loadMapping } from '../../../src/sources/ecom/index.js';
import { fixture, listing, removeWorkdirs, workdir } from './helpers.js';

afterAll(removeWorkdirs);

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);

describe('bad rows go to data/rejects/ with their line, field and reason', () => {
  test('bad-rows.csv', async () => {
    const w = await workdir();
    const file = fixture('bad-rows.csv');
    const summary = await w.run(file, await loadMapping('generic'), NOW);
    const rejectsFile = join(w.dataDir, 'rejects', 'ecom-20250601T120000Z.csv');

    // 14 data lines: line 12 holds only delimiters and line 13 is blank, so 12 rows; B1 and B9 are taken.
    expect(summary).toMatchObject({ rowsRead: 12, ordersTaken: 2, linesGrouped: 0, rowsRejected: 10, guestOrders: 1, customers: 1, rejectsFile });
    expect(summary.rowsRead).toBe(summary.ordersTaken + summary.linesGrouped + summary.rowsRejected);

    const bytes = await readFile(rejectsFile);
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
    expect(bytes.toString('utf8')).toContain('\r\n');
    const rows = parse(bytes, { bom: true }) as string[][];
    expect(rows[0]).toEqual(['file', 'line', 'field', 'reason', 'raw']);
    expect(rows.slice(1).map(([f, line, field, reason]) => [f, Number(line), field, reason])).toEqual([
      [file, 3, 'order_id', 'order id is empty (column "order_id")'],
      [file, 4, 'ordered_at', '"2025-04-31T10:00:00Z" in column "ordered_at" is not a date (expected iso)'],
      [file, 5, 'order_total', '"12.5x" in column "order_total" is not a number with the decimal "."'],
      [file, 6, 'row', 'the row has 5 fields, the header has 6'],
      [file, 7, 'order_total', 'order B5 has no total (the order total and the line amount are empty)'],
      [file, 8, 'ordered_at', 'order B6 has no order date'],
      [
        file,
        9,
        'order_total',
        '"4,5" in column "order_total" is not a number with the decimal "." (it reads as a number with the decimal ",": set "decimal" in the mapping)',
      ],
      [file, 10, 'currency', '"EURO" in column "currency" is not a three-letter ISO 4217 code'],
      [file, 11, 'order_total', 'order total 11.00 differs from 10.00 on line 2 of the same order B1'],
      [file, 15, 'order_total', '"abc" in column "order_total" is not a number with the decimal "."'],
    ]);
    // The raw row as written, except that formula-like text is made inert.
    expect(rows[7][4]).toBe('B7,2025-04-03T10:00:00Z,C9,,"4,5",EUR');
    expect(rows[10][4]).toBe("'=B10,2025-04-05T10:00:00Z,C9,,abc,EUR");
    // Rows that could not join their order (found after the whole file was read) keep their text too.
    expect([rows[5][4], rows[6][4], rows[9][4]]).toEqual([
      'B5,2025-04-03T10:00:00Z,,,,EUR',
      'B6,,C9,,3.00,EUR',
      'B1,2025-04-01T10:00:00Z,C9,ok@example.com,11.00,EUR',
    ]);

    expect((await w.store.readAll('ecom', 'orders')).map((o) => [o.id, o.amountMinor, o.customerId])).toEqual([
      ['B1', 1000, 'C9'],
      ['B9', 999, undefined],
    ]);
  });

  test('line numbers count CRLF line breaks inside quotes once', async () => {
    const w = await workdir();
    const file = join(w.dir, 'crlf.csv');
    await writeFile(
      file,
      'order_id,ordered_at,order_total,note\r\nX1,2025-01-01T00:00:00Z,1.00,"two\r\nlines"\r\n\r\nX2,2025-01-02T00:00:00Z,oops,\r\nX3,2025-01-03T00:00:00Z,3.00,"a\r\nb\r\nc"\r\nX4,2025-01-04T00:00:00Z,,\r\n',
    );
    const summary = await w.run(file, await loadMapping('generic'), NOW);
    expect(summary).toMatchObject({ rowsRead: 4, ordersTaken: 2, rowsRejected: 2 });
    const rows = parse(await readFile(summary.rejectsFile!), { bom: true }) as string[][];
    expect(rows.slice(1).map((r) => [Number(r[1]), r[2]])).toEqual([
      [5, 'order_total'],
      [9, 'order_total'],
    ]);
  });
});

describe('whole-file problems are InputErrors and import nothing', () => {
  const cases: [string, () => Promise<string>, string, RegExp][] = [
    ['a required column missing from the header', async () => fixture('missing-total-column.csv'), 'generic', /missing-total-column\.csv:1: column "order_total" or "Order total" or "Total" \(order_total\) is not in the header/],
    ['a quote never closed', async () => fixture('broken-quote.csv'), 'generic', /broken-quote\.csv: a quote opened after line 2 is never closed/],
    ['Windows-1252 read as UTF-8', async () => fixture('windows-1252.csv'), 'generic', /windows-1252\.csv:2: the file is not UTF-8 \(byte 0xEB at offset 91\)/],
    [
      'UTF-16 big-endian',
      async () => {
        const w = await workdir();
        const path = join(w.dir, 'be.csv');
        await writeFile(path, Buffer.from([0xfe, 0xff, 0x00, 0x61]));
        return path;
      },
      'generic',
      /be\.csv: the file is UTF-16 big-endian/,
    ],
    [
      'an empty file',
      async () => {
        const w = await workdir();
        const path = join(w.dir, 'empty.csv');
        await writeFile(path, '');
        return path;
      },
      'generic',
      /empty\.csv: the file is empty \(no header row\)/,
    ],
    ['a file that does not exist', async () => fixture('nope.csv'), 'generic', /nope\.csv cannot be read \(ENOENT\)/],
    ['no currency anywhere', async () => fixture('orders-comma-iso.csv'), 'no-currency', /no currency: the mapping maps no currency column and sets no default_currency/],
  ];
  test.each(cases)('%s', async (_name, file, mappingName, message) => {
    const w = await workdir();
    const mapping =
      mappingName === 'no-currency'
        ? { ...(await loadMapping('generic')), columns: { order_id: 'order_id', ordered_at: 'ordered_at', order_total: 'order_total' }, default_currency: undefined }
        : await loadMapping(mappingName);
    const path = await file();
    let caught: unknown;
    try {
      await w.run(path, mapping, NOW);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as Error).message).toMatch(message);
    expect(await w.store.readAll('ecom', 'orders')).toEqual([]);
    expect(await w.store.exists('ecom')).toBe(false);
    // No kept copy, no rejects, no temporary file left behind.
    expect(await listing(w.dataDir)).toEqual([]);
  });

  test('the not-UTF-8 error says how to fix it', async () => {
    const w = await workdir();
    await expect(w.run(fixture('windows-1252.csv'), await loadMapping('generic'), NOW)).rejects.toMatchObject({
      hint: expect.stringContaining('"encoding": "windows-1252"'),
    });
  });

  test('a failed import leaves the copy kept by the previous one', async () => {
    const w = await workdir();
    await w.run(fixture('orders-comma-iso.csv'), await loadMapping('generic'), NOW);
    await expect(w.run(fixture('broken-quote.csv'), await loadMapping('generic'), NOW + 1000)).rejects.toThrow(InputError);
    expect((await readFile(join(w.dataDir, 'ecom_orders_export.csv'))).equals(await readFile(fixture('orders-comma-iso.csv')))).toBe(true);
    expect((await readdir(w.dataDir)).sort()).toEqual(['cache', 'ecom_orders_export.csv']);
    expect((await w.store.readAll('ecom', 'orders')).map((o) => o.id)).toEqual(['1001', '1002', '1003', '1004', '1005']);
  });
});
