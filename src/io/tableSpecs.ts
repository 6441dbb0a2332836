/** How each canonical table is laid out in the column store: derived from src/core/model.ts (field name = column name). */
import type { ColumnSpec } from './columnar.js';
import { CANONICAL_TABLES, type TableName } from '../core/model.js';

export { BOOKING_STATUSES, CHANNELS, ORDER_KINDS, ORDER_STATUSES } from '../core/model.js';

export const TABLE_SPECS: Record<TableName, readonly ColumnSpec[]> = {
  customers: CANONICAL_TABLES.customers.map(toSpec),
  orders: CANONICAL_TABLES.orders.map(toSpec),
  bookings: CANONICAL_TABLES.bookings.map(toSpec),
};

function toSpec(column: { name: string; type: ColumnSpec['type']; values?: readonly string[] }): ColumnSpec {
  return column.values ? { name: column.name, type: column.type, values: column.values } : { name: column.name, type: column.type };
}
