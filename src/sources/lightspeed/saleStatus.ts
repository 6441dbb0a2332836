/**
 * Sale status → canonical order status. The deprecated `status` decides when it is known; the newer
 * `state` decides otherwise. Anything unrecognised is `open`, which never counts as a purchase.
 */
import type { OrderStatus } from '../../core/model.js';
import { text } from './wire.js';

const OPEN_STATUSES = new Set(['SAVED', 'OPEN', 'LAYBY', 'ONACCOUNT', 'SERVICE', 'PENDING', 'PARKED']);

export function saleStatus(status: unknown, state: unknown): OrderStatus {
  const s = text(status)?.toUpperCase();
  if (s) {
    if (s === 'CLOSED' || s.endsWith('_CLOSED')) return 'completed';
    if (s === 'VOIDED') return 'voided';
    if (OPEN_STATUSES.has(s) || s.startsWith('AWAITING_')) return 'open';
  }
  const st = text(state)?.toLowerCase();
  if (st === 'closed') return 'completed';
  if (st === 'voided') return 'voided';
  return 'open';
}

/** Whether the status or state is one this mapping knows (the fetch warns about the others). */
export function isKnownSaleStatus(status: unknown, state: unknown): boolean {
  const s = text(status)?.toUpperCase();
  if (s && (s === 'CLOSED' || s.endsWith('_CLOSED') || s === 'VOIDED' || OPEN_STATUSES.has(s) || s.startsWith('AWAITING_'))) {
    return true;
  }
  const st = text(state)?.toLowerCase();
  return st === 'closed' || st === 'voided' || st === 'parked' || st === 'pending';
}
