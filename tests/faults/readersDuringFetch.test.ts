/**
 * Readers and writers on one workspace at the same time, at the command level: a `ca fetch` appending
 * pages while `ca compute` and `ca check` run again and again. Before the workspace lock covered every
 * writer, `compute` and `check` folded the log into the base and truncated it without the lock, and
 * pages the fetch appended in between were lost while its cursor had already moved past them.
 */
import { rm, stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/io/store.js';
import { startLightspeedSandbox, type LightspeedSandbox } from '../../src/sandbox/lightspeed/index.js';
import { runCa, type RunResult } from '../helpers/cli.js';
import { AS_OF, LIGHTSPEED_SECRET, NOW, paths, removeWorkdirs, startProxy, workdir } from './helpers.js';

let sandbox: LightspeedSandbox;

beforeAll(async () => {
  sandbox = await startLightspeedSandbox({ seed: 71, customers: 600, historyDays: 60, salesPerDay: 50, now: NOW, currency: 'USD', token: LIGHTSPEED_SECRET, rateLimit: { enabled: false } });
});

afterAll(async () => {
  await sandbox?.close();
  await removeWorkdirs();
});

describe('readers during a fetch', () => {
  it('a `ca fetch` appending pages while `ca compute` and `ca check` run repeatedly ends with every record in the store', async () => {
    const dir = await workdir({ lightspeed: { pageSize: 20 } });
    let rounds = 0;
    let wake: () => void = () => {};
    const roundDone = () => new Promise<void>((resolve) => (wake = resolve));
    // Paced (a page every few ms), and the last, empty sales page held until the readers have done three
    // rounds: the fetch is still appending while they run, however slowly this machine starts processes.
    const proxy = await startProxy(sandbox.url, {
      paceMs: 5,
      beforeReply: async (url, body) => {
        if (url.pathname.endsWith('/sales') && /"data":\[\]/.test(body)) while (rounds < 3) await roundDone();
      },
    });
    try {
      // A workspace with a master, whose Lightspeed cache the fetch then rebuilds from the start.
      const first = await runCa(['update', AS_OF], { cwd: dir, env: { LIGHTSPEED_BASE_URL: sandbox.url, LIGHTSPEED_TOKEN: LIGHTSPEED_SECRET } });
      expect(first.code, first.stderr).toBe(0);
      await rm(paths(dir).cache, { recursive: true });

      let fetching = true;
      const fetchRun = runCa(['fetch', 'lightspeed', AS_OF], { cwd: dir, env: { LIGHTSPEED_BASE_URL: proxy.url, LIGHTSPEED_TOKEN: LIGHTSPEED_SECRET } });
      void fetchRun.finally(() => (fetching = false));
      // The readers start once the fetch has stored its first page (its state is written after it).
      while (fetching && !(await stat(paths(dir).state('lightspeed')).then(() => true, () => false))) await new Promise((resolve) => setTimeout(resolve, 20));
      const readers: { compute: RunResult; check: RunResult }[] = [];
      while (fetching) {
        const [compute, check] = await Promise.all([runCa(['compute', AS_OF], { cwd: dir }), runCa(['check'], { cwd: dir })]);
        readers.push({ compute, check });
        rounds++;
        wake();
      }
      const fetched = await fetchRun;
      expect(fetched.code, fetched.stderr).toBe(0);

      // Every sale and every customer the sandbox holds is in the store: nothing appended was lost.
      const store = new Store(paths(dir).cache);
      const orders = new Set((await store.readAll('lightspeed', 'orders')).map((o) => o.id));
      const customers = new Set((await store.readAll('lightspeed', 'customers')).map((c) => c.id));
      // GET /sales lists no deleted sales (API 2.0 takes no `deleted` there).
      const missingSales = sandbox.control.records('sales').filter((s) => !s.deleted_at && !orders.has(s.id));
      const missingCustomers = sandbox.control.records('customers').filter((c) => c.customer_code !== 'WALKIN' && !customers.has(c.id));
      expect({ missingSales: missingSales.length, missingCustomers: missingCustomers.length }).toEqual({ missingSales: 0, missingCustomers: 0 });

      // The readers did run while the fetch was writing: compute, a writer, waited its turn (exit 7
      // naming the fetch); check, a reader, ran through.
      expect(readers.length).toBeGreaterThanOrEqual(3);
      for (const { compute } of readers.slice(0, 3)) {
        expect(compute.code, compute.stderr).toBe(7);
        expect(compute.stderr).toMatch(/`ca fetch lightspeed` is running/);
      }
      expect(readers.every(({ check }) => check.code !== 1 && check.code !== 8), readers.map((r) => r.check.stderr).join('\n')).toBe(true);
    } finally {
      await proxy.close();
    }
  });
});
