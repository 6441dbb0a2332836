/** The compute hand-over file keeps every master column as compute made it, however it is stored. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MasterTable } from '../../../src/core/compute.js';
import { MASTER_COLUMNS } from '../../../src/core/masterColumns.js';
import { readComputed, writeComputed, type Computed } from '../../../src/io/computedFile.js';

/** Column name -> stored type, from a column file's header (magic line, uint32 LE length, JSON). */
async function storedTypes(path: string): Promise<Record<string, string>> {
  const bytes = await readFile(path);
  const magic = 'CACOL1\n'.length;
  const header = JSON.parse(bytes.subarray(magic + 4, magic + 4 + bytes.readUInt32LE(magic)).toString('utf8')) as { columns: { name: string; type: string }[] };
  return Object.fromEntries(header.columns.map((c) => [c.name, c.type]));
}

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('computed hand-over: text columns', () => {
  it('reads back every text column as written: few values (as a dictionary), many values, empty cells and empty strings', async () => {
    const rows = 6_000;
    const columns: MasterTable['columns'] = {};
    for (const column of MASTER_COLUMNS) {
      if (column.type === 'boolean') columns[column.name] = new Uint8Array(rows).fill(2);
      else if (column.type === 'text' || column.type === 'list' || column.type === 'phone') columns[column.name] = new Array(rows);
      else columns[column.name] = new Float64Array(rows).fill(NaN);
    }
    const segments = ['NEW', 'ACTIVE', '', 'LOST'];
    for (let k = 0; k < rows; k++) {
      (columns.customer_id as (string | undefined)[])[k] = `c_${k.toString(16).padStart(16, '0')}`; // all distinct
      (columns.lifecycle_segment as (string | undefined)[])[k] = k % 5 === 4 ? undefined : segments[k % 5];
      // 4,096 distinct values (the most a dictionary takes), and 4,097.
      (columns.first_name as (string | undefined)[])[k] = k < 4096 ? `Ann ${k}` : k % 7 === 0 ? undefined : `Ann ${k % 4096}`;
      (columns.email as (string | undefined)[])[k] = k < 4097 ? `e${k}@example.com` : undefined;
    }
    const computed: Computed = { master: { rows, columns }, summary: { asOf: 0, computedAt: 0, counts: {}, warnings: [], firstTimeBuyers: [], daily: [], cohorts: [], revenueByMonthAndChannel: [], settings: {} } };
    const dir = await mkdtemp(join(tmpdir(), 'ca-computed-'));
    dirs.push(dir);
    await writeComputed(dir, computed);
    const types = await storedTypes(join(dir, 'master.col'));
    expect(types.lifecycle_segment).toBe('dict');
    expect(types.customer_id).toBe('text');
    expect(types.first_name).toBe('dict');
    expect(types.email).toBe('text');
    const back = await readComputed(dir);
    expect(back.master.rows).toBe(rows);
    for (const column of MASTER_COLUMNS) {
      const want = columns[column.name];
      const got = back.master.columns[column.name];
      if (Array.isArray(want)) expect(Array.from(got as (string | undefined)[]), column.name).toEqual(Array.from(want));
      else expect(got, column.name).toEqual(want);
    }
  });
});
