import { describe, expect, it } from 'vitest';
import { formatSquareTime, parseSquareTime } from '../../../src/sources/square/squareTime.js';

describe('parseSquareTime', () => {
  // Expected values from Date.UTC by hand, independent of the parser.
  it.each([
    ['2025-06-02T19:47:31Z', Date.UTC(2025, 5, 2, 19, 47, 31, 0)],
    ['2025-06-02T19:47:31.402Z', Date.UTC(2025, 5, 2, 19, 47, 31, 402)],
    ['2025-06-02T19:47:31.4Z', Date.UTC(2025, 5, 2, 19, 47, 31, 400)],
    ['2025-06-02T19:47:31.402987Z', Date.UTC(2025, 5, 2, 19, 47, 31, 402)],
    ['2025-06-02T19:47:31.000Z', Date.UTC(2025, 5, 2, 19, 47, 31, 0)],
    ['2025-06-02T21:47:31+02:00', Date.UTC(2025, 5, 2, 19, 47, 31, 0)],
    ['2025-06-02T12:47:31.5-07:00', Date.UTC(2025, 5, 2, 19, 47, 31, 500)],
    ['2025-01-01T00:30:00+05:30', Date.UTC(2024, 11, 31, 19, 0, 0, 0)],
    ['2016-03-23T20:21:54.859z', Date.UTC(2016, 2, 23, 20, 21, 54, 859)],
  ])('%s', (input, expected) => {
    expect(parseSquareTime(input)).toBe(expected);
  });

  it.each([
    ['date only', '2025-06-02'],
    ['space separator', '2025-06-02 19:47:31Z'],
    ['no zone', '2025-06-02T19:47:31'],
    ['offset turned into a space by a query string', '2025-06-02T19:47:31 02:00'],
    ['month 13', '2025-13-02T19:47:31Z'],
    ['empty', ''],
    ['not a string', 1717357651000],
    ['null', null],
  ])('rejects %s', (_name, input) => {
    expect(parseSquareTime(input)).toBeUndefined();
  });

  it('orders whole-second and fractional times as instants, not as strings', () => {
    const whole = '2025-06-02T19:47:31Z';
    const fractional = '2025-06-02T19:47:31.402Z';
    // As strings the whole second sorts after ("Z" > "."); as instants it is 402 ms earlier.
    expect(whole > fractional).toBe(true);
    expect(parseSquareTime(whole)! < parseSquareTime(fractional)!).toBe(true);
  });
});

describe('formatSquareTime', () => {
  it.each([
    [Date.UTC(2025, 5, 2, 19, 47, 31, 402), '2025-06-02T19:47:31.402Z'],
    [Date.UTC(2009, 0, 1), '2009-01-01T00:00:00.000Z'],
  ])('%s -> %s', (ms, expected) => {
    expect(formatSquareTime(ms)).toBe(expected);
  });
});
