/**
 * Taking over a dead run's lock while other processes do the same. Two `ca update`s that both found a
 * dead holder's lock once both ran (the fault suite's racing updates hung at their gate, each behind the
 * other). Here the other process ("A") is played by the test between the lock code's own file
 * operations, at the points where races interleave, and three takers run in many seeded shuffles of
 * their file operations: never two holders, and never a lock someone has just created removed.
 */
import { existsSync, linkSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LockedError } from '../../src/io/errors.js';
import { Random } from '../../src/sandbox/random.js';

/** What the test does at B's next call of an fs function, once. */
const at = vi.hoisted(() => ({
  afterFailedLink: undefined as (() => void) | undefined,
  beforeMarker: undefined as (() => void) | undefined,
  /** When set, every file operation of the lock code yields to the others a few times (0-3), before and after. */
  jitter: undefined as (() => number) | undefined,
}));

vi.mock('node:fs/promises', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:fs/promises')>();
  const yieldSome = async () => {
    for (let n = at.jitter ? Math.floor(at.jitter() * 4) : 0; n > 0; n--) await new Promise((resolve) => setImmediate(resolve));
  };
  const jittered =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await yieldSome();
      try {
        return await fn(...args);
      } finally {
        await yieldSome();
      }
    };
  return {
    ...original,
    readFile: jittered(original.readFile),
    writeFile: jittered(async (...args: Parameters<typeof original.writeFile>) => {
      const options = args[2] as { flag?: string } | undefined;
      if (options?.flag === 'wx') {
        const step = at.beforeMarker;
        at.beforeMarker = undefined;
        step?.();
      }
      return original.writeFile(...args);
    }),
    stat: jittered(original.stat),
    unlink: jittered(original.unlink),
    link: jittered(async (...args: Parameters<typeof original.link>) => {
      try {
        return await original.link(...args);
      } catch (error) {
        const step = at.afterFailedLink;
        at.afterFailedLink = undefined;
        step?.();
        throw error;
      }
    }),
  };
});

const { acquireLock } = await import('../../src/io/lock.js');

const dir = mkdtempSync(join(tmpdir(), 'ca-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = join(dir, '.ca.lock');
/** A dead holder's lock: this host, a pid far above any this machine hands out. */
const DEAD_LOCK = JSON.stringify({ command: 'ca update', pid: 2 ** 30, host: hostname(), started: '2025-06-30T02:15:00.000Z', token: 'dead' });
const holderOf = (token: string) => JSON.stringify({ command: 'ca update', pid: process.pid, host: hostname(), started: new Date().toISOString(), token });
const tokenInLock = () => (JSON.parse(readFileSync(path, 'utf8')) as { token: string }).token;

/** A creates its lock the way lock.ts does: written beside it, hard-linked into place (fails if taken). */
function aTakes(): boolean {
  writeFileSync(`${path}.a`, holderOf('A'));
  try {
    linkSync(`${path}.a`, path);
    return true;
  } catch {
    return false;
  } finally {
    rmSync(`${path}.a`);
  }
}

beforeEach(() => {
  rmSync(path, { force: true });
  at.afterFailedLink = at.beforeMarker = at.jitter = undefined;
});

describe('taking over a dead holder`s lock while another process does too', () => {
  it('the lock vanishes after B finds it taken (A removed the dead one), and A creates its own: one holder', async () => {
    writeFileSync(path, DEAD_LOCK);
    let aHolds: boolean | undefined;
    // Right after B's failed link, A removes the dead lock; A creates its own when B next looks at the file.
    at.afterFailedLink = () => {
      rmSync(path);
      at.beforeMarker = () => (aHolds = aTakes());
    };
    const b = await acquireLock(path, { command: 'ca update' }).then(
      (release) => release,
      (error: unknown) => error,
    );
    aHolds ??= aTakes();
    const bHolds = typeof b === 'function';
    if (!bHolds) expect(b).toBeInstanceOf(LockedError);
    expect({ aHolds, bHolds }, 'exactly one process holds the lock').toSatisfy(({ aHolds, bHolds }) => aHolds !== bHolds);
    expect(tokenInLock()).not.toBe('dead');
    if (aHolds) expect(tokenInLock()).toBe('A');
    else expect(tokenInLock()).not.toBe('A');
  });

  it.each([
    ['a dead holder`s lock', () => DEAD_LOCK],
    ['an old unreadable lock', () => ''],
  ])('%s that A removes and replaces with its own after B judged it stale: B leaves A`s lock and gives way', async (_, content) => {
    writeFileSync(path, content());
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old);
    let aHolds = false;
    // Just before B claims the right to remove the dead lock, A has done a whole takeover.
    at.beforeMarker = () => {
      rmSync(path);
      aHolds = aTakes();
    };
    await expect(acquireLock(path, { command: 'ca update' })).rejects.toBeInstanceOf(LockedError);
    expect(aHolds).toBe(true);
    expect(tokenInLock()).toBe('A');
  });

  it('three processes taking over at once, in 600 interleavings: never two holders, and the dead lock is always gone', async () => {
    // Seeded, so every run of the test tries the same shuffles of the three takers' steps.
    const random = new Random(20261203);
    at.jitter = () => random.next();
    const outcomes = { one: 0, none: 0 };
    for (let trial = 0; trial < 600; trial++) {
      for (const name of readdirSync(dir)) rmSync(join(dir, name), { force: true });
      if (trial % 2 === 0) {
        writeFileSync(path, DEAD_LOCK);
      } else {
        // A lock nobody can read, old enough to count as stale.
        writeFileSync(path, '');
        const old = new Date(Date.now() - 60_000);
        utimesSync(path, old, old);
      }
      const results = await Promise.all(
        [1, 2, 3].map(() =>
          acquireLock(path, { command: 'ca update' }).then(
            (release) => release,
            (error: unknown) => {
              if (!(error instanceof LockedError)) throw error;
              return undefined;
            },
          ),
        ),
      );
      const holders = results.filter((r) => r !== undefined);
      expect(holders.length, `trial ${trial}: processes that hold the lock`).toBeLessThanOrEqual(1);
      if (holders.length === 1) {
        outcomes.one++;
        expect(JSON.parse(readFileSync(path, 'utf8')).pid, `trial ${trial}`).toBe(process.pid);
        await holders[0]!();
        expect(existsSync(path), `trial ${trial}: released`).toBe(false);
      } else outcomes.none++;
    }
    // Giving way when another taker is busy with the same dead lock is allowed; each try still ends the
    // dead lock, so the next run takes it at once. Most trials have a winner.
    expect(outcomes.one).toBeGreaterThan(450);
  });
});
