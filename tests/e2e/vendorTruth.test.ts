/**
 * The vendors' shapes, scopes and stores, checked at the wire, end to end: the real binary against the
 * sandboxes over real HTTP, reading the exit code, the messages and the files a user would see.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/io/store.js';
import { startLightspeedSandbox, type LightspeedSandbox, type LightspeedSandboxOptions } from '../../src/sandbox/lightspeed/index.js';
import { createdByThisApp } from '../../src/sandbox/square/render.js';
import { startSquareSandbox, type SquareSandbox, type SquareSandboxOptions } from '../../src/sandbox/square/index.js';
import { readCsv, removeDir, runCa, tempDir } from '../helpers/cli.js';
import { writeTestConfig } from '../helpers/config.js';

const NOW = Date.parse('2025-06-30T12:00:00Z');
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** A throwaway working folder with the tests' ca.config.json (tests/helpers/config.ts). */
async function folder(): Promise<string> {
  const dir = await tempDir('ca-vendor-');
  cleanups.push(() => removeDir(dir));
  await writeTestConfig(dir);
  return dir;
}

async function lightspeed(options: LightspeedSandboxOptions = {}): Promise<LightspeedSandbox> {
  const sandbox = await startLightspeedSandbox({ seed: 21, customers: 150, salesPerDay: 15, historyDays: 40, now: NOW, currency: 'USD', ...options });
  cleanups.push(sandbox.close);
  return sandbox;
}

async function square(options: SquareSandboxOptions = {}): Promise<SquareSandbox> {
  const sandbox = await startSquareSandbox({ seed: 22, customers: 60, historyDays: 40, bookingsPerDay: 4, now: NOW, currency: 'USD', searchLagMs: 0, paymentLagMs: 0, ...options });
  cleanups.push(sandbox.close);
  return sandbox;
}

const lightspeedEnv = (sandbox: LightspeedSandbox) => ({ LIGHTSPEED_BASE_URL: sandbox.url, LIGHTSPEED_TOKEN: sandbox.token });
const squareEnv = (sandbox: SquareSandbox) => ({ SQUARE_BASE_URL: sandbox.url, SQUARE_ACCESS_TOKEN: sandbox.token });

/** The rejects files `ca` wrote for a source. */
async function rejectsFiles(dir: string, source: string): Promise<string[]> {
  const names = await readdir(join(dir, 'data', 'rejects')).catch(() => [] as string[]);
  return names.filter((name) => name.startsWith(`${source}-`) && name.endsWith('.csv')).map((name) => join(dir, 'data', 'rejects', name));
}

async function state(dir: string, source: string): Promise<Record<string, any> | undefined> {
  return new Store(join(dir, 'data', 'cache')).readState(source as 'lightspeed');
}

describe('Lightspeed: a response in another shape', () => {
  it('a store answering in the date-based 2026.01 sale shape stops the fetch (exit 4), stores nothing of it and lists every sale as a reject', async () => {
    const sandbox = await lightspeed({ salesShape: '2026.01' });
    const dir = await folder();
    const run = await runCa(['fetch', 'lightspeed'], { cwd: dir, env: lightspeedEnv(sandbox) });
    expect(run.code, run.stderr).toBe(4);
    expect(run.stderr).toMatch(/lightspeed sales: 200 of 200 record\(s\) on a page do not match the Lightspeed API 2\.0 shape \(field (status|sale_date): missing\)/);
    expect(run.stderr).toMatch(/the vendor may have changed the API shape/);
    const [file] = await rejectsFiles(dir, 'lightspeed');
    const rejects = await readCsv(file);
    expect(rejects).toHaveLength(200);
    expect(Object.keys(rejects[0])).toEqual(['stream', 'id', 'field', 'reason']);
    expect(rejects[0]).toMatchObject({ stream: 'sales', field: 'status;sale_date', reason: 'missing; missing' });
    // The streams before sales are stored; sales' bookmark never moved and no sale is in the cache.
    const saved = await state(dir, 'lightspeed');
    expect(saved?.streams.customers.cursor).toBeGreaterThan(0);
    expect(saved?.streams.sales?.cursor ?? 0).toBe(0);
    expect(await new Store(join(dir, 'data', 'cache')).readAll('lightspeed', 'orders')).toEqual([]);
  });

  it('a few odd sales (under 5 % of their page) go to the rejects file and the run goes on', async () => {
    const sandbox = await lightspeed();
    const outlet = sandbox.control.records('outlets')[0];
    const odd = { outlet_id: outlet.id, source: 'USER', sale_date: '2025-06-29T10:00:00+00:00', line_items: [], payments: [], attributes: [] };
    // A status 2.0 does not have, and a renamed amount: neither may become a purchase or a zero.
    sandbox.control.upsert('sales', { ...odd, id: 'odd-status', status: 'OPEN', total_price: 10, total_tax: 1.5 });
    sandbox.control.upsert('sales', { ...odd, id: 'odd-amount', status: 'CLOSED', total: 11.5, total_tax: 1.5 });
    sandbox.control.advance(7); // ordinary sales after them, so their page is a full one
    const dir = await folder();
    const run = await runCa(['fetch', 'lightspeed'], { cwd: dir, env: lightspeedEnv(sandbox) });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/lightspeed: 2 record\(s\) did not match the Lightspeed API 2\.0 shape and were set aside -> .*lightspeed-\d{8}T\d{6}Z\.csv/);
    expect(run.stderr).toMatch(/; 2 record\(s\) rejected -> /);
    const [file] = await rejectsFiles(dir, 'lightspeed');
    expect(await readCsv(file)).toEqual([
      { stream: 'sales', id: 'odd-status', field: 'status', reason: expect.stringContaining('(got "OPEN")') },
      { stream: 'sales', id: 'odd-amount', field: 'total_price', reason: 'missing' },
    ]);
    const orders = await new Store(join(dir, 'data', 'cache')).readAll('lightspeed', 'orders');
    expect(orders.some((o) => o.id.startsWith('odd-'))).toBe(false);
    expect(orders.length).toBe(sandbox.control.records('sales').filter((s) => !s.deleted_at).length - 2);
  });

  it('`ca update` sums up the records its fetch set aside in one line', async () => {
    const sandbox = await lightspeed();
    const outlet = sandbox.control.records('outlets')[0];
    const odd = { outlet_id: outlet.id, source: 'USER', sale_date: '2025-06-29T10:00:00+00:00', line_items: [], payments: [], attributes: [] };
    sandbox.control.upsert('sales', { ...odd, id: 'odd-status', status: 'OPEN', total_price: 10, total_tax: 1.5 });
    sandbox.control.upsert('sales', { ...odd, id: 'odd-amount', status: 'CLOSED', total: 11.5, total_tax: 1.5 });
    sandbox.control.advance(7);
    const dir = await folder();
    const run = await runCa(['update', '--as-of', '2025-07-07T12:00:00Z'], { cwd: dir, env: lightspeedEnv(sandbox) });
    expect(run.code, run.stderr).toBe(0);
    const [file] = await rejectsFiles(dir, 'lightspeed');
    expect(run.stderr).toContain(`\nwarning: rejected this run: lightspeed 2 records (${file}); each line of a rejects file says why\n`);
    const runs = (await readFile(join(dir, 'data', 'runs.ndjson'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(runs.at(-1).counts.rejected).toEqual([{ source: 'lightspeed', rows: 2, file }]);
  });
});

describe('Lightspeed: scopes', () => {
  const every = ['retailer:read', 'outlets:read', 'registers:read', 'users:read', 'customers:read', 'sales:read'];

  it('a token that may not read users: a warning naming users:read, the run goes on and staff keep their ids', async () => {
    const sandbox = await lightspeed({ scopes: every.filter((s) => s !== 'users:read') });
    const dir = await folder();
    const run = await runCa(['fetch', 'lightspeed'], { cwd: dir, env: lightspeedEnv(sandbox) });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/lightspeed users: the token may not read users \(HTTP 403; scope users:read\): staff keep their ids as names/);
    const orders = await new Store(join(dir, 'data', 'cache')).readAll('lightspeed', 'orders');
    expect(orders.length).toBeGreaterThan(0);
  });

  it('a token that may not read sales: exit 3 naming sales:read', async () => {
    const sandbox = await lightspeed({ scopes: every.filter((s) => s !== 'sales:read') });
    const dir = await folder();
    const run = await runCa(['fetch', 'lightspeed'], { cwd: dir, env: lightspeedEnv(sandbox) });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/lightspeed sales: the token may not read sales \(HTTP 403\): it needs the scope sales:read/);
  });
});

describe('the cache knows which store it holds', () => {
  it('a token for another Lightspeed store stops with exit 2 and says how to start over; --full replaces the cache', async () => {
    const first = await lightspeed();
    const other = await lightspeed({ seed: 99 });
    const dir = await folder();
    expect((await runCa(['fetch', 'lightspeed'], { cwd: dir, env: lightspeedEnv(first) })).code).toBe(0);
    const held = JSON.parse(await readFile(join(dir, 'data', 'cache', 'lightspeed', 'store.json'), 'utf8'));
    expect(held).toEqual({ id: first.control.retailer().id, label: 'sandbox' });

    const run = await runCa(['fetch', 'lightspeed'], { cwd: dir, env: lightspeedEnv(other) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`holds "sandbox" (retailer ${first.control.retailer().id}), but the token reads "sandbox" (retailer ${other.control.retailer().id})`);
    expect(run.stderr).toContain('ca fetch lightspeed --full --data-dir <new folder>');
    const full = await runCa(['fetch', 'lightspeed', '--full'], { cwd: dir, env: lightspeedEnv(other) });
    expect(full.code, full.stderr).toBe(0);
  });

  it('a token for another Square merchant stops with exit 2', async () => {
    const first = await square();
    const other = await square({ merchantId: 'MLOTHERSALON1' });
    const dir = await folder();
    expect((await runCa(['fetch', 'square'], { cwd: dir, env: squareEnv(first) })).code).toBe(0);
    const run = await runCa(['fetch', 'square'], { cwd: dir, env: squareEnv(other) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('(merchant MLSANDBOX00001), but the token reads "Sandbox Salon" (merchant MLOTHERSALON1)');
  });
});

describe('Square: scopes', () => {
  const oauth = ['APPOINTMENTS_READ', 'CUSTOMERS_READ', 'PAYMENTS_READ', 'MERCHANT_PROFILE_READ', 'EMPLOYEES_READ', 'ITEMS_READ'];

  it('a personal access token (every scope) passes', async () => {
    const sandbox = await square();
    const dir = await folder();
    const run = await runCa(['fetch', 'square'], { cwd: dir, env: squareEnv(sandbox) });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/APPOINTMENTS_ALL_READ/);
  });

  it('a token without APPOINTMENTS_ALL_READ would see only its own bookings: exit 3 unless the config accepts that', async () => {
    const sandbox = await square({ scopes: oauth });
    const dir = await folder();
    const run = await runCa(['fetch', 'square'], { cwd: dir, env: squareEnv(sandbox) });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/square: the token lacks APPOINTMENTS_ALL_READ, so Square would list only the bookings this app created/);
    expect(run.stderr).toMatch(/acceptAppOnlyBookings/);
    expect(await new Store(join(dir, 'data', 'cache')).exists('square')).toBe(false);

    await writeTestConfig(dir, { square: { acceptAppOnlyBookings: true } });
    const accepted = await runCa(['fetch', 'square'], { cwd: dir, env: squareEnv(sandbox) });
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stderr).toMatch(/square bookings: the token lacks APPOINTMENTS_ALL_READ: only the bookings this app created are fetched/);
    const bookings = await new Store(join(dir, 'data', 'cache')).readAll('square', 'bookings');
    expect(bookings.length).toBeGreaterThan(0);
    expect(bookings.every((b) => createdByThisApp(b.id))).toBe(true);
  });

  it('without EMPLOYEES_READ and ITEMS_READ: warnings naming them, and the run goes on with ids', async () => {
    const sandbox = await square({ scopes: [...oauth.filter((s) => s !== 'EMPLOYEES_READ' && s !== 'ITEMS_READ'), 'APPOINTMENTS_ALL_READ'] });
    const dir = await folder();
    const run = await runCa(['fetch', 'square'], { cwd: dir, env: squareEnv(sandbox) });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/square team: the token lacks EMPLOYEES_READ; staff keep their ids as names/);
    expect(run.stderr).toMatch(/square services: the token lacks ITEMS_READ; services keep their ids as names/);
    const store = new Store(join(dir, 'data', 'cache'));
    expect(await store.readDimensions('square', 'staff')).toEqual([]);
    expect((await store.readAll('square', 'bookings')).length).toBeGreaterThan(0);
  });

  it('without PAYMENTS_READ: exit 3 naming the scope', async () => {
    const sandbox = await square({ scopes: [...oauth.filter((s) => s !== 'PAYMENTS_READ'), 'APPOINTMENTS_ALL_READ'] });
    const dir = await folder();
    const run = await runCa(['fetch', 'square'], { cwd: dir, env: squareEnv(sandbox) });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/square: \/v2\/payments needs the scope PAYMENTS_READ, which the token lacks \(HTTP 403 INSUFFICIENT_SCOPES\)/);
  });
});

describe('Square: merged customers', () => {
  it("a payment's customer merged away before the fetch: its history stays with the survivor in the master", async () => {
    const sandbox = await square({ customers: 300, historyDays: 90, bookingsPerDay: 6 });
    const world = sandbox.control.world;
    const now = sandbox.control.now();
    const { asOf } = await import('../../src/sandbox/square/timeline.js');
    // Completed payments per customer id as Square shows them now (old ids stay on old payments).
    const paid = new Map<string, number>();
    for (const timeline of world.payments) {
      const payment = asOf(timeline, now);
      if (payment?.status === 'COMPLETED' && payment.customerId) paid.set(payment.customerId, (paid.get(payment.customerId) ?? 0) + 1);
    }
    const merged = world.customers.filter((c) => asOf(c, now)?.mergedInto && paid.has(c.id));
    expect(merged.length).toBeGreaterThan(0);
    const dir = await folder();
    const run = await runCa(['update', '--as-of', new Date(now).toISOString()], { cwd: dir, env: squareEnv(sandbox) });
    expect(run.code, run.stderr).toBe(0);
    const master = await readCsv(join(dir, 'data', 'customer_analytics_master.csv'));
    for (const original of merged) {
      const survivor = world.resolveCustomer(original.id, now)!.id;
      const row = master.find((r) => r.square_customer_ids.split(';').includes(survivor));
      expect(row, `survivor ${survivor} of ${original.id}`).toBeDefined();
      expect(Number(row!.appointment_orders)).toBeGreaterThanOrEqual(paid.get(original.id)! + (paid.get(survivor) ?? 0));
      expect(master.filter((r) => r.square_customer_ids.split(';').includes(original.id) && r !== row)).toEqual([]);
    }
  });
});

describe('Square: a response in another shape', () => {
  it('payments without amount_money stop the fetch (exit 4) before anything of the page is stored; never a zero', async () => {
    const sandbox = await square();
    const location = sandbox.control.world.locations.find((l) => l.status === 'ACTIVE')!;
    const drifted = [1, 2, 3].map((n) => ({
      id: `DRIFT${n}`,
      created_at: '2025-06-20T10:00:00Z',
      updated_at: '2025-06-20T10:00:00Z',
      amount: { amount: 5000, currency: 'USD' },
      total_money: { amount: 5000, currency: 'USD' },
      status: 'COMPLETED',
      location_id: location.id,
    }));
    sandbox.control.addFault({ kind: 'status', status: 200, body: { payments: drifted }, path: '/v2/payments', count: 1 });
    const dir = await folder();
    // One location at a time, so the drifted page is the first the fetch reads and nothing else is
    // stored before it (with locations listed at once, other locations' good pages are kept).
    await writeTestConfig(dir, { square: { locationConcurrency: 1 } });
    const run = await runCa(['fetch', 'square'], { cwd: dir, env: squareEnv(sandbox) });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/square payments: 3 of 3 record\(s\) on a page do not match the Square-Version 2025-08-20 shape \(field amount_money: missing\)/);
    const [file] = await rejectsFiles(dir, 'square');
    expect((await readCsv(file)).map((r) => [r.stream, r.id, r.field])).toEqual([
      ['payments', 'DRIFT1', 'amount_money'],
      ['payments', 'DRIFT2', 'amount_money'],
      ['payments', 'DRIFT3', 'amount_money'],
    ]);
    const orders = await new Store(join(dir, 'data', 'cache')).readAll('square', 'orders');
    expect(orders).toEqual([]);
    expect((await state(dir, 'square'))?.payments ?? {}).toEqual({});
  });
});

describe('ca status', () => {
  it('prints the API versions the fetches read', async () => {
    const dir = await folder();
    await writeTestConfig(dir, { square: { squareVersion: '2025-10-16' } });
    const run = await runCa(['status'], { cwd: dir });
    expect(run.stdout).toContain('api versions: Lightspeed X-Series 2.0, Square-Version 2025-10-16');
  });
});
