/**
 * `ca export postgres`: the master (and, when given, the daily-by-location report and the run log)
 * into PostgreSQL for one account, in ONE transaction: either everything lands or nothing changes.
 * Re-exporting the same files writes no row. docs/postgres.md describes the tables for their users.
 */
import { ConfigError } from '../io/errors.js';
import type { Logger } from '../io/log.js';
import { connectPostgres, exportFailure } from './connectPostgres.js';
import { exportCustomers, MAX_CUSTOMER_BATCH } from './exportCustomers.js';
import { loadDailyReport } from './loadDailyReport.js';
import { loadRunLog } from './loadRunLog.js';
import { ensurePostgresSchema } from './postgresSchema.js';
import { assertReadableFile } from './readCsvTable.js';

export interface ExportToPostgresOptions {
  /** `postgres://user:password@host:5432/database`; `?options=-c search_path=…` picks the schema. */
  url: string;
  /** Whose data this is; every row is keyed by it and no other account's rows are touched. */
  account: string;
  masterPath: string;
  dailyReportPath?: string;
  runLogPath?: string;
  /** Rows per INSERT statement (capped by PostgreSQL's parameter limit). */
  batchSize?: number;
  log: Logger;
  /** Progress on a terminal: each phase, and customers written so far. */
  onPhase?: (text: string) => void;
  onRows?: (rows: number) => void;
}

export interface ExportSummary {
  /** Customers new to the table. */
  inserted: number;
  /** Customers rewritten because something changed (restored ones included). */
  updated: number;
  /** Customers identical to what the table held: not written. */
  unchanged: number;
  /** Customers of the account absent from this master, now marked with `removed_at`. */
  markedRemoved: number;
  /** Customers marked removed before and back in this master (also in `updated`). */
  restored: number;
  /** Rows in the daily report (0 without one). */
  dailyRows: number;
  /** Distinct runs in the run log (0 without one). */
  runs: number;
}

export const DEFAULT_BATCH_SIZE = 500;

/** Serializes exports (and their migrations) against each other; ours alone use this key. */
const EXPORT_LOCK_KEY = '7161677110969590386';

export async function exportToPostgres(options: ExportToPostgresOptions): Promise<ExportSummary> {
  const { account, log } = options;
  if (account.trim() === '') throw new ConfigError('the account for the PostgreSQL export is empty');
  const requested = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(requested) || requested < 1) {
    throw new ConfigError(`the batch size must be a whole number above 0 (got ${requested})`);
  }
  const batchSize = Math.min(requested, MAX_CUSTOMER_BATCH);

  await assertReadableFile(options.masterPath, 'master');
  if (options.dailyReportPath !== undefined) await assertReadableFile(options.dailyReportPath, 'daily report');
  if (options.runLogPath !== undefined) await assertReadableFile(options.runLogPath, 'run log');

  const connection = await connectPostgres(options.url);
  const { client } = connection;
  let committing = false;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [EXPORT_LOCK_KEY]);
    // Batches run as named statements (parsed once); a generic plan made while the table was still empty
    // would keep scanning it whole as it grows, so each execution is planned for the table as it is.
    await client.query("SET LOCAL plan_cache_mode = 'force_custom_plan'");
    options.onPhase?.('creating or migrating the tables');
    await ensurePostgresSchema(client, log);
    options.onPhase?.('upserting customers');
    const customers = await exportCustomers(client, account, options.masterPath, batchSize, log, options.onRows);
    options.onPhase?.('loading the daily report and the run history');
    const dailyRows =
      options.dailyReportPath === undefined ? 0 : await loadDailyReport(client, account, options.dailyReportPath, batchSize, log);
    const runs = options.runLogPath === undefined ? 0 : await loadRunLog(client, account, options.runLogPath, batchSize, log);
    committing = true;
    options.onPhase?.('committing');
    await client.query('COMMIT');
    const summary: ExportSummary = { ...customers, dailyRows, runs };
    log.info(
      `postgres: account ${account} exported to ${connection.target.where}: ${summary.inserted} inserted, ` +
        `${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.markedRemoved} marked removed, ` +
        `${summary.restored} restored; ${dailyRows} daily rows, ${runs} runs`,
    );
    return summary;
  } catch (error) {
    if (!connection.lost()) await client.query('ROLLBACK').catch(() => undefined);
    throw exportFailure(error, connection, committing);
  } finally {
    await client.end().catch(() => undefined);
  }
}
