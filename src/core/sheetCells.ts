/**
 * How the master's times and phones are written so that a spreadsheet opening the CSV with its default
 * settings reads them right, and how ca reads them back (docs/metrics.md, "Opening the master in a
 * spreadsheet"). Pure; the one place both CSV writers and every reader of the master take these from.
 *
 * Times: `2025-06-02T19:47:31`, in UTC, without the `Z`. LibreOffice's default CSV import makes exactly
 * this form a date-time: with the `Z` it stays text, and with a space for the `T` it stays text unless
 * "Detect special numbers" is ticked. Readers take it with or without the `Z`.
 *
 * Phones: a number in E.164 is written in international format with spaces (`+64 22 442 3832`), which
 * LibreOffice keeps as text in every locale tried (`+64224423832` becomes the number 64224423832). Where every group after the
 * country code has three digits (`+351 912 345 678`), locales that group thousands with a space read a
 * number, so the national number is then written in one piece (`+351 912345678`). A phone kept as
 * written (not E.164) gets a leading apostrophe when it holds nothing but digits and number or date
 * punctuation (`'0612345678`), or would otherwise begin with an apostrophe or look like a formula.
 */
import { PhoneNumber } from 'libphonenumber-js';
import { needsInertPrefix } from './csvSafety.js';
import { formatTimestamp } from './localTime.js';

/** `2025-06-02T19:47:31`: UTC, whole seconds, no zone designator. */
export function formatSheetTime(ms: number): string {
  return formatTimestamp(ms).slice(0, -1);
}

const SHEET_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

/** A written time back to ISO 8601 UTC with its `Z` (a cell that already has a zone is left as it is). */
export function readSheetTime(cell: string): string {
  return SHEET_TIME.test(cell) ? `${cell}Z` : cell;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const INTERNATIONAL = /^\+\d+( \d+)+$/;
/** Text a spreadsheet may take for a number, a date or a time in some locale. */
const NUMBER_OR_DATE_LIKE = /^[\d +\-.,/():]*\d[\d +\-.,/():]*$/;

/**
 * Digit-group sizes per (length, country code and first national digits): libphonenumber's formatting
 * costs tens of microseconds a number, a million-row master has a million phones, and numbers that
 * share a length and their leading digits share a format. Grouping is cosmetic: the digits are kept
 * whatever the groups.
 */
const groupCache = new Map<string, number[] | null>();

/** The digit groups of `e164` as written: libphonenumber's international format, regrouped if needed. */
function groupSizes(e164: string): number[] | null {
  let formatted: string;
  try {
    formatted = new PhoneNumber(e164 as `+${string}`).formatInternational();
  } catch {
    return null;
  }
  const groups = formatted.split(/\D+/).filter(Boolean);
  if (groups.length < 2 || groups.join('') !== e164.slice(1)) return null;
  const sizes = groups.map((g) => g.length);
  // `+351 912 345 678` reads as 351,912,345,678 where a space groups thousands (fr, pl, pt, sv, ...).
  if (sizes.slice(1).every((size) => size === 3)) return [sizes[0], e164.length - 1 - sizes[0]];
  return sizes;
}

/** `+64224423832` -> `+64 22 442 3832`; undefined when `value` is not in E.164. */
export function internationalPhone(value: string): string | undefined {
  if (!E164.test(value)) return undefined;
  const key = `${value.length}${value.slice(0, 8)}`;
  let sizes = groupCache.get(key);
  if (sizes === undefined) {
    sizes = groupSizes(value);
    if (groupCache.size < 100_000) groupCache.set(key, sizes);
  }
  if (!sizes) return undefined;
  let text = '+';
  let at = 1;
  for (let i = 0; i < sizes.length; i++) {
    if (i > 0) text += ' ';
    text += value.slice(at, (at += sizes[i]));
  }
  // Cached groups belong to a number of the same length, so they cover this one; checked all the same.
  return at === value.length ? text : undefined;
}

/** A phone as people read it: international format for E.164, otherwise as written. */
export function phoneText(value: string): string {
  return internationalPhone(value) ?? value;
}

/** A phone as the CSV cell holds it (see the module comment). */
export function phoneCell(value: string): string {
  if (value === '') return '';
  const international = internationalPhone(value);
  if (international !== undefined) return international;
  const protect = NUMBER_OR_DATE_LIKE.test(value) || value.startsWith("'") || needsInertPrefix(value);
  return protect ? `'${value}` : value;
}

/** The inverse of phoneCell; also reads E.164 as earlier masters wrote it. */
export function readPhoneCell(cell: string): string {
  if (cell.startsWith("'")) return cell.slice(1);
  if (INTERNATIONAL.test(cell)) return cell.replace(/ /g, '');
  return cell;
}
