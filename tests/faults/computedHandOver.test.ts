/**
 * The compute hand-over (data/cache/computed/: master.col, then computed.json) when a run dies between
 * its two files. The second write is made to fail here, which leaves the files exactly as a kill at that
 * point would. `ca merge` must then refuse, not pair the new rows with the previous summary (whose
 * first-time buyers point at rows by index).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { MasterTable } from '../../src/core/compute.js';
import { MASTER_COLUMNS } from '../../src/core/masterColumns.js';
import { readComputed, writeComputed, type Computed } from '../../src/io/computedFile.js';
import { StateError } from '../../src/io/errors.js';

const crash = vi.hoisted(() => ({ on: '' }));

vi.mock('../../src/io/atomicFile.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/io/atomicFile.js')>();
  return {
    ...original,
    writeFileAtomically: async (path: string, text: string | Buffer) => {
      if (crash.on && path.endsWith(crash.on)) throw new Error(`killed before ${crash.on} was written`);
      return original.writeFileAtomically(path, text);
    },
  };
});

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A computed result of `rows` customers c_0…; its summary says how many rows it describes. */
function computedWith(rows: number): Computed {
  const columns: MasterTable['columns'] = {};
  for (const column of MASTER_COLUMNS) {
    if (column.type === 'text' || column.type === 'list') columns[column.name] = Array.from({ length: rows }, (_, i) => `${column.name}-${i}`);
    else if (column.type === 'boolean') columns[column.name] = new Uint8Array(rows);
    else columns[column.name] = new Float64Array(rows).fill(1);
  }
  return {
    master: { rows, columns },
    summary: {
      asOf: 0,
      computedAt: 0,
      counts: { customers: rows },
      warnings: [],
      // The last row is a first-time buyer: an index into this compute's rows.
      firstTimeBuyers: [{ row: rows - 1 } as Computed['summary']['firstTimeBuyers'][number]],
      daily: [],
      cohorts: [],
      revenueByMonthAndChannel: [],
      settings: {},
    },
  };
}

describe('a compute that dies between its two files', () => {
  it('leaves nothing merge would mix: merge refuses instead of pairing new rows with the old summary', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ca-faults-'));
    dirs.push(dir);
    await writeComputed(dir, computedWith(2));
    expect((await readComputed(dir)).master.rows).toBe(2);

    crash.on = 'computed.json';
    await expect(writeComputed(dir, computedWith(5))).rejects.toThrow(/killed before computed\.json/);
    crash.on = '';

    let read: Computed | undefined;
    let error: unknown;
    try {
      read = await readComputed(dir);
    } catch (caught) {
      error = caught;
    }
    // Before the fix: 5 rows with the summary of the 2-row compute (its first-time buyer at row 1).
    expect(read && { rows: read.master.rows, summaryOf: read.summary.counts.customers }).toBeUndefined();
    expect(error).toBeInstanceOf(StateError);
    expect((error as StateError).message).toBe('nothing computed yet');
  });
});
