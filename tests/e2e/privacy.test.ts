/**
 * Customer data is its owner's only: started under `umask 000` (the most permissive there is), every
 * folder and file a run makes in a new workspace (cache, state, logs, rejects, master and workbooks,
 * archive, reports, the kept e-commerce export, the timestamp, the workspace folder itself) is 0700 or
 * 0600. `ca check` warns, without failing, when something in the workspace is open to others.
 */
import { spawn } from 'node:child_process';
import { chmod, copyFile, lstat, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLightspeedSandbox, type LightspeedSandbox } from '../../src/sandbox/lightspeed/index.js';
import { startSquareSandbox, type SquareSandbox } from '../../src/sandbox/square/index.js';
import { CA, cleanEnv, REPO, removeDir, runCa, tempDir, type RunResult } from '../helpers/cli.js';
import { writeTestConfig } from '../helpers/config.js';

const FIXTURES = join(REPO, 'tests', 'fixtures', 'e2e');

let lightspeed: LightspeedSandbox;
let square: SquareSandbox;
let root: string;

beforeAll(async () => {
  lightspeed = await startLightspeedSandbox({ seed: 161, customers: 40, historyDays: 30, salesPerDay: 5, currency: 'USD' });
  square = await startSquareSandbox({ seed: 162, customers: 30, historyDays: 30, bookingsPerDay: 2, currency: 'USD', searchLagMs: 0, paymentLagMs: 0 });
  root = await tempDir('ca-privacy-');
});

afterAll(async () => {
  await Promise.all([lightspeed?.close(), square?.close()]);
  await removeDir(root);
});

const env = () => ({
  LIGHTSPEED_TOKEN: lightspeed.token,
  LIGHTSPEED_BASE_URL: lightspeed.url,
  SQUARE_ACCESS_TOKEN: square.token,
  SQUARE_BASE_URL: square.url,
});

/** `ca ARGS` started by a shell whose umask is 000. */
function underUmask000(args: string[]): Promise<RunResult> {
  const quoted = [process.execPath, CA, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', `umask 000; exec ${quoted}`], { cwd: root, env: cleanEnv(env()), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Every path under `dir` with its permission bits. */
async function modes(dir: string): Promise<Map<string, { mode: number; directory: boolean }>> {
  const out = new Map<string, { mode: number; directory: boolean }>();
  const visit = async (path: string) => {
    const info = await lstat(path);
    out.set(path, { mode: info.mode & 0o777, directory: info.isDirectory() });
    if (info.isDirectory()) for (const entry of await readdir(path)) await visit(join(path, entry));
  };
  await visit(dir);
  return out;
}

describe('a workspace is readable by its owner only', () => {
  it('under umask 000, every folder a run makes is 0700 and every file 0600', async () => {
    // The shop's own inputs (the user's files, not ca's), in a folder of their own.
    const inputs = join(root, 'inputs');
    await mkdir(inputs);
    await copyFile(join(FIXTURES, 'webshop.csv'), join(inputs, 'orders.csv'));
    await copyFile(join(FIXTURES, 'webshop.mapping.json'), join(inputs, 'webshop.mapping.json'));
    const config = await writeTestConfig(inputs, { ecom: { file: join(inputs, 'orders.csv'), mapping: join(inputs, 'webshop.mapping.json') } });
    // The config is the user's file, which `ca check` looks at too: theirs to keep private.
    await chmod(config, 0o600);

    // A new workspace: ca makes the folder itself. Two updates (the second archives the first master),
    // the reports, and a second import that rejects a row.
    const shop = join(root, 'shop');
    for (const args of [
      ['--workspace', shop, '--config', config, 'update'],
      ['--workspace', shop, '--config', config, 'report', 'html'],
      ['--workspace', shop, '--config', config, 'report', 'daily'],
      ['--workspace', shop, '--config', config, 'report', 'cohorts'],
    ]) {
      const run = await underUmask000(args);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
    }
    lightspeed.control.advance(1);
    await writeFile(join(inputs, 'orders.csv'), (await readFile(join(FIXTURES, 'webshop.csv'), 'utf8')) + 'A-99;not a date;C9;x@example.nl;X;Y;;1,00;completed;EUR;\n');
    const again = await underUmask000(['--workspace', shop, '--config', config, 'update']);
    expect(again.code, again.stderr).toBe(0);

    const found = await modes(shop);
    const paths = [...found.keys()].map((p) => p.slice(shop.length + 1));
    // What the run is expected to have written: each kind of file is there to be checked.
    for (const expected of [
      '.last_update_timestamp',
      'data/customer_analytics_master.csv',
      'data/customer_analytics_master.xlsx',
      'data/first_time_buyers.csv',
      'data/runs.ndjson',
      'data/ecom_orders_export.csv',
      'data/cache/freshness.json',
      'data/cache/lightspeed/state.json',
      'data/cache/lightspeed/orders.col',
      'data/cache/square/state.json',
      'data/cache/ecom/orders.col',
    ]) {
      expect(paths).toContain(expected);
    }
    for (const prefix of ['archive/', 'data/reports/', 'data/rejects/']) expect(paths.some((p) => p.startsWith(prefix)), prefix).toBe(true);
    const wrong = [...found].filter(([, f]) => f.mode !== (f.directory ? 0o700 : 0o600)).map(([p, f]) => `${p} ${f.mode.toString(8)}`);
    expect(wrong).toEqual([]);
    expect(found.size).toBeGreaterThan(30);

    // `ca check` says nothing about access: everything is the owner's.
    const check = await runCa(['--workspace', shop, '--config', config, 'check'], { cwd: root });
    expect(check.code, check.stderr).toBe(0);
    expect(check.stderr).not.toContain('readable by others');
  });

  it('ca check warns (and still passes) when files of the workspace are open to others', async () => {
    const shop = join(root, 'shop');
    const config = join(root, 'inputs', 'ca.config.json');
    await chmod(join(shop, 'data'), 0o755);
    await chmod(join(shop, 'data', 'customer_analytics_master.csv'), 0o644);
    await writeFile(join(shop, 'ca.env'), `LIGHTSPEED_TOKEN='${lightspeed.token}'\n`, { mode: 0o644 });
    await chmod(join(shop, 'ca.env'), 0o644);
    const check = await runCa(['--workspace', shop, '--config', config, 'check'], { cwd: root });
    expect(check.code, check.stderr).toBe(0);
    expect(check.stderr).toContain(`warning: the workspace is readable by others: 3 file(s) or folder(s) give group or other users access, e.g. ${join(shop, 'ca.env')} (0644), ${join(shop, 'data')} (0755), ${join(shop, 'data', 'customer_analytics_master.csv')} (0644)`);
    expect(check.stderr).toContain(`chmod -R go= ${join(shop, 'data')}`);
    const json = await runCa(['--json', '--workspace', shop, '--config', config, 'check'], { cwd: root });
    expect((JSON.parse(json.stdout) as { warnings: string[] }).warnings.some((w) => w.startsWith('the workspace is readable by others: 3 '))).toBe(true);
  });
});
