/**
 * `ca merge`: writes the master, first-time buyers and the reports from what compute produced, keeping
 * the columns a user added to the master, then the typed workbooks beside the two CSVs. The previous
 * master is archived first; every file is replaced atomically.
 */
import { copyFile, mkdir, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Context } from './context.js';
import type { CurrencySummary, TextColumn } from '../core/compute.js';
import { formatTimestamp } from '../core/localTime.js';
import {
  COHORT_REPORT_COLUMNS,
  DAILY_REPORT_COLUMNS,
  FIRST_TIME_BUYER_COLUMNS,
  MASTER_SCHEMA_NOTE,
  MASTER_SCHEMA_VERSION,
} from '../core/masterColumns.js';
import { currencyDecimals } from '../core/currency.js';
import { writeFileAtomically } from '../io/atomicFile.js';
import { crashPoint } from '../io/crashPoint.js';
import { readComputed, type Computed } from '../io/computedFile.js';
import { NotFoundError } from '../io/errors.js';
import { count, progress } from '../io/progress.js';
import { formatMoney, inert, writeCsvFile } from '../io/csvFormat.js';
import { masterSheet, readUserColumns, writeMaster } from '../io/masterFile.js';
import { csvCellText, sheetCellValue, type TypedValue } from '../io/typedCells.js';
import { SHEET_ROW_LIMIT, writeWorkbook, type SheetSpec } from '../io/workbook.js';

export interface MergeSummary {
  master: string;
  rows: number;
  userColumns: string[];
  archived?: string;
  firstTimeBuyers: number;
  workbooks: Record<'master' | 'first_time_buyers', WorkbookOutcome>;
}

/** What became of a workbook: written (its rows), or why not. */
export interface WorkbookOutcome {
  file: string;
  written: boolean;
  rows: number;
  reason?: string;
}

const stamp = (ms: number) => formatTimestamp(ms).replace(/[-:]/g, '');

export async function mergeStep(ctx: Context, given?: Computed): Promise<MergeSummary> {
  const computed = given ?? (await readComputed(ctx.paths.computed));
  const { master } = computed;
  const { paths } = ctx;
  const { counts } = computed.summary;
  if (master.rows === 0 && counts.customerRecords === 0 && counts.orders === 0) {
    // Computed by an older ca from an empty cache: a 0-customer master would replace a real one.
    throw new NotFoundError('nothing to merge: the last compute found no customers or orders', { hint: 'fetch or import first, then `ca compute`' });
  }
  await mkdir(paths.dataDir, { recursive: true });
  const line = progress(ctx.io.stderr, 'merge', ctx);
  let workbooks;
  let archived;
  let user;
  let firstTimeBuyers;
  try {
    line.phase('reading the columns you added');
    user = await readUserColumns(paths.master);
    line.phase('archiving the previous master');
    archived = await archive(ctx, paths.master);
    await archive(ctx, paths.firstTimeBuyers);
    line.phase(`writing the master (${count(master.rows)} customers)`);
    await writeMaster(paths.master, master, user);

    line.phase('writing first-time buyers and reports');
    firstTimeBuyers = firstTimeBuyerRows(computed);
    await writeCsvFile(paths.firstTimeBuyers, FIRST_TIME_BUYER_COLUMNS.map((c) => c.name), firstTimeBuyers.map(firstTimeBuyerCsvRow));

    await writeReports(ctx, computed);

    line.phase('writing the workbooks (.xlsx)');
    workbooks = {
      master: await writeWorkbookOrSay(ctx, paths.masterWorkbook, masterSheet(master, user)),
      first_time_buyers: await writeWorkbookOrSay(ctx, paths.firstTimeBuyersWorkbook, firstTimeBuyerSheet(firstTimeBuyers)),
    };
  } finally {
    line.done();
  }

  const freshness = await readFreshness(paths.cache);
  const meta = {
    schema_version: MASTER_SCHEMA_VERSION,
    schema_note: MASTER_SCHEMA_NOTE,
    /** Every time in the CSVs is UTC, written without a zone designator (see schema_note). */
    time_zone: 'UTC',
    as_of: formatTimestamp(computed.summary.asOf),
    computed_at: formatTimestamp(computed.summary.computedAt),
    written_at: formatTimestamp(ctx.io.now()),
    row_count: master.rows,
    user_columns: user?.names ?? [],
    counts: computed.summary.counts,
    sources: freshness,
    thresholds: computed.summary.settings,
    currencies: currencyMeta(computed.summary.currencies),
    model: computed.summary.model ?? null,
    warnings: computed.summary.warnings,
    workbooks,
  };
  await writeFileAtomically(paths.meta, JSON.stringify(meta, null, 2) + '\n');
  return { master: paths.master, rows: master.rows, userColumns: user?.names ?? [], archived, firstTimeBuyers: firstTimeBuyers.length, workbooks };
}

interface FirstTimeBuyerRow {
  customerId: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  firstOrderAt: number;
  channel: string;
  location: string;
  amountMinor: number;
  currency: string;
  secondOrderAt: number | null;
  source: string;
}

/** The first-time buyers, oldest first purchase first (then by customer_id). */
function firstTimeBuyerRows(computed: Computed): FirstTimeBuyerRow[] {
  const { master } = computed;
  const text = (name: string, k: number) => (master.columns[name] as TextColumn)[k] ?? '';
  return computed.summary.firstTimeBuyers
    .map((buyer) => {
      const k = buyer.row;
      const second = buyer.secondOrderAt;
      return {
        customerId: text('customer_id', k),
        firstName: text('first_name', k),
        lastName: text('last_name', k),
        email: text('email', k),
        phone: text('phone', k),
        firstOrderAt: (master.columns.first_order_at as Float64Array)[k],
        channel: text('first_order_channel', k),
        location: text('first_order_location', k),
        amountMinor: buyer.firstOrderAmountMinor,
        currency: text('currency', k),
        secondOrderAt: second !== null && Number.isFinite(second) ? second : null,
        source: buyer.source,
      };
    })
    .sort((a, b) => a.firstOrderAt - b.firstOrderAt || (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
}

/** A first-time buyer's cells, in the order of FIRST_TIME_BUYER_COLUMNS, typed as they declare. */
function firstTimeBuyerCells(r: FirstTimeBuyerRow): TypedValue[] {
  return [
    r.customerId,
    r.firstName,
    r.lastName,
    r.email,
    r.phone,
    r.firstOrderAt,
    r.channel,
    r.location,
    r.amountMinor,
    r.secondOrderAt !== null,
    r.secondOrderAt ?? NaN,
    r.source,
  ];
}

function firstTimeBuyerCsvRow(r: FirstTimeBuyerRow): string[] {
  const moneyDecimals = currencyDecimals(r.currency);
  return firstTimeBuyerCells(r).map((value, i) => csvCellText(FIRST_TIME_BUYER_COLUMNS[i].type, value, moneyDecimals));
}

function firstTimeBuyerSheet(rows: FirstTimeBuyerRow[]): SheetSpec {
  return {
    name: 'first_time_buyers',
    columns: FIRST_TIME_BUYER_COLUMNS,
    rows: rows.length,
    row(k) {
      const r = rows[k];
      const moneyDecimals = currencyDecimals(r.currency);
      const values = firstTimeBuyerCells(r).map((value, i) => sheetCellValue(FIRST_TIME_BUYER_COLUMNS[i].type, value, moneyDecimals));
      return { values, currency: r.currency, moneyDecimals };
    },
  };
}

/**
 * Writes the workbook of `spec` unless it has more rows than workbook.maxRows or a sheet holds; then
 * says so (and removes the previous one, which would no longer match the CSV beside it).
 */
async function writeWorkbookOrSay(ctx: Context, path: string, spec: SheetSpec): Promise<WorkbookOutcome> {
  const { maxRows } = ctx.config.workbook;
  const name = basename(path);
  let reason: string | undefined;
  if (spec.rows > SHEET_ROW_LIMIT - 1) {
    reason = `${spec.rows} rows are more than a spreadsheet sheet holds (${SHEET_ROW_LIMIT - 1} below the header)`;
  } else if (spec.rows > maxRows) {
    reason = maxRows === 0 ? 'workbook.maxRows is 0' : `${spec.rows} rows are more than workbook.maxRows (${maxRows}) in the config`;
  }
  if (reason === undefined) {
    await writeWorkbook(path, spec);
    return { file: name, written: true, rows: spec.rows };
  }
  const removed = await unlink(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
  ctx.log.info(`${name} not written: ${reason}${removed ? ' (the previous one was removed)' : ''}; the CSV has every row`);
  return { file: name, written: false, rows: spec.rows, reason };
}

/**
 * Which currencies the figures are in and how they were kept apart (docs/metrics.md, "Currencies");
 * a mix is also among the meta's `warnings`.
 */
function currencyMeta(summary: CurrencySummary | undefined) {
  if (!summary) return null;
  return {
    handling: 'per_currency',
    codes: Object.fromEntries(summary.codes.map((c) => [c.code, { purchases: c.purchases, customers: c.customers }])),
    mixed_currency_customers: summary.mixedCustomers,
    mixed_currency_daily_rows: summary.mixedDailyRows,
  };
}

/** The daily report over a range of local days, in a file named for it; the nightly daily_by_location.csv stays. */
export async function writeDailyRange(ctx: Context, computed: Computed, range: { from?: string; to?: string }): Promise<string> {
  const path = join(ctx.paths.reports, `daily_by_location_${range.from ?? 'start'}_${range.to ?? 'end'}.csv`);
  await writeDaily(path, computed.summary.daily.filter((r) => (!range.from || r.date >= range.from) && (!range.to || r.date <= range.to)));
  return path;
}

/** Daily-by-location and cohort reports (CSV). */
export async function writeReports(ctx: Context, computed: Computed): Promise<string[]> {
  const dir = ctx.paths.reports;
  const dailyPath = join(dir, 'daily_by_location.csv');
  await writeDaily(dailyPath, computed.summary.daily);
  const cohortsPath = join(dir, 'cohorts.csv');
  await writeCsvFile(
    cohortsPath,
    COHORT_REPORT_COLUMNS,
    computed.summary.cohorts.map((r) => [
      r.cohort,
      String(r.monthsSince),
      String(r.cohortSize),
      String(r.activeCustomers),
      r.cohortSize > 0 ? (r.activeCustomers / r.cohortSize).toFixed(4) : '',
      formatMoney(r.revenueMinor, currencyDecimals(r.currency)),
      inert(r.currency),
    ]),
  );
  return [dailyPath, cohortsPath];
}

async function writeDaily(dailyPath: string, daily: Computed['summary']['daily']): Promise<void> {
  await writeCsvFile(
    dailyPath,
    DAILY_REPORT_COLUMNS.map((c) => c.name),
    daily.map((r) => {
      const moneyDecimals = currencyDecimals(r.currency);
      const cells = [
        r.date,
        r.location,
        r.orders,
        r.revenueMinor,
        r.uniqueCustomers,
        r.newCustomers,
        r.returningCustomers,
        r.acceptedBookings,
        r.cancellations,
        r.noShows,
        r.currency,
      ];
      return cells.map((value, i) => csvCellText(DAILY_REPORT_COLUMNS[i].type, value, moneyDecimals));
    }),
  );
}

/** Copies `path` into the archive with a UTC timestamp, then keeps only the newest `archive.keep` per file. */
async function archive(ctx: Context, path: string): Promise<string | undefined> {
  const exists = await stat(path).then(() => true, () => false);
  if (!exists) return undefined;
  const dir = ctx.paths.archive;
  await mkdir(dir, { recursive: true });
  const name = basename(path, '.csv');
  const target = join(dir, `${name}.${stamp(ctx.io.now())}.csv`);
  // Copied beside, then renamed: a run killed mid-copy must not leave a torn file that looks archived.
  const temp = join(dir, `.${basename(target)}.tmp-${process.pid}`);
  await copyFile(path, temp);
  crashPoint('archive');
  await rename(temp, target);
  const keep = ctx.config.archive.keep;
  const mine = (await readdir(dir)).filter((f) => f.startsWith(`${name}.`) && f.endsWith('.csv')).sort();
  for (const old of mine.slice(0, Math.max(0, mine.length - keep))) await unlink(join(dir, old));
  return keep > 0 ? target : undefined;
}

export async function readFreshness(cacheDir: string): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await readFile(join(cacheDir, 'freshness.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}
