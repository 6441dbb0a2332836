/**
 * Many shops, one database: two workspaces updated by `ca update --workspaces`, then each exported by
 * the real binary under its own account (`ca --workspace shops/X export postgres --account X`, as the
 * GitHub Actions matrix in docs/scheduling.md does). The two shops share customer ids (same vendor
 * data generator), yet each account holds exactly its own master, run log and daily report, and
 * exporting one again never marks, changes or removes a row of the other.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLightspeedSandbox, type LightspeedSandbox } from '../../../src/sandbox/lightspeed/index.js';
import { readCsv, removeDir, runCa, tempDir } from '../../helpers/cli.js';
import { startPostgres, withClient, type PostgresServer } from '../../helpers/postgresServer.js';

let server: PostgresServer;
let url: string;
const shops: Record<string, LightspeedSandbox> = {};
let root: string;

beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase('shops');
  // The same seed: the second shop's first 30 customers have the first shop's ids.
  shops.north = await startLightspeedSandbox({ seed: 171, customers: 30, historyDays: 20, salesPerDay: 4, currency: 'USD' });
  shops.south = await startLightspeedSandbox({ seed: 171, customers: 45, historyDays: 20, salesPerDay: 6, currency: 'USD' });
  root = await tempDir('ca-pg-shops-');
  for (const [shop, sandbox] of Object.entries(shops)) {
    await mkdir(join(root, 'shops', shop), { recursive: true });
    await writeFile(join(root, 'shops', shop, 'ca.env'), `LIGHTSPEED_TOKEN='${sandbox.token}'\nLIGHTSPEED_BASE_URL='${sandbox.url}'\n`, { mode: 0o600 });
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(Object.values(shops).map((s) => s.close()));
  await server?.stop();
  if (root) await removeDir(root);
});

const query = (sql: string, values: unknown[] = []) => withClient(url, async (client) => (await client.query(sql, values)).rows as Record<string, unknown>[]);

async function exportShop(shop: string) {
  const run = await runCa(['--workspace', join('shops', shop), 'export', 'postgres', '--account', shop], { cwd: root, env: { DATABASE_URL: url } });
  expect(run.code, run.stderr).toBe(0);
  return run;
}

describe('ca export postgres from many workspaces into one database', () => {
  it('keeps each account to its own workspace, shared customer ids included', async () => {
    const update = await runCa(['update', '--workspaces', 'shops/*'], { cwd: root });
    expect(update.code, update.stderr + update.stdout).toBe(0);
    for (const shop of ['north', 'south']) {
      await runCa(['--workspace', join('shops', shop), 'report', 'daily'], { cwd: root }).then((r) => expect(r.code, r.stderr).toBe(0));
    }
    await exportShop('north');
    await exportShop('south');

    const masters: Record<string, Record<string, string>[]> = {};
    for (const shop of ['north', 'south']) masters[shop] = await readCsv(join(root, 'shops', shop, 'data', 'customer_analytics_master.csv'));
    const northIds = new Set(masters.north.map((r) => r.customer_id));
    const shared = masters.south.filter((r) => northIds.has(r.customer_id));
    // The case this is about: the same customer id in both shops.
    expect(shared.length).toBeGreaterThan(0);

    for (const shop of ['north', 'south']) {
      const rows = await query('SELECT customer_id, orders_count, net_revenue::text AS net FROM customer_analytics WHERE account = $1 AND removed_at IS NULL ORDER BY customer_id', [shop]);
      const expected = masters[shop]
        .map((r) => ({ customer_id: r.customer_id, orders_count: Number(r.orders_count), net: r.net_revenue === '' ? null : r.net_revenue }))
        .sort((a, b) => (a.customer_id < b.customer_id ? -1 : a.customer_id > b.customer_id ? 1 : 0));
      expect(rows).toEqual(expected);
      // Each account's run log is its workspace's, line for line.
      const log = (await readFile(join(root, 'shops', shop, 'data', 'runs.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l).run_id as string);
      expect((await query('SELECT run_id FROM customer_analytics_runs WHERE account = $1', [shop])).map((r) => r.run_id).sort()).toEqual([...log].sort());
      const daily = await readCsv(join(root, 'shops', shop, 'data', 'reports', 'daily_by_location.csv'));
      expect((await query('SELECT count(*)::int AS n FROM customer_analytics_daily WHERE account = $1', [shop]))[0].n).toBe(daily.length);
    }
    // A shared id holds each shop's own figures.
    const sharedId = shared.find((r) => masters.north.find((n) => n.customer_id === r.customer_id)!.orders_count !== r.orders_count)?.customer_id ?? shared[0].customer_id;
    const both = await query('SELECT account, orders_count FROM customer_analytics WHERE customer_id = $1 ORDER BY account', [sharedId]);
    expect(both).toEqual([
      { account: 'north', orders_count: Number(masters.north.find((r) => r.customer_id === sharedId)!.orders_count) },
      { account: 'south', orders_count: Number(masters.south.find((r) => r.customer_id === sharedId)!.orders_count) },
    ]);

    // North moves on and exports again: south's rows are untouched (same row versions, nothing removed).
    const southBefore = await query("SELECT customer_id, xmin::text AS v, updated_at FROM customer_analytics WHERE account = 'south' ORDER BY customer_id");
    shops.north.control.advance(2);
    const again = await runCa(['update', '--workspaces', 'shops/north'], { cwd: root });
    expect(again.code, again.stderr).toBe(0);
    await exportShop('north');
    expect(await query("SELECT customer_id, xmin::text AS v, updated_at FROM customer_analytics WHERE account = 'south' ORDER BY customer_id")).toEqual(southBefore);
    expect((await query("SELECT count(*)::int AS n FROM customer_analytics WHERE account = 'south' AND removed_at IS NOT NULL"))[0].n).toBe(0);
    const northNow = await readCsv(join(root, 'shops', 'north', 'data', 'customer_analytics_master.csv'));
    expect((await query("SELECT count(*)::int AS n FROM customer_analytics WHERE account = 'north' AND removed_at IS NULL"))[0].n).toBe(northNow.length);
    expect((await query('SELECT DISTINCT account FROM customer_analytics ORDER BY account')).map((r) => r.account)).toEqual(['north', 'south']);
  });
});
