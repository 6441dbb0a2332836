#!/usr/bin/env node
/**
 * Lightspeed fetch pacing: a backfill against the sandbox under the real X-Series budget
 * (300 × registers + 50 requests per window, the window scaled down from 300 s).
 *
 *   npm run build && node bench/fetch-lightspeed.mjs [--window-ms=10000] [--registers=1] [--page-size=50]
 *       [--customers=2000] [--sales-per-day=100] [--days=365] [--seed=1]
 *
 * Prints requests, 429s and elapsed time against what the limit allows (target: within 10 %, 429s < 1 %).
 * What incremental runs cost is measured through `ca update` itself: bench/update-requests.mjs. Set
 * CA_DIST to run another build folder.
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

  const stats = sandbox.control.stats();
  console.log(`sandbox saw ${stats.requests} requests and sent ${stats.rateLimited} × 429`);
  process.exitCode = withinTarget ? 0 : 1;
} finally {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
}
