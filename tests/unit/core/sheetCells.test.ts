/**
 * How the master writes times and phones for spreadsheets, and reads them back (src/core/sheetCells.ts).
 * tests/e2e/spreadsheets.test.ts checks the same cells in LibreOffice itself.
 */
import { getCountries, getExampleNumber } from 'libphonenumber-js';
import examples from 'libphonenumber-js/mobile/examples';
import { describe, expect, it } from 'vitest';
import { formatSheetTime, internationalPhone, phoneCell, phoneText, readPhoneCell, readSheetTime } from '../../../src/core/sheetCells.js';

describe('times', () => {
  it('are written in UTC without the Z and read back with it', () => {
    const ms = Date.UTC(2025, 5, 2, 19, 47, 31, 900);
    expect(formatSheetTime(ms)).toBe('2025-06-02T19:47:31');
    expect(readSheetTime('2025-06-02T19:47:31')).toBe('2025-06-02T19:47:31Z');
  });

  it.each([['2025-06-02T19:47:31Z'], ['2025-06-02T19:47:31+02:00'], [''], ['2025-06-02']])('%j (an earlier master, or no time) is read as it is', (cell) =>
    expect(readSheetTime(cell)).toBe(cell));
});

describe('phones', () => {
  it.each([
    // National numbering plans, written in international format (ITU-T E.123).
    ['+64224423832', '+64 22 442 3832'],
    ['+14155550123', '+1 415 555 0123'],
    ['+442079460958', '+44 20 7946 0958'],
    ['+31612345678', '+31 6 12345678'],
    // Portugal's mobiles group 3-3-3: in a locale that groups thousands with a space that is one number.
    ['+351912345678', '+351 912345678'],
    ['+48512345678', '+48 512345678'],
    ['0612345678', undefined],
    ['+12345', undefined],
  ])('%s in international format: %j', (value, expected) => expect(internationalPhone(value)).toBe(expected));

  it.each([
    ['', ''],
    ['+64224423832', '+64 22 442 3832'],
    // Kept as written (not valid for its region): digits and punctuation only, so protected.
    ['0612345678', "'0612345678"],
    ['06-12345678', "'06-12345678"],
    ['(06) 1234 5678', "'(06) 1234 5678"],
    ['12/05', "'12/05"],
    ['+1234', "'+1234"],
    // With letters no spreadsheet reads a number or a date; formula-like text is inert as everywhere.
    ['ask for Jo', 'ask for Jo'],
    ['+1 call me', "'+1 call me"],
    ['=cmd', "'=cmd"],
    // A phone that begins with an apostrophe keeps it through the round trip.
    ["'0612", "''0612"],
  ])('%j is written %j and read back', (value, cell) => {
    expect(phoneCell(value)).toBe(cell);
    expect(readPhoneCell(cell)).toBe(value);
  });

  it('reads E.164 as version 1 masters wrote it', () => {
    expect(readPhoneCell('+64224423832')).toBe('+64224423832');
  });

  it('shows people the international format or the phone as written', () => {
    expect(phoneText('+64224423832')).toBe('+64 22 442 3832');
    expect(phoneText('0612345678')).toBe('0612345678');
  });

  it("every country's example mobile number: digits kept, read back, never digit groups of three after the country code", () => {
    const groupedLikeANumber = /^\+\d{1,3}( \d{3})+$/;
    let checked = 0;
    for (const country of getCountries()) {
      const example = getExampleNumber(country, examples);
      if (!example) continue;
      const e164 = example.number;
      const cell = phoneCell(e164);
      expect(cell, country).toMatch(/^\+\d+( \d+)+$/);
      expect(cell.replace(/ /g, ''), country).toBe(e164);
      expect(cell, country).not.toMatch(groupedLikeANumber);
      expect(readPhoneCell(cell), country).toBe(e164);
      checked++;
    }
    expect(checked).toBeGreaterThan(200);
  });
});
