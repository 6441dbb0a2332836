/**
 * The command line itself: help with examples, config errors that name the key, exit codes. Help,
 * usage and config errors run `main` in-process (`runMain`); the binary's own exit code and the demo
 * run through `bin/ca`.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CA, removeDir, runCa, runMain, tempDir } from '../helpers/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(async () => {
  await removeDir(dir);
});

const COMMANDS = [
  ['fetch'],
  ['import', 'ecom'],
  ['compute'],
  ['merge'],
  ['update'],
  ['check'],
  ['stats'],
  ['customer'],
  ['status'],
  ['report', 'daily'],
  ['report', 'cohorts'],
  ['report', 'model'],
  ['report', 'html'],
  ['export', 'postgres'],
  ['sandbox'],
  ['demo'],
];

describe('ca --help', () => {
  it.each(COMMANDS.map((command) => command.join(' ')))('ca %s has help with an example', async (command) => {
    const run = await runMain([...command.split(' '), '--help'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: ca /);
    expect(run.stdout).toMatch(/Examples?:\n\s+(npx )?ca |Examples?:\n\s+\S+=/);
  });

  it('lists every command at the top level (the binary)', async () => {
    const run = await runCa(['--help'], { cwd: dir });
    expect(run.code).toBe(0);
    for (const [name] of COMMANDS) expect(run.stdout).toContain(name);
  });
});

describe('errors', () => {
  it('names an unknown config key, with exit code 2 (the binary)', async () => {
    await writeFile(join(dir, 'ca.config.json'), JSON.stringify({ lifecycle: { newDays: 30, activDays: 90 } }));
    const run = await runCa(['compute'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown key lifecycle\.activDays/);
    expect(run.stderr.trim().split('\n')[0]).toMatch(/^ca: /);
  });

  it('names a mistyped config value', async () => {
    await writeFile(join(dir, 'ca.config.json'), JSON.stringify({ firstTimeBuyerDays: 'thirty' }));
    const run = await runMain(['compute'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/firstTimeBuyerDays/);
  });

  it('refuses an unreadable --as-of', async () => {
    await writeFile(join(dir, 'ca.config.json'), '{}');
    const run = await runMain(['compute', '--as-of', 'last tuesday'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--as-of/);
  });

  it('says what to do when nothing has been computed yet', async () => {
    const run = await runMain(['merge'], { cwd: dir });
    expect(run.code).toBe(8);
    expect(run.stderr).toMatch(/nothing computed yet/);
    expect(run.stderr).toMatch(/hint: run `ca compute` first/);
  });

  it('says which token is missing for a fetch', async () => {
    const run = await runMain(['fetch', 'square'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/SQUARE_ACCESS_TOKEN is not set/);
  });

  it('rejects an unknown source', async () => {
    const run = await runMain(['fetch', 'shopify'], { cwd: dir, env: { SQUARE_ACCESS_TOKEN: 'x' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown source shopify/);
  });
});

describe('ca demo (the README main job)', () => {
  it('runs the whole pipeline against the sandboxes in ./ca-demo/, and the result passes ca check', async () => {
    const demo = await tempDir();
    try {
      const run = await runCa(['demo', '--customers', '300'], { cwd: demo });
      expect(run.code, run.stderr).toBe(0);
      const workspace = join(demo, 'ca-demo');
      expect(run.stdout).toContain(`demo workspace: ${workspace} `);
      expect(run.stdout).toContain(`master: ${join(workspace, 'data', 'customer_analytics_master.csv')} (`);
      // The next step as printed runs (the stats run below is it): `ca` only when this ca is on PATH,
      // else `node …/bin/ca` (outside the package, `npx ca` could fetch another package).
      const next = /next: `(.+?) --workspace ca-demo stats`/.exec(run.stdout)?.[1];
      expect(next === 'ca' || next === `node ${CA}`, run.stdout).toBe(true);
      // Nothing outside its own folder.
      expect(await readdir(demo)).toEqual(['ca-demo']);
      const check = await runCa(['--workspace', 'ca-demo', 'check'], { cwd: demo });
      expect(check.code, check.stdout).toBe(0);
      // Tiers and lifecycle segments in their own order, whatever their counts; empty cells last.
      const tiers = /^value_tier: (.*)$/m.exec(check.stdout)?.[1].split(', ').map((entry) => entry.replace(/ \d+$/, ''));
      expect(tiers?.filter((t) => t !== '(empty)')).toEqual(['VIP', 'HIGH', 'MEDIUM', 'LOW']);
      expect(tiers?.at(-1)).toBe('(empty)');
      const lifecycle = /^lifecycle_segment: (.*)$/m.exec(check.stdout)?.[1].split(', ').map((entry) => entry.replace(/ \d+$/, ''));
      expect(lifecycle).toEqual(['PROSPECT', 'NEW', 'ACTIVE', 'AT_RISK', 'LOST']);
      const stats = JSON.parse((await runCa(['--workspace', 'ca-demo', 'stats', '--json'], { cwd: demo })).stdout);
      // All three sources, and some people known to more than one of them.
      expect(Object.keys(stats.by_source).sort()).toEqual(['ecom', 'lightspeed', 'square']);
      const perSource = Object.values(stats.by_source as Record<string, { customers: number }>).reduce((n, g) => n + g.customers, 0);
      expect(perSource).toBeGreaterThan(stats.customers);
    } finally {
      await removeDir(demo);
    }
  });

  it('refuses a folder that holds anything it did not write, and writes nothing there', async () => {
    const shop = await tempDir();
    try {
      await writeFile(join(shop, 'ca.config.json'), '{}');
      for (const args of [['--workspace', '.'], ['--data-dir', '.']]) {
        const run = await runCa([...args, 'demo', '--customers', '50'], { cwd: shop });
        expect(run.code).toBe(2);
        expect(run.stderr).toContain(`ca: ${shop} holds files \`ca demo\` did not write`);
        expect(await readdir(shop)).toEqual(['ca.config.json']);
      }
    } finally {
      await removeDir(shop);
    }
  });
});

describe('precedence', () => {
  it('takes the data folder from the config, then CA_DATA_DIR, then --data-dir', async () => {
    const folder = await tempDir();
    try {
      await writeFile(join(folder, 'ca.config.json'), JSON.stringify({ dataDir: 'from-config' }));
      const fromConfig = await runMain(['status', '--json'], { cwd: folder });
      expect(JSON.parse(fromConfig.stdout).master.path).toBe(join(folder, 'from-config', 'customer_analytics_master.csv'));
      const fromEnv = await runMain(['status', '--json'], { cwd: folder, env: { CA_DATA_DIR: 'from-env' } });
      expect(JSON.parse(fromEnv.stdout).master.path).toBe(join(folder, 'from-env', 'customer_analytics_master.csv'));
      const fromFlag = await runMain(['status', '--json', '--data-dir', 'from-flag'], { cwd: folder, env: { CA_DATA_DIR: 'from-env' } });
      expect(JSON.parse(fromFlag.stdout).master.path).toBe(join(folder, 'from-flag', 'customer_analytics_master.csv'));
    } finally {
      await removeDir(folder);
    }
  });
});
