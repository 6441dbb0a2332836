/**
 * `ca fetch <source>`: one source's API into the store, incrementally from its saved state. The
 * sources' own modules do the work (found through src/sources/registry.ts); this wires config,
 * credentials, progress and freshness.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Context } from './context.js';
import { describeIssues } from '../config/load.js';
import { writeFileAtomically } from '../io/atomicFile.js';
import { ConfigError } from '../io/errors.js';
import { count } from '../io/progress.js';
import type { FetchSummary } from '../sources/fetchTypes.js';
import { API_SOURCES, apiSource, type ApiSource } from '../sources/registry.js';
import { serialized } from '../io/serialize.js';
import { Store } from '../io/store.js';
import { ProgressBoard } from './progressBoard.js';

export type { FetchSummary } from '../sources/fetchTypes.js';

/** The API sources that have credentials in the environment. */
export function configuredSources(ctx: Context): ApiSource[] {
  return API_SOURCES.filter((s) => ctx.credentials[s]);
}

export async function fetchStep(
  ctx: Context,
  source: ApiSource,
  options: { full: boolean; lookbackDays?: number },
): Promise<FetchSummary> {
  const definition = apiSource(source);
  const credentials = ctx.credentials[source];
  if (!credentials) {
    throw new ConfigError(`${source} is not configured: ${definition.credentials.token} is not set`, {
      hint: 'see README "Credentials"; `ca demo` runs everything against the built-in sandbox',
    });
  }
  const fetchSource = await definition.loadFetch();
  const parsed = definition.settings.strict().safeParse(ctx.config[source]);
  if (!parsed.success) throw new ConfigError(`config ${source}: ${describeIssues(parsed.error)}`);
  const store = new Store(ctx.paths.cache);
  const started = ctx.io.now();
  const board = ProgressBoard.of(ctx);
  const progress = progressReporter(board, source);
  const log = board.logger(source, ctx.log);
  let summary: FetchSummary;
  try {
    summary = await fetchSource({
      store,
      baseUrl: credentials.baseUrl,
      token: credentials.token,
      full: options.full,
      lookbackDays: options.lookbackDays,
      now: ctx.io.now,
      log,
      rejectsDir: ctx.paths.rejects,
      progress: progress.update,
      settings: parsed.data,
    });
  } finally {
    progress.done();
  }
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

/** Records stored per stream, on the command's progress line (a terminal only; nothing for cron or CI). */
function progressReporter(board: ProgressBoard, source: string) {
  const counts = new Map<string, number>();
  return {
    update: (event: { stream: string; records: number }) => {
      counts.set(event.stream, (counts.get(event.stream) ?? 0) + event.records);
      board.set(source, [...counts].map(([s, n]) => `${s} ${count(n)}`).join(', '));
    },
    done: () => board.remove(source),
  };
}

/** data/cache/freshness.json: when each source last brought data in (a fetch, or an import for ecom). */
export async function recordFreshness(cacheDir: string, source: string, entry: unknown): Promise<void> {
  const path = join(cacheDir, 'freshness.json');
  // Sources fetched concurrently each record theirs: one read-modify-write at a time.
  await serialized(path, async () => {
    let current: Record<string, unknown> = {};
    try {
      current = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    } catch {
      // First fetch, or a damaged file: freshness is informational and is rebuilt by the next fetch.
    }
    current[source] = entry;
    await writeFileAtomically(path, JSON.stringify(current, null, 2) + '\n');
  });
}
