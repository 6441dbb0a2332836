import { escapeHtml } from './escapeHtml.js';
import { formatCount, formatMoney, formatMoneyWhole, formatShare } from './formatters.js';

/** Above this, a tile drops the cents so the figure fits; the exact amount stays in the tooltip. */
const WHOLE_UNITS_FROM = 10_000;

function headlineMoney(value: number, currency: string): string {
  return Math.abs(value) >= WHOLE_UNITS_FROM ? formatMoneyWhole(value, currency) : formatMoney(value, currency);
}

export interface Totals {
  customers: number;
  buyers: number;
  repeatCustomers: number;
  netRevenue: number;
  averageLtv: number;
  newThisMonth: number;
}

/** `amount` (a number, never text from the data) is kept exact in `data-amount` for checks and readers. */
function tile(label: string, value: string, note: string, exact = value, amount?: number): string {
  const data = amount !== undefined && Number.isFinite(amount) ? ` data-amount="${amount}"` : '';
  return `<div class="kpi"${data} title="${escapeHtml(`${label}: ${exact}`)}"><div class="kpi-label">${escapeHtml(label)}</div><div class="kpi-value">${escapeHtml(value)}</div><div class="kpi-note">${escapeHtml(note)}</div></div>`;
}

export function kpiTiles(totals: Totals, currency: string): string {
  return (
    '<section class="kpis" aria-label="Key figures">' +
    tile('Customers', formatCount(totals.customers), 'buyers and prospects') +
    tile('Buyers', formatCount(totals.buyers), totals.customers > 0 ? `${formatShare(totals.buyers, totals.customers)} of customers` : 'no customers yet') +
    tile('Repeat customers', formatCount(totals.repeatCustomers), totals.buyers > 0 ? `${formatShare(totals.repeatCustomers, totals.buyers)} of buyers` : 'no buyers yet') +
    tile('Net revenue', headlineMoney(totals.netRevenue, currency), "customers' sales minus refunds", formatMoney(totals.netRevenue, currency), totals.netRevenue) +
    tile('Average LTV', headlineMoney(totals.averageLtv, currency), 'net revenue per buyer', formatMoney(totals.averageLtv, currency)) +
    tile('New this month', formatCount(totals.newThisMonth), 'first purchase this month') +
    '</section>'
  );
}
