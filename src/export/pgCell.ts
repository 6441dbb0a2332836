/**
 * One CSV cell of our own files (master, daily report) turned into the value sent to PostgreSQL as a
 * query parameter. Every value is checked here, so a bad cell is reported with its line and column
 * instead of as a server error halfway through a batch.
 */
import type { ReportColumnType } from '../core/masterColumns.js';
import { restoreInert } from '../core/csvSafety.js';
import { readPhoneCell } from '../core/sheetCells.js';

/** A master type, or a calendar day (`YYYY-MM-DD`) as in the daily report. */
export type CellType = ReportColumnType;

/** What node-pg gets: numbers stay decimal strings (cast in SQL) so nothing is rounded on the way. */
export type PgValue = string | boolean | string[] | null;

/** A cell that cannot be used; the reader adds the file, line and column. */
export class CellError extends Error {}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** With a zone, or without one as the master writes its UTC times for spreadsheets. */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-]\d{2}:?\d{2})?$/;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function isCalendarDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** PostgreSQL text cannot hold U+0000; say so here rather than fail the whole transaction later. */
export function checkedText(text: string): string {
  if (text.includes('\u0000')) throw new CellError('contains a NUL character, which PostgreSQL text cannot store');
  return text;
}

export function parseCell(type: CellType, raw: string): PgValue {
  if (raw === '') return null;
  switch (type) {
    case 'text':
      return checkedText(restoreInert(raw));
    case 'list':
      // The writer makes the whole cell inert, not each item, so undo it before splitting.
      return checkedText(restoreInert(raw)).split(';');
    case 'phone':
      // E.164 again (`+64 22 442 3832` -> `+64224423832`), or the phone as written.
      return checkedText(readPhoneCell(raw));
    case 'boolean': {
      const lower = raw.toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      throw new CellError('is not true or false');
    }
    case 'integer': {
      const value = Number(raw);
      if (!INTEGER.test(raw) || value < INT32_MIN || value > INT32_MAX) throw new CellError('is not a whole number');
      return raw;
    }
    case 'money':
      if (!DECIMAL.test(raw)) throw new CellError('is not a decimal amount');
      return raw;
    case 'number':
      if (!NUMBER.test(raw)) throw new CellError('is not a number');
      return raw;
    case 'date': {
      const match = DATE.exec(raw);
      if (!match || !isCalendarDay(Number(match[1]), Number(match[2]), Number(match[3]))) {
        throw new CellError('is not a date (YYYY-MM-DD)');
      }
      return raw;
    }
    case 'timestamp': {
      const match = TIMESTAMP.exec(raw);
      const valid =
        match !== null &&
        isCalendarDay(Number(match[1]), Number(match[2]), Number(match[3])) &&
        Number(match[4]) <= 23 &&
        Number(match[5]) <= 59 &&
        Number(match[6]) <= 59;
      if (!valid) throw new CellError('is not an ISO 8601 time (2025-06-02T19:47:31)');
      // A time without a zone is UTC (the master says so in its meta file); stated, so the server's
      // TimeZone setting cannot shift it.
      return match[8] === undefined ? `${raw}Z` : raw;
    }
  }
}
