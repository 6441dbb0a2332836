/** `ca import ecom`: one export into the store, the original kept as data/ecom_orders_export.csv. */
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { Context } from '../cli/context.js';
import { removeStaleTemps } from '../io/staleTemps.js';
import { Store } from '../io/store.js';
import { importEcom, loadMapping, type ImportSummary } from '../sources/ecom/index.js';

export async function importStep(ctx: Context, file: string, mapping?: string): Promise<ImportSummary> {
  // A killed import leaves its sort runs and its copy in progress; only a dead process's are removed.
  const stale = await removeStaleTemps(ctx.paths.dataDir);
  if (stale.length > 0) ctx.log.debug(`removed ${stale.length} temp file(s) left by killed runs`);
  // The import's live memory is small and constant (tens of MB) but it allocates fast, and V8 then lets
  // the heap grow to four times what survived before collecting: hundreds of MB of garbage that look
  // like memory growth. Twice is plenty here; compute, which holds whole tables, keeps the default.
  setFlagsFromString('--heap-growing-percent=100');
  try {
    return await importEcom({
      store: new Store(ctx.paths.cache),
      file: resolve(ctx.io.cwd, file),
      mapping: await loadMapping(mappingLocation(mapping ?? ctx.config.ecom.mapping, ctx.io.cwd)),
      dataDir: ctx.paths.dataDir,
      now: ctx.io.now(),
      defaultRegion: ctx.config.defaultRegion,
      log: ctx.log,
    });
  } finally {
    setFlagsFromString('--heap-growing-percent=0');
  }
}

/** A preset name stays a name; anything that looks like a file path is read relative to the working folder. */
export function mappingLocation(value: string, cwd: string): string {
  return /[\\/]|\.json$/i.test(value) ? resolve(cwd, value) : value;
}
