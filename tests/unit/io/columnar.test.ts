import { mkdtemp, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { StringIndex } from '../../../src/core/stringIndex.js';
import { ColumnsBuilder, readSortedSlices, recordsToColumns, rowsOfDictValues, rowToRecord, writeColumns, type ColumnSpec } from '../../../src/io/columnar.js';

const temp = await mkdtemp(join(tmpdir(), 'ca-columnar-'));
afterAll(() => rm(temp, { recursive: true, force: true }));

const specs: ColumnSpec[] = [
  { name: 'id', type: 'dict' },
  { name: 'amount', type: 'f64' },
  { name: 'kind', type: 'enum', values: ['sale', 'return'] },
  { name: 'customer', type: 'dict' },
  { name: 'deleted', type: 'bool' },
];

async function readAllSlices(path: string, sliceRows: number) {
  const slices = await readSortedSlices(path, sliceRows);
  if (!slices) return undefined;
  const out: Record<string, unknown>[] = [];
  let count = 0;
  for await (const columns of slices) {
    count++;
    for (let i = 0; i < columns.rows; i++) out.push(rowToRecord(specs, columns, i));
  }
  return { out, count };
}

describe('a table read in slices', () => {
  // 120 000 ids (over 2 MB of dictionary, so the reader crosses its 1 MB pieces) with JSON escapes,
  // multi-byte and astral characters; zero-padded so text order is numeric order.
  const odd = ['"quoted"', 'back\\slash', 'tab\there', 'é', '😀', '\u2028'];
  const records = Array.from({ length: 120_000 }, (_, i) => {
    const record: Record<string, unknown> = { id: `${String(i).padStart(6, '0')}-${odd[i % odd.length]}`, amount: i / 4 };
    if (i % 3 === 0) record.kind = i % 2 ? 'return' : 'sale';
    if (i % 5 !== 0) record.customer = `c${i % 7}`;
    if (i % 11 === 0) record.deleted = i % 2 === 0;
    return record;
  });

  // 997: a prime, so slice ends fall everywhere against the dictionary's 1 MB pieces (7 did too, in
  // 17,143 slices and 6 s; the product reads 65,536 rows a slice).
  test.each([1000, 997, 120_000])('slices of %i rows give every row back as written', async (sliceRows) => {
    const path = join(temp, `sorted-${sliceRows}.col`);
    await writeColumns(path, specs, recordsToColumns(specs, records), { uniqueSortedBy: 'id' });
    const read = await readAllSlices(path, sliceRows);
    expect(read?.count).toBe(Math.ceil(120_000 / sliceRows));
    expect(read?.out).toEqual(records);
  });

  test('a file not written sorted is not read in slices', async () => {
    const path = join(temp, 'plain.col');
    await writeColumns(path, specs, recordsToColumns(specs, records.slice(0, 10)));
    expect(await readSortedSlices(path)).toBeUndefined();
  });

  test('a truncated file is named as damaged', async () => {
    const path = join(temp, 'cut.col');
    await writeColumns(path, specs, recordsToColumns(specs, records), { uniqueSortedBy: 'id' });
    await truncate(path, 1_500_000);
    await expect(readAllSlices(path, 1000)).rejects.toThrow(/cut\.col: file is truncated/);
  });
});

describe('rows of dictionary values (the payments refunds name, among all order ids)', () => {
  // Ids of plain ASCII (compared as bytes) and ids with JSON escapes, multi-byte and astral
  // characters (parsed), in a dictionary whose order is not the rows' (a customer column, rows repeating).
  const odd = ['"quoted"', 'back\\slash', 'tab\there', 'é', '😀', '\u2028', ''];
  const records = Array.from({ length: 5_000 }, (_, i) => ({ id: `${i % 3 === 0 ? odd[i % odd.length] : ''}p${(i * 7919) % 5_000}`, customer: i % 4 ? `c${i % 9}` : undefined }));

  test('finds the row of every wanted id, and -1 for ids not there', async () => {
    const path = join(temp, 'ids.col');
    await writeColumns(path, specs, recordsToColumns(specs, records));
    const wanted = new StringIndex();
    const expected: number[] = [];
    for (let i = 0; i < records.length; i += 37) {
      wanted.add(records[i].id);
      expected.push(i);
    }
    for (const absent of ['p5000', '"quoted"p1', 'é', '', 'p1 ']) {
      wanted.add(absent);
      expected.push(-1);
    }
    expect([...(await rowsOfDictValues(path, 'id', wanted))]).toEqual(expected);
  });

  test('a value on several rows gives its last row; rows without a value give none', async () => {
    const path = join(temp, 'customers.col');
    await writeColumns(path, specs, recordsToColumns(specs, records));
    const wanted = new StringIndex();
    wanted.add('c1');
    wanted.add('c0');
    const lastOf = (value: string) => records.findLastIndex((r) => r.customer === value);
    expect([...(await rowsOfDictValues(path, 'customer', wanted))]).toEqual([lastOf('c1'), lastOf('c0')]);
  });

  test('a column that is not a dictionary, or a damaged dictionary, is named', async () => {
    const path = join(temp, 'ids-cut.col');
    await writeColumns(path, specs, recordsToColumns(specs, records));
    await expect(rowsOfDictValues(path, 'amount', new StringIndex())).rejects.toThrow(/ids-cut\.col: column amount is missing/);
    await truncate(path, 20_000);
    await expect(rowsOfDictValues(path, 'id', new StringIndex())).rejects.toThrow(/ids-cut\.col: (file is truncated|dictionary of id is damaged)/);
  });
});

describe('ColumnsBuilder', () => {
  const a = recordsToColumns(specs, [
    { id: 'a', amount: 1, kind: 'sale', customer: 'x' },
    { id: 'c', amount: 3, customer: 'y', deleted: true },
  ]);
  const b = recordsToColumns(specs, [{ id: 'b', amount: 2, kind: 'return', customer: 'y' }]);

  test('rows copied from tables with other dictionaries and records added mix into one table', () => {
    const builder = new ColumnsBuilder(specs, 'id');
    builder.addRow(a, 0);
    builder.addRow(b, 0);
    builder.addRow(a, 1);
    builder.add({ id: 'd', amount: 4, customer: 'x' });
    const built = builder.finish();
    expect(Array.from({ length: built.rows }, (_, i) => rowToRecord(specs, built, i))).toEqual([
      { id: 'a', amount: 1, kind: 'sale', customer: 'x' },
      { id: 'b', amount: 2, kind: 'return', customer: 'y' },
      { id: 'c', amount: 3, customer: 'y', deleted: true },
      { id: 'd', amount: 4, customer: 'x' },
    ]);
    // One dictionary entry per distinct customer, whichever table a row came from.
    expect((built.data.customer as { dict: string[] }).dict).toEqual(['x', 'y']);
  });

  test('a key out of order is refused', () => {
    const builder = new ColumnsBuilder(specs, 'id');
    builder.addRow(a, 1);
    expect(() => builder.addRow(b, 0)).toThrow(/id: b is not after c/);
    expect(() => builder.add({ id: 'c', amount: 0 })).toThrow(/id: c is not after c/);
  });
});
