/** Which field of a raw CSV record holds a quote RFC 4180 does not allow there. */
import { describe, expect, it } from 'vitest';
import { strayQuoteField } from '../../../src/sources/ecom/strayQuote.js';

describe('strayQuoteField', () => {
  it.each([
    ['1,Dirk "DJ" Jansen,3', ',', 1],
    ['1,"2.00"x,3', ',', 1],
    ['5" screen,2,3', ',', 0],
    ['a;b;c "d"', ';', 2],
    ['a\tb"\tc', '\t', 1],
  ])('%j (delimiter %j): field %i', (record, delimiter, field) => {
    expect(strayQuoteField(record, delimiter)).toBe(field);
  });

  it.each([
    ['1,"Dirk ""DJ"" Jansen",3', ','],
    ['1,"a,b",3', ','],
    ['1,"line\r\nbreak",3', ','],
    ['1,,3,', ','],
    ['"",""', ','],
    ['plain;text;"quoted;too"', ';'],
  ])('%j (delimiter %j): none', (record, delimiter) => {
    expect(strayQuoteField(record, delimiter)).toBe(-1);
  });
});
