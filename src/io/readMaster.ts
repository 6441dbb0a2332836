/**
 * Reading our own master back (stats, customer look-ups, check, the HTML report): inert cells restored,
 * phones back to E.164 (or as written), times back to ISO 8601 UTC with their `Z`, whichever version of
 * the master wrote them.
 */
import { createReadStream } from 'node:fs';
import { parse, type Options, type Parser } from 'csv-parse';
import { restoreInert } from '../core/csvSafety.js';
import { MASTER_COLUMNS } from '../core/masterColumns.js';
import { readPhoneCell, readSheetTime } from '../core/sheetCells.js';
import { fileSystemError, InputError } from './errors.js';

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

/**
 * A CSV parser over a file whose read errors (missing, permission denied) reach the parser's reader
 * instead of being thrown as an unhandled stream 'error' event.
 */
export function parseCsvFile(path: string, options: Options): Parser {
  const input = createReadStream(path);
  const parser = parse(options);
  input.on('error', (error) => parser.destroy(error));
  return input.pipe(parser);
}

/** The error for a master that cannot be opened: missing is "run an update first", others as they are. */
export function masterOpenError(path: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError(`no master at ${path}`, { hint: 'run `ca update` (or `ca demo`) first' });
  return fileSystemError(error) ?? new InputError(`${path}: ${(error as Error).message}`);
}

export async function* masterRows(path: string): AsyncGenerator<Record<string, string>> {
  const parser = parseCsvFile(path, { bom: true, columns: true });
  try {
    for await (const row of parser as AsyncIterable<Record<string, string>>) yield readMasterRow(row);
  } catch (error) {
    throw masterOpenError(path, error);
  }
}
