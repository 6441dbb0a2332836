/**
 * `ca update`: fetch every configured source, import a pending export, compute, merge, and only then
 * move `.last_update_timestamp` to the time this run started. Each source goes on from its own
 * bookmarks, which move only after what they cover is stored, so a run killed anywhere resumes from its
 * last stored page; `--days=N` re-reads the time-windowed (Square) streams further back.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Context } from './context.js';
import { formatTimestamp } from '../core/localTime.js';
import { SOURCES, type SourceName } from '../core/model.js';
import { writeFileAtomically } from '../io/atomicFile.js';
import { crashPoint } from '../io/crashPoint.js';
import { CaError, ConfigError, fileSystemError, InputError, StateError } from '../io/errors.js';
import { appendRun } from '../io/runLog.js';
import { Store } from '../io/store.js';
import { computeStep } from './computeStep.js';
import { forEachConcurrently } from '../io/concurrently.js';
import { configuredSources, describeFetch, fetchStep, type FetchSummary } from './fetchStep.js';
import { API_SOURCES, apiSource, type ApiSource } from '../sources/registry.js';
import type { ImportSummary } from '../sources/ecom/importEcom.js';
import { htmlReportStep } from './htmlReport.js';
import { importStep } from './importStep.js';
import { ProgressBoard } from './progressBoard.js';
import { mergeStep, readFreshness, type MergeSummary } from './mergeStep.js';
import { withWorkspaceLock } from './workspaceLock.js';

export interface UpdateOptions {
  days?: number;
  full: boolean;
}

export interface UpdateSummary {
  run_id: string;
  since: string | null;
  fetched: FetchSummary[];
  imported: unknown;
  merge: MergeSummary;
  /** data/reports/report.html, written by every successful update. */
  report: string;
  /** Rows or records this run set aside in data/rejects/, per source (empty: none). */
  rejected: { source: string; rows: number; of?: number; file?: string }[];
  timestamp: string;
}

/** Reads `.last_update_timestamp`; a damaged one is an error, not a silent full run. */
export async function readLastUpdate(path: string): Promise<number | undefined> {
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(ms)) {
    throw new StateError(`${path}: "${text.slice(0, 40)}" is not an ISO 8601 time`, {
      hint: 'fix it (e.g. 2025-06-01T00:00:00Z), or delete it and run `ca update --full`',
    });
  }
  return ms;
}

export async function updateStep(ctx: Context, options: UpdateOptions): Promise<UpdateSummary> {
  const sources = configuredSources(ctx);
  // ecom.file, like every path in the config, is relative to the workspace.
  const ecomFile = ctx.config.ecom.file === undefined ? undefined : resolve(ctx.paths.workspace, ctx.config.ecom.file);
  const cached = await cachedSources(ctx);
  if (sources.length === 0 && ecomFile === undefined && cached.length === 0) {
    throw new ConfigError('nothing to update: no source is configured (no token set, no ecom.file) and the cache is empty', {
      hint: `set ${API_SOURCES.map((s) => apiSource(s).credentials.setup).join(', or ')} (README "Credentials"), or ecom.file in ca.config.json; \`ca demo\` runs everything against the built-in sandboxes`,
    });
  }
  return withWorkspaceLock(ctx, 'ca update', async () => {
    const runId = randomUUID();
    const started = ctx.io.now();
    const counts: Record<string, unknown> = {};
    try {
      const last = options.full ? undefined : await readLastUpdate(ctx.paths.timestamp);
      if (last === undefined && !options.full) ctx.log.info('no .last_update_timestamp: fetching everything not yet in the cache');
      await warnUnfetched(ctx, sources, cached);

      // The sources at once: each has its own API and rate limit, its own folder of the cache. One that
      // fails lets the other finish (its pages and bookmarks are kept), then the update fails.
      const bySource = new Map<ApiSource, FetchSummary>();
      const durations = new Map<ApiSource, number>();
      const fetchStarted = Date.now();
      try {
        await forEachConcurrently(sources, sources.length, async (source) => {
          const sourceStarted = Date.now();
          const summary = await fetchStep(ctx, source, { full: options.full, lookbackDays: options.days });
          durations.set(source, Date.now() - sourceStarted);
          // Through the progress line's logger: the other source may still be drawing on it.
          ProgressBoard.of(ctx).logger(source, ctx.log).info(describeFetch(summary));
          bySource.set(source, summary);
        });
      } finally {
        counts.fetched = sources
          .flatMap((s) => bySource.get(s) ?? [])
          .map((f) => ({ source: f.source, requests: f.requests, duration_ms: durations.get(f.source as ApiSource), streams: f.streams }));
        // The fetch phase's wall time: the sources run at once, so about the slower one's, not the sum.
        if (sources.length > 0) counts.fetch_ms = Date.now() - fetchStarted;
      }
      // In the sources' order, whichever finished first.
      const fetched = sources.flatMap((s) => bySource.get(s) ?? []);

      let imported: ImportSummary | null = null;
      if (ecomFile && (await importPending(ctx, ecomFile))) {
        imported = await importStep(ctx, ecomFile);
        counts.imported = imported;
      }
      if (fetched.length === 0 && imported === null) {
        ctx.log.warn(`nothing was fetched or imported (no token set, ${ecomFile ? 'the export is unchanged' : 'no ecom.file'}): recomputing from the cache as it is`);
      }

      const computed = await computeStep(ctx);
      const merge = await mergeStep(ctx, computed);
      counts.customers = merge.rows;
      counts.first_time_buyers = merge.firstTimeBuyers;
      // The dashboard is part of the update: the nightly job and its artifact carry it.
      const report = await htmlReportStep(ctx, ctx.config.clv.holdoutWeeks);

      const rejected: UpdateSummary['rejected'] = [
        ...fetched.filter((f) => f.rejected > 0).map((f) => ({ source: f.source, rows: f.rejected, file: f.rejectsFile })),
        ...(imported !== null && imported.rowsRejected > 0 ? [{ source: 'ecom', rows: imported.rowsRejected, of: imported.rowsRead, file: imported.rejectsFile }] : []),
      ];
      if (rejected.length > 0) {
        counts.rejected = rejected;
        ctx.log.warn(rejectsLine(rejected));
      }

      const timestamp = formatTimestamp(started);
      crashPoint('timestamp');
      await writeFileAtomically(ctx.paths.timestamp, timestamp + '\n');
      await appendRun(ctx.paths.runLog, run(runId, started, ctx.io.now(), 'success', null, counts));
      return { run_id: runId, since: last === undefined ? null : formatTimestamp(last), fetched, imported, merge, report, rejected, timestamp };
    } catch (error) {
      const known = error instanceof CaError ? error : fileSystemError(error);
      const message = known ? known.message : `unexpected error: ${(error as Error).message}`;
      await appendRun(ctx.paths.runLog, run(runId, started, ctx.io.now(), 'failed', message, counts)).catch(() => {});
      throw error;
    }
  });
}

/** One line for the log and cron mail: what this run set aside, and where to read why. */
export function rejectsLine(rejected: UpdateSummary['rejected']): string {
  const parts = rejected.map(
    (r) =>
      `${r.source} ${r.rows}${r.of !== undefined ? ` of ${r.of}` : ''} ${r.source === 'ecom' ? 'rows' : 'records'}` + (r.file ? ` (${r.file})` : ''),
  );
  return `rejected this run: ${parts.join('; ')}; each line of a rejects file says why`;
}

/** The sources that have anything in the cache. */
async function cachedSources(ctx: Context): Promise<SourceName[]> {
  const store = new Store(ctx.paths.cache, { readOnly: true });
  const cached: SourceName[] = [];
  for (const source of SOURCES) if (await store.exists(source)) cached.push(source);
  return cached;
}

/** Says which cached API sources this run cannot fetch (no token), so their data stays as old as it is. */
async function warnUnfetched(ctx: Context, configured: readonly SourceName[], cached: readonly SourceName[]): Promise<void> {
  const freshness = await readFreshness(ctx.paths.cache);
  for (const source of API_SOURCES) {
    if (configured.includes(source) || !cached.includes(source)) continue;
    const last = (freshness[source] as { last_success_at?: string } | undefined)?.last_success_at;
    ctx.log.warn(`${source} is not fetched: ${apiSource(source).credentials.token} is not set; its data stays as of its last fetch (${last ?? 'unknown'})`);
  }
}

function run(runId: string, started: number, ended: number, outcome: 'success' | 'failed', error: string | null, counts: Record<string, unknown>) {
  return {
    run_id: runId,
    command: 'update',
    started_at: new Date(started).toISOString(),
    ended_at: new Date(ended).toISOString(),
    duration_ms: ended - started,
    outcome,
    error,
    counts,
  };
}

/** Whether the configured export differs from the copy kept at the last import. */
async function importPending(ctx: Context, file: string): Promise<boolean> {
  const [current, kept] = await Promise.all([
    readFile(file).catch(() => undefined),
    readFile(ctx.paths.ecomExport).catch(() => undefined),
  ]);
  if (!current) {
    throw new InputError(`ecom.file ${file} cannot be read`, { hint: 'fix ecom.file in the config, or remove it' });
  }
  return !kept || !current.equals(kept);
}
