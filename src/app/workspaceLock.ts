/**
 * Every command that writes the cache or the outputs runs under the workspace lock (src/io/lock.ts), so
 * a fetch, an import, a compute, a merge or an update never interleave on one shop's files. Readers
 * (`ca check`, `ca stats`, `ca customer`, `ca status`, `ca report model`, `ca export postgres`) take no
 * lock and write nothing.
 */
import type { Context } from './context.js';
import { acquireLock } from '../io/lock.js';
import { removeStaleTemps } from '../io/staleTemps.js';

/** Runs `work` holding the workspace lock as `command` (e.g. `ca fetch lightspeed`), waiting up to `--wait`. */
export async function withWorkspaceLock<T>(ctx: Context, command: string, work: () => Promise<T>): Promise<T> {
  const release = await acquireLock(ctx.paths.lock, {
    command,
    waitMs: ctx.lockWaitMs,
    onWait: (holder) => ctx.log.debug(`waiting up to ${Math.round(ctx.lockWaitMs / 1000)} s for the workspace: ${holder}`),
  });
  try {
    // Holding the lock: temp files of killed runs are left-overs, not writes in progress.
    const stale = [...(await removeStaleTemps(ctx.paths.dataDir)), ...(await removeStaleTemps(ctx.paths.archive))];
    if (stale.length > 0) ctx.log.debug(`removed ${stale.length} temp file(s) left by killed runs`);
    return await work();
  } finally {
    await release().catch(() => {});
  }
}
