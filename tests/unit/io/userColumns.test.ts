/**
 * The columns a user added to the master, read back before a merge rewrites it (readUserColumns): their
 * values by customer_id, and by every source record a row lists, so a customer whose key changes (two
 * records merged) keeps the notes.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASTER_COLUMN_NAMES } from '../../../src/core/masterColumns.js';
import { csvLine } from '../../../src/io/csvFormat.js';
import { StateError } from '../../../src/io/errors.js';
import { readUserColumns } from '../../../src/io/masterFile.js';
import { removeDir, tempDir } from '../../helpers/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('ca-usercolumns-');
});
afterAll(() => removeDir(dir));

/** A master with the contract's columns and `extra` after them; each row gives only some cells. */
async function master(extra: string[], rows: Array<Record<string, string> & { extra?: string[] }>): Promise<string> {
  const path = join(dir, `master-${Math.random().toString(36).slice(2)}.csv`);
  const header = [...MASTER_COLUMN_NAMES, ...extra];
  const lines = [csvLine(header)];
  for (const row of rows) lines.push(csvLine([...MASTER_COLUMN_NAMES.map((name) => row[name] ?? ''), ...(row.extra ?? [])]));
  await writeFile(path, '\uFEFF' + lines.join(''));
  return path;
}

describe('readUserColumns', () => {
  it('values by customer_id and by each source record the row lists; inert apostrophes removed', async () => {
    const path = await master(
      ['notes', 'owner'],
      [
        { customer_id: 'c1', lightspeed_customer_ids: 'L1;L2', square_customer_ids: 'S9', extra: ['call back, "soon"', "'=VIP"] },
        { customer_id: 'c2', ecom_customer_keys: 'ann@example.com', extra: ['', 'bo'] },
        { customer_id: '', lightspeed_customer_ids: 'L7', extra: ['no key: skipped', ''] },
      ],
    );
    const user = await readUserColumns(path);
    expect(user?.names).toEqual(['notes', 'owner']);
    expect(Object.fromEntries(user!.byCustomerId)).toEqual({ c1: ['call back, "soon"', '=VIP'], c2: ['', 'bo'] });
    expect(Object.fromEntries(user!.customerIdBySourceRecord)).toEqual({
      'lightspeed:L1': 'c1',
      'lightspeed:L2': 'c1',
      'square:S9': 'c1',
      'ecom:ann@example.com': 'c2',
    });
  });

  it('a name used twice: its last column, as a lookup by name has it', async () => {
    const path = await master(['notes', 'notes'], [{ customer_id: 'c1', extra: ['first', 'second'] }]);
    const user = await readUserColumns(path);
    expect(user?.byCustomerId.get('c1')).toEqual(['second', 'second']);
  });

  it('no added columns: nothing is read; no master: undefined', async () => {
    expect(await readUserColumns(await master([], [{ customer_id: 'c1' }]))).toEqual({ names: [], byCustomerId: new Map(), customerIdBySourceRecord: new Map() });
    expect(await readUserColumns(join(dir, 'none.csv'))).toBeUndefined();
  });

  it('a row the reader refuses: a StateError naming the file and line', async () => {
    const path = await master(['notes'], [{ customer_id: 'c1', extra: ['x'] }]);
    await writeFile(path, 'c2,short\r\n', { flag: 'a' });
    const error = await readUserColumns(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateError);
    expect((error as Error).message).toMatch(/cannot be read to keep the columns you added \(line 3: 2 fields where the header has \d+\)$/);
  });
});
