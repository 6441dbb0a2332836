/**
 * Streams one of our CSV files (master, daily report) as typed rows, one record at a time, so a
 * million-row master never sits in memory. The header must hold every contract column (in any order);
 * columns a user added are handed back by name in `extra`.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parse, CsvError } from 'csv-parse';
import { restoreInert } from '../core/csvSafety.js';
import { InputError } from '../io/errors.js';
import { CellError, checkedText, parseCell, type PgValue } from './pgCell.js';
import type { PgColumn } from './pgColumns.js';

export interface CsvTableSpec {
  /** What the file is, for messages: `master`, `daily report`. */
  label: string;
  columns: readonly PgColumn[];
  /** Columns that may not be empty. */
  required: readonly string[];
}

export interface CsvTableRow {
  /** Line of the file where the record ends (a quoted cell may span lines). */
  line: number;
  /** One value per spec column, in spec order. */
  values: PgValue[];
  /** Non-empty cells of columns outside the contract, inert apostrophes removed; null when none. */
  extra: Record<string, string> | null;
}

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/** Fails early and plainly when the file is not there, before any connection is opened. */
export async function assertReadableFile(path: string, label: string): Promise<void> {
  let isFile: boolean;
  try {
    isFile = (await stat(path)).isFile();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `${label} not found: ${path}` : `cannot read ${label} ${path} (${code})`);
  }
  if (!isFile) throw new InputError(`${label} is not a file: ${path}`);
}

function readError(error: unknown, spec: CsvTableSpec, path: string): InputError {
  if (error instanceof InputError) return error;
  if (error instanceof CsvError) return new InputError(`${spec.label} ${path} is not valid CSV: ${error.message.replace(/\s+/g, ' ')}`);
  const code = (error as NodeJS.ErrnoException).code;
  if (code) return new InputError(`cannot read ${spec.label} ${path} (${code})`);
  return new InputError(`cannot read ${spec.label} ${path}: ${String((error as Error).message ?? error).replace(/\s+/g, ' ')}`);
}

export async function* readCsvTable(path: string, spec: CsvTableSpec): AsyncGenerator<CsvTableRow> {
  const input = createReadStream(path);
  const parser = parse({ bom: true, info: true, skip_empty_lines: true });
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);

  let positions: number[] | undefined;
  let extras: { name: string; position: number }[] = [];
  const required = new Set(spec.required);
  try {
    for await (const { record, info } of parser as AsyncIterable<ParsedRecord>) {
      if (positions === undefined) {
        const header = record;
        const seen = new Set<string>();
        for (const name of header) {
          if (seen.has(name) && spec.columns.some((column) => column.name === name)) {
            throw new InputError(`${spec.label} ${path}: column ${name} appears twice in the header`);
          }
          seen.add(name);
        }
        const missing = spec.columns.filter((column) => !seen.has(column.name)).map((column) => column.name);
        if (missing.length > 0) {
          const shown = missing.slice(0, 5).join(', ') + (missing.length > 5 ? `, … (${missing.length} in all)` : '');
          throw new InputError(`${spec.label} ${path} lacks columns: ${shown}`);
        }
        positions = spec.columns.map((column) => header.indexOf(column.name));
        const contract = new Set(spec.columns.map((column) => column.name));
        // A repeated user header keeps its last cell, as a spreadsheet lookup by name would.
        extras = header.map((name, position) => ({ name, position })).filter(({ name }) => !contract.has(name));
        continue;
      }
      const values = positions.map((position, index) => {
        const column = spec.columns[index];
        const raw = record[position];
        if (raw === '' && required.has(column.name)) {
          throw new InputError(`${spec.label} ${path} line ${info.lines}: ${column.name} is empty`);
        }
        try {
          return parseCell(column.type, raw);
        } catch (error) {
          if (!(error instanceof CellError)) throw error;
          throw new InputError(`${spec.label} ${path} line ${info.lines}: ${column.name} ${error.message}`);
        }
      });
      const extraCells: [string, string][] = [];
      for (const { name, position } of extras) {
        const raw = record[position];
        if (raw === '') continue;
        try {
          extraCells.push([name, checkedText(restoreInert(raw))]);
        } catch (error) {
          throw new InputError(`${spec.label} ${path} line ${info.lines}: ${name} ${(error as Error).message}`);
        }
      }
      // fromEntries defines own properties, so a header such as `__proto__` stays an ordinary key.
      const extra = extraCells.length > 0 ? Object.fromEntries(extraCells) : null;
      yield { line: info.lines, values, extra };
    }
  } catch (error) {
    throw readError(error, spec, path);
  } finally {
    input.destroy();
    parser.destroy();
  }
  if (positions === undefined) throw new InputError(`${spec.label} ${path} is empty (no header row)`);
}
