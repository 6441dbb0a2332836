#!/usr/bin/env node
/**
 * E-commerce import benchmark: peak memory and speed of the real binary's `ca import ecom` on large
 * generated exports, to show that memory stays flat as the file grows.
 *
 *   npm run build && npm run bench:import -- [size MB …] [--seed=1]      (default sizes: 100 400 1000)
 *
 * For each size (MB = 10^6 bytes) a line-level orders export in the `generic` preset's columns is
 * generated into bench/out/import-ecom/ (kept and reused on later runs: the name holds size and seed),
 * then imported twice into a fresh data folder under GNU time: a first import, and a re-import of the
 * same file, which must write nothing. Prints wall time, rows/s, MB/s and peak RSS (MiB) of both, the
 * peak RSS per 1000 orders, and the largest file's peak RSS against the smallest's. Exits 1 when the
 * summary does not account for the generated rows (rowsRead = ordersTaken + linesGrouped +
 * rowsRejected, every generated order and customer taken, nothing rejected) or the re-import wrote
 * something; speed and memory are only reported.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'bench', 'out', 'import-ecom');
const ca = join(root, 'bin', 'ca');
const argv = process.argv.slice(2);
const seed = Number(argv.find((a) => a.startsWith('--seed='))?.slice('--seed='.length) ?? 1);
const positional = argv.filter((a) => !a.startsWith('--')).map(Number);
const sizes = (positional.length > 0 ? positional : [100, 400, 1000]).sort((a, b) => a - b);
const hasGnuTime = existsSync('/usr/bin/time');

const HEADER = 'order_id,ordered_at,customer_id,email,first_name,last_name,phone,order_total,line_total,currency,status,notes\n';
const ROW_BYTES = 250;
const LINES_PER_ORDER = 2.5;
// Every file spans the same two years, so order gaps shrink as files grow.
const FIRST_ORDER = Date.parse('2023-01-01T00:00:00Z');
const SPAN_MS = 2 * 365 * 86_400_000;
const FIRST_NAMES = ['Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Lucas', 'Mia', 'Sven', 'Zoë', 'José', 'Anouk', 'Daan', 'Chloé', 'Mohammed', 'Yuki', 'Grace'];
const LAST_NAMES = ['Smith', 'de Vries', 'Jansen', 'García', 'Müller', "O'Brien", 'Nguyen', 'Bakker', 'Dubois', 'Kowalski', 'Rossi', 'Visser', 'Silva', 'Tanaka', 'Brown'];
const WORDS = ['please', 'leave', 'the', 'parcel', 'at', 'back door', 'gift wrap,', 'no invoice', 'call before delivery,', 'fragile', 'second floor', 'neighbour', 'thanks!', 'birthday', 'ring twice', 'urgent,', 'same as last time', 'size M', 'blue', 'exchange'];
const CURRENCIES = ['USD', 'USD', 'USD', 'USD', 'USD', 'USD', 'USD', 'EUR', 'EUR', 'CAD'];

/** sfc32: a small seeded generator, so the same seed gives the same file byte for byte. */
function prng(a) {
  let b = 0x9e3779b9;
  let c = 0x243f6a88;
  let d = 0xb7e15162;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4_294_967_296;
  };
  for (let i = 0; i < 16; i++) next();
  return next;
}

const pick = (random, list) => list[Math.floor(random() * list.length)];
const money = (cents) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
const isoSeconds = (ms) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
const csvQuote = (text) => `"${text.replaceAll('"', '""')}"`;

/** A customer's contact data depends on the customer alone, so all of their orders agree. */
function customer(index) {
  const random = prng(seed * 1_000_003 + index);
  const first = pick(random, FIRST_NAMES);
  const last = pick(random, LAST_NAMES);
  const local = `${first}.${last}`.normalize('NFD').toLowerCase().replace(/[^a-z.]/g, '');
  const phone = random() < 0.8 ? `+1 555 ${String(Math.floor(random() * 10_000_000)).padStart(7, '0')}` : '';
  return { id: `C${String(index).padStart(7, '0')}`, email: `${local}.${index}@example.com`, first, last, phone };
}

function notes(random, length) {
  let text = pick(random, WORDS);
  while (text.length < length) text += (random() < 0.002 ? '\n' : ' ') + pick(random, WORDS);
  if (random() < 0.05) text += ' "asap"';
  return csvQuote(text.slice(0, length));
}

/** Streams the export to disk, one order at a time, until it reaches the target size. */
async function generate(path, targetBytes) {
  const random = prng(seed);
  const estimatedOrders = Math.max(1, targetBytes / (ROW_BYTES * LINES_PER_ORDER));
  const meanGapMs = SPAN_MS / estimatedOrders;
  const out = createWriteStream(path);
  let chunk = HEADER;
  // Bytes written plus those still in the chunk, counted per row: measuring the growing chunk would
  // flatten it on every order.
  let bytes = HEADER.length;
  let rows = 0;
  let orders = 0;
  let customers = 0;
  let guests = 0;
  let orderedAt = FIRST_ORDER;
  while (bytes < targetBytes) {
    orders++;
    orderedAt += Math.floor(random() * 2 * meanGapMs);
    // 1 in 5 orders is a guest; of the rest, 5 in 16 bring a new customer, so customers = orders / 4.
    let who;
    if (random() < 0.2) guests++;
    else if (customers === 0 || random() < 5 / 16) who = customer(++customers);
    else who = customer(1 + Math.floor(random() * customers));
    const lines = Array.from({ length: 1 + Math.floor(random() * 4) }, () => 500 + Math.floor(random() * 14_500));
    const total = money(lines.reduce((a, b) => a + b, 0) + (random() < 0.5 ? 495 : 0));
    const currency = pick(random, CURRENCIES);
    const status = random() < 0.06 ? 'cancelled' : 'completed';
    const id = String(1_000_000 + orders);
    const contact = who ? [who.id, who.email, who.first, who.last, who.phone] : ['', '', pick(random, FIRST_NAMES), pick(random, LAST_NAMES), ''];
    for (const line of lines) {
      const row = [id, isoSeconds(orderedAt), ...contact, total, money(line), currency, status].join(',');
      const width = ROW_BYTES - 40 + Math.floor(random() * 80);
      const text = `${row},${notes(random, Math.max(10, width - row.length - 4))}\n`;
      chunk += text;
      bytes += Buffer.byteLength(text);
      rows++;
    }
    if (chunk.length >= 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await finished(out);
  return { bytes, rows, orders, customers, guests };
}

/** The export for a size, generated once: the counts live next to it, the CSV is renamed in last. */
async function exportFor(mb) {
  const base = join(outDir, `orders-generic-${mb}MB-seed${seed}`);
  const file = `${base}.csv`;
  const metaFile = `${base}.json`;
  if (existsSync(file) && existsSync(metaFile)) {
    const meta = JSON.parse(await readFile(metaFile, 'utf8'));
    if ((await stat(file)).size === meta.bytes) return { file, ...meta, reused: true };
  }
  const started = performance.now();
  const meta = await generate(`${file}.partial`, mb * 1_000_000);
  await writeFile(metaFile, JSON.stringify(meta, null, 2));
  await rename(`${file}.partial`, file);
  console.log(`generated ${file}: ${meta.rows.toLocaleString('en')} rows, ${meta.orders.toLocaleString('en')} orders in ${fmt((performance.now() - started) / 1000)} s`);
  return { file, ...meta, reused: false };
}

/** "1:02:03.5" or "2:03.5" to seconds. */
function clockSeconds(text) {
  return text.split(':').reduce((sum, part) => sum * 60 + Number(part), 0);
}

function importOnce(file, dataDir, cwd) {
  const command = [ca, '--data-dir', dataDir, 'import', 'ecom', file, '--mapping', 'generic', '--json'];
  const started = performance.now();
  const run = hasGnuTime
    ? spawnSync('/usr/bin/time', ['-v', process.execPath, ...command], { cwd, encoding: 'utf8', maxBuffer: 1 << 26 })
    : spawnSync(process.execPath, command, { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
  const measured = (performance.now() - started) / 1000;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr);
  const wall = /Elapsed \(wall clock\) time[^:]*: ([\d:.]+)/.exec(run.stderr);
  let summary;
  try {
    summary = run.status === 0 ? JSON.parse(run.stdout) : undefined;
  } catch {
    summary = undefined;
  }
  return { status: run.status, stderr: run.stderr, summary, seconds: wall ? clockSeconds(wall[1]) : measured, peakKb: rss ? Number(rss[1]) : NaN };
}

const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '-');
const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en') : '-');

/** The summary's own accounting, and against what was generated; returns the failures. */
function accountingFailures(label, generated, s) {
  const failures = [];
  if (s.rowsRead !== s.ordersTaken + s.linesGrouped + s.rowsRejected) {
    failures.push(`${label}: rowsRead ${s.rowsRead} != ordersTaken ${s.ordersTaken} + linesGrouped ${s.linesGrouped} + rowsRejected ${s.rowsRejected}`);
  }
  if (s.ordersTaken !== generated.orders) failures.push(`${label}: ordersTaken ${s.ordersTaken}, generated ${generated.orders} orders`);
  if (s.rowsRead !== generated.rows) failures.push(`${label}: rowsRead ${s.rowsRead}, generated ${generated.rows} rows`);
  if (s.rowsRejected !== 0) failures.push(`${label}: ${s.rowsRejected} rows rejected from a clean file${s.rejectsFile ? ` (${s.rejectsFile})` : ''}`);
  if (s.customers !== generated.customers) failures.push(`${label}: customers ${s.customers}, generated ${generated.customers}`);
  return failures;
}

function measure(label, generated, run) {
  const failures = [];
  if (!run.summary) {
    const tail = run.stderr.split('\n').filter((l) => l && !/^\s/.test(l) && !l.startsWith('Command exited')).slice(-5);
    failures.push(`${label}: exit ${run.status}, no JSON summary${tail.length ? `: ${tail.join(' | ')}` : ''}`);
  } else failures.push(...accountingFailures(label, generated, run.summary));
  return {
    failures,
    seconds: run.seconds,
    rowsPerSecond: generated.rows / run.seconds,
    mbPerSecond: generated.bytes / 1e6 / run.seconds,
    peakMb: run.peakKb / 1024,
    kbPer1000Orders: run.peakKb / (generated.orders / 1000),
  };
}

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 4 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
if (sizes.length === 0 || sizes.some((mb) => !(mb > 0))) {
  console.error('usage: node bench/import-ecom.mjs [size MB …] [--seed=1]');
  process.exit(2);
}
if (!hasGnuTime) console.log('/usr/bin/time not found: wall time measured here, peak RSS not available');

await mkdir(outDir, { recursive: true });
const dataDirs = [];
const results = [];
const failures = [];
try {
  for (const mb of sizes) {
    const generated = await exportFor(mb);
    const dir = await mkdtemp(join(outDir, 'run-'));
    dataDirs.push(dir);
    const dataDir = join(dir, 'data');
    console.log(`importing ${mb} MB (${generated.rows.toLocaleString('en')} rows) …`);
    const first = measure(`${mb} MB first import`, generated, importOnce(generated.file, dataDir, dir));
    const second = importOnce(generated.file, dataDir, dir);
    const again = measure(`${mb} MB re-import`, generated, second);
    if (second.summary && (second.summary.ordersWritten !== 0 || second.summary.customersWritten !== 0)) {
      again.failures.push(`${mb} MB re-import: ordersWritten ${second.summary.ordersWritten}, customersWritten ${second.summary.customersWritten} (expected 0, 0)`);
    }
    for (const f of [...first.failures, ...again.failures]) console.log(`FAIL ${f}`);
    failures.push(...first.failures, ...again.failures);
    results.push({ mb, generated, first, again });
  }
} finally {
  for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
}

const rows = results.flatMap(({ mb, generated: g, first, again }) =>
  [
    ['first', first],
    ['re-import', again],
  ].map(([run, m]) => [mb, int(g.rows), int(g.orders), int(g.customers), run, fmt(m.seconds), int(m.rowsPerSecond), fmt(m.mbPerSecond, 2), fmt(m.peakMb, 0), fmt(m.kbPer1000Orders, 0)]),
);
console.log('\nca import ecom --mapping generic (real binary, GNU time)');
console.log(table(['size MB', 'rows', 'orders', 'customers', 'run', 'wall s', 'rows/s', 'MB/s', 'peak RSS MB', 'RSS KB/1000 orders'], rows));

if (results.length > 1) {
  const small = results[0];
  const large = results[results.length - 1];
  const ratio = (of) => fmt(of(large).peakMb / of(small).peakMb, 2);
  console.log(
    `\npeak RSS, largest (${large.mb} MB) / smallest (${small.mb} MB) for a ${fmt(large.generated.bytes / small.generated.bytes, 1)}x larger file: ` +
      `first import ${ratio((r) => r.first)}x, re-import ${ratio((r) => r.again)}x (flat memory: close to 1x)`,
  );
}
console.log(`\nexports kept for reuse:\n${results.map((r) => `  ${r.generated.file}${r.generated.reused ? ' (reused)' : ''}`).join('\n')}`);
if (failures.length > 0) console.log(`\n${failures.length} FAIL line${failures.length === 1 ? '' : 's'}`);
process.exitCode = failures.length > 0 ? 1 : 0;
