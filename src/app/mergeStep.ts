/**
 * `ca merge`: writes the master, first-time buyers and the reports from what compute produced, keeping
 * the columns a user added to the master. The previous master is archived first; every file is
 * replaced atomically.
 */
import { copyFile, mkdir, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Context } from '../cli/context.js';
import type { CurrencySummary, TextColumn } from '../core/compute.js';
import { formatTimestamp } from '../core/localTime.js';
import { DAILY_REPORT_COLUMNS, MASTER_SCHEMA_VERSION } from '../core/masterColumns.js';
import { currencyDecimals } from '../core/currency.js';
import { writeFileAtomically } from '../io/atomicFile.js';
import { readComputed, type Computed } from '../io/computedFile.js';
import { formatMoney, inert, writeCsvFile } from '../io/csvFormat.js';
import { readUserColumns, writeMaster } from '../io/masterFile.js';

export interface MergeSummary {
  master: string;
  rows: number;
  userColumns: string[];
  archived?: string;
  firstTimeBuyers: number;
}

const stamp = (ms: number) => formatTimestamp(ms).replace(/[-:]/g, '');

export async function mergeStep(ctx: Context, given?: Computed): Promise<MergeSummary> {
  const computed = given ?? (await readComputed(ctx.paths.computed));
  const { master } = computed;
  const { paths } = ctx;
  await mkdir(paths.dataDir, { recursive: true });

  const user = await readUserColumns(paths.master);
  const archived = await archive(ctx, paths.master);
  await archive(ctx, paths.firstTimeBuyers);
  await writeMaster(paths.master, master, user);

  const col = (name: string) => master.columns[name];
  const text = (name: string, k: number) => (col(name) as TextColumn)[k];
  const ftb = computed.summary.firstTimeBuyers;
  const firstTimeRows = ftb
    .map((buyer) => {
      const k = buyer.row;
      const decimals = currencyDecimals(text('currency', k));
      const second = buyer.secondOrderAt;
      return [
        inert(text('customer_id', k)),
        inert(text('first_name', k)),
        inert(text('last_name', k)),
        inert(text('email', k)),
        inert(text('phone', k)),
        formatTimestamp((col('first_order_at') as Float64Array)[k]),
        inert(text('first_order_channel', k)),
        inert(text('first_order_location', k)),
        formatMoney(buyer.firstOrderAmountMinor, decimals),
        second !== null && Number.isFinite(second) ? 'true' : 'false',
        second !== null && Number.isFinite(second) ? formatTimestamp(second) : '',
        buyer.source,
      ];
    })
    .sort((a, b) => (a[5] < b[5] ? -1 : a[5] > b[5] ? 1 : a[0] < b[0] ? -1 : 1));
  await writeCsvFile(
    paths.firstTimeBuyers,
    ['customer_id', 'first_name', 'last_name', 'email', 'phone', 'first_order_at', 'first_order_channel', 'first_order_location', 'first_order_amount', 'has_returned', 'second_order_at', 'source'],
    firstTimeRows,
  );

  await writeReports(ctx, computed);

  const freshness = await readFreshness(paths.cache);
  const meta = {
    schema_version: MASTER_SCHEMA_VERSION,
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
  };
  await writeFileAtomically(paths.meta, JSON.stringify(meta, null, 2) + '\n');
  return { master: paths.master, rows: master.rows, userColumns: user?.names ?? [], archived, firstTimeBuyers: ftb.length };
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

/** Daily-by-location and cohort reports (CSV). */
export async function writeReports(ctx: Context, computed: Computed, range?: { from?: string; to?: string }): Promise<string[]> {
  const dir = ctx.paths.reports;
  const daily = computed.summary.daily.filter((r) => (!range?.from || r.date >= range.from) && (!range?.to || r.date <= range.to));
  const dailyPath = join(dir, 'daily_by_location.csv');
  await writeCsvFile(
    dailyPath,
    DAILY_REPORT_COLUMNS,
    daily.map((r) => [
      r.date,
      inert(r.location),
      String(r.orders),
      formatMoney(r.revenueMinor, currencyDecimals(r.currency)),
      String(r.uniqueCustomers),
      String(r.newCustomers),
      String(r.returningCustomers),
      String(r.acceptedBookings),
      String(r.cancellations),
      String(r.noShows),
      inert(r.currency),
    ]),
  );
  const cohortsPath = join(dir, 'cohorts.csv');
  await writeCsvFile(
    cohortsPath,
    ['cohort', 'months_since', 'cohort_customers', 'active_customers', 'retention', 'revenue', 'currency'],
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
