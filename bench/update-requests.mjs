#!/usr/bin/env node
/**
 * What a nightly `ca update` costs in vendor requests, measured the way a user runs it: the real `ca`
 * binary, `ca update` after `ca update --full`, against the sandboxes `ca sandbox` and `ca demo` start
 * (same seed and sizes: 2,000 Lightspeed customers and a year of sales, the Square salon beside it).
 * The requests are counted by the sandboxes themselves, per stream, and printed next to the formula
 * for N changed records: ceil(N / page size) full pages plus one closing (empty) page per stream.
 *
 *   npm run build && node bench/update-requests.mjs [--customers=2000] [--change-days=3]
 *
 * Runs, in one workspace: the backfill (`--full`); `ca update` and `ca update --days=14` with nothing
 * changed; then Lightspeed moves on `--change-days` days before `ca update --days=14`, and again before
 * `ca update`. Square's figures are its per-run cost with its clock standing still (its updated_at
 * windows end at the real now, so moving its clock ahead would only hide records). Exit 1 when a
 * Lightspeed figure misses its formula. Set CA_DIST to run another build folder.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = Object.fromEntries(process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=')));
const customers = Number(args.customers ?? 2000);
const changeDays = Number(args['change-days'] ?? 3);
const root = fileURLToPath(new URL('..', import.meta.url));
const dist = process.env.CA_DIST ? pathToFileURL(process.env.CA_DIST.replace(/\/?$/, '/')) : new URL('../dist/', import.meta.url);
const ca = join(root, 'bin', 'ca');
const { startSandboxes } = await import(new URL('app/sandboxes.js', dist));

const STREAMS = ['outlets', 'registers', 'users', 'customers', 'sales'];
/** The client's default page size (config `lightspeed.pageSize`). */
const PAGE_SIZE = 200;

/** Runs the binary without blocking this process, which serves the sandboxes. */
function runCa(argv, cwd, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ca, ...argv], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.resume();
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ca ${argv.join(' ')} exited ${code}:\n${stderr}`))));
  });
}

const sandboxes = await startSandboxes({ customers });
const dir = await mkdtemp(join(tmpdir(), 'ca-bench-update-'));
const lightspeedState = async () => JSON.parse(await readFile(join(dir, 'data', 'cache', 'lightspeed', 'state.json'), 'utf8'));
let failed = false;

/** Requests per Lightspeed stream and per Square route that one `ca update` made. */
async function measure(argv) {
  const before = { lightspeed: sandboxes.lightspeed.stats().byResource, square: sandboxes.square.stats().byRoute };
  const cursors = Object.fromEntries(Object.entries((await lightspeedState().catch(() => ({ streams: {} }))).streams).map(([s, v]) => [s, v.cursor]));
  // N: the records each stream has changed since its cursor, from the sandbox's own data.
  // GET /sales lists no deleted sales (API 2.0 takes no `deleted` there): a deleted sale is never served.
  const listed = (s) => sandboxes.lightspeed.records(s).filter((r) => s !== 'sales' || !r.deleted_at);
  const changed = Object.fromEntries(STREAMS.map((s) => [s, listed(s).filter((r) => r.version > (cursors[s] ?? 0)).length]));
  const started = performance.now();
  await runCa(['update', ...argv], dir, sandboxes.env);
  const seconds = (performance.now() - started) / 1000;
  const after = { lightspeed: sandboxes.lightspeed.stats().byResource, square: sandboxes.square.stats().byRoute };
  const delta = (source) => Object.fromEntries(Object.entries(after[source]).map(([k, v]) => [k, v - (before[source][k] ?? 0)]).filter(([, v]) => v > 0));
  // What Square's streams stored, from the run log the update just appended to.
  const runs = (await readFile(join(dir, 'data', 'runs.ndjson'), 'utf8')).trim().split('\n');
  const fetched = JSON.parse(runs.at(-1)).counts.fetched.find((f) => f.source === 'square')?.streams ?? {};
  return { changed, lightspeed: delta('lightspeed'), square: delta('square'), squareRead: fetched, seconds };
}

/** Square's queries: one per location for payments and for each 31-day bookings window of the re-scan. */
const locations = () => sandboxes.square.stats().records.locations;
const SQUARE = [
  ['customers', 'customers-search', () => 1, 'one per 30-day updated_at window'],
  ['payments', 'payments', () => locations(), 'one per location'],
  ['refunds', 'refunds', () => 1, 'all locations at once'],
  ['bookings', 'bookings', () => locations() * Math.ceil((90 + 62) / 31), 'per location, 31-day windows over the last 90 and next 62 days'],
];

function report(label, run, { backfill = false } = {}) {
  console.log(`\n${label} (${run.seconds.toFixed(1)} s)`);
  console.log('  lightspeed    N changed   requests   formula ceil(N/200)+1');
  let total = 0;
  let expectedTotal = 0;
  for (const stream of STREAMS) {
    const requests = run.lightspeed[stream] ?? 0;
    const expected = Math.ceil(run.changed[stream] / PAGE_SIZE) + 1;
    total += requests;
    expectedTotal += expected;
    const ok = requests === expected;
    if (!ok && !backfill) failed = true;
    console.log(`  ${stream.padEnd(12)} ${String(run.changed[stream]).padStart(10)} ${String(requests).padStart(10)} ${String(expected).padStart(10)}${ok ? '' : '   <- off'}`);
  }
  const other = Object.entries(run.lightspeed).filter(([k]) => !STREAMS.includes(k));
  for (const [resource, n] of other) console.log(`  ${resource.padEnd(12)} ${''.padStart(10)} ${String(n).padStart(10)}   (every run: checks the token and which store this is)`);
  console.log(`  ${'total'.padEnd(12)} ${''.padStart(10)} ${String(total + other.reduce((n, [, k]) => n + k, 0)).padStart(10)} ${String(expectedTotal).padStart(10)}`);
  console.log('  square         N read   requests   queries (a page of 100 each, at least one page per query)');
  for (const [stream, route, queries, how] of SQUARE) {
    const read = run.squareRead[stream];
    const n = read ? read.added + read.updated : 0;
    console.log(`  ${stream.padEnd(12)} ${String(n).padStart(8)} ${String(run.square[route] ?? 0).padStart(10)} ${String(queries()).padStart(9)}   ${backfill ? '(backfill: from the start)' : how}`);
  }
  const rest = Object.entries(run.square).filter(([route]) => !SQUARE.some(([, r]) => r === route));
  console.log(`  and ${rest.map(([route, n]) => `${route} ${n}`).join(', ')}`);
}

try {
  console.log(
    `sandboxes as \`ca sandbox\` starts them: Lightspeed ${sandboxes.lightspeed.records('customers').length} customers, ` +
      `${sandboxes.lightspeed.records('sales').length} sales; Square ${sandboxes.square.stats().records.customers} customers, ` +
      `${sandboxes.square.stats().records.payments} payments, ${sandboxes.square.stats().records.bookings} bookings, ${locations()} locations`,
  );
  report('ca update --full (the backfill)', await measure(['--full']), { backfill: true });
  report('ca update, nothing changed', await measure([]));
  report('ca update --days=14, nothing changed', await measure(['--days=14']));
  // Only Lightspeed moves on: it is read by version. Square is read by time, and `ca` reads the real
  // clock, so Square records dated days ahead would not be due yet (tests/integration/square covers it).
  sandboxes.lightspeed.advance(changeDays);
  report(`ca update --days=14, Lightspeed ${changeDays} days later`, await measure(['--days=14']));
  sandboxes.lightspeed.advance(changeDays);
  report(`ca update, Lightspeed ${changeDays} days later`, await measure([]));
  console.log(
    '\nSquare reads by time, so `--days=N` moves its start points back N days: payments and refunds by updated_at,' +
      '\ncustomers by updated_at; bookings are re-scanned by start time every run (docs/sources/square.md).',
  );
  console.log(`\nLightspeed: every figure ${failed ? 'did NOT match' : 'matches'} its formula`);
  process.exitCode = failed ? 1 : 0;
} finally {
  await sandboxes.close();
  await rm(dir, { recursive: true, force: true });
}
