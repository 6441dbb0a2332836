#!/usr/bin/env node
/**
 * `npm run bench`: the figures the issues ask for, printed so runs can be compared.
 *
 * 1. Full rebuild at chain scale: a generated store (1,000,000 customers, 10,000,000 orders over three
 *    years, seed 7), then the real binary runs `ca compute` and `ca merge`; wall time, peak memory
 *    (GNU time), orders per second, and the model-fit time from compute's own timings. Then `readers`:
 *    `ca report html` (which every `ca update` writes) and `ca stats` reading that master back.
 * 2. A master of 26 of the same columns in DuckDB from the same orders (counts, sums, first and last,
 *    first channel and location, 365-day figures, window-function quintiles, lifecycle and tier): load
 *    the orders CSV, compute, write the master CSV; and the ratio of the full rebuild to it (target:
 *    within 3x, under 1.5 GB peak). Each side's input is read once before it is timed (page cache warm
 *    for both). Only when `@duckdb/node-api` can be imported: it is not a
 *    dependency; install it anywhere and point DUCKDB_MODULE at it.
 * 3. The Lightspeed fetch benchmark (bench/fetch-lightspeed.mjs): pacing against the rate limit.
 * 4. What `ca update` costs in vendor requests after a backfill, per stream, with and without
 *    `--days=14`, against the formula (bench/update-requests.mjs).
 * 5. Sources at once: one `ca update` fetching Lightspeed and Square concurrently against each alone,
 *    with latency on every request and Square's 429s counted (bench/update-concurrency.mjs).
 * 6. The lifetime-value fit on a million simulated customers (bench/clv-fit.mjs).
 * 7. The e-commerce import's peak memory against file size and order count (bench/ecom-memory.mjs):
 *    the claims of docs/guarantees.md, "Hostile exports".
 * 8. What each start of `ca` costs in CPU (`ca --version`, `ca status`, a `ca update` with nothing new),
 *    the bundle `bin/ca` runs against the same code loaded module by module (bench/startup.mjs).
 * The e-commerce import's memory on exports up to 1 GB is a separate run (`npm run bench:import`,
 * bench/import-ecom.mjs): it takes about ten minutes.
 *
 * --repeat=N runs the rebuild and the DuckDB master N times each and compares their medians (on a shared
 * machine one run of either can be 20 % off).
 *
 *   node bench/run.mjs [--customers=1000000] [--orders=10000000] [--repeat=1] [--only=rebuild,readers,duckdb,fetch,update,concurrency,clv,ecommemory,startup]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateStore } from './generateStore.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const customers = Number(args.customers ?? 1_000_000);
const orders = Number(args.orders ?? 10_000_000);
const repeat = Number(args.repeat ?? 1);
if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat=${args.repeat}: a whole number of runs, 1 or more`);
const only = args.only ? new Set(args.only.split(',')) : new Set(['rebuild', 'readers', 'duckdb', 'fetch', 'update', 'concurrency', 'clv', 'ecommemory', 'startup']);
const AS_OF = '2026-06-30T00:00:00Z';
const dir = join(root, 'bench', 'out', `store-${customers}-${orders}`);
const ca = join(root, 'bin', 'ca');
const hasGnuTime = existsSync('/usr/bin/time');
const results = {};

function timed(label, command, argv, cwd) {
  const started = performance.now();
  const run = hasGnuTime
    ? spawnSync('/usr/bin/time', ['-f', '__time %e %M %U %S', command, ...argv], { cwd, encoding: 'utf8', maxBuffer: 1 << 26 })
    : spawnSync(command, argv, { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = (performance.now() - started) / 1000;
  if (run.status !== 0) {
    console.error(run.stderr);
    throw new Error(`${label} failed`);
  }
  const match = /__time ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(run.stderr);
  // CPU seconds (user + system) as well: on a machine shared with other work, wall time says little.
  const cpuSeconds = match ? Number(match[3]) + Number(match[4]) : NaN;
  return { seconds: match ? Number(match[1]) : wall, cpuSeconds, peakMb: match ? Number(match[2]) / 1024 : NaN, stderr: run.stderr, stdout: run.stdout };
}

/** The element with the median key (the lower middle one of an even count). */
const medianBy = (items, key) => [...items].sort((a, b) => key(a) - key(b))[Math.floor((items.length - 1) / 2)];

const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '-');

/**
 * Reads every file under `path` once, so the timed run finds its input in the page cache, as a run right
 * after the data was written does. Both sides of the DuckDB comparison are warmed this way: on a store
 * read cold from disk, `ca compute`'s load phase took 11.3 s instead of 6-7 s, which measured the disk.
 */
async function warm(path) {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => undefined);
  if (entries === undefined) {
    const file = await open(path, 'r');
    const buffer = Buffer.allocUnsafe(1 << 22);
    try {
      while ((await file.read(buffer, 0, buffer.length, null)).bytesRead > 0);
    } finally {
      await file.close();
    }
    return;
  }
  for (const entry of entries) await warm(join(path, entry.name));
}

if (only.has('rebuild') || only.has('duckdb')) {
  if (!existsSync(join(dir, 'cache', 'lightspeed', 'orders.col'))) {
    console.log(`generating ${customers.toLocaleString('en')} customers, ${orders.toLocaleString('en')} orders (seed 7) into ${dir} …`);
    const t = performance.now();
    await rm(dir, { recursive: true, force: true });
    await generateStore(dir, { customers, orders, seed: 7, asOf: Date.parse(AS_OF) });
    console.log(`  generated in ${fmt((performance.now() - t) / 1000)} s`);
  }
}

if (only.has('rebuild')) {
  await warm(join(dir, 'cache'));
  console.log(`\nfull rebuild (ca compute + ca merge, real binary)${repeat > 1 ? `, ${repeat} runs` : ''}`);
  const runs = [];
  for (let i = 0; i < repeat; i++) {
    const compute = timed('compute', process.execPath, [ca, 'compute', `--as-of=${AS_OF}`, '--data-dir=.', '--verbose'], dir);
    const merge = timed('merge', process.execPath, [ca, 'merge', `--as-of=${AS_OF}`, '--data-dir=.'], dir);
    const phases = /compute: load (\d+) ms, metrics (\d+) ms, models (\d+) ms, write (\d+) ms/.exec(compute.stderr);
    runs.push({ compute, merge, phases, total: compute.seconds + merge.seconds, cpu: compute.cpuSeconds + merge.cpuSeconds });
    console.log(`  compute ${fmt(compute.seconds)} s, cpu ${fmt(compute.cpuSeconds)} s (peak ${fmt(compute.peakMb, 0)} MB)${phases ? `: load ${phases[1]} ms, metrics ${phases[2]} ms, models ${phases[3]} ms, write ${phases[4]} ms` : ''}`);
    console.log(`  merge   ${fmt(merge.seconds)} s, cpu ${fmt(merge.cpuSeconds)} s (peak ${fmt(merge.peakMb, 0)} MB)`);
  }
  const meta = JSON.parse(await readFile(join(dir, 'data', 'customer_analytics_master.meta.json'), 'utf8').catch(() => readFile(join(dir, 'customer_analytics_master.meta.json'), 'utf8')));
  // The run with the median total stands for them all; the peak is the highest of any run.
  const { compute, merge, phases, total, cpu } = medianBy(runs, (r) => r.total);
  const peakMb = Math.max(...runs.flatMap((r) => [r.compute.peakMb, r.merge.peakMb]));
  results.rebuild = { computeSeconds: compute.seconds, mergeSeconds: merge.seconds, totalSeconds: total, cpuSeconds: cpu, peakMb, customers: meta.row_count, runs: runs.map((r) => r.total) };
  if (phases) results.rebuild.modelSeconds = Number(phases[3]) / 1000;
  console.log(`  total   ${fmt(total)} s${repeat > 1 ? ` (median of ${runs.map((r) => fmt(r.total)).join(', ')})` : ''} (cpu ${fmt(cpu)} s) for ${orders.toLocaleString('en')} orders -> ${meta.row_count.toLocaleString('en')} customers: ${Math.round(orders / total).toLocaleString('en')} orders/s`);
  console.log(`  peak target: under 1536 MB -> ${peakMb < 1536 ? 'met' : 'NOT met'} (speed target: against DuckDB below)`);
}

if (only.has('readers')) {
  // What every `ca update` does after merge (the HTML report) and what a user runs to look: at a chain's
  // million rows these read the whole master back.
  if (!existsSync(join(dir, 'customer_analytics_master.csv'))) throw new Error('readers: run with --only=rebuild,readers first (no master yet)');
  const report = timed('report html', process.execPath, [ca, 'report', 'html', '--data-dir=.'], dir);
  const stats = timed('stats', process.execPath, [ca, 'stats', '--data-dir=.'], dir);
  results.readers = { reportSeconds: report.seconds, reportCpuSeconds: report.cpuSeconds, reportPeakMb: report.peakMb, statsSeconds: stats.seconds, statsCpuSeconds: stats.cpuSeconds };
  console.log('\nreading the master back (real binary)');
  console.log(`  ca report html ${fmt(report.seconds)} s, cpu ${fmt(report.cpuSeconds)} s (peak ${fmt(report.peakMb, 0)} MB); ca stats ${fmt(stats.seconds)} s, cpu ${fmt(stats.cpuSeconds)} s (peak ${fmt(stats.peakMb, 0)} MB)`);
}

if (only.has('duckdb')) {
  const modulePath = process.env.DUCKDB_MODULE ?? '@duckdb/node-api';
  let duckdb;
  try {
    if (modulePath.startsWith('/')) {
      const pkg = JSON.parse(await readFile(join(modulePath, 'package.json'), 'utf8'));
      duckdb = await import(pathToFileURL(join(modulePath, pkg.main ?? 'index.js')).href);
    } else duckdb = await import(modulePath);
  } catch {
    duckdb = undefined;
  }
  console.log('\nDuckDB, a master of 26 of the same columns from the same orders (load CSV, compute, write CSV)');
  if (!duckdb) {
    console.log('  skipped: @duckdb/node-api not importable (npm i @duckdb/node-api in any folder, then DUCKDB_MODULE=<that>/node_modules/@duckdb/node-api)');
  } else {
    const csv = join(dir, 'orders-for-duckdb-v2.csv');
    if (!existsSync(csv)) await writeOrdersCsv(csv);
    await warm(csv);
    const out = join(dir, 'duckdb-master.csv');
    // CPU time of this process: DuckDB's threads are in it.
    const cpuNow = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1e6;
    };
    const runs = [];
    for (let i = 0; i < repeat; i++) {
      const instance = await duckdb.DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      let duckCpu = 0;
      const step = async (sql) => {
        const t = performance.now();
        const c = cpuNow();
        await connection.run(sql);
        duckCpu += cpuNow() - c;
        return (performance.now() - t) / 1000;
      };
      const load = await step(`CREATE TABLE orders AS SELECT * FROM read_csv('${csv}', header = true)`);
      const computeSeconds = await step(`CREATE TABLE master AS ${duckdbMasterQuery(Date.parse(AS_OF))}`);
      const write = await step(`COPY master TO '${out}' (HEADER, DELIMITER ',')`);
      const rows = Number((await (await connection.runAndReadAll('SELECT count(*) FROM master')).getRows())[0][0]);
      connection.closeSync();
      instance.closeSync();
      const total = load + computeSeconds + write;
      runs.push({ loadSeconds: load, computeSeconds, writeSeconds: write, totalSeconds: total, cpuSeconds: duckCpu, rows });
      console.log(`  load ${fmt(load, 2)} s, compute ${fmt(computeSeconds, 2)} s, write ${fmt(write, 2)} s: ${fmt(total, 2)} s (cpu ${fmt(duckCpu, 1)} s) for ${rows.toLocaleString('en')} customers`);
    }
    results.duckdb = { ...medianBy(runs, (r) => r.totalSeconds), runs: runs.map((r) => r.totalSeconds) };
    const { totalSeconds: total, cpuSeconds: duckCpu } = results.duckdb;
    if (repeat > 1) console.log(`  total ${fmt(total, 2)} s (median)`);
    if (results.rebuild) {
      const ratio = results.rebuild.totalSeconds / total;
      results.duckdb.ratio = ratio;
      results.duckdb.cpuRatio = results.rebuild.cpuSeconds / duckCpu;
      console.log(`  ca full rebuild / DuckDB master${repeat > 1 ? ' (medians)' : ''}: ${fmt(ratio, 2)}x wall, ${fmt(results.duckdb.cpuRatio, 2)}x cpu (target: within 3x, peak under 1536 MB) -> ${ratio <= 3 && results.rebuild.peakMb < 1536 ? 'met' : 'NOT met'}`);
    }
  }
}

/** The orders as DuckDB reads them: customer record (numbered over the sources), enums as codes, times in ms. */
async function writeOrdersCsv(csv) {
  const { readColumns } = await import(pathToFileURL(join(root, 'dist', 'io', 'columnar.js')).href);
  // Written chunk by chunk: ten million rows as one string would not fit in the heap.
  const file = await open(csv, 'w');
  await file.write('customer,kind,status,channel,ordered_at,amount,tips,location\n');
  let offset = 0;
  for (const source of ['lightspeed', 'square', 'ecom']) {
    const t = await readColumns(join(dir, 'cache', source, 'orders.col'), ['customerId', 'kind', 'status', 'channel', 'orderedAt', 'amountMinor', 'tipsMinor', 'locationId']);
    const c = t.data.customerId;
    const l = t.data.locationId;
    let chunk = '';
    for (let i = 0; i < t.rows; i++) {
      const location = l.codes[i] < 0 ? '' : `${source}:${l.dict[l.codes[i]]}`;
      chunk += `${c.codes[i] < 0 ? -1 : offset + c.codes[i]},${t.data.kind[i]},${t.data.status[i]},${t.data.channel[i]},${t.data.orderedAt[i]},${t.data.amountMinor[i]},${Number.isNaN(t.data.tipsMinor[i]) ? 0 : t.data.tipsMinor[i]},${location}\n`;
      if (chunk.length > 1 << 22) {
        await file.write(chunk);
        chunk = '';
      }
    }
    await file.write(chunk);
    offset += 10_000_000;
  }
  await file.close();
}

/**
 * 26 master columns in SQL: counts by channel, money, tips, first and last purchase, first channel and
 * location, the 365-day figures, recency and rhythm, distinct locations, repeat and first-time flags,
 * lifecycle, RFM quintiles (window functions) and value tier (share of buyers by net revenue).
 */
function duckdbMasterQuery(asOf) {
  const DAY = 86_400_000;
  const done = `status = 0 AND ordered_at <= ${asOf}`;
  const sale = `kind = 0 AND ${done}`;
  const back = `kind <> 0 AND ${done}`;
  const year = `ordered_at > ${asOf - 365 * DAY}`;
  return `WITH per AS (
      SELECT customer,
        count(*) FILTER (WHERE ${sale}) AS orders_count,
        count(*) FILTER (WHERE ${sale} AND channel = 0) AS in_store_orders,
        count(*) FILTER (WHERE ${sale} AND channel = 1) AS online_orders,
        count(*) FILTER (WHERE ${sale} AND channel = 2) AS appointment_orders,
        coalesce(sum(amount) FILTER (WHERE ${sale}), 0) AS gross_revenue,
        coalesce(sum(abs(amount)) FILTER (WHERE ${back}), 0) AS refunds,
        coalesce(sum(tips) FILTER (WHERE ${sale}), 0) AS tips_total,
        min(ordered_at) FILTER (WHERE ${sale}) AS first_order_at,
        max(ordered_at) FILTER (WHERE ${sale}) AS last_order_at,
        arg_min(channel, ordered_at) FILTER (WHERE ${sale}) AS first_order_channel,
        arg_min(location, ordered_at) FILTER (WHERE ${sale}) AS first_order_location,
        count(*) FILTER (WHERE ${sale} AND ${year}) AS orders_last_365d,
        coalesce(sum(amount) FILTER (WHERE ${sale} AND ${year}), 0) - coalesce(sum(abs(amount)) FILTER (WHERE ${back} AND ${year}), 0) AS revenue_last_365d,
        count(DISTINCT location) FILTER (WHERE ${sale}) AS distinct_locations
      FROM orders WHERE customer >= 0 GROUP BY customer
    ), metrics AS (
      SELECT *, gross_revenue - refunds AS net_revenue,
        CASE WHEN orders_count > 0 THEN (gross_revenue - refunds) / orders_count END AS avg_order_value,
        floor((${asOf} - last_order_at) / ${DAY}) AS days_since_last_order,
        floor((${asOf} - first_order_at) / ${DAY}) AS days_since_first_order,
        CASE WHEN orders_count > 1 THEN (last_order_at - first_order_at) / ${DAY} / (orders_count - 1) END AS avg_days_between_orders,
        orders_count > 1 AS is_repeat_customer,
        orders_count = 1 AS is_first_time_buyer
      FROM per
    ), scored AS (
      SELECT *,
        CASE WHEN orders_count > 0 THEN ntile(5) OVER (PARTITION BY orders_count > 0 ORDER BY days_since_last_order DESC) END AS r,
        CASE WHEN orders_count > 0 THEN ntile(5) OVER (PARTITION BY orders_count > 0 ORDER BY orders_count) END AS f,
        CASE WHEN orders_count > 0 THEN ntile(5) OVER (PARTITION BY orders_count > 0 ORDER BY net_revenue) END AS m,
        CASE WHEN orders_count > 0 THEN percent_rank() OVER (PARTITION BY orders_count > 0 ORDER BY net_revenue DESC) END AS share
      FROM metrics
    )
    SELECT customer, orders_count, in_store_orders, online_orders, appointment_orders, gross_revenue, refunds, net_revenue,
      avg_order_value, tips_total, first_order_at, last_order_at, first_order_channel, first_order_location, orders_last_365d,
      revenue_last_365d, days_since_last_order, avg_days_between_orders, distinct_locations, is_repeat_customer, is_first_time_buyer,
      CASE WHEN orders_count = 0 THEN 'PROSPECT' WHEN days_since_first_order <= 30 THEN 'NEW' WHEN days_since_last_order <= 90 THEN 'ACTIVE'
        WHEN days_since_last_order <= 180 THEN 'AT_RISK' ELSE 'LOST' END AS lifecycle_segment,
      CASE WHEN orders_count > 0 THEN r::VARCHAR || f::VARCHAR || m::VARCHAR END AS rfm_score,
      CASE WHEN r >= 4 AND f >= 4 THEN 'champions' WHEN f >= 4 THEN 'loyal_customers' WHEN r >= 4 THEN 'potential_loyalists'
        WHEN r >= 3 THEN 'need_attention' WHEN orders_count > 0 THEN 'at_risk' END AS rfm_segment,
      CASE WHEN share < 0.05 THEN 'VIP' WHEN share < 0.2 THEN 'HIGH' WHEN share < 0.5 THEN 'MEDIUM' WHEN orders_count > 0 THEN 'LOW' END AS value_tier
    FROM scored ORDER BY customer`;
}

if (only.has('fetch')) {
  console.log('\nLightspeed fetch pacing (bench/fetch-lightspeed.mjs)');
  const run = spawnSync(process.execPath, [join(root, 'bench', 'fetch-lightspeed.mjs')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(run.stdout.replace(/^/gm, '  '));
}

if (only.has('update')) {
  console.log('\nrequests per `ca update` after a backfill, against the sandboxes (bench/update-requests.mjs)');
  const run = spawnSync(process.execPath, [join(root, 'bench', 'update-requests.mjs')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(run.stdout.replace(/^/gm, '  '));
  results.update = { formulaMet: run.status === 0 };
}

if (only.has('concurrency')) {
  console.log('\nsources at once: one `ca update` against each source alone (bench/update-concurrency.mjs)');
  const run = spawnSync(process.execPath, [join(root, 'bench', 'update-concurrency.mjs')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(run.stdout.replace(/^/gm, '  '));
  const figures = /fetch phase: both at once ([\d.]+) s; each alone: sum ([\d.]+) s, slower ([\d.]+) s/.exec(run.stdout);
  results.concurrency = { under1PercentRateLimited: run.status === 0, ...(figures ? { bothSeconds: Number(figures[1]), sumSeconds: Number(figures[2]), slowerSeconds: Number(figures[3]) } : {}) };
}

if (only.has('clv')) {
  console.log('\nlifetime-value fit on 1,000,000 simulated customers (bench/clv-fit.mjs)');
  const run = spawnSync(process.execPath, [join(root, 'bench', 'clv-fit.mjs')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(run.stdout.replace(/^/gm, '  '));
}

if (only.has('ecommemory')) {
  console.log('\ne-commerce import peak memory (bench/ecom-memory.mjs)');
  const run = spawnSync(process.execPath, [join(root, 'bench', 'ecom-memory.mjs')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(run.stdout.replace(/^/gm, '  '));
  results.ecomMemory = { met: run.status === 0 };
}

if (only.has('startup')) {
  console.log('\nCPU per start of `ca`: the bundle (bin/ca) against the same code module by module (bench/startup.mjs)');
  const run = spawnSync(process.execPath, [join(root, 'bench', 'startup.mjs')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(run.stdout.replace(/^/gm, '  '));
}

await mkdir(join(root, 'bench', 'out'), { recursive: true });
await writeFile(join(root, 'bench', 'out', 'last-run.json'), JSON.stringify({ at: new Date().toISOString(), customers, orders, ...results }, null, 2));
