#!/usr/bin/env node
/**
 * Lightspeed fetch benchmark: a backfill against the sandbox under the real X-Series budget
 * (300 × registers + 50 requests per window, the window scaled down from 300 s), then an incremental
 * run after N changes.
 *
 *   npm run build && node bench/fetch-lightspeed.mjs [--window-ms=10000] [--registers=1] [--page-size=50]
 *       [--customers=2000] [--sales-per-day=100] [--days=365] [--change-days=3] [--seed=1]
 *
 * Prints requests, 429s and elapsed time against what the limit allows (target: within 10 %, 429s < 1 %),
 * and the incremental run's requests against N / page size. Set CA_DIST to run another build folder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=');
    return [key, Number(value)];
  }),
);
const windowMs = args['window-ms'] ?? 10_000;
const registers = args.registers ?? 1;
const pageSize = args['page-size'] ?? 50;
const changeDays = args['change-days'] ?? 3;

const dist = process.env.CA_DIST ? pathToFileURL(process.env.CA_DIST.replace(/\/?$/, '/')) : new URL('../dist/', import.meta.url);
const { startLightspeedSandbox } = await import(new URL('sandbox/lightspeed/index.js', dist));
const { fetchLightspeed } = await import(new URL('sources/lightspeed/index.js', dist));
const { Store } = await import(new URL('io/store.js', dist));

const quiet = { info() {}, warn: (m) => console.error(`warning: ${m}`), debug() {} };
const limit = 300 * registers + 50;
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const percent = (x) => `${(100 * x).toFixed(2)} %`;

let started = performance.now();
const sandbox = await startLightspeedSandbox({
  seed: args.seed ?? 1,
  customers: args.customers ?? 2000,
  salesPerDay: args['sales-per-day'] ?? 100,
  historyDays: args.days ?? 365,
  outlets: 1,
  registersPerOutlet: registers,
  rateLimit: { windowMs },
});
const generatedMs = performance.now() - started;
const count = (resource) => sandbox.control.records(resource).length;
console.log(
  `sandbox: ${count('customers')} customers, ${count('sales')} sales generated in ${seconds(generatedMs)}; ` +
    `budget ${limit} requests per ${seconds(windowMs)} (${registers} register${registers === 1 ? '' : 's'})`,
);

const dir = await mkdtemp(join(tmpdir(), 'ca-bench-lightspeed-'));
try {
  const options = {
    baseUrl: sandbox.url,
    token: sandbox.token,
    full: false,
    now: Date.now,
    log: quiet,
    settings: { pageSize, rateLimitWindowSeconds: windowMs / 1000 },
  };

  started = performance.now();
  const backfill = await fetchLightspeed({ ...options, store: new Store(dir) });
  const elapsed = performance.now() - started;
  const requests = backfill.requests;
  const windows = requests / limit;
  // A fixed window lets each window's budget go at once: the last one costs no waiting.
  const floor = (Math.ceil(windows) - 1) * windowMs;
  const steady = windows * windowMs;
  const rate429 = backfill.rateLimited / requests;
  console.log(`backfill: ${requests} requests (${windows.toFixed(2)} windows), ${backfill.rateLimited} × 429 (${percent(rate429)}), ${seconds(elapsed)}`);
  console.log(
    `  the limit allows it in ${seconds(floor)} (whole windows) to ${seconds(steady)} (steady rate): ` +
      `elapsed = ${(elapsed / Math.max(floor, 1)).toFixed(3)} × whole windows, ${(elapsed / steady).toFixed(3)} × steady`,
  );
  const withinTarget = elapsed <= 1.1 * Math.max(floor, steady) && rate429 < 0.01;
  console.log(`  target (≤ 10 % over what the limit allows, 429s < 1 %): ${withinTarget ? 'met' : 'MISSED'}`);

  const state = await new Store(dir).readState('lightspeed');
  sandbox.control.advance(changeDays);
  const changed = Object.fromEntries(
    ['outlets', 'registers', 'users', 'customers', 'sales'].map((resource) => [
      resource,
      // GET /sales lists no discarded (deleted) sales: API 2.0 takes no `deleted` there.
      sandbox.control.records(resource).filter((r) => r.version > state.streams[resource].cursor && !(resource === 'sales' && r.deleted_at)).length,
    ]),
  );
  const n = Object.values(changed).reduce((a, b) => a + b, 0);
  // The retailer (the token and store check), then each stream's pages and its closing page.
  const expected = 1 + Object.values(changed).reduce((sum, k) => sum + Math.ceil(k / pageSize) + 1, 0);
  started = performance.now();
  const incremental = await fetchLightspeed({ ...options, store: new Store(dir) });
  console.log(
    `incremental after ${changeDays} days: N = ${n} changed records (${changed.customers} customers, ${changed.sales} sales); ` +
      `${incremental.requests} requests (N / page size = ${(n / pageSize).toFixed(1)}, plus the retailer and one closing page per stream = ${expected}), ` +
      `${incremental.rateLimited} × 429, ${seconds(performance.now() - started)}`,
  );
  const stats = sandbox.control.stats();
  console.log(`sandbox saw ${stats.requests} requests and sent ${stats.rateLimited} × 429`);
  process.exitCode = withinTarget && incremental.requests === expected ? 0 : 1;
} finally {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
}
