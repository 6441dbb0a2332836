/**
 * `ca status`: is the data fresh, and what did the last runs do? Non-zero exit when the last update
 * failed, nothing ever ran, the last successful update is older than `status.maxAgeHours`, or any source
 * in use was last brought in (fetched; for ecom, imported) longer ago than its limit: a source's
 * freshness is its own, not the run's. A monitor or a cron `&&` can act on it.
 */
import { stat } from 'node:fs/promises';
import type { Context } from './context.js';
import { SOURCES, type SourceName } from '../core/model.js';
import { readMeta } from '../io/meta.js';
import { readRuns, type RunRecord } from '../io/runLog.js';
import { Store } from '../io/store.js';
import { API_SOURCES, apiSource, type ApiSource } from '../sources/registry.js';
import { readFreshness } from './mergeStep.js';
import { readLastUpdate } from './updateStep.js';

/** `missing`: the last update succeeded in time, but the master it wrote is gone. */
export type StatusState = 'fresh' | 'stale' | 'failed' | 'missing' | 'never-run';

/**
 * `not-used`: no token set and nothing in the cache (ecom: no `ecom.file` and nothing imported), so it is
 * not judged. `never`: in use, but no successful fetch (or import) is on record.
 */
export type SourceState = 'fresh' | 'stale' | 'never' | 'not-used';

export interface SourceStatus {
  state: SourceState;
  last_success_at: string | null;
  age_hours: number | null;
  max_age_hours: number;
}

export interface Status {
  state: StatusState;
  ok: boolean;
  /** Since the last successful `ca update` started. */
  age_hours: number | null;
  sources: Record<SourceName, SourceStatus>;
  /** The last run's error when it failed, else null. */
  last_error: string | null;
  problems: string[];
  last_update_timestamp: string | null;
  max_age_hours: number;
  /** The vendor API versions the fetches read (each API source's `apiVersion`): the pinned Lightspeed version, the configured Square-Version. */
  api_versions: Record<ApiSource, string>;
  master: { path: string; rows: number | null; as_of: string | null; written_at: string | null; size_bytes: number | null };
  last_runs: RunRecord[];
  /** What the fetchers keep between runs (cursors, bookmarks), for people debugging a sync. */
  internal: Record<SourceName, { cached: boolean; sync_state: unknown }>;
}

const HOUR = 3_600_000;
const hours = (ms: number) => Math.round((ms / HOUR) * 10) / 10;

export async function statusStep(ctx: Context): Promise<Status> {
  const now = ctx.io.now();
  const last = await readLastUpdate(ctx.paths.timestamp);
  const runs = await readRuns(ctx.paths.runLog);
  const meta = await readMeta(ctx.paths.meta);
  const freshness = await readFreshness(ctx.paths.cache);
  const store = new Store(ctx.paths.cache, { readOnly: true });
  const sources = {} as Status['sources'];
  const internal = {} as Status['internal'];
  const sourceProblems: string[] = [];
  for (const source of SOURCES) {
    const cached = await store.exists(source);
    internal[source] = { cached, sync_state: cached ? ((await store.readState(source).catch(() => 'damaged')) ?? null) : null };
    const used = cached || (source === 'ecom' ? ctx.config.ecom.file !== undefined : ctx.credentials[source] !== undefined);
    const at = await lastSuccess(ctx, source, freshness[source]);
    const maxAge = ctx.config.status.sourceMaxAgeHours[source] ?? ctx.config.status.maxAgeHours;
    const age = at === undefined ? null : (now - at) / HOUR;
    const state: SourceState = !used ? 'not-used' : age === null ? 'never' : age > maxAge ? 'stale' : 'fresh';
    sources[source] = { state, last_success_at: at === undefined ? null : new Date(at).toISOString(), age_hours: age === null ? null : hours(now - at!), max_age_hours: maxAge };
    const verb = source === 'ecom' ? 'imported' : 'fetched';
    if (state === 'never') sourceProblems.push(`${source} is in use but was never ${verb} successfully`);
    if (state === 'stale') {
      const key = ctx.config.status.sourceMaxAgeHours[source] === undefined ? 'status.maxAgeHours' : `status.sourceMaxAgeHours.${source}`;
      sourceProblems.push(`${source} was last ${verb} ${age!.toFixed(1)} h ago, more than the ${maxAge} h allowed (${key})`);
    }
  }
  const size = await stat(ctx.paths.master).then((s) => s.size, () => null);
  const maxAge = ctx.config.status.maxAgeHours;
  const age = last === undefined ? null : (now - last) / HOUR;
  const lastRun = runs[runs.length - 1];
  const problems: string[] = [];
  let state: StatusState;
  if (last === undefined && runs.length === 0) {
    state = 'never-run';
    problems.push('no `ca update` has run here yet');
  } else if (lastRun?.outcome === 'failed') {
    state = 'failed';
    problems.push(`the last update (${lastRun.started_at}) failed: ${lastRun.error ?? 'unknown error'}`);
  } else if (age === null || age > maxAge || sourceProblems.length > 0) {
    state = 'stale';
    if (age === null) problems.push('no successful update yet');
    else if (age > maxAge) problems.push(`the data is ${age.toFixed(1)} h old, more than the ${maxAge} h allowed (status.maxAgeHours)`);
  } else state = size === null ? 'missing' : 'fresh';
  if (state !== 'never-run') problems.push(...sourceProblems);
  if (size === null && state !== 'never-run') problems.push(`the master ${ctx.paths.master} is missing`);
  return {
    state,
    ok: problems.length === 0,
    age_hours: age === null ? null : hours(now - last!),
    sources,
    last_error: lastRun?.outcome === 'failed' ? (lastRun.error ?? 'unknown error') : null,
    problems,
    last_update_timestamp: last === undefined ? null : new Date(last).toISOString(),
    max_age_hours: maxAge,
    api_versions: Object.fromEntries(API_SOURCES.map((name) => [name, apiSource(name).apiVersion.of(ctx.config[name])])) as Status['api_versions'],
    master: { path: ctx.paths.master, rows: meta?.row_count ?? null, as_of: meta?.as_of ?? null, written_at: meta?.written_at ?? null, size_bytes: size },
    last_runs: runs.slice(-5).reverse(),
    internal,
  };
}

/**
 * When a source last brought data in, from data/cache/freshness.json; for an e-commerce import of an
 * older version (which recorded none), the time its kept copy of the export was written.
 */
async function lastSuccess(ctx: Context, source: SourceName, entry: unknown): Promise<number | undefined> {
  const recorded = Date.parse((entry as { last_success_at?: string } | undefined)?.last_success_at ?? '');
  if (!Number.isNaN(recorded)) return recorded;
  if (source !== 'ecom') return undefined;
  return stat(ctx.paths.ecomExport).then((s) => s.mtimeMs, () => undefined);
}

function describeSource(name: string, s: SourceStatus): string {
  const verb = name === 'ecom' ? 'import' : 'fetch';
  if (s.state === 'not-used') return `${name}: not used`;
  if (s.state === 'never') return `${name}: NEVER ${verb === 'fetch' ? 'FETCHED' : 'IMPORTED'}`;
  const limit = s.state === 'stale' ? `; limit ${s.max_age_hours} h` : '';
  return `${name}: ${s.state === 'stale' ? 'STALE' : 'fresh'}, last ${verb} ${s.last_success_at} (${s.age_hours} h ago${limit})`;
}

export function formatStatus(s: Status): string {
  const lines = [
    `${s.state.toUpperCase()}${s.problems.length ? `: ${s.problems.join('; ')}` : ''}`,
    `last update: ${s.last_update_timestamp ?? 'never'}${s.age_hours !== null ? ` (${s.age_hours} h ago; limit ${s.max_age_hours} h)` : ''}`,
    `master: ${s.master.rows ?? '-'} rows, as of ${s.master.as_of ?? '-'}, written ${s.master.written_at ?? '-'}`,
    ...Object.entries(s.sources).map(([name, source]) => describeSource(name, source)),
    `api versions: ${API_SOURCES.map((name) => `${apiSource(name).apiVersion.label} ${s.api_versions[name]}`).join(', ')}`,
    'last runs:',
    ...s.last_runs.map((r) => `  ${r.started_at}  ${r.outcome.padEnd(7)} ${String(Math.round(r.duration_ms / 100) / 10).padStart(6)} s  ${r.error ?? ''}`),
  ];
  return lines.join('\n');
}
