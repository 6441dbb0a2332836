/**
 * The typed workbooks beside the CSVs (customer_analytics_master.xlsx, first_time_buyers.xlsx): what a
 * spreadsheet in any locale opens right, since every cell carries its type. Times are date-times (UTC),
 * money is a number with its currency's format, counts and scores are numbers, ids, phones and names are
 * text (never run as formulas, so no inert apostrophes), the header row is frozen and filtered.
 *
 * Written with exceljs's streaming writer, one row at a time, to a temporary file that is renamed over
 * the old workbook when complete.
 */
import { once, type EventEmitter } from 'node:events';
import { open, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type ExcelJS from 'exceljs';
import type { MasterColumnType } from '../core/masterColumns.js';
import { renameIntoPlace } from './atomicFile.js';

/** Rows of one sheet in Excel and LibreOffice, the header row included. */
export const SHEET_ROW_LIMIT = 1_048_576;

/** A cell's value as the workbook holds it; null is an empty cell. */
export type SheetValue = string | number | boolean | Date | null;

export interface SheetColumn {
  name: string;
  type: MasterColumnType;
  /** Decimals of a `number` column. */
  decimals?: number;
}

export interface SheetSpec {
  name: string;
  columns: readonly SheetColumn[];
  rows: number;
  /** Row `k`'s values, one per column, and the currency of its money cells. */
  row(k: number): { values: SheetValue[]; currency: string; moneyDecimals: number };
}

/** Rows written between pauses that let the zip stream take them. */
const YIELD_ROWS = 256;

const PLAIN: Partial<ExcelJS.Style> = {};
const TIME: Partial<ExcelJS.Style> = { numFmt: 'yyyy-mm-dd hh:mm:ss' };
const INTEGER: Partial<ExcelJS.Style> = { numFmt: '0' };
const HEADER: Partial<ExcelJS.Style> = { font: { bold: true } };

const WIDTHS: Record<MasterColumnType, number> = { text: 18, list: 22, phone: 18, timestamp: 20, integer: 10, money: 14, number: 10, boolean: 8 };

/**
 * exceljs registers a cell's style once per style object it has seen, and renders every new object to
 * compare it: one shared object per format keeps a million rows from building fifty million.
 */
class Styles {
  private readonly money = new Map<string, Partial<ExcelJS.Style>>();
  private readonly numbers = new Map<number, Partial<ExcelJS.Style>>();

  /** `#,##0.00 "NZD"`: grouped, the currency's decimals, its ISO code after the amount. */
  moneyStyle(currency: string, decimals: number): Partial<ExcelJS.Style> {
    const key = `${currency}:${decimals}`;
    let style = this.money.get(key);
    if (!style) {
      const code = /^[A-Z]{3}$/.test(currency) ? ` "${currency}"` : '';
      style = { numFmt: `#,##0${decimals > 0 ? `.${'0'.repeat(decimals)}` : ''}${code}` };
      this.money.set(key, style);
    }
    return style;
  }

  numberStyle(decimals: number): Partial<ExcelJS.Style> {
    let style = this.numbers.get(decimals);
    if (!style) {
      style = { numFmt: decimals > 0 ? `0.${'0'.repeat(decimals)}` : '0' };
      this.numbers.set(decimals, style);
    }
    return style;
  }
}

/**
 * Writes `spec` as a one-sheet workbook at `path`, atomically. The caller checks the row limit first.
 */
export async function writeWorkbook(path: string, spec: SheetSpec): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
  try {
    await writeSheet(temp, spec);
    // The zip stream is closed; make the bytes durable before the rename makes them the workbook.
    const handle = await open(temp, 'r+');
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await renameIntoPlace(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
}

/**
 * exceljs's streaming writer alone, loaded when a workbook is written, not at start-up. The package's
 * entry also loads its in-memory workbook and its readers (unzipper and friends): 660 modules and about
 * 0.35 s of CPU against 205 modules and 0.13 s, on every `ca update`.
 */
async function loadWorkbookWriter(): Promise<typeof ExcelJS.stream.xlsx.WorkbookWriter> {
  return (await import('exceljs/lib/stream/xlsx/workbook-writer.js')).default;
}

async function writeSheet(file: string, spec: SheetSpec): Promise<void> {
  const { columns } = spec;
  const WorkbookWriter = await loadWorkbookWriter();
  const workbook = new WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(spec.name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.name, key: c.name, width: Math.max(WIDTHS[c.type], Math.min(c.name.length + 2, 30)) }));
  const lastRow = spec.rows + 1;
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: lastRow, column: columns.length } };
  filterRange(workbook, spec.name, columns.length, lastRow);

  const header = sheet.getRow(1);
  for (let c = 1; c <= columns.length; c++) header.getCell(c).style = HEADER;
  header.commit();

  const styles = new Styles();
  const fixed = columns.map((c) =>
    c.type === 'timestamp' ? TIME : c.type === 'integer' ? INTEGER : c.type === 'number' ? styles.numberStyle(c.decimals ?? 4) : c.type === 'money' ? undefined : PLAIN,
  );
  for (let k = 0; k < spec.rows; k++) {
    const { values, currency, moneyDecimals } = spec.row(k);
    // An empty cell is left out altogether (undefined), not written as a styled blank.
    const row = sheet.addRow(values.map((v) => (v === null ? undefined : v)));
    const money = styles.moneyStyle(currency, moneyDecimals);
    for (let c = 0; c < columns.length; c++) if (values[c] !== null) row.getCell(c + 1).style = fixed[c] ?? money;
    row.commit();
    if (k % YIELD_ROWS === YIELD_ROWS - 1) await zipCaughtUp(sheet);
  }
  sheet.commit();
  await workbook.commit();
}

/** The stream exceljs writes a sheet's XML into (archiver's entry input: readable-stream's Writable). */
interface ZipInput extends EventEmitter {
  writableNeedDrain?: boolean;
  _writableState?: { needDrain?: boolean };
}

/**
 * exceljs writes the sheet's XML into the zip stream without back-pressure, and compressing is slower
 * than making rows: without a wait the whole sheet would sit in memory. Waits for the zip stream's input
 * to drain when it asks to (that input is exceljs's and archiver's internals, not in their types).
 */
async function zipCaughtUp(sheet: ExcelJS.Worksheet): Promise<void> {
  const input = (sheet as unknown as { stream?: { pipes?: ZipInput[] } }).stream?.pipes?.[0];
  if (input && (input.writableNeedDrain ?? input._writableState?.needDrain)) await once(input, 'drain');
  else await new Promise((resolve) => setImmediate(resolve));
}

/**
 * The filter's range as the sheet-scoped name `_xlnm._FilterDatabase`, as Excel writes it: LibreOffice
 * shows the filter buttons only when that name is there. exceljs's defined names cannot be scoped to a
 * sheet, so its list is replaced by one that is (tests/e2e/spreadsheets.test.ts sees the filter in
 * LibreOffice).
 */
function filterRange(workbook: ExcelJS.stream.xlsx.WorkbookWriter, sheet: string, columns: number, lastRow: number): void {
  const lastColumn = columnLetters(columns);
  const range = `'${sheet.replace(/'/g, "''")}'!$A$1:$${lastColumn}$${lastRow}`;
  Object.defineProperty(workbook, '_definedNames', {
    value: { model: [{ name: '_xlnm._FilterDatabase', localSheetId: 0, ranges: [range] }] },
  });
}

function columnLetters(n: number): string {
  let letters = '';
  for (let rest = n; rest > 0; rest = Math.floor((rest - 1) / 26)) letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  return letters;
}
