/**
 * Customer data is for the workspace's owner only. Every `ca` process narrows its umask at start-up
 * (`ownerOnlyUmask`), so whatever it creates (folders, CSVs, workbooks, the cache, rejects, archive,
 * reports, temp files, also those written by libraries such as exceljs) is 0700 / 0600 whatever umask
 * it was started with; `ca check` reports what is open to others anyway (made before, or by hand).
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

/**
 * Adds group and other to the umask. Safe here: `ca` is a single-threaded command that sets it once,
 * before it opens any file, and everything it writes is the shop's data. (Worker threads cannot set a
 * umask; `main` run inside one, as some tests do, keeps the process's.)
 */
export function ownerOnlyUmask(): void {
  if (!isMainThread) return;
  process.umask(process.umask() | 0o077);
}

export interface Exposed {
  count: number;
  /** The first few, as `path (mode)`. */
  examples: string[];
}

/** Files and folders under `roots` (recursively; symbolic links are not followed) that group or others may access. */
export async function openToOthers(roots: readonly string[], maxExamples = 3): Promise<Exposed> {
  const found: Exposed = { count: 0, examples: [] };
  const seen = new Set<string>();
  const visit = async (path: string): Promise<void> => {
    if (seen.has(path)) return;
    seen.add(path);
    const info = await lstat(path).catch(() => undefined);
    if (!info || info.isSymbolicLink()) return;
    if ((info.mode & 0o077) !== 0) {
      found.count++;
      if (found.examples.length < maxExamples) found.examples.push(`${path} (${(info.mode & 0o777).toString(8).padStart(4, '0')})`);
    }
    if (info.isDirectory()) {
      const entries = await readdir(path).catch(() => [] as string[]);
      for (const entry of entries) await visit(join(path, entry));
    }
  };
  for (const root of roots) await visit(root);
  return found;
}
