/**
 * Corrupt state: a sync state, a column base, a log line in the middle, the compute hand-over, the
 * timestamp or a master with added columns, truncated or edited by hand. Each is detected and named
 * (exit 8 with the file in the message); nothing is silently started over (the damaged file is still
 * there as it was, no cached base is rewritten) and no master is overwritten with less data.
 */
import { readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/io/store.js';
import { runCa } from '../helpers/cli.js';
import { AS_OF, bytesOf, copyOfWorkdir, paths, removeWorkdirs, snapshot, startSandboxes, walk, workdir, type Sandboxes } from './helpers.js';

let sandboxes: Sandboxes;
let reference: string;
let expected: Buffer;

beforeAll(async () => {
  sandboxes = await startSandboxes(61);
  reference = await workdir();
  const run = await runCa(['update', AS_OF], { cwd: reference, env: sandboxes.env() });
  expect(run.code, run.stderr).toBe(0);
  // compute and merge once more on their own, so computed/ holds a hand-over for `ca merge`.
  expect((await runCa(['compute', AS_OF], { cwd: reference })).code).toBe(0);
  expected = (await bytesOf(paths(reference).master))!;
});

afterAll(async () => {
  await sandboxes?.close();
  await removeWorkdirs();
});

const copyOfReference = () => copyOfWorkdir(reference);

/** Every compacted base in the cache, with its bytes: none may be rewritten by a run that fails. */
async function bases(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const file of (await walk(paths(dir).cache)).filter((f) => f.endsWith('.col'))) {
    out[file] = (await readFile(join(paths(dir).cache, file))).toString('base64');
  }
  return out;
}

const halve = async (path: string) => truncate(path, Math.floor((await readFile(path)).length / 2));
const edit = async (path: string, from: RegExp | string, to: string) => {
  const text = await readFile(path, 'latin1');
  const changed = text.replace(from, to);
  expect(changed, `the edit of ${path} changed nothing`).not.toBe(text);
  await writeFile(path, changed, 'latin1');
};
const cache = (dir: string, ...parts: string[]) => join(paths(dir).cache, ...parts);

interface Case {
  name: string;
  /** The damaged file, relative to the working folder: named in the message, left as damaged. */
  file: string;
  damage(path: string, dir: string): Promise<void>;
  command: string[];
  message: RegExp;
}

/** A stored Lightspeed order as its log line (what a fetch appends). */
async function orderLine(dir: string): Promise<string> {
  const [order] = await new Store(paths(dir).cache).readAll('lightspeed', 'orders');
  const { source: _source, ...stored } = order;
  return JSON.stringify(stored);
}

const CASES: Case[] = [
  { name: 'Lightspeed state.json cut in half', file: 'data/cache/lightspeed/state.json', damage: halve, command: ['update'], message: /state\.json: not valid JSON/ },
  {
    name: 'Lightspeed state.json edited: a negative cursor',
    file: 'data/cache/lightspeed/state.json',
    damage: (p) => edit(p, /"cursor": \d+/, '"cursor": -40'),
    command: ['update'],
    message: /cache\/lightspeed\/state\.json: not a Lightspeed sync state/,
  },
  {
    name: 'Lightspeed state.json edited: another format',
    file: 'data/cache/lightspeed/state.json',
    damage: (p) => edit(p, /"format": 1/, '"format": 2'),
    command: ['update'],
    message: /cache\/lightspeed\/state\.json: not a Lightspeed sync state/,
  },
  { name: 'Square state.json emptied', file: 'data/cache/square/state.json', damage: (p) => truncate(p, 0), command: ['update'], message: /square\/state\.json: not valid JSON/ },
  {
    name: 'Square state.json edited: another schema',
    file: 'data/cache/square/state.json',
    damage: (p) => edit(p, /"schema": 1/, '"schema": 7'),
    command: ['update'],
    message: /square\/state\.json: not a Square sync state/,
  },
  { name: 'Lightspeed dimensions.json cut', file: 'data/cache/lightspeed/dimensions.json', damage: halve, command: ['update'], message: /dimensions\.json: not valid JSON/ },
  { name: 'a .col base cut in half', file: 'data/cache/lightspeed/orders.col', damage: halve, command: ['update'], message: /orders\.col: file is truncated/ },
  { name: 'a .col base emptied', file: 'data/cache/square/bookings.col', damage: (p) => truncate(p, 0), command: ['update'], message: /bookings\.col: not a ca column file/ },
  {
    name: 'a .col base edited: its header',
    file: 'data/cache/lightspeed/customers.col',
    damage: (p) => edit(p, '"columns":[', '"columns":{'),
    command: ['update'],
    message: /customers\.col: header is damaged/,
  },
  {
    name: 'a .col base edited: a dictionary',
    file: 'data/cache/square/customers.col',
    damage: async (p) => {
      const bytes = await readFile(p);
      // The id dictionary is JSON: ["…","…",…]; break the first separator after its start.
      const start = bytes.indexOf(Buffer.from('["'));
      const comma = bytes.indexOf(Buffer.from('","'), start);
      bytes[comma + 1] = 0x3b;
      await writeFile(p, bytes);
    },
    command: ['update'],
    message: /customers\.col: dictionary of \w+ is damaged/,
  },
  {
    // The fetch resumes from its cursor: before tables.json, the run succeeded and wrote a master
    // without one Lightspeed sale.
    name: 'a .col base deleted by hand (state kept)',
    file: 'data/cache/lightspeed/orders.col',
    damage: (p) => rm(p),
    command: ['update'],
    message: /orders\.col: missing \(the cache held this table; its records would be lost\)/,
  },
  {
    name: 'a log line in the middle damaged',
    file: 'data/cache/lightspeed/orders.log',
    damage: async (p, dir) => {
      const line = await orderLine(dir);
      await writeFile(p, `${line}\n${line.slice(0, 25)}\n${line}\n`);
    },
    command: ['update'],
    message: /orders\.log:2: damaged record in the cache log/,
  },
  { name: 'computed.json cut (ca merge)', file: 'data/cache/computed/computed.json', damage: halve, command: ['merge'], message: /computed\.json: damaged/ },
  { name: 'computed/master.col cut (ca merge)', file: 'data/cache/computed/master.col', damage: halve, command: ['merge'], message: /master\.col: file is truncated/ },
  { name: 'computed.json cut (ca report daily)', file: 'data/cache/computed/computed.json', damage: halve, command: ['report', 'daily'], message: /computed\.json: damaged/ },
  { name: '.last_update_timestamp emptied', file: '.last_update_timestamp', damage: (p) => truncate(p, 0), command: ['update'], message: /\.last_update_timestamp: "" is not an ISO 8601 time/ },
  {
    name: '.last_update_timestamp edited by hand',
    file: '.last_update_timestamp',
    damage: (p) => writeFile(p, '2025-13-45T00:00:00Z\n'),
    command: ['update'],
    message: /\.last_update_timestamp: "2025-13-45T00:00:00Z" is not an ISO 8601 time/,
  },
  {
    name: 'a master with added columns and a broken quote',
    file: 'data/customer_analytics_master.csv',
    damage: async (p) => {
      const lines = (await readFile(p, 'utf8')).split('\r\n');
      const edited = lines.map((line, i) => (i === 0 ? `${line},notes` : line === '' ? line : i === 3 ? `${line},"unclosed` : `${line},`));
      await writeFile(p, edited.join('\r\n'));
    },
    command: ['merge'],
    message: /customer_analytics_master\.csv: cannot be read to keep the columns you added/,
  },
];

describe('damaged state is detected and named, and nothing is overwritten', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const dir = await copyOfReference();
    const path = join(dir, c.file);
    await c.damage(path, dir);
    const damaged = await bytesOf(path);
    const before = await snapshot(dir);
    const baseFiles = await bases(dir);
    const run = await runCa([...c.command, AS_OF], { cwd: dir, env: sandboxes.env() });
    expect(run.code, run.stderr).toBe(8);
    const reason = run.stderr.split('\n').find((line) => line.startsWith('ca: '))!;
    expect(reason).toMatch(c.message);
    expect(reason, 'the message names the file').toContain(c.file.split('/').pop()!);
    // Nothing started over: the damaged file is as it was, every base is untouched.
    expect(await bytesOf(path), 'the damaged file was replaced').toEqual(damaged);
    const after = await snapshot(dir);
    expect(after.master, 'master changed').toEqual(before.master);
    expect(after.firstTimeBuyers).toEqual(before.firstTimeBuyers);
    expect(after.timestamp, 'timestamp moved').toEqual(before.timestamp);
    const changedBases = Object.entries(await bases(dir)).filter(([file, bytes]) => baseFiles[file] !== bytes).map(([file]) => file);
    expect(changedBases, 'a cached base was rewritten').toEqual([]);
  });
});

describe('damage that is not corruption', () => {
  it('a torn last log line (a fetch killed mid-append) is cut, and the run completes with the whole master', async () => {
    const dir = await copyOfReference();
    const line = await orderLine(dir);
    await writeFile(cache(dir, 'lightspeed', 'orders.log'), `${line}\n${line.slice(0, 30)}`);
    const run = await runCa(['update', AS_OF], { cwd: dir, env: sandboxes.env() });
    expect(run.code, run.stderr).toBe(0);
    expect((await bytesOf(paths(dir).master))!.equals(expected)).toBe(true);
  });

  it('a deleted cache is rebuilt by a full fetch, as documented, to the same master', async () => {
    const dir = await copyOfReference();
    await rm(paths(dir).cache, { recursive: true });
    const run = await runCa(['update', AS_OF], { cwd: dir, env: sandboxes.env() });
    expect(run.code, run.stderr).toBe(0);
    expect((await bytesOf(paths(dir).master))!.equals(expected)).toBe(true);
  });
});
