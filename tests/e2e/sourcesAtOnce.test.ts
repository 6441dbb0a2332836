/**
 * One `ca update` fetches Lightspeed and Square at the same time. Proven without timing: a gate in front
 * of Lightspeed's sandbox holds its answers back until Square's sandbox has served requests (fetched one
 * after the other, Lightspeed first, Square would not start before Lightspeed had finished). A source that fails lets the other
 * finish: its pages, bookmarks and freshness are kept, the run log lists what it fetched, and the error
 * is the failing source's.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLightspeedSandbox, type LightspeedSandbox } from '../../src/sandbox/lightspeed/index.js';
import { startSquareSandbox, type SquareSandbox } from '../../src/sandbox/square/index.js';
import { startGate } from '../faults/helpers.js';
import { readCsv, removeDir, runCa, tempDir } from '../helpers/cli.js';
import { writeTestConfig } from '../helpers/config.js';

let lightspeed: LightspeedSandbox;
let square: SquareSandbox;
const dirs: string[] = [];

beforeAll(async () => {
  lightspeed = await startLightspeedSandbox({ seed: 191, customers: 40, historyDays: 20, salesPerDay: 5, currency: 'USD' });
  square = await startSquareSandbox({ seed: 192, customers: 30, historyDays: 20, bookingsPerDay: 2, currency: 'USD', searchLagMs: 0, paymentLagMs: 0 });
});

afterAll(async () => {
  await Promise.all([lightspeed?.close(), square?.close()]);
  await Promise.all(dirs.map(removeDir));
});

const env = (lightspeedToken = lightspeed.token) => ({
  LIGHTSPEED_TOKEN: lightspeedToken,
  LIGHTSPEED_BASE_URL: lightspeed.url,
  SQUARE_ACCESS_TOKEN: square.token,
  SQUARE_BASE_URL: square.url,
});

async function lastRun(dir: string) {
  const lines = (await readFile(join(dir, 'data', 'runs.ndjson'), 'utf8')).trim().split('\n');
  return JSON.parse(lines.at(-1)!) as {
    outcome: string;
    error: string | null;
    counts: { fetched: { source: string; requests: number; duration_ms: number }[]; fetch_ms?: number; customers?: number };
  };
}

describe('ca update fetches its sources at the same time', () => {
  it('Square is read while Lightspeed has not answered its first request yet', async () => {
    const dir = await tempDir('ca-at-once-');
    dirs.push(dir);
    await writeTestConfig(dir);
    const squareBefore = square.control.stats().requests;
    // Lightspeed's replies are held at a gate until Square has served its token check, locations, team
    // and customers: fetched one after the other with Lightspeed first, Square would never get there.
    const gate = await startGate(lightspeed.url);
    let heldWhenOpened: number | undefined;
    let run: Awaited<ReturnType<typeof runCa>>;
    try {
      run = await runCa(['update'], {
        cwd: dir,
        env: { ...env(), LIGHTSPEED_BASE_URL: gate.url },
        // Not a kill: opens the gate the moment Square has served 4 requests.
        killWhen: () => {
          if (heldWhenOpened === undefined && square.control.stats().requests - squareBefore >= 4) {
            heldWhenOpened = gate.held();
            gate.open();
          }
          return false;
        },
      });
    } finally {
      gate.open();
      await gate.close();
    }
    expect(run.code, run.stderr).toBe(0);
    // The gate was opened by Square's progress (Lightspeed got no answer before it): at most its first
    // request (the retailer) was waiting then.
    expect(heldWhenOpened, 'Square never served 4 requests while Lightspeed waited').toBeDefined();
    expect(heldWhenOpened).toBeLessThanOrEqual(1);
    const log = await lastRun(dir);
    expect(log.counts.fetched.map((f) => f.source)).toEqual(['lightspeed', 'square']);
    const [ls, sq] = log.counts.fetched;
    // The fetch phase took about the slower source, not the sum of the two (Square first, then
    // Lightspeed, would take the sum).
    expect(log.counts.fetch_ms).toBeGreaterThanOrEqual(Math.max(ls.duration_ms, sq.duration_ms));
    expect(log.counts.fetch_ms!).toBeLessThan(ls.duration_ms + sq.duration_ms);
    const master = await readCsv(join(dir, 'data', 'customer_analytics_master.csv'));
    expect(master.some((r) => r.lightspeed_customer_ids !== '')).toBe(true);
    expect(master.some((r) => r.square_customer_ids !== '')).toBe(true);
    // Each source's summary is a whole line of its own, naming it.
    expect(run.stderr).toMatch(/^lightspeed: outlets \+\d+ /m);
    expect(run.stderr).toMatch(/^square: locations \+\d+ /m);
  }, 180_000);

  it("a refused Lightspeed token fails the update with its error; Square's fetch is kept", async () => {
    const dir = await tempDir('ca-at-once-');
    dirs.push(dir);
    await writeTestConfig(dir);
    const run = await runCa(['update'], { cwd: dir, env: env('revoked-token-5a4b3c2d1e') });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('ca: GET /api/2.0/retailer: the service refused the credentials (HTTP 401)\n');
    const log = await lastRun(dir);
    expect(log.outcome).toBe('failed');
    expect(log.error).toBe('GET /api/2.0/retailer: the service refused the credentials (HTTP 401)');
    expect(log.counts.fetched.map((f) => f.source)).toEqual(['square']);
    const freshness = JSON.parse(await readFile(join(dir, 'data', 'cache', 'freshness.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(freshness)).toEqual(['square']);
    const state = JSON.parse(await readFile(join(dir, 'data', 'cache', 'square', 'state.json'), 'utf8')) as { lastCompletedAt?: number };
    expect(state.lastCompletedAt).toEqual(expect.any(Number));
    // No master and no timestamp: the update as a whole failed.
    await expect(readFile(join(dir, '.last_update_timestamp'))).rejects.toThrow();
    // The next run with a good token fetches Lightspeed, and Square goes on from its bookmarks.
    const before = square.control.stats().requests;
    const again = await runCa(['update'], { cwd: dir, env: env() });
    expect(again.code, again.stderr).toBe(0);
    const sq = (await lastRun(dir)).counts.fetched.find((f) => f.source === 'square')!;
    expect(sq.requests).toBe(square.control.stats().requests - before);
    expect(sq.requests).toBeLessThan(log.counts.fetched[0].requests);
  }, 180_000);
});
