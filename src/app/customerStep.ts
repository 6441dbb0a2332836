/** `ca customer ID|EMAIL|PHONE`: one customer's merged identities, history, metrics and segments. */
import type { Context } from './context.js';
import { normalizeEmail, normalizePhone, phoneAsWritten } from '../core/contact.js';
import { formatTimestamp } from '../core/localTime.js';
import { SOURCE_LIST_COLUMN } from '../core/masterColumns.js';
import { SOURCES, type BookingRecord, type OrderRecord, type SourceName } from '../core/model.js';
import { currencyDecimals } from '../core/currency.js';
import { formatMoney } from '../io/csvFormat.js';
import { NotFoundError } from '../io/errors.js';
import { MASTER_COLUMNS } from '../core/masterColumns.js';
import { masterRows } from '../io/readMaster.js';
import { Store } from '../io/store.js';

export interface CustomerEvent {
  at: string;
  source: SourceName;
  type: string;
  id: string;
  status: string;
  amount?: string;
  /** ISO 4217 code of `amount` (a customer may have bought in several). */
  currency?: string;
  location?: string;
  staff?: string;
  service?: string;
}

export interface CustomerView {
  row: Record<string, string>;
  history: CustomerEvent[];
}

export async function customerStep(ctx: Context, query: string): Promise<CustomerView[]> {
  const email = normalizeEmail(query);
  const store = new Store(ctx.paths.cache, { readOnly: true });
  const phones = email ? new Set<string>() : await phoneCandidates(store, query, ctx.config.defaultRegion);
  const matches: Record<string, string>[] = [];
  for await (const row of masterRows(ctx.paths.master)) {
    const hit =
      row.customer_id === query ||
      (email !== undefined && row.email === email) ||
      (row.phone !== undefined && phones.has(row.phone)) ||
      SOURCES.some((s) => (row[SOURCE_LIST_COLUMN[s]] || '').split(';').includes(query));
    if (hit) matches.push(row);
  }
  if (matches.length === 0) {
    throw new NotFoundError(`no customer matches "${query}"`, { hint: 'give a customer_id, a source customer id, an e-mail address or a phone number' });
  }
  const views: CustomerView[] = [];
  for (const row of matches) views.push({ row, history: await history(store, row) });
  return views;
}

/**
 * What the master's phone column may hold for a phone typed on the command line: the number in E.164,
 * read in each region the shop has (its locations' countries, the configured region) when it has no
 * country code, and as written (a number compute could not normalize is kept as written).
 */
async function phoneCandidates(store: Store, query: string, configured: string | undefined): Promise<Set<string>> {
  const regions = new Set<string | undefined>([configured]);
  for (const source of SOURCES) {
    if (!(await store.exists(source))) continue;
    for (const location of await store.readDimensions(source, 'locations')) if (location.country) regions.add(location.country.toUpperCase());
  }
  const candidates = new Set<string>();
  for (const region of regions) {
    const phone = normalizePhone(query, region);
    if (phone) candidates.add(phone);
  }
  const written = phoneAsWritten(query);
  if (written) candidates.add(written);
  return candidates;
}

async function history(store: Store, row: Record<string, string>): Promise<CustomerEvent[]> {
  const events: CustomerEvent[] = [];
  const money = (o: OrderRecord) => ({ amount: formatMoney(o.amountMinor, currencyDecimals(o.currency)), currency: o.currency });
  for (const source of SOURCES) {
    const ids = new Set((row[SOURCE_LIST_COLUMN[source]] || '').split(';').filter(Boolean));
    if (ids.size === 0 || !(await store.exists(source))) continue;
    const names = async (kind: 'locations' | 'staff' | 'services') => new Map((await store.readDimensions(source, kind)).map((e) => [e.id, e.name]));
    const [locations, staff, services] = await Promise.all([names('locations'), names('staff'), names('services')]);
    // Only this customer's records are built: the cache of a chain holds millions.
    const mine = new Set<string>();
    for await (const record of store.records(source, 'orders', { column: 'customerId', values: ids })) {
      const o = record as unknown as OrderRecord;
      mine.add(o.id);
      events.push({
        at: formatTimestamp(o.orderedAt),
        source,
        type: o.kind === 'sale' ? `${o.channel} order` : o.kind,
        id: o.id,
        status: o.deleted ? 'deleted' : o.status,
        ...money(o),
        location: o.locationId ? (locations.get(o.locationId) ?? o.locationId) : undefined,
        staff: o.staffId ? (staff.get(o.staffId) ?? o.staffId) : undefined,
      });
    }
    // Refunds that name only the payment they refund.
    const refunds = mine.size === 0 ? [] : store.records(source, 'orders', { column: 'refOrderId', values: mine });
    for await (const record of refunds) {
      const o = record as unknown as OrderRecord;
      if (o.customerId) continue;
      events.push({ at: formatTimestamp(o.orderedAt), source, type: o.kind, id: o.id, status: o.status, ...money(o) });
    }
    for await (const record of store.records(source, 'bookings', { column: 'customerId', values: ids })) {
      const b = record as unknown as BookingRecord;
      events.push({
        at: formatTimestamp(b.startAt),
        source,
        type: 'appointment',
        id: b.id,
        status: b.deleted ? 'deleted' : b.status,
        location: b.locationId ? (locations.get(b.locationId) ?? b.locationId) : undefined,
        staff: b.staffId ? (staff.get(b.staffId) ?? b.staffId) : undefined,
        service: b.serviceId ? (services.get(b.serviceId) ?? b.serviceId) : undefined,
      });
    }
  }
  return events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

const COLUMN_TYPES = new Map(MASTER_COLUMNS.map((c) => [c.name, c.type]));

/** A master cell as JSON: counts, money and numbers as JSON numbers, booleans as booleans, empty as null. */
function jsonCell(column: string, cell: string): string | number | boolean | null {
  const type = COLUMN_TYPES.get(column);
  if (type === 'integer' || type === 'money' || type === 'number') {
    if (cell === '') return null;
    const value = Number(cell);
    return Number.isFinite(value) ? value : cell;
  }
  if (type === 'boolean') return cell === 'true' ? true : cell === 'false' ? false : cell === '' ? null : cell;
  return cell;
}

/** `ca customer --json`: the row with typed values, amounts as numbers. */
export function customerJson(view: CustomerView): unknown {
  return {
    row: Object.fromEntries(Object.entries(view.row).map(([column, cell]) => [column, jsonCell(column, cell)])),
    history: view.history.map((e) => (e.amount === undefined ? e : { ...e, amount: Number(e.amount) })),
  };
}

export function formatCustomer(view: CustomerView): string {
  const r = view.row;
  const lines = [
    `${r.customer_id}  ${[r.first_name, r.last_name].filter(Boolean).join(' ') || '(no name)'}${r.company ? ` (${r.company})` : ''}`,
    `  email ${r.email || '-'}  phone ${r.phone || '-'}  opt-out ${r.email_opt_out}`,
    `  lightspeed ${r.lightspeed_customer_ids || '-'}  square ${r.square_customer_ids || '-'}  ecom ${r.ecom_customer_keys || '-'}`,
    `  ${r.lifecycle_segment}  tier ${r.value_tier || '-'}  RFM ${r.rfm_score || '-'} ${r.rfm_segment || ''}`,
    `  orders ${r.orders_count}  net ${r.net_revenue || '-'} ${r.currency}  first ${r.first_order_at || '-'}  last ${r.last_order_at || '-'}`,
    `  bookings ${r.accepted_bookings}  next ${r.next_booking_at || '-'}  p_alive ${r.p_alive || '-'}  predicted 12m ${r.predicted_clv_12m || '-'}`,
    '  history:',
    ...view.history.map((e) => `    ${e.at}  ${e.source.padEnd(10)} ${e.type.padEnd(18)} ${e.status.padEnd(21)} ${(e.amount ?? '').padStart(10)} ${(e.currency ?? '').padEnd(3)}  ${[e.location, e.staff, e.service].filter(Boolean).join(', ')}`),
  ];
  return lines.join('\n');
}
