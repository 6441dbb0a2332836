/**
 * One cell of a typed column (src/core/masterColumns.ts) as the string CSVs and the workbooks write it,
 * from the value compute holds: text (undefined or '' = empty), a number (epoch ms for times, minor
 * units for money; NaN = empty), a flag (1 or true, 0 or false, anything else empty). The master CSV has
 * a faster writer of its own (MasterRowWriter, src/io/masterFile.ts); a unit test holds them equal.
 */
import type { MasterColumnType, ReportColumnType } from '../core/masterColumns.js';
import { formatSheetTime, phoneCell, phoneText } from '../core/sheetCells.js';
import { formatMoney, formatNumber, inert } from './csvFormat.js';
import type { SheetValue } from './workbook.js';

export type TypedValue = string | number | boolean | undefined;

/** The CSV text of a cell (before quoting). `decimals`: of a `number` column; money has `moneyDecimals`. */
export function csvCellText(type: ReportColumnType, value: TypedValue, moneyDecimals: number, decimals = 4): string {
  switch (type) {
    case 'date':
    case 'text':
    case 'list':
      return inert(value as string | undefined);
    case 'phone':
      return phoneCell((value as string | undefined) ?? '');
    case 'boolean':
      return value === 1 || value === true ? 'true' : value === 0 || value === false ? 'false' : '';
    case 'timestamp':
      return Number.isFinite(value) ? formatSheetTime(value as number) : '';
    case 'money':
      return formatMoney(value as number, moneyDecimals);
    case 'integer':
      return Number.isFinite(value) ? String(Math.round(value as number)) : '';
    case 'number':
      return formatNumber(value as number, decimals);
  }
}

/** The workbook value of a cell: times as Dates (whole seconds, as the CSV), money in major units. */
export function sheetCellValue(type: MasterColumnType, value: TypedValue, moneyDecimals: number, decimals = 4): SheetValue {
  if (type === 'text' || type === 'list' || type === 'phone') {
    const text = value as string | undefined;
    return text ? (type === 'phone' ? phoneText(text) : text) : null;
  }
  if (type === 'boolean') return value === 1 || value === true ? true : value === 0 || value === false ? false : null;
  const v = value as number;
  if (v !== v) return null; // NaN
  if (type === 'timestamp') return wholeSeconds(v);
  if (type === 'money') return Math.round(v) / 10 ** moneyDecimals;
  if (type === 'number') return roundTo(v, decimals);
  return Math.round(v);
}

/** The instant the CSV writes: whole seconds (formatTimestamp drops the milliseconds). */
export function wholeSeconds(ms: number): Date {
  return new Date(Math.floor(ms / 1000) * 1000);
}

/** Rounded half away from zero, as the CSV writes it. */
function roundTo(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return (Math.sign(value) * Math.round(Math.abs(value) * scale)) / scale;
}
