import { describe, expect, test } from 'vitest';
import { sniffDelimiter } from '../../../src/sources/ecom/sniffDelimiter.js';

describe('sniffDelimiter looks at the header line only, outside quotes', () => {
  const cases: [string, string, string][] = [
    ['comma', 'order_id,ordered_at,total\n1;2;3;4;5', ','],
    ['semicolon with CRLF', 'Number;Date;Total\r\n1,2,3,4,5', ';'],
    ['tab', 'Order\tCreated\tQty\n', '\t'],
    ['BOM then semicolon', '\uFEFFa;b;c', ';'],
    ['semicolons inside quotes do not count', '"a;b;c;d",e,f\n', ','],
    ['commas inside quotes do not count', '"a,b,c,d";e;f\n', ';'],
    ['a quoted header with a line break', '"a\nb";c;d\n1,2,3,4,5,6', ';'],
    ['a single column falls back to comma', 'order_id\n', ','],
  ];
  test.each(cases)('%s', (_name, head, expected) => {
    expect(sniffDelimiter(head)).toBe(expected);
  });
});
