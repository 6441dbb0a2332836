import { describe, expect, test } from 'vitest';
import { chunkDecoder, decodeWindows1252, encodingFromBom, Utf8Checker } from '../../../src/sources/ecom/textEncoding.js';

function check(chunks: Buffer[]) {
  const checker = new Utf8Checker();
  for (const chunk of chunks) {
    const problem = checker.push(chunk);
    if (problem) return problem;
  }
  return checker.end();
}

describe('Utf8Checker', () => {
  const valid = Buffer.from('order;naam\nZoë;€ 12,50\n😀;ok\n', 'utf8');
  test.each([...Array(valid.length).keys()].map((cut) => [cut]))('valid UTF-8 split at byte %s passes', (cut) => {
    expect(check([valid.subarray(0, cut), valid.subarray(cut)])).toBeUndefined();
  });

  const invalid: [string, Buffer[], { offset: number; line: number; byte?: number }][] = [
    ['a Windows-1252 é on line 2', [Buffer.from([0x61, 0x62, 0x0a, 0x63, 0x64, 0xe9, 0x66])], { offset: 5, line: 2, byte: 0xe9 }],
    ['the same, split before it', [Buffer.from('ab\ncd'), Buffer.from([0xe9, 0x66])], { offset: 5, line: 2, byte: 0xe9 }],
    ['an overlong encoding', [Buffer.from([0x41, 0xc0, 0x80])], { offset: 1, line: 1, byte: 0xc0 }],
    ['a UTF-16 surrogate', [Buffer.from([0x0a, 0x0a, 0xed, 0xa0, 0x80])], { offset: 2, line: 3, byte: 0xed }],
    ['a lead byte followed by ASCII', [Buffer.from([0x41, 0xc3, 0x41])], { offset: 1, line: 1, byte: 0xc3 }],
    ['a sequence cut off by the end of the file', [Buffer.from([0x41, 0x0a, 0xe2, 0x82])], { offset: 2, line: 2 }],
  ];
  test.each(invalid)('%s', (_name, chunks, expected) => {
    expect(check(chunks)).toEqual(expected);
  });
});

describe('Windows-1252 and UTF-16', () => {
  test('decodeWindows1252 maps 0x80-0x9F by the Windows table, the rest as Latin-1', () => {
    expect(decodeWindows1252(Buffer.from([0x80, 0xe9, 0x8c, 0x41, 0x93, 0x94, 0x9f, 0xfc]))).toBe('€éŒA“”Ÿü');
  });

  test('a UTF-16LE character split across chunks', () => {
    const bytes = Buffer.from('Zoë€', 'utf16le');
    const decoder = chunkDecoder('utf-16le');
    expect(decoder.write(bytes.subarray(0, 5)) + decoder.write(bytes.subarray(5)) + decoder.end()).toBe('Zoë€');
  });

  const boms: [number[], string | undefined][] = [
    [[0xff, 0xfe, 0x61, 0x00], 'utf-16le'],
    [[0xfe, 0xff, 0x00, 0x61], 'utf-16be'],
    [[0xef, 0xbb, 0xbf, 0x61], undefined],
    [[0x61, 0x62], undefined],
  ];
  test.each(boms)('encodingFromBom(%j) = %s', (bytes, expected) => {
    expect(encodingFromBom(Buffer.from(bytes))).toBe(expected);
  });
});
