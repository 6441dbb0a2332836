/**
 * `ca import ecom`: one export into the store, the original kept as data/ecom_orders_export.csv. Runs
 * under the workspace lock (the command or `ca update` holds it), which also clears what a killed
 * import left (its sort runs and its copy in progress).
 */
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { Context } from './context.js';
import { count, progress } from '../io/progress.js';
import { Store } from '../io/store.js';
import { importEcom, loadMapping, type ImportSummary } from '../sources/ecom/index.js';
import { recordFreshness } from './fetchStep.js';

/**
 * `file` is relative to the current directory; `mapping` (the `--mapping` flag) too, while the config's
 * `ecom.mapping` is relative to the workspace.
 */
export async function importStep(ctx: Context, file: string, mapping?: string): Promise<ImportSummary> {
  const started = ctx.io.now();
  // The import's live memory is small and constant (tens of MB) but it allocates fast, and V8 then lets
  // the heap grow to four times what survived before collecting: hundreds of MB of garbage that look
  // like memory growth. Twice is plenty here; compute, which holds whole tables, keeps the default.
  setFlagsFromString('--heap-growing-percent=100');
  let summary: ImportSummary;
  const line = progress(ctx.io.stderr, 'import ecom', ctx);
  try {
    summary = await importEcom({
      store: new Store(ctx.paths.cache),
      file: resolve(ctx.io.cwd, file),
      mapping: await loadMapping(mapping === undefined ? mappingLocation(ctx.config.ecom.mapping, ctx.paths.workspace) : mappingLocation(mapping, ctx.io.cwd)),
      dataDir: ctx.paths.dataDir,
      now: ctx.io.now(),
      defaultRegion: ctx.config.defaultRegion,
      log: ctx.log,
      onRows: (rows) => line.update(`${count(rows)} rows read`),
      onPhase: (text) => line.phase(text),
    });
  } finally {
    line.done();
    setFlagsFromString('--heap-growing-percent=0');
  }
  await recordFreshness(ctx.paths.cache, 'ecom', { last_success_at: new Date(started).toISOString(), summary });
  return summary;
}

/** A preset name stays a name; anything that looks like a file path is read relative to `dir`. */
export function mappingLocation(value: string, dir: string): string {
  return /[\\/]|\.json$/i.test(value) ? resolve(dir, value) : value;
}
