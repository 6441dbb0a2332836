/**
 * The sandboxes may not drift from the vendors: every response they serve, in every mode, is checked
 * against the same wire schemas the clients use (written from the vendors' OpenAPI files). Only the
 * variant that is meant to drift (Lightspeed's date-based 2026.01 sale shape) must fail, and it must
 * fail on every sale.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { startLightspeedSandbox, type LightspeedSandbox, type LightspeedSandboxOptions } from '../../src/sandbox/lightspeed/index.js';
import { startSquareSandbox, type SquareSandbox, type SquareSandboxOptions } from '../../src/sandbox/square/index.js';
import { STREAM_SCHEMAS, wireCollection, wireRetailer, wireSingle } from '../../src/sources/lightspeed/wire.js';
import {
  squareBooking,
  squareBulkCustomers,
  squareCatalogObject,
  squareCustomer,
  squareError,
  squareList,
  squareLocation,
  squarePayment,
  squareRefund,
  squareRetrievedCustomer,
  squareTeamMember,
  squareTokenStatus,
} from '../../src/sources/square/wire.js';

const NOW = Date.UTC(2025, 5, 15, 12);
const DAY = 86_400_000;
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** Parses or says exactly what did not match, so a drifting sandbox names its field. */
function conforms<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${where}: ${issue.path.join('.')}: ${issue.message} in ${JSON.stringify(value).slice(0, 300)}`);
  }
  return parsed.data;
}

async function getJson(url: string, token: string, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'square-version': '2025-08-20' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

describe('the Lightspeed sandbox serves API 2.0 shapes in every mode', () => {
  const base: LightspeedSandboxOptions = { seed: 5, customers: 150, salesPerDay: 12, historyDays: 40, now: NOW, rateLimit: { enabled: false } };
  const modes: Array<[string, LightspeedSandboxOptions]> = [
    ['the default readings', {}],
    ['walk-ins as a default customer', { walkIn: 'default-customer' }],
    ['null fields sent as null', { nullFields: 'null' }],
    ['a stray state and total_price_incl', { saleState: true, totalPriceIncl: true }],
    ['sales tombstones served', { salesDeleted: 'honoured' }],
    ['every outlet, zero-decimal currency', { outlets: 8, currency: 'JPY' }],
  ];

  /** Every record of every collection (tombstones included where asked for), checked. */
  async function crawl(sandbox: LightspeedSandbox): Promise<Record<string, number>> {
    const api = `${sandbox.url}/api/2.0`;
    const retailer = conforms(wireSingle, (await getJson(`${api}/retailer`, sandbox.token)).body, 'retailer');
    conforms(wireRetailer, retailer.data, 'retailer');
    const counts: Record<string, number> = {};
    for (const [resource, schema] of Object.entries(STREAM_SCHEMAS)) {
      let after = 0;
      counts[resource] = 0;
      for (;;) {
        const page = conforms(wireCollection, (await getJson(`${api}/${resource}?after=${after}&page_size=200&deleted=true`, sandbox.token)).body, resource);
        if (page.data.length === 0) break;
        for (const record of page.data) conforms(schema, record, resource);
        counts[resource] += page.data.length;
        after = page.version!.max!;
      }
    }
    return counts;
  }

  it.each(modes)('%s', async (_name, mode) => {
    const sandbox = await startLightspeedSandbox({ ...base, ...mode });
    closers.push(sandbox.close);
    const first = await crawl(sandbox);
    expect(first.sales).toBeGreaterThan(0);
    expect(first.customers).toBeGreaterThan(0);
    // And after time passes: edits, deletions, laybys paid off, voids, returns.
    sandbox.control.advance(4);
    await crawl(sandbox);
  });

  it('the date-based 2026.01 sale shape fails the 2.0 schema on every sale (and only sales)', async () => {
    const sandbox = await startLightspeedSandbox({ ...base, salesShape: '2026.01' });
    closers.push(sandbox.close);
    const page = conforms(wireCollection, (await getJson(`${sandbox.url}/api/2.0/sales?page_size=200`, sandbox.token)).body, 'sales');
    expect(page.data.length).toBeGreaterThan(0);
    for (const sale of page.data) {
      const fields = STREAM_SCHEMAS.sales.safeParse(sale).error?.issues.map((issue) => issue.path.join('.'));
      expect(fields).toEqual(expect.arrayContaining(['status', 'sale_date']));
    }
    const customers = conforms(wireCollection, (await getJson(`${sandbox.url}/api/2.0/customers?page_size=200`, sandbox.token)).body, 'customers');
    for (const customer of customers.data) conforms(STREAM_SCHEMAS.customers, customer, 'customers');
  });
});

describe('the Square sandbox serves the 2025-08-20 shapes in every mode', () => {
  const base: SquareSandboxOptions = { seed: 6, customers: 90, historyDays: 45, bookingsPerDay: 5, now: NOW, searchLagMs: 0, paymentLagMs: 0 };
  const modes: Array<[string, SquareSandboxOptions]> = [
    ['a personal access token', {}],
    ['zero-decimal yen', { currency: 'JPY' }],
    ['an OAuth token without APPOINTMENTS_ALL_READ', { scopes: ['APPOINTMENTS_READ', 'CUSTOMERS_READ', 'PAYMENTS_READ', 'MERCHANT_PROFILE_READ', 'EMPLOYEES_READ', 'ITEMS_READ'] }],
    ['small pages', { maxPageSize: 7 }],
  ];

  /** Every page of a list, each checked: the envelope, then every item. */
  async function all<S extends z.ZodType>(sandbox: SquareSandbox, key: string, schema: S, path: string, body?: Record<string, unknown>): Promise<z.output<S>[]> {
    const items: z.output<S>[] = [];
    let cursor: string | undefined;
    do {
      const url = `${sandbox.url}${path}${body || cursor === undefined ? '' : `${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`}`;
      const answer = await getJson(url, sandbox.token, body ? { method: 'POST', body: cursor === undefined ? body : { ...body, cursor } } : {});
      expect(answer.status, `${path}: ${JSON.stringify(answer.body)}`).toBe(200);
      const page = conforms(squareList(key), answer.body, path) as Record<string, unknown> & { cursor?: string | null };
      for (const item of (page[key] as unknown[] | undefined) ?? []) items.push(conforms(schema, item, path));
      cursor = page.cursor ?? undefined;
    } while (cursor);
    return items;
  }

  async function crawl(sandbox: SquareSandbox): Promise<void> {
    const token = conforms(squareTokenStatus, (await getJson(`${sandbox.url}/oauth2/token/status`, sandbox.token, { method: 'POST', body: {} })).body, 'token status');
    expect(token.merchant_id).toBeTruthy();
    const locations = await all(sandbox, 'locations', squareLocation, '/v2/locations');
    expect(locations.length).toBeGreaterThan(0);
    await all(sandbox, 'team_members', squareTeamMember, '/v2/team-members/search', { limit: 200 });
    const listed = await all(sandbox, 'customers', squareCustomer, '/v2/customers?limit=100&sort_field=CREATED_AT');
    await all(sandbox, 'customers', squareCustomer, '/v2/customers/search', { limit: 100, query: { sort: { field: 'CREATED_AT', order: 'ASC' } } });
    const begin = '2009-01-01T00:00:00Z';
    const payments = [];
    for (const location of locations) payments.push(...(await all(sandbox, 'payments', squarePayment, `/v2/payments?location_id=${location.id}&begin_time=${begin}&limit=100`)));
    expect(payments.length).toBeGreaterThan(0);
    await all(sandbox, 'refunds', squareRefund, `/v2/refunds?begin_time=${begin}&limit=100`);
    const one = (await getJson(`${sandbox.url}/v2/payments/${payments[0].id}`, sandbox.token)).body as { payment: unknown };
    conforms(squarePayment, one.payment, 'GET /v2/payments/{id}');
    const bookings = [];
    for (const location of locations) {
      for (let start = NOW - 50 * DAY; start < NOW + 62 * DAY; start += 31 * DAY) {
        const window = `start_at_min=${new Date(start).toISOString()}&start_at_max=${new Date(start + 31 * DAY).toISOString()}`;
        bookings.push(...(await all(sandbox, 'bookings', squareBooking, `/v2/bookings?location_id=${location.id}&${window}&limit=100`)));
      }
    }
    // Every customer a payment or booking names: in bulk, and alone (merged ids give the survivor).
    const ids = [...new Set([...payments.map((p) => p.customer_id), ...bookings.map((b) => b.customer_id), ...listed.map((c) => c.id)])].filter(
      (id): id is string => typeof id === 'string',
    );
    for (let i = 0; i < ids.length; i += 100) {
      const bulk = conforms(squareBulkCustomers, (await getJson(`${sandbox.url}/v2/customers/bulk-retrieve`, sandbox.token, { method: 'POST', body: { customer_ids: ids.slice(i, i + 100) } })).body, 'bulk-retrieve');
      for (const [id, answer] of Object.entries(bulk.responses ?? {})) {
        if (answer.customer !== undefined) conforms(squareCustomer, answer.customer, 'bulk-retrieve');
        else {
          for (const error of answer.errors ?? []) conforms(squareError, error, 'bulk-retrieve');
          const alone = await getJson(`${sandbox.url}/v2/customers/${id}`, sandbox.token);
          if (alone.status === 200) conforms(squareCustomer, conforms(squareRetrievedCustomer, alone.body, 'retrieve').customer, 'retrieve');
          else for (const error of (alone.body as { errors: unknown[] }).errors) conforms(squareError, error, 'retrieve');
        }
      }
    }
    const variations = [...new Set(bookings.flatMap((b) => (b.appointment_segments ?? []).map((s) => s.service_variation_id)))].filter((id): id is string => !!id);
    const catalog = (await getJson(`${sandbox.url}/v2/catalog/batch-retrieve`, sandbox.token, {
      method: 'POST',
      body: { object_ids: variations, include_related_objects: true, include_deleted_objects: true },
    })).body as { objects?: unknown[]; related_objects?: unknown[] };
    for (const object of [...(catalog.objects ?? []), ...(catalog.related_objects ?? [])]) conforms(squareCatalogObject, object, 'catalog');
  }

  it.each(modes)('%s', async (_name, mode) => {
    const sandbox = await startSquareSandbox({ ...base, ...mode });
    closers.push(sandbox.close);
    await crawl(sandbox);
    // And after time passes: captures, refunds, late customer ids, cancellations, merges.
    sandbox.control.advance(6);
    await crawl(sandbox);
  });

  it('answers a missing scope with 403 INSUFFICIENT_SCOPES in the error shape', async () => {
    const sandbox = await startSquareSandbox({ ...base, scopes: ['MERCHANT_PROFILE_READ'] });
    closers.push(sandbox.close);
    const refused = await getJson(`${sandbox.url}/v2/payments`, sandbox.token);
    expect(refused.status).toBe(403);
    const [error] = (refused.body as { errors: unknown[] }).errors.map((e) => conforms(squareError, e, 'error'));
    expect(error.code).toBe('INSUFFICIENT_SCOPES');
  });
});
