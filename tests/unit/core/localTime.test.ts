/**
 * src/core/localTime.ts: local days in IANA zones across DST changes, and the calendar arithmetic.
 * Expected values come from the zones' published rules (EU: last Sunday of March and October at 01:00
 * UTC; US: second Sunday of March and first of November at 02:00 local; Lord Howe: half-hour DST) and,
 * for the calendar, from Date itself as an independent oracle.
 */
import { describe, expect, it } from 'vitest';
import {
  civilFromDays,
  dayNumberToDate,
  formatTimestamp,
  isValidTimeZone,
  LocalCalendar,
  zonedWallTimeToInstant,
} from '../../../src/core/localTime.js';

const H = 3_600_000;
const DAY = 86_400_000;
const t = (iso: string) => Date.parse(iso);
const day = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;

describe('LocalCalendar.offset', () => {
  it('is 0 for UTC, no zone, and a zone no one knows', () => {
    const calendar = new LocalCalendar();
    expect(calendar.offset(undefined, t('2025-06-01T12:00:00Z'))).toBe(0);
    expect(calendar.offset('UTC', t('2025-06-01T12:00:00Z'))).toBe(0);
    expect(calendar.offset('Etc/UTC', t('2025-06-01T12:00:00Z'))).toBe(0);
    expect(calendar.offset('Mars/Olympus_Mons', t('2025-06-01T12:00:00Z'))).toBe(0);
  });

  it('Amsterdam: +1 h in winter, +2 h in summer', () => {
    const calendar = new LocalCalendar();
    expect(calendar.offset('Europe/Amsterdam', t('2025-01-15T12:00:00Z'))).toBe(1 * H);
    expect(calendar.offset('Europe/Amsterdam', t('2025-07-15T12:00:00Z'))).toBe(2 * H);
  });

  it('Amsterdam springs forward at 01:00 UTC on 30 March 2025 and falls back at 01:00 UTC on 26 October', () => {
    const calendar = new LocalCalendar();
    expect(calendar.offset('Europe/Amsterdam', t('2025-03-30T00:59:59Z'))).toBe(1 * H);
    expect(calendar.offset('Europe/Amsterdam', t('2025-03-30T01:00:00Z'))).toBe(2 * H);
    expect(calendar.offset('Europe/Amsterdam', t('2025-10-26T00:59:59Z'))).toBe(2 * H);
    expect(calendar.offset('Europe/Amsterdam', t('2025-10-26T01:00:00Z'))).toBe(1 * H);
  });

  it('New York springs forward at 07:00 UTC on 9 March 2025 (02:00 EST) and falls back at 06:00 UTC on 2 November (02:00 EDT)', () => {
    const calendar = new LocalCalendar();
    expect(calendar.offset('America/New_York', t('2025-03-09T06:59:59Z'))).toBe(-5 * H);
    expect(calendar.offset('America/New_York', t('2025-03-09T07:00:00Z'))).toBe(-4 * H);
    expect(calendar.offset('America/New_York', t('2025-11-02T05:59:59Z'))).toBe(-4 * H);
    expect(calendar.offset('America/New_York', t('2025-11-02T06:00:00Z'))).toBe(-5 * H);
  });

  it('zones off the hour: Kathmandu +5:45; Lord Howe moves by half an hour (02:00 +11 -> 01:30 +10:30 on 6 April 2025, 15:00 UTC)', () => {
    const calendar = new LocalCalendar();
    expect(calendar.offset('Asia/Kathmandu', t('2025-06-01T00:00:00Z'))).toBe(5.75 * H);
    expect(calendar.offset('Australia/Lord_Howe', t('2025-04-05T14:59:59Z'))).toBe(11 * H);
    expect(calendar.offset('Australia/Lord_Howe', t('2025-04-05T15:00:00Z'))).toBe(10.5 * H);
  });

  it('gives the same answers asked in any order (the per-day and per-quarter-hour caches)', () => {
    const instants = ['2025-10-26T01:00:00Z', '2025-10-26T00:59:59Z', '2025-10-25T23:00:00Z', '2025-10-26T23:00:00Z'].map(t);
    const forward = new LocalCalendar();
    const backward = new LocalCalendar();
    const a = instants.map((ms) => forward.offset('Europe/Amsterdam', ms));
    const b = [...instants].reverse().map((ms) => backward.offset('Europe/Amsterdam', ms)).reverse();
    expect(a).toEqual([1 * H, 2 * H, 2 * H, 1 * H]);
    expect(b).toEqual(a);
  });
});

describe('LocalCalendar.dayNumber', () => {
  it('is the local calendar date, not the UTC one', () => {
    const calendar = new LocalCalendar();
    // 23:30 UTC on 29 March is 00:30 on 30 March in Amsterdam (CET, +1).
    expect(calendar.dayNumber('Europe/Amsterdam', t('2025-03-29T23:30:00Z'))).toBe(day('2025-03-30'));
    // 04:30 UTC on 9 March is 23:30 on 8 March in New York (EST, -5).
    expect(calendar.dayNumber('America/New_York', t('2025-03-09T04:30:00Z'))).toBe(day('2025-03-08'));
    // The last minute of the day in Auckland's summer (+13): 10:59 UTC is 23:59 local.
    expect(calendar.dayNumber('Pacific/Auckland', t('2025-01-15T10:59:00Z'))).toBe(day('2025-01-15'));
    expect(calendar.dayNumber('Pacific/Auckland', t('2025-01-15T11:00:00Z'))).toBe(day('2025-01-16'));
    expect(calendar.dayNumber(undefined, t('2025-01-15T23:59:59Z'))).toBe(day('2025-01-15'));
  });

  it('on the day the clocks change, each instant falls on its own local date', () => {
    const calendar = new LocalCalendar();
    // 26 October 2025 in Amsterdam has 25 hours: 22:00 UTC on the 25th to 23:00 UTC on the 26th.
    expect(calendar.dayNumber('Europe/Amsterdam', t('2025-10-25T21:59:59Z'))).toBe(day('2025-10-25'));
    expect(calendar.dayNumber('Europe/Amsterdam', t('2025-10-25T22:00:00Z'))).toBe(day('2025-10-26'));
    expect(calendar.dayNumber('Europe/Amsterdam', t('2025-10-26T22:59:59Z'))).toBe(day('2025-10-26'));
    expect(calendar.dayNumber('Europe/Amsterdam', t('2025-10-26T23:00:00Z'))).toBe(day('2025-10-27'));
  });
});

describe('zonedWallTimeToInstant (exports whose times carry no offset)', () => {
  const wall = (iso: string) => Date.parse(`${iso}Z`);
  it('reads a wall-clock time in its zone, summer and winter', () => {
    const calendar = new LocalCalendar();
    expect(zonedWallTimeToInstant(calendar, 'Europe/Amsterdam', wall('2025-07-01T12:00:00'))).toBe(t('2025-07-01T10:00:00Z'));
    expect(zonedWallTimeToInstant(calendar, 'Europe/Amsterdam', wall('2025-01-01T12:00:00'))).toBe(t('2025-01-01T11:00:00Z'));
    expect(zonedWallTimeToInstant(calendar, 'America/Los_Angeles', wall('2025-07-01T12:00:00'))).toBe(t('2025-07-01T19:00:00Z'));
  });

  it('a time the spring change skips (02:30 on 30 March) is read an hour on, as 03:30 CEST', () => {
    const calendar = new LocalCalendar();
    expect(zonedWallTimeToInstant(calendar, 'Europe/Amsterdam', wall('2025-03-30T02:30:00'))).toBe(t('2025-03-30T01:30:00Z'));
  });

  it('a time the autumn change repeats (02:30 on 26 October) is read as the second, CET one', () => {
    const calendar = new LocalCalendar();
    expect(zonedWallTimeToInstant(calendar, 'Europe/Amsterdam', wall('2025-10-26T02:30:00'))).toBe(t('2025-10-26T01:30:00Z'));
  });
});

describe('calendar arithmetic', () => {
  it('civilFromDays and dayNumberToDate agree with Date over 1600-2400, leap rules included', () => {
    for (let d = day('1600-01-01'); d <= day('2400-12-31'); d += 17) {
      const date = new Date(d * DAY);
      expect(civilFromDays(d)).toEqual([date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()]);
    }
    expect(dayNumberToDate(0)).toBe('1970-01-01');
    expect(dayNumberToDate(-1)).toBe('1969-12-31');
    expect(dayNumberToDate(day('2024-02-28') + 1)).toBe('2024-02-29');
    expect(dayNumberToDate(day('2000-02-28') + 1)).toBe('2000-02-29');
    expect(dayNumberToDate(day('1900-02-28') + 1)).toBe('1900-03-01');
    expect(dayNumberToDate(day('2100-02-28') + 1)).toBe('2100-03-01');
  });

  it('formatTimestamp: UTC, whole seconds (cut, not rounded), as the contract writes times', () => {
    expect(formatTimestamp(t('2025-06-02T19:47:31.999Z'))).toBe('2025-06-02T19:47:31Z');
    expect(formatTimestamp(0)).toBe('1970-01-01T00:00:00Z');
    expect(formatTimestamp(-1)).toBe('1969-12-31T23:59:59Z');
    expect(formatTimestamp(t('2024-02-29T23:59:59Z'))).toBe('2024-02-29T23:59:59Z');
  });

  it('isValidTimeZone', () => {
    expect(isValidTimeZone('Europe/Amsterdam')).toBe(true);
    expect(isValidTimeZone('Pacific/Chatham')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
