/**
 * Crashes: `ca update` killed with SIGKILL at many points (during fetch pages, slowed by sandbox
 * latency; during compute and merge on a bigger generated store), then run again. The rerun must give
 * the same master bytes as an uninterrupted run over the same data with the same --as-of, with no order
 * stored twice or lost, no half-written file left behind, and the timestamp never moved by a killed run.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readColumns } from '../../src/io/columnar.js';
import { REPO, runCa } from '../helpers/cli.js';
import {
  AS_OF,
  baseIds,
  bytesOf,
  NOW,
  PARTIAL,
  partialFiles,
  paths,
  removeWorkdirs,
  runLog,
  snapshot,
  startSandboxes,
  walk,
  workdir,
  type Sandboxes,
} from './helpers.js';

const DAY = 86_400_000;
const asOf = (ms: number) => `--as-of=${new Date(ms).toISOString()}`;

afterAll(removeWorkdirs);

/** The bench's store generator (plain JS, no types): column files straight into data/cache/. */
type GenerateStore = (dir: string, options: { customers: number; orders: number; seed: number; asOf: number }) => Promise<unknown>;
const generatorPath = join(REPO, 'bench', 'generateStore.mjs');
const generateStore: GenerateStore = async (dir, options) => ((await import(generatorPath)) as { generateStore: GenerateStore }).generateStore(dir, options);

/** A run and how long it took (ms): kill points are shares of an uninterrupted run on this machine, now. */
async function timed<T>(run: Promise<T>): Promise<T & { ms: number }> {
  const started = Date.now();
  const result = await run;
  return { ...result, ms: Date.now() - started };
}

const killPoints = (duration: number, shares: number[]) => shares.map((share) => Math.round(duration * share));

function slowDown(sandboxes: Sandboxes): void {
  sandboxes.lightspeed.control.addFault({ kind: 'latency', ms: 40, count: -1 });
  sandboxes.square.control.addFault({ kind: 'latency', ms: 25, count: -1 });
}

/**
 * Every archived file is a whole copy of a master (or buyers file) that existed, never a torn one. A
 * copy cut short by the kill is a temp file, removed by the next update (checked after the rerun).
 */
async function expectWholeArchives(dir: string, known: Buffer[]): Promise<void> {
  for (const file of (await walk(paths(dir).archive)).filter((f) => !PARTIAL.test(f))) {
    const bytes = await bytesOf(join(paths(dir).archive, file));
    expect(
      known.some((k) => k.equals(bytes!)),
      `archive/${file} is not a complete copy of an earlier file`,
    ).toBe(true);
  }
}

async function expectNoDuplicates(dir: string, reference: string, tables: Array<[string, string]>): Promise<void> {
  for (const [source, table] of tables) {
    const mine = await baseIds(dir, source, table);
    const theirs = await baseIds(reference, source, table);
    expect(mine.rows, `${source}/${table}: an id stored twice`).toBe(mine.distinct);
    expect(mine.ids, `${source}/${table}: ids differ from the uninterrupted run`).toEqual(theirs.ids);
  }
}

const API_TABLES: Array<[string, string]> = [
  ['lightspeed', 'customers'],
  ['lightspeed', 'orders'],
  ['square', 'customers'],
  ['square', 'orders'],
  ['square', 'bookings'],
];

describe('ca update killed during the fetch', () => {
  let sandboxes: Sandboxes;
  let reference: string;
  let victim: string;

  beforeAll(async () => {
    sandboxes = await startSandboxes(11);
    reference = await workdir();
    victim = await workdir();
  });
  afterAll(() => sandboxes?.close());

  it('a first run killed at many points, then rerun, gives the uninterrupted master', async () => {
    // Every request waits, so kills land between and inside pages of every stream.
    slowDown(sandboxes);
    const clean = await timed(runCa(['update', AS_OF], { cwd: reference, env: sandboxes.env() }));
    expect(clean.code, clean.stderr).toBe(0);
    const expected = (await bytesOf(paths(reference).master))!;

    let killed = 0;
    for (const ms of killPoints(clean.ms, [0.12, 0.27, 0.42, 0.57, 0.72, 0.87])) {
      const run = await runCa(['update', AS_OF], { cwd: victim, env: sandboxes.env(), killAfterMs: ms });
      if (run.signal !== 'SIGKILL') {
        expect(run.code, run.stderr).toBe(0);
        break;
      }
      killed++;
      const after = await snapshot(victim);
      expect(after.timestamp, `killed at ${ms} ms: the timestamp moved`).toBeNull();
      // A master, if the kill came after merge wrote it, is the complete one.
      if (after.master) expect(after.master.equals(expected), `killed at ${ms} ms: a partial master`).toBe(true);
      for (const state of [after.lightspeedState, after.squareState]) if (state) expect(() => JSON.parse(state.toString())).not.toThrow();
      expect((await runLog(victim)).filter((r) => r.outcome === 'success')).toEqual([]);
    }
    expect(killed).toBeGreaterThanOrEqual(3);
    sandboxes.lightspeed.control.clearFaults();
    sandboxes.square.control.clearFaults();

    const rerun = await runCa(['update', AS_OF], { cwd: victim, env: sandboxes.env() });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect((await bytesOf(paths(victim).master))!.equals(expected)).toBe(true);
    expect(await bytesOf(paths(victim).firstTimeBuyers)).toEqual(await bytesOf(paths(reference).firstTimeBuyers));
    await expectNoDuplicates(victim, reference, API_TABLES);
    expect(await partialFiles(victim)).toEqual([]);
  });

  it('an incremental run killed at many points leaves the last good master and timestamp, and its rerun catches up', async () => {
    const days = 3;
    sandboxes.lightspeed.control.advance(days);
    sandboxes.square.control.advance(days);
    const later = asOf(NOW + days * DAY);
    const before = await snapshot(victim);
    expect(before.timestamp).not.toBeNull();

    slowDown(sandboxes);
    const clean = await timed(runCa(['update', later], { cwd: reference, env: sandboxes.env() }));
    expect(clean.code, clean.stderr).toBe(0);
    const expected = (await bytesOf(paths(reference).master))!;
    expect(expected.equals(before.master!)).toBe(false);
    // A run killed after its merge (before the timestamp) leaves the new files; the next one archives them.
    const expectedBuyers = (await bytesOf(paths(reference).firstTimeBuyers))!;

    let killed = 0;
    for (const ms of killPoints(clean.ms, [0.2, 0.4, 0.6, 0.8, 0.92])) {
      const run = await runCa(['update', later], { cwd: victim, env: sandboxes.env(), killAfterMs: ms });
      if (run.signal !== 'SIGKILL') {
        expect(run.code, run.stderr).toBe(0);
        break;
      }
      killed++;
      const after = await snapshot(victim);
      expect(after.timestamp, `killed at ${ms} ms: the timestamp moved`).toEqual(before.timestamp);
      const master = after.master!;
      expect(master.equals(before.master!) || master.equals(expected), `killed at ${ms} ms: a partial master`).toBe(true);
      await expectWholeArchives(victim, [before.master!, before.firstTimeBuyers!, expected, expectedBuyers]);
    }
    expect(killed).toBeGreaterThanOrEqual(3);
    sandboxes.lightspeed.control.clearFaults();
    sandboxes.square.control.clearFaults();

    const rerun = await runCa(['update', later], { cwd: victim, env: sandboxes.env() });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect((await bytesOf(paths(victim).master))!.equals(expected)).toBe(true);
    expect((await bytesOf(paths(victim).timestamp))!.equals(before.timestamp!)).toBe(false);
    await expectNoDuplicates(victim, reference, API_TABLES);
    expect(await partialFiles(victim)).toEqual([]);
  });
});

describe('ca update killed during compute and merge (generated store: 25 000 customers, 250 000 orders)', () => {
  const T1 = Date.parse('2026-03-31T00:00:00Z');
  const T2 = Date.parse('2026-06-30T00:00:00Z');
  let reference: string;
  let victim: string;

  beforeAll(async () => {
    reference = await workdir();
    victim = await workdir();
    await generateStore(paths(reference).data, { customers: 25_000, orders: 250_000, seed: 5, asOf: T2 });
    await cp(paths(reference).data, paths(victim).data, { recursive: true });
  }, 60_000);

  it('leaves the previous master (or the whole new one) and the timestamp; the rerun writes the uninterrupted master', async () => {
    const first = await runCa(['update', asOf(T1)], { cwd: victim });
    expect(first.code, first.stderr).toBe(0);
    const before = await snapshot(victim);

    const clean = await timed(runCa(['update', asOf(T2)], { cwd: reference }));
    expect(clean.code, clean.stderr).toBe(0);
    const expected = (await bytesOf(paths(reference).master))!;
    const expectedBuyers = (await bytesOf(paths(reference).firstTimeBuyers))!;

    // Spread over the whole run: loading, identities, metrics, model fit, computed files, archive, master, reports.
    for (const ms of killPoints(clean.ms, [0.2, 0.4, 0.6, 0.75, 0.9])) {
      const run = await runCa(['update', asOf(T2)], { cwd: victim, killAfterMs: ms });
      if (run.signal !== 'SIGKILL') continue;
      const after = await snapshot(victim);
      // A kill that lands after the timestamp was written (a run faster than the reference's) finds
      // the new master in place; what must never happen is a timestamp ahead of its master.
      const moved = !after.timestamp!.equals(before.timestamp!);
      expect(!moved || after.master!.equals(expected), `killed at ${ms} ms: the timestamp moved ahead of the master`).toBe(true);
      expect(after.master!.equals(before.master!) || after.master!.equals(expected), `killed at ${ms} ms: a partial master`).toBe(true);
      const buyers = after.firstTimeBuyers!;
      expect(buyers.equals(before.firstTimeBuyers!) || buyers.equals(expectedBuyers), `killed at ${ms} ms: partial buyers`).toBe(true);
      await expectWholeArchives(victim, [before.master!, before.firstTimeBuyers!, expected, expectedBuyers]);
    }

    const rerun = await runCa(['update', asOf(T2)], { cwd: victim });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect((await bytesOf(paths(victim).master))!.equals(expected)).toBe(true);
    expect((await bytesOf(paths(victim).firstTimeBuyers))!.equals(expectedBuyers)).toBe(true);
    expect(await bytesOf(join(paths(victim).data, 'reports', 'daily_by_location.csv'))).toEqual(
      await bytesOf(join(paths(reference).data, 'reports', 'daily_by_location.csv')),
    );
    expect(await partialFiles(victim)).toEqual([]);
  }, 150_000);
});

/**
 * A child that rewrites one file under data/ in a loop through one of the store's writers (the state
 * goes through the Store at data/cache), until it is killed.
 */
function killWriterMidWrite(data: string, writer: string, killAfterMs: number): Promise<void> {
  const dist = (module: string) => JSON.stringify(join(REPO, 'dist', module));
  const script = `
    const { Store } = await import(${dist('io/store.js')});
    const { writeColumns } = await import(${dist('io/columnar.js')});
    const { writeFileAtomically } = await import(${dist('io/atomicFile.js')});
    const data = ${JSON.stringify(data)};
    await (await import('node:fs/promises')).mkdir(data + '/cache', { recursive: true });
    const big = { format: 1, streams: {}, filler: Array.from({ length: 150000 }, (_, i) => 'record-' + i) };
    const store = new Store(data + '/cache');
    const rows = 400000;
    const columns = { rows, data: { v: new Float64Array(rows).fill(1) } };
    for (let n = 0; ; n++) {
      if (n === 1) process.stdout.write('ready\\n');
      if (${JSON.stringify(writer)} === 'state') await store.writeState('lightspeed', { ...big, n });
      if (${JSON.stringify(writer)} === 'columns') await writeColumns(data + '/t.col', [{ name: 'v', type: 'f64' }], columns);
      if (${JSON.stringify(writer)} === 'text') await writeFileAtomically(data + '/t.json', JSON.stringify({ ...big, n }));
    }`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    // Killed only once the target was written whole at least once.
    let timer: NodeJS.Timeout | undefined;
    child.stdout.once('data', () => (timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs)));
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe('writers killed mid-write', () => {
  const TARGETS: Record<string, string> = { state: 'cache/lightspeed/state.json', columns: 't.col', text: 't.json' };
  it.each(Object.keys(TARGETS))(
    '%s: the target stays whole; what is left is a temp file the next `ca update` removes',
    async (writer) => {
      const dir = await workdir();
      const data = paths(dir).data;
      let leftovers: string[] = [];
      for (let attempt = 0; attempt < 8 && leftovers.length === 0; attempt++) {
        await killWriterMidWrite(data, writer, 150 + attempt * 37);
        leftovers = (await walk(data)).filter((f) => f !== TARGETS[writer]);
      }
      expect(leftovers.length, 'no kill landed inside a write').toBeGreaterThan(0);
      for (const file of leftovers) expect(file).toMatch(PARTIAL);
      const target = join(data, TARGETS[writer]);
      if (writer === 'columns') await expect(readColumns(target)).resolves.toMatchObject({ rows: 400000 });
      else expect(() => JSON.parse(readFileSync(target, 'utf8'))).not.toThrow();
      // The next command that writes here (any of them takes the workspace lock) clears what the dead
      // writer left; with no source configured, a compute is one.
      const run = await runCa(['compute', AS_OF], { cwd: dir });
      expect(run.code, run.stderr).toBe(0);
      expect((await walk(data)).filter((f) => leftovers.includes(f))).toEqual([]);
      expect(await partialFiles(dir)).toEqual([]);
    },
    30_000,
  );
});
