/**
 * Reading our own master back (stats, customer look-ups, check, the HTML report): inert cells restored,
 * phones back to E.164 (or as written), times back to ISO 8601 UTC with their `Z`, whichever version of
 * the master wrote them.
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { restoreInert } from '../core/csvSafety.js';
import { MASTER_COLUMNS } from '../core/masterColumns.js';
import { readPhoneCell, readSheetTime } from '../core/sheetCells.js';
import { InputError } from './errors.js';

const READERS = new Map<string, (cell: string) => string>(
  MASTER_COLUMNS.map((c) => [c.name, c.type === 'phone' ? readPhoneCell : c.type === 'timestamp' ? readSheetTime : restoreInert]),
);

/** One master cell as ca means it, by its column's name (columns a user added are free text). */
export function readMasterCell(column: string, cell: string): string {
  return (READERS.get(column) ?? restoreInert)(cell);
}

/** Every cell of a parsed master row, in place. */
export function readMasterRow(row: Record<string, string>): Record<string, string> {
  for (const key of Object.keys(row)) row[key] = readMasterCell(key, row[key]);
  return row;
}

export async function* masterRows(path: string): AsyncGenerator<Record<string, string>> {
  const parser = createReadStream(path).pipe(parse({ bom: true, columns: true }));
  try {
    for await (const row of parser as AsyncIterable<Record<string, string>>) yield readMasterRow(row);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InputError(`no master at ${path}`, { hint: 'run `ca update` (or `ca demo`) first' });
    }
    throw new InputError(`${path}: ${(error as Error).message}`);
  }
}
