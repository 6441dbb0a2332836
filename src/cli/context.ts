/** What every command gets: resolved config, paths, the as-of time, output streams and a logger. */
import { resolve, join } from 'node:path';
import { credentialsFromEnv, loadConfig, type Credentials } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { ConfigError } from '../io/errors.js';
import { streamLogger, type Logger } from '../io/log.js';
import { redact } from '../io/redact.js';

export interface GlobalOptions {
  dataDir?: string;
  asOf?: string;
  config?: string;
  json?: boolean;
  verbose?: boolean;
  quiet?: boolean;
}

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  now: () => number;
}

export interface Paths {
  dataDir: string;
  cache: string;
  computed: string;
  master: string;
  meta: string;
  firstTimeBuyers: string;
  masterWorkbook: string;
  firstTimeBuyersWorkbook: string;
  ecomExport: string;
  reports: string;
  rejects: string;
  runLog: string;
  lock: string;
  archive: string;
  timestamp: string;
}

export interface Context {
  io: Io;
  config: Config;
  configPath?: string;
  paths: Paths;
  /** Every time-relative metric is computed as of this instant (ms). */
  asOf: number;
  asOfGiven: boolean;
  json: boolean;
  verbose: boolean;
  quiet: boolean;
  log: Logger;
  credentials: Credentials;
  /** Prints data to stdout (secrets masked). */
  print(text: string): void;
  /** Prints a value as JSON to stdout. */
  printJson(value: unknown): void;
}

export function pathsFor(config: Config, cwd: string, dataDirFlag?: string): Paths {
  const dataDir = resolve(cwd, dataDirFlag ?? config.dataDir);
  return {
    dataDir,
    cache: join(dataDir, 'cache'),
    computed: join(dataDir, 'cache', 'computed'),
    master: join(dataDir, 'customer_analytics_master.csv'),
    meta: join(dataDir, 'customer_analytics_master.meta.json'),
    firstTimeBuyers: join(dataDir, 'first_time_buyers.csv'),
    masterWorkbook: join(dataDir, 'customer_analytics_master.xlsx'),
    firstTimeBuyersWorkbook: join(dataDir, 'first_time_buyers.xlsx'),
    ecomExport: join(dataDir, 'ecom_orders_export.csv'),
    reports: join(dataDir, 'reports'),
    rejects: join(dataDir, 'rejects'),
    runLog: join(dataDir, 'runs.ndjson'),
    lock: join(dataDir, '.update.lock'),
    archive: resolve(cwd, config.archiveDir),
    timestamp: resolve(cwd, config.timestampFile),
  };
}

/** Parses `--as-of`: an ISO 8601 date or date-time; a date alone means the end of that UTC day. */
export function parseAsOf(value: string): number {
  const trimmed = value.trim();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(trimmed);
  const ms = Date.parse(dateOnly ? `${trimmed}T23:59:59Z` : trimmed);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(trimmed)) {
    throw new ConfigError(`--as-of: cannot read "${value}" as an ISO 8601 date or time`, {
      hint: 'for example --as-of=2025-06-30 or --as-of=2025-06-30T12:00:00Z',
    });
  }
  return ms;
}

export async function createContext(options: GlobalOptions, io: Io): Promise<Context> {
  const credentials = credentialsFromEnv(io.env);
  // Precedence: defaults < config file < environment (CA_CONFIG, CA_DATA_DIR) < flags.
  const { config, path } = await loadConfig(options.config ?? (io.env.CA_CONFIG || undefined), io.cwd);
  const verbose = Boolean(options.verbose);
  const quiet = Boolean(options.quiet);
  return {
    io,
    config,
    configPath: path,
    paths: pathsFor(config, io.cwd, options.dataDir ?? (io.env.CA_DATA_DIR || undefined)),
    asOf: options.asOf ? parseAsOf(options.asOf) : io.now(),
    asOfGiven: Boolean(options.asOf),
    json: Boolean(options.json),
    verbose,
    quiet,
    log: streamLogger(io.stderr, { verbose, quiet }),
    credentials,
    print: (text) => io.stdout.write(redact(text) + (text.endsWith('\n') ? '' : '\n')),
    printJson: (value) => io.stdout.write(redact(JSON.stringify(value, null, 2)) + '\n'),
  };
}
