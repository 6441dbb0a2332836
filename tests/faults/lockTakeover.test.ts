/**
 * Taking over a dead run's lock while another process does the same, step by step. Two `ca update`s
 * that both found a dead holder's lock once both ran (the fault suite's racing updates hung at their
 * gate, each behind the other). Here the other process ("A") is played by the test between the lock
 * code's own file operations, at the points where the real race interleaved; the lock code under test
 * ("B") must end with exactly one holder, and never remove a lock A has just created.
 */
import { linkSync, mkdtempSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LockedError } from '../../src/io/errors.js';

/** What the test does at B's next call of an fs function, once. */
const at = vi.hoisted(() => ({ afterFailedLink: undefined as (() => void) | undefined, beforeRename: undefined as (() => void) | undefined }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...original,
    link: async (...args: Parameters<typeof original.link>) => {
      try {
        return await original.link(...args);
      } catch (error) {
        const step = at.afterFailedLink;
        at.afterFailedLink = undefined;
        step?.();
        throw error;
      }
    },
    rename: async (...args: Parameters<typeof original.rename>) => {
      const step = at.beforeRename;
      at.beforeRename = undefined;
      step?.();
      return original.rename(...args);
    },
  };
});

const { acquireLock } = await import('../../src/io/lock.js');

const dir = mkdtempSync(join(tmpdir(), 'ca-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = join(dir, '.ca.lock');
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
  at.afterFailedLink = at.beforeRename = undefined;
});

describe('taking over a dead holder`s lock while another process does too', () => {
  it('the lock vanishes after B finds it taken (A moved it aside), and A creates its own before B moves anything', async () => {
    // A dead holder: this host, a pid far above any pid this machine hands out.
    writeFileSync(path, JSON.stringify({ command: 'ca update', pid: 2 ** 30, host: hostname(), started: '2025-06-30T02:15:00.000Z', token: 'dead' }));
    let aHolds = false;
    at.afterFailedLink = () => renameSync(path, `${path}.a-aside`);
    at.beforeRename = () => (aHolds = aTakes());
    const b = await acquireLock(path, { command: 'ca update' }).then(
      (release) => release,
      (error: unknown) => error,
    );
    // If B did not get to a rename, A comes to create its lock after B is done.
    if (at.beforeRename) aHolds = aTakes();
    const bHolds = typeof b === 'function';
    if (!bHolds) expect(b).toBeInstanceOf(LockedError);
    expect({ aHolds, bHolds }, 'exactly one process holds the lock').toSatisfy(({ aHolds, bHolds }) => aHolds !== bHolds);
    expect(tokenInLock()).not.toBe('dead');
    if (aHolds) expect(tokenInLock()).toBe('A');
    else expect(tokenInLock()).not.toBe('A');
  });

  it('an old unreadable lock that A replaces with its own before B moves it: B puts A`s back and gives way', async () => {
    writeFileSync(path, '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old);
    let aHolds = false;
    at.beforeRename = () => {
      renameSync(path, `${path}.a-aside`);
      aHolds = aTakes();
    };
    await expect(acquireLock(path, { command: 'ca update' })).rejects.toBeInstanceOf(LockedError);
    expect(aHolds).toBe(true);
    expect(tokenInLock()).toBe('A');
  });
});
