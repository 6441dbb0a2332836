/**
 * `ca fetch <source>`: one source's API into the store, incrementally from its saved state. The
 * sources' own modules do the work; this wires config, credentials, progress and freshness.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import type { Context } from './context.js';
import { describeIssues } from '../config/load.js';
import { writeFileAtomically } from '../io/atomicFile.js';
import { ConfigError } from '../io/errors.js';
import { count, progress } from '../io/progress.js';
import type { FetchOptions, FetchSummary } from '../sources/fetchTypes.js';
import { Store } from '../io/store.js';

export type ApiSource = 'lightspeed' | 'square';
export const API_SOURCES: readonly ApiSource[] = ['lightspeed', 'square'];

export type { FetchSummary } from '../sources/fetchTypes.js';

interface SourceModule {
  settingsSchema: z.ZodObject;
  fetch(options: FetchOptions<unknown>): Promise<FetchSummary>;
}

const MODULES: Record<ApiSource, () => Promise<SourceModule>> = {
  lightspeed: async () => {
    const m = await import('../sources/lightspeed/index.js');
    return { settingsSchema: m.settingsSchema as unknown as z.ZodObject, fetch: m.fetchLightspeed as SourceModule['fetch'] };
  },
  square: async () => {
    const m = await import('../sources/square/index.js');
    return { settingsSchema: m.settingsSchema as unknown as z.ZodObject, fetch: m.fetchSquare as SourceModule['fetch'] };
  },
};

export const TOKEN_VARIABLE: Record<ApiSource, string> = { lightspeed: 'LIGHTSPEED_TOKEN', square: 'SQUARE_ACCESS_TOKEN' };

/** The API sources that have credentials in the environment. */
export function configuredSources(ctx: Context): ApiSource[] {
  return API_SOURCES.filter((s) => ctx.credentials[s]);
}

export async function fetchStep(
  ctx: Context,
  source: ApiSource,
  options: { full: boolean; lookbackDays?: number },
): Promise<FetchSummary> {
  const credentials = ctx.credentials[source];
  if (!credentials) {
    throw new ConfigError(`${source} is not configured: ${TOKEN_VARIABLE[source]} is not set`, {
      hint: 'see README "Credentials"; `ca demo` runs everything against the built-in sandbox',
    });
  }
  const module = await MODULES[source]();
  const parsed = module.settingsSchema.strict().safeParse(ctx.config[source]);
  if (!parsed.success) throw new ConfigError(`config ${source}: ${describeIssues(parsed.error)}`);
  const store = new Store(ctx.paths.cache);
  const started = ctx.io.now();
  const counter = progressReporter(ctx, source);
  const summary = await module.fetch({
    store,
    baseUrl: credentials.baseUrl,
    token: credentials.token,
    full: options.full,
    lookbackDays: options.lookbackDays,
    now: ctx.io.now,
    log: ctx.log,
    rejectsDir: ctx.paths.rejects,
    progress: counter.update,
    settings: parsed.data,
  }).finally(counter.done);
  await recordFreshness(ctx.paths.cache, source, { last_success_at: new Date(started).toISOString(), summary });
  return summary;
}

export function describeFetch(summary: FetchSummary): string {
  const parts = Object.entries(summary.streams).map(
    ([stream, c]) => `${stream} +${c.added} ~${c.updated} -${c.deleted}`,
  );
  const rejected = summary.rejected > 0 ? `; ${summary.rejected} record(s) rejected -> ${summary.rejectsFile}` : '';
  return `${summary.source}: ${parts.join(', ')}; ${summary.requests} requests, ${summary.rateLimited} rate-limited, ${summary.retries} retries${rejected}`;
}

/** A one-line counter of records per stream on a terminal (src/io/progress.ts); nothing when piped. */
function progressReporter(ctx: Context, source: string) {
  const line = progress(ctx.io.stderr, source, ctx);
  const counts = new Map<string, number>();
  return {
    update: (event: { stream: string; records: number }) => {
      counts.set(event.stream, (counts.get(event.stream) ?? 0) + event.records);
      line.update([...counts].map(([s, n]) => `${s} ${count(n)}`).join(', '));
    },
    done: () => line.done(),
  };
}

/** data/cache/freshness.json: when each source last brought data in (a fetch, or an import for ecom). */
export async function recordFreshness(cacheDir: string, source: string, entry: unknown): Promise<void> {
  const path = join(cacheDir, 'freshness.json');
  let current: Record<string, unknown> = {};
  try {
    current = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch {
    // First fetch, or a damaged file: freshness is informational and is rebuilt by the next fetch.
  }
  current[source] = entry;
  await writeFileAtomically(path, JSON.stringify(current, null, 2) + '\n');
}
