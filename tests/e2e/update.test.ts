/**
 * `ca update` end to end: the real binary against both sandboxes over real HTTP, in a throwaway folder.
 */
import { copyFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLightspeedSandbox, type LightspeedSandbox } from '../../src/sandbox/lightspeed/index.js';
import { startSquareSandbox, type SquareSandbox } from '../../src/sandbox/square/index.js';
import { startGate, whenExists } from '../faults/helpers.js';
import { readCsv, removeDir, REPO, runCa, tempDir } from '../helpers/cli.js';
import { writeTestConfig } from '../helpers/config.js';

const NOW = Date.parse('2025-06-30T12:00:00Z');
let lightspeed: LightspeedSandbox;
let square: SquareSandbox;
let dir: string;
const env = () => ({
  LIGHTSPEED_BASE_URL: lightspeed.url,
  LIGHTSPEED_TOKEN: lightspeed.token,
  SQUARE_BASE_URL: square.url,
  SQUARE_ACCESS_TOKEN: square.token,
});
/** Every run computes as of the sandboxes' clock: metrics and model fits as of a real "now", long after their history, are neither tested nor quick. */
const AS_OF = '--as-of=2025-07-05T12:00:00Z';
const masterPath = () => join(dir, 'data', 'customer_analytics_master.csv');
const sum = (rows: Record<string, string>[], column: string) => rows.reduce((n, r) => n + Number(r[column] || 0), 0);

beforeAll(async () => {
  lightspeed = await startLightspeedSandbox({ seed: 3, customers: 300, historyDays: 90, salesPerDay: 20, now: NOW, currency: 'USD' });
  square = await startSquareSandbox({ seed: 4, customers: 120, historyDays: 90, bookingsPerDay: 4, now: NOW, currency: 'USD', searchLagMs: 0, paymentLagMs: 0 });
  dir = await tempDir();
  await writeTestConfig(dir);
});

afterAll(async () => {
  await Promise.all([lightspeed?.close(), square?.close()]);
  await removeDir(dir);
});

describe('ca update writes the dashboard and says what it rejected', () => {
  // Runs first, while the sandboxes still stand at NOW; the e-commerce export has 2 bad rows of 9.
  let shop: string;
  let run: Awaited<ReturnType<typeof runCa>>;
  let html: string;
  beforeAll(async () => {
    shop = await tempDir();
    const fixtures = join(REPO, 'tests', 'fixtures', 'e2e');
    await copyFile(join(fixtures, 'webshop.csv'), join(shop, 'webshop.csv'));
    await copyFile(join(fixtures, 'webshop.mapping.json'), join(shop, 'webshop.mapping.json'));
    await writeTestConfig(shop, { defaultRegion: 'NL', ecom: { file: 'webshop.csv', mapping: 'webshop.mapping.json' } });
    run = await runCa(['update', '--as-of', '2025-06-30T12:00:00Z'], { cwd: shop, env: env() });
    expect(run.code, run.stderr).toBe(0);
    html = await readFile(join(shop, 'data', 'reports', 'report.html'), 'utf8');
  });
  afterAll(async () => {
    await removeDir(shop);
  });

  it('prints one line naming the rejected rows and their file', async () => {
    const [rejects] = (await readdir(join(shop, 'data', 'rejects'))).filter((f) => f.startsWith('ecom-'));
    const line = `warning: rejected this run: ecom 2 of 9 rows (${join(shop, 'data', 'rejects', rejects)}); each line of a rejects file says why\n`;
    expect(run.stderr.split(line).length - 1).toBe(1);
    expect((await readCsv(join(shop, 'data', 'rejects', rejects))).length).toBe(2);
  });

  it('writes data/reports/report.html as of the data, the current month marked partial, tiers in their order', () => {
    expect(run.stderr).toContain(`report ${join(shop, 'data', 'reports', 'report.html')}`);
    expect(html).toContain('As of <b>30 Jun 2025, 12:00 UTC</b>');
    expect(html).toMatch(/<g class="month partial-month" data-month="2025-06">/);
    expect(html.match(/<g class="month partial-month"/g)).toHaveLength(1);
    expect(html).toContain('Jun 2025 is the month in progress: the data run to 30 Jun 2025, 12:00 UTC');
    const tiers = /<svg[^>]*id="chart-tiers"[\s\S]*?<\/svg>/.exec(html)![0];
    expect([...tiers.matchAll(/class="bar-label"[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual(['VIP', 'High', 'Medium', 'Low']);
  });

  it('keeps `ca report html` as of the data, warning when --as-of asks for another time', async () => {
    const again = await runCa(['report', 'html', '--as-of', '2025-07-15T00:00:00Z'], { cwd: shop });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(
      'warning: the report shows the data as of the last compute (2025-06-30T12:00:00.000Z), not --as-of 2025-07-15T00:00:00.000Z',
    );
    // The same page as the update wrote, but for the time it was generated.
    const withoutClock = (page: string) => page.replace(/Generated [^<]*/, 'Generated');
    expect(withoutClock(await readFile(join(shop, 'data', 'reports', 'report.html'), 'utf8'))).toBe(withoutClock(html));
  });

  it('names every part between the channel bars and the net revenue tile, walk-ins included', async () => {
    const parts = Object.fromEntries([...html.matchAll(/<tr data-part="([a-z-]+)"[^>]*>.*?data-amount="([^"]+)"/g)].map((m) => [m[1], Number(m[2])]));
    expect(Object.keys(parts).sort()).toEqual(['bars', 'net-revenue', 'refunds', 'walk-ins']);
    // The sandbox sells to walk-ins and takes returns: both are real amounts here, not zeros.
    expect(parts['walk-ins']).toBeGreaterThan(0);
    expect(parts.refunds).toBeGreaterThan(0);
    expect(parts['net-revenue'] + parts.refunds + parts['walk-ins']).toBeCloseTo(parts.bars, 2);
    // The tile is `ca stats`' customer revenue; the bars add up to the channel chart's amounts.
    const stats = JSON.parse((await runCa(['stats', '--json'], { cwd: shop })).stdout);
    expect(parts['net-revenue']).toBe(stats.customer_revenue);
    // `ca stats` lists the tiers in the same order (prospects, who have none, last).
    expect(Object.keys(stats.value_tier)).toEqual(['VIP', 'HIGH', 'MEDIUM', 'LOW', '(empty)']);
    expect((await runCa(['stats'], { cwd: shop })).stdout).toMatch(/^value tier: VIP \d+, HIGH \d+, MEDIUM \d+, LOW \d+, \(empty\) \d+$/m);
    const bars = /<svg[^>]*id="chart-revenue-by-channel"[\s\S]*?<\/svg>/.exec(html)![0];
    const amounts = [...bars.matchAll(/class="bar-value"[^>]*>\$([\d,.]+)</g)].map((m) => Number(m[1].replace(/,/g, '')));
    expect(amounts.length).toBeGreaterThan(1);
    expect(amounts.reduce((a, b) => a + b, 0)).toBeCloseTo(parts.bars, 2);
  });

  it('warns when the master and the last compute are of different times (runs last: it computes again)', async () => {
    const compute = await runCa(['compute', '--as-of', '2025-06-29T00:00:00Z'], { cwd: shop });
    expect(compute.code, compute.stderr).toBe(0);
    const report = await runCa(['report', 'html'], { cwd: shop });
    expect(report.code, report.stderr).toBe(0);
    expect(report.stderr).toContain(
      'warning: the master is as of 2025-06-30T12:00:00Z but the last compute as of 2025-06-29T00:00:00.000Z: the tiles and the charts disagree until `ca merge` runs',
    );
  });
});

describe('ca update against the sandboxes', () => {
  it('does a full first run: every live Lightspeed customer and every sale reaches the master', async () => {
    const run = await runCa(['update', '--as-of', '2025-06-30T12:00:00Z'], { cwd: dir, env: env() });
    expect(run.code, run.stderr).toBe(0);
    const master = await readCsv(masterPath());
    const listed = new Set(master.flatMap((r) => r.lightspeed_customer_ids.split(';')).filter(Boolean));
    const truth = lightspeed.control.records('customers').filter((c) => !c.deleted_at && c.customer_code !== 'WALKIN');
    for (const customer of truth) expect(listed.has(customer.id as string), `customer ${customer.id}`).toBe(true);
    // Every closed Lightspeed sale with a customer is one in-store or online order in the master.
    const closed = lightspeed.control
      .records('sales')
      .filter((s) => !s.deleted_at && /CLOSED$/.test(String(s.status)) && s.customer_id && !s.return_for && Number(s.total_price_incl ?? s.total_price) >= 0);
    // Sales of customers deleted later still count: their history stays in the master.
    expect(sum(master, 'in_store_orders') + sum(master, 'online_orders')).toBe(closed.length);
    expect(sum(master, 'appointment_orders')).toBeGreaterThan(0);
    const timestamp = (await readFile(join(dir, '.last_update_timestamp'), 'utf8')).trim();
    expect(Date.parse(timestamp)).toBeLessThanOrEqual(Date.now());
    const runs = (await readFile(join(dir, 'data', 'runs.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(runs.at(-1).outcome).toBe('success');
  });

  it('picks up new sales, edits and appointments after the sandboxes move on', async () => {
    const before = await readCsv(masterPath());
    lightspeed.control.advance(5);
    square.control.advance(5);
    const run = await runCa(['update', '--days=2', '--as-of', '2025-07-05T12:00:00Z'], { cwd: dir, env: env() });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('rejected this run');
    const after = await readCsv(masterPath());
    expect(sum(after, 'orders_count')).toBeGreaterThan(sum(before, 'orders_count'));
    const check = await runCa(['check'], { cwd: dir });
    expect(check.code, check.stdout).toBe(0);
  });

  it('stops on a refused token with a clear message, changing nothing', async () => {
    const master = await readFile(masterPath());
    const timestamp = await readFile(join(dir, '.last_update_timestamp'), 'utf8');
    const secret = 'revoked-token-9f8e7d6c5b4a';
    const run = await runCa(['update', '--verbose'], { cwd: dir, env: { ...env(), LIGHTSPEED_TOKEN: secret } });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/refused the credentials/);
    expect(run.stderr + run.stdout).not.toContain(secret);
    expect(await readFile(masterPath())).toEqual(master);
    expect(await readFile(join(dir, '.last_update_timestamp'), 'utf8')).toBe(timestamp);
    const runs = (await readFile(join(dir, 'data', 'runs.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(runs.at(-1).outcome).toBe('failed');
    expect(JSON.stringify(runs)).not.toContain(secret);
  });

  it('lets only one update run at a time; the other says why', async () => {
    // The first run's Lightspeed replies are held until the second has been refused: it holds the lock
    // all that time, however slowly this machine starts the second.
    const gate = await startGate(lightspeed.url);
    try {
      const first = runCa(['update', AS_OF], { cwd: dir, env: { ...env(), LIGHTSPEED_BASE_URL: gate.url } });
      await whenExists(join(dir, 'data', '.ca.lock'), first);
      const second = await runCa(['update', AS_OF], { cwd: dir, env: env() });
      gate.open();
      expect(second.code).toBe(7);
      expect(second.stderr).toMatch(/another `ca update` is running on this workspace/);
      expect((await first).code).toBe(0);
    } finally {
      gate.open();
      await gate.close();
    }
  });

  it('recovers the lock of a killed run and finishes', async () => {
    // Killed right after it stored its first page, holding the lock.
    const lock = join(dir, 'data', '.ca.lock');
    const killed = await runCa(['update', '--full', AS_OF], { cwd: dir, env: { ...env(), CA_TEST_CRASH_AT: 'append:1' } });
    expect(killed.signal).toBe('SIGKILL');
    await expect(stat(lock)).resolves.toBeTruthy();
    const rerun = await runCa(['update', AS_OF], { cwd: dir, env: env() });
    expect(rerun.code, rerun.stderr).toBe(0);
    await expect(stat(lock)).rejects.toThrow();
  });

  it('with a cache but no token set, recomputes from the cache and says which sources it did not fetch', async () => {
    const run = await runCa(['update', '--as-of', '2025-07-05T12:00:00Z'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^warning: lightspeed is not fetched: LIGHTSPEED_TOKEN is not set; its data stays as of its last fetch \(\d{4}-.+Z\)$/m);
    expect(run.stderr).toMatch(/^warning: square is not fetched: SQUARE_ACCESS_TOKEN is not set; its data stays as of its last fetch \(\d{4}-.+Z\)$/m);
    expect(run.stderr).toContain('warning: nothing was fetched or imported (no token set, no ecom.file): recomputing from the cache as it is\n');
    expect((await readCsv(masterPath())).length).toBeGreaterThan(0);
  });

  it('with no token, no ecom.file and nothing in the cache, exits 2 naming the variables to set, writing nothing', async () => {
    const empty = await tempDir();
    try {
      const run = await runCa(['update'], { cwd: empty });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^ca: nothing to update: no source is configured/m);
      for (const name of ['LIGHTSPEED_TOKEN', 'LIGHTSPEED_DOMAIN_PREFIX', 'SQUARE_ACCESS_TOKEN', 'ecom.file']) expect(run.stderr).toContain(name);
      expect(await readdir(empty)).toEqual([]);
    } finally {
      await removeDir(empty);
    }
  });

  it('refuses a damaged timestamp file instead of silently starting over', async () => {
    await writeFile(join(dir, '.last_update_timestamp'), 'yesterday-ish\n');
    const run = await runCa(['update', AS_OF], { cwd: dir, env: env() });
    expect(run.code).toBe(8);
    expect(run.stderr).toMatch(/not an ISO 8601 time/);
  });
});
