/** fetchSquare survives what Square does to clients: expiring cursors, 429s, refused tokens, kills. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, RemoteError } from '../../../src/io/errors.js';
import { startSquareSandbox, type SquareSandbox } from '../../../src/sandbox/square/index.js';
import { NOW, expectStoreMatchesSandbox, fetchFrom, removeTempStores, storeContents, tempStore } from './helpers.js';

const OPTIONS = { now: NOW, maxPageSize: 20, customers: 150, historyDays: 60 };
let sandbox: SquareSandbox;
/** What an uninterrupted fetch from `sandbox` stores. */
let reference: Awaited<ReturnType<typeof storeContents>>;
let referenceProgressEvents = 0;

beforeAll(async () => {
  sandbox = await startSquareSandbox(OPTIONS);
  const store = await tempStore();
  await fetchFrom(sandbox, store, { progress: () => void referenceProgressEvents++ });
  reference = await storeContents(store);
});

afterAll(async () => {
  await sandbox.close();
  await removeTempStores();
});

class Killed extends Error {}

describe('fetchSquare resilience', () => {
  it('restarts a query whose cursor expired and ends with the same store', async () => {
    const sb = await startSquareSandbox(OPTIONS);
    try {
      sb.control.expireCursors(3);
      const store = await tempStore();
      await fetchFrom(sb, store);
      expect(sb.control.stats().invalidCursors).toBe(3);
      expect(await storeContents(store)).toEqual(reference);
    } finally {
      await sb.close();
    }
  });

  it('recognises an expired cursor by a 400 naming the cursor field, whatever its code, and restarts too', async () => {
    const sb = await startSquareSandbox(OPTIONS);
    try {
      sb.control.expireCursors(2, 'INVALID_VALUE');
      const store = await tempStore();
      await fetchFrom(sb, store);
      expect(sb.control.stats().invalidCursors).toBe(2);
      expect(await storeContents(store)).toEqual(reference);
    } finally {
      await sb.close();
    }
  });

  it('gives up on a query whose cursors keep expiring instead of looping', async () => {
    const sb = await startSquareSandbox(OPTIONS);
    try {
      sb.control.expireCursors(50);
      const store = await tempStore();
      const failure = await fetchFrom(sb, store).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(RemoteError);
      expect((failure as RemoteError).code).toBe('INVALID_CURSOR');
      expect(sb.control.stats().invalidCursors).toBe(4);
    } finally {
      await sb.close();
    }
  });

  it('survives 429 RATE_LIMITED without Retry-After by backing off', async () => {
    const sb = await startSquareSandbox(OPTIONS);
    try {
      const body = { errors: [{ category: 'RATE_LIMIT_ERROR', code: 'RATE_LIMITED', detail: 'Rate limited. Please retry later.' }] };
      sb.control.addFault({ kind: 'status', status: 429, body, count: 3, path: '/v2/payments' });
      sb.control.addFault({ kind: 'status', status: 429, body, count: 2, path: '/v2/customers/search' });
      const waits: number[] = [];
      const store = await tempStore();
      const summary = await fetchFrom(sb, store, { sleep: async (ms) => void waits.push(ms) });
      expect(summary.rateLimited).toBe(5);
      expect(summary.retries).toBe(5);
      expect(waits).toHaveLength(5);
      for (const wait of waits) expect(wait).toBeGreaterThanOrEqual(0);
      expect(await storeContents(store)).toEqual(reference);
    } finally {
      await sb.close();
    }
  });

  it('a refused token fails with AuthError and leaves state and store as they were, even with --full', async () => {
    const store = await tempStore();
    await fetchFrom(sandbox, store);
    const statePath = join(store.cacheDir, 'square', 'state.json');
    const stateBefore = await readFile(statePath, 'utf8');
    const contentsBefore = await storeContents(store);
    for (const full of [false, true]) {
      await expect(fetchFrom(sandbox, store, { token: 'revoked-token', full })).rejects.toBeInstanceOf(AuthError);
      expect(await readFile(statePath, 'utf8')).toBe(stateBefore);
      expect(await storeContents(store)).toEqual(contentsBefore);
    }
  });

  it('a refused token in the middle of a run keeps what was stored and never moves past it', async () => {
    const sb = await startSquareSandbox(OPTIONS);
    try {
      sb.control.addFault({ kind: 'status', status: 401, path: '/v2/bookings', body: { errors: [{ category: 'AUTHENTICATION_ERROR', code: 'UNAUTHORIZED' }] } });
      const store = await tempStore();
      // One location at a time, so the refused request is the first location's first window (with
      // locations at once, the others' windows stored meanwhile are kept, as the killed runs below show).
      await expect(fetchFrom(sb, store, { settings: { locationConcurrency: 1 } })).rejects.toBeInstanceOf(AuthError);
      const state = await store.readState<{ bookings: Record<string, unknown>; customers?: unknown }>('square');
      expect(state?.customers).toBeDefined();
      expect(state?.bookings).toEqual({});
      await fetchFrom(sb, store);
      expect(await storeContents(store)).toEqual(reference);
    } finally {
      await sb.close();
    }
  });

  it('locations listed at once (the default) store exactly what one location at a time does', async () => {
    const store = await tempStore();
    const summary = await fetchFrom(sandbox, store, { settings: { locationConcurrency: 1 } });
    expect(await storeContents(store)).toEqual(reference);
    expect(summary.streams.payments.added).toBe(reference.orders.filter((o) => o.kind === 'sale').length);
  });

  it('the reference run is long enough to be killed at every point below', () => {
    expect(referenceProgressEvents).toBeGreaterThan(60);
  });

  it.each([1, 3, 9, 20, 45])('a fetch killed after %i checkpoints and run again stores what an uninterrupted one does', async (killAt) => {
    const store = await tempStore();
    let events = 0;
    const kill = () => {
      if (++events === killAt) throw new Killed(`killed after ${killAt}`);
    };
    await expect(fetchFrom(sandbox, store, { progress: kill })).rejects.toBeInstanceOf(Killed);
    await fetchFrom(sandbox, store);
    expect(await storeContents(store)).toEqual(reference);
    await expectStoreMatchesSandbox(store, sandbox.control.world, NOW);
  });

  it('a fetch killed in the middle of payments resumes from its last stored page instead of starting over', async () => {
    const sb = await startSquareSandbox(OPTIONS);
    try {
      const payments = () => sb.control.stats().byRoute.payments ?? 0;
      const whole = await fetchFrom(sb, await tempStore());
      const wholeRequests = payments();
      expect(whole.streams.payments.added).toBeGreaterThan(3 * OPTIONS.maxPageSize);

      const store = await tempStore();
      let stored = 0;
      const kill = ({ stream, records }: { stream: string; records: number }) => {
        if (stream === 'payments' && records > 0 && ++stored === 3) throw new Killed('killed after 3 pages of payments');
      };
      // One location at a time, so "three pages" are three pages of one listing.
      await expect(fetchFrom(sb, store, { progress: kill, settings: { locationConcurrency: 1 } })).rejects.toBeInstanceOf(Killed);
      const before = payments();
      await fetchFrom(sb, store);
      const rerun = payments() - before;
      // The three stored pages are not asked for again; at most one more page, for the records of the
      // bookmark's last second that the 1 s overlap reads again.
      expect(rerun).toBeGreaterThanOrEqual(wholeRequests - 3);
      expect(rerun).toBeLessThanOrEqual(wholeRequests - 3 + 1);
      expect(await storeContents(store)).toEqual(reference);
    } finally {
      await sb.close();
    }
  });
});
