/**
 * The Square endpoints the toolkit reads, with the behaviour of the real ones that clients trip over:
 * per-location payments, a 31-day bookings window, advisory page limits, cursors bound to their query,
 * `{}` for empty results, search lag, Bearer auth, version-gated parameters, OAuth scopes (403
 * INSUFFICIENT_SCOPES, and buyer-level bookings without APPOINTMENTS_ALL_READ), merged customers
 * (NOT_FOUND in bulk, the survivor when retrieved alone) and RetrieveTokenStatus.
 */
import type http from 'node:http';
import { parseJsonBody, type JsonReply } from '../common.js';
import type { BookingFields, CustomerFields, PaymentFields, ServiceDef } from './entities.js';
import { badRequest, bodySignature, querySignature, squareError, type CursorBook, type PageResult } from './cursors.js';
import { ALL_SCOPES } from './options.js';
import {
  bookingJson,
  createdByThisApp,
  catalogItemJson,
  catalogVariationJson,
  customerJson,
  locationJson,
  orderJson,
  paymentJson,
  refundJson,
  teamMemberJson,
  type Json,
} from './render.js';
import { asOf, updatedAtAsOf, type Snapshot, type Timeline } from './timeline.js';
import { DAY_MS } from '../../core/localTime.js';
import type { SquareWorld } from './world.js';

/** The app default version a request gets when it sends no Square-Version header. */
const DEFAULT_SQUARE_VERSION = '2025-08-20';
/** ListPayments learned `updated_at_*` filters and `sort_field` in this version. */
const PAYMENTS_UPDATED_AT_SINCE = '2024-12-18';
/** ListPaymentRefunds learned them in this one. */
const REFUNDS_UPDATED_AT_SINCE = '2025-02-20';
const MAX_BOOKING_WINDOW_MS = 31 * DAY_MS;
const YEAR_MS = 365 * DAY_MS;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export interface SquareCounters {
  requests: number;
  byRoute: Record<string, number>;
  rateLimited: number;
  unauthorized: number;
}

/** Thrown inside a route to answer with a Square error. */
class Refusal {
  constructor(readonly reply: JsonReply) {}
}

interface Context {
  url: URL;
  body: Record<string, unknown>;
  version: string;
  match: RegExpMatchArray;
}

type Route = [method: string, path: RegExp, name: string, run: (ctx: Context) => JsonReply];

/** The scope each route needs (the `security` of each operation in Square's file). */
const ROUTE_SCOPES: Record<string, string> = {
  locations: 'MERCHANT_PROFILE_READ',
  'team-members': 'EMPLOYEES_READ',
  customers: 'CUSTOMERS_READ',
  'customers-search': 'CUSTOMERS_READ',
  'customers-bulk-retrieve': 'CUSTOMERS_READ',
  customer: 'CUSTOMERS_READ',
  bookings: 'APPOINTMENTS_READ',
  payments: 'PAYMENTS_READ',
  payment: 'PAYMENTS_READ',
  refunds: 'PAYMENTS_READ',
  'orders-search': 'ORDERS_READ',
  'catalog-batch-retrieve': 'ITEMS_READ',
};
const THIRTY_DAYS_MS = 30 * DAY_MS;

export function squareApi(world: SquareWorld, cursors: CursorBook, counters: SquareCounters) {
  const o = world.options;
  const recent: number[] = [];
  const scopes: readonly string[] = o.scopes ?? ALL_SCOPES;
  const sellerLevelBookings = scopes.includes('APPOINTMENTS_ALL_READ');

  const pageSize = (requested: number) => Math.min(requested, o.maxPageSize ?? requested);
  const page = <T>(result: PageResult<T>): { items: T[]; cursor?: string } => {
    if ('error' in result) throw new Refusal(result.error);
    return result;
  };

  const customerView = (): Snapshot<CustomerFields>[] => {
    const view = world.now() - o.searchLagMs;
    const out: Snapshot<CustomerFields>[] = [];
    for (const timeline of world.customers) {
      const state = asOf(timeline, view);
      if (state && !state.deleted && isListed(state)) out.push(state);
    }
    return out;
  };

  const paymentView = (): Snapshot<PaymentFields>[] => {
    const view = world.now() - o.paymentLagMs;
    const out: Snapshot<PaymentFields>[] = [];
    for (const timeline of world.payments) {
      const state = asOf(timeline, view);
      if (state) out.push(state);
    }
    return out;
  };

  const serviceById = (id: string | undefined): ServiceDef | undefined => world.services.find((s) => s.variationId === id);

  const routes: Route[] = [
    // A personal access token lists every scope and never expires; an OAuth token lists its grant.
    ['POST', /^\/oauth2\/token\/status$/, 'token-status', () => ({
      status: 200,
      body: {
        scopes: [...scopes],
        ...(o.scopes ? { expires_at: new Date(world.now() + THIRTY_DAYS_MS).toISOString().replace(/\.\d{3}Z$/, 'Z') } : {}),
        client_id: 'sq0idp-SANDBOX',
        merchant_id: o.merchantId,
      },
    })],

    ['GET', /^\/v2\/locations$/, 'locations', () => ({
      status: 200,
      body: { locations: [...world.locations].sort((a, b) => a.name.localeCompare(b.name)).map((l) => locationJson(l, o.currency, o.merchantId)) },
    })],

    ['POST', /^\/v2\/team-members\/search$/, 'team-members', ({ url, body }) => {
      const limit = limitOf(body.limit, 100, 200, 'limit');
      const filter: Record<string, unknown> = record(record(body.query)?.filter) ?? {};
      const locationIds = Array.isArray(filter.location_ids) ? (filter.location_ids as string[]) : undefined;
      const members = world.staff.filter(
        (s) =>
          (!locationIds || s.locationIds.some((l) => locationIds.includes(l))) &&
          (filter.status === undefined || s.status === filter.status) &&
          (filter.is_owner === undefined || s.isOwner === filter.is_owner),
      );
      const result = page(cursors.page(members, pageSize(limit), str(body.cursor), bodySignature(url.pathname, body)));
      return list('team_members', result.items.map(teamMemberJson), result.cursor);
    }],

    ['GET', /^\/v2\/customers$/, 'customers', ({ url }) => {
      const q = url.searchParams;
      const limit = limitOf(q.get('limit') ?? undefined, 100, 100, 'limit');
      const field = oneOf(q.get('sort_field') ?? undefined, ['DEFAULT', 'CREATED_AT'], 'DEFAULT', 'sort_field');
      const order = oneOf(q.get('sort_order') ?? undefined, ['ASC', 'DESC'], 'ASC', 'sort_order');
      const customers = sortCustomers(customerView(), field, order);
      const result = page(cursors.page(customers, pageSize(limit), q.get('cursor') ?? undefined, querySignature(url)));
      const extra = q.get('count') === 'true' ? { count: customers.length } : {};
      return list('customers', result.items.map(customerJson), result.cursor, extra);
    }],

    ['POST', /^\/v2\/customers\/search$/, 'customers-search', ({ url, body }) => {
      const limit = limitOf(body.limit, 100, 100, 'limit');
      const query: Record<string, unknown> = record(body.query) ?? {};
      const filter: Record<string, unknown> = record(query.filter) ?? {};
      const sort: Record<string, unknown> = record(query.sort) ?? {};
      const field = oneOf(str(sort.field), ['DEFAULT', 'CREATED_AT'], 'DEFAULT', 'query.sort.field');
      const order = oneOf(str(sort.order), ['ASC', 'DESC'], 'ASC', 'query.sort.order');
      const created = timeRange(filter.created_at, 'query.filter.created_at');
      const updated = timeRange(filter.updated_at, 'query.filter.updated_at');
      const email = record(filter.email_address);
      const matches = customerView().filter(
        (c) =>
          created(c.createdAt) &&
          updated(c.updatedAt) &&
          (!email ||
            (typeof email.exact === 'string' && c.email === email.exact.toLowerCase()) ||
            (typeof email.fuzzy === 'string' && (c.email ?? '').includes(email.fuzzy.toLowerCase()))),
      );
      const customers = sortCustomers(matches, field, order);
      const result = page(cursors.page(customers, pageSize(limit), str(body.cursor), bodySignature(url.pathname, body)));
      const extra = body.count === true ? { count: customers.length } : {};
      return list('customers', result.items.map(customerJson), result.cursor, extra);
    }],

    ['POST', /^\/v2\/customers\/bulk-retrieve$/, 'customers-bulk-retrieve', ({ body }) => {
      const ids = body.customer_ids;
      if (!Array.isArray(ids) || ids.length === 0) throw new Refusal(badRequest('ARRAY_LENGTH_TOO_SHORT', 'customer_ids must hold at least 1 id', 'customer_ids'));
      if (ids.length > 100) throw new Refusal(badRequest('ARRAY_LENGTH_TOO_LONG', 'customer_ids may hold at most 100 ids', 'customer_ids'));
      const now = world.now();
      const responses: Record<string, unknown> = {};
      // A merged original is NOT_FOUND here like a deleted profile; RetrieveCustomer tells them apart.
      for (const id of ids.map(String)) {
        const timeline = world.customerById.get(id);
        const found = timeline && asOf(timeline, now);
        responses[id] = found && !found.deleted ? { customer: customerJson(found) } : { errors: [notFound(`customer ${id}`)] };
      }
      return { status: 200, body: { responses } };
    }],

    ['GET', /^\/v2\/customers\/([^/]+)$/, 'customer', ({ match }) => {
      const found = world.resolveCustomer(decodeURIComponent(match[1]), world.now());
      if (!found) return squareError(404, notFound(`customer ${match[1]}`));
      return { status: 200, body: { customer: customerJson(found) } };
    }],

    ['GET', /^\/v2\/bookings$/, 'bookings', ({ url }) => {
      const q = url.searchParams;
      const now = world.now();
      const limit = limitOf(q.get('limit') ?? undefined, 100, 100, 'limit');
      const min = timeParam(q.get('start_at_min'), 'start_at_min') ?? now;
      const max = timeParam(q.get('start_at_max'), 'start_at_max') ?? min + MAX_BOOKING_WINDOW_MS;
      if (max < min) throw new Refusal(badRequest('INVALID_TIME_RANGE', 'start_at_max is before start_at_min', 'start_at_max'));
      if (max - min > MAX_BOOKING_WINDOW_MS) {
        throw new Refusal(badRequest('INVALID_VALUE', 'The time range between start_at_min and start_at_max must not exceed 31 days.', 'start_at_max'));
      }
      const location = q.get('location_id') || undefined;
      const customer = q.get('customer_id') || undefined;
      const member = q.get('team_member_id') || undefined;
      const bookings: Snapshot<BookingFields>[] = [];
      for (const timeline of world.bookings) {
        const start = timeline.base.startAt;
        if (start < min || start > max || (location && timeline.base.locationId !== location)) continue;
        // Buyer-level access lists only the bookings this application created, without saying so.
        if (!sellerLevelBookings && !createdByThisApp(timeline.id)) continue;
        const state = asOf(timeline, now);
        if (!state || (customer && state.customerId !== customer) || (member && state.staffId !== member)) continue;
        bookings.push(state);
      }
      bookings.sort((a, b) => a.startAt - b.startAt || cmp(a.id, b.id));
      const result = page(cursors.page(bookings, pageSize(limit), q.get('cursor') ?? undefined, querySignature(url)));
      return list('bookings', result.items.map((b) => bookingJson(b, sellerLevelBookings)), result.cursor);
    }],

    ['GET', /^\/v2\/payments$/, 'payments', ({ url, version }) => {
      const q = url.searchParams;
      const now = world.now();
      // Values above 100 are ignored rather than refused, as Square documents.
      const requested = Number(q.get('limit') ?? 100);
      const limit = Number.isInteger(requested) && requested >= 1 && requested <= 100 ? requested : 100;
      const location = q.get('location_id') || world.locations[0].id;
      const byUpdated = version >= PAYMENTS_UPDATED_AT_SINCE;
      const window = timeWindow(q, now, byUpdated);
      const field = byUpdated ? oneOf(q.get('sort_field') ?? undefined, ['CREATED_AT', 'UPDATED_AT', 'OFFLINE_CREATED_AT'], 'CREATED_AT', 'sort_field') : 'CREATED_AT';
      const order = oneOf(q.get('sort_order') ?? undefined, ['ASC', 'DESC'], 'DESC', 'sort_order');
      const view = now - o.paymentLagMs;
      const payments = visible(world.payments, view, (t) => t.base.locationId === location).filter(window);
      sortByTime(payments, field === 'UPDATED_AT' ? 'updatedAt' : 'createdAt', order);
      const result = page(cursors.page(payments, pageSize(limit), q.get('cursor') ?? undefined, querySignature(url)));
      return list('payments', result.items.map((p) => paymentJson(asOf(p.timeline, view)!)), result.cursor);
    }],

    ['GET', /^\/v2\/payments\/([^/]+)$/, 'payment', ({ match }) => {
      const timeline = world.paymentById.get(decodeURIComponent(match[1]));
      const state = timeline && asOf(timeline, world.now());
      if (!state) return squareError(404, notFound(`payment ${match[1]}`));
      return { status: 200, body: { payment: paymentJson(state) } };
    }],

    ['GET', /^\/v2\/refunds$/, 'refunds', ({ url, version }) => {
      const q = url.searchParams;
      const now = world.now();
      const requested = Number(q.get('limit') ?? 100);
      const limit = Number.isInteger(requested) && requested >= 1 ? Math.min(100, requested) : 100;
      const location = q.get('location_id') || undefined;
      const status = q.get('status') || undefined;
      const byUpdated = version >= REFUNDS_UPDATED_AT_SINCE;
      const window = timeWindow(q, now, byUpdated);
      const field = byUpdated ? oneOf(q.get('sort_field') ?? undefined, ['CREATED_AT', 'UPDATED_AT'], 'CREATED_AT', 'sort_field') : 'CREATED_AT';
      const order = oneOf(q.get('sort_order') ?? undefined, ['ASC', 'DESC'], 'DESC', 'sort_order');
      const view = now - o.paymentLagMs;
      const refunds = visible(world.refunds, view, (t) => !location || t.base.locationId === location)
        .filter((r) => window(r) && (!status || asOf(r.timeline, view)!.status === status));
      sortByTime(refunds, field === 'UPDATED_AT' ? 'updatedAt' : 'createdAt', order);
      const result = page(cursors.page(refunds, pageSize(limit), q.get('cursor') ?? undefined, querySignature(url)));
      return list('refunds', result.items.map((r) => refundJson(asOf(r.timeline, view)!)), result.cursor);
    }],

    ['POST', /^\/v2\/orders\/search$/, 'orders-search', ({ url, body }) => {
      const locationIds = body.location_ids;
      if (!Array.isArray(locationIds) || locationIds.length === 0) {
        throw new Refusal(badRequest('ARRAY_LENGTH_TOO_SHORT', 'Must provide at least 1 location_id', 'location_ids'));
      }
      if (locationIds.length > 10) throw new Refusal(badRequest('ARRAY_LENGTH_TOO_LONG', 'At most 10 location_ids per request', 'location_ids'));
      const limit = limitOf(body.limit, 500, 1000, 'limit');
      const query = record(body.query) ?? {};
      const filter = record(query.filter) ?? {};
      const sort = record(query.sort) ?? {};
      const sortField = oneOf(str(sort.sort_field), ['CREATED_AT', 'UPDATED_AT', 'CLOSED_AT'], 'CREATED_AT', 'query.sort.sort_field');
      const order = oneOf(str(sort.sort_order), ['ASC', 'DESC'], 'DESC', 'query.sort.sort_order');
      const dateFilter = record(filter.date_time_filter) ?? {};
      const dateFields = Object.keys(dateFilter);
      if (dateFields.length > 1) throw new Refusal(badRequest('INVALID_VALUE', 'Only one date_time_filter field is allowed', 'query.filter.date_time_filter'));
      if (dateFields.length === 1 && dateFields[0].toUpperCase() !== sortField) {
        throw new Refusal(badRequest('INVALID_VALUE', 'The date_time_filter field must match sort.sort_field', 'query.sort.sort_field'));
      }
      const range = dateFields.length === 1 ? inclusiveRange(dateFilter[dateFields[0]], `query.filter.date_time_filter.${dateFields[0]}`) : () => true;
      const states = record(filter.state_filter)?.states as string[] | undefined;
      const customers = record(filter.customer_filter)?.customer_ids as string[] | undefined;
      const byOrder = new Map<string, Snapshot<PaymentFields>[]>();
      for (const p of paymentView()) {
        if (!locationIds.includes(p.locationId)) continue;
        byOrder.set(p.orderId, [...(byOrder.get(p.orderId) ?? []), p].sort((a, b) => a.createdAt - b.createdAt));
      }
      const orders = [...byOrder.values()]
        .filter((parts) => !customers || (parts[0].customerId !== undefined && customers.includes(parts[0].customerId)))
        .map((parts) => orderJson(parts, serviceById(parts[0].serviceVariationId)))
        .filter((order) => !states || states.includes(order.state as string))
        .filter((order) => {
          const key = `${sortField.toLowerCase()}`;
          const value = order[key] as string | undefined;
          return dateFields.length === 0 || (value !== undefined && range(Date.parse(value)));
        });
      const key = sortField.toLowerCase();
      orders.sort((a, b) => (Date.parse(String(a[key] ?? 0)) - Date.parse(String(b[key] ?? 0)) || cmp(String(a.id), String(b.id))) * (order === 'DESC' ? -1 : 1));
      const result = page(cursors.page(orders, pageSize(limit), str(body.cursor), bodySignature(url.pathname, body)));
      if (body.return_entries === true) {
        return list('order_entries', result.items.map((x) => ({ order_id: x.id, version: x.version, location_id: x.location_id })), result.cursor);
      }
      return list('orders', result.items, result.cursor);
    }],

    ['POST', /^\/v2\/catalog\/batch-retrieve$/, 'catalog-batch-retrieve', ({ body }) => {
      const ids = body.object_ids;
      if (!Array.isArray(ids) || ids.length === 0) throw new Refusal(badRequest('MISSING_REQUIRED_PARAMETER', 'object_ids is required', 'object_ids'));
      if (ids.length > 1000) throw new Refusal(badRequest('ARRAY_LENGTH_TOO_LONG', 'At most 1000 object_ids', 'object_ids'));
      const withDeleted = body.include_deleted_objects === true;
      const staffIds = world.staff.map((s) => s.id);
      const objects: Json[] = [];
      const parents = new Set<string>();
      for (const id of ids.map(String)) {
        const variation = world.services.find((s) => s.variationId === id);
        const itemServices = world.services.filter((s) => s.itemId === id);
        if (variation && (withDeleted || !variation.isDeleted)) {
          objects.push(catalogVariationJson(variation, staffIds, o.currency));
          parents.add(variation.itemId);
        } else if (itemServices.length > 0 && (withDeleted || itemServices.some((s) => !s.isDeleted))) {
          objects.push(catalogItemJson(itemServices, staffIds, o.currency));
        }
      }
      const related =
        body.include_related_objects === true
          ? [...parents].map((itemId) => catalogItemJson(world.services.filter((s) => s.itemId === itemId), staffIds, o.currency))
          : [];
      if (objects.length === 0) return { status: 200, body: {} };
      return { status: 200, body: related.length > 0 ? { objects, related_objects: related } : { objects } };
    }],
  ];

  return function handle(req: http.IncomingMessage, url: URL, rawBody: string): JsonReply {
    const route = routes.find(([method, path]) => method === req.method && path.test(url.pathname));
    const name = route?.[2] ?? 'unknown';
    counters.requests++;
    counters.byRoute[name] = (counters.byRoute[name] ?? 0) + 1;
    if (o.rateLimitPerSecond !== undefined) {
      const t = Date.now();
      while (recent.length > 0 && recent[0] <= t - 1000) recent.shift();
      if (recent.length >= o.rateLimitPerSecond) {
        counters.rateLimited++;
        return squareError(429, { category: 'RATE_LIMIT_ERROR', code: 'RATE_LIMITED', detail: 'Rate limited. Please retry later.' });
      }
      recent.push(t);
    }
    if (req.headers.authorization !== `Bearer ${o.token}`) {
      counters.unauthorized++;
      return squareError(401, { category: 'AUTHENTICATION_ERROR', code: 'UNAUTHORIZED', detail: 'This request could not be authorized.' });
    }
    const version = headerValue(req.headers['square-version']) ?? DEFAULT_SQUARE_VERSION;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(version)) {
      return squareError(400, { category: 'INVALID_REQUEST_ERROR', code: 'INVALID_SQUARE_VERSION_FORMAT', detail: `Invalid Square-Version: ${version}` });
    }
    if (!route) return squareError(404, notFound(`${req.method} ${url.pathname}`));
    const scope = ROUTE_SCOPES[name];
    if (scope && !scopes.includes(scope)) {
      return squareError(403, { category: 'AUTHENTICATION_ERROR', code: 'INSUFFICIENT_SCOPES', detail: `The merchant has not given your application sufficient permissions to do that. The following scopes are required: ${scope}.` });
    }
    let body: Record<string, unknown> = {};
    if (req.method === 'POST') {
      const parsed = parseJsonBody(rawBody);
      if (rawBody.trim() !== '' && (parsed === undefined || typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))) {
        return squareError(400, { category: 'INVALID_REQUEST_ERROR', code: 'INVALID_CONTENT_TYPE', detail: 'The body is not a JSON object.' });
      }
      body = (parsed as Record<string, unknown>) ?? {};
    }
    try {
      const reply = route[3]({ url, body, version, match: url.pathname.match(route[1])! });
      return { ...reply, headers: { ...(reply.headers ?? {}), 'square-version': version } };
    } catch (error) {
      if (error instanceof Refusal) return error.reply;
      throw error;
    }
  };
}

function list(key: string, items: unknown[], cursor: string | undefined, extra: Json = {}): JsonReply {
  // Square answers an empty result with an empty object: no array, no cursor.
  if (items.length === 0 && !cursor) return { status: 200, body: { ...extra } };
  return { status: 200, body: { [key]: items, ...(cursor ? { cursor } : {}), ...extra } };
}

function notFound(what: string) {
  return { category: 'INVALID_REQUEST_ERROR', code: 'NOT_FOUND', detail: `Could not find ${what}` };
}

function isListed(c: CustomerFields): boolean {
  return Boolean(c.givenName || c.familyName || c.company || c.email || c.phone);
}

function sortCustomers(customers: Snapshot<CustomerFields>[], field: string, order: string): Snapshot<CustomerFields>[] {
  const sign = order === 'DESC' ? -1 : 1;
  const name = (c: Snapshot<CustomerFields>) =>
    (`${c.givenName ?? ''} ${c.familyName ?? ''}`.trim() || c.company || c.email || c.phone || '').toLowerCase();
  return customers.sort((a, b) =>
    sign * (field === 'CREATED_AT' ? a.createdAt - b.createdAt || cmp(a.id, b.id) : cmp(name(a), name(b)) || cmp(a.id, b.id)),
  );
}

/**
 * Records that exist at `view` and pass `keep` (on fields that never change), with their times but
 * not yet folded into snapshots: only the page that is sent gets folded.
 */
function visible<T>(timelines: Timeline<T>[], view: number, keep: (t: Timeline<T>) => boolean) {
  const out: Array<{ id: string; createdAt: number; updatedAt: number; timeline: Timeline<T> }> = [];
  for (const timeline of timelines) {
    if (!keep(timeline)) continue;
    const updatedAt = updatedAtAsOf(timeline, view);
    if (updatedAt !== undefined) out.push({ id: timeline.id, createdAt: timeline.createdAt, updatedAt, timeline });
  }
  return out;
}

function sortByTime<T extends { id: string; createdAt: number; updatedAt: number }>(items: T[], key: 'createdAt' | 'updatedAt', order: string): void {
  const sign = order === 'ASC' ? 1 : -1;
  items.sort((a, b) => sign * (a[key] - b[key] || cmp(a.id, b.id)));
}

/**
 * ListPayments/ListPaymentRefunds windows: `begin_time`/`end_time` on created_at (default: the last
 * year), and `updated_at_begin_time`/`updated_at_end_time` on updated_at where the version has them.
 */
function timeWindow(q: URLSearchParams, now: number, byUpdated: boolean): (r: { createdAt: number; updatedAt: number }) => boolean {
  const begin = timeParam(q.get('begin_time'), 'begin_time') ?? now - YEAR_MS;
  const end = timeParam(q.get('end_time'), 'end_time') ?? now;
  if (end < begin) throw new Refusal(badRequest('INVALID_TIME_RANGE', 'end_time is before begin_time', 'end_time'));
  const updatedBegin = byUpdated ? timeParam(q.get('updated_at_begin_time'), 'updated_at_begin_time') : undefined;
  const updatedEnd = byUpdated ? timeParam(q.get('updated_at_end_time'), 'updated_at_end_time') : undefined;
  if (updatedBegin !== undefined && updatedEnd !== undefined && updatedEnd < updatedBegin) {
    throw new Refusal(badRequest('INVALID_TIME_RANGE', 'updated_at_end_time is before updated_at_begin_time', 'updated_at_end_time'));
  }
  return (r) =>
    r.createdAt >= begin &&
    r.createdAt <= end &&
    (updatedBegin === undefined || r.updatedAt >= updatedBegin) &&
    (updatedEnd === undefined || r.updatedAt <= updatedEnd);
}

function timeParam(value: string | null | undefined, field: string): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const ms = RFC3339.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw new Refusal(badRequest('INVALID_TIME', `${field} is not an RFC 3339 timestamp: ${value}`, field));
  return ms;
}

/** SearchCustomers' TimeRange: start inclusive, end exclusive. */
function timeRange(value: unknown, field: string): (ms: number) => boolean {
  const range = record(value);
  if (!range) return () => true;
  const start = timeParam(str(range.start_at), `${field}.start_at`);
  const end = timeParam(str(range.end_at), `${field}.end_at`);
  return (ms) => (start === undefined || ms >= start) && (end === undefined || ms < end);
}

/** SearchOrders' date filters include both ends. */
function inclusiveRange(value: unknown, field: string): (ms: number) => boolean {
  const range = record(value);
  if (!range) return () => true;
  const start = timeParam(str(range.start_at), `${field}.start_at`);
  const end = timeParam(str(range.end_at), `${field}.end_at`);
  return (ms) => (start === undefined || ms >= start) && (end === undefined || ms <= end);
}

function limitOf(value: unknown, fallback: number, max: number, field: string): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new Refusal(badRequest('INVALID_VALUE', `${field} must be an integer`, field));
  if (n < 1) throw new Refusal(badRequest('VALUE_TOO_LOW', `${field} must be at least 1`, field));
  if (n > max) throw new Refusal(badRequest('VALUE_TOO_HIGH', `${field} must be at most ${max}`, field));
  return n;
}

function oneOf(value: string | undefined, allowed: string[], fallback: string, field: string): string {
  if (value === undefined || value === '') return fallback;
  if (!allowed.includes(value)) throw new Refusal(badRequest('INVALID_ENUM_VALUE', `${field} must be one of ${allowed.join(', ')}`, field));
  return value;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
