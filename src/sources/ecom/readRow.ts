/** One export row read into typed values, or the reason it cannot be used. */
import type { DateParser } from './dateParser.js';
import { multiply, parseDecimal, type Decimal, type DecimalSeparator } from './decimal.js';
import type { ColumnField } from './mappingSchema.js';
import type { ResolvedColumns } from './resolveColumns.js';

export const CONTACT_FIELDS = ['firstName', 'lastName', 'company', 'email', 'phone', 'mobile'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];
export type Contact = Partial<Record<ContactField, string>>;

export interface EcomRow {
  orderId: string;
  /** Absent when the cell is empty (allowed on an order's later lines). */
  orderedAt?: number;
  customerId?: string;
  contact: Contact;
  /** As written in the row; the default currency is applied per order. */
  currency?: string;
  orderTotal?: Decimal;
  /** `line_total`, else `quantity` × `unit_price`. */
  lineAmount?: Decimal;
  status?: string;
  location?: string;
  campaign?: string;
}

export interface RowProblem {
  field: ColumnField | 'row';
  reason: string;
}

export interface RowContext {
  columns: ResolvedColumns;
  decimal: DecimalSeparator;
  parseDate: DateParser;
  /** How the mapping expects dates, for messages. */
  dateFormats: string;
}

const CONTACT_COLUMNS: Record<ContactField, ColumnField> = {
  firstName: 'first_name',
  lastName: 'last_name',
  company: 'company',
  email: 'email',
  phone: 'phone',
  mobile: 'mobile',
};

/** No shop sold online before this: an earlier date is a typo ("0025" for "2025"), not history. */
const EARLIEST_ORDER = Date.UTC(1900, 0, 1);

/**
 * Amounts of a trillion or more: in minor units (up to 3 decimals) they pass 2^53, where a float64 no
 * longer holds every integer, so the money would be silently wrong.
 */
const MAX_AMOUNT = 10n ** 12n;

function tooLarge(value: Decimal): boolean {
  const magnitude = value.units < 0n ? -value.units : value.units;
  return magnitude >= MAX_AMOUNT * 10n ** BigInt(value.scale);
}

export function readRow(cells: readonly string[], context: RowContext): EcomRow | RowProblem {
  const { columns, decimal } = context;
  const cell = (field: ColumnField): string | undefined => {
    const at = columns.index[field];
    if (at === undefined) return undefined;
    const value = cells[at].trim();
    return value === '' ? undefined : value;
  };
  const where = (field: ColumnField, value: string) => `"${value}" in column "${columns.header[field]}"`;
  const number = (field: ColumnField): Decimal | RowProblem | undefined => {
    const value = cell(field);
    if (value === undefined) return undefined;
    const parsed = parseDecimal(value, decimal);
    if (parsed && tooLarge(parsed)) return { field, reason: `${where(field, value)} is too large for an amount` };
    if (parsed) return parsed;
    const other = decimal === '.' ? ',' : '.';
    const hint = parseDecimal(value, other) ? ` (it reads as a number with the decimal "${other}": set "decimal" in the mapping)` : '';
    return { field, reason: `${where(field, value)} is not a number with the decimal "${decimal}"${hint}` };
  };
  const isProblem = (value: unknown): value is RowProblem => typeof value === 'object' && value !== null && 'reason' in value;

  const orderId = cell('order_id');
  if (orderId === undefined) return { field: 'order_id', reason: `order id is empty (column "${columns.header.order_id}")` };

  let orderedAt: number | undefined;
  const dateText = cell('ordered_at');
  if (dateText !== undefined) {
    orderedAt = context.parseDate(dateText);
    if (orderedAt === undefined) {
      return { field: 'ordered_at', reason: `${where('ordered_at', dateText)} is not a date (expected ${context.dateFormats})` };
    }
    if (orderedAt < EARLIEST_ORDER) return { field: 'ordered_at', reason: `${where('ordered_at', dateText)} is before 1900` };
  }

  let currency = cell('currency');
  if (currency !== undefined) {
    if (!/^[A-Za-z]{3}$/.test(currency)) {
      return { field: 'currency', reason: `${where('currency', currency)} is not a three-letter ISO 4217 code` };
    }
    currency = currency.toUpperCase();
  }

  const orderTotal = number('order_total');
  if (isProblem(orderTotal)) return orderTotal;
  const lineTotal = number('line_total');
  if (isProblem(lineTotal)) return lineTotal;
  const quantity = number('quantity');
  if (isProblem(quantity)) return quantity;
  const unitPrice = number('unit_price');
  if (isProblem(unitPrice)) return unitPrice;
  let lineAmount = lineTotal;
  if (lineAmount === undefined && (quantity !== undefined || unitPrice !== undefined)) {
    if (quantity === undefined) return { field: 'quantity', reason: `quantity is empty but unit_price is given (column "${columns.header.quantity}")` };
    if (unitPrice === undefined) return { field: 'unit_price', reason: `unit_price is empty but quantity is given (column "${columns.header.unit_price}")` };
    lineAmount = multiply(quantity, unitPrice);
    if (tooLarge(lineAmount)) return { field: 'quantity', reason: `quantity × unit_price is too large for an amount` };
  }

  const contact: Contact = {};
  for (const field of CONTACT_FIELDS) {
    const value = cell(CONTACT_COLUMNS[field]);
    if (value !== undefined) contact[field] = value;
  }
  return {
    orderId,
    orderedAt,
    customerId: cell('customer_id'),
    contact,
    currency,
    orderTotal,
    lineAmount,
    status: cell('status'),
    location: cell('location'),
    campaign: cell('source'),
  };
}

export function isRowProblem(value: EcomRow | RowProblem): value is RowProblem {
  return 'reason' in value;
}
