/**
 * Manners a command-line tool is judged by (issue 16 §3), through the real binary: one line and a
 * documented exit code instead of a stack trace, file-system errors that name the path and the cause,
 * no empty master from an empty folder, not-found as its own exit code, an Excel workbook named as such,
 * a stray quote rejecting only its row, validated numbers and dates, ranged daily reports in files of
 * their own, a name that does not resolve failing at once, and no progress line when piped.
 */
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { appendFile, chmod, cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CA, cleanEnv, readCsv, removeDir, runCa, tempDir, type RunResult } from '../helpers/cli.js';

const AS_OF = '--as-of=2025-06-30T12:00:00Z';

/** One `ca: …` line, at most a `hint: …` line after it, and nothing that looks like a Node stack. */
function expectOneLine(run: RunResult): void {
  const lines = run.stderr.trim().split('\n');
  expect(lines[0], run.stderr).toMatch(/^ca: /);
  expect(lines.length, run.stderr).toBeLessThanOrEqual(2);
  if (lines[1] !== undefined) expect(lines[1]).toMatch(/^hint: /);
  expect(run.stderr).not.toMatch(/^\s+at |node:internal|node:events|Unhandled 'error' event|unexpected error/m);
}

const dirs: string[] = [];
async function folder(): Promise<string> {
  const dir = await tempDir('ca-manners-');
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of dirs) {
    await chmod(dir, 0o700).catch(() => {});
    await removeDir(dir);
  }
});

const EXPORT = [
  'order_id,ordered_at,customer_id,email,first_name,last_name,phone,order_total,status,currency,location,source',
  '1001,2025-03-01T10:15:00Z,C1,ann@example.com,Ann,Lee,,25.50,completed,USD,Web,',
  '1002,2025-04-02T09:00:00Z,C1,ann@example.com,Ann,Lee,,14.25,completed,USD,Web,',
  '1003,2025-05-03T11:30:00Z,C2,bo@example.com,Bo,Berg,,40.00,completed,USD,Web,',
  '1004,2025-06-10T12:00:00Z,C3,dirk@example.com,Dirk "DJ",Jansen,,12.00,completed,USD,Web,',
  '1005,2025-06-20T16:45:00Z,C2,bo@example.com,Bo,Berg,,9.99,completed,USD,Web,',
].join('\r\n');

describe('no raw Node stack trace, ever', () => {
  let empty: string;
  beforeAll(async () => {
    empty = await folder();
  });

  it.each([['stats'], ['check'], ['customer', 'ann@example.com']])('ca %s in a folder with no master: one line, exit 6', async (...args) => {
    const run = await runCa(args, { cwd: empty });
    expect(run.code).toBe(6);
    expectOneLine(run);
    expect(run.stderr).toContain(`no master at ${join(empty, 'data', 'customer_analytics_master.csv')}`);
  });

  it('ca --data-dir=/nonexistent stats: one line naming the path, exit 6', async () => {
    const missing = join(empty, 'nonexistent');
    const run = await runCa([`--data-dir=${missing}`, 'stats'], { cwd: empty });
    expect(run.code).toBe(6);
    expectOneLine(run);
    expect(run.stderr).toContain(join(missing, 'customer_analytics_master.csv'));
  });

  it('ca sandbox --port on a busy port: one line naming the port, exit 2', async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const run = await runCa(['sandbox', '--port', String(port), '--customers', '5'], { cwd: empty });
      expect(run.code).toBe(2);
      expectOneLine(run);
      expect(run.stderr).toContain(`port ${port} on 127.0.0.1 is in use by another program (EADDRINUSE)`);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });
});

describe('file-system errors name the path and the cause, exit 11', () => {
  it('a data folder under a file (ENOTDIR)', async () => {
    const dir = await folder();
    await writeFile(join(dir, 'afile'), 'not a folder');
    const run = await runCa(['--data-dir', 'afile/data', 'compute'], { cwd: dir });
    expect(run.code).toBe(11);
    expectOneLine(run);
    expect(run.stderr).toMatch(new RegExp(`^ca: ${join(dir, 'afile')}\\S*: a part of the path is a file, not a folder \\(ENOTDIR\\)`));
  });

  it('a folder the user may not write (EACCES), unless running as root where chmod stops nothing', async (context) => {
    const dir = await folder();
    const shop = join(dir, 'shop');
    await mkdir(shop);
    await chmod(shop, 0o500);
    const writable = await writeFile(join(shop, 'probe'), '').then(
      () => true,
      () => false,
    );
    if (writable) {
      context.skip();
      return;
    }
    const run = await runCa(['--workspace', shop, 'compute'], { cwd: dir });
    expect(run.code).toBe(11);
    expectOneLine(run);
    expect(run.stderr).toContain(`ca: ${join(shop, 'data')}: permission denied (EACCES)`);
  });

  it('a full disk (ENOSPC): stdout sent to /dev/full', async (context) => {
    if (!existsSync('/dev/full')) {
      context.skip();
      return;
    }
    const dir = await folder();
    const full = openSync('/dev/full', 'w');
    try {
      const run = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [CA, '--help'], { cwd: dir, env: cleanEnv(), stdio: ['ignore', full, 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk) => (stderr += chunk));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stderr }));
      });
      expect(run.code).toBe(11);
      expect(run.stderr.trim()).toBe('ca: standard output: no space left on the device (disk full) (ENOSPC)');
    } finally {
      closeSync(full);
    }
  });
});

describe('an empty folder', () => {
  it('ca compute && ca merge: an error, not a 0-customer master', async () => {
    const dir = await folder();
    const compute = await runCa(['compute'], { cwd: dir });
    expect(compute.code).toBe(10);
    expectOneLine(compute);
    expect(compute.stderr).toContain('nothing to compute: no customers, orders or bookings');
    const merge = await runCa(['merge'], { cwd: dir });
    expect(merge.code).toBe(8);
    expect(existsSync(join(dir, 'data', 'customer_analytics_master.csv'))).toBe(false);
    const model = await runCa(['report', 'model'], { cwd: dir });
    expect(model.code).toBe(10);
    expectOneLine(model);
  });
});

describe('one shop built from an export', () => {
  let dir: string;
  let importRun: RunResult;
  beforeAll(async () => {
    dir = await folder();
    await writeFile(join(dir, 'orders.csv'), EXPORT);
    importRun = await runCa(['import', 'ecom', 'orders.csv', '--mapping', 'generic', AS_OF], { cwd: dir });
    for (const step of ['compute', 'merge']) {
      const run = await runCa([step, AS_OF], { cwd: dir });
      if (run.code !== 0) throw new Error(`${step}: ${run.stderr}`);
    }
  });

  it('a stray quote in an unquoted field rejects that row with its line, counted; the others are imported', async () => {
    expect(importRun.code, importRun.stderr).toBe(0);
    expect(importRun.stderr).toMatch(/5 rows read, 4 orders taken \(0 lines grouped\), 1 rows rejected -> /);
    const [rejectsName] = await readdir(join(dir, 'data', 'rejects'));
    const rejects = await readCsv(join(dir, 'data', 'rejects', rejectsName));
    expect(rejects.map((r) => [r.line, r.field])).toEqual([['5', 'first_name']]);
    expect(rejects[0].reason).toContain('a quote in a field not enclosed in quotes (Dirk "DJ")');
    expect(rejects[0].raw).toContain('1004,');
    const master = await readCsv(join(dir, 'data', 'customer_analytics_master.csv'));
    expect(master.map((r) => r.email).sort()).toEqual(['ann@example.com', 'bo@example.com']);
  });

  it('only a quote that is never closed refuses the file', async () => {
    await writeFile(join(dir, 'open-quote.csv'), EXPORT.split('\r\n').slice(0, 3).join('\r\n') + '\r\n1009,2025-06-01T10:00:00Z,C9,"x@example.com,X,Y,,1.00,completed,USD,Web,\r\n');
    const run = await runCa(['import', 'ecom', 'open-quote.csv', '--mapping', 'generic'], { cwd: dir });
    expect(run.code).toBe(6);
    expect(run.stderr).toContain('a quote opened after line 3 is never closed');
  });

  it('an Excel workbook is named as such, with the fix, not called Windows-1252', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('orders').addRow(['order_id', 'ordered_at', 'order_total', 'currency']);
    await book.xlsx.writeFile(join(dir, 'orders.xlsx'));
    expect((await readFile(join(dir, 'orders.xlsx'))).subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))).toBe(true);
    const run = await runCa(['import', 'ecom', 'orders.xlsx', '--mapping', 'generic'], { cwd: dir });
    expect(run.code).toBe(6);
    expectOneLine(run);
    expect(run.stderr).toContain('the file is an Excel workbook (.xlsx, a zip archive), not a CSV file');
    expect(run.stderr).toContain('"CSV UTF-8 (comma delimited)"');
    expect(run.stderr).not.toMatch(/1252/);
  });

  it('ca customer: an unknown customer is exit 10; --json numbers are JSON numbers', async () => {
    const unknown = await runCa(['customer', 'nobody@example.com'], { cwd: dir });
    expect(unknown.code).toBe(10);
    expectOneLine(unknown);
    const found = await runCa(['customer', 'ann@example.com', '--json', AS_OF], { cwd: dir });
    expect(found.code, found.stderr).toBe(0);
    const [view] = JSON.parse(found.stdout) as { row: Record<string, unknown>; history: { amount: unknown }[] }[];
    expect(view.row).toMatchObject({ email: 'ann@example.com', orders_count: 2, net_revenue: 39.75, is_repeat_customer: true, next_booking_at: '' });
    expect(view.row.p_alive === null || typeof view.row.p_alive === 'number').toBe(true);
    expect(view.row.accepted_bookings).toBe(0);
    expect(view.history.map((e) => e.amount)).toEqual([25.5, 14.25]);
  });

  it('a damaged master read back (stats, report, customer, check): the file and line, not a wrong number', async () => {
    const copy = await folder();
    await cp(dir, copy, { recursive: true });
    const master = join(copy, 'data', 'customer_analytics_master.csv');
    const columns = (await readFile(master, 'utf8')).split('\r\n')[0].split(',').length;
    await appendFile(master, 'x,y,z\r\n');
    for (const args of [['stats'], ['report', 'html'], ['customer', 'ann@example.com']]) {
      const run = await runCa(args, { cwd: copy });
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(6);
      expectOneLine(run);
      expect(run.stderr).toContain(`${master}: line 4: 3 fields where the header has ${columns}`);
    }
    const check = await runCa(['check'], { cwd: copy });
    expect(check.code).not.toBe(0);
    expect(check.stdout).toMatch(/FAIL +master parses/);
    expect(check.stdout).toContain(`line 4: 3 fields where the header has ${columns}`);
  });

  it('ca report daily --from/--to writes a file named for its range and leaves the nightly report alone', async () => {
    const nightly = join(dir, 'data', 'reports', 'daily_by_location.csv');
    const before = await readFile(nightly);
    const run = await runCa(['report', 'daily', '--from', '2025-04-01', '--to', '2025-05-31'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const ranged = join(dir, 'data', 'reports', 'daily_by_location_2025-04-01_2025-05-31.csv');
    expect(run.stderr).toContain(`wrote ${ranged}`);
    expect((await readCsv(ranged)).map((r) => r.date)).toEqual(['2025-04-02', '2025-05-03']);
    expect((await readFile(nightly)).equals(before)).toBe(true);
    expect((await readCsv(nightly)).length).toBe(4);

    const open = await runCa(['report', 'daily', '--from', '2025-06-01'], { cwd: dir });
    expect(open.code, open.stderr).toBe(0);
    expect((await readCsv(join(dir, 'data', 'reports', 'daily_by_location_2025-06-01_end.csv'))).map((r) => r.date)).toEqual(['2025-06-20']);

    const reversed = await runCa(['report', 'daily', '--from', '2025-05-31', '--to', '2025-04-01'], { cwd: dir });
    expect(reversed.code).toBe(2);
    expectOneLine(reversed);
    expect(reversed.stderr).toContain('--from 2025-05-31 is after --to 2025-04-01');
    expect((await runCa(['report', 'daily', '--to', '2025-02-30'], { cwd: dir })).code).toBe(2);
  });

  it('prints no progress line when stderr is not a terminal', () => {
    expect(importRun.stderr).not.toMatch(/\r|\u001b/);
  });

  it('compute and merge on a terminal draw a progress line and erase it (util-linux script gives them a pty)', async (context) => {
    const script = ['/usr/bin/script', '/bin/script'].find((p) => existsSync(p));
    if (!script) {
      context.skip();
      return;
    }
    for (const [step, phase] of [['compute', 'compute: reading the cache'], ['merge', 'merge: writing the master (2 customers)']]) {
      const output = await new Promise<string>((resolve, reject) => {
        const command = [process.execPath, CA, step, AS_OF].map((a) => `'${a}'`).join(' ');
        const child = spawn(script, ['-qec', command, '/dev/null'], { cwd: dir, env: cleanEnv({ TERM: 'dumb' }), stdio: ['ignore', 'pipe', 'pipe'] });
        let text = '';
        child.stdout.on('data', (chunk) => (text += chunk));
        child.stderr.on('data', (chunk) => (text += chunk));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`${step} exited ${code}: ${text}`))));
      });
      expect(output).toContain(`\r${phase}\u001b[K`);
      // Erased before the summary line, which stands alone.
      expect(output).toMatch(/\r\u001b\[K(computed|wrote) /);
    }
  });

  it('compute and merge, piped, print their summary lines and no progress', async () => {
    const compute = await runCa(['compute', AS_OF], { cwd: dir });
    const merge = await runCa(['merge', AS_OF], { cwd: dir });
    expect(compute.code, compute.stderr).toBe(0);
    expect(merge.code, merge.stderr).toBe(0);
    expect(compute.stderr + merge.stderr).not.toMatch(/\r|\u001b/);
    expect(merge.stderr).toContain('wrote ');
  });
});

describe('numbers and dates on the command line', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await folder();
  });

  it('refuses an --as-of in the future unless --allow-future', async () => {
    const future = `--as-of=${new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10)}`;
    const refused = await runCa(['status', future], { cwd: dir });
    expect(refused.code).toBe(2);
    expectOneLine(refused);
    expect(refused.stderr).toMatch(/--as-of: \S+ is in the future/);
    expect(refused.stderr).toContain('--allow-future');
    const allowed = await runCa(['status', future, '--allow-future', '--json'], { cwd: dir });
    expect(allowed.stderr).not.toContain('in the future');
    // Today's date alone is not the future: it means now.
    const today = await runCa(['status', `--as-of=${new Date().toISOString().slice(0, 10)}`, '--json'], { cwd: dir });
    expect(today.stderr).not.toContain('in the future');
  });

  it.each([
    [['update', '--days=1.5'], '--days: "1.5" is not a whole number'],
    [['update', '--days=abc'], '--days: "abc" is not a whole number'],
    [['fetch', 'square', '--days=0'], '--days: "0" is not a whole number'],
    [['demo', '--customers=2k'], '--customers: "2k" is not a whole number'],
    [['demo', '--customers=-5'], '--customers: "-5" is not a whole number'],
    [['sandbox', '--customers=1e3'], '--customers: "1e3" is not a whole number'],
    [['sandbox', '--port=70000'], '--port: "70000" is not a whole number from 1 to 65534'],
    [['sandbox', '--history-days=0.5'], '--history-days: "0.5" is not a whole number'],
  ])('%j is refused with the option named, exit 2', async (args, message) => {
    const run = await runCa(args, { cwd: dir, env: { SQUARE_ACCESS_TOKEN: 'x' } });
    expect(run.code).toBe(2);
    expectOneLine(run);
    expect(run.stderr).toContain(message);
    expect(await readdir(dir)).toEqual([]);
  });

  it('--help says what a bare-date --as-of means', async () => {
    for (const args of [['--help'], ['compute', '--help'], ['stats', '--help']]) {
      const run = await runCa(args, { cwd: dir });
      expect(run.code).toBe(0);
      expect(run.stdout.replace(/\s+/g, ' ')).toContain('a date alone (2025-06-30) means the end of that UTC day, 23:59:59Z');
    }
  });
});

describe('a Lightspeed host that does not resolve', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await folder();
  });

  it('a mistyped domain prefix: one line naming the host and the variable, no retries', async (context) => {
    const prefix = `ca-test-no-such-shop-${process.pid}`;
    const run = await runCa(['fetch', 'lightspeed', '--verbose'], { cwd: dir, env: { LIGHTSPEED_TOKEN: 'lstoken-not-real', LIGHTSPEED_DOMAIN_PREFIX: prefix } });
    // On a machine with internet access, a wildcard DNS record could make any prefix resolve; the
    // vendor then refuses the token (exit 3). Only that case is skipped: the .invalid test below holds anywhere.
    if (run.code === 3 && !run.stderr.includes('(DNS: ')) {
      context.skip();
      return;
    }
    expect(run.code, run.stderr).toBe(2);
    const errors = run.stderr.split('\n').filter((l) => l.startsWith('ca: '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`the host ${prefix}.retail.lightspeed.app does not exist (DNS: ENOTFOUND); check LIGHTSPEED_DOMAIN_PREFIX ("${prefix}"`);
    expect(run.stderr).not.toMatch(/retry/);
    expect(run.stderr).not.toContain('lstoken-not-real');
  });

  it('a base URL on a name that cannot exist (.invalid): names LIGHTSPEED_BASE_URL', async () => {
    const run = await runCa(['fetch', 'lightspeed', '--verbose'], { cwd: dir, env: { LIGHTSPEED_TOKEN: 'x', LIGHTSPEED_BASE_URL: 'https://shop.invalid' } });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('ca: the host shop.invalid does not exist (DNS: ENOTFOUND); check LIGHTSPEED_BASE_URL');
    expect(run.stderr).not.toMatch(/retry/);
  });

  it('a prefix given as a URL: refused before any request, with the prefix to set', async () => {
    const run = await runCa(['fetch', 'lightspeed'], {
      cwd: dir,
      env: { LIGHTSPEED_TOKEN: 'x', LIGHTSPEED_DOMAIN_PREFIX: 'https://mystore.retail.lightspeed.app/' },
    });
    expect(run.code).toBe(2);
    expectOneLine(run);
    expect(run.stderr).toContain('ca: LIGHTSPEED_DOMAIN_PREFIX is "https://mystore.retail.lightspeed.app/": it takes the store prefix alone');
    expect(run.stderr).toContain('hint: set LIGHTSPEED_DOMAIN_PREFIX=mystore');
  });
});
