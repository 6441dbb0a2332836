import { afterEach, describe, expect, test } from 'vitest';
import { dateFormatProblem, makeDateParser, parseIsoDateTime } from '../../../src/sources/ecom/dateParser.js';

describe('parseIsoDateTime', () => {
  const cases: [string, { ms: number; wall: boolean } | undefined][] = [
    ['2025-06-02T19:47:31Z', { ms: Date.UTC(2025, 5, 2, 19, 47, 31), wall: false }],
    ['2025-06-02T19:47:31.5+02:00', { ms: Date.UTC(2025, 5, 2, 17, 47, 31, 500), wall: false }],
    ['2025-06-02T10:00-0530', { ms: Date.UTC(2025, 5, 2, 15, 30), wall: false }],
    ['2025-06-02T10:00:00 +01', { ms: Date.UTC(2025, 5, 2, 9, 0), wall: false }],
    ['2025-06-02 19:47', { ms: Date.UTC(2025, 5, 2, 19, 47), wall: true }],
    ['2025-06-02', { ms: Date.UTC(2025, 5, 2), wall: true }],
    ['2024-02-29T00:00:00Z', { ms: Date.UTC(2024, 1, 29), wall: false }],
    ['2025-02-29T00:00:00Z', undefined],
    ['2025-04-31', undefined],
    ['2025-13-01', undefined],
    ['2025-06-02T24:00', undefined],
    ['2025-06-02T10:60', undefined],
    ['02-06-2025', undefined],
    ['2025-6-2', undefined],
  ];
  test.each(cases)('%s', (text, expected) => {
    expect(parseIsoDateTime(text)).toEqual(expected);
  });
});

describe('makeDateParser', () => {
  const cases: [string[], string, string, number | undefined][] = [
    // Amsterdam: CET (+01:00) in winter, CEST (+02:00) from 30 March 2025 02:00 local.
    [['iso'], 'Europe/Amsterdam', '2025-01-05 14:30', Date.UTC(2025, 0, 5, 13, 30)],
    [['iso'], 'Europe/Amsterdam', '2025-07-15 23:45', Date.UTC(2025, 6, 15, 21, 45)],
    [['iso'], 'Europe/Amsterdam', '2025-07-15T23:45Z', Date.UTC(2025, 6, 15, 23, 45)],
    [['dd-MM-yyyy HH:mm'], 'Europe/Amsterdam', '05-01-2025 14:30', Date.UTC(2025, 0, 5, 13, 30)],
    [['dd-MM-yyyy HH:mm'], 'Europe/Amsterdam', '30-03-2025 03:15', Date.UTC(2025, 2, 30, 1, 15)],
    [['dd-MM-yyyy HH:mm'], 'Europe/Amsterdam', '01-11-2025 09:00', Date.UTC(2025, 10, 1, 8, 0)],
    [['dd-MM-yyyy HH:mm'], 'Europe/Amsterdam', '31-02-2025 10:00', undefined],
    [['dd-MM-yyyy HH:mm'], 'Europe/Amsterdam', '2025-03-30 03:15', undefined],
    // Los Angeles: PDT (-07:00) in June, PST (-08:00) on New Year's Eve.
    [['M/d/yyyy H:mm'], 'America/Los_Angeles', '6/2/2025 9:05', Date.UTC(2025, 5, 2, 16, 5)],
    [['M/d/yyyy H:mm'], 'America/Los_Angeles', '12/31/2025 23:59', Date.UTC(2026, 0, 1, 7, 59)],
    [['M/d/yyyy H:mm'], 'America/Los_Angeles', '13/1/2025 1:00', undefined],
    [["yyyy-MM-dd'T'HH:mmXXX"], 'America/Los_Angeles', '2025-06-02T10:00+02:00', Date.UTC(2025, 5, 2, 8, 0)],
    [['dd-MM-yyyy HH:mm', 'iso'], 'UTC', '2025-06-02T10:00:00Z', Date.UTC(2025, 5, 2, 10, 0)],
    [['dd-MM-yyyy HH:mm', 'iso'], 'UTC', '02-06-2025 10:00', Date.UTC(2025, 5, 2, 10, 0)],
    [['iso'], 'UTC', '  2025-06-02  ', Date.UTC(2025, 5, 2)],
    [['iso'], 'UTC', '', undefined],
  ];
  test.each(cases)('%j in %s: %j', (formats, zone, text, expected) => {
    expect(makeDateParser(formats, zone)(text)).toBe(expected);
  });
});

describe('the machine time zone does not leak into date-fns formats', () => {
  const saved = process.env.TZ;
  afterEach(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  test('02:30 on 30 March 2025 does not exist in Amsterdam but does in New York (EDT, -04:00)', () => {
    process.env.TZ = 'Europe/Amsterdam';
    const parse = makeDateParser(['dd-MM-yyyy HH:mm'], 'America/New_York');
    expect(parse('30-03-2025 02:30')).toBe(Date.UTC(2025, 2, 30, 6, 30));
  });
});

describe('dateFormatProblem', () => {
  const cases: [string, boolean][] = [
    ['iso', false],
    ['dd-MM-yyyy HH:mm', false],
    ['M/d/yyyy H:mm', false],
    ["yyyy-MM-dd'T'HH:mm:ssXXX", false],
    ['DD-MM-YYYY HH:mm', true],
    ['fooo', true],
  ];
  test.each(cases)('%s has a problem: %s', (format, problem) => {
    expect(dateFormatProblem(format) !== undefined).toBe(problem);
  });
});
