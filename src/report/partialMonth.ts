import { formatDateTime, formatMonth } from './formatters.js';

/** The month the as-of time falls in, when the data stop before its end: its figures are not complete. */
export interface PartialMonth {
  /** 'YYYY-MM' (UTC, as the monthly and cohort figures are). */
  month: string;
  /** The as-of time, as people read it: the data cover the month up to here. */
  through: string;
}

/**
 * Judged from the as-of time of the data (the master's), never the clock: a report of data as of
 * 2025-06-30T12:00:00Z marks June as partial whenever it is opened. A month is complete when the as-of
 * time is at or after its last second (a bare-date `--as-of` means 23:59:59 UTC of that day).
 */
export function partialMonthOf(asOf: string): PartialMonth | undefined {
  const ms = Date.parse(asOf);
  if (!Number.isFinite(ms)) return undefined;
  const d = new Date(ms);
  const nextMonth = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  if (ms >= nextMonth - 1000) return undefined;
  return { month: `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`, through: formatDateTime(new Date(ms).toISOString()) };
}

/** 'YYYY-MM' plus n months. */
export function addMonths(month: string, n: number): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (match === null) return '';
  const index = Number(match[1]) * 12 + Number(match[2]) - 1 + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The sentence under a chart that has the partial month in it. */
export function partialNote(partial: PartialMonth, what: string): string {
  return `${formatMonth(partial.month)} is the month in progress: the data run to ${partial.through}, so ${what}, not a drop.`;
}
