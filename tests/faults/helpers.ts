/**
 * What the fault suite shares: both sandboxes with fake-looking secret tokens, throwaway working folders,
 * and the invariants every attack is judged by (master bytes, timestamp, sync state, leftover temp files,
 * duplicate ids in the store).
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import { cp, readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { readColumns, type DictColumn } from '../../src/io/columnar.js';
import { startLightspeedSandbox, type LightspeedSandbox } from '../../src/sandbox/lightspeed/index.js';
import { startSquareSandbox, type SquareSandbox } from '../../src/sandbox/square/index.js';
import { removeDir, tempDir } from '../helpers/cli.js';
import { writeTestConfig } from '../helpers/config.js';

/** The sandboxes' clock: history ends here, and every run computes as of it. */
export const NOW = Date.parse('2025-06-30T12:00:00Z');
export const AS_OF = '--as-of=2025-06-30T12:00:00Z';

/** Tokens that look like real ones; the secrets test greps every output for them. */
export const LIGHTSPEED_SECRET = 'lsxs_pt_9QmVb7Tz3KpR8wYc2NfHd6Ls';
export const SQUARE_SECRET = 'EAAAl5qP0uXw7RmK3nBvZt9HcYd2Ls4Q';

export interface Sandboxes {
  lightspeed: LightspeedSandbox;
  square: SquareSandbox;
  env: () => Record<string, string>;
  close(): Promise<void>;
}

/** Small, deterministic stores: a full `ca update` against both takes a second or two. */
export const lightspeedOptions = (seed: number) => ({
  seed,
  customers: 200,
  historyDays: 60,
  salesPerDay: 15,
  now: NOW,
  currency: 'USD',
  token: LIGHTSPEED_SECRET,
  rateLimit: { enabled: false },
});

/** Same seed, same data: a second sandbox started with these serves exactly what the first one does. */
export const squareOptions = (seed: number) => ({
  seed,
  customers: 80,
  historyDays: 60,
  bookingsPerDay: 3,
  now: NOW,
  currency: 'USD' as const,
  token: SQUARE_SECRET,
  searchLagMs: 0,
  paymentLagMs: 0,
  maxPageSize: 25,
});

export async function startSandboxes(seed = 11): Promise<Sandboxes> {
  const lightspeed = await startLightspeedSandbox(lightspeedOptions(seed));
  const square = await startSquareSandbox(squareOptions(seed + 1));
  return {
    lightspeed,
    square,
    env: () => ({
      LIGHTSPEED_BASE_URL: lightspeed.url,
      LIGHTSPEED_TOKEN: LIGHTSPEED_SECRET,
      SQUARE_BASE_URL: square.url,
      SQUARE_ACCESS_TOKEN: SQUARE_SECRET,
    }),
    close: async () => {
      await Promise.all([lightspeed.close(), square.close()]);
    },
  };
}

const made: string[] = [];

/**
 * A throwaway working folder (removed by `removeWorkdirs`) whose ca.config.json is `testConfig(config)`
 * (tests/helpers/config.ts: Square paced at 100 requests per second, `config` merged over it).
 */
export async function workdir(config: Record<string, unknown> = {}): Promise<string> {
  const dir = await tempDir('ca-faults-');
  made.push(dir);
  await writeTestConfig(dir, config);
  return dir;
}

/** A copy of a working folder (removed by `removeWorkdirs`), to damage or disturb without redoing its runs. */
export async function copyOfWorkdir(source: string): Promise<string> {
  const dir = await tempDir('ca-faults-');
  made.push(dir);
  await cp(source, dir, { recursive: true });
  return dir;
}

export async function removeWorkdirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => removeDir(dir)));
}

export const paths = (dir: string) => ({
  data: join(dir, 'data'),
  master: join(dir, 'data', 'customer_analytics_master.csv'),
  firstTimeBuyers: join(dir, 'data', 'first_time_buyers.csv'),
  timestamp: join(dir, '.last_update_timestamp'),
  archive: join(dir, 'archive'),
  runLog: join(dir, 'data', 'runs.ndjson'),
  cache: join(dir, 'data', 'cache'),
  state: (source: string) => join(dir, 'data', 'cache', source, 'state.json'),
});

/** A file's bytes, or null when it does not exist. */
export async function bytesOf(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** What a failed or killed run must leave as it was. */
export async function snapshot(dir: string) {
  const p = paths(dir);
  return {
    master: await bytesOf(p.master),
    firstTimeBuyers: await bytesOf(p.firstTimeBuyers),
    timestamp: await bytesOf(p.timestamp),
    lightspeedState: await bytesOf(p.state('lightspeed')),
    squareState: await bytesOf(p.state('square')),
  };
}

/** Every file under `dir`, as paths relative to it. */
export async function walk(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full)).map((f) => join(entry.name, f)));
    else out.push(relative(dir, full));
  }
  return out;
}

/**
 * Half-written files a run leaves when it dies: atomic writers' temp files (`.x.tmp-PID`,
 * `x.col.tmp-PID`), the import's copy in progress (`.x.import-PID`), and write-file-atomic's
 * `x.json.NNNN` (the store used it for state.json; kept here so a return to it shows).
 */
export const PARTIAL = /\.tmp-\d+$|\.import-\d+$|\.json\.\d+$/;

export async function partialFiles(dir: string): Promise<string[]> {
  const files = [...(await walk(join(dir, 'data'))).map((f) => join('data', f)), ...(await walk(join(dir, 'archive'))).map((f) => join('archive', f))];
  return files.filter((f) => PARTIAL.test(f));
}

/** Rows and distinct ids of a table's compacted base; equal when nothing is stored twice. */
export async function baseIds(dir: string, source: string, table: string): Promise<{ rows: number; distinct: number; ids: Set<string> }> {
  const path = join(dir, 'data', 'cache', source, `${table}.col`);
  if (!existsSync(path)) return { rows: 0, distinct: 0, ids: new Set() };
  const columns = await readColumns(path, ['id']);
  const id = columns.data.id as DictColumn;
  const ids = new Set<string>();
  for (let i = 0; i < columns.rows; i++) ids.add(id.dict[id.codes[i]]);
  return { rows: columns.rows, distinct: ids.size, ids };
}

export async function runLog(dir: string): Promise<Array<{ outcome: string; error: string | null }>> {
  const text = (await bytesOf(paths(dir).runLog))?.toString('utf8') ?? '';
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as { outcome: string; error: string | null }];
      } catch {
        return [];
      }
    });
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export interface Proxy {
  url: string;
  /** Requests that went through, per path. */
  requests: Map<string, number>;
  close(): Promise<void>;
}

/**
 * A proxy in front of a sandbox (GET only), to count the requests of one run apart from any other
 * (a killed run's request still in flight), to pace a run (`paceMs` before each request), or to hold
 * a reply (`beforeReply`) until a test is ready.
 */
export async function startProxy(target: string, options: { paceMs?: number; beforeReply?: (url: URL, body: string) => Promise<void> } = {}): Promise<Proxy> {
  const requests = new Map<string, number>();
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', target);
    requests.set(url.pathname, (requests.get(url.pathname) ?? 0) + 1);
    if (options.paceMs) await new Promise((resolve) => setTimeout(resolve, options.paceMs));
    const upstream = await fetch(url, { method: req.method, headers: { authorization: req.headers.authorization ?? '' } });
    const body = await upstream.text();
    await options.beforeReply?.(url, body);
    const headers: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive'].includes(name)) headers[name] = value;
    });
    res.writeHead(upstream.status, headers);
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface Gate extends Proxy {
  /** Lets every held reply go, and every later one through at once. */
  open(): void;
  /** Replies held so far (each is a request the client is waiting on). */
  held(): number;
}

/**
 * A proxy (GET only) that holds every reply until `open()`: a run against it stays where it is (the
 * lock it took, held) for as long as a test needs, however slowly the machine starts other processes.
 */
export async function startGate(target: string): Promise<Gate> {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  let held = 0;
  const proxy = await startProxy(target, {
    beforeReply: async () => {
      held++;
      await opened;
    },
  });
  return { ...proxy, open, held: () => held };
}

/** Resolves once `path` exists, or rejects when `running` settles first (the process ended without it). */
export async function whenExists(path: string, running: Promise<unknown>): Promise<void> {
  let ended = false;
  void running.finally(() => (ended = true));
  while (!(await exists(path))) {
    if (ended) throw new Error(`${path} never appeared: the process ended first`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
