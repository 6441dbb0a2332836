import { describe, expect, it } from 'vitest';
import {
  formatCount,
  formatDateTime,
  formatMoney,
  formatMoneyCompact,
  formatMoneyWhole,
  formatMonth,
  formatPercent,
  formatShare,
  formatSignificant,
} from '../../../src/report/formatters.js';

describe('formatCount', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1234567, '1,234,567'],
    [-4200, '-4,200'],
    [Number.NaN, '—'],
    [Number.POSITIVE_INFINITY, '—'],
  ])('%d -> %s', (value, expected) => {
    expect(formatCount(value)).toBe(expected);
  });
});

describe('formatMoney', () => {
  it.each([
    [1234.5, 'USD', '$1,234.50'],
    [412345.67, 'USD', '$412,345.67'],
    [-12.3, 'EUR', '-€12.30'],
    // JPY has no minor unit.
    [1234.5, 'JPY', '¥1,235'],
    // Not a valid ISO 4217 code: no exception, the code is appended.
    [1234.5, 'US', '1,234.50 US'],
    [Number.NaN, 'USD', '—'],
  ])('%d %s -> %s', (value, currency, expected) => {
    expect(formatMoney(value, currency)).toBe(expected);
  });
});

describe('formatMoneyWhole and formatMoneyCompact', () => {
  it.each([
    [698220.09, 'USD', '$698,220', '$698.2K'],
    [40000, 'USD', '$40,000', '$40K'],
    [12500, 'EUR', '€12,500', '€12.5K'],
    [0, 'USD', '$0', '$0'],
  ])('%d %s -> %s / %s', (value, currency, whole, compact) => {
    expect(formatMoneyWhole(value, currency)).toBe(whole);
    expect(formatMoneyCompact(value, currency)).toBe(compact);
  });
});

describe('percentages', () => {
  it.each([
    [0.4567, 1, '45.7%'],
    [0.4567, 0, '46%'],
    [1, 0, '100%'],
    [0, 1, '0.0%'],
  ])('formatPercent(%d, %d) -> %s', (share, digits, expected) => {
    expect(formatPercent(share, digits)).toBe(expected);
  });
  it.each([
    // 702 / 1781 = 0.3942 ; 1781 / 2601 = 0.6847
    [702, 1781, '39%'],
    [1781, 2601, '68%'],
    [1, 0, '—'],
  ])('formatShare(%d, %d) -> %s', (part, whole, expected) => {
    expect(formatShare(part, whole)).toBe(expected);
  });
});

describe('formatSignificant', () => {
  it.each([
    [0.24263, '0.2426'],
    [4.41358, '4.414'],
    [2.5, '2.5'],
    [0, '0'],
    [1234567, '1.235e+6'],
    [0.0000123, '1.230e-5'],
  ])('%d -> %s', (value, expected) => {
    expect(formatSignificant(value)).toBe(expected);
  });
});

describe('dates', () => {
  it.each([
    ['2025-06', 'Jun 2025'],
    ['2024-12', 'Dec 2024'],
    ['2025-13', '2025-13'],
    ['Q3', 'Q3'],
  ])('formatMonth %s -> %s', (month, expected) => {
    expect(formatMonth(month)).toBe(expected);
  });
  it.each([
    ['2025-06-30T12:00:00Z', '30 Jun 2025, 12:00 UTC'],
    // Offsets are converted to UTC: 23:30 at −02:00 is 01:30 UTC the next day.
    ['2025-06-30T23:30:00-02:00', '1 Jul 2025, 01:30 UTC'],
    ['soon', 'soon'],
  ])('formatDateTime %s -> %s', (iso, expected) => {
    expect(formatDateTime(iso)).toBe(expected);
  });
});
