/** The Square sandbox reproduces the behaviour the fetcher must cope with. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSquareSandbox, type SquareSandbox } from '../../../src/sandbox/square/index.js';
import { NOW } from './helpers.js';

let sandbox: SquareSandbox;
let jpy: SquareSandbox;
let empty: SquareSandbox;

beforeAll(async () => {
  sandbox = await startSquareSandbox({ now: NOW, maxPageSize: 5 });
  jpy = await startSquareSandbox({ now: NOW, currency: 'JPY', customers: 40, historyDays: 20 });
  empty = await startSquareSandbox({ now: NOW, customers: 0, bookingsPerDay: 0 });
});

afterAll(async () => {
  await Promise.all([sandbox.close(), jpy.close(), empty.close()]);
});

async function call(sb: SquareSandbox, path: string, init: { method?: string; body?: unknown; token?: string | null } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.token !== null) headers.authorization = `Bearer ${init.token ?? sb.token}`;
  const res = await fetch(sb.url + path, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}

describe('Square sandbox', () => {
  it.each([
    ['no token', null],
    ['a wrong token', 'not-the-token'],
  ])('answers 401 UNAUTHORIZED with %s', async (_name, token) => {
    const res = await call(sandbox, '/v2/locations', { token });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      errors: [{ category: 'AUTHENTICATION_ERROR', code: 'UNAUTHORIZED', detail: 'This request could not be authorized.' }],
    });
  });

  it('lists several locations with time zones, one of them INACTIVE', async () => {
    const res = await call(sandbox, '/v2/locations');
    expect(res.body.locations.map((l: any) => [l.name, l.timezone, l.status])).toEqual([
      ['Downtown', 'America/Los_Angeles', 'ACTIVE'],
      ['Old Town', 'America/Chicago', 'INACTIVE'],
      ['Riverside', 'America/New_York', 'ACTIVE'],
    ]);
  });

  it('answers an empty result with {}', async () => {
    const bookings = await call(sandbox, '/v2/bookings?start_at_min=2001-01-01T00:00:00Z&start_at_max=2001-01-20T00:00:00Z');
    expect(bookings.body).toEqual({});
    const search = await call(empty, '/v2/customers/search', { method: 'POST', body: {} });
    expect(search.body).toEqual({});
  });

  it('refuses a bookings window over 31 days and accepts exactly 31', async () => {
    const wide = await call(sandbox, '/v2/bookings?start_at_min=2025-04-01T00:00:00Z&start_at_max=2025-05-11T00:00:00Z');
    expect(wide.status).toBe(400);
    expect(wide.body.errors[0]).toMatchObject({ code: 'INVALID_VALUE', field: 'start_at_max' });
    const ok = await call(sandbox, '/v2/bookings?start_at_min=2025-04-01T00:00:00Z&start_at_max=2025-05-02T00:00:00Z');
    expect(ok.status).toBe(200);
  });

  it('ties a cursor to its original parameters', async () => {
    const first = await call(sandbox, '/v2/customers?sort_field=CREATED_AT&limit=50');
    expect(first.body.customers).toHaveLength(5); // the page cap, below the asked limit
    const cursor = first.body.cursor as string;
    const alone = await call(sandbox, `/v2/customers?cursor=${encodeURIComponent(cursor)}`);
    expect(alone.status).toBe(400);
    expect(alone.body.errors[0].field).toBe('cursor');
    const again = await call(sandbox, `/v2/customers?sort_field=CREATED_AT&limit=50&cursor=${encodeURIComponent(cursor)}`);
    expect(again.status).toBe(200);
    expect(again.body.customers[0].id).not.toBe(first.body.customers[0].id);
  });

  it('expires cursors with INVALID_CURSOR', async () => {
    const first = await call(sandbox, '/v2/customers?limit=10');
    sandbox.control.expireCursors();
    const res = await call(sandbox, `/v2/customers?limit=10&cursor=${encodeURIComponent(first.body.cursor)}`);
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ category: 'INVALID_REQUEST_ERROR', code: 'INVALID_CURSOR' });
  });

  it('lists only the main location\'s payments without location_id', async () => {
    const locations = (await call(sandbox, '/v2/locations')).body.locations as any[];
    const main = sandbox.control.world.locations[0].id;
    const res = await call(sandbox, '/v2/payments?begin_time=2009-01-01T00:00:00Z');
    expect(new Set(res.body.payments.map((p: any) => p.location_id))).toEqual(new Set([main]));
    const other = locations.find((l) => l.id !== main).id;
    const there = await call(sandbox, `/v2/payments?begin_time=2009-01-01T00:00:00Z&location_id=${other}`);
    expect(new Set(there.body.payments.map((p: any) => p.location_id))).toEqual(new Set([other]));
  });

  it('ignores updated_at filters for an old Square-Version', async () => {
    const query = '/v2/payments?begin_time=2009-01-01T00:00:00Z&updated_at_begin_time=2100-01-01T00:00:00Z';
    const pinned = await fetch(sandbox.url + query, { headers: { authorization: `Bearer ${sandbox.token}`, 'square-version': '2024-10-17' } });
    expect(((await pinned.json()) as any).payments.length).toBeGreaterThan(0);
    const recent = await call(sandbox, query);
    expect(recent.body).toEqual({});
  });

  it('prints times with and without fractional seconds', async () => {
    const res = await call(sandbox, '/v2/payments?begin_time=2009-01-01T00:00:00Z&limit=100');
    const stamps = (res.body.payments as any[]).flatMap((p) => [p.created_at, p.updated_at]);
    expect(stamps.some((s) => /:\d{2}\.\d{3}Z$/.test(s))).toBe(true);
    expect(stamps.some((s) => /:\d{2}Z$/.test(s))).toBe(true);
  });

  it('keeps JPY amounts in whole yen', async () => {
    const location = jpy.control.world.locations[0].id;
    const res = await call(jpy, `/v2/payments?begin_time=2009-01-01T00:00:00Z&location_id=${location}`);
    const payments = res.body.payments as any[];
    expect(payments.length).toBeGreaterThan(0);
    const byOrder = new Map<string, number>();
    for (const payment of payments) {
      expect(payment.amount_money.currency).toBe('JPY');
      expect(payment.amount_money.amount % 100).toBe(0);
      byOrder.set(payment.order_id, (byOrder.get(payment.order_id) ?? 0) + payment.amount_money.amount);
    }
    // An order paid in parts (split tender) adds up to a price; the cheapest is 3800 yen.
    for (const amount of byOrder.values()) expect(amount).toBeGreaterThanOrEqual(3800);
  });

  it('hides a just-changed customer from search for the lag, not from retrieval', async () => {
    const touched = sandbox.control.touchCustomer(undefined, 10_000);
    const search = await call(sandbox, '/v2/customers/search', {
      method: 'POST',
      body: { query: { filter: { email_address: { exact: touched.email } } } },
    });
    expect(search.body).toEqual({});
    const direct = await call(sandbox, `/v2/customers/${touched.id}`);
    expect(direct.body.customer.email_address).toBe(touched.email);
  });

  it('answers 429 RATE_LIMITED without Retry-After when over its rate', async () => {
    const limited = await startSquareSandbox({ now: NOW, customers: 10, historyDays: 5, rateLimitPerSecond: 1 });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = 'unset';
      for (let i = 0; i < 4; i++) {
        const res = await call(limited, '/v2/locations');
        statuses.push(res.status);
        if (res.status === 429) {
          retryAfter = res.headers.get('retry-after');
          expect(res.body.errors[0]).toMatchObject({ category: 'RATE_LIMIT_ERROR', code: 'RATE_LIMITED' });
        }
      }
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
      expect(retryAfter).toBeNull();
    } finally {
      await limited.close();
    }
  });

  it('answers a merged customer id with NOT_FOUND in bulk, and with the survivor when retrieved alone', async () => {
    const world = sandbox.control.world;
    const merged = world.customers.find((c) => c.changes.some((ch) => ch.patch.mergedInto && ch.at <= NOW));
    expect(merged).toBeDefined();
    const survivor = merged!.changes.find((ch) => ch.patch.mergedInto)!.patch.mergedInto;
    const res = await call(sandbox, '/v2/customers/bulk-retrieve', { method: 'POST', body: { customer_ids: [merged!.id, 'NO_SUCH_ID'] } });
    expect(res.body.responses[merged!.id].errors[0].code).toBe('NOT_FOUND');
    expect(res.body.responses.NO_SUCH_ID.errors[0].code).toBe('NOT_FOUND');
    const alone = await call(sandbox, `/v2/customers/${merged!.id}`);
    expect(alone.body.customer.id).not.toBe(merged!.id);
    expect([survivor, world.resolveCustomer(survivor!, NOW)?.id]).toContain(alone.body.customer.id);
    const unknown = await call(sandbox, '/v2/customers/NO_SUCH_ID');
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0].code).toBe('NOT_FOUND');
  });

  it('refuses more than 10 locations in SearchOrders', async () => {
    const ids = Array.from({ length: 11 }, (_, i) => `L${i}`);
    const res = await call(sandbox, '/v2/orders/search', { method: 'POST', body: { location_ids: ids } });
    expect(res.status).toBe(400);
    const ok = await call(sandbox, '/v2/orders/search', { method: 'POST', body: { location_ids: [sandbox.control.world.locations[0].id], limit: 3 } });
    expect(ok.body.orders).toHaveLength(3);
  });

  it('pays some orders in two parts: two payments with one order_id, one order with two tenders', async () => {
    const world = sandbox.control.world;
    const parts = new Map<string, string[]>();
    for (const p of world.payments) if (p.createdAt <= NOW) parts.set(p.base.orderId, [...(parts.get(p.base.orderId) ?? []), p.id]);
    const [orderId, paymentIds] = [...parts].find(([, ids]) => ids.length === 2)!;
    const location = world.paymentById.get(paymentIds[0])!.base.locationId;
    const all = [];
    let cursor: string | undefined;
    do {
      const res = await call(sandbox, '/v2/orders/search', { method: 'POST', body: { location_ids: [location], limit: 1000, ...(cursor ? { cursor } : {}) } });
      all.push(...(res.body.orders ?? []));
      cursor = res.body.cursor;
    } while (cursor);
    const orders = all.filter((o: { id: string }) => o.id === orderId);
    expect(orders).toHaveLength(1);
    expect(orders[0].tenders.map((t: { payment_id: string }) => t.payment_id).sort()).toEqual([...paymentIds].sort());
  });

  it('names services through the catalog, deleted ones only on request', async () => {
    const perm = sandbox.control.world.services.find((s) => s.itemName === 'Perm')!;
    const without = await call(sandbox, '/v2/catalog/batch-retrieve', { method: 'POST', body: { object_ids: [perm.variationId] } });
    expect(without.body).toEqual({});
    const withDeleted = await call(sandbox, '/v2/catalog/batch-retrieve', {
      method: 'POST',
      body: { object_ids: [perm.variationId], include_deleted_objects: true, include_related_objects: true },
    });
    expect(withDeleted.body.objects[0]).toMatchObject({ type: 'ITEM_VARIATION', is_deleted: true });
    expect(withDeleted.body.related_objects[0].item_data.name).toBe('Perm');
  });

  it('applies faults and moves its clock through the control routes', async () => {
    await fetch(`${sandbox.url}/__sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'status', status: 503, path: '/v2/locations' }),
    });
    expect((await call(sandbox, '/v2/locations')).status).toBe(503);
    expect((await call(sandbox, '/v2/locations')).status).toBe(200);
    const before = (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as any;
    const moved = await fetch(`${sandbox.url}/__sandbox/advance`, { method: 'POST', body: JSON.stringify({ days: 2 }) });
    expect(((await moved.json()) as any).now).toBe('2025-06-17T12:00:00.000Z');
    const after = (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as any;
    expect(after.records.bookings).toBeGreaterThan(before.records.bookings);
  });
});
