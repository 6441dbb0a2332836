/**
 * A process killed while writing (SIGKILL, the OOM killer, a power cut) leaves its temporary file beside
 * the target: `.x.tmp-PID` (atomic writers), `x.col.tmp-PID` (column files), `.x.import-PID` (the kept
 * copy of an export), `.sort-N.tmp-PID/` (the run files of a sort larger than memory). The target
 * itself is intact, but the temp file would stay forever, so the next `ca update` removes those whose
 * process is gone.
 */
import { readdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';

const TEMP_NAME = /\.(?:tmp|import)-(\d+)$/;

function running(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the temp files of dead processes under `dir` (recursively); returns their paths. */
export async function removeStaleTemps(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const match = TEMP_NAME.exec(entry.name);
    if (entry.isDirectory() && !match) {
      removed.push(...(await removeStaleTemps(path)));
      continue;
    }
    if (!match || running(Number(match[1]))) continue;
    if (entry.isDirectory()) await rm(path, { recursive: true, force: true });
    else await unlink(path).catch(() => {});
    removed.push(path);
  }
  return removed;
}
