import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLightspeedSandbox, type LightspeedSandbox } from '../../../src/sandbox/lightspeed/index.js';
import { LightspeedWorld } from '../../../src/sandbox/lightspeed/generator.js';
import { resolveSandboxOptions } from '../../../src/sandbox/lightspeed/options.js';

const NOW = Date.UTC(2025, 5, 1);
const small = { customers: 300, salesPerDay: 20, historyDays: 60, now: NOW, seed: 11 };

interface Page {
  data: Array<Record<string, unknown> & { id: string; version: number }>;
  version: { min: number | null; max: number | null };
}

async function get(sandbox: LightspeedSandbox, path: string, token: string | null = sandbox.token) {
  const response = await fetch(`${sandbox.url}${path}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

async function readAll(sandbox: LightspeedSandbox, resource: string, extra = '') {
  const records: Page['data'] = [];
  let after = 0;
  let requests = 0;
  for (;;) {
    const { body } = await get(sandbox, `/api/2.0/${resource}?after=${after}&page_size=50${extra}`);
    requests++;
    const page = body as Page;
    if (page.data.length === 0) {
      expect(page.version).toEqual({ min: null, max: null });
      return { records, requests };
    }
    const versions = page.data.map((r) => r.version);
    expect(page.version).toEqual({ min: Math.min(...versions), max: Math.max(...versions) });
    expect(Math.min(...versions)).toBeGreaterThan(after);
    after = page.version.max!;
    records.push(...page.data);
  }
}

describe('generator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = new LightspeedWorld(resolveSandboxOptions(small));
    const b = new LightspeedWorld(resolveSandboxOptions(small));
    const c = new LightspeedWorld(resolveSandboxOptions({ ...small, seed: 12 }));
    expect(JSON.stringify(a.collections.sales.all())).toBe(JSON.stringify(b.collections.sales.all()));
    expect(JSON.stringify(a.collections.customers.all())).toBe(JSON.stringify(b.collections.customers.all()));
    expect(JSON.stringify(a.collections.sales.all())).not.toBe(JSON.stringify(c.collections.sales.all()));
  });

  it('makes the requested customers, sales in the right range, coherent totals and returns', () => {
    const world = new LightspeedWorld(resolveSandboxOptions(small));
    expect(world.collections.customers.all()).toHaveLength(300);
    const sales = world.collections.sales.all();
    // 20 a day for 60 days, ±30 % day to day, plus returns
    expect(sales.length).toBeGreaterThan(60 * 20 * 0.8);
    expect(sales.length).toBeLessThan(60 * 20 * 1.3);
    const byId = new Map(sales.map((s) => [s.id, s]));
    let returns = 0;
    for (const sale of sales) {
      const cents = (v: unknown) => Math.round(Number(v) * 100);
      expect(cents(sale.total_price_incl)).toBe(cents(sale.total_price) + cents(sale.total_tax));
      expect(Date.parse(String(sale.sale_date))).toBeLessThanOrEqual(NOW);
      expect(Date.parse(String(sale.sale_date))).toBeGreaterThanOrEqual(NOW - 60 * 86_400_000);
      if (sale.return_for) {
        returns++;
        expect(Number(sale.total_price_incl)).toBeLessThan(0);
        expect(byId.get(String(sale.return_for))?.return_ids).toContain(sale.id);
      }
    }
    expect(returns).toBeGreaterThan(0);
    const statuses = new Set(sales.map((s) => s.status));
    for (const status of ['CLOSED', 'VOIDED', 'SAVED', 'LAYBY_CLOSED', 'ONACCOUNT_CLOSED']) expect(statuses).toContain(status);
  });

  it('advance adds new customers, edits and deletions after the previous versions, and moves the clock', () => {
    const world = new LightspeedWorld(resolveSandboxOptions(small));
    const before = world.maxVersion();
    world.advance(5);
    expect(world.now).toBe(NOW + 5 * 86_400_000);
    const changedCustomers = world.collections.customers.all().filter((c) => c.version > before);
    const changedSales = world.collections.sales.all().filter((s) => s.version > before);
    expect(changedCustomers.some((c) => Date.parse(String(c.created_at)) > NOW)).toBe(true);
    expect(changedCustomers.some((c) => Date.parse(String(c.created_at)) <= NOW)).toBe(true);
    expect(changedSales.some((s) => Date.parse(String(s.sale_date)) > NOW)).toBe(true);
    expect(changedSales.some((s) => Date.parse(String(s.sale_date)) <= NOW)).toBe(true); // laybys paid off, voids, returns
    expect(world.collections.customers.all().length).toBeGreaterThan(300);
  });
});

describe('sandbox over HTTP', () => {
  let sandbox: LightspeedSandbox;
  let clock = 1_000_000;
  beforeAll(async () => {
    sandbox = await startLightspeedSandbox({
      ...small,
      registersPerOutlet: 1,
      outlets: 3,
      rateLimit: { perRegister: 100, base: 20, windowMs: 10_000 },
      clock: () => clock,
    });
  });
  afterAll(() => sandbox.close());

  it('pages customers by version until an empty page; tombstones only with deleted=true', async () => {
    const truth = sandbox.control.records('customers');
    const live = await readAll(sandbox, 'customers');
    const all = await readAll(sandbox, 'customers', '&deleted=true');
    expect(all.records.map((r) => r.id).sort()).toEqual(truth.map((r) => r.id).sort());
    expect(live.records.length).toBe(truth.filter((r) => !r.deleted_at).length);
    expect(all.records.some((r) => typeof r.deleted_at === 'string')).toBe(true);
    expect(live.records.some((r) => 'deleted_at' in r)).toBe(false);
    expect(all.requests).toBe(Math.ceil(truth.length / 50) + 1);
  });

  it('an edit gives the record a new version after everything else', async () => {
    const max = sandbox.control.maxVersion();
    const someone = sandbox.control.records('customers').find((c) => !c.deleted_at)!;
    sandbox.control.upsert('customers', { id: someone.id, email: 'new@example.org' });
    const { body } = await get(sandbox, `/api/2.0/customers?after=${max}`);
    expect((body as Page).data.map((r) => [r.id, r.email])).toEqual([[someone.id, 'new@example.org']]);
  });

  it('omits null fields and writes UTC times with +00:00', async () => {
    const { body } = await get(sandbox, '/api/2.0/sales?page_size=200&deleted=true');
    const text = JSON.stringify(body);
    expect(text).not.toContain('null');
    const sale = (body as Page).data[0];
    expect(sale.sale_date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
    expect(typeof sale.total_price).toBe('number');
  });

  it('caps page_size at 200', async () => {
    const { body } = await get(sandbox, '/api/2.0/sales?page_size=500');
    expect((body as Page).data).toHaveLength(200);
  });

  it('serves the retailer and single records', async () => {
    const retailer = await get(sandbox, '/api/2.0/retailer');
    expect(retailer.body.data.currency).toEqual({ code: 'NZD', symbol: '$' });
    const outlet = sandbox.control.records('outlets')[0];
    const one = await get(sandbox, `/api/2.0/outlets/${outlet.id}`);
    expect(one.body.data).toMatchObject({ id: outlet.id, name: 'Wellington Central', time_zone: 'Pacific/Auckland' });
  });

  it('answers 401 with the X-Series error body without a valid Bearer token', async () => {
    for (const token of [null, 'wrong']) {
      const response = await get(sandbox, '/api/2.0/customers', token);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ error: 'Unauthorized', message: expect.any(String) });
    }
  });

  it('enforces 300 × registers + 50 style budgets with X-RateLimit headers and a 429 Retry-After HTTP-date', async () => {
    clock = 5_000_000; // a fresh window: the last one started near 1 000 000
    const limit = 100 * 3 + 20;
    const first = await get(sandbox, '/api/2.0/outlets');
    expect(first.headers.get('x-ratelimit-limit')).toBe(String(limit));
    expect(first.headers.get('x-ratelimit-remaining')).toBe(String(limit - 1));
    expect(first.headers.get('x-ratelimit-reset')).toBeNull();
    for (let i = 2; i <= limit; i++) await get(sandbox, '/api/2.0/outlets');
    clock = 5_003_500;
    const refused = await get(sandbox, '/api/2.0/outlets');
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ error: 'Too Many Requests', message: 'Rate limiting enforced' });
    // window started at 5 000 000 ms, lasts 10 000 ms: 1970-01-01T01:23:30Z
    expect(refused.headers.get('retry-after')).toBe('Thu, 01 Jan 1970 01:23:30 GMT');
    clock = 5_010_000;
    expect((await get(sandbox, '/api/2.0/outlets')).status).toBe(200);
  });

  it('control routes: faults, advance and stats', async () => {
    const stats0 = (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as { requests: number; rateLimited: number };
    expect(stats0.rateLimited).toBe(1);
    await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'POST', body: JSON.stringify({ kind: 'status', status: 503, count: 1 }) });
    expect((await get(sandbox, '/api/2.0/users')).status).toBe(503);
    expect((await get(sandbox, '/api/2.0/users')).status).toBe(200);
    const max = sandbox.control.maxVersion();
    const advanced = await fetch(`${sandbox.url}/__sandbox/advance`, { method: 'POST', body: JSON.stringify({ days: 2 }) });
    expect(advanced.status).toBe(200);
    expect(sandbox.control.now()).toBe(NOW + 2 * 86_400_000);
    expect(sandbox.control.maxVersion()).toBeGreaterThan(max);
    const stats1 = (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as { requests: number };
    // the faulted request never reached the API, the second users request did
    expect(stats1.requests).toBe(stats0.requests + 1);
  });
});

describe('sandbox readings', () => {
  it('by default sales have the 2.0 shape: status, total_price + total_tax, no state, no total_price_incl, no tombstones', async () => {
    const sandbox = await startLightspeedSandbox(small);
    try {
      const sales = (await readAll(sandbox, 'sales', '&deleted=true')).records;
      expect(sales.every((s) => !('state' in s) && !('total_price_incl' in s) && 'status' in s && 'sale_date' in s)).toBe(true);
      expect(sales.every((s) => typeof s.total_price === 'number' && typeof s.total_tax === 'number')).toBe(true);
      // GET /sales takes no `deleted` in 2.0: discarded parked sales just stop being listed.
      expect(sandbox.control.records('sales').some((s) => s.deleted_at)).toBe(true);
      expect(sales.some((s) => 'deleted_at' in s)).toBe(false);
    } finally {
      await sandbox.close();
    }
  });

  it('default walk-in customer, nulls kept, state and total_price_incl, sales deletions honoured, page_size over the cap refused, as asked', async () => {
    const sandbox = await startLightspeedSandbox({
      ...small,
      walkIn: 'default-customer',
      nullFields: 'null',
      saleState: true,
      totalPriceIncl: true,
      salesDeleted: 'honoured',
      overMaxPageSize: 'reject',
    });
    try {
      const walkIn = sandbox.control.walkInCustomerId()!;
      expect(sandbox.control.records('customers').find((c) => c.id === walkIn)?.customer_code).toBe('WALKIN');
      const sales = (await readAll(sandbox, 'sales', '&deleted=true')).records;
      expect(sales.some((s) => s.customer_id === walkIn)).toBe(true);
      expect(sales.some((s) => s.customer_id === null)).toBe(false);
      expect(sales.some((s) => typeof s.deleted_at === 'string')).toBe(true);
      expect(sales.every((s) => 'state' in s && 'total_price_incl' in s && 'status' in s)).toBe(true);
      expect(sales.some((s) => s.return_for === null)).toBe(true);
      expect((await get(sandbox, '/api/2.0/sales?page_size=201')).status).toBe(400);
    } finally {
      await sandbox.close();
    }
  });

  it('answers in the date-based 2026.01 sale shape when asked: date instead of sale_date, no status', async () => {
    const sandbox = await startLightspeedSandbox({ ...small, salesShape: '2026.01' });
    try {
      const sales = (await readAll(sandbox, 'sales')).records;
      expect(sales.length).toBeGreaterThan(0);
      expect(sales.every((s) => typeof s.date === 'string' && !('sale_date' in s) && !('status' in s) && typeof s.state === 'string')).toBe(true);
    } finally {
      await sandbox.close();
    }
  });

  it('answers 403 to a read the token has no scope for', async () => {
    const sandbox = await startLightspeedSandbox({ ...small, scopes: ['retailer:read', 'sales:read'] });
    try {
      expect((await get(sandbox, '/api/2.0/sales?page_size=1')).status).toBe(200);
      expect((await get(sandbox, '/api/2.0/retailer')).status).toBe(200);
      const refused = await get(sandbox, '/api/2.0/users');
      expect(refused.status).toBe(403);
      expect(refused.body.message).toContain('users:read');
    } finally {
      await sandbox.close();
    }
  });
});
