/**
 * Crashes: `ca update` killed with SIGKILL at named points (CA_TEST_CRASH_AT, src/io/crashPoint.ts)
 * during fetch pages, compaction, compute and merge, then run again. The rerun must give the same
 * master bytes as an uninterrupted run over the same data with the same --as-of, with no order stored
 * twice or lost, no half-written file left behind, and the timestamp never moved by a killed run.
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

/**
 * `ca update` run with `CA_TEST_CRASH_AT=<point>:<n>` (src/io/crashPoint.ts): the process kills itself
 * with SIGKILL the n-th time it reaches that point. Each kill lands where the test says, however busy
 * the machine is; a run that ends without reaching its point fails the test.
 */
async function killedAt(spec: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<void> {
  const run = await runCa(args, { cwd, env: { ...env, CA_TEST_CRASH_AT: spec } });
  expect(run.signal, `${spec}: the run ended (exit ${run.code}) before reaching its crash point\n${run.stderr}`).toBe('SIGKILL');
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

  it('a first run killed at many points, then rerun, gives the uninterrupted master', { timeout: 300_000 }, async () => {
    const clean = await runCa(['update', AS_OF], { cwd: reference, env: sandboxes.env() });
    expect(clean.code, clean.stderr).toBe(0);
    const expected = (await bytesOf(paths(reference).master))!;

    // One run after another on the same workspace, each going on from what the one before stored.
    // Lightspeed: its first page stored before its bookmark moved, then the same page again with the
    // bookmark just saved, a later page, its customers' base in place with the log not emptied yet.
    // Square: pages, a bookmark, a state file about to be renamed into place, more pages, a second
    // base in place. Last, the whole master written with the timestamp still to come.
    const kills = ['append:1', 'checkpoint:1', 'append:5', 'compact:1', 'append:3', 'checkpoint:10', 'rename:12', 'append:8', 'compact:2', 'timestamp:1'];
    for (const spec of kills) {
      await killedAt(spec, ['update', AS_OF], victim, sandboxes.env());
      const after = await snapshot(victim);
      expect(after.timestamp, `${spec}: the timestamp moved`).toBeNull();
      // A master, if the kill came after merge wrote it, is the complete one.
      if (after.master) expect(after.master.equals(expected), `${spec}: a partial master`).toBe(true);
      for (const state of [after.lightspeedState, after.squareState]) if (state) expect(() => JSON.parse(state.toString()), spec).not.toThrow();
      expect((await runLog(victim)).filter((r) => r.outcome === 'success'), spec).toEqual([]);
    }
    // The last kill came after the master was written.
    expect((await bytesOf(paths(victim).master))?.equals(expected)).toBe(true);

    const rerun = await runCa(['update', AS_OF], { cwd: victim, env: sandboxes.env() });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect((await bytesOf(paths(victim).master))!.equals(expected)).toBe(true);
    expect(await bytesOf(paths(victim).firstTimeBuyers)).toEqual(await bytesOf(paths(reference).firstTimeBuyers));
    await expectNoDuplicates(victim, reference, API_TABLES);
    expect(await partialFiles(victim)).toEqual([]);
  });

  it('an incremental run killed at many points leaves the last good master and timestamp, and its rerun catches up', { timeout: 300_000 }, async () => {
    const days = 3;
    sandboxes.lightspeed.control.advance(days);
    sandboxes.square.control.advance(days);
    const later = asOf(NOW + days * DAY);
    const before = await snapshot(victim);
    expect(before.timestamp).not.toBeNull();

    const clean = await runCa(['update', later], { cwd: reference, env: sandboxes.env() });
    expect(clean.code, clean.stderr).toBe(0);
    const expected = (await bytesOf(paths(reference).master))!;
    expect(expected.equals(before.master!)).toBe(false);
    // A run killed after its merge (before the timestamp) leaves the new files; the next one archives them.
    const expectedBuyers = (await bytesOf(paths(reference).firstTimeBuyers))!;

    // New pages stored, a bookmark saved, a base in place, the previous master copied whole into the
    // archive's temp file (not renamed yet), the new master written with the timestamp still to come.
    for (const spec of ['append:1', 'checkpoint:1', 'compact:1', 'archive:1', 'timestamp:1']) {
      await killedAt(spec, ['update', later], victim, sandboxes.env());
      const after = await snapshot(victim);
      expect(after.timestamp, `${spec}: the timestamp moved`).toEqual(before.timestamp);
      const master = after.master!;
      expect(master.equals(before.master!) || master.equals(expected), `${spec}: a partial master`).toBe(true);
      await expectWholeArchives(victim, [before.master!, before.firstTimeBuyers!, expected, expectedBuyers]);
    }
    expect((await bytesOf(paths(victim).master))!.equals(expected), 'killed at timestamp:1 after the master was written').toBe(true);

    const rerun = await runCa(['update', later], { cwd: victim, env: sandboxes.env() });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect((await bytesOf(paths(victim).master))!.equals(expected)).toBe(true);
    expect((await bytesOf(paths(victim).timestamp))!.equals(before.timestamp!)).toBe(false);
    await expectNoDuplicates(victim, reference, API_TABLES);
    expect(await partialFiles(victim)).toEqual([]);
  });
});

describe('ca update killed at every write of compute and merge (generated store: 400 customers, 4 000 orders)', () => {
  const T1 = Date.parse('2026-03-31T00:00:00Z');
  const T2 = Date.parse('2026-06-30T00:00:00Z');
  let reference: string;
  let victim: string;

  beforeAll(async () => {
    reference = await workdir();
    victim = await workdir();
    await generateStore(paths(reference).data, { customers: 400, orders: 4_000, seed: 5, asOf: T2 });
    await cp(paths(reference).data, paths(victim).data, { recursive: true });
  });

  it('leaves the previous master (or the whole new one) and the timestamp; the rerun writes the uninterrupted master', { timeout: 300_000 }, async () => {
    const first = await runCa(['update', asOf(T1)], { cwd: victim });
    expect(first.code, first.stderr).toBe(0);
    const before = await snapshot(victim);

    const clean = await runCa(['update', asOf(T2)], { cwd: reference });
    expect(clean.code, clean.stderr).toBe(0);
    const expected = (await bytesOf(paths(reference).master))!;
    const expectedBuyers = (await bytesOf(paths(reference).firstTimeBuyers))!;
    expect(expected.equals(before.master!)).toBe(false);

    const check = async (spec: string) => {
      const after = await snapshot(victim);
      expect(after.timestamp, `${spec}: the timestamp moved`).toEqual(before.timestamp);
      expect(after.master!.equals(before.master!) || after.master!.equals(expected), `${spec}: a partial master`).toBe(true);
      const buyers = after.firstTimeBuyers!;
      expect(buyers.equals(before.firstTimeBuyers!) || buyers.equals(expectedBuyers), `${spec}: partial buyers`).toBe(true);
      await expectWholeArchives(victim, [before.master!, before.firstTimeBuyers!, expected, expectedBuyers]);
      expect((await runLog(victim)).filter((r) => r.outcome === 'success'), spec).toHaveLength(1);
    };

    // The master and the buyers file each copied whole into the archive's temp file, then every
    // atomic write in turn (the hand-over, master, buyers, workbooks, reports, meta, timestamp): each
    // run dies right before its n-th rename, until a run reaches none it has not passed. That run is
    // the rerun, and writes what the uninterrupted one did.
    for (const spec of ['archive:1', 'archive:2']) {
      await killedAt(spec, ['update', asOf(T2)], victim);
      await check(spec);
    }
    let renames = 0;
    for (;;) {
      const spec = `rename:${renames + 1}`;
      const run = await runCa(['update', asOf(T2)], { cwd: victim, env: { CA_TEST_CRASH_AT: spec } });
      if (run.signal !== 'SIGKILL') {
        expect(run.code, run.stderr).toBe(0);
        break;
      }
      renames++;
      await check(spec);
    }
    // The hand-over (2), master and buyers (2), their workbooks (2), reports, meta and the timestamp.
    expect(renames).toBeGreaterThanOrEqual(8);
    expect((await bytesOf(paths(victim).master))!.equals(expected)).toBe(true);
    expect((await bytesOf(paths(victim).firstTimeBuyers))!.equals(expectedBuyers)).toBe(true);
    expect((await bytesOf(paths(victim).timestamp))!.equals(before.timestamp!)).toBe(false);
    expect(await bytesOf(join(paths(victim).data, 'reports', 'daily_by_location.csv'))).toEqual(
      await bytesOf(join(paths(reference).data, 'reports', 'daily_by_location.csv')),
    );
    expect(await partialFiles(victim)).toEqual([]);
  });
});

/**
 * A child that writes one file under data/ twice through one of the store's writers (the state goes
 * through the Store at data/cache), killed by its crash point right before the second write's rename:
 * the first version is whole in place, the second whole in its temp file.
 */
function killWriterMidWrite(data: string, writer: string): Promise<NodeJS.Signals | null> {
  const dist = (module: string) => JSON.stringify(join(REPO, 'dist', module));
  const script = `
    const { Store } = await import(${dist('io/store.js')});
    const { writeColumns } = await import(${dist('io/columnar.js')});
    const { writeFileAtomically } = await import(${dist('io/atomicFile.js')});
    const data = ${JSON.stringify(data)};
    await (await import('node:fs/promises')).mkdir(data + '/cache', { recursive: true });
    const store = new Store(data + '/cache');
    const rows = 1000;
    for (let n = 1; n <= 2; n++) {
      const columns = { rows, data: { v: new Float64Array(rows).fill(n) } };
      if (${JSON.stringify(writer)} === 'state') await store.writeState('lightspeed', { format: 1, streams: {}, n });
      if (${JSON.stringify(writer)} === 'columns') await writeColumns(data + '/t.col', [{ name: 'v', type: 'f64' }], columns);
      if (${JSON.stringify(writer)} === 'text') await writeFileAtomically(data + '/t.json', JSON.stringify({ n }));
    }`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore', env: { ...process.env, CA_TEST_CRASH_AT: 'rename:2' } });
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve(signal));
  });
}

describe('writers killed mid-write', () => {
  const TARGETS: Record<string, string> = { state: 'cache/lightspeed/state.json', columns: 't.col', text: 't.json' };
  it.each(Object.keys(TARGETS))('%s: the target stays whole; what is left is a temp file the next `ca update` removes', async (writer) => {
    const dir = await workdir();
    const data = paths(dir).data;
    expect(await killWriterMidWrite(data, writer)).toBe('SIGKILL');
    const leftovers = (await walk(data)).filter((f) => f !== TARGETS[writer]);
    expect(leftovers).toHaveLength(1);
    expect(leftovers[0]).toMatch(PARTIAL);
    const target = join(data, TARGETS[writer]);
    if (writer === 'columns') {
      const columns = await readColumns(target);
      expect(columns.rows).toBe(1000);
      expect([...(columns.data.v as Float64Array)].every((v) => v === 1)).toBe(true);
    } else expect(JSON.parse(readFileSync(target, 'utf8'))).toMatchObject({ n: 1 });
    // The next command that writes here clears what the dead writer left, as soon as it holds the
    // workspace lock: a compute is one, even one that then finds nothing to compute (exit 10).
    const run = await runCa(['compute', AS_OF], { cwd: dir });
    expect(run.code, run.stderr).toBe(10);
    expect(run.stderr).toMatch(/^ca: nothing to compute/m);
    expect((await walk(data)).filter((f) => leftovers.includes(f))).toEqual([]);
    expect(await partialFiles(dir)).toEqual([]);
  });
});
