/**
 * What goes in comes out, against a real PostgreSQL 15: hostile names reach the table exactly as the
 * customer typed them (inert apostrophes removed, nothing interpreted as SQL), accounts never see each
 * other's rows, and big masters go through in many batches.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MASTER_COLUMN_NAMES } from '../../../src/core/masterColumns.js';
import { exportToPostgres } from '../../../src/export/postgres.js';
import { captureLog, snapshotTable, startPostgres, withClient, type PostgresServer } from '../../helpers/postgresServer.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/postgres/${name}`, import.meta.url));

let server: PostgresServer;
let scratch: string;

beforeAll(async () => {
  server = await startPostgres();
  scratch = await mkdtemp(join(tmpdir(), 'ca-pg-masters-'));
});

afterAll(async () => {
  await server?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function rows(url: string, sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  return withClient(url, async (client) => (await client.query(sql, values)).rows);
}

describe('hostile text round-trips exactly', () => {
  let url: string;

  beforeAll(async () => {
    url = await server.createDatabase('tricky');
    await exportToPostgres({ url, account: "acct'); DROP TABLE customer_analytics; --", masterPath: fixture('master_tricky.csv'), log: captureLog().logger });
  });

  test.each([
    { id: 'T1', column: 'first_name', value: 'O\'Brien "The Quote"' },
    { id: 'T1', column: 'last_name', value: 'back\\slash\\\\double' },
    { id: 'T1', column: 'company', value: 'line1\nline2\r\nline3' },
    { id: 'T2', column: 'first_name', value: "'); DROP TABLE customer_analytics; --" },
    { id: 'T2', column: 'last_name', value: "Robert'); DROP TABLE x; --" },
    { id: 'T2', column: 'email', value: "a@b.c' OR '1'='1" },
    { id: 'T3', column: 'first_name', value: '=HYPERLINK("http://evil.example","click")' },
    { id: 'T3', column: 'last_name', value: '-dash' },
    { id: 'T3', column: 'company', value: '+SUM(1,2)' },
    { id: 'T3', column: 'email', value: '@handle' },
    { id: 'T4', column: 'first_name', value: "'=not a formula" },
    { id: 'T4', column: 'last_name', value: "'quoted'" },
    { id: 'T4', column: 'company', value: 'Zoë 🎉 Ünïcödé' },
    { id: 'T4', column: 'preferred_staff', value: '日本語' },
    { id: 'T5', column: 'company', value: '-42' },
    { id: 'T5', column: 'phone', value: '+14155552671' },
    { id: 'T5', column: 'preferred_staff', value: '\tTabby' },
    { id: "x'); DROP TABLE customer_analytics; --", column: 'first_name', value: '$1 $$ :name ?' },
  ])('$id $column', async ({ id, column, value }) => {
    const [row] = await rows(url, `SELECT "${column}" AS value FROM customer_analytics WHERE customer_id = $1`, [id]);
    expect(row).toEqual({ value });
  });

  test('list items keep commas, quotes, backslashes, braces and spaces', async () => {
    expect(await rows(url, "SELECT lightspeed_customer_ids, sources FROM customer_analytics WHERE customer_id = 'T5'")).toEqual([
      { lightspeed_customer_ids: ['a,b', 'c"d', 'e\\f', '{g}', ' x '], sources: ['lightspeed', 'square'] },
    ]);
  });

  test('a user-added column lands in extra, inert apostrophe removed', async () => {
    expect(await rows(url, 'SELECT customer_id, extra FROM customer_analytics WHERE extra IS NOT NULL')).toEqual([
      { customer_id: "x'); DROP TABLE customer_analytics; --", extra: { notes: '=1+1' } },
    ]);
  });

  test('the account name is data too, and every table is still there', async () => {
    expect(await rows(url, 'SELECT DISTINCT account FROM customer_analytics')).toEqual([
      { account: "acct'); DROP TABLE customer_analytics; --" },
    ]);
    expect(await rows(url, 'SELECT count(*)::integer AS n FROM customer_analytics')).toEqual([{ n: 6 }]);
  });

  test('re-exporting the same file finds every value equal: nothing is written', async () => {
    const before = await snapshotTable(url, 'customer_analytics', 'customer_id');
    expect(
      await exportToPostgres({ url, account: "acct'); DROP TABLE customer_analytics; --", masterPath: fixture('master_tricky.csv'), log: captureLog().logger }),
    ).toMatchObject({ inserted: 0, updated: 0, unchanged: 6 });
    expect(await snapshotTable(url, 'customer_analytics', 'customer_id')).toEqual(before);
  });
});

describe('a master as version 2 writes it for spreadsheets (tests/fixtures/postgres/master_sheet_cells.csv)', () => {
  let url: string;

  beforeAll(async () => {
    url = await server.createDatabase('sheet_cells');
    // A server whose sessions are not in UTC: a time without a zone must still land as UTC.
    await withClient(url, (client) => client.query(`ALTER DATABASE sheet_cells SET timezone = 'Pacific/Auckland'`));
    await exportToPostgres({ url, account: 'shop', masterPath: fixture('master_sheet_cells.csv'), log: captureLog().logger });
  });

  test('times without the Z are UTC instants, whatever the session time zone', async () => {
    const got = await rows(
      url,
      `SELECT customer_id, extract(epoch FROM customer_since)::bigint AS since, extract(epoch FROM next_booking_at)::bigint AS next
       FROM customer_analytics ORDER BY customer_id`,
    );
    expect(got).toEqual([
      { customer_id: 'C001', since: String(Date.UTC(2023, 0, 5, 10, 0, 0) / 1000), next: null },
      { customer_id: 'C002', since: String(Date.UTC(2024, 2, 1, 9, 0, 0) / 1000), next: String(Date.UTC(2025, 6, 1, 9, 30, 0) / 1000) },
    ]);
  });

  test('phones are E.164 again, or as written without the protecting apostrophe; lists and numbers as ever', async () => {
    expect(await rows(url, 'SELECT customer_id, phone, lightspeed_customer_ids, p_alive::text AS p FROM customer_analytics ORDER BY customer_id')).toEqual([
      { customer_id: 'C001', phone: '+447700900001', lightspeed_customer_ids: ['ls-1', 'ls-9'], p: '0.9300' },
      { customer_id: 'C002', phone: '0612345678', lightspeed_customer_ids: null, p: '0.4100' },
    ]);
  });
});

describe('two accounts in one database', () => {
  test("one account's exports never touch the other's rows", async () => {
    const url = await server.createDatabase('accounts');
    const run = (account: string, master: string, daily: string) =>
      exportToPostgres({
        url,
        account,
        masterPath: fixture(master),
        dailyReportPath: fixture(daily),
        runLogPath: fixture('runs.ndjson'),
        log: captureLog().logger,
      });
    await run('north', 'master_v1.csv', 'daily_v1.csv');
    const northBefore = await rows(url, "SELECT xmin::text AS v, * FROM customer_analytics WHERE account = 'north' ORDER BY customer_id");
    const northDailyBefore = await rows(url, "SELECT xmin::text AS v, * FROM customer_analytics_daily WHERE account = 'north' ORDER BY date, location");
    const northRunsBefore = await rows(url, "SELECT xmin::text AS v, * FROM customer_analytics_runs WHERE account = 'north' ORDER BY run_id");

    // Same customer ids, another account: all new rows, and north's C003 is not "missing" from it.
    expect(await run('south', 'master_v2.csv', 'daily_v2.csv')).toEqual({
      inserted: 3,
      updated: 0,
      unchanged: 0,
      markedRemoved: 0,
      restored: 0,
      dailyRows: 3,
      runs: 3,
    });
    expect(await rows(url, "SELECT xmin::text AS v, * FROM customer_analytics WHERE account = 'north' ORDER BY customer_id")).toEqual(northBefore);
    expect(await rows(url, "SELECT xmin::text AS v, * FROM customer_analytics_daily WHERE account = 'north' ORDER BY date, location")).toEqual(northDailyBefore);
    expect(await rows(url, "SELECT xmin::text AS v, * FROM customer_analytics_runs WHERE account = 'north' ORDER BY run_id")).toEqual(northRunsBefore);

    const southBefore = await rows(url, "SELECT xmin::text AS v, * FROM customer_analytics WHERE account = 'south' ORDER BY customer_id");
    expect(await run('north', 'master_v2.csv', 'daily_v2.csv')).toMatchObject({ inserted: 1, updated: 1, unchanged: 1, markedRemoved: 1 });
    expect(await rows(url, "SELECT xmin::text AS v, * FROM customer_analytics WHERE account = 'south' ORDER BY customer_id")).toEqual(southBefore);
    expect(
      await rows(url, 'SELECT account, customer_id, removed_at IS NOT NULL AS removed, orders_count FROM customer_analytics ORDER BY account, customer_id'),
    ).toEqual([
      { account: 'north', customer_id: 'C001', removed: false, orders_count: 5 },
      { account: 'north', customer_id: 'C002', removed: false, orders_count: 4 },
      { account: 'north', customer_id: 'C003', removed: true, orders_count: 1 },
      { account: 'north', customer_id: 'C004', removed: false, orders_count: 0 },
      { account: 'south', customer_id: 'C001', removed: false, orders_count: 5 },
      { account: 'south', customer_id: 'C002', removed: false, orders_count: 4 },
      { account: 'south', customer_id: 'C004', removed: false, orders_count: 0 },
    ]);
    expect(await rows(url, 'SELECT account, count(*)::integer AS n FROM analytics_daily_by_location GROUP BY account ORDER BY account')).toEqual([
      { account: 'north', n: 3 },
      { account: 'south', n: 3 },
    ]);
  });

  test('two accounts exported at the same moment into a fresh database both succeed, migrating once', async () => {
    const url = await server.createDatabase('concurrent');
    const run = (account: string) =>
      exportToPostgres({ url, account, masterPath: fixture('master_v1.csv'), log: captureLog().logger });
    const summaries = await Promise.all([run('east'), run('west')]);
    expect(summaries.map((summary) => summary.inserted)).toEqual([3, 3]);
    expect(await rows(url, 'SELECT version FROM ca_schema_migrations ORDER BY version')).toEqual([
      { version: 1 },
      { version: 2 },
      { version: 3 },
    ]);
    expect(await rows(url, 'SELECT account, count(*)::integer AS n FROM customer_analytics GROUP BY account ORDER BY account')).toEqual([
      { account: 'east', n: 3 },
      { account: 'west', n: 3 },
    ]);
  });
});

describe('a big master in many batches', () => {
  /** A master of customers G0001…, each with a name and an order count; contract columns otherwise empty. */
  async function writeMaster(name: string, customers: { id: string; orders: number }[]): Promise<string> {
    const header = [...MASTER_COLUMN_NAMES];
    const idAt = header.indexOf('customer_id');
    const nameAt = header.indexOf('first_name');
    const ordersAt = header.indexOf('orders_count');
    const lines = [header.join(',')];
    for (const customer of customers) {
      const cells = header.map(() => '');
      cells[idAt] = customer.id;
      cells[nameAt] = `Name ${customer.id}`;
      cells[ordersAt] = String(customer.orders);
      lines.push(cells.join(','));
    }
    const path = join(scratch, name);
    await writeFile(path, `\ufeff${lines.join('\r\n')}\r\n`);
    return path;
  }

  const id = (n: number) => `G${String(n).padStart(4, '0')}`;
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

  test('3000 customers, then a master with 100 gone, 50 changed and 20 new', async () => {
    const url = await server.createDatabase('big');
    const first = await writeMaster('big1.csv', range(1, 3000).map((n) => ({ id: id(n), orders: 1 })));
    const log = captureLog();
    expect(await exportToPostgres({ url, account: 'big', masterPath: first, batchSize: 1000, log: log.logger })).toMatchObject({
      inserted: 3000,
      updated: 0,
      unchanged: 0,
      markedRemoved: 0,
    });
    expect(log.debug).toEqual([
      'postgres: customer batch 1 written (1000 rows so far)',
      'postgres: customer batch 2 written (2000 rows so far)',
      'postgres: customer batch 3 written (3000 rows so far)',
    ]);

    // 1..100 gone, 101..150 now have 2 orders, 151..3000 as before, 3001..3020 new.
    const second = await writeMaster('big2.csv', [
      ...range(101, 150).map((n) => ({ id: id(n), orders: 2 })),
      ...range(151, 3020).map((n) => ({ id: id(n), orders: 1 })),
    ]);
    // Far above what one statement can carry: the export caps it instead of failing.
    expect(await exportToPostgres({ url, account: 'big', masterPath: second, batchSize: 100_000, log: captureLog().logger })).toEqual({
      inserted: 20,
      updated: 50,
      unchanged: 2850,
      markedRemoved: 100,
      restored: 0,
      dailyRows: 0,
      runs: 0,
    });
    expect(
      await rows(
        url,
        'SELECT count(*) FILTER (WHERE removed_at IS NOT NULL)::integer AS removed, sum(orders_count)::integer AS orders, ' +
          "min(customer_id) FILTER (WHERE removed_at IS NULL) AS first_kept FROM customer_analytics",
      ),
    ).toEqual([{ removed: 100, orders: 100 * 1 + 50 * 2 + 2850 * 1 + 20 * 1, first_kept: 'G0101' }]);
  });
});
