/**
 * One writer at a time per workspace: every command that writes the cache or the outputs (`ca update`,
 * `ca fetch`, `ca import ecom`, `ca compute`, `ca merge`, `ca report` files, `ca demo`) holds this lock.
 * The lock file records who holds it (command, pid, host, start); a lock whose process is gone (same
 * host, pid no longer running) is taken over at once, so a run killed by the OOM killer or a reboot
 * does not block the next night's run. A second writer waits up to `waitMs`, then gives up naming the
 * holder.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { LockedError } from './errors.js';

/** A lock file nobody can read (a crash while writing it) counts as stale after this long. */
const UNREADABLE_STALE_MS = 10_000;

interface Holder {
  /** The command line that holds the lock, e.g. `ca update` (absent in locks of older versions). */
  command?: string;
  pid: number;
  host: string;
  started: string;
  token: string;
}

export interface LockOptions {
  /** What the holder is doing, named to whoever finds the lock taken: `ca fetch lightspeed`. */
  command: string;
  /** How long to wait for a lock another process holds (default 0: give up at once). */
  waitMs?: number;
  /** Pause between attempts while waiting. */
  pollMs?: number;
  /** Called once, when the lock is found taken and the wait begins, with what the holder is. */
  onWait?: (holder: string) => void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(path: string): Promise<Holder | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Holder;
  } catch {
    return undefined;
  }
}

function lockedError(holder: Holder | undefined, path: string): LockedError {
  const who = holder ? `\`${holder.command ?? 'ca update'}\` is running on this workspace (pid ${holder.pid} on ${holder.host}, since ${holder.started})` : '`ca` command is taking the lock of this workspace';
  return new LockedError(`another ${who}`, {
    hint: `wait for it to finish, or pass --wait=SECONDS to wait for it; if no such process exists, delete ${path}`,
  });
}

/**
 * Takes the lock, waiting up to `waitMs` for another holder to finish, or throws LockedError naming the
 * holder; resolves to the release function.
 */
export async function acquireLock(path: string, options: LockOptions): Promise<() => Promise<void>> {
  const deadline = Date.now() + (options.waitMs ?? 0);
  let waiting = false;
  for (;;) {
    try {
      return await tryLock(path, options.command);
    } catch (error) {
      const left = deadline - Date.now();
      if (!(error instanceof LockedError) || left <= 0) throw error;
      if (!waiting) options.onWait?.(error.message);
      waiting = true;
      await new Promise((resolve) => setTimeout(resolve, Math.min(left, options.pollMs ?? 250)));
    }
  }
}

async function tryLock(path: string, command: string): Promise<() => Promise<void>> {
  await mkdir(dirname(path), { recursive: true });
  const me: Holder = { command, pid: process.pid, host: hostname(), started: new Date().toISOString(), token: randomUUID() };
  for (let attempt = 0; attempt < 4; attempt++) {
    // Written beside the lock, then hard-linked into place: the lock appears with its content, or not at all.
    const draft = `${path}.${me.token}`;
    await writeFile(draft, JSON.stringify(me));
    try {
      await link(draft, path);
      await unlink(draft);
      return async () => {
        const holder = await readHolder(path);
        if (holder?.token === me.token) await unlink(path).catch(() => {});
      };
    } catch (error) {
      await unlink(draft).catch(() => {});
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // Gone since the link failed (its holder finished, or a dead holder's lock was removed): try again.
    const seen = await stat(path).catch(() => undefined);
    if (!seen) continue;
    const holder = await readHolder(path);
    // An unreadable lock may be one being written this instant: stale only once it is old.
    const stale = holder ? holder.host === me.host && !alive(holder.pid) : Date.now() - seen.mtimeMs > UNREADABLE_STALE_MS;
    if (!stale) throw lockedError(holder, path);
    await removeStale(path, holder, seen);
  }
  throw lockedError(await readHolder(path), path);
}

/**
 * Removes a dead holder's lock, one process at a time: only the process that creates the takeover
 * marker named after that very lock (its token; the inode of an unreadable one) may, and only after it
 * has found the same lock there again. Nobody else removes a lock but its own holder, so the lock cannot
 * change between that look and the removal, and a process that judged the dead lock long ago and takes
 * the marker later finds another lock (or none) and leaves it. Whoever finds the marker taken gives way.
 */
async function removeStale(path: string, holder: Holder | undefined, seen: Stats): Promise<void> {
  const marker = `${path}.takeover-${holder ? holder.token : `inode-${seen.ino}`}`;
  try {
    await writeFile(marker, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another process is removing it; a marker this old was left by one killed in the middle.
    const age = await stat(marker).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age <= UNREADABLE_STALE_MS) throw lockedError(holder, path);
    await unlink(marker).catch(() => {});
    return;
  }
  try {
    const now = await stat(path).catch(() => undefined);
    const again = now && (await readHolder(path));
    const same = now !== undefined && (holder ? again?.token === holder.token : again === undefined && now.ino === seen.ino);
    if (same) await unlink(path);
  } finally {
    await unlink(marker).catch(() => {});
  }
}
