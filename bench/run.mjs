#!/usr/bin/env node
/**
 * `npm run bench`: the figures the issues ask for, printed so runs can be compared.
 *
 * 1. Full rebuild at chain scale: a generated store (1,000,000 customers, 10,000,000 orders over three
 *    years, seed 7), then the real binary runs `ca compute` and `ca merge`; wall time, peak memory
 *    (GNU time), orders per second, and the model-fit time from compute's own timings.
 * 2. The same aggregation in DuckDB (per-customer counts, sums, first and last order over the same
 *    orders), when `@duckdb/node-api` can be imported (it is not a dependency: install it anywhere and
 *    point DUCKDB_MODULE at it), and the ratio.
 * 3. The Lightspeed fetch benchmark (bench/fetch-lightspeed.mjs): pacing against the rate limit.
 * 4. What `ca update` costs in vendor requests after a backfill, per stream, with and without
 *    `--days=14`, against the formula (bench/update-requests.mjs).
 * 5. The lifetime-value fit on a million simulated customers (bench/clv-fit.mjs).
 * 6. The e-commerce import's peak memory against file size and order count (bench/ecom-memory.mjs):
 *    the claims of docs/guarantees.md, "Hostile exports".
 * The e-commerce import's memory on exports up to 1 GB is a separate run (`npm run bench:import`,
 * bench/import-ecom.mjs): it takes about ten minutes.
 *
 *   node bench/run.mjs [--customers=1000000] [--orders=10000000] [--only=rebuild,duckdb,fetch,update,clv,ecommemory]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateStore } from './generateStore.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const customers = Number(args.customers ?? 1_000_000);
const orders = Number(args.orders ?? 10_000_000);
const only = args.only ? new Set(args.only.split(',')) : new Set(['rebuild', 'duckdb', 'fetch', 'update', 'clv', 'ecommemory']);
const AS_OF = '2026-06-30T00:00:00Z';
const dir = join(root, 'bench', 'out', `store-${customers}-${orders}`);
const ca = join(root, 'bin', 'ca');
const hasGnuTime = existsSync('/usr/bin/time');
const results = {};

function timed(label, command, argv, cwd) {
  const started = performance.now();
  const run = hasGnuTime
    ? spawnSync('/usr/bin/time', ['-f', '__time %e %M', command, ...argv], { cwd, encoding: 'utf8', maxBuffer: 1 << 26 })
    : spawnSync(command, argv, { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = (performance.now() - started) / 1000;
  if (run.status !== 0) {
    console.error(run.stderr);
    throw new Error(`${label} failed`);
  }
  const match = /__time ([\d.]+) (\d+)/.exec(run.stderr);
  return { seconds: match ? Number(match[1]) : wall, peakMb: match ? Number(match[2]) / 1024 : NaN, stderr: run.stderr, stdout: run.stdout };
}

const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '-');

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
  const compute = timed('compute', process.execPath, [ca, 'compute', `--as-of=${AS_OF}`, '--data-dir=.', '--verbose'], dir);
  const merge = timed('merge', process.execPath, [ca, 'merge', `--as-of=${AS_OF}`, '--data-dir=.'], dir);
  const phases = /compute: load (\d+) ms, metrics (\d+) ms, models (\d+) ms, write (\d+) ms/.exec(compute.stderr);
  const meta = JSON.parse(await readFile(join(dir, 'data', 'customer_analytics_master.meta.json'), 'utf8').catch(() => readFile(join(dir, 'customer_analytics_master.meta.json'), 'utf8')));
  const total = compute.seconds + merge.seconds;
  results.rebuild = { computeSeconds: compute.seconds, mergeSeconds: merge.seconds, totalSeconds: total, peakMb: Math.max(compute.peakMb, merge.peakMb), customers: meta.row_count };
  console.log('\nfull rebuild (ca compute + ca merge, real binary)');
  console.log(`  compute ${fmt(compute.seconds)} s (peak ${fmt(compute.peakMb, 0)} MB)${phases ? `: load ${phases[1]} ms, metrics ${phases[2]} ms, models ${phases[3]} ms, write ${phases[4]} ms` : ''}`);
  console.log(`  merge   ${fmt(merge.seconds)} s (peak ${fmt(merge.peakMb, 0)} MB)`);
  console.log(`  total   ${fmt(total)} s for ${orders.toLocaleString('en')} orders -> ${meta.row_count.toLocaleString('en')} customers: ${Math.round(orders / total).toLocaleString('en')} orders/s`);
  console.log(`  target: under 60 s and 2048 MB -> ${total < 60 && results.rebuild.peakMb < 2048 ? 'met' : 'NOT met'}`);
  if (phases) results.rebuild.modelSeconds = Number(phases[3]) / 1000;
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
  console.log('\nDuckDB, the same per-customer aggregation over the same orders');
  if (!duckdb) {
    console.log('  skipped: @duckdb/node-api not importable (npm i @duckdb/node-api in any folder, then DUCKDB_MODULE=<that>/node_modules/@duckdb/node-api)');
  } else {
    const { readColumns } = await import(pathToFileURL(join(root, 'dist', 'io', 'columnar.js')).href);
    const csv = join(dir, 'orders-for-duckdb.csv');
    if (!existsSync(csv)) {
      const parts = ['customer,kind,status,channel,ordered_at,amount\n'];
      let offset = 0;
      for (const source of ['lightspeed', 'square', 'ecom']) {
        const t = await readColumns(join(dir, 'cache', source, 'orders.col'), ['customerId', 'kind', 'status', 'channel', 'orderedAt', 'amountMinor']);
        const c = t.data.customerId;
        let chunk = '';
        for (let i = 0; i < t.rows; i++) {
          chunk += `${c.codes[i] < 0 ? -1 : offset + c.codes[i]},${t.data.kind[i]},${t.data.status[i]},${t.data.channel[i]},${t.data.orderedAt[i]},${t.data.amountMinor[i]}\n`;
          if (chunk.length > 1 << 22) {
            parts.push(chunk);
            chunk = '';
          }
        }
        parts.push(chunk);
        offset += 10_000_000;
      }
      await writeFile(csv, parts.join(''));
    }
    const instance = await duckdb.DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(`CREATE TABLE orders AS SELECT * FROM read_csv('${csv}', header = true)`);
    const query = `SELECT customer,
        count(*) FILTER (WHERE kind = 0 AND status = 0 AND ordered_at <= ${Date.parse(AS_OF)}) AS orders_count,
        count(*) FILTER (WHERE kind = 0 AND status = 0 AND channel = 0) AS in_store,
        count(*) FILTER (WHERE kind = 0 AND status = 0 AND channel = 1) AS online,
        count(*) FILTER (WHERE kind = 0 AND status = 0 AND channel = 2) AS appointment,
        sum(amount) FILTER (WHERE kind = 0 AND status = 0) AS gross,
        sum(-amount) FILTER (WHERE kind <> 0 AND status = 0) AS refunds,
        min(ordered_at) FILTER (WHERE kind = 0 AND status = 0) AS first_order,
        max(ordered_at) FILTER (WHERE kind = 0 AND status = 0) AS last_order
      FROM orders WHERE customer >= 0 GROUP BY customer`;
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await connection.run(`CREATE OR REPLACE TABLE agg AS ${query}`);
      best = Math.min(best, (performance.now() - t) / 1000);
    }
    results.duckdb = { seconds: best };
    console.log(`  DuckDB aggregation: ${fmt(best, 2)} s (best of 3, data already loaded)`);
    if (results.rebuild) {
      console.log(`  ca full rebuild / DuckDB aggregation: ${fmt(results.rebuild.totalSeconds / best, 1)}x (goal: within 3x)`);
    }
  }
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

await mkdir(join(root, 'bench', 'out'), { recursive: true });
await writeFile(join(root, 'bench', 'out', 'last-run.json'), JSON.stringify({ at: new Date().toISOString(), customers, orders, ...results }, null, 2));
