#!/usr/bin/env node
/**
 * Sources at once: what one `ca update` costs in wall time when Lightspeed and Square are fetched at
 * the same time, against each source alone, measured the way a user runs it (the real `ca` binary, a
 * first `ca update` in a fresh workspace each time) against the sandboxes with a network-like latency
 * on every request and Square answering 429 above a request rate.
 *
 *   npm run build && node bench/update-concurrency.mjs [--customers=1000] [--latency-ms=60]
 *       [--square-rate=15] [--locations=5]
 *
 * Runs, each in a workspace of its own: both sources; Lightspeed alone; Square alone; Square alone with
 * its locations one at a time (`square.locationConcurrency: 1`, the old behaviour). The fetch phase's
 * wall time comes from each run's log (`counts.fetch_ms`; compute and merge, the same whatever the
 * sources, are left out), the update's whole wall time is shown beside it. Prints the concurrent fetch
 * against the sum and the slower of the two alone, and the 429 share per vendor (target: under 1 %).
 * Exit 1 when a 429 share is 1 % or more. Set CA_DIST to run another build folder.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = Object.fromEntries(process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=')));
const customers = Number(args.customers ?? 1000);
const latencyMs = Number(args['latency-ms'] ?? 60);
const squareRate = Number(args['square-rate'] ?? 15);
const locations = Number(args.locations ?? 5);
const root = fileURLToPath(new URL('..', import.meta.url));
const dist = process.env.CA_DIST ? pathToFileURL(process.env.CA_DIST.replace(/\/?$/, '/')) : new URL('../dist/', import.meta.url);
const ca = join(root, 'bin', 'ca');
const { startLightspeedSandbox } = await import(new URL('sandbox/lightspeed/index.js', dist));
const { startSquareSandbox } = await import(new URL('sandbox/square/index.js', dist));

/** Runs the binary without blocking this process, which serves the sandboxes. */
function runCa(argv, cwd, env) {
  return new Promise((resolve, reject) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(LIGHTSPEED|SQUARE|CA_)/.test(k)));
    const child = spawn(process.execPath, [ca, ...argv], { cwd, env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.resume();
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stderr) : reject(new Error(`ca ${argv.join(' ')} exited ${code}:\n${stderr}`))));
  });
}

// As `ca sandbox` starts them (same seeds and sizes), plus latency on every request and Square's rate.
const lightspeed = await startLightspeedSandbox({ seed: 42, customers, historyDays: 365, currency: 'USD' });
const square = await startSquareSandbox({ seed: 43, customers: Math.round(customers / 3), historyDays: 365, currency: 'USD', locations, rateLimitPerSecond: squareRate });
for (const sandbox of [lightspeed, square]) sandbox.control.addFault({ kind: 'latency', ms: latencyMs, count: -1 });
const env = {
  lightspeed: { LIGHTSPEED_BASE_URL: lightspeed.url, LIGHTSPEED_TOKEN: lightspeed.token },
  square: { SQUARE_BASE_URL: square.url, SQUARE_ACCESS_TOKEN: square.token },
};
const dirs = [];

async function measure(label, runEnv, config) {
  const dir = await mkdtemp(join(tmpdir(), 'ca-bench-concurrency-'));
  dirs.push(dir);
  if (config) await writeFile(join(dir, 'ca.config.json'), JSON.stringify(config));
  const before = { lightspeed: lightspeed.control.stats(), square: square.control.stats() };
  const started = performance.now();
  await runCa(['update'], dir, runEnv);
  const seconds = (performance.now() - started) / 1000;
  const runs = (await readFile(join(dir, 'data', 'runs.ndjson'), 'utf8')).trim().split('\n');
  const fetchSeconds = JSON.parse(runs.at(-1)).counts.fetch_ms / 1000;
  const after = { lightspeed: lightspeed.control.stats(), square: square.control.stats() };
  const delta = (source, key) => after[source][key] - before[source][key];
  const result = {
    label,
    seconds,
    fetchSeconds,
    lightspeed: { requests: delta('lightspeed', 'requests'), rateLimited: delta('lightspeed', 'rateLimited') },
    square: { requests: delta('square', 'requests'), rateLimited: delta('square', 'rateLimited') },
  };
  const share = (s) => (s.requests === 0 ? '' : `${s.requests} requests, ${s.rateLimited} 429 (${((100 * s.rateLimited) / s.requests).toFixed(2)} %)`);
  console.log(`  ${label.padEnd(40)} fetch ${fetchSeconds.toFixed(1).padStart(6)} s  (update ${seconds.toFixed(1).padStart(6)} s)   ${[share(result.lightspeed) && `lightspeed ${share(result.lightspeed)}`, share(result.square) && `square ${share(result.square)}`].filter(Boolean).join('; ')}`);
  return result;
}

let failed = false;
try {
  console.log(
    `first \`ca update\` of a workspace, ${latencyMs} ms latency per request, Square 429 above ${squareRate} requests/s, ` +
      `${square.control.stats().records.locations} Square locations; Lightspeed ${lightspeed.control.records('sales').length} sales, ` +
      `Square ${square.control.stats().records.payments} payments, ${square.control.stats().records.bookings} bookings`,
  );
  const lightspeedAlone = await measure('Lightspeed alone', env.lightspeed);
  const squareAlone = await measure('Square alone', env.square);
  const squareSequential = await measure('Square alone, locations one at a time', env.square, { square: { locationConcurrency: 1 } });
  const both = await measure('both sources in one update (concurrent)', { ...env.lightspeed, ...env.square });
  const sum = lightspeedAlone.fetchSeconds + squareAlone.fetchSeconds;
  const slower = Math.max(lightspeedAlone.fetchSeconds, squareAlone.fetchSeconds);
  console.log(`\n  fetch phase: both at once ${both.fetchSeconds.toFixed(1)} s; each alone: sum ${sum.toFixed(1)} s, slower ${slower.toFixed(1)} s -> ${(both.fetchSeconds / sum * 100).toFixed(0)} % of the sum, ${(both.fetchSeconds / slower).toFixed(2)}x the slower`);
  console.log(`  Square's locations at once: fetch ${squareAlone.fetchSeconds.toFixed(1)} s against ${squareSequential.fetchSeconds.toFixed(1)} s one at a time`);
  console.log('  (whole updates also compute and merge once, whatever the sources: see the update times above)');
  for (const run of [lightspeedAlone, squareAlone, squareSequential, both]) {
    for (const source of ['lightspeed', 'square']) {
      const s = run[source];
      if (s.requests > 0 && s.rateLimited / s.requests >= 0.01) failed = true;
    }
  }
  console.log(`\n  429s ${failed ? 'reached 1 % or more in a run: NOT met' : 'under 1 % of requests in every run: met'}`);
  process.exitCode = failed ? 1 : 0;
} finally {
  await Promise.all([lightspeed.close(), square.close()]);
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}
