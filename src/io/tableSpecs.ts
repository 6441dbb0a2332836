/** How each canonical table is laid out in the column store (field name = column name). */
import type { ColumnSpec } from './columnar.js';
import { BOOKING_STATUSES, type TableName } from '../core/model.js';

export const ORDER_KINDS = ['sale', 'return', 'refund'] as const;
export const ORDER_STATUSES = ['completed', 'open', 'cancelled', 'voided'] as const;
export const CHANNELS = ['in_store', 'online', 'appointment'] as const;
export { BOOKING_STATUSES } from '../core/model.js';

export const TABLE_SPECS: Record<TableName, readonly ColumnSpec[]> = {
  customers: [
    { name: 'id', type: 'dict' },
    { name: 'version', type: 'f64' },
    { name: 'createdAt', type: 'f64' },
    { name: 'firstName', type: 'dict' },
    { name: 'lastName', type: 'dict' },
    { name: 'company', type: 'dict' },
    { name: 'email', type: 'dict' },
    { name: 'phone', type: 'dict' },
    { name: 'mobile', type: 'dict' },
    { name: 'emailOptOut', type: 'bool' },
    { name: 'deleted', type: 'bool' },
    { name: 'mergedInto', type: 'dict' },
  ],
  orders: [
    { name: 'id', type: 'dict' },
    { name: 'version', type: 'f64' },
    { name: 'kind', type: 'enum', values: ORDER_KINDS },
    { name: 'status', type: 'enum', values: ORDER_STATUSES },
    { name: 'channel', type: 'enum', values: CHANNELS },
    { name: 'customerId', type: 'dict' },
    { name: 'orderedAt', type: 'f64' },
    { name: 'amountMinor', type: 'f64' },
    { name: 'tipsMinor', type: 'f64' },
    { name: 'currency', type: 'dict' },
    { name: 'locationId', type: 'dict' },
    { name: 'staffId', type: 'dict' },
    { name: 'campaign', type: 'dict' },
    { name: 'refOrderId', type: 'dict' },
    { name: 'deleted', type: 'bool' },
    // Added after the first release: bases written before it read it as absent.
    { name: 'purchaseId', type: 'dict' },
  ],
  bookings: [
    { name: 'id', type: 'dict' },
    { name: 'version', type: 'f64' },
    { name: 'customerId', type: 'dict' },
    { name: 'startAt', type: 'f64' },
    { name: 'status', type: 'enum', values: BOOKING_STATUSES },
    { name: 'locationId', type: 'dict' },
    { name: 'staffId', type: 'dict' },
    { name: 'serviceId', type: 'dict' },
    { name: 'deleted', type: 'bool' },
  ],
};
