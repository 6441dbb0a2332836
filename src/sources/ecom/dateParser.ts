/**
 * Order dates as exports write them: ISO 8601 (with or without an offset) or any date-fns format
 * string. A date without an offset is a wall-clock time in the shop's time zone.
 */
// The two functions only: the package's index loads all of date-fns at start-up.
import { format as formatDate } from 'date-fns/format';
import { parse as parseWithFormat } from 'date-fns/parse';
import { LocalCalendar, zonedWallTimeToInstant } from '../../core/localTime.js';
import { WallClockDate } from './wallClockDate.js';

export type DateParser = (text: string) => number | undefined;

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** Epoch ms of an ISO 8601 date-time; `wall` says it had no offset (so it is a UTC-based wall time). */
export function parseIsoDateTime(text: string): { ms: number; wall: boolean } | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const at = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis));
  // Date.UTC reads the years 0-99 as 1900-1999: "0025-06-01" (a typo for 2025) must not become 1925.
  if (year < 100) at.setUTCFullYear(year);
  const wallMs = at.getTime();
  // Date.UTC rolls 31 April over to 1 May; a date that does not exist is an error, not a neighbour.
  if (new Date(wallMs).getUTCDate() !== day) return undefined;
  const offset = m[8];
  if (offset === undefined) return { ms: wallMs, wall: true };
  if (offset.toUpperCase() === 'Z') return { ms: wallMs, wall: false };
  const digits = offset.slice(1).replace(':', '');
  const offsetHours = Number(digits.slice(0, 2));
  const offsetMinutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const sign = offset[0] === '-' ? -1 : 1;
  return { ms: wallMs - sign * (offsetHours * HOUR + offsetMinutes * MINUTE), wall: false };
}

/** The format's tokens, its quoted literal text taken out. */
const withoutLiterals = (format: string) => format.replace(/'(''|[^'])*('|$)/g, '');

/** Whether a date-fns format string carries its own offset or timestamp, so no time zone applies. */
function formatHasOffset(format: string): boolean {
  return /[XxtT]/.test(withoutLiterals(format));
}

/** Why a date-fns format string cannot be used, or undefined when it can. */
export function dateFormatProblem(format: string): string | undefined {
  if (format === 'iso') return undefined;
  // date-fns would print a console warning before refusing these; export dates never mean them.
  if (/[DY]/.test(withoutLiterals(format))) return 'D and Y are day-of-year and week-numbering year in date-fns; use d (day) and y (year)';
  try {
    formatDate(new Date(0), format);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Formats are tried in order; the first that reads the whole text wins. */
export function makeDateParser(formats: readonly string[], timeZone: string, calendar = new LocalCalendar()): DateParser {
  const readers = formats.map((format): ((text: string) => { ms: number; wall: boolean } | undefined) => {
    if (format === 'iso') return parseIsoDateTime;
    const wall = !formatHasOffset(format);
    const reference = new WallClockDate(0);
    return (text) => {
      const ms = parseWithFormat(text, format, reference).getTime();
      return Number.isNaN(ms) ? undefined : { ms, wall };
    };
  });
  return (text) => {
    const trimmed = text.trim();
    if (trimmed === '') return undefined;
    for (const read of readers) {
      const result = read(trimmed);
      if (result) return result.wall ? zonedWallTimeToInstant(calendar, timeZone, result.ms) : result.ms;
    }
    return undefined;
  };
}
