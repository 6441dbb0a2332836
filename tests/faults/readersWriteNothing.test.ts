/**
 * Reading never writes: `ca check`, `ca stats`, `ca customer`, `ca status`, `ca report model` and
 * `ca export postgres` leave every file under the workspace as it was (same names, bytes and
 * modification times), even with records waiting in a cache log (an import only appends) and a
 * `tables.json` an older version did not write. Before, `check` and `report model` folded the log into
 * the base and truncated it, without the lock a writer holds.
 */
import { copyFile, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../helpers/postgresServer.js';
import { readCsv, REPO, runCa } from '../helpers/cli.js';
import { AS_OF, paths, removeWorkdirs, startSandboxes, walk, workdir, type Sandboxes } from './helpers.js';

let sandboxes: Sandboxes;
let postgres: PostgresServer;
let dir: string;

beforeAll(async () => {
  [sandboxes, postgres] = await Promise.all([startSandboxes(91), startPostgres()]);
  dir = await workdir();
  const update = await runCa(['update', AS_OF], { cwd: dir, env: sandboxes.env() });
  expect(update.code, update.stderr).toBe(0);
  // Records in a log no one has folded yet: an import appends and leaves compacting to compute.
  const fixtures = join(REPO, 'tests', 'fixtures', 'e2e');
  await copyFile(join(fixtures, 'webshop.csv'), join(dir, 'webshop.csv'));
  await copyFile(join(fixtures, 'webshop.mapping.json'), join(dir, 'webshop.mapping.json'));
  const imported = await runCa(['import', 'ecom', 'webshop.csv', '--mapping', 'webshop.mapping.json'], { cwd: dir });
  expect(imported.code, imported.stderr).toBe(0);
  expect((await stat(join(paths(dir).cache, 'ecom', 'orders.log'))).size).toBeGreaterThan(0);
  // A cache an older version wrote, before it listed its bases in tables.json.
  await rm(join(paths(dir).cache, 'lightspeed', 'tables.json'));
}, 300_000);

afterAll(async () => {
  await Promise.all([sandboxes?.close(), postgres?.stop()]);
  await removeWorkdirs();
});

/** Every file under the workspace with its size, modification time and bytes. */
async function snapshotFolder(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const file of (await walk(root)).sort()) {
    const path = join(root, file);
    const { size, mtimeMs } = await stat(path);
    out[file] = `${size} ${mtimeMs} ${(await readFile(path)).toString('base64')}`;
  }
  return out;
}

describe('read commands', () => {
  it('change no file under the workspace, and work', async () => {
    const before = await snapshotFolder(dir);
    const email = (await readCsv(paths(dir).master)).find((row) => row.email)!.email;
    const runs = {
      check: await runCa(['check'], { cwd: dir }),
      stats: await runCa(['stats', '--json'], { cwd: dir }),
      customer: await runCa(['customer', email, '--json'], { cwd: dir }),
      status: await runCa(['status', '--json'], { cwd: dir }),
      model: await runCa(['report', 'model', '--holdout-weeks', '4', AS_OF], { cwd: dir }),
      export: await runCa(['export', 'postgres', '--account', 'readers'], { cwd: dir, env: { DATABASE_URL: await postgres.createDatabase('readers') } }),
    };
    // check fails (9): the imported orders are in the cache but not yet in the master. No command crashed.
    expect(runs.check.code, runs.check.stderr).toBe(9);
    expect(runs.check.stdout).toMatch(/^FAIL {2}customers with orders in the cache are in the master: .*ecom customer/m);
    for (const name of ['stats', 'customer', 'status', 'model', 'export'] as const) expect(runs[name].code, `${name}: ${runs[name].stderr}`).toBe(0);
    expect(JSON.parse(runs.customer.stdout)[0].row.email).toBe(email);
    expect(await snapshotFolder(dir)).toEqual(before);
  });
});
