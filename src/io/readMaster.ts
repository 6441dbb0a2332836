/**
 * Reading our own master back (stats, customer look-ups, check, the HTML report): inert cells restored,
 * phones back to E.164 (or as written), times back to ISO 8601 UTC with their `Z`, whichever version of
 * the master wrote them.
 */
import { restoreInert } from '../core/csvSafety.js';
import { MASTER_COLUMN_NAMES, MASTER_COLUMNS } from '../core/masterColumns.js';
import { readPhoneCell, readSheetTime } from '../core/sheetCells.js';
import { csvRecords } from './csvRecords.js';
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

/** The error for a master that cannot be opened: missing is "run an update first", others as they are. */
export function masterOpenError(path: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError(`no master at ${path}`, { hint: 'run `ca update` (or `ca demo`) first' });
  return fileSystemError(error) ?? new InputError(`${path}: ${(error as Error).message}`);
}

/**
 * The master's rows, each as column name -> cell as ca means it. With `columns`, a row holds only those
 * (any not in the file are absent): the other cells are neither decoded nor converted. Read with
 * csvRecords (src/io/csvRecords.ts), not csv-parse: at a chain's million rows this is what `ca stats`,
 * `ca customer` and the report every `ca update` writes spend their time on.
 */
export async function* masterRows(path: string, columns?: readonly string[]): AsyncGenerator<Record<string, string>> {
  const unknown = columns?.filter((name) => !MASTER_COLUMN_NAMES.includes(name)) ?? [];
  // A misspelt name would read as an empty column everywhere: a defect in ca, said at once.
  if (unknown.length > 0) throw new Error(`masterRows: not master columns: ${unknown.join(', ')}`);
  try {
    yield* rowsOf(path, columns === undefined ? undefined : new Set(columns));
  } catch (error) {
    throw masterOpenError(path, error);
  }
}

/**
 * Every column of the master's rows, as `masterRows` gives them, for `ca check`: `onHeader` sees the
 * header, and errors come as thrown, a damaged file as the CsvSyntaxError naming its line (a failed
 * check there, not an exit).
 */
export function checkedMasterRows(path: string, onHeader: (header: readonly string[]) => void): AsyncGenerator<Record<string, string>> {
  return rowsOf(path, undefined, onHeader);
}

async function* rowsOf(path: string, wanted: ReadonlySet<string> | undefined, onHeader?: (header: readonly string[]) => void): AsyncGenerator<Record<string, string>> {
  let names: readonly string[] = [];
  let read: number[] = [];
  const select = (header: readonly string[]) => {
    names = header;
    onHeader?.(header);
    // A name twice: its last column counts (as csv-parse's `columns: true` had it).
    read = header.map((_, i) => i).filter((i) => (wanted === undefined || wanted.has(header[i])) && header.lastIndexOf(header[i]) === i);
    return header.map((_, i) => read.includes(i));
  };
  for await (const fields of csvRecords(path, select)) {
    const row: Record<string, string> = {};
    for (const i of read) row[names[i]] = readMasterCell(names[i], fields[i]);
    yield row;
  }
}
