import { describe, expect, it } from 'vitest';
import { timeWindows } from '../../../src/sources/square/timeWindows.js';

const DAY = 86_400_000;

describe('timeWindows', () => {
  it.each([
    ['empty range', 10, 10, 5, []],
    ['reversed range', 10, 5, 5, []],
    ['one short window', 0, 3, 5, [[0, 3]]],
    ['exact multiple', 0, 10, 5, [[0, 5], [5, 10]]],
    ['remainder', 0, 12, 5, [[0, 5], [5, 10], [10, 12]]],
    ['62 days in 31-day windows', 0, 62 * DAY, 31 * DAY, [[0, 31 * DAY], [31 * DAY, 62 * DAY]]],
    ['63 days in 31-day windows', 0, 63 * DAY, 31 * DAY, [[0, 31 * DAY], [31 * DAY, 62 * DAY], [62 * DAY, 63 * DAY]]],
  ])('%s', (_name, from, to, width, expected) => {
    expect(timeWindows(from as number, to as number, width as number)).toEqual(expected);
  });

  it('never makes a window wider than asked', () => {
    for (const [a, b] of timeWindows(123, 400 * DAY + 7, 31 * DAY)) expect(b - a).toBeLessThanOrEqual(31 * DAY);
  });

  it('refuses a zero width', () => {
    expect(() => timeWindows(0, 10, 0)).toThrow();
  });
});
