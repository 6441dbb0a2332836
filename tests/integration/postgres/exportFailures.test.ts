/**
 * Failing exports against a real PostgreSQL 15: whatever goes wrong (a bad cell in a late batch, a
 * repeated customer, the connection cut mid-way) the tables stay exactly as they were; bad URLs and
 * refused logins are configuration errors whose messages never hold the password.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exportToPostgres } from '../../../src/export/postgres.js';
import { ConfigError, InputError, NetworkError } from '../../../src/io/errors.js';
import {
  TEST_PASSWORD,
  captureLog,
  snapshotExport,
  startCuttableProxy,
  startPostgres,
  withClient,
  type PostgresServer,
} from '../../helpers/postgresServer.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/postgres/${name}`, import.meta.url));

let server: PostgresServer;

beforeAll(async () => {
  server = await startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

async function firstExport(url: string): Promise<void> {
  await exportToPostgres({
    url,
    account: 'shop-1',
    masterPath: fixture('master_v1.csv'),
    dailyReportPath: fixture('daily_v1.csv'),
    runLogPath: fixture('runs.ndjson'),
    log: captureLog().logger,
  });
}

async function failure(run: Promise<unknown>): Promise<Error> {
  try {
    await run;
  } catch (error) {
    return error as Error;
  }
  throw new Error('the export did not fail');
}

describe('a failing export leaves everything as it was', () => {
  test.each([
    {
      name: 'a bad number three batches in',
      master: 'master_bad_row.csv',
      batchSize: 2,
      kind: InputError,
      message: /^master .*master_bad_row\.csv line 6: orders_count is not a whole number$/,
    },
    {
      name: 'a customer_id repeated in a later batch',
      master: 'master_duplicate_id.csv',
      batchSize: 2,
      kind: InputError,
      message: /^master .*master_duplicate_id\.csv line 5: customer_id appears more than once$/,
    },
    {
      name: 'a customer_id repeated within one batch',
      master: 'master_duplicate_id.csv',
      batchSize: 100,
      kind: InputError,
      message: /line 5: customer_id appears more than once$/,
    },
    {
      name: 'a row with a cell too few',
      master: 'master_short_row.csv',
      batchSize: 1,
      kind: InputError,
      message: /^master .*master_short_row\.csv is not valid CSV: Invalid Record Length: expect 51, got 50 on line 3$/,
    },
    {
      name: 'a date and location repeated in the daily report',
      master: 'master_v2.csv',
      daily: 'daily_duplicate.csv',
      batchSize: 2,
      kind: InputError,
      message: /^daily report .*daily_duplicate\.csv line 4: this date and location appear more than once$/,
    },
    {
      name: 'a master without a contract column',
      master: 'master_missing_column.csv',
      batchSize: 2,
      kind: InputError,
      message: /master_missing_column\.csv lacks columns: rfm_score$/,
    },
  ])('$name', async ({ master, daily, batchSize, kind, message }) => {
    const url = await server.createDatabase(`fail_${master.replace(/\W/g, '_')}_${daily ?? ''}_${batchSize}`.replace(/\W/g, '_'));
    await firstExport(url);
    const before = await snapshotExport(url);
    const error = await failure(
      exportToPostgres({
        url,
        account: 'shop-1',
        masterPath: fixture(master),
        dailyReportPath: fixture(daily ?? 'daily_v2.csv'),
        runLogPath: fixture('runs.ndjson'),
        batchSize,
        log: captureLog().logger,
      }),
    );
    expect(error).toBeInstanceOf(kind);
    expect(error.message).toMatch(message);
    expect(await snapshotExport(url)).toEqual(before);
  });

  test('a daily report with the wrong columns, read after the whole master was written, rolls the master back too', async () => {
    const url = await server.createDatabase('fail_daily');
    await firstExport(url);
    const before = await snapshotExport(url);
    const error = await failure(
      exportToPostgres({
        url,
        account: 'shop-1',
        masterPath: fixture('master_v2.csv'),
        dailyReportPath: fixture('master_v1.csv'),
        log: captureLog().logger,
      }),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^daily report .*master_v1\.csv lacks columns: date, location, orders, revenue, unique_customers, … \(8 in all\)$/);
    expect(await snapshotExport(url)).toEqual(before);
  });

  test('a failed first export leaves no table, view or migration behind', async () => {
    const url = await server.createDatabase('fail_first');
    const error = await failure(
      exportToPostgres({ url, account: 'shop-1', masterPath: fixture('master_bad_row.csv'), batchSize: 1, log: captureLog().logger }),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(await snapshotExport(url)).toEqual({
      customer_analytics: null,
      customer_analytics_daily: null,
      customer_analytics_runs: null,
      ca_schema_migrations: null,
      analytics_daily_by_location: null,
    });
  });

  test('the connection cut after the first batch: nothing changed, and a later export still works', async () => {
    const url = await server.createDatabase('fail_cut');
    await firstExport(url);
    const before = await snapshotExport(url);
    const proxy = await startCuttableProxy(server.port);
    try {
      const log = captureLog((message) => {
        if (message.includes('customer batch 1 written')) proxy.cut();
      });
      const error = await failure(
        exportToPostgres({
          url: server.urlFor('fail_cut', proxy.port),
          account: 'shop-1',
          masterPath: fixture('master_v2.csv'),
          dailyReportPath: fixture('daily_v2.csv'),
          batchSize: 1,
          log: log.logger,
        }),
      );
      expect(error).toBeInstanceOf(NetworkError);
      expect(error.message).toBe(
        'lost the connection to PostgreSQL at ca_test@127.0.0.1:' + proxy.port + '/fail_cut during the export; nothing was changed',
      );
      expect(log.debug).toEqual(['postgres: customer batch 1 written (1 rows so far)']);
    } finally {
      await proxy.close();
    }
    expect(await snapshotExport(url)).toEqual(before);
    // The server ended the cut session and released its lock: the same export goes through now.
    expect(
      await exportToPostgres({ url, account: 'shop-1', masterPath: fixture('master_v2.csv'), log: captureLog().logger }),
    ).toMatchObject({ inserted: 1, updated: 1, unchanged: 1, markedRemoved: 1 });
  });

  test('the session terminated by the server while it waits on a locked row: nothing changed', async () => {
    const url = await server.createDatabase('fail_kill');
    await firstExport(url);
    const before = await snapshotExport(url);
    await withClient(url, async (blocker) => {
      // master_v2 writes C004, C001, then C002: with one row a batch, the third statement waits here.
      await blocker.query('BEGIN');
      await blocker.query("SELECT 1 FROM customer_analytics WHERE customer_id = 'C002' FOR UPDATE");
      const exporting = failure(
        exportToPostgres({ url, account: 'shop-1', masterPath: fixture('master_v2.csv'), batchSize: 1, log: captureLog().logger }),
      );
      // Polled from another session: inside the blocker's transaction pg_stat_activity would stay frozen.
      await withClient(url, async (watcher) => {
        let terminated = false;
        while (!terminated) {
          const result = await watcher.query(
            'SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity ' +
              "WHERE application_name = 'ca export postgres' AND wait_event_type = 'Lock'",
          );
          terminated = result.rows.some((row) => row.done === true);
        }
      });
      const error = await exporting;
      expect(error).toBeInstanceOf(NetworkError);
      expect(error.message).toMatch(/^lost the connection to PostgreSQL at .* during the export; nothing was changed$/);
      await blocker.query('ROLLBACK');
    });
    expect(await snapshotExport(url)).toEqual(before);
  });
});

describe('configuration and input errors', () => {
  const master = fixture('master_v1.csv');
  const cases = () => [
    { name: 'not a URL', url: 'not a url', message: /^the PostgreSQL URL is not a valid URL \(expected postgres:\/\/user:password@host:5432\/database\)$/ },
    { name: 'another scheme', url: `mysql://ca_test:${encodeURIComponent(TEST_PASSWORD)}@127.0.0.1/db`, message: /^the PostgreSQL URL must start with postgres:\/\/ or postgresql:\/\// },
    {
      name: 'a wrong password',
      url: `postgres://ca_test:${encodeURIComponent('Wr0ng-p@ss/word')}@127.0.0.1:${server.port}/postgres`,
      message: new RegExp(`^PostgreSQL at ca_test@127\\.0\\.0\\.1:${server.port}/postgres refused the login \\(wrong user or password\\?\\)$`),
    },
    {
      name: 'an unknown user',
      url: `postgresql://nobody:${encodeURIComponent(TEST_PASSWORD)}@127.0.0.1:${server.port}/postgres`,
      message: /refused the login/,
    },
    {
      name: 'a database that does not exist',
      url: server.urlFor('no_such_db'),
      message: new RegExp(`^PostgreSQL at ca_test@127\\.0\\.0\\.1:${server.port}/no_such_db: the database does not exist$`),
    },
    { name: 'nothing listening', url: server.urlFor('postgres', 1), message: /^cannot connect to PostgreSQL at ca_test@127\.0\.0\.1:1\/postgres \(ECONNREFUSED\)$/ },
  ];

  test('each bad target is a one-line ConfigError without the password', async () => {
    for (const { name, url, message } of cases()) {
      const log = captureLog();
      const error = await failure(exportToPostgres({ url, account: 'shop-1', masterPath: master, log: log.logger }));
      expect(error, name).toBeInstanceOf(ConfigError);
      expect(error.message, name).toMatch(message);
      for (const secret of [TEST_PASSWORD, encodeURIComponent(TEST_PASSWORD), 'Wr0ng-p@ss/word', 'Wr0ng']) {
        expect(error.message, name).not.toContain(secret);
        expect(String(error.stack), name).not.toContain(secret);
        expect(log.all().join('\n'), name).not.toContain(secret);
      }
      expect(error.message, name).not.toMatch(/\n/);
    }
  });

  test('a missing master is an InputError, reported before connecting', async () => {
    // Port 1: were a connection attempted first, this would be a ConfigError instead.
    const error = await failure(
      exportToPostgres({ url: server.urlFor('postgres', 1), account: 'shop-1', masterPath: fixture('nope.csv'), log: captureLog().logger }),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^master not found: .*nope\.csv$/);
  });

  test('a successful export logs where it went but never the password', async () => {
    const url = await server.createDatabase('quiet');
    const log = captureLog();
    await exportToPostgres({ url, account: 'shop-1', masterPath: master, runLogPath: fixture('runs.ndjson'), log: log.logger });
    const text = log.all().join('\n');
    expect(text).toContain(`exported to ca_test@127.0.0.1:${server.port}/quiet`);
    expect(text).not.toContain(TEST_PASSWORD);
    expect(text).not.toContain(encodeURIComponent(TEST_PASSWORD));
  });
});
