/**
 * `ca update`: fetch every configured source, import a pending export, compute, merge, and only then
 * move `.last_update_timestamp` to the time this run started (never past it: anything that changed
 * during the run is read again next time, and re-reading is harmless).
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Context } from '../cli/context.js';
import { formatTimestamp } from '../core/localTime.js';
import { writeFileAtomically } from '../io/atomicFile.js';
import { CaError, InputError, StateError } from '../io/errors.js';
import { acquireLock } from '../io/lock.js';
import { appendRun } from '../io/runLog.js';
import { removeStaleTemps } from '../io/staleTemps.js';
import { computeStep } from './computeStep.js';
import { configuredSources, describeFetch, fetchStep, type FetchSummary } from './fetchStep.js';
import { importStep } from './importStep.js';
import { mergeStep, type MergeSummary } from './mergeStep.js';

const DAY_MS = 86_400_000;

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
  const release = await acquireLock(ctx.paths.lock);
  const runId = randomUUID();
  const started = ctx.io.now();
  const counts: Record<string, unknown> = {};
  try {
    // Holding the lock: temp files of killed runs are left-overs, not writes in progress.
    const stale = [...(await removeStaleTemps(ctx.paths.dataDir)), ...(await removeStaleTemps(ctx.paths.archive))];
    if (stale.length > 0) ctx.log.debug(`removed ${stale.length} temp file(s) left by killed runs`);
    const last = options.full ? undefined : await readLastUpdate(ctx.paths.timestamp);
    // Re-read at least the last N days; and at least since the last successful update.
    let lookbackDays: number | undefined;
    if (last !== undefined) lookbackDays = Math.max(1, Math.ceil((started - last) / DAY_MS));
    if (options.days !== undefined) lookbackDays = Math.max(lookbackDays ?? 0, options.days);
    if (last === undefined && !options.full) ctx.log.info('no .last_update_timestamp: fetching everything not yet in the cache');

    const fetched: FetchSummary[] = [];
    for (const source of configuredSources(ctx)) {
      const summary = await fetchStep(ctx, source, { full: options.full, lookbackDays });
      ctx.log.info(describeFetch(summary));
      fetched.push(summary);
    }
    counts.fetched = fetched.map((f) => ({ source: f.source, requests: f.requests, streams: f.streams }));

    let imported: unknown = null;
    if (ctx.config.ecom.file && (await importPending(ctx, ctx.config.ecom.file))) {
      imported = await importStep(ctx, ctx.config.ecom.file);
      counts.imported = imported;
    }
    if (fetched.length === 0 && imported === null) {
      ctx.log.info('no source is configured (no tokens set, no ecom.file): recomputing from the cache');
    }

    const computed = await computeStep(ctx);
    const merge = await mergeStep(ctx, computed);
    counts.customers = merge.rows;
    counts.first_time_buyers = merge.firstTimeBuyers;

    const timestamp = formatTimestamp(started);
    await writeFileAtomically(ctx.paths.timestamp, timestamp + '\n');
    await appendRun(ctx.paths.runLog, run(runId, started, ctx.io.now(), 'success', null, counts));
    return { run_id: runId, since: last === undefined ? null : formatTimestamp(last), fetched, imported, merge, timestamp };
  } catch (error) {
    const message = error instanceof CaError ? error.message : `unexpected error: ${(error as Error).message}`;
    await appendRun(ctx.paths.runLog, run(runId, started, ctx.io.now(), 'failed', message, counts)).catch(() => {});
    throw error;
  } finally {
    await release().catch(() => {});
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
