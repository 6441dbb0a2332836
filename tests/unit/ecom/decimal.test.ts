import { describe, expect, test } from 'vitest';
import { currencyDecimals } from '../../../src/core/currency.js';
import { multiply, parseDecimal, toMinorUnits, type DecimalSeparator } from '../../../src/sources/ecom/decimal.js';

describe('parseDecimal + toMinorUnits (two decimals)', () => {
  const cases: [string, DecimalSeparator, number | undefined][] = [
    ['25.50', '.', 2550],
    ['1500', '.', 150000],
    ['1,200.00', '.', 120000],
    ['1.234,56', ',', 123456],
    ['19,95', ',', 1995],
    ['-10,00', ',', -1000],
    ['(12.00)', '.', -1200],
    ['12-', '.', -1200],
    ['\u22123.10', '.', -310],
    ['+4.00', '.', 400],
    ['€ 12,50', ',', 1250],
    ['1.000,00 €', ',', 100000],
    ['EUR 3.5', '.', 350],
    ['$1,000', '.', 100000],
    ['-€3,99', ',', -399],
    ['€-3,99', ',', -399],
    ['1 234,5', ',', 123450],
    ['1\u00a0234,5', ',', 123450],
    ["1'234.50", '.', 123450],
    ['.5', '.', 50],
    ['  7.25  ', '.', 725],
    ['0,333', ',', 33],
    ['0.335', '.', 34],
    ['', '.', undefined],
    ['12.5x', '.', undefined],
    ['4,5', '.', undefined],
    ['1,5000', '.', undefined],
    ['1.5', ',', undefined],
    ['1.2.3', '.', undefined],
    ['--5', '.', undefined],
    ['(-5)', '.', undefined],
    ['abc', '.', undefined],
    ['1e5', '.', undefined],
    ['12,34,567', '.', undefined],
  ];
  test.each(cases)('%j with decimal %j -> %j minor units', (text, separator, expected) => {
    const value = parseDecimal(text, separator);
    expect(value === undefined ? undefined : toMinorUnits(value, 2)).toBe(expected);
  });
});

describe('toMinorUnits rounds half away from zero to the currency decimals', () => {
  const cases: [bigint, number, number, number][] = [
    [2345n, 3, 2, 235],
    [-2345n, 3, 2, -235],
    [2344n, 3, 2, 234],
    [15004n, 1, 0, 1500],
    [15005n, 1, 0, 1501],
    [-15005n, 1, 0, -1501],
    [15n, 1, 3, 1500],
    [7n, 0, 2, 700],
    [1n, 4, 2, 0],
    [5n, 3, 2, 1],
  ];
  test.each(cases)('%s / 10^%s with %s decimals -> %s', (units, scale, decimals, expected) => {
    expect(toMinorUnits({ units, scale }, decimals)).toBe(expected);
  });
});

describe('multiply (quantity x unit price)', () => {
  const cases: [string, string, number][] = [
    ['3', '0.333', 100],
    ['2', '7.50', 1500],
    ['-1', '20.00', -2000],
    ['1.5', '3.99', 599],
    ['4', '1.10', 440],
  ];
  test.each(cases)('%s x %s -> %s cents', (quantity, price, expected) => {
    expect(toMinorUnits(multiply(parseDecimal(quantity, '.')!, parseDecimal(price, '.')!), 2)).toBe(expected);
  });
});

describe('currencyDecimals', () => {
  const cases: [string, number][] = [
    ['USD', 2],
    ['EUR', 2],
    ['JPY', 0],
    ['jpy', 0],
    ['KRW', 0],
    ['BHD', 3],
    ['KWD', 3],
    ['CLF', 4],
    ['XYZ', 2],
  ];
  test.each(cases)('%s has %s decimals', (code, expected) => {
    expect(currencyDecimals(code)).toBe(expected);
  });
});
