/**
 * Spreadsheet formula injection: a cell that begins with `=`, `+`, `-`, `@`, tab or carriage return is
 * run as a formula by Excel, LibreOffice and Google Sheets. Free text gets a leading apostrophe (which
 * LibreOffice's CSV import shows, as text); plain numbers and E.164 phone numbers stay as they are. The
 * master's phones have their own rule on top of this one (src/core/sheetCells.ts).
 */
const DANGEROUS_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?$/;
const E164 = /^\+[1-9]\d{6,14}$/;

/** Whether `text` needs the leading apostrophe (the one rule both CSV writers follow). */
export function needsInertPrefix(text: string): boolean {
  if (text === '') return false;
  if (DANGEROUS_START.test(text)) return !PLAIN_NUMBER.test(text) && !E164.test(text);
  // A text that itself begins with an apostrophe before a dangerous character keeps its own apostrophe
  // through a round trip (restoreInert strips exactly one).
  return text.charCodeAt(0) === 0x27 && DANGEROUS_START.test(text.slice(1));
}

export function makeInert(text: string): string {
  return needsInertPrefix(text) ? `'${text}` : text;
}

/** The inverse of makeInert, for readers of our own CSVs (export, merge). */
export function restoreInert(cell: string): string {
  if (cell.startsWith("'") && DANGEROUS_START.test(cell.slice(1))) return cell.slice(1);
  if (cell.startsWith("''") && DANGEROUS_START.test(cell.slice(2))) return cell.slice(1);
  return cell;
}
