/**
 * Secrets: every command run with --verbose and fake tokens, made to fail in the ways a real run does
 * (refused token, a vendor error that echoes the token back, retries running out, timeouts, truncated
 * pages, waits too long, a kill mid-fetch, an unreachable database). Afterwards no token and no
 * database password is in any file under the working folder (data, cache, archive, run log, reports,
 * rejects) nor in anything printed on stdout or stderr.
 */
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCa, type RunResult } from '../helpers/cli.js';
import { AS_OF, LIGHTSPEED_SECRET, removeWorkdirs, SQUARE_SECRET, startSandboxes, walk, workdir, type Sandboxes } from './helpers.js';

const DATABASE_PASSWORD = 'pg-S3cret-Pa55w0rd-7f2c';

let sandboxes: Sandboxes;
let dir: string;
const outputs: Array<{ args: string[]; run: RunResult }> = [];

async function ca(args: string[], options: { env?: Record<string, string> } = {}): Promise<RunResult> {
  const run = await runCa([...args, '--verbose'], { cwd: dir, env: { ...sandboxes.env(), ...options.env } });
  outputs.push({ args, run });
  sandboxes.lightspeed.control.clearFaults();
  sandboxes.square.control.clearFaults();
  return run;
}

const echo = (secret: string) => `the token Bearer ${secret} is not allowed here (token=${secret})`;

beforeAll(async () => {
  sandboxes = await startSandboxes(51);
  dir = await workdir({ lightspeed: { maxRetries: 1, timeoutMs: 1500, maxWaitMs: 2000 }, ecom: { mapping: 'generic', file: 'formulas.csv' } });
  await copyFile(join(REPO, 'tests', 'fixtures', 'faults', 'formulas.csv'), join(dir, 'formulas.csv'));
  const ls = sandboxes.lightspeed.control;
  const sq = sandboxes.square.control;

  expect((await ca(['update', AS_OF])).code).toBe(0);
  expect((await ca(['fetch', 'lightspeed'])).code).toBe(0);
  expect((await ca(['fetch', 'square', '--full'])).code).toBe(0);

  // Vendors that echo the credentials back in their error bodies.
  ls.addFault({ kind: 'status', status: 400, body: { error: 'bad_request', message: echo(LIGHTSPEED_SECRET) }, count: -1 });
  expect((await ca(['update', AS_OF])).code).toBe(4);
  ls.addFault({ kind: 'status', status: 401, body: { error: 'invalid_token', error_description: echo(LIGHTSPEED_SECRET) }, count: -1 });
  expect((await ca(['update', AS_OF])).code).toBe(3);
  sq.addFault({ kind: 'status', status: 400, body: { errors: [{ category: 'INVALID_REQUEST_ERROR', code: 'BAD_REQUEST', detail: echo(SQUARE_SECRET) }] }, count: -1 });
  expect((await ca(['update', AS_OF])).code).toBe(4);
  sq.addFault({ kind: 'status', status: 401, body: { errors: [{ category: 'AUTHENTICATION_ERROR', code: 'UNAUTHORIZED', detail: echo(SQUARE_SECRET) }] }, count: -1 });
  expect((await ca(['fetch', 'square', '--full'])).code).toBe(3);
  // The alias variable, with an echo.
  ls.addFault({ kind: 'status', status: 404, body: { error: 'not_found', message: echo(LIGHTSPEED_SECRET) }, count: -1 });
  expect((await ca(['fetch', 'lightspeed'], { env: { LIGHTSPEED_TOKEN: '', EXPO_PUBLIC_LIGHTSPEED_TOKEN: LIGHTSPEED_SECRET } })).code).toBe(4);

  // Retries running out, timeouts, cut bodies, waits too long, resets.
  ls.addFault({ kind: 'status', status: 503, body: { message: echo(LIGHTSPEED_SECRET) }, count: -1 });
  expect((await ca(['update', AS_OF])).code).toBe(5);
  ls.addFault({ kind: 'latency', ms: 4000, count: -1 });
  expect((await ca(['update', AS_OF])).code).toBe(5);
  ls.addFault({ kind: 'truncate', count: -1 });
  expect((await ca(['update', AS_OF])).code).toBe(5);
  ls.addFault({ kind: 'status', status: 429, headers: { 'retry-after': '3600' }, body: { message: echo(LIGHTSPEED_SECRET) }, count: -1 });
  expect((await ca(['update', AS_OF])).code).toBe(5);
  ls.addFault({ kind: 'reset', count: -1 });
  expect((await ca(['update', AS_OF])).code).toBe(5);

  // Killed mid-fetch (right after its second stored page), then a full rerun.
  expect((await ca(['update', AS_OF, '--full'], { env: { CA_TEST_CRASH_AT: 'append:2' } })).signal).toBe('SIGKILL');
  expect((await ca(['update', AS_OF, '--full'])).code).toBe(0);

  // Everything that reads or reports.
  for (const args of [['status', '--json'], ['check'], ['stats', '--json'], ['customer', 'eve@example.com', '--json'], ['report', 'html'], ['report', 'model', '--json']]) {
    await ca([...args, AS_OF]);
  }
  // A database that is not there: the URL carries a password.
  const url = `postgres://analytics:${DATABASE_PASSWORD}@127.0.0.1:9/analytics`;
  expect((await ca(['export', 'postgres'], { env: { DATABASE_URL: url } })).code).not.toBe(0);
  expect((await ca(['export', 'postgres', '--url', url])).code).not.toBe(0);
}, 300_000);

afterAll(async () => {
  await sandboxes?.close();
  await removeWorkdirs();
});

const SECRETS = [LIGHTSPEED_SECRET, SQUARE_SECRET, DATABASE_PASSWORD];

describe('no secret anywhere', () => {
  it('the vendors did echo the tokens: ca printed them masked', () => {
    const printed = outputs.map((o) => o.run.stderr).join('\n');
    expect(printed).toMatch(/the token Bearer \*\*\* is not allowed here \(token=\*\*\*\)/);
    expect(printed).toMatch(/refused the credentials/);
    expect(printed).toMatch(/cannot connect to PostgreSQL at analytics@127\.0\.0\.1:9\/analytics/);
  });

  it('nothing printed on stdout or stderr holds one', () => {
    for (const { args, run } of outputs) {
      for (const secret of SECRETS) {
        expect(run.stdout.includes(secret), `stdout of ca ${args.join(' ')}`).toBe(false);
        expect(run.stderr.includes(secret), `stderr of ca ${args.join(' ')}`).toBe(false);
      }
    }
  });

  it('no file under the working folder holds one', async () => {
    const files = await walk(dir);
    expect(files).toEqual(expect.arrayContaining(['.last_update_timestamp', 'data/runs.ndjson', 'data/customer_analytics_master.csv', 'data/reports/report.html', 'data/cache/lightspeed/state.json', 'data/cache/square/state.json']));
    expect(files.some((f) => f.startsWith('archive/'))).toBe(true);
    expect(files.some((f) => f.startsWith('data/rejects/'))).toBe(true);
    for (const file of files) {
      const bytes = await readFile(join(dir, file));
      for (const secret of SECRETS) {
        expect(bytes.includes(secret), `${file} holds a secret`).toBe(false);
        expect(bytes.includes(Buffer.from(secret, 'utf16le')), `${file} holds a secret (UTF-16)`).toBe(false);
      }
    }
  });

  it('the run log recorded the failures, masked', async () => {
    const log = await readFile(join(dir, 'data', 'runs.ndjson'), 'utf8');
    const runs = log.trim().split('\n').map((line) => JSON.parse(line) as { outcome: string; error: string | null });
    expect(runs.filter((r) => r.outcome === 'failed').length).toBeGreaterThanOrEqual(8);
    expect(log).toContain('***');
  });
});
