/**
 * `ca update --days=14` killed in the middle of Lightspeed sales, after an earlier successful update,
 * then run again: the rerun reads only the sales after the last stored page (one request per page
 * size, plus the closing page), not the whole history. Before, the look-back restarted every
 * Lightspeed stream from version 0 whenever no checkpoint was old enough, killed run or not.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/io/store.js';
import { startLightspeedSandbox, type LightspeedSandbox } from '../../src/sandbox/lightspeed/index.js';
import { runCa } from '../helpers/cli.js';
import { AS_OF, LIGHTSPEED_SECRET, NOW, paths, removeWorkdirs, startProxy, workdir } from './helpers.js';

const PAGE = 50;
let sandbox: LightspeedSandbox;

beforeAll(async () => {
  sandbox = await startLightspeedSandbox({ seed: 95, customers: 300, historyDays: 60, salesPerDay: 30, now: NOW, currency: 'USD', token: LIGHTSPEED_SECRET, rateLimit: { enabled: false } });
});

afterAll(async () => {
  await sandbox?.close();
  await removeWorkdirs();
});

const env = () => ({ LIGHTSPEED_BASE_URL: sandbox.url, LIGHTSPEED_TOKEN: LIGHTSPEED_SECRET });
const salesCursor = async (dir: string): Promise<number> =>
  JSON.parse(await readFile(paths(dir).state('lightspeed'), 'utf8').catch(() => '{"streams":{}}')).streams.sales?.cursor ?? 0;

describe('ca update killed during a fetch', () => {
  it('resumes from the last stored page on the next run, --days=14 or not', async () => {
    const dir = await workdir({ lightspeed: { pageSize: PAGE } });
    const first = await runCa(['update', AS_OF], { cwd: dir, env: env() });
    expect(first.code, first.stderr).toBe(0);

    // Three weeks of new sales. The run gets two pages of them; the reply to its third request for
    // sales never comes, so it is still there, however busy the machine, when it is killed for having
    // stored some.
    sandbox.control.advance(21);
    const before = await salesCursor(dir);
    let salesPages = 0;
    const stall = await startProxy(sandbox.url, {
      beforeReply: async (url) => {
        if (url.pathname.endsWith('/sales') && ++salesPages > 2) await new Promise(() => {});
      },
    });
    const killed = await runCa(['update', '--days=14', AS_OF], {
      cwd: dir,
      env: { ...env(), LIGHTSPEED_BASE_URL: stall.url },
      killWhen: async () => (await salesCursor(dir)) > before,
    });
    await stall.close();
    expect(killed.signal).toBe('SIGKILL');

    const stored = await salesCursor(dir);
    const remaining = sandbox.control.records('sales').filter((s) => !s.deleted_at && s.version > stored).length;
    expect(remaining).toBeGreaterThan(2 * PAGE);
    // The rerun goes through a proxy that counts its requests (the killed run's last one may still be
    // on its way to the sandbox).
    const proxy = await startProxy(sandbox.url);
    const rerun = await runCa(['update', '--days=14', AS_OF], { cwd: dir, env: { ...env(), LIGHTSPEED_BASE_URL: proxy.url } });
    await proxy.close();
    expect(rerun.code, rerun.stderr).toBe(0);
    const made = (resource: string) => proxy.requests.get(`/api/2.0/${resource}`) ?? 0;
    expect(made('sales')).toBe(Math.ceil(remaining / PAGE) + 1);
    // The streams the killed run had finished cost their closing page only.
    for (const stream of ['outlets', 'registers', 'users', 'customers']) expect(made(stream), stream).toBe(1);

    // And nothing is missing: every sale of the sandbox is in the store.
    const orders = new Set((await new Store(paths(dir).cache).readAll('lightspeed', 'orders')).map((o) => o.id));
    expect(sandbox.control.records('sales').filter((s) => !s.deleted_at && !orders.has(s.id))).toEqual([]);
  });
});
