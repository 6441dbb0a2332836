/** Where each mapped field sits in this file's header; a required column that is absent stops the import. */
import { InputError } from '../../io/errors.js';
import type { Logger } from '../../io/log.js';
import { COLUMN_FIELDS, type ColumnField, type EcomMapping } from './mappingSchema.js';

export interface ResolvedColumns {
  /** Field -> index into a record; absent when the field is not mapped or not in the header. */
  index: Partial<Record<ColumnField, number>>;
  /** Field -> the header text found, for messages. */
  header: Partial<Record<ColumnField, string>>;
}

/** Headers are compared trimmed, case-insensitively and with runs of spaces as one. */
const normalizeHeader = (text: string) => text.replace(/^\uFEFF/, '').trim().replace(/\s+/g, ' ').toLowerCase();

const alternatives = (ref: string | string[] | undefined): string[] =>
  ref === undefined ? [] : typeof ref === 'string' ? [ref] : ref;

const describe = (ref: string | string[] | undefined) =>
  alternatives(ref)
    .map((h) => `"${h}"`)
    .join(' or ');

export function resolveColumns(header: readonly string[], mapping: EcomMapping, file: string, log: Logger): ResolvedColumns {
  const positions = new Map<string, number>();
  header.forEach((text, i) => {
    const key = normalizeHeader(text);
    if (key === '') return;
    if (positions.has(key)) log.warn(`${file}:1: column "${text.trim()}" appears twice; the first one is used`);
    else positions.set(key, i);
  });

  const index: Partial<Record<ColumnField, number>> = {};
  const found: Partial<Record<ColumnField, string>> = {};
  const mapped: ColumnField[] = [];
  for (const field of COLUMN_FIELDS) {
    const refs = alternatives(mapping.columns[field]);
    if (refs.length === 0) continue;
    mapped.push(field);
    for (const ref of refs) {
      const at = positions.get(normalizeHeader(ref));
      if (at !== undefined) {
        index[field] = at;
        found[field] = header[at].trim();
        break;
      }
    }
  }

  // A quantity without its unit price (or the reverse) says nothing; keep neither rather than reject every row.
  if ((index.quantity === undefined) !== (index.unit_price === undefined)) {
    const lone = index.quantity === undefined ? 'unit_price' : 'quantity';
    const other = lone === 'quantity' ? 'unit_price' : 'quantity';
    log.warn(`${file}:1: column "${found[lone]}" (${lone}) is not used: ${other} is not in the header`);
    delete index[lone];
    delete found[lone];
    mapped.splice(mapped.indexOf(lone), 1);
  }

  const missing = (field: ColumnField) =>
    new InputError(`${file}:1: column ${describe(mapping.columns[field])} (${field}) is not in the header`, {
      hint: `the header has: ${header.map((h) => `"${h.trim()}"`).join(', ')}; fix columns.${field} in the mapping`,
    });
  for (const field of ['order_id', 'ordered_at'] as const) {
    if (index[field] === undefined) throw missing(field);
  }
  const hasLineAmount = index.line_total !== undefined || (index.quantity !== undefined && index.unit_price !== undefined);
  if (index.order_total === undefined && !hasLineAmount) {
    if (mapping.columns.order_total !== undefined) throw missing('order_total');
    if (mapping.columns.line_total !== undefined) throw missing('line_total');
    throw missing(index.quantity === undefined ? 'quantity' : 'unit_price');
  }
  if (index.currency === undefined && mapping.default_currency === undefined) {
    throw new InputError(
      mapping.columns.currency === undefined
        ? `${file}: no currency: the mapping maps no currency column and sets no default_currency`
        : `${file}:1: column ${describe(mapping.columns.currency)} (currency) is not in the header and no default_currency is set`,
      { hint: 'set "default_currency" (e.g. "EUR") in the mapping, or map columns.currency' },
    );
  }
  for (const field of mapped) {
    if (index[field] === undefined) {
      // Presets map many optional columns; only the ones whose absence changes the numbers are worth a warning.
      const say = field === 'customer_id' || field === 'status' ? log.warn : log.debug;
      say(`${file}:1: column ${describe(mapping.columns[field])} (${field}) is not in the header; ${field} is left empty`);
    }
  }
  return { index, header: found };
}
