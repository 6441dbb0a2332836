/** What the network and the vendor throw at a Lightspeed fetch: 429 storms, 5xx, resets, cut bodies, bad tokens. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError } from '../../../src/io/errors.js';
import { Store } from '../../../src/io/store.js';
import { startLightspeedSandbox, type LightspeedSandbox } from '../../../src/sandbox/lightspeed/index.js';
import { fetchFrom, NOW, removeTempDirs, storeContents, tempDir } from './helpers.js';

const DATA = { customers: 300, salesPerDay: 20, historyDays: 60, now: NOW, seed: 9, rateLimit: { enabled: false } };
const tooMany = { error: 'Too Many Requests', message: 'Rate limiting enforced' };

afterAll(removeTempDirs);

describe('faults', () => {
  let sandbox: LightspeedSandbox;
  let reference: Awaited<ReturnType<typeof storeContents>>;

  beforeAll(async () => {
    sandbox = await startLightspeedSandbox(DATA);
    const store = new Store(await tempDir());
    await fetchFrom(sandbox, store);
    reference = await storeContents(store);
  });
  afterAll(() => sandbox.close());

  it('survives a 429 storm, 5xx, connection resets and truncated bodies with the same store', async () => {
    const soon = new Date(Date.now() + 2000).toUTCString();
    sandbox.control.addFault({ kind: 'status', status: 503, count: 1, path: '/api/2.0/retailer' });
    sandbox.control.addFault({ kind: 'status', status: 429, body: tooMany, headers: { 'retry-after': soon }, count: 6, path: '/api/2.0/customers' });
    sandbox.control.addFault({ kind: 'status', status: 500, count: 2, path: '/api/2.0/sales' });
    sandbox.control.addFault({ kind: 'reset', count: 2, path: '/api/2.0/sales' });
    sandbox.control.addFault({ kind: 'truncate', count: 2, path: '/api/2.0/sales' });
    let t = Date.now();
    const waits: number[] = [];
    const store = new Store(await tempDir());
    const summary = await fetchFrom(sandbox, store, {
      now: () => t,
      sleep: async (ms) => {
        waits.push(ms);
        t += ms;
      },
    });
    expect(summary.rateLimited).toBe(6);
    expect(summary.retries).toBe(1 + 6 + 6);
    expect(await storeContents(store)).toEqual(reference);
    // one wait per retry; each 429 waited until its Retry-After date, 1 or 2 s after the response's Date
    expect(waits).toHaveLength(13);
    expect(waits.filter((w) => w === 1000 || w === 2000).length).toBeGreaterThanOrEqual(6);
  });

  it('honours Retry-After as an HTTP-date, measured against the response Date', async () => {
    let t = NOW;
    const waits: number[] = [];
    sandbox.control.addFault({
      kind: 'status',
      status: 429,
      body: tooMany,
      headers: { 'retry-after': 'Sat, 30 Nov 2024 22:10:00 GMT', date: 'Sat, 30 Nov 2024 22:09:53 GMT' },
      count: 1,
      path: '/api/2.0/outlets',
    });
    const store = new Store(await tempDir());
    const summary = await fetchFrom(sandbox, store, {
      now: () => t,
      sleep: async (ms) => {
        waits.push(ms);
        t += ms;
      },
    });
    expect(waits).toEqual([7000]);
    expect(summary.rateLimited).toBe(1);
    expect(await storeContents(store)).toEqual(reference);
  });

  it('a refused token is an AuthError that changes nothing, even with --full, and never shows the token', async () => {
    const dir = await tempDir();
    await fetchFrom(sandbox, new Store(dir));
    const statePath = join(dir, 'lightspeed', 'state.json');
    const stateBefore = await readFile(statePath, 'utf8');
    const contentsBefore = await storeContents(new Store(dir));
    const token = 'wrong-token-0123456789';
    for (const full of [false, true]) {
      const error = await fetchFrom(sandbox, new Store(dir), { token, full }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AuthError);
      expect(`${(error as AuthError).message} ${(error as AuthError).hint}`).not.toContain(token);
    }
    expect(await readFile(statePath, 'utf8')).toBe(stateBefore);
    expect(await storeContents(new Store(dir))).toEqual(contentsBefore);
  });
});

describe('pacing against the real budget', () => {
  it('a backfill several windows long, sleeping for real, meets no 429', async () => {
    // 1 register: 10 × 1 + 5 = 15 requests per 2 s window; about 35 requests at 20 records a page
    const sandbox = await startLightspeedSandbox({
      customers: 200,
      salesPerDay: 10,
      historyDays: 30,
      outlets: 1,
      registersPerOutlet: 1,
      now: NOW,
      rateLimit: { windowMs: 2000, perRegister: 10, base: 5 },
    });
    try {
      const store = new Store(await tempDir());
      const summary = await fetchFrom(sandbox, store, {
        sleep: undefined,
        settings: { pageSize: 20, rateLimitWindowSeconds: 2 },
      });
      expect(summary.requests).toBeGreaterThan(2 * 15);
      expect(summary.rateLimited).toBe(0);
      expect(sandbox.control.stats().rateLimited).toBe(0);
      expect((await storeContents(store)).orders).toHaveLength(sandbox.control.records('sales').filter((s) => !s.deleted_at).length);
    } finally {
      await sandbox.close();
    }
  });
});
