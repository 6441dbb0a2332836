/**
 * Sale `status` (one of the thirteen of API 2.0, checked by the schema) → canonical order status:
 * `CLOSED` and every `*_CLOSED` is a purchase, `VOIDED` is voided, the rest (parked, layby, on account,
 * awaiting dispatch or pickup, service) is open, which never counts as a purchase.
 */
import type { OrderStatus } from '../../core/model.js';
import type { SaleStatus } from './wire.js';

export function saleStatus(status: SaleStatus): OrderStatus {
  if (status === 'CLOSED' || status.endsWith('_CLOSED')) return 'completed';
  if (status === 'VOIDED') return 'voided';
  return 'open';
}
