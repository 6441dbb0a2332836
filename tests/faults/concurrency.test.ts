/**
 * Concurrency: `ca update`s started at the same instant on one workspace. Exactly one runs; every
 * other exits 7 naming the holder. A lock left by a killed run is taken over by exactly one of them.
 * Other writers (`ca fetch`, `ca compute`, …) take the same lock; readers never write
 * (readersDuringFetch.test.ts, readersWriteNothing.test.ts).
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCa } from '../helpers/cli.js';
import { AS_OF, bytesOf, exists, paths, removeWorkdirs, runLog, startGate, startSandboxes, whenExists, workdir, type Sandboxes } from './helpers.js';

let sandboxes: Sandboxes;
let expected: Buffer;

beforeAll(async () => {
  sandboxes = await startSandboxes(31);
  const reference = await workdir();
  const run = await runCa(['update', AS_OF], { cwd: reference, env: sandboxes.env() });
  expect(run.code, run.stderr).toBe(0);
  expected = (await bytesOf(paths(reference).master))!;
});

afterAll(async () => {
  await sandboxes?.close();
  await removeWorkdirs();
});

const lockPath = (dir: string) => join(paths(dir).data, '.ca.lock');
const LOCKED = /^ca: another `ca update` is running on this workspace \(pid \d+ on .+, since \d{4}-\d{2}-\d{2}T.+\)$/m;

/** A pid that certainly belongs to no running process: a child that has already exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.on('close', resolve));
  return child.pid!;
}

/**
 * Starts `n` updates at once. The winner's Lightspeed replies are held at a gate until the other n - 1
 * have exited, so they all meet its lock however slowly this machine starts them.
 */
async function race(dir: string, n: number) {
  const gate = await startGate(sandboxes.lightspeed.url);
  let ended = 0;
  try {
    return await Promise.all(
      Array.from({ length: n }, () =>
        runCa(['update', AS_OF], { cwd: dir, env: { ...sandboxes.env(), LIGHTSPEED_BASE_URL: gate.url } }).finally(() => {
          if (++ended === n - 1) gate.open();
        }),
      ),
    );
  } finally {
    gate.open();
    await gate.close();
  }
}

async function expectOneRan(dir: string, runs: Awaited<ReturnType<typeof race>>): Promise<void> {
  const codes = runs.map((r) => r.code).sort();
  expect(codes, runs.map((r) => r.stderr).join('\n---\n')).toEqual([0, ...Array(runs.length - 1).fill(7)]);
  for (const loser of runs.filter((r) => r.code === 7)) expect(loser.stderr).toMatch(LOCKED);
  expect((await bytesOf(paths(dir).master))!.equals(expected)).toBe(true);
  expect(await exists(lockPath(dir)), 'the winner left its lock behind').toBe(false);
}

describe('two or more `ca update` at once', () => {
  it('two started together: one runs, the other exits 7 saying who holds the lock', async () => {
    const dir = await workdir();
    await expectOneRan(dir, await race(dir, 2));
    // The loser never touched the run log: only the winner's run is there.
    expect((await runLog(dir)).map((r) => r.outcome)).toEqual(['success']);
  });

  it('three started together', async () => {
    const dir = await workdir();
    await expectOneRan(dir, await race(dir, 3));
  });

  it('a lock left by a killed run is taken over by exactly one of two racing updates', async () => {
    const dir = await workdir();
    for (let round = 0; round < 2; round++) {
      await mkdir(paths(dir).data, { recursive: true });
      await writeFile(lockPath(dir), JSON.stringify({ pid: await deadPid(), host: hostname(), started: '2025-06-30T02:15:00.000Z', token: 'dead' }));
      await expectOneRan(dir, await race(dir, 2));
    }
  });

  it('an unreadable lock is respected while it may be being written, and taken over once old', async () => {
    const dir = await workdir();
    await mkdir(paths(dir).data, { recursive: true });
    await writeFile(lockPath(dir), '');
    // Young for as long as this run may take to start (its time is ahead of the clock), then old.
    const young = new Date(Date.now() + 3_600_000);
    await utimes(lockPath(dir), young, young);
    const fresh = await runCa(['update', AS_OF], { cwd: dir, env: sandboxes.env() });
    expect(fresh.code).toBe(7);
    expect(fresh.stderr).toMatch(/another `ca` command is taking the lock of this workspace/);
    const old = new Date(Date.now() - 60_000);
    await utimes(lockPath(dir), old, old);
    const later = await runCa(['update', AS_OF], { cwd: dir, env: sandboxes.env() });
    expect(later.code, later.stderr).toBe(0);
    expect(await readFile(paths(dir).master)).toEqual(expected);
  });

  it('any other writer meets the same lock: without --wait it exits 7 naming the update, with --wait it runs after it', async () => {
    const dir = await workdir();
    // The update's Lightspeed replies are held until the waiting compute says it is waiting.
    const gate = await startGate(sandboxes.lightspeed.url);
    try {
      const update = runCa(['update', AS_OF], { cwd: dir, env: { ...sandboxes.env(), LIGHTSPEED_BASE_URL: gate.url } });
      await whenExists(lockPath(dir), update);
      const refused = await runCa(['compute', AS_OF], { cwd: dir });
      const waiting = runCa(['compute', AS_OF, '--wait=300', '--verbose'], {
        cwd: dir,
        onStderr: (stderr) => {
          if (/^debug: waiting up to 300 s for the workspace: another `ca update` is running/m.test(stderr)) gate.open();
        },
      });
      const [updated, waited] = await Promise.all([update, waiting]);
      expect(updated.code, updated.stderr).toBe(0);
      expect(refused.code).toBe(7);
      expect(refused.stderr).toMatch(/^ca: another `ca update` is running on this workspace \(pid \d+ on .+\)$/m);
      expect(refused.stderr).toContain('--wait');
      expect(waited.code, waited.stderr).toBe(0);
      // The waiting compute wrote its hand-over after the update had logged its run.
      const computed = await stat(join(paths(dir).cache, 'computed', 'computed.json'));
      expect(computed.mtimeMs).toBeGreaterThan((await stat(paths(dir).runLog)).mtimeMs);
      expect(await exists(lockPath(dir))).toBe(false);
    } finally {
      gate.open();
      await gate.close();
    }
  });
});
