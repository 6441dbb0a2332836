/**
 * X-Series sale (checked against `wireSale`) → OrderRecord. Pure.
 *
 * - amount: the tax-inclusive total as charged, `total_price` (tax exclusive) + `total_tax`, summed
 *   before rounding, in minor units of the outlet's (else the retailer's) currency.
 * - a return (`return_for`, or a negative total) is kind `return` with a negative amount; an exchange
 *   that points at an earlier sale but where the customer paid more than they got back stays a `sale`
 *   (positive, with `refOrderId`), because no money went back to the customer.
 * - a walk-in (no customer, or a default walk-in customer) has no `customerId`.
 */
import type { OrderRecord } from '../../core/model.js';
import { currencyDecimals, toMinorUnits } from './money.js';
import { compact } from './normalizeCustomer.js';
import { saleStatus } from './saleStatus.js';
import { text, timeOf, type WireSale } from './wire.js';

export interface SaleContext {
  /** Retailer currency (ISO 4217). */
  currency: string;
  /** Outlet id → currency, where an outlet declares its own. */
  outletCurrencies?: Readonly<Record<string, string>>;
  walkInCustomerIds: ReadonlySet<string>;
  /** Upper-case `source` values that make a sale `online`. */
  onlineSources: ReadonlySet<string>;
}

export function normalizeSale(raw: WireSale, context: SaleContext): OrderRecord {
  const outletId = text(raw.outlet_id);
  const currency = (outletId && context.outletCurrencies?.[outletId]) || context.currency;
  const total = saleTotal(raw, currencyDecimals(currency));
  const returnFor = text(raw.return_for);
  const isReturn = total < 0 || (returnFor !== undefined && total <= 0);
  const customerId = text(raw.customer_id);
  const source = text(raw.source)?.toUpperCase();
  return compact<OrderRecord>({
    source: 'lightspeed',
    id: raw.id,
    version: raw.version,
    kind: isReturn ? 'return' : 'sale',
    status: saleStatus(raw.status),
    channel: source && context.onlineSources.has(source) ? 'online' : 'in_store',
    customerId: customerId && !context.walkInCustomerIds.has(customerId) ? customerId : undefined,
    orderedAt: timeOf(raw.sale_date),
    amountMinor: isReturn && total !== 0 ? -Math.abs(total) : total,
    currency,
    locationId: outletId,
    staffId: text(raw.user_id),
    refOrderId: returnFor,
    deleted: text(raw.deleted_at) ? true : undefined,
  });
}

/** Tax-inclusive total in minor units. */
export function saleTotal(raw: Pick<WireSale, 'total_price' | 'total_tax'>, decimals: number): number {
  // Summed before rounding: 2.0 prices carry more decimals than the currency (43.47826 + 6.52174).
  return toMinorUnits(raw.total_price + raw.total_tax, decimals);
}
