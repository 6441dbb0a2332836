/**
 * Network and vendor faults through the sandboxes, against the real binary: 429 storms, 5xx bursts,
 * connection resets, responses slower than the timeout, a truncated JSON page, expired Square cursors,
 * a token revoked mid-run. Each run ends either in the master an undisturbed run writes, or in a clear
 * one-line error with its exit code, the master, first-time buyers and timestamp untouched, and sync
 * state that only moved forward over pages that were stored (so the next run loses nothing).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Fault } from '../../src/sandbox/common.js';
import { startSquareSandbox } from '../../src/sandbox/square/index.js';
import { runCa, type RunResult } from '../helpers/cli.js';
import { writeTestConfig } from '../helpers/config.js';
import { AS_OF, bytesOf, copyOfWorkdir, paths, removeWorkdirs, runLog, snapshot, squareOptions, startSandboxes, workdir, type Sandboxes } from './helpers.js';

let sandboxes: Sandboxes;
/** A working folder after one undisturbed full run; its master is what every recovered run must write. */
let reference: string;
let expected: Buffer;

beforeAll(async () => {
  sandboxes = await startSandboxes(21);
  reference = await workdir();
  const run = await runCa(['update', AS_OF], { cwd: reference, env: sandboxes.env() });
  expect(run.code, run.stderr).toBe(0);
  expected = (await bytesOf(paths(reference).master))!;
});

afterAll(async () => {
  await sandboxes?.close();
  await removeWorkdirs();
});

beforeEach(() => {
  sandboxes.lightspeed.control.clearFaults();
  sandboxes.square.control.clearFaults();
});

const lightspeed = (...faults: Fault[]) => faults.forEach((f) => sandboxes.lightspeed.control.addFault(f));
const square = (...faults: Fault[]) => faults.forEach((f) => sandboxes.square.control.addFault(f));
const update = (cwd: string, ...extra: string[]) => runCa(['update', AS_OF, '--verbose', ...extra], { cwd, env: sandboxes.env() });

/** A copy of the reference folder: a master, a timestamp and sync state to keep intact. */
async function copyOfReference(config?: Record<string, unknown>): Promise<string> {
  const dir = await copyOfWorkdir(reference);
  if (config) await writeTestConfig(dir, config);
  return dir;
}

async function expectRecovered(dir: string, run: RunResult): Promise<void> {
  expect(run.code, run.stderr).toBe(0);
  expect((await bytesOf(paths(dir).master))!.equals(expected), 'master differs from the undisturbed run').toBe(true);
}

/** The one-line reason `ca` gives on stderr (before any hint or stack trace). */
const reason = (run: RunResult) => run.stderr.split('\n').find((line) => line.startsWith('ca: ')) ?? '';

type Cursors = Record<string, number>;
function bookmarks(state: Buffer | null, source: 'lightspeed' | 'square'): Cursors {
  if (!state) return {};
  const parsed = JSON.parse(state.toString('utf8'));
  if (source === 'lightspeed') return Object.fromEntries(Object.entries(parsed.streams as Record<string, { cursor: number }>).map(([k, v]) => [k, v.cursor]));
  const out: Cursors = {};
  if (parsed.customers) out.customers = parsed.customers.through;
  if (parsed.refunds) out.refunds = parsed.refunds.through;
  for (const [location, p] of Object.entries(parsed.payments as Record<string, { through: number }>)) out[`payments:${location}`] = p.through;
  return out;
}

/**
 * After a failed run: outputs untouched, the failing (Lightspeed) sync state unchanged or only moved
 * forward. Square is fetched at the same time and succeeds: its state may move forward (checked below
 * with every bookmark), never back.
 */
async function expectNothingLost(dir: string, before: Awaited<ReturnType<typeof snapshot>>, stateUnchanged: boolean): Promise<void> {
  const after = await snapshot(dir);
  expect(after.master, 'master changed').toEqual(before.master);
  expect(after.firstTimeBuyers, 'first-time buyers changed').toEqual(before.firstTimeBuyers);
  expect(after.timestamp, 'timestamp moved').toEqual(before.timestamp);
  if (stateUnchanged) expect(after.lightspeedState, 'lightspeed state.json changed').toEqual(before.lightspeedState);
  for (const source of ['lightspeed', 'square'] as const) {
    const old = bookmarks(before[`${source}State`], source);
    const now = bookmarks(after[`${source}State`], source);
    for (const [stream, value] of Object.entries(old)) expect(now[stream], `${source} ${stream} bookmark went back`).toBeGreaterThanOrEqual(value);
  }
  expect((await runLog(dir)).at(-1)?.outcome).toBe('failed');
  // Nothing was lost: the same data, fetched again without faults, gives the undisturbed master.
  sandboxes.lightspeed.control.clearFaults();
  sandboxes.square.control.clearFaults();
  await expectRecovered(dir, await update(dir));
}

describe('faults a run recovers from: the master is the undisturbed one', () => {
  it('429 storms on both APIs (Retry-After honoured)', async () => {
    const dir = await workdir();
    const tooMany = { error: 'Too Many Requests', message: 'Rate limiting enforced' };
    lightspeed({ kind: 'status', status: 429, body: tooMany, headers: { 'retry-after': '0' }, count: 6, path: '/api/2.0/sales' });
    square({ kind: 'status', status: 429, body: { errors: [{ category: 'RATE_LIMIT_ERROR', code: 'RATE_LIMITED' }] }, headers: { 'retry-after': '0' }, count: 5, path: '/v2/payments' });
    const run = await update(dir);
    await expectRecovered(dir, run);
    expect(run.stderr).toMatch(/lightspeed: .*6 rate-limited/);
    expect(run.stderr).toMatch(/square: .*5 rate-limited/);
  });

  it('5xx bursts on both APIs (backoff, then the same pages again)', async () => {
    const dir = await workdir();
    lightspeed({ kind: 'status', status: 503, count: 2, path: '/api/2.0/customers' }, { kind: 'status', status: 500, count: 2, path: '/api/2.0/sales' });
    square({ kind: 'status', status: 500, count: 1, path: '/v2/customers/search' }, { kind: 'status', status: 502, count: 2, path: '/v2/bookings' });
    const run = await update(dir);
    await expectRecovered(dir, run);
    expect(run.stderr).toMatch(/lightspeed: .* 4 retries/);
    expect(run.stderr).toMatch(/square: .* 3 retries/);
  });

  it('connection resets', async () => {
    const dir = await workdir();
    lightspeed({ kind: 'reset', count: 3, path: '/api/2.0/sales' });
    square({ kind: 'reset', count: 2, path: '/v2/payments' });
    const run = await update(dir);
    await expectRecovered(dir, run);
    expect(run.stderr).toMatch(/ECONNRESET|UND_ERR_SOCKET|other side closed/);
  });

  it('responses slower than lightspeed.timeoutMs', async () => {
    const dir = await workdir({ lightspeed: { timeoutMs: 400 } });
    lightspeed({ kind: 'latency', ms: 1500, count: 2, path: '/api/2.0/customers' });
    const run = await update(dir);
    await expectRecovered(dir, run);
    expect(run.stderr).toMatch(/UND_ERR_HEADERS_TIMEOUT/);
  });

  it('a truncated JSON page', async () => {
    const dir = await workdir();
    lightspeed({ kind: 'truncate', count: 1, path: '/api/2.0/sales' });
    square({ kind: 'truncate', count: 1, path: '/v2/customers/search' });
    const run = await update(dir);
    await expectRecovered(dir, run);
    expect(run.stderr).toMatch(/not complete JSON/);
  });

  it('an expired Square cursor: the query starts again', async () => {
    const dir = await workdir();
    sandboxes.square.control.expireCursors(1);
    const run = await update(dir);
    await expectRecovered(dir, run);
    expect(run.stderr).toMatch(/cursor expired; restarting/);
    expect(sandboxes.square.control.stats().invalidCursors).toBeGreaterThanOrEqual(1);
  });
});

describe('faults a run cannot get past: a clear error, nothing overwritten, nothing lost', () => {
  it('a 429 storm that never ends: exit 5 after the retries', async () => {
    const dir = await copyOfReference();
    const before = await snapshot(dir);
    lightspeed({ kind: 'status', status: 429, headers: { 'retry-after': '0' }, count: -1 });
    const run = await update(dir);
    expect(run.code).toBe(5);
    expect(reason(run)).toMatch(/^ca: GET \/api\/2\.0\/\w+ failed after 9 attempts: HTTP 429$/);
    await expectNothingLost(dir, before, true);
  });

  it('a Retry-After longer than lightspeed.maxWaitMs: exit 5 at once', async () => {
    const dir = await copyOfReference({ lightspeed: { maxWaitMs: 5000 } });
    const before = await snapshot(dir);
    lightspeed({ kind: 'status', status: 429, headers: { 'retry-after': '3600' }, count: -1 });
    const run = await update(dir);
    expect(run.code).toBe(5);
    expect(reason(run)).toMatch(/asks to wait 3600 s, more than the 5 s allowed/);
    await expectNothingLost(dir, before, true);
  });

  it('5xx until the retries run out: exit 5', async () => {
    const dir = await copyOfReference({ lightspeed: { maxRetries: 2 } });
    const before = await snapshot(dir);
    lightspeed({ kind: 'status', status: 502, count: -1 });
    const run = await update(dir);
    expect(run.code).toBe(5);
    expect(reason(run)).toMatch(/failed after 3 attempts: HTTP 502$/);
    await expectNothingLost(dir, before, true);
  });

  it('every response slower than the timeout: exit 5', async () => {
    // A timeout a busy machine does not reach by itself: the run that recovers keeps this config.
    const dir = await copyOfReference({ lightspeed: { timeoutMs: 1000, maxRetries: 1 } });
    const before = await snapshot(dir);
    lightspeed({ kind: 'latency', ms: 2500, count: -1 });
    const run = await update(dir);
    expect(run.code).toBe(5);
    expect(reason(run)).toMatch(/failed after 2 attempts: UND_ERR_HEADERS_TIMEOUT$/);
    await expectNothingLost(dir, before, true);
  });

  it('every page truncated: exit 5', async () => {
    const dir = await copyOfReference({ lightspeed: { maxRetries: 2 } });
    const before = await snapshot(dir);
    lightspeed({ kind: 'truncate', count: -1 });
    const run = await update(dir);
    expect(run.code).toBe(5);
    expect(reason(run)).toMatch(/not complete JSON$/);
    await expectNothingLost(dir, before, true);
  });

  it('Square cursors that keep expiring: exit 4 naming INVALID_CURSOR', async () => {
    const dir = await copyOfReference();
    const before = await snapshot(dir);
    // A twin of the Square sandbox (same seed, same data) that refuses every cursor from now on: the
    // refusals cannot be taken back, so the shared sandbox is spared.
    const twin = await startSquareSandbox(squareOptions(22));
    try {
      twin.control.expireCursors(1000);
      // --days reaches back over the whole history, so there are queries of many pages (and cursors).
      const run = await runCa(['update', AS_OF, '--verbose', '--days=1000'], { cwd: dir, env: { ...sandboxes.env(), SQUARE_BASE_URL: twin.url } });
      expect(run.code).toBe(4);
      expect(reason(run)).toMatch(/HTTP 400 INVALID_CURSOR: The cursor is invalid or has expired\.$/);
      expect(run.stderr).toMatch(/restarting the query \(3\/3\)/);
    } finally {
      await twin.close();
    }
    await expectNothingLost(dir, before, false);
  });

  it('a token revoked mid-run (401 after some requests): exit 3', async () => {
    const dir = await copyOfReference();
    const before = await snapshot(dir);
    // Three requests get through (outlets and registers are read and saved), then every one is refused.
    lightspeed({ kind: 'latency', ms: 0, count: 3 }, { kind: 'status', status: 401, body: { error: 'invalid_token' }, count: -1 });
    const run = await update(dir);
    expect(run.code).toBe(3);
    expect(reason(run)).toMatch(/^ca: GET \/api\/2\.0\/\w+: the service refused the credentials \(HTTP 401\)$/);
    await expectNothingLost(dir, before, false);
  });

  it('a token revoked before `ca update --full`: the cache is not thrown away', async () => {
    const dir = await copyOfReference();
    const before = await snapshot(dir);
    const base = await bytesOf(join(paths(dir).cache, 'lightspeed', 'orders.col'));
    lightspeed({ kind: 'status', status: 401, count: -1 });
    const run = await update(dir, '--full');
    expect(run.code).toBe(3);
    expect(await bytesOf(join(paths(dir).cache, 'lightspeed', 'orders.col'))).toEqual(base);
    await expectNothingLost(dir, before, true);
  });
});
