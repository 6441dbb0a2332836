/**
 * `ca status`: is the data fresh, and what did the last runs do? Non-zero exit when the last update
 * failed, nothing ever ran, or the data is older than `status.maxAgeHours`, so a monitor or a cron `&&`
 * can act on it.
 */
import { stat } from 'node:fs/promises';
import type { Context } from '../cli/context.js';
import { readMeta } from '../io/meta.js';
import { readRuns, type RunRecord } from '../io/runLog.js';
import { Store } from '../io/store.js';
import { SOURCES } from '../core/model.js';
import { LIGHTSPEED_API_VERSION } from '../sources/lightspeed/settings.js';
import { settingsSchema as squareSettings } from '../sources/square/settings.js';
import { readFreshness } from './mergeStep.js';
import { readLastUpdate } from './updateStep.js';

/** `missing`: the last update succeeded in time, but the master it wrote is gone. */
export type StatusState = 'fresh' | 'stale' | 'failed' | 'missing' | 'never-run';

export interface Status {
  state: StatusState;
  ok: boolean;
  problems: string[];
  last_update_timestamp: string | null;
  age_hours: number | null;
  max_age_hours: number;
  sources: Record<string, { cached: boolean; last_success_at: string | null; state: unknown }>;
  /** The vendor API versions the fetches read: the pinned Lightspeed version, the configured Square-Version. */
  api_versions: { lightspeed: string; square: string };
  master: { path: string; rows: number | null; as_of: string | null; written_at: string | null; size_bytes: number | null };
  last_runs: RunRecord[];
}

const HOUR = 3_600_000;

export async function statusStep(ctx: Context): Promise<Status> {
  const now = ctx.io.now();
  const last = await readLastUpdate(ctx.paths.timestamp);
  const runs = await readRuns(ctx.paths.runLog);
  const meta = await readMeta(ctx.paths.meta);
  const freshness = await readFreshness(ctx.paths.cache);
  const store = new Store(ctx.paths.cache);
  const sources: Status['sources'] = {};
  for (const source of SOURCES) {
    const cached = await store.exists(source);
    const entry = freshness[source] as { last_success_at?: string } | undefined;
    sources[source] = {
      cached,
      last_success_at: entry?.last_success_at ?? null,
      state: cached ? ((await store.readState(source).catch(() => 'damaged')) ?? null) : null,
    };
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
  } else if (age === null || age > maxAge) {
    state = 'stale';
    problems.push(age === null ? 'no successful update yet' : `the data is ${age.toFixed(1)} h old, more than the ${maxAge} h allowed (status.maxAgeHours)`);
  } else state = size === null ? 'missing' : 'fresh';
  if (size === null && state !== 'never-run') problems.push(`the master ${ctx.paths.master} is missing`);
  return {
    state,
    ok: problems.length === 0,
    problems,
    last_update_timestamp: last === undefined ? null : new Date(last).toISOString(),
    age_hours: age === null ? null : Math.round(age * 10) / 10,
    max_age_hours: maxAge,
    sources,
    api_versions: {
      lightspeed: LIGHTSPEED_API_VERSION,
      square: squareSettings.safeParse(ctx.config.square).data?.squareVersion ?? squareSettings.parse({}).squareVersion,
    },
    master: { path: ctx.paths.master, rows: meta?.row_count ?? null, as_of: meta?.as_of ?? null, written_at: meta?.written_at ?? null, size_bytes: size },
    last_runs: runs.slice(-5).reverse(),
  };
}

export function formatStatus(s: Status): string {
  const lines = [
    `${s.state.toUpperCase()}${s.problems.length ? `: ${s.problems.join('; ')}` : ''}`,
    `last update: ${s.last_update_timestamp ?? 'never'}${s.age_hours !== null ? ` (${s.age_hours} h ago; limit ${s.max_age_hours} h)` : ''}`,
    `master: ${s.master.rows ?? '-'} rows, as of ${s.master.as_of ?? '-'}, written ${s.master.written_at ?? '-'}`,
    ...Object.entries(s.sources).map(([name, src]) => `${name}: ${src.cached ? `cached, last fetch ${src.last_success_at ?? 'unknown'}` : 'not cached'}`),
    `api versions: Lightspeed X-Series ${s.api_versions.lightspeed}, Square-Version ${s.api_versions.square}`,
    'last runs:',
    ...s.last_runs.map((r) => `  ${r.started_at}  ${r.outcome.padEnd(7)} ${String(Math.round(r.duration_ms / 100) / 10).padStart(6)} s  ${r.error ?? ''}`),
  ];
  return lines.join('\n');
}
