/**
 * The master and first-time buyers as spreadsheet users open them (issue 16). The real `ca` binary runs
 * an update against both sandboxes plus an e-commerce export with leading-zero keys, phones from three
 * countries and a `;` in a location (tests/fixtures/e2e/spreadsheet-shop.csv). Headless LibreOffice then
 * opens the CSVs with its Text Import dialog's defaults and the workbooks as they are, under en-US and
 * nl-NL, and saves them as .xlsx, which exceljs reads back with each cell's type: every phone is text as
 * written, every time a date-time, every number its value (in nl-NL the CSV's decimals may stay text,
 * never a wrong number), and in the workbook in both locales every cell is what ca computed.
 *
 * Needs `soffice` (Debian: libreoffice-calc-nogui, which .ci/run installs); without it the LibreOffice
 * part is skipped and says so in its name. The workbook checks that read ca's own .xlsx always run.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASTER_COLUMNS, type MasterColumnType } from '../../src/core/masterColumns.js';
import { phoneCell, phoneText, readSheetTime } from '../../src/core/sheetCells.js';
import { csvLine, BOM } from '../../src/io/csvFormat.js';
import { readMasterRow } from '../../src/io/readMaster.js';
import { startLightspeedSandbox, type LightspeedSandbox } from '../../src/sandbox/lightspeed/index.js';
import { startSquareSandbox, type SquareSandbox } from '../../src/sandbox/square/index.js';
import { readCsv, removeDir, REPO, runCa, tempDir } from '../helpers/cli.js';
import { writeTestConfig } from '../helpers/config.js';

const NOW = Date.parse('2025-06-30T12:00:00Z');
const AS_OF = '--as-of=2025-06-30T12:00:00Z';
const SOFFICE = (process.env.PATH ?? '').split(':').map((dir) => join(dir, 'soffice')).find((path) => existsSync(path));
/**
 * LibreOffice's Text Import dialog as a fresh profile opens a .csv (officecfg Calc/Dialogs/CSVImport):
 * comma, semicolon and tab separate; `"` quotes; UTF-8; from line 1; the profile's locale; quoted
 * fields not forced to text; "Detect special numbers" off; spaces kept; formulas not evaluated.
 */
const CSV_IMPORT_DEFAULTS = 'CSV Text - txt - csv (StarCalc):44/59/9,34,76,1,,0,false,false,false,false,false,-1,false';
/** Phones kept as written (src/core/sheetCells.ts protects them), and E.164 numbers whose groups are all 3 digits. */
const EXTRA_PHONES = ['0612345678', '06-12345678', '(06) 1234 5678', '12/05', '+1234', '+351912345678', '+48512345678', '+64224423832'];

let lightspeed: LightspeedSandbox;
let square: SquareSandbox;
let dir: string;
let work: string;
const data = (name: string) => join(dir, 'data', name);

/** The master as ca wrote it (cells as in the file) and as ca means it (readMasterRow). */
let written: Record<string, string>[];
let meant: Record<string, string>[];
/** What the update printed on stderr. */
let updateStderr: string;

beforeAll(async () => {
  lightspeed = await startLightspeedSandbox({ seed: 16, customers: 300, historyDays: 90, salesPerDay: 20, now: NOW, currency: 'USD' });
  square = await startSquareSandbox({ seed: 17, customers: 120, historyDays: 90, bookingsPerDay: 4, now: NOW, currency: 'USD', searchLagMs: 0, paymentLagMs: 0 });
  dir = await tempDir();
  work = await tempDir('ca-sheets-');
  await cp(join(REPO, 'tests', 'fixtures', 'e2e', 'spreadsheet-shop.csv'), join(dir, 'shop.csv'));
  await writeTestConfig(dir, { defaultRegion: 'US', ecom: { mapping: 'generic', file: 'shop.csv' } });
  const env = { LIGHTSPEED_BASE_URL: lightspeed.url, LIGHTSPEED_TOKEN: lightspeed.token, SQUARE_BASE_URL: square.url, SQUARE_ACCESS_TOKEN: square.token };
  const run = await runCa(['update', AS_OF], { cwd: dir, env });
  expect(run.code, run.stderr).toBe(0);
  updateStderr = run.stderr;
  written = await readCsv(data('customer_analytics_master.csv'));
  meant = written.map((row) => readMasterRow({ ...row }));
}, 120_000);

afterAll(async () => {
  await Promise.all([lightspeed?.close(), square?.close()]);
  await removeDir(dir);
  await removeDir(work);
});

const rowOf = (key: string) => written.findIndex((r) => r.ecom_customer_keys === key);

describe('the master ca writes', () => {
  it("is written without a warning of Node's on stderr (exceljs's zip library, bundled, had printed DEP0005 for `new Buffer()`)", () => {
    expect(existsSync(data('customer_analytics_master.xlsx'))).toBe(true);
    expect(updateStderr).not.toMatch(/\(node:\d+\)|DeprecationWarning/);
  });

  it('holds what this test checks: model figures, times, phones from three countries, leading-zero keys', () => {
    expect(written.filter((r) => r.p_alive !== '').length).toBeGreaterThan(100);
    expect(written[rowOf('00123')]).toMatchObject({ phone: '+64 22 442 3832', first_order_at: '2025-05-02T19:47:31', gross_revenue: '1284.45' });
    expect(written[rowOf('0042')]).toMatchObject({ phone: '+351 912345678', first_order_location: 'Webshop' });
    expect(written[rowOf('7')]).toMatchObject({ phone: '+1 415 555 0100', first_order_location: 'Pop-up;Market' });
    expect(meant[rowOf('00123')]).toMatchObject({ phone: '+64224423832', first_order_at: '2025-05-02T19:47:31Z' });
  });
});

describe.skipIf(!SOFFICE)(`LibreOffice opens them${SOFFICE ? '' : ' (skipped: soffice not found; .ci/run installs libreoffice-calc-nogui)'}`, () => {
  const sheets: Record<string, ExcelJS.Worksheet> = {};

  beforeAll(async () => {
    const phones = join(work, 'phones.csv');
    await writeFile(phones, BOM + csvLine(['phone']) + EXTRA_PHONES.map((p) => csvLine([phoneCell(p)])).join(''));
    const csvs = [data('customer_analytics_master.csv'), data('first_time_buyers.csv'), phones];
    const books = [data('customer_analytics_master.xlsx'), data('first_time_buyers.xlsx')];
    // One start of LibreOffice per locale and kind of file: it is slow to start.
    for (const locale of ['en-US', 'nl-NL']) {
      Object.assign(sheets, await convert(locale, csvs, `csv-${locale}`, CSV_IMPORT_DEFAULTS));
      Object.assign(sheets, await convert(locale, books, `xlsx-${locale}`));
    }
    Object.assign(sheets, await convert('fr-FR', [phones], 'csv-fr-FR', CSV_IMPORT_DEFAULTS));
  }, 600_000);

  it('the CSV in en-US: phones text as written, times date-times, every number its value', () => {
    const sheet = sheets['csv-en-US/customer_analytics_master'];
    expect(headerOf(sheet)).toEqual(Object.keys(written[0]));
    expect(mismatches(sheet, written, (column, cell, got) => csvCellProblem(column.type, cell, got, 'exact'))).toEqual([]);
    // The documented limit: an all-digit key with leading zeros becomes a number in a CSV (the workbook keeps it).
    expect(valueAt(sheet, rowOf('00123'), 'ecom_customer_keys')).toBe(123);
  });

  it('the CSV in nl-NL: phones and times as in en-US; a number is its value or visible text, never another number', () => {
    const sheet = sheets['csv-nl-NL/customer_analytics_master'];
    expect(headerOf(sheet)).toEqual(Object.keys(written[0]));
    expect(mismatches(sheet, written, (column, cell, got) => csvCellProblem(column.type, cell, got, 'value-or-text'))).toEqual([]);
  });

  it('the first-time buyers CSV in en-US and nl-NL: phones text, times date-times', () => {
    const rows = parse(readFileSync(data('first_time_buyers.csv')), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(0);
    const types: Record<string, MasterColumnType> = { phone: 'phone', first_order_at: 'timestamp', second_order_at: 'timestamp', first_order_amount: 'money' };
    for (const locale of ['en-US', 'nl-NL']) {
      const sheet = sheets[`csv-${locale}/first_time_buyers`];
      const problems = mismatches(sheet, rows, (column, cell, got) =>
        types[column.name] ? csvCellProblem(types[column.name], cell, got, locale === 'en-US' ? 'exact' : 'value-or-text') : undefined,
      );
      expect(problems, locale).toEqual([]);
    }
  });

  it('phones kept as written, and 3-3-3 grouped numbers, stay text in en-US, nl-NL and fr-FR', () => {
    for (const locale of ['en-US', 'nl-NL', 'fr-FR']) {
      const sheet = sheets[`csv-${locale}/phones`];
      const got = EXTRA_PHONES.map((_, i) => sheet.getRow(i + 2).getCell(1).value);
      expect(got, locale).toEqual(EXTRA_PHONES.map(phoneCell));
    }
  });

  it('the workbook in en-US and nl-NL: every cell what ca computed, with its type; the filter is there', () => {
    for (const locale of ['en-US', 'nl-NL']) {
      const sheet = sheets[`xlsx-${locale}/customer_analytics_master`];
      expect(headerOf(sheet), locale).toEqual(Object.keys(written[0]));
      expect(mismatches(sheet, meant, (column, value, got) => workbookCellProblem(column.type, value, got)), locale).toEqual([]);
      expect(valueAt(sheet, rowOf('00123'), 'ecom_customer_keys')).toBe('00123');
      expect(sheet.autoFilter, locale).toBe(`A1:AX${written.length + 1}`);
    }
  });

  it('the first-time buyers workbook in en-US and nl-NL', () => {
    const rows = parse(readFileSync(data('first_time_buyers.csv')), { bom: true, columns: true }) as Record<string, string>[];
    const types: Record<string, MasterColumnType> = { phone: 'phone', first_order_at: 'timestamp', second_order_at: 'timestamp', first_order_amount: 'money', has_returned: 'boolean' };
    for (const locale of ['en-US', 'nl-NL']) {
      const sheet = sheets[`xlsx-${locale}/first_time_buyers`];
      const problems = mismatches(sheet, rows.map((r) => readMasterRow({ ...r })), (column, value, got) => workbookCellProblem(types[column.name] ?? 'text', value, got));
      expect(problems, locale).toEqual([]);
    }
  });
});

describe('the workbooks ca writes', () => {
  it('freeze and filter the header, format money in its currency, and carry the columns you added', async () => {
    const copy = join(work, 'added');
    await cp(dir, copy, { recursive: true });
    const master = join(copy, 'data', 'customer_analytics_master.csv');
    const lines = (await readFile(master, 'utf8')).split('\r\n');
    const zoe = written[rowOf('00123')].customer_id;
    await writeFile(master, lines.map((line, i) => (i === 0 ? `${line},notes` : line === '' ? line : `${line},${line.startsWith(zoe) ? 'call back' : ''}`)).join('\r\n'));
    const merge = await runCa(['merge', AS_OF], { cwd: copy });
    expect(merge.code, merge.stderr).toBe(0);

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(copy, 'data', 'customer_analytics_master.xlsx'));
    const sheet = book.getWorksheet('customers')!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBe(`A1:AY${written.length + 1}`);
    const header = headerOf(sheet);
    expect(header.at(-1)).toBe('notes');
    const row = sheet.getRow(rowOf('00123') + 2);
    expect(row.getCell(header.length).value).toBe('call back');
    const net = row.getCell(header.indexOf('net_revenue') + 1);
    expect([net.value, net.numFmt]).toEqual([1284.45, '#,##0.00 "USD"']);
    expect(row.getCell(header.indexOf('phone') + 1).value).toBe('+64 22 442 3832');
  });

  it('skip a workbook above workbook.maxRows, saying so and removing the old one', async () => {
    const copy = join(work, 'small');
    await cp(dir, copy, { recursive: true });
    await writeTestConfig(copy, { defaultRegion: 'US', ecom: { mapping: 'generic', file: 'shop.csv' }, workbook: { maxRows: 100 } });
    const merge = await runCa(['merge', AS_OF], { cwd: copy });
    expect(merge.code, merge.stderr).toBe(0);
    const reason = `${written.length} rows are more than workbook.maxRows (100) in the config`;
    expect(merge.stderr).toContain(`customer_analytics_master.xlsx not written: ${reason} (the previous one was removed); the CSV has every row`);
    expect(existsSync(join(copy, 'data', 'customer_analytics_master.xlsx'))).toBe(false);
    const meta = JSON.parse(await readFile(join(copy, 'data', 'customer_analytics_master.meta.json'), 'utf8'));
    expect(meta).toMatchObject({ schema_version: 2, time_zone: 'UTC' });
    expect(meta.workbooks.master).toEqual({ file: 'customer_analytics_master.xlsx', written: false, rows: written.length, reason });
    expect(meta.workbooks.first_time_buyers).toMatchObject({ file: 'first_time_buyers.xlsx', written: true });
  });
});

/** Opens `files` in LibreOffice under `locale` and saves each as .xlsx; returns the sheets by `<out>/<name>`. */
async function convert(locale: string, files: string[], out: string, infilter?: string): Promise<Record<string, ExcelJS.Worksheet>> {
  const profile = join(work, `profile-${locale}`);
  await mkdir(join(profile, 'user'), { recursive: true });
  await writeFile(
    join(profile, 'user', 'registrymodifications.xcu'),
    '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' +
      `<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>${locale}</value></prop></item>\n</oor:items>\n`,
  );
  const outDir = join(work, out);
  const args = ['--headless', '--norestore', `-env:UserInstallation=${pathToFileURL(profile).href}`, ...(infilter ? [`--infilter=${infilter}`] : []), '--convert-to', 'xlsx', '--outdir', outDir, ...files];
  const { stderr } = await promisify(execFile)(SOFFICE!, args, { env: { ...process.env, HOME: profile } });
  const sheets: Record<string, ExcelJS.Worksheet> = {};
  for (const file of files) {
    const name = basename(file).replace(/\.\w+$/, '');
    const path = join(outDir, `${name}.xlsx`);
    if (!existsSync(path)) throw new Error(`soffice did not convert ${file} (${locale}): ${stderr}`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    sheets[`${out}/${name}`] = book.worksheets[0];
  }
  return sheets;
}

function headerOf(sheet: ExcelJS.Worksheet): unknown[] {
  return (sheet.getRow(1).values as unknown[]).slice(1);
}

function valueAt(sheet: ExcelJS.Worksheet, index: number, column: string): unknown {
  return sheet.getRow(index + 2).getCell(headerOf(sheet).indexOf(column) + 1).value;
}

type Check = (column: { name: string; type: MasterColumnType }, cell: string, got: unknown) => string | undefined;

/** Every cell of `rows` against the sheet, by column name; the problems, at most ten. */
function mismatches(sheet: ExcelJS.Worksheet, rows: Record<string, string>[], check: Check): string[] {
  const header = headerOf(sheet);
  const types = new Map(MASTER_COLUMNS.map((c) => [c.name, c.type]));
  const problems: string[] = [];
  rows.forEach((row, i) => {
    const cells = sheet.getRow(i + 2);
    for (const [name, cell] of Object.entries(row)) {
      const got = cells.getCell(header.indexOf(name) + 1).value;
      const problem = cell === '' ? (got === null || got === undefined || got === '' ? undefined : 'is not empty') : check({ name, type: types.get(name) ?? 'text' }, cell, got);
      if (problem && problems.length < 10) problems.push(`row ${i + 2} ${name} ${JSON.stringify(cell)} -> ${JSON.stringify(got)}: ${problem}`);
    }
  });
  return problems;
}

const isTime = (got: unknown, cell: string) => got instanceof Date && got.getTime() === Date.parse(readSheetTime(cell));

/**
 * A CSV cell as LibreOffice read it. `exact`: numbers are their value. `value-or-text`: a number is its
 * value or stays the text written (a comma-decimal locale), never another number.
 */
function csvCellProblem(type: MasterColumnType, cell: string, got: unknown, numbers: 'exact' | 'value-or-text'): string | undefined {
  switch (type) {
    case 'phone':
      return got === cell ? undefined : 'is not the phone as written, as text';
    case 'timestamp':
      return isTime(got, cell) ? undefined : 'is not that date-time';
    case 'money':
    case 'integer':
    case 'number':
      if (got === Number(cell)) return undefined;
      return numbers === 'value-or-text' && got === cell ? undefined : 'is not that number';
    default:
      // Text stays text, except what is all digits: the CSV cannot keep leading zeros (docs/metrics.md).
      if (/^\d+$/.test(cell)) return got === Number(cell) ? undefined : 'is not that number';
      return got === cell ? undefined : 'is not that text';
  }
}

/** A workbook cell against the value ca means (readMasterRow). */
function workbookCellProblem(type: MasterColumnType, value: string, got: unknown): string | undefined {
  switch (type) {
    case 'phone':
      return got === phoneText(value) ? undefined : 'is not the phone as people read it';
    case 'timestamp':
      return isTime(got, value) ? undefined : 'is not that date-time';
    case 'money':
    case 'integer':
    case 'number':
      return got === Number(value) ? undefined : 'is not that number';
    case 'boolean': {
      // LibreOffice saves a boolean cell to .xlsx as the formula TRUE() or FALSE().
      const formula = (got as { formula?: string } | null)?.formula;
      const bool = formula === 'TRUE()' ? true : formula === 'FALSE()' ? false : got;
      return bool === (value === 'true') ? undefined : 'is not that boolean';
    }
    default:
      return got === value ? undefined : 'is not that text';
  }
}
