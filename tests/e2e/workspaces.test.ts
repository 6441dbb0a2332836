/**
 * One crontab directory, several shops: each shop's workspace (`--workspace`, `CA_WORKSPACE`) or data
 * folder of its own (`--data-dir`, `CA_DATA_DIR`) holds all of its files, and two of them never share
 * one (timestamp, archive, lock, run log, config). `ca status` reports a workspace's own freshness from
 * any current directory.
 */
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLightspeedSandbox, type LightspeedSandbox } from '../../src/sandbox/lightspeed/index.js';
import { readCsv, removeDir, REPO, runCa, tempDir } from '../helpers/cli.js';

const FIXTURES = join(REPO, 'tests', 'fixtures', 'e2e');

let shopA: LightspeedSandbox;
let shopB: LightspeedSandbox;
let root: string;
let elsewhere: string;

beforeAll(async () => {
  shopA = await startLightspeedSandbox({ seed: 81, customers: 50, historyDays: 30, salesPerDay: 5, currency: 'USD' });
  shopB = await startLightspeedSandbox({ seed: 82, customers: 50, historyDays: 30, salesPerDay: 5, currency: 'USD' });
  root = await tempDir('ca-crontab-');
  elsewhere = await tempDir('ca-elsewhere-');
});

afterAll(async () => {
  await Promise.all([shopA?.close(), shopB?.close()]);
  await Promise.all([removeDir(root), removeDir(elsewhere)]);
});

const envOf = (sandbox: LightspeedSandbox, extra: Record<string, string> = {}) => ({ LIGHTSPEED_BASE_URL: sandbox.url, LIGHTSPEED_TOKEN: sandbox.token, ...extra });

/** Every file under `dir`, relative to it. */
async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) out.push(...(await files(join(dir, entry.name))).map((f) => join(entry.name, f)));
    else out.push(entry.name);
  }
  return out.sort();
}

/** The Lightspeed customer ids in a master. */
async function customersIn(master: string): Promise<Set<string>> {
  return new Set((await readCsv(master)).flatMap((r) => r.lightspeed_customer_ids.split(';')).filter(Boolean));
}

describe('several shops run from one directory', () => {
  it('--workspace: each shop folder holds its data, archive, timestamp, lock, run log and config; they share nothing', async () => {
    // Asking about a shop that has not run yet creates nothing.
    expect((await runCa(['--workspace', 'shopA', 'status'], { cwd: root })).code).toBe(9);
    expect(await readdir(root)).toEqual([]);
    // Each shop's own config, found in its workspace whatever the current directory is.
    for (const [shop, hours] of [['shopA', 30], ['shopB', 40]] as const) {
      await mkdir(join(root, shop));
      await writeFile(join(root, shop, 'ca.config.json'), JSON.stringify({ status: { maxAgeHours: hours } }));
    }
    // Shop A also imports a web shop's export; the paths in its config are relative to its workspace.
    await mkdir(join(root, 'shopA', 'exports'));
    await copyFile(join(FIXTURES, 'webshop.csv'), join(root, 'shopA', 'exports', 'orders.csv'));
    await copyFile(join(FIXTURES, 'webshop.mapping.json'), join(root, 'shopA', 'webshop.mapping.json'));
    await writeFile(join(root, 'shopA', 'ca.config.json'), JSON.stringify({ status: { maxAgeHours: 30 }, ecom: { file: 'exports/orders.csv', mapping: 'webshop.mapping.json' } }));

    // Both at once (two locks, one per shop), then each again, so each archives its previous master.
    const first = await Promise.all([
      runCa(['--workspace', 'shopA', 'update'], { cwd: root, env: envOf(shopA) }),
      runCa(['update'], { cwd: root, env: envOf(shopB, { CA_WORKSPACE: 'shopB' }) }),
    ]);
    for (const run of first) expect(run.code, run.stderr).toBe(0);
    shopA.control.advance(1);
    expect((await runCa(['--workspace', 'shopA', 'update'], { cwd: root, env: envOf(shopA) })).code).toBe(0);
    expect((await runCa(['update'], { cwd: root, env: envOf(shopB, { CA_WORKSPACE: 'shopB' }) })).code).toBe(0);

    // Nothing at the top of the crontab directory; the design card's layout inside each shop.
    expect(await readdir(root)).toEqual(['shopA', 'shopB']);
    for (const shop of ['shopA', 'shopB']) {
      const inShop = await files(join(root, shop));
      expect(inShop).toEqual(expect.arrayContaining(['.last_update_timestamp', 'ca.config.json', 'data/customer_analytics_master.csv', 'data/runs.ndjson', 'data/cache/lightspeed/state.json']));
      expect(inShop.includes('data/ecom_orders_export.csv')).toBe(shop === 'shopA');
      expect(inShop.filter((f) => f.startsWith('archive/customer_analytics_master.'))).toHaveLength(1);
      expect(inShop.filter((f) => f.includes('.lock'))).toEqual([]);
      expect((await readFile(join(root, shop, 'data', 'runs.ndjson'), 'utf8')).trim().split('\n')).toHaveLength(2);
    }
    // Each master holds its own shop's customers only.
    const a = await customersIn(join(root, 'shopA', 'data', 'customer_analytics_master.csv'));
    const b = await customersIn(join(root, 'shopB', 'data', 'customer_analytics_master.csv'));
    expect(a.size).toBeGreaterThan(0);
    expect([...a].filter((id) => b.has(id))).toEqual([]);
    const ecomKeys = (await readCsv(join(root, 'shopA', 'data', 'customer_analytics_master.csv'))).filter((r) => r.ecom_customer_keys !== '');
    expect(ecomKeys.length).toBeGreaterThan(0);
    expect((await readCsv(join(root, 'shopB', 'data', 'customer_analytics_master.csv'))).filter((r) => r.ecom_customer_keys !== '')).toEqual([]);

    // From another directory: each shop's own timestamp, config and runs.
    for (const [shop, hours] of [['shopA', 30], ['shopB', 40]] as const) {
      const status = await runCa(['status', '--json', '--workspace', join(root, shop)], { cwd: elsewhere });
      expect(status.code, status.stderr).toBe(0);
      const json = JSON.parse(status.stdout);
      const stamp = (await readFile(join(root, shop, '.last_update_timestamp'), 'utf8')).trim();
      expect(json).toMatchObject({ state: 'fresh', last_update_timestamp: stamp.replace('Z', '.000Z'), max_age_hours: hours });
      expect(json.master.path).toBe(join(root, shop, 'data', 'customer_analytics_master.csv'));
      expect(json.last_runs).toHaveLength(2);
      expect(json.sources.ecom.state).toBe(shop === 'shopA' ? 'fresh' : 'not-used');
    }
    expect(await readdir(elsewhere)).toEqual([]);
  });

  it('--data-dir / CA_DATA_DIR: a data folder named on its own holds its archive and timestamp too', async () => {
    const dir = await tempDir('ca-crontab-');
    try {
      for (let round = 0; round < 2; round++) {
        const runs = await Promise.all([
          runCa(['--data-dir', 'shopA/data', 'update'], { cwd: dir, env: envOf(shopA) }),
          runCa(['update'], { cwd: dir, env: envOf(shopB, { CA_DATA_DIR: 'shopB/data' }) }),
        ]);
        for (const run of runs) expect(run.code, run.stderr).toBe(0);
      }
      expect(await readdir(dir)).toEqual(['shopA', 'shopB']);
      for (const shop of ['shopA', 'shopB']) {
        expect(await readdir(join(dir, shop))).toEqual(['data']);
        const inData = await files(join(dir, shop, 'data'));
        expect(inData).toEqual(expect.arrayContaining(['.last_update_timestamp', 'customer_analytics_master.csv', 'runs.ndjson']));
        expect(inData.filter((f) => f.startsWith('archive/customer_analytics_master.'))).toHaveLength(1);
        // `ca status --data-dir X` from another directory reports X's freshness.
        const status = JSON.parse((await runCa(['status', '--json', '--data-dir', join(dir, shop, 'data')], { cwd: elsewhere })).stdout);
        const stamp = (await readFile(join(dir, shop, 'data', '.last_update_timestamp'), 'utf8')).trim();
        expect(status).toMatchObject({ state: 'fresh', last_update_timestamp: stamp.replace('Z', '.000Z') });
      }
    } finally {
      await removeDir(dir);
    }
  });
});
