/**
 * The master's reader (src/io/csvRecords.ts) against csv-parse, the reference it replaces for ca's own
 * files: the same rows from the same bytes, read in chunks cut at every possible place, and the same
 * files refused, each with its line.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRecords, CsvSyntaxError } from '../../../src/io/csvRecords.js';
import { removeDir, tempDir } from '../../helpers/cli.js';
import { Random } from '../../../src/sandbox/random.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('ca-csvrecords-');
});
afterAll(() => removeDir(dir));

let files = 0;
async function fileWith(text: string | Buffer): Promise<string> {
  const path = join(dir, `f${files++}.csv`);
  await writeFile(path, text);
  return path;
}

async function read(path: string, chunkBytes?: number, select?: (header: readonly string[]) => readonly boolean[]): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const row of csvRecords(path, select, { chunkBytes })) rows.push(row);
  return rows;
}

const VALUES = ['', 'plain', '42.50', 'with,comma', 'say "hi"', '"', '""', 'two\r\nlines', 'lf\nonly', 'ünïcödé €', ' spaced ', 'a\rb', ',', '=1+2'];

function quoteIfNeeded(value: string, always: boolean): string {
  return always || /[",\r\n]/.test(value) || value === '' ? `"${value.replaceAll('"', '""')}"` : value;
}

function generated(seed: number): string {
  const random = new Random(seed);
  const next = () => random.next();
  const columns = 1 + Math.floor(next() * 5);
  const rows = Math.floor(next() * 8);
  const eol = next() < 0.5 ? '\r\n' : '\n';
  const lines: string[] = [];
  for (let r = 0; r <= rows; r++) {
    const fields: string[] = [];
    for (let c = 0; c < columns; c++) {
      const value = r === 0 ? `col${c}` : VALUES[Math.floor(next() * VALUES.length)];
      // An empty unquoted field, except as a row's only one (that is a blank line, which is refused).
      fields.push(value === '' && columns > 1 && next() < 0.5 ? '' : quoteIfNeeded(value, next() < 0.2));
    }
    lines.push(fields.join(','));
  }
  return (next() < 0.5 ? '\uFEFF' : '') + lines.join(eol) + (next() < 0.7 ? eol : '');
}

describe('csvRecords', () => {
  it('reads what csv-parse reads, whatever the chunk size', async () => {
    for (let seed = 1; seed <= 60; seed++) {
      const text = generated(seed);
      const path = await fileWith(text);
      const expected = (parse(text, { bom: true, relax_column_count: false }) as string[][]).slice(1);
      for (const chunkBytes of [1, 2, 3, 5, 7, 64, undefined]) {
        expect(await read(path, chunkBytes), `seed ${seed}, chunks of ${chunkBytes ?? 'default'} bytes`).toEqual(expected);
      }
    }
  });

  it('a thousand rows, handed over a few hundred at a time, read in chunks of every size', async () => {
    const lines = ['id,name,note'];
    for (let i = 0; i < 1000; i++) lines.push(`${i},${quoteIfNeeded(VALUES[i % VALUES.length], i % 3 === 0)},x${i}`);
    const text = lines.join('\r\n') + '\r\n';
    const path = await fileWith(text);
    const expected = (parse(text, { bom: true }) as string[][]).slice(1);
    for (const chunkBytes of [7, 100, 4096, undefined]) expect(await read(path, chunkBytes)).toEqual(expected);
  });

  it('a quoted field across chunk ends, a doubled quote split between two chunks, multi-byte characters cut in half', async () => {
    const text = '\uFEFFname,note\r\n"Zoë ""Z"" Ångström","line one\r\nline two, €5"\r\nplain,""""\r\n';
    const path = await fileWith(text);
    for (let chunkBytes = 1; chunkBytes <= text.length + 8; chunkBytes++) {
      expect(await read(path, chunkBytes)).toEqual([
        ['Zoë "Z" Ångström', 'line one\r\nline two, €5'],
        ['plain', '"'],
      ]);
    }
  });

  it('decodes only the selected columns and leaves the others empty', async () => {
    const path = await fileWith('a,b,c\r\n1,"2,5",3\r\n4,5,6\r\n');
    expect(await read(path, undefined, (header) => header.map((name) => name !== 'b'))).toEqual([
      ['1', '', '3'],
      ['4', '', '6'],
    ]);
  });

  it('a file with a header only, or empty, has no rows', async () => {
    expect(await read(await fileWith('a,b\r\n'))).toEqual([]);
    expect(await read(await fileWith(''))).toEqual([]);
    expect(await read(await fileWith('\uFEFF'))).toEqual([]);
  });

  const refused = async (text: string): Promise<string> => {
    const error = await read(await fileWith(text), 3).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CsvSyntaxError);
    return (error as Error).message;
  };

  it('refuses what csv-parse refuses, naming the line (a line break inside quotes counts)', async () => {
    expect(await refused('a,b\r\n"one\r\ntwo",x\r\n1,2,3\r\n')).toBe('line 4: 3 fields where the header has 2');
    expect(await refused('a,b\r\n1,2\r\n\r\n')).toBe('line 3: 1 fields where the header has 2');
    expect(await refused('a,b\r\n1,"2\r\n')).toBe('line 2: a quote opened here is never closed');
    expect(await refused('a,b\r\n1,"2"x\r\n')).toBe('line 2: text after the closing quote of field 2');
    expect(await refused('a,b\r\nDirk "DJ",2\r\n')).toBe('line 2: a quote in field 1, which is not enclosed in quotes');
    for (const text of ['a,b\r\n1,2\r\n\r\n', 'a,b\r\n1,"2\r\n', 'a,b\r\n1,"2"x\r\n', 'a,b\r\nDirk "DJ",2\r\n']) {
      expect(() => parse(text, { bom: true }), text).toThrow();
    }
  });
});
