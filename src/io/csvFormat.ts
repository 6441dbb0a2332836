/**
 * CSV as spreadsheets read it: UTF-8 with a byte-order mark, CRLF line ends, RFC 4180 quoting, and
 * formula-like text made inert (src/core/csvSafety.ts).
 */
import { makeInert } from '../core/csvSafety.js';
import { AtomicFileWriter } from './atomicFile.js';

export const BOM = '\uFEFF';
/** `;` and tab too: LibreOffice's import dialog splits on them by default, outside quotes. */
const NEEDS_QUOTES = /[",;\t\r\n]/;

export function csvCell(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One line; `text` cells are made inert, other cells (numbers, dates we format) are written as given. */
export function csvLine(cells: readonly string[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ',';
    line += csvCell(cells[i]);
  }
  return line + '\r\n';
}

export const inert = (value: string | undefined): string => (value === undefined ? '' : makeInert(value));

/** Writes a whole CSV file atomically: header, then every row from `rows`. */
export async function writeCsvFile(
  path: string,
  header: readonly string[],
  rows: Iterable<readonly string[]>,
): Promise<number> {
  const writer = await new AtomicFileWriter(path).open();
  let count = 0;
  try {
    await writer.write(BOM + csvLine(header));
    for (const row of rows) {
      await writer.write(csvLine(row));
      count++;
    }
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  return count;
}

/** A money amount in minor units as a decimal in major units (`12345`, 2 -> `123.45`). */
export function formatMoney(minor: number, decimals: number): string {
  if (Number.isNaN(minor)) return '';
  const rounded = Math.round(minor);
  if (decimals === 0) return String(rounded);
  const negative = rounded < 0;
  const digits = String(Math.abs(rounded)).padStart(decimals + 1, '0');
  const cut = digits.length - decimals;
  return `${negative ? '-' : ''}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

/**
 * A number with exactly `decimals` decimals (rounded half away from zero). Fixed, not trimmed: a value
 * such as `0.954` (three decimals) is what a comma-decimal spreadsheet reads as 954, while `0.9540` it
 * leaves as visible text.
 */
export function formatNumber(value: number, decimals = 4): string {
  if (!Number.isFinite(value)) return '';
  const scale = 10 ** decimals;
  const n = Math.round(Math.abs(value) * scale);
  const sign = value < 0 && n > 0 ? '-' : '';
  const whole = Math.floor(n / scale);
  if (decimals === 0) return `${sign}${whole}`;
  return `${sign}${whole}.${String(n % scale).padStart(decimals, '0')}`;
}
