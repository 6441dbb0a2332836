import { describe, expect, it } from 'vitest';
import { makeInert, restoreInert } from '../../../src/core/csvSafety.js';
import { normalizeEmail, normalizePhone } from '../../../src/core/contact.js';
import { csvLine, formatMoney, formatNumber } from '../../../src/io/csvFormat.js';

describe('makeInert', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['+cmd|/c calc', `'+cmd|/c calc`],
    ['@SUM(A1:A2)', `'@SUM(A1:A2)`],
    ['-2+3', `'-2+3`],
    ['\tx', `'\tx`],
    ['-12.50', '-12.50'],
    ['+14155550123', '+14155550123'],
    ['Anne', 'Anne'],
    ["'=x", "''=x"],
    ['', ''],
  ])('%j -> %j, and back', (input, expected) => {
    expect(makeInert(input)).toBe(expected);
    expect(restoreInert(makeInert(input))).toBe(input);
  });
});

describe('csvLine', () => {
  it('quotes commas, quotes and newlines; ends with CRLF', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines'])).toBe('a,"b,c","say ""hi""","two\nlines"\r\n');
  });

  it('quotes semicolons and tabs, which LibreOffice splits on by default', () => {
    expect(csvLine(['lightspeed;square', 'a\tb', 'plain'])).toBe('"lightspeed;square","a\tb",plain\r\n');
  });
});

describe('formatMoney', () => {
  it.each([
    [12345, 2, '123.45'],
    [-5, 2, '-0.05'],
    [0, 2, '0.00'],
    [1999.5, 2, '20.00'],
    [1500, 0, '1500'],
    [1234, 3, '1.234'],
    [NaN, 2, ''],
  ])('%d minor units, %i decimals -> %s', (minor, decimals, expected) => expect(formatMoney(minor, decimals)).toBe(expected));

  it.each([
    [0.123456, 4, '0.1235'],
    [0.954, 4, '0.9540'],
    [10.897, 4, '10.8970'],
    [2, 1, '2.0'],
    [36.06, 1, '36.1'],
    [-0.00001, 4, '0.0000'],
    [-1.25, 1, '-1.3'],
    [7.6, 0, '8'],
    [NaN, 4, ''],
  ])('number %d with %i decimals -> %s (fixed, so never the three decimals a comma-decimal locale misreads)', (value, decimals, expected) =>
    expect(formatNumber(value, decimals)).toBe(expected));
});

describe('contact normalization', () => {
  it.each([
    [' Anne@Example.COM ', 'anne@example.com'],
    ['not-an-email', undefined],
    ['a b@c.d', undefined],
    [undefined, undefined],
  ])('email %j -> %j', (raw, expected) => expect(normalizeEmail(raw)).toBe(expected));

  it.each([
    ['(415) 555-0123', 'US', '+14155550123'],
    ['+1 415 555 0123', 'NZ', '+14155550123'],
    ['001 415 555 0123', 'US', '+14155550123'],
    ['021 555 1234', 'NZ', '+64215551234'],
    ['+14155550123', 'US', '+14155550123'],
    ['n/a', 'US', undefined],
    ['12', 'US', undefined],
    // Read in the region only when valid there (issue 11): 06 is a Dutch mobile prefix, no US area code.
    ['06-12345678', 'NL', '+31612345678'],
    ['06-12345678', 'US', undefined],
    ['06-12345678', undefined, undefined],
    ['(415) 555-0101', 'NL', undefined],
    // With a country code, no region is needed.
    ['+31 6 12345678', undefined, '+31612345678'],
    ['0031 6 12345678', undefined, '+31612345678'],
  ])('phone %j in %s -> %j', (raw, region, expected) => expect(normalizePhone(raw, region)).toBe(expected));
});
