/**
 * `ca update --workspaces GLOB` and `--workspaces-file LIST`: three shops, each with its own ca.env,
 * one of them with a refused token. The two others are updated in full, each with its own files, lock
 * and run log; the failing one records its failure and nothing else; the summary table names all three;
 * the exit code is the failed one's; no token of any shop (nor of the calling environment) leaks.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLightspeedSandbox, type LightspeedSandbox } from '../../src/sandbox/lightspeed/index.js';
import { startSquareSandbox, type SquareSandbox } from '../../src/sandbox/square/index.js';
import { readCsv, removeDir, runCa, tempDir } from '../helpers/cli.js';
import { writeTestConfig } from '../helpers/config.js';

const REVOKED = 'revoked-token-0f1e2d3c4b5a';

let lightspeed: LightspeedSandbox;
let other: LightspeedSandbox;
let square: SquareSandbox;
let root: string;

beforeAll(async () => {
  lightspeed = await startLightspeedSandbox({ seed: 151, customers: 40, historyDays: 30, salesPerDay: 5, currency: 'USD' });
  other = await startLightspeedSandbox({ seed: 152, customers: 40, historyDays: 30, salesPerDay: 5, currency: 'USD' });
  square = await startSquareSandbox({ seed: 153, customers: 30, historyDays: 30, bookingsPerDay: 2, currency: 'USD', searchLagMs: 0, paymentLagMs: 0 });
  root = await tempDir('ca-many-');
  const shops: Record<string, string[]> = {
    north: [`LIGHTSPEED_TOKEN='${lightspeed.token}'`, `LIGHTSPEED_BASE_URL='${lightspeed.url}'`],
    south: ['# the salon', `export SQUARE_ACCESS_TOKEN="${square.token}"`, `SQUARE_BASE_URL=${square.url}`],
    west: [`LIGHTSPEED_TOKEN='${REVOKED}'`, `LIGHTSPEED_BASE_URL='${lightspeed.url}'`],
  };
  for (const [shop, lines] of Object.entries(shops)) {
    await mkdir(join(root, 'shops', shop), { recursive: true });
    await writeFile(join(root, 'shops', shop, 'ca.env'), lines.join('\n') + '\n', { mode: 0o600 });
    await writeTestConfig(join(root, 'shops', shop));
  }
  // Not a workspace of the glob: hidden.
  await mkdir(join(root, 'shops', '.trash'));
});

afterAll(async () => {
  await Promise.all([lightspeed?.close(), other?.close(), square?.close()]);
  await removeDir(root);
});

/** The calling environment has a token of its own, which no shop may get. */
const callerEnv = () => ({ LIGHTSPEED_TOKEN: other.token, LIGHTSPEED_BASE_URL: other.url });

async function runLog(shop: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(join(root, 'shops', shop, 'data', 'runs.ndjson'), 'utf8');
  return text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('ca update --workspaces', () => {
  it("updates every shop with its own tokens, one failing without touching the others, and sums up", async () => {
    const run = await runCa(['update', '--workspaces', 'shops/*', '--parallel', '2'], { cwd: root, env: callerEnv() });
    // The refused token's exit code (3), the first failed workspace's.
    expect(run.code, run.stderr).toBe(3);

    // The summary table on stdout: one row per shop in order, then the count.
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^workspace\s+outcome\s+customers\s+duration\s+error$/);
    const rows = lines.slice(1, 4).map((line) => line.split(/\s{2,}/));
    expect(rows.map((r) => r[0])).toEqual(['shops/north', 'shops/south', 'shops/west']);
    expect(rows.map((r) => r[1])).toEqual(['success', 'success', 'failed']);
    expect(rows[2][2]).toBe('-');
    expect(rows[2][4]).toBe('GET /api/2.0/retailer: the service refused the credentials (HTTP 401)');
    for (const r of rows) expect(r[3]).toMatch(/^\d+\.\d s$/);
    expect(lines[4]).toBe('3 workspace(s): 2 succeeded, 1 failed');
    expect(lines).toHaveLength(5);

    // Each successful shop: its own master from its own source only, of the size the table says.
    for (const [index, shop, source] of [[0, 'north', 'lightspeed'], [1, 'south', 'square']] as const) {
      const master = await readCsv(join(root, 'shops', shop, 'data', 'customer_analytics_master.csv'));
      expect(master.length).toBeGreaterThan(0);
      expect(rows[index][2]).toBe(String(master.length));
      const otherIds = source === 'lightspeed' ? 'square_customer_ids' : 'lightspeed_customer_ids';
      expect(master.filter((row) => row[otherIds] !== '')).toEqual([]);
      expect(await readFile(join(root, 'shops', shop, '.last_update_timestamp'), 'utf8')).toMatch(/^\d{4}-\d\d-\d\dT/);
      const log = await runLog(shop);
      expect(log.map((r) => r.outcome)).toEqual(['success']);
      expect((log[0].counts as { customers: number }).customers).toBe(master.length);
      // Its own lock, released.
      expect(await readdir(join(root, 'shops', shop, 'data'))).not.toContain('.ca.lock');
    }
    // North fetched north's store, not the caller's (other) one.
    const north = await readCsv(join(root, 'shops', 'north', 'data', 'customer_analytics_master.csv'));
    const northIds = new Set(north.flatMap((r) => r.lightspeed_customer_ids.split(';')).filter(Boolean));
    const known = new Set(lightspeed.control.records('customers').map((c) => String(c.id)));
    for (const id of northIds) expect(known.has(id)).toBe(true);
    expect(other.control.stats().requests).toBe(0);

    // The failed shop: its failure in its own run log; no master, no timestamp, no lock left.
    const west = await runLog('west');
    expect(west.map((r) => r.outcome)).toEqual(['failed']);
    expect(west[0].error).toBe('GET /api/2.0/retailer: the service refused the credentials (HTTP 401)');
    const westFiles = await readdir(join(root, 'shops', 'west'));
    expect(westFiles).not.toContain('.last_update_timestamp');
    expect(await readdir(join(root, 'shops', 'west', 'data'))).not.toContain('customer_analytics_master.csv');

    // Every log line names its shop; no token anywhere.
    const logLines = run.stderr.trimEnd().split('\n');
    for (const line of logLines) expect(line).toMatch(/^(\[shops\/(north|south|west)\] |updating 3 workspace\(s\), 2 at a time$)/);
    expect(run.stderr).toContain('[shops/west] ca: GET /api/2.0/retailer: the service refused the credentials (HTTP 401)\n');
    expect(run.stderr).toMatch(/^\[shops\/north\] lightspeed: outlets .*customers \+40 /m);
    expect(run.stderr).toContain(`[shops/north] success in `);
    expect(run.stderr).toMatch(new RegExp(`^\\[shops/south\\] success in \\d+\\.\\d s \\(${rows[1][2]} customers\\)$`, 'm'));
    expect(run.stderr).toMatch(/^\[shops\/west\] failed in \d+\.\d s \(exit 3: GET \/api\/2\.0\/retailer: the service refused the credentials \(HTTP 401\)\)$/m);
    for (const secret of [lightspeed.token, square.token, other.token, REVOKED]) {
      expect(run.stdout + run.stderr).not.toContain(secret);
    }
    expect(await readdir(root)).toEqual(['shops']);
  });

  it('--workspaces-file: the listed folders only, relative to the list, as JSON with --json', async () => {
    await writeFile(join(root, 'shops', 'nightly.txt'), '# the ones that run at night\nnorth\n\nwest\n');
    const run = await runCa(['--json', 'update', '--workspaces-file', 'shops/nightly.txt', '--parallel', '1', '--days=3'], { cwd: root, env: callerEnv() });
    expect(run.code, run.stderr).toBe(3);
    const outcomes = JSON.parse(run.stdout) as { name: string; outcome: string; customers: number | null; exit_code: number; duration_ms: number }[];
    expect(outcomes.map((o) => [o.name, o.outcome, o.exit_code])).toEqual([
      ['shops/north', 'success', 0],
      ['shops/west', 'failed', 3],
    ]);
    expect(outcomes[0].customers).toBe((await readCsv(join(root, 'shops', 'north', 'data', 'customer_analytics_master.csv'))).length);
    // North ran a second time, south not at all.
    expect((await runLog('north')).map((r) => r.outcome)).toEqual(['success', 'success']);
    expect((await runLog('south')).map((r) => r.outcome)).toEqual(['success']);
    expect((await runLog('west')).map((r) => r.outcome)).toEqual(['failed', 'failed']);
  });

  it('refuses what it cannot do sensibly: no match, --parallel alone, --workspaces with --workspace', async () => {
    const none = await runCa(['update', '--workspaces', 'nowhere/*'], { cwd: root });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--workspaces: "nowhere/*" matches no folder');
    const alone = await runCa(['update', '--parallel', '3'], { cwd: root });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--parallel needs --workspaces or --workspaces-file');
    const both = await runCa(['--workspace', 'shops/north', 'update', '--workspaces', 'shops/*'], { cwd: root });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('do not go with --workspace');
  });
});
