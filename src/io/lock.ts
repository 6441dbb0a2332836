/**
 * One `ca update` at a time per data folder. proper-lockfile keeps the lock fresh while we run; a lock
 * left by a process that died goes stale and is taken over.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import lockfile from 'proper-lockfile';
import { LockedError } from './errors.js';

/** A lock not refreshed for this long belongs to a dead process. */
const STALE_MS = 15_000;

export async function acquireLock(path: string): Promise<() => Promise<void>> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, '', { flag: 'a' });
  try {
    return await lockfile.lock(path, { stale: STALE_MS, update: STALE_MS / 3, realpath: false, retries: 0 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new LockedError('another `ca update` is running on this data folder', {
        hint: `wait for it to finish; a lock left by a crashed run is taken over after ${STALE_MS / 1000} s`,
      });
    }
    throw error;
  }
}
