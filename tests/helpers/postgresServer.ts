/**
 * A throwaway PostgreSQL 15 server for integration tests: initdb in a temp folder, password (SCRAM)
 * auth on a free 127.0.0.1 port, its unix socket in the same folder. initdb refuses to run as root, so
 * under root (CI) every server binary runs as the unprivileged `postgres` user through setpriv, which
 * execs in place (no forked parent that would swallow our signals).
 */
import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, Socket, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Logger } from '../../src/io/log.js';

const run = promisify(execFile);

const PG_BIN = process.env.CA_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const SERVICE_USER = 'postgres';
export const TEST_USER = 'ca_test';
/** Deliberately full of URL-special characters, so tests can check it is never echoed. */
export const TEST_PASSWORD = 's3cr#t/p@ss:w0rd';

export interface PostgresServer {
  host: '127.0.0.1';
  port: number;
  /** URL of the default `postgres` database. */
  url: string;
  /** URL of another database on this server. */
  urlFor(database: string, port?: number): string;
  /** Creates a fresh empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

interface RunAs {
  uid: number;
  gid: number;
}

async function serviceAccount(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
    run('id', ['-u', SERVICE_USER]),
    run('id', ['-g', SERVICE_USER]),
  ]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

function command(runAs: RunAs | undefined, binary: string, args: string[]): [string, string[]] {
  const path = join(PG_BIN, binary);
  if (!runAs) return [path, args];
  return ['setpriv', [`--reuid=${runAs.uid}`, `--regid=${runAs.gid}`, '--init-groups', '--', path, ...args]];
}

async function runPg(runAs: RunAs | undefined, binary: string, args: string[], cwd: string): Promise<void> {
  const [file, argv] = command(runAs, binary, args);
  try {
    await run(file, argv, { cwd, env: { ...process.env, LC_ALL: 'C', LANG: 'C' } });
  } catch (error) {
    const detail = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${binary} failed: ${detail.stderr || detail.stdout || detail.message}`);
  }
}

/** The service account must be able to walk down to the temp folder (a private TMPDIR under /root cannot). */
async function tempParent(runAs: RunAs | undefined): Promise<string> {
  const base = tmpdir();
  if (!runAs) return base;
  for (let dir = base; ; dir = dirname(dir)) {
    if (((await stat(dir)).mode & 0o001) === 0) return '/tmp';
    if (dir === dirname(dir)) return base;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export async function startPostgres(): Promise<PostgresServer> {
  const runAs = await serviceAccount();
  const root = await mkdtemp(join(await tempParent(runAs), 'ca-pg-'));
  const dataDir = join(root, 'data');
  const pwFile = join(root, 'pwfile');
  await writeFile(pwFile, `${TEST_PASSWORD}\n`, { mode: 0o600 });
  if (runAs) {
    await chown(root, runAs.uid, runAs.gid);
    await chown(pwFile, runAs.uid, runAs.gid);
  }
  const pgCtl = (args: string[]) => runPg(runAs, 'pg_ctl', ['-D', dataDir, ...args], root);
  let started = false;
  try {
    await runPg(
      runAs,
      'initdb',
      [
        '-D', dataDir,
        '-U', TEST_USER,
        `--pwfile=${pwFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync',
        '--no-instructions',
      ],
      root,
    );
    let port = 0;
    // Another process may grab the free port between our probe and the server's bind: try a few.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const options = [
        `-p ${port}`,
        "-c listen_addresses=127.0.0.1",
        `-c unix_socket_directories='${root}'`,
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c max_connections=40',
        '-c shared_buffers=16MB',
      ].join(' ');
      try {
        await pgCtl(['-w', '-t', '60', '-l', join(root, 'server.log'), '-o', options, 'start']);
        started = true;
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
    const auth = `${encodeURIComponent(TEST_USER)}:${encodeURIComponent(TEST_PASSWORD)}`;
    const urlFor = (database: string, viaPort = port) =>
      `postgres://${auth}@127.0.0.1:${viaPort}/${encodeURIComponent(database)}`;
    return {
      host: '127.0.0.1',
      port,
      url: urlFor('postgres'),
      urlFor,
      async createDatabase(name) {
        await withClient(urlFor('postgres'), (client) => client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`));
        return urlFor(name);
      },
      async stop() {
        try {
          if (started) await pgCtl(['-w', '-m', 'immediate', 'stop']);
        } finally {
          await rm(root, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    if (started) await pgCtl(['-w', '-m', 'immediate', 'stop']).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

export async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A TCP relay in front of the server whose connections can be cut on demand, to lose the connection
 * at an exact point of an export rather than at a time that depends on the machine's speed.
 */
export interface CuttableProxy {
  port: number;
  /** Destroys every relayed connection, both sides, at once. */
  cut(): void;
  close(): Promise<void>;
}

export async function startCuttableProxy(targetPort: number): Promise<CuttableProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  };
  const server: Server = createServer((client) => {
    track(client);
    const upstream = new Socket();
    track(upstream);
    upstream.connect(targetPort, '127.0.0.1');
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    cut() {
      for (const socket of sockets) socket.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Every row of a table (or view) with its `xmin` (the transaction that wrote this row version): equal snapshots
 * mean no row was added, removed or rewritten. `null` when the table does not exist.
 */
export async function snapshotTable(url: string, table: string, orderBy: string): Promise<unknown[] | null> {
  return withClient(url, async (client) => {
    const found = await client.query<{ kind: string }>('SELECT relkind AS kind FROM pg_class WHERE oid = to_regclass($1)', [table]);
    if (found.rows.length === 0) return null;
    // A view has no row versions of its own; its rows are compared by value.
    const version = found.rows[0].kind === 'v' ? '' : 'xmin::text AS row_version, ';
    const result = await client.query(`SELECT ${version}* FROM "${table}" ORDER BY ${orderBy}`);
    return result.rows;
  });
}

/** The tables and view an export writes, as snapshots, to check a failed export changed nothing. */
export async function snapshotExport(url: string): Promise<Record<string, unknown[] | null>> {
  return {
    customer_analytics: await snapshotTable(url, 'customer_analytics', 'account, customer_id'),
    customer_analytics_daily: await snapshotTable(url, 'customer_analytics_daily', 'account, date, location'),
    customer_analytics_runs: await snapshotTable(url, 'customer_analytics_runs', 'account, run_id'),
    ca_schema_migrations: await snapshotTable(url, 'ca_schema_migrations', 'version'),
    analytics_daily_by_location: await snapshotTable(url, 'analytics_daily_by_location', 'account, date, location'),
  };
}

export interface CapturedLog {
  logger: Logger;
  info: string[];
  warn: string[];
  debug: string[];
  all(): string[];
}

/** A Logger that keeps what it was told; `onDebug` lets a test act at an exact point of an export. */
export function captureLog(onDebug?: (message: string) => void): CapturedLog {
  const info: string[] = [];
  const warn: string[] = [];
  const debug: string[] = [];
  return {
    logger: {
      info: (message) => void info.push(message),
      warn: (message) => void warn.push(message),
      debug: (message) => {
        debug.push(message);
        onDebug?.(message);
      },
    },
    info,
    warn,
    debug,
    all: () => [...info, ...warn, ...debug],
  };
}
