import { describe, expect, test } from 'vitest';
import { RecordLines } from '../../../src/sources/ecom/recordLines.js';

describe('RecordLines', () => {
  // The raw texts are what csv-parse hands out: blank lines before a record belong to it, and a CRLF
  // record end is given as CR alone.
  const cases: [string, string[], number[]][] = [
    ['LF, a quoted line break, two blank lines', ['a,b\n', '1,"x\ny"\n', '\n\n3,4\n'], [1, 2, 6]],
    ['CRLF, a quoted CRLF, one blank line', ['a,b\r', '1,"x\r\ny"\r', '\r3,4'], [1, 2, 5]],
    ['CR only', ['a,b\r', '1,2\r', '3,4'], [1, 2, 3]],
  ];
  test.each(cases)('%s', (_name, raws, expected) => {
    const lines = new RecordLines();
    expect(raws.map((raw) => lines.next(raw))).toEqual(expected);
  });

  const contents: [string, string][] = [
    ['\n\n3,4\r', '3,4'],
    ['1,"x\r\ny"\r\n', '1,"x\r\ny"'],
    ['5,6', '5,6'],
  ];
  test.each(contents)('content(%j) = %j', (raw, expected) => {
    expect(RecordLines.content(raw)).toBe(expected);
  });
});
