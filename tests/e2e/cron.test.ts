/**
 * The crontab recipes in docs/scheduling.md, run as written: each job's command line goes through
 * `bash -c` and `sh -c` (cron's default shell) with a cron-like environment, `ca` on the PATH as the
 * docs install it (a symlink to bin/ca), and env files that point at the sandboxes. The first recipe
 * runs one shop in /srv/analytics; the second several shops, one workspace each, under /srv/shops.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLightspeedSandbox, type LightspeedSandbox } from '../../src/sandbox/lightspeed/index.js';
import { startSquareSandbox, type SquareSandbox } from '../../src/sandbox/square/index.js';
import { CA, REPO, readCsv, removeDir, tempDir } from '../helpers/cli.js';
import { writeTestConfig } from '../helpers/config.js';

const DOCS_FOLDER = '/srv/analytics';
const SHOPS_FOLDER = '/srv/shops';
const REVOKED = 'revoked-token-7a6b5c4d3e2f';

interface Crontab {
  variables: Record<string, string>;
  jobs: { schedule: string; command: string }[];
}

/** The `index`-th ```cron block of the docs: `NAME=value` lines and jobs (five time fields, then the command). */
function parseCrontab(markdown: string, index = 0): Crontab {
  const block = [...markdown.matchAll(/```cron\n([\s\S]*?)```/g)][index];
  if (!block) throw new Error(`docs/scheduling.md has no ${index + 1}. \`\`\`cron block`);
  const crontab: Crontab = { variables: {}, jobs: [] };
  for (const line of block[1].split('\n')) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const variable = /^([A-Z_]+)=(.*)$/.exec(line);
    if (variable) {
      crontab.variables[variable[1]] = variable[2];
      continue;
    }
    const job = /^((?:\S+\s+){4}\S+)\s+(.+)$/.exec(line);
    if (!job) throw new Error(`not a crontab line: ${line}`);
    crontab.jobs.push({ schedule: job[1], command: job[2] });
  }
  return crontab;
}

interface ShellRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

let lightspeed: LightspeedSandbox;
let square: SquareSandbox;
let crontab: Crontab;
let shopsCrontab: Crontab;
let bin: string;
let home: string;
const dirs: string[] = [];

beforeAll(async () => {
  const docs = await readFile(join(REPO, 'docs', 'scheduling.md'), 'utf8');
  crontab = parseCrontab(docs);
  shopsCrontab = parseCrontab(docs, 1);
  lightspeed = await startLightspeedSandbox({ seed: 21, customers: 60, historyDays: 40, salesPerDay: 6, currency: 'USD' });
  square = await startSquareSandbox({ seed: 22, customers: 30, historyDays: 40, bookingsPerDay: 2, currency: 'USD', searchLagMs: 0, paymentLagMs: 0 });
  // `ln -s /opt/ca/bin/ca /usr/local/bin/ca`, as the docs install it.
  bin = await tempDir('ca-cron-bin-');
  await symlink(CA, join(bin, 'ca'));
  home = await tempDir('ca-cron-home-');
  dirs.push(bin, home);
});

afterAll(async () => {
  await Promise.all([lightspeed?.close(), square?.close()]);
  await Promise.all(dirs.map(removeDir));
});

function job(name: 'update' | 'status', tab = crontab): string {
  const found = tab.jobs.filter((j) => new RegExp(`\\bca (--workspace "\\$shop" )?${name}\\b`).test(j.command));
  expect(found, `crontab jobs running ${name}`).toHaveLength(1);
  return found[0].command;
}

/** Runs a crontab command the way cron would: from $HOME, with only cron's few variables set. */
function runJob(shell: string, command: string, dir: string, folder = DOCS_FOLDER): Promise<ShellRun> {
  const env = {
    // The crontab's PATH, with this machine's `ca` and `node` folders standing in for /usr/local/bin.
    PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`,
    HOME: home,
    LOGNAME: 'analytics',
    SHELL: '/bin/sh',
    NO_COLOR: '1',
  };
  return new Promise((resolve, reject) => {
    const child = spawn(shell, ['-c', command.replaceAll(folder, dir)], { cwd: home, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function writeEnvFile(dir: string, lightspeedToken: string | null, squareToken: string | null = square.token): Promise<void> {
  const path = join(dir, 'ca.env');
  await rm(path, { force: true });
  const lines = [
    ...(lightspeedToken ? [`LIGHTSPEED_TOKEN='${lightspeedToken}'`, `LIGHTSPEED_BASE_URL='${lightspeed.url}'`] : []),
    ...(squareToken ? [`SQUARE_ACCESS_TOKEN='${squareToken}'`, `SQUARE_BASE_URL='${square.url}'`] : []),
  ];
  await writeFile(path, lines.join('\n') + '\n', { mode: 0o600 });
  await chmod(path, 0o600);
}

describe('the crontab in docs/scheduling.md', () => {
  it('has the jobs the docs describe, and nothing cron would mangle', () => {
    expect(crontab.jobs.map((j) => j.schedule)).toEqual(['15 2 * * *', '0 7 * * *']);
    // cron turns an unescaped % into a newline.
    for (const { command } of crontab.jobs) expect(command).not.toContain('%');
    expect(job('update')).toContain(`cd ${DOCS_FOLDER} &&`);
    expect(job('status')).toContain(`cd ${DOCS_FOLDER} &&`);
    // The folder the docs symlink `ca` into must be on the crontab's PATH.
    expect(crontab.variables.PATH.split(':')).toContain('/usr/local/bin');
  });

  for (const shell of ['bash', 'sh']) {
    it(`works as written under ${shell} -c: alert, update, check, status, refused token`, async () => {
      const dir = await tempDir('ca-cron-');
      dirs.push(dir);
      await mkdir(dir, { recursive: true });
      await writeTestConfig(dir);
      const nightly = job('update');
      const morning = job('status');
      const log = () => readFile(join(dir, 'data', 'cron.log'), 'utf8');
      const alert = `ca update or ca check failed in ${dir}: see data/cron.log\n`;

      // No env file yet: the line still ends in the alert, and the reason is in the log.
      const noEnv = await runJob(shell, nightly, dir);
      expect(noEnv).toEqual({ code: 0, stdout: alert, stderr: '' });
      expect(await log()).toMatch(/ca\.env/);

      // A good env file: silent (cron mails nothing), master written, the story in the log.
      await writeEnvFile(dir, lightspeed.token);
      const good = await runJob(shell, nightly, dir);
      expect(good).toEqual({ code: 0, stdout: '', stderr: '' });
      const master = await readCsv(join(dir, 'data', 'customer_analytics_master.csv'));
      expect(master.length).toBeGreaterThan(0);
      const stamp = (await readFile(join(dir, '.last_update_timestamp'), 'utf8')).trim();
      const masterPath = join(dir, 'data', 'customer_analytics_master.csv');
      let text = await log();
      expect(text).toMatch(/^\w{3} \w{3} +\d+ \d\d:\d\d:\d\d UTC \d{4}$/m);
      expect(text).toContain(`update done: ${master.length} customers in ${masterPath}; report ${join(dir, 'data', 'reports', 'report.html')}; timestamp ${stamp}\n`);
      // The nightly job leaves the dashboard beside the master.
      expect(await readFile(join(dir, 'data', 'reports', 'report.html'), 'utf8')).toMatch(/^<!doctype html>/);
      expect(text).toContain(`ok    master parses: ${master.length} rows in ${masterPath}\n`);
      expect(text).not.toMatch(/^FAIL/m);
      expect(text).not.toContain(lightspeed.token);
      expect(text).not.toContain(square.token);

      const fresh = await runJob(shell, morning, dir);
      expect(fresh).toEqual({ code: 0, stdout: '', stderr: '' });

      // A revoked token: the alert, the reason in the log (token masked), the earlier log kept.
      await writeEnvFile(dir, REVOKED);
      const refused = await runJob(shell, nightly, dir);
      expect(refused).toEqual({ code: 0, stdout: alert, stderr: '' });
      text = await log();
      expect(text).toContain('ca: GET /api/2.0/retailer: the service refused the credentials (HTTP 401)\n');
      expect(text.match(/^update done: /gm)).toHaveLength(1);
      expect(text).not.toContain(REVOKED);
      expect(await readFile(join(dir, '.last_update_timestamp'), 'utf8')).toBe(stamp + '\n');

      // The morning job now prints the status report, which cron mails (cron ignores the exit code).
      const failed = await runJob(shell, morning, dir);
      expect(failed.code).toBe(9);
      expect(failed.stderr).toBe('');
      const [first] = failed.stdout.split('\n');
      expect(first).toMatch(/^FAILED: the last update \(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\) failed: GET \/api\/2\.0\/retailer: the service refused the credentials \(HTTP 401\)$/);
      expect(failed.stdout).toContain(`last update: ${stamp.replace('Z', '.000Z')} (0 h ago; limit 36 h)\n`);
      expect(failed.stdout).not.toContain(REVOKED);
    });
  }
});

describe('the several-shops crontab in docs/scheduling.md', () => {
  it('has the same two jobs: one line updates every shop, the morning one reports each; nothing cron would mangle', () => {
    expect(shopsCrontab.jobs.map((j) => j.schedule)).toEqual(['15 2 * * *', '0 7 * * *']);
    for (const { command } of shopsCrontab.jobs) {
      expect(command).not.toContain('%');
      expect(command).toContain(`cd ${SHOPS_FOLDER} && `);
    }
    expect(job('update', shopsCrontab)).toContain("ca update --workspaces '*/'");
    expect(job('status', shopsCrontab)).toContain('for shop in */; do');
    expect(shopsCrontab.variables).toEqual(crontab.variables);
  });

  it('works as written under sh -c: each shop silent, its own files and tokens; a refused token alerts, the table names the shop', async () => {
    const dir = await tempDir('ca-cron-shops-');
    dirs.push(dir);
    const nightly = job('update', shopsCrontab);
    const morning = job('status', shopsCrontab);
    const log = () => readFile(join(dir, 'cron.log'), 'utf8');
    // Two stores: one on Lightspeed only, one on Square only; ca reads each one's ca.env itself.
    await mkdir(join(dir, 'north'));
    await mkdir(join(dir, 'south'));
    await writeTestConfig(join(dir, 'north'));
    await writeTestConfig(join(dir, 'south'));
    await writeEnvFile(join(dir, 'north'), lightspeed.token, null);
    await writeEnvFile(join(dir, 'south'), null, square.token);

    expect(await runJob('sh', nightly, dir, SHOPS_FOLDER)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await runJob('sh', morning, dir, SHOPS_FOLDER)).toEqual({ code: 0, stdout: '', stderr: '' });
    for (const [shop, source] of [['north', 'lightspeed'], ['south', 'square']]) {
      const master = await readCsv(join(dir, shop, 'data', 'customer_analytics_master.csv'));
      expect(master.length).toBeGreaterThan(0);
      // Only this shop's source: the other shop's ids never reach it.
      const other = source === 'lightspeed' ? 'square_customer_ids' : 'lightspeed_customer_ids';
      expect(master.filter((row) => row[other] !== '')).toEqual([]);
      expect(master.some((row) => row[`${source}_customer_ids`] !== '')).toBe(true);
      expect(await readFile(join(dir, shop, '.last_update_timestamp'), 'utf8')).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(await log()).toMatch(new RegExp(`^${shop} +success +${master.length} +\\d+\\.\\d s$`, 'm'));
    }
    let text = await log();
    expect(text).toMatch(/^\w{3} \w{3} +\d+ \d\d:\d\d:\d\d UTC \d{4}$/m);
    expect(text).toContain('2 workspace(s): 2 succeeded, 0 failed\n');
    expect(text).toMatch(/^\[north\] lightspeed: /m);
    expect(text).toMatch(/^\[south\] square: /m);
    expect((await readdir(dir)).sort()).toEqual(['cron.log', 'north', 'south']);

    // South's token is revoked: the alert; the table, the log and the morning report name south only.
    await writeEnvFile(join(dir, 'south'), null, REVOKED);
    const refused = await runJob('sh', nightly, dir, SHOPS_FOLDER);
    expect(refused).toEqual({ code: 0, stdout: `ca update failed for a shop in ${dir}: see the table at the end of ${dir}/cron.log\n`, stderr: '' });
    text = await log();
    expect(text).toMatch(/^north +success +\d+ +\d+\.\d s\nsouth +failed +- +\d+\.\d s  .*refused the credentials \(HTTP 401\)\n2 workspace\(s\): 1 succeeded, 1 failed\n$/m);
    const failed = await runJob('sh', morning, dir, SHOPS_FOLDER);
    const [title, first] = failed.stdout.split('\n');
    expect(title).toBe('== south/');
    expect(first).toMatch(/^FAILED: the last update \(.+\) failed: .*refused the credentials/);
    expect(failed.stdout).not.toContain('north');
    expect(failed.stdout + refused.stdout + text).not.toContain(REVOKED);
    expect(text).not.toContain(square.token);
    expect(text).not.toContain(lightspeed.token);
  });
});
