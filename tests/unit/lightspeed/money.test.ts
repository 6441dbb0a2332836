import { describe, expect, it } from 'vitest';
import { currencyDecimals, toMinorUnits } from '../../../src/sources/lightspeed/money.js';

describe('toMinorUnits', () => {
  const cases: Array<[number, number, number]> = [
    [100, 2, 10000],
    [86.96, 2, 8696],
    [0.29, 2, 29],
    [1.15, 2, 115],
    [-25840.85, 2, -2584085],
    [0.005, 2, 1],
    [-0.005, 2, -1],
    [-0.004, 2, 0],
    [1500, 0, 1500],
    [1.2345, 3, 1235],
    [43.47826 + 6.52174, 2, 5000],
  ];
  it.each(cases)('%f with %i decimals -> %i', (major, decimals, minor) => {
    expect(toMinorUnits(major, decimals)).toBe(minor);
    expect(Object.is(toMinorUnits(major, decimals), -0)).toBe(false);
  });
});

describe('currencyDecimals', () => {
  it.each([
    ['NZD', 2],
    ['JPY', 0],
    ['KWD', 3],
    ['not-a-code', 2],
  ] as const)('%s -> %i', (code, decimals) => {
    expect(currencyDecimals(code)).toBe(decimals);
  });
});
