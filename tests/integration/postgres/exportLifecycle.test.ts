/**
 * `exportToPostgres` against a real PostgreSQL 15: first export, an unchanged re-export that writes no
 * row, a changed master (updates, removals), customers coming back, the daily report and its view, the
 * run log, and the schema migrations.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exportToPostgres } from '../../../src/export/postgres.js';
import {
  captureLog,
  snapshotTable,
  startPostgres,
  withClient,
  type PostgresServer,
} from '../../helpers/postgresServer.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/postgres/${name}`, import.meta.url));
const at = (iso: string) => new Date(iso);

let server: PostgresServer;

beforeAll(async () => {
  server = await startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

async function rows(url: string, sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  return withClient(url, async (client) => (await client.query(sql, values)).rows);
}

describe('a master exported, re-exported, changed and restored', () => {
  let url: string;
  const account = 'shop-1';
  const exportMaster = (master: string, batchSize = 2) => {
    const log = captureLog();
    return {
      log,
      run: () =>
        exportToPostgres({
          url,
          account,
          masterPath: fixture(master),
          dailyReportPath: fixture('daily_v1.csv'),
          runLogPath: fixture('runs.ndjson'),
          batchSize,
          log: log.logger,
        }),
    };
  };

  beforeAll(async () => {
    url = await server.createDatabase('lifecycle');
  });

  test('the first export creates the tables and inserts every customer with typed values', async () => {
    const { run, log } = exportMaster('master_v1.csv');
    expect(await run()).toEqual({
      inserted: 3,
      updated: 0,
      unchanged: 0,
      markedRemoved: 0,
      restored: 0,
      dailyRows: 4,
      runs: 3,
    });
    const [ada] = await rows(url, "SELECT * FROM customer_analytics WHERE customer_id = 'C001'");
    expect(ada).toEqual({
      account: 'shop-1',
      customer_id: 'C001',
      lightspeed_customer_ids: ['ls-1', 'ls-9'],
      square_customer_ids: null,
      ecom_customer_keys: null,
      first_name: 'Ada',
      last_name: 'Lovelace',
      company: 'Analytical Engines',
      email: 'ada@example.com',
      phone: '+447700900001',
      email_opt_out: false,
      customer_since: at('2023-01-05T10:00:00Z'),
      first_order_at: at('2023-01-05T10:15:00Z'),
      last_order_at: at('2025-05-30T16:20:00Z'),
      first_order_channel: 'in_store',
      first_order_location: 'Downtown',
      first_order_source: null,
      orders_count: 5,
      in_store_orders: 5,
      online_orders: 0,
      appointment_orders: 0,
      gross_revenue: '500.00',
      refunds: '20.00',
      net_revenue: '480.00',
      avg_order_value: '96.00',
      tips_total: '12.50',
      currency: 'GBP',
      orders_last_365d: 2,
      revenue_last_365d: '190.00',
      days_since_last_order: 3,
      avg_days_between_orders: '121.5',
      first_booking_at: null,
      last_booking_at: null,
      next_booking_at: null,
      accepted_bookings: 0,
      cancelled_by_customer: 0,
      cancelled_by_seller: 0,
      no_shows: 0,
      preferred_staff: 'Grace',
      preferred_service: null,
      distinct_locations: 1,
      lifecycle_segment: 'ACTIVE',
      value_tier: 'HIGH',
      rfm_score: '545',
      rfm_segment: 'champions',
      is_repeat_customer: true,
      is_first_time_buyer: false,
      p_alive: '0.93',
      expected_orders_12m: '1.8',
      predicted_clv_12m: '172.80',
      sources: ['lightspeed'],
      extra: { notes: 'VIP table' },
      first_exported_at: expect.any(Date),
      updated_at: expect.any(Date),
      removed_at: null,
    });
    expect(ada.first_exported_at).toEqual(ada.updated_at);
    const [carol] = await rows(
      url,
      "SELECT customer_since, p_alive, extra, ecom_customer_keys FROM customer_analytics WHERE customer_id = 'C003'",
    );
    expect(carol).toEqual({
      customer_since: at('2025-05-20T08:00:00.123Z'),
      p_alive: null,
      extra: null,
      ecom_customer_keys: ['ecom:carol@example.com'],
    });
    expect(log.info.some((line) => line.includes('applied migration 1'))).toBe(true);
  });

  test('the tables have the documented column types and keys', async () => {
    const types = await rows(
      url,
      'SELECT column_name, data_type FROM information_schema.columns ' +
        "WHERE table_name = 'customer_analytics' AND column_name = ANY($1) ORDER BY column_name",
      [['account', 'customer_id', 'sources', 'customer_since', 'orders_count', 'net_revenue', 'p_alive', 'email_opt_out', 'extra', 'removed_at']],
    );
    expect(types).toEqual([
      { column_name: 'account', data_type: 'text' },
      { column_name: 'customer_id', data_type: 'text' },
      { column_name: 'customer_since', data_type: 'timestamp with time zone' },
      { column_name: 'email_opt_out', data_type: 'boolean' },
      { column_name: 'extra', data_type: 'jsonb' },
      { column_name: 'net_revenue', data_type: 'numeric' },
      { column_name: 'orders_count', data_type: 'integer' },
      { column_name: 'p_alive', data_type: 'numeric' },
      { column_name: 'removed_at', data_type: 'timestamp with time zone' },
      { column_name: 'sources', data_type: 'ARRAY' },
    ]);
    const keys = await rows(
      url,
      'SELECT c.relname AS table, array_agg(a.attname::text ORDER BY k.ordinality) AS key ' +
        'FROM pg_constraint p JOIN pg_class c ON c.oid = p.conrelid ' +
        'CROSS JOIN LATERAL unnest(p.conkey) WITH ORDINALITY AS k(attnum, ordinality) ' +
        'JOIN pg_attribute a ON a.attrelid = p.conrelid AND a.attnum = k.attnum ' +
        "WHERE p.contype = 'p' AND c.relname LIKE 'customer_analytics%' GROUP BY c.relname ORDER BY c.relname",
    );
    expect(keys).toEqual([
      { table: 'customer_analytics', key: ['account', 'customer_id'] },
      { table: 'customer_analytics_daily', key: ['account', 'date', 'location'] },
      { table: 'customer_analytics_runs', key: ['account', 'run_id'] },
    ]);
    expect(await rows(url, 'SELECT version, description FROM ca_schema_migrations ORDER BY version')).toEqual([
      { version: 1, description: 'customer_analytics table' },
      { version: 2, description: 'customer_analytics_daily table and analytics_daily_by_location view' },
      { version: 3, description: 'customer_analytics_runs table' },
    ]);
  });

  test('re-exporting the same files touches no row in any table', async () => {
    const before = {
      customers: await snapshotTable(url, 'customer_analytics', 'customer_id'),
      daily: await snapshotTable(url, 'customer_analytics_daily', 'date, location'),
      runs: await snapshotTable(url, 'customer_analytics_runs', 'run_id'),
      migrations: await snapshotTable(url, 'ca_schema_migrations', 'version'),
    };
    const { run, log } = exportMaster('master_v1.csv', 1);
    expect(await run()).toEqual({
      inserted: 0,
      updated: 0,
      unchanged: 3,
      markedRemoved: 0,
      restored: 0,
      dailyRows: 4,
      runs: 3,
    });
    expect({
      customers: await snapshotTable(url, 'customer_analytics', 'customer_id'),
      daily: await snapshotTable(url, 'customer_analytics_daily', 'date, location'),
      runs: await snapshotTable(url, 'customer_analytics_runs', 'run_id'),
      migrations: await snapshotTable(url, 'ca_schema_migrations', 'version'),
    }).toEqual(before);
    expect(log.info.some((line) => line.includes('migration'))).toBe(false);
  });

  test('a changed master updates changed rows only, inserts new ones and marks missing ones removed', async () => {
    const before = await rows(url, 'SELECT customer_id, xmin::text AS version, updated_at, first_exported_at FROM customer_analytics ORDER BY customer_id');
    const { run } = exportMaster('master_v2.csv');
    expect(await run()).toEqual({
      inserted: 1,
      updated: 1,
      unchanged: 1,
      markedRemoved: 1,
      restored: 0,
      dailyRows: 4,
      runs: 3,
    });
    const after = await rows(
      url,
      'SELECT customer_id, xmin::text AS version, updated_at, first_exported_at, removed_at, orders_count, first_name, extra ' +
        'FROM customer_analytics ORDER BY customer_id',
    );
    expect(after.map((row) => [row.customer_id, row.orders_count, row.first_name, row.extra, row.removed_at === null])).toEqual([
      ['C001', 5, 'Ada', { notes: 'VIP table' }, true],
      ['C002', 4, 'Bob', { notes: 'called back' }, true],
      ['C003', 1, 'Carol', null, false],
      ['C004', 0, 'Dee', null, true],
    ]);
    // C001 did not change: the very same row version is still there.
    expect(after[0].version).toBe(before[0].version);
    expect(after[0].updated_at).toEqual(before[0].updated_at);
    // C002 changed and C003 was marked: both rewritten, their first export time kept.
    expect(after[1].version).not.toBe(before[1].version);
    expect((after[1].updated_at as Date).getTime()).toBeGreaterThan((before[1].updated_at as Date).getTime());
    expect(after[1].first_exported_at).toEqual(before[1].first_exported_at);
    expect(after[2].removed_at).toEqual(after[2].updated_at);
    expect(after[2].first_exported_at).toEqual(before[2].first_exported_at);
  });

  test('a removed customer stays marked, unchanged, while it is still missing', async () => {
    const before = await snapshotTable(url, 'customer_analytics', 'customer_id');
    expect(await exportMaster('master_v2.csv').run()).toMatchObject({ inserted: 0, updated: 0, unchanged: 3, markedRemoved: 0 });
    expect(await snapshotTable(url, 'customer_analytics', 'customer_id')).toEqual(before);
  });

  test('a customer back in the master is restored: removed_at cleared, first export time kept', async () => {
    const [carolBefore] = await rows(url, "SELECT first_exported_at FROM customer_analytics WHERE customer_id = 'C003'");
    expect(await exportMaster('master_v3.csv').run()).toEqual({
      inserted: 0,
      updated: 1,
      unchanged: 3,
      markedRemoved: 0,
      restored: 1,
      dailyRows: 4,
      runs: 3,
    });
    const [carol] = await rows(url, "SELECT removed_at, first_exported_at, first_name FROM customer_analytics WHERE customer_id = 'C003'");
    expect(carol).toEqual({ removed_at: null, first_exported_at: carolBefore.first_exported_at, first_name: 'Carol' });
  });
});

describe('the daily-by-location report and its view', () => {
  let url: string;
  const load = (daily: string) =>
    exportToPostgres({
      url,
      account: 'shop-1',
      masterPath: fixture('master_v1.csv'),
      dailyReportPath: fixture(daily),
      log: captureLog().logger,
    });

  beforeAll(async () => {
    url = await server.createDatabase('daily');
  });

  test('loads every row, undoing inert apostrophes, and the view derives its columns', async () => {
    expect((await load('daily_v1.csv')).dailyRows).toBe(4);
    const view = await rows(
      url,
      "SELECT to_char(date, 'YYYY-MM-DD') AS date, location, orders, revenue, avg_order_value, returning_share, " +
        "to_char(week_start, 'YYYY-MM-DD') AS week_start, to_char(month_start, 'YYYY-MM-DD') AS month_start, iso_weekday " +
        'FROM analytics_daily_by_location ORDER BY date, location',
    );
    expect(view).toEqual([
      { date: '2025-06-01', location: 'Downtown', orders: 12, revenue: '845.50', avg_order_value: '70.46', returning_share: '0.7000', week_start: '2025-05-26', month_start: '2025-06-01', iso_weekday: 7 },
      { date: '2025-06-01', location: 'Uptown', orders: 4, revenue: '200.00', avg_order_value: '50.00', returning_share: '0.7500', week_start: '2025-05-26', month_start: '2025-06-01', iso_weekday: 7 },
      { date: '2025-06-02', location: "=Evil, Inc", orders: 1, revenue: '19.99', avg_order_value: '19.99', returning_share: '0.0000', week_start: '2025-06-02', month_start: '2025-06-01', iso_weekday: 1 },
      { date: '2025-06-02', location: 'Downtown', orders: 0, revenue: '0.00', avg_order_value: null, returning_share: null, week_start: '2025-06-02', month_start: '2025-06-01', iso_weekday: 1 },
    ]);
  });

  test('a new report updates changed days, deletes days it no longer has and leaves the rest alone', async () => {
    const before = await rows(url, "SELECT location, to_char(date, 'YYYY-MM-DD') AS date, xmin::text AS version FROM customer_analytics_daily ORDER BY date, location");
    expect((await load('daily_v2.csv')).dailyRows).toBe(3);
    const after = await rows(
      url,
      "SELECT location, to_char(date, 'YYYY-MM-DD') AS date, orders, revenue, xmin::text AS version FROM customer_analytics_daily ORDER BY date, location",
    );
    expect(after.map(({ version: _version, ...row }) => row)).toEqual([
      { location: 'Downtown', date: '2025-06-01', orders: 13, revenue: '900.00' },
      { location: 'Uptown', date: '2025-06-01', orders: 4, revenue: '200.00' },
      { location: 'Downtown', date: '2025-06-02', orders: 0, revenue: '0.00' },
    ]);
    const version = (rowsOf: Record<string, unknown>[], date: string, location: string) =>
      rowsOf.find((row) => row.date === date && row.location === location)?.version;
    expect(version(after, '2025-06-01', 'Downtown')).not.toBe(version(before, '2025-06-01', 'Downtown'));
    expect(version(after, '2025-06-01', 'Uptown')).toBe(version(before, '2025-06-01', 'Uptown'));
    expect(version(after, '2025-06-02', 'Downtown')).toBe(version(before, '2025-06-02', 'Downtown'));
  });
});

describe('the run log', () => {
  test('keeps the last line of each run, reads ISO and epoch-ms times and skips unusable lines', async () => {
    const url = await server.createDatabase('runs');
    const log = captureLog();
    const summary = await exportToPostgres({
      url,
      account: 'shop-1',
      masterPath: fixture('master_v1.csv'),
      runLogPath: fixture('runs.ndjson'),
      log: log.logger,
    });
    expect(summary.runs).toBe(3);
    expect(
      await rows(url, 'SELECT account, run_id, command, started_at, ended_at, outcome, error, counts FROM customer_analytics_runs ORDER BY run_id'),
    ).toEqual([
      {
        account: 'shop-1',
        run_id: 'r-001',
        command: 'update',
        started_at: at('2025-06-01T02:00:00Z'),
        ended_at: at('2025-06-01T02:03:10Z'),
        outcome: 'ok',
        error: null,
        counts: { customers: 3, orders: 120 },
      },
      {
        account: 'shop-1',
        run_id: 'r-002',
        command: 'update',
        started_at: at('2025-06-02T02:00:00Z'),
        ended_at: at('2025-06-02T02:00:05Z'),
        outcome: 'failed',
        error: 'Lightspeed answered 503 after 5 retries',
        counts: {},
      },
      {
        account: 'shop-1',
        run_id: 'r-003',
        command: 'export postgres',
        started_at: at('2025-06-03T02:00:00Z'),
        ended_at: at('2025-06-03T02:00:42Z'),
        outcome: 'ok',
        error: null,
        counts: { inserted: 3 },
      },
    ]);
    expect(log.warn).toEqual([
      expect.stringMatching(/line 3 has no run_id; skipped$/),
      expect.stringMatching(/line 6 is not JSON; skipped$/),
    ]);
  });
});

describe('migrations', () => {
  test('a contract column missing from an existing table is added back, and recorded migrations are not rerun', async () => {
    const url = await server.createDatabase('migrate');
    const options = { url, account: 'shop-1', masterPath: fixture('master_v1.csv'), log: captureLog().logger };
    await exportToPostgres(options);
    // As if the table had been made by an older ca that did not know these columns yet.
    await withClient(url, (client) => client.query('ALTER TABLE customer_analytics DROP COLUMN sources, DROP COLUMN predicted_clv_12m'));
    const log = captureLog();
    expect(await exportToPostgres({ ...options, log: log.logger })).toMatchObject({ updated: 3, inserted: 0 });
    expect(log.info.filter((line) => line.includes('added column'))).toEqual([
      'postgres: added column customer_analytics.predicted_clv_12m (numeric)',
      'postgres: added column customer_analytics.sources (text[])',
    ]);
    expect(await rows(url, 'SELECT customer_id, sources, predicted_clv_12m FROM customer_analytics ORDER BY customer_id')).toEqual([
      { customer_id: 'C001', sources: ['lightspeed'], predicted_clv_12m: '172.80' },
      { customer_id: 'C002', sources: ['square'], predicted_clv_12m: '30.00' },
      { customer_id: 'C003', sources: ['ecom'], predicted_clv_12m: null },
    ]);
    expect(await rows(url, 'SELECT count(*)::integer AS n FROM ca_schema_migrations')).toEqual([{ n: 3 }]);
  });
});
