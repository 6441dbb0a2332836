#!/usr/bin/env node
/**
 * Peak memory of `ca import ecom` (the real binary, GNU time or the process's own maxRSS) on generated
 * order-level exports, for the two claims of docs/guarantees.md ("Hostile exports"): memory depends
 * neither on the size of the file (50 MB and 200 MB exports of the same 100 000 orders peak alike) nor
 * on the number of orders (800 000 orders peak like 100 000 in files of the same size), and stays
 * under 320 MB. Every 25 000th row (from the 8th) has a total that is not a number: the summary and the
 * rejects file must account for each, or the run exits 1. Memory is reported against the bound and the
 * "alike" rule (the larger at most 15 % + 30 MB above the smaller), and the exit code says whether both
 * held. These were tests (tests/faults/ecomScale.test.ts, about three minutes) until issue 14.
 *
 *   npm run build && node bench/ecom-memory.mjs        (also part of `npm run bench`: --only=ecommemory)
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

const root = fileURLToPath(new URL('..', import.meta.url));
const ca = join(root, 'bin', 'ca');
const MB = 1024 * 1024;
const BOUND_KB = 320 * 1024;
const alike = (smallKb) => smallKb * 1.15 + 30 * 1024;

/** An export of `orders` rows padded to about `megabytes` with a quoted free-text column the mapping does not use. */
async function writeExport(path, megabytes, orders) {
  const header = 'order_id,ordered_at,customer_id,email,first_name,last_name,order_total,currency,status,notes\r\n';
  const otherFields = 115;
  const noteLength = Math.max(1, Math.round((megabytes * MB) / orders) - otherFields);
  let note = '';
  while (note.length < noteLength) note += 'Gift wrap, please; "fragile" glass, leave at the door. ';
  const noteCell = `"${note.slice(0, noteLength).replace(/"/g, '""')}"`;
  const out = createWriteStream(path);
  out.write(header);
  const bad = [];
  const start = Date.parse('2024-01-01T00:00:00Z');
  for (let i = 0; i < orders; ) {
    let chunk = '';
    for (let k = 0; k < 2000 && i < orders; k++, i++) {
      const customer = i % 30_000;
      const at = new Date(start + i * 97_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const broken = i % 25_000 === 7;
      if (broken) bad.push(i + 2);
      const total = broken ? 'oops' : (10 + (i % 9000) / 100).toFixed(2);
      chunk += `O${i},${at},C${customer},user${customer}@example.com,First${customer % 97},Last${customer % 89},${total},USD,completed,${noteCell}\r\n`;
    }
    if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
  }
  out.end();
  await new Promise((resolve) => out.on('finish', resolve));
  return bad;
}

/** Runs `ca` and reports its peak resident memory in kB. */
function runMeasured(args, cwd) {
  const marker = 'CA_BENCH_MAXRSS_KB=';
  const useTime = existsSync('/usr/bin/time');
  const argv = useTime
    ? ['-f', `${marker}%M`, process.execPath, ca, ...args]
    : [
        '--input-type=module',
        '-e',
        `process.on('exit', () => process.stderr.write('\\n${marker}' + process.resourceUsage().maxRSS + '\\n'));` +
          `process.argv = [process.argv[0], ${JSON.stringify(ca)}, ...${JSON.stringify(args)}]; await import(${JSON.stringify('file://' + join(root, 'dist', 'cli', 'main.js'))}).then(async (m) => { process.exitCode = await m.main(process.argv); });`,
      ];
  return new Promise((resolve, reject) => {
    const child = spawn(useTime ? '/usr/bin/time' : process.execPath, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const match = new RegExp(`${marker}(\\d+)`).exec(stderr);
      resolve({ code, stdout, stderr, maxRssKb: match ? Number(match[1]) : NaN });
    });
  });
}

let accountedFor = true;

async function importAndMeasure(megabytes, orders) {
  const dir = await mkdtemp(join(tmpdir(), 'ca-bench-ecom-'));
  try {
    await writeFile(join(dir, 'ca.config.json'), '{}');
    const file = join(dir, 'orders.csv');
    const bad = await writeExport(file, megabytes, orders);
    const started = performance.now();
    const run = await runMeasured(['import', 'ecom', file, '--mapping', 'generic', '--json'], dir);
    const seconds = (performance.now() - started) / 1000;
    if (run.code !== 0) throw new Error(`ca import ecom exited ${run.code}: ${run.stderr}`);
    const summary = JSON.parse(run.stdout);
    const rejects = parse(await readFile(summary.rejectsFile), { bom: true, columns: true });
    const ok =
      summary.rowsRead === orders &&
      summary.ordersTaken === orders - bad.length &&
      summary.linesGrouped === 0 &&
      summary.rowsRejected === bad.length &&
      rejects.map((r) => Number(r.line)).join() === bad.join() &&
      rejects.every((r) => r.raw.startsWith(`O${Number(r.line) - 2},`));
    if (!ok) {
      accountedFor = false;
      console.log(`  ${megabytes} MB / ${orders} orders: the summary or the rejects file does not account for every row`);
    }
    return { bytes: (await stat(file)).size, maxRssKb: run.maxRssKb, seconds };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const mb = (kb) => `${Math.round(kb / 1024)} MB`;
const line = (label, r) => console.log(`  ${label.padEnd(34)} file ${String(Math.round(r.bytes / MB)).padStart(4)} MB  peak ${mb(r.maxRssKb).padStart(7)}  ${r.seconds.toFixed(1)} s`);

console.log('memory does not grow with the file (100 000 orders)');
const small = await importAndMeasure(50, 100_000);
const large = await importAndMeasure(200, 100_000);
line('50 MB export', small);
line('200 MB export', large);
const fileRule = large.maxRssKb < alike(small.maxRssKb);
console.log(`  larger / smaller peak: ${(large.maxRssKb / small.maxRssKb).toFixed(2)} -> ${fileRule ? 'alike' : 'NOT alike'}`);

console.log('memory does not grow with the number of orders (80 MB files)');
const few = await importAndMeasure(80, 100_000);
const many = await importAndMeasure(80, 800_000);
line('100 000 orders', few);
line('800 000 orders', many);
const orderRule = many.maxRssKb < alike(few.maxRssKb);
console.log(`  more / fewer orders peak: ${(many.maxRssKb / few.maxRssKb).toFixed(2)} -> ${orderRule ? 'alike' : 'NOT alike'}`);

const peak = Math.max(small.maxRssKb, large.maxRssKb, few.maxRssKb, many.maxRssKb);
const bounded = peak < BOUND_KB;
console.log(`highest peak ${mb(peak)} against the bound of ${mb(BOUND_KB)} -> ${bounded ? 'met' : 'NOT met'}`);
process.exitCode = accountedFor && fileRule && orderRule && bounded ? 0 : 1;
