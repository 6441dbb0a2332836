/**
 * A chain that sells in two currencies and two countries, through the real binary: `ca compute`,
 * `ca merge`, `ca check`, `ca stats`, `ca report html` and `ca customer` never add two currencies
 * together and say where currencies meet; phones are read in the country of the location that recorded
 * them, with no defaultRegion configured. The cache is written with the store the fetchers use.
 *
 *   Ann  (Lightspeed L1, outlet in NZ): NZD 100.00 on May 1, NZD 50.00 on June 1
 *   Bea  (Square S1, location in AU, phone "0412 345 678"): AUD 25.00 on June 8, paid in two
 *        payments of one order (10.00 at 09:00 naming no customer, 15.00 at 09:05), AUD 80.00 on June 10
 *   Cy   (Lightspeed L2 + Square S2, one e-mail): NZD 40.00 on June 5, AUD 30.00 on June 6
 *   Dot  (Lightspeed L3): NZD 10.00 on June 20
 */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerRecord, OrderRecord } from '../../src/core/model.js';
import { Store } from '../../src/io/store.js';
import { readCsv, removeDir, runCa, tempDir } from '../helpers/cli.js';

const AS_OF = '--as-of=2025-06-30T12:00:00Z';
const t = (iso: string) => Date.parse(iso);
let dir: string;
let master: Record<string, string>[];
let computeStderr: string;

const customer = (source: 'lightspeed' | 'square', id: string, firstName: string, extra: Partial<CustomerRecord> = {}): CustomerRecord => ({
  source,
  id,
  version: 1,
  createdAt: t('2025-01-01T00:00:00Z'),
  firstName,
  ...extra,
});
const sale = (source: 'lightspeed' | 'square', id: string, customerId: string, iso: string, amountMinor: number): OrderRecord => ({
  source,
  id,
  version: 1,
  kind: 'sale',
  status: 'completed',
  channel: source === 'lightspeed' ? 'in_store' : 'appointment',
  customerId,
  orderedAt: t(iso),
  amountMinor,
  currency: source === 'lightspeed' ? 'NZD' : 'AUD',
  locationId: source === 'lightspeed' ? 'O-NZ' : 'SQ-AU',
});

beforeAll(async () => {
  dir = await tempDir();
  const store = new Store(join(dir, 'data', 'cache'));
  await store.append('lightspeed', 'customers', [
    customer('lightspeed', 'L1', 'Ann'),
    customer('lightspeed', 'L2', 'Cy', { email: 'cy@example.com' }),
    customer('lightspeed', 'L3', 'Dot'),
  ]);
  await store.append('square', 'customers', [customer('square', 'S1', 'Bea', { phone: '0412 345 678' }), customer('square', 'S2', 'Cy', { email: 'cy@example.com' })]);
  await store.append('lightspeed', 'orders', [
    sale('lightspeed', 'n1', 'L1', '2025-05-01T10:00:00Z', 10000),
    sale('lightspeed', 'n2', 'L1', '2025-06-01T10:00:00Z', 5000),
    sale('lightspeed', 'n3', 'L2', '2025-06-05T10:00:00Z', 4000),
    sale('lightspeed', 'n4', 'L3', '2025-06-20T10:00:00Z', 1000),
  ]);
  await store.append('square', 'orders', [
    sale('square', 'a1', 'S1', '2025-06-10T10:00:00Z', 8000),
    sale('square', 'a2', 'S2', '2025-06-06T10:00:00Z', 3000),
    { ...sale('square', 'a3', 'S1', '2025-06-08T09:00:00Z', 1000), customerId: undefined, purchaseId: 'ORD-9' },
    { ...sale('square', 'a4', 'S1', '2025-06-08T09:05:00Z', 1500), purchaseId: 'ORD-9' },
  ]);
  await store.putDimensions('lightspeed', 'locations', [{ id: 'O-NZ', name: 'Ponsonby', timeZone: 'Pacific/Auckland', country: 'NZ' }]);
  await store.putDimensions('square', 'locations', [{ id: 'SQ-AU', name: 'Bondi', timeZone: 'Australia/Sydney', country: 'AU' }]);
  // The cache above was written by this test (its umask), not by ca: make it owner-only as ca would, so
  // `ca check` has no privacy warning to give here.
  execFileSync('chmod', ['-R', 'go=', dir]);

  const compute = await runCa(['compute', AS_OF], { cwd: dir });
  expect(compute.code, compute.stderr).toBe(0);
  computeStderr = compute.stderr;
  const merge = await runCa(['merge', AS_OF], { cwd: dir });
  expect(merge.code, merge.stderr).toBe(0);
  master = await readCsv(join(dir, 'data', 'customer_analytics_master.csv'));
});

afterAll(async () => {
  await removeDir(dir);
});

const byName = (name: string) => master.find((r) => r.first_name === name)!;

describe('ca compute and ca merge', () => {
  it('write each customer\'s money in their currency, and nothing for a customer who bought in two', () => {
    expect(byName('Ann')).toMatchObject({ currency: 'NZD', gross_revenue: '150.00', net_revenue: '150.00', value_tier: 'VIP' });
    expect(byName('Bea')).toMatchObject({ currency: 'AUD', orders_count: '2', first_order_at: '2025-06-08T09:00:00', net_revenue: '105.00', value_tier: 'VIP' });
    expect(byName('Cy')).toMatchObject({ currency: 'AUD;NZD', orders_count: '2', gross_revenue: '', net_revenue: '', avg_order_value: '', value_tier: '', rfm_score: '' });
    expect(computeStderr).toMatch(/warning: orders in 2 currencies \(AUD 3 purchases, NZD 4 purchases\): every money figure is per currency/);
  });

  it('say in the meta file which currencies there are and how they were kept apart', async () => {
    const meta = JSON.parse(await readFile(join(dir, 'data', 'customer_analytics_master.meta.json'), 'utf8'));
    expect(meta.currencies).toEqual({
      handling: 'per_currency',
      codes: { AUD: { purchases: 3, customers: 1 }, NZD: { purchases: 4, customers: 2 } },
      mixed_currency_customers: 1,
      mixed_currency_daily_rows: 0,
    });
    expect(meta.warnings.some((w: string) => w.startsWith('orders in 2 currencies'))).toBe(true);
  });

  it('label the daily and cohort reports with their currency, and write no amount whose currency is unclear', async () => {
    const daily = await readCsv(join(dir, 'data', 'reports', 'daily_by_location.csv'));
    // 10:00Z on June 10 is 20:00 in Sydney.
    expect(daily.find((r) => r.date === '2025-06-10')).toMatchObject({ location: 'Bondi', orders: '1', revenue: '80.00', currency: 'AUD' });
    const cohorts = await readCsv(join(dir, 'data', 'reports', 'cohorts.csv'));
    // Cy's first purchase was in NZD, but which currency would a reader take "40.00" in? Left empty.
    const buyers = await readCsv(join(dir, 'data', 'first_time_buyers.csv'));
    expect(buyers.map((r) => [r.first_name, r.first_order_amount])).toEqual([
      ['Cy', ''],
      ['Bea', '25.00'],
      ['Dot', '10.00'],
    ]);
    expect(cohorts.filter((r) => r.cohort === '2025-06').map((r) => [r.currency, r.cohort_customers, r.revenue])).toEqual([
      ['AUD', '1', '105.00'],
      ['AUD;NZD', '1', ''],
      ['NZD', '1', '10.00'],
    ]);
  });

  it('read a phone without a country code in the country of the location that recorded it', () => {
    // Bea's 0412 345 678 at an Australian Square location: +61412345678 (no defaultRegion configured),
    // written for spreadsheets in international format (three-digit groups as one piece).
    expect(byName('Bea').phone).toBe('+61 412345678');
  });
});

describe('ca check', () => {
  it('passes (first_order_at of a purchase paid in two payments included), checks that money columns are in one named currency, and warns about the mix', async () => {
    const check = await runCa(['check', '--json'], { cwd: dir });
    expect(check.code, check.stdout + check.stderr).toBe(0);
    const report = JSON.parse(check.stdout);
    expect(report.checks.find((c: { name: string }) => c.name === 'money columns in one named currency')).toMatchObject({ ok: true, detail: 'buyers by currency: NZD 2, AUD 1, AUD;NZD 1' });
    expect(report.warnings, JSON.stringify(report.warnings)).toHaveLength(1);
    expect(check.stderr).toMatch(/warning: the master has buyers in 3 currency groups \(NZD, AUD, AUD;NZD\)/);
  });
});

describe('ca stats', () => {
  it('gives money figures in the currency of most buyers, the others apart, and warns', async () => {
    const stats = await runCa(['stats', '--json'], { cwd: dir });
    expect(stats.code, stats.stderr).toBe(0);
    const s = JSON.parse(stats.stdout);
    // NZD has two buyers (Ann 150.00, Dot 10.00): revenue 160.00, average 80.00. Bea's AUD 105.00 apart;
    // Cy in neither.
    expect(s).toMatchObject({ buyers: 4, currency: 'NZD', customer_revenue: 160, average_ltv: 80, mixed_currency_buyers: 1 });
    expect(s.by_currency).toEqual({ NZD: { buyers: 2, customer_revenue: 160, average_ltv: 80 }, AUD: { buyers: 1, customer_revenue: 105, average_ltv: 105 } });
    expect(s.by_source.square.netRevenue).toBe(0); // Bea's AUD and Cy's mix are not NZD
    expect(stats.stderr).toMatch(/warning: the master has buyers in 2 currencies \(NZD 2, AUD 1\) and 1 who bought in more than one/);
    const text = await runCa(['stats'], { cwd: dir });
    expect(text.stdout).toContain('also in AUD: customer revenue 105.00 AUD, average LTV 105.00 AUD (1 buyers; not in the figures above)');
  });
});

describe('ca report html', () => {
  it('shows money in one currency and says what it leaves out', async () => {
    const report = await runCa(['report', 'html', AS_OF], { cwd: dir });
    expect(report.code, report.stderr).toBe(0);
    const html = await readFile(join(dir, 'data', 'reports', 'report.html'), 'utf8');
    expect(html).toContain('amounts in <b>NZD</b>');
    expect(html).toContain('money figures cover buyers in NZD only; 1 buyers in AUD, 1 in several currencies are left out of them');
    // The NZD bars (Ann 150.00, Cy 40.00, Dot 10.00) come to the tile (Ann and Dot, 160.00) with Cy's
    // NZD named: Cy bought in two currencies and is in no money figure.
    const parts = Object.fromEntries([...html.matchAll(/<tr data-part="([a-z-]+)"[^>]*>.*?data-amount="([^"]+)"/g)].map((m) => [m[1], Number(m[2])]));
    expect(parts).toEqual({ 'net-revenue': 160, refunds: 0, 'walk-ins': 0, 'several-currencies': 40, bars: 200 });
  });
});

describe('ca customer', () => {
  it('finds a customer by a phone written without its country code, with no defaultRegion configured', async () => {
    const found = await runCa(['customer', '0412 345 678', '--json'], { cwd: dir });
    expect(found.code, found.stderr).toBe(0);
    expect(JSON.parse(found.stdout).map((v: { row: Record<string, string> }) => v.row.first_name)).toEqual(['Bea']);
  });

  it('shows each order of a customer who bought in two currencies in its own currency', async () => {
    const found = await runCa(['customer', 'cy@example.com', '--json'], { cwd: dir });
    expect(found.code, found.stderr).toBe(0);
    const [view] = JSON.parse(found.stdout) as { history: { amount: number; currency: string }[] }[];
    expect(view.history.map((e) => [e.amount, e.currency])).toEqual([
      [40, 'NZD'],
      [30, 'AUD'],
    ]);
  });
});

describe('ca check on a master edited by hand (runs last: it changes the master)', () => {
  it('fails a row with an amount while its currency names two', async () => {
    const path = join(dir, 'data', 'customer_analytics_master.csv');
    const rows = await readCsv(path);
    const header = Object.keys(rows[0]);
    const cy = rows.findIndex((r) => r.first_name === 'Cy');
    rows[cy].gross_revenue = '70.00'; // NZD 40 + AUD 30: the sum this tool never writes
    await writeFile(path, '\uFEFF' + stringify(rows, { header: true, columns: header, record_delimiter: '\r\n' }));
    const check = await runCa(['check', '--json'], { cwd: dir });
    expect(check.code).toBe(9);
    const failed = JSON.parse(check.stdout).checks.filter((c: { ok: boolean }) => !c.ok);
    expect(failed).toEqual([
      { name: 'money columns in one named currency', ok: false, detail: `line ${cy + 2} (${rows[cy].customer_id}): gross_revenue 70.00 but currency is "AUD;NZD" (several)` },
    ]);
  });
});
