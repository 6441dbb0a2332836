/** How each master cell becomes a query parameter: the checks that catch a bad cell before PostgreSQL does. */
import { describe, expect, test } from 'vitest';
import { CellError, parseCell, type CellType } from '../../../src/export/pgCell.js';

describe('parseCell accepts', () => {
  test.each<[CellType, string, unknown]>([
    ['text', '', null],
    ['text', 'Ada', 'Ada'],
    ['text', "'=SUM(A1)", '=SUM(A1)'],
    ['text', "''=x", "'=x"],
    ['text', "'plain", "'plain"],
    ['text', '-42', '-42'],
    ['list', 'a;b;c', ['a', 'b', 'c']],
    ['list', "'-x;y", ['-x', 'y']],
    ['list', 'solo', ['solo']],
    ['list', '', null],
    ['boolean', 'true', true],
    ['boolean', 'FALSE', false],
    ['integer', '0', '0'],
    ['integer', '-17', '-17'],
    ['integer', '2147483647', '2147483647'],
    ['money', '123.45', '123.45'],
    ['money', '-0.50', '-0.50'],
    ['money', '1000', '1000'],
    ['number', '0.93', '0.93'],
    ['number', '1.2e-7', '1.2e-7'],
    ['date', '2024-02-29', '2024-02-29'],
    ['timestamp', '2025-06-02T19:47:31Z', '2025-06-02T19:47:31Z'],
    ['timestamp', '2025-06-02T19:47:31.123Z', '2025-06-02T19:47:31.123Z'],
    ['timestamp', '2025-06-02T21:47:31+02:00', '2025-06-02T21:47:31+02:00'],
    // The master (version 2) writes its UTC times without the Z: sent with it, so the server's TimeZone cannot shift them.
    ['timestamp', '2025-06-02T19:47:31', '2025-06-02T19:47:31Z'],
    // Phones back to E.164, or as written without the protecting apostrophe.
    ['phone', '+64 22 442 3832', '+64224423832'],
    ['phone', '+64224423832', '+64224423832'],
    ['phone', "'0612345678", '0612345678'],
    ['phone', "'=cmd", '=cmd'],
    ['phone', '', null],
  ])('%s %j', (type, raw, expected) => {
    expect(parseCell(type, raw)).toEqual(expected);
  });
});

describe('parseCell rejects', () => {
  test.each<[CellType, string, string]>([
    ['boolean', 'yes', 'is not true or false'],
    ['boolean', '1', 'is not true or false'],
    ['integer', '4.5', 'is not a whole number'],
    ['integer', '2147483648', 'is not a whole number'],
    ['integer', ' 4', 'is not a whole number'],
    ['money', '1,234.00', 'is not a decimal amount'],
    ['money', '12.3e2', 'is not a decimal amount'],
    ['money', '$5', 'is not a decimal amount'],
    ['number', 'NaN', 'is not a number'],
    ['number', 'Infinity', 'is not a number'],
    ['date', '2025-02-29', 'is not a date (YYYY-MM-DD)'],
    ['date', '2025-6-1', 'is not a date (YYYY-MM-DD)'],
    ['timestamp', '2025-02-30T10:00:00Z', 'is not an ISO 8601 time (2025-06-02T19:47:31)'],
    ['timestamp', '2025-06-02T24:00:00Z', 'is not an ISO 8601 time (2025-06-02T19:47:31)'],
    ['timestamp', '2025-06-02 19:47:31', 'is not an ISO 8601 time (2025-06-02T19:47:31)'],
    ['timestamp', '1748916000000', 'is not an ISO 8601 time (2025-06-02T19:47:31)'],
    ['text', 'a\u0000b', 'contains a NUL character, which PostgreSQL text cannot store'],
  ])('%s %j', (type, raw, message) => {
    expect(() => parseCell(type, raw)).toThrow(new CellError(message));
  });
});
