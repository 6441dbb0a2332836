import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { InputError } from '../../../src/io/errors.js';
import { loadMapping, parseMapping } from '../../../src/sources/ecom/index.js';

const minimal = { columns: { order_id: 'id', ordered_at: 'date', order_total: 'total' } };

describe('parseMapping', () => {
  test('fills the defaults of a minimal mapping', () => {
    expect(parseMapping(minimal, 'test')).toEqual({
      columns: { order_id: 'id', ordered_at: 'date', order_total: 'total' },
      date_format: 'iso',
      time_zone: 'UTC',
      decimal: 'auto',
      cancelled_statuses: ['cancelled', 'canceled'],
      open_statuses: [],
      line_level: 'auto',
      encoding: 'utf-8',
    });
  });

  test('upper-cases the default currency and keeps header alternatives', () => {
    const mapping = parseMapping(
      { ...minimal, columns: { ...minimal.columns, email: ['E-mail', 'Email'] }, default_currency: 'eur' },
      'test',
    );
    expect(mapping.default_currency).toBe('EUR');
    expect(mapping.columns.email).toEqual(['E-mail', 'Email']);
  });

  const errors: [string, Record<string, unknown>, string][] = [
    ['unknown column field', { columns: { ...minimal.columns, emial: 'Email' } }, 'unknown key "columns.emial"'],
    ['unknown setting', { ...minimal, delimeter: ';' }, 'unknown key "delimeter"'],
    ['decimal', { ...minimal, decimal: ';' }, '"decimal"'],
    ['delimiter', { ...minimal, delimiter: '|' }, '"delimiter"'],
    ['line_level', { ...minimal, line_level: 'yes' }, '"line_level"'],
    ['time_zone', { ...minimal, time_zone: 'Mars/Olympus_Mons' }, '"time_zone" is not an IANA time zone'],
    ['default_currency', { ...minimal, default_currency: 'EURO' }, '"default_currency"'],
    ['encoding', { ...minimal, encoding: 'latin1' }, '"encoding"'],
    ['cancelled_statuses', { ...minimal, cancelled_statuses: 'cancelled' }, '"cancelled_statuses"'],
    ['a column given as a number', { columns: { ...minimal.columns, email: 5 } }, '"columns.email"'],
    ['order_id missing', { columns: { ordered_at: 'date', order_total: 'total' } }, '"columns.order_id"'],
    ['no total at all', { columns: { order_id: 'id', ordered_at: 'date' } }, '"columns.order_total" is needed'],
    ['quantity without unit_price', { columns: { ...minimal.columns, quantity: 'Qty' } }, '"columns.unit_price" is needed'],
    ['moment-style date format', { ...minimal, date_format: 'DD-MM-YYYY HH:mm' }, '"date_format" "DD-MM-YYYY HH:mm" cannot be used'],
    ['not an object', [] as unknown as Record<string, unknown>, '(top level)'],
  ];
  test.each(errors)('%s is an InputError naming it', (_name, value, expected) => {
    let caught: unknown;
    try {
      parseMapping(value, 'my-mapping.json');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as Error).message).toContain('my-mapping.json');
    expect((caught as Error).message).toContain(expected);
  });
});

describe('loadMapping', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ecom-mapping-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('the generic preset', async () => {
    const mapping = await loadMapping('generic');
    expect(mapping.columns.order_id).toContain('order_id');
    expect(mapping.date_format).toBe('iso');
    expect(mapping.line_level).toBe('auto');
  });

  test('the Lightspeed preset says it is a guess', async () => {
    const mapping = await loadMapping('lightspeed-ecom');
    expect(mapping.note).toMatch(/NOT CONFIRMED/);
    expect(mapping.default_currency).toBe('EUR');
    expect(mapping.time_zone).toBe('Europe/Amsterdam');
  });

  test('a mapping file by path', async () => {
    const mapping = await loadMapping('tests/fixtures/ecom/lines-tab.mapping.json');
    expect(mapping.columns.quantity).toBe('Qty');
    expect(mapping.date_format).toBe('M/d/yyyy H:mm');
  });

  test('a JSON file with a BOM', async () => {
    const path = join(dir, 'bom.json');
    await writeFile(path, '\uFEFF' + JSON.stringify(minimal));
    expect((await loadMapping(path)).columns.order_id).toBe('id');
  });

  const failures: [string, () => Promise<string>, string][] = [
    ['an unknown preset', async () => 'shopify', 'unknown mapping preset "shopify"'],
    ['a missing file', async () => join(dir, 'nope.json'), 'cannot be read (ENOENT)'],
    [
      'a file that is not JSON',
      async () => {
        const path = join(dir, 'broken.json');
        await writeFile(path, '{ "columns": ');
        return path;
      },
      'is not valid JSON',
    ],
    [
      'a file with a misspelt key',
      async () => {
        const path = join(dir, 'typo.json');
        await writeFile(path, JSON.stringify({ ...minimal, time_zoen: 'UTC' }));
        return path;
      },
      'unknown key "time_zoen"',
    ],
  ];
  test.each(failures)('%s is an InputError', async (_name, where, expected) => {
    const location = await where();
    await expect(loadMapping(location)).rejects.toThrow(InputError);
    await expect(loadMapping(location)).rejects.toThrow(expected);
  });
});
