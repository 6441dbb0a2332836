/** What every command gets: resolved config, paths, the as-of time, output streams and a logger. */
import { resolve, join } from 'node:path';
import { loadConfig } from '../config/load.js';
import { credentialsFromEnv, type Credentials } from '../sources/registry.js';
import type { Config } from '../config/schema.js';
import { ConfigError } from '../io/errors.js';
import { streamLogger, type Logger } from '../io/log.js';
import { redact } from '../io/redact.js';

/** The folder `ca demo` writes (in the current one) when no --workspace or --data-dir is named. */
export const DEMO_WORKSPACE = 'ca-demo';

export interface GlobalOptions {
  workspace?: string;
  dataDir?: string;
  wait?: string;
  asOf?: string;
  allowFuture?: boolean;
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
  /** The shop's folder: ca.config.json, data/, archive/, .last_update_timestamp. */
  workspace: string;
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
  /** The global options as given on the command line (before the environment and defaults). */
  globalOptions: GlobalOptions;
  config: Config;
  configPath?: string;
  paths: Paths;
  /** Every time-relative metric is computed as of this instant (ms). */
  asOf: number;
  asOfGiven: boolean;
  /** How long a writer waits for the workspace lock another command holds (`--wait`), in ms. */
  lockWaitMs: number;
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

/**
 * Where everything of one shop lives, the same for every command from any current directory. The
 * workspace (`--workspace`, `CA_WORKSPACE`, default: the current directory) holds `ca.config.json`,
 * `data/`, `archive/` and `.last_update_timestamp`, as the design card lays them out. A data folder named
 * on its own (`--data-dir`, `CA_DATA_DIR`; absolute here) holds all of its shop's files, `archive/` and
 * `.last_update_timestamp` included, so two data folders never share any. The lock and the run log
 * always live in the data folder.
 */
export function pathsFor(config: Config, workspace: string, dataDirGiven?: string): Paths {
  const dataDir = dataDirGiven ?? resolve(workspace, config.dataDir);
  const root = dataDirGiven ?? workspace;
  return {
    workspace,
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
    lock: join(dataDir, '.ca.lock'),
    archive: resolve(root, config.archiveDir),
    timestamp: resolve(root, config.timestampFile),
  };
}

/** `--wait`: seconds a writer waits for the workspace lock (default 0: exit 7 at once). */
export function parseWait(value: string | undefined): number {
  if (value === undefined) return 0;
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
    throw new ConfigError(`--wait: "${value}" is not a number of seconds`, { hint: 'for example --wait=600 to wait up to ten minutes for a running update' });
  }
  return seconds * 1000;
}

/**
 * Parses `--as-of`: an ISO 8601 date or date-time. A date alone means the end of that UTC day; today's
 * date means now (the end of today is still to come). A time after `now` is refused unless
 * `allowFuture`: every "days since" and "last 365 days" would count days that have not happened.
 */
export function parseAsOf(value: string, now: number, allowFuture = false): number {
  const trimmed = value.trim();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(trimmed);
  let ms = Date.parse(dateOnly ? `${trimmed}T23:59:59Z` : trimmed);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(trimmed)) {
    throw new ConfigError(`--as-of: cannot read "${value}" as an ISO 8601 date or time`, {
      hint: 'for example --as-of=2025-06-30 (the end of that UTC day) or --as-of=2025-06-30T12:00:00Z',
    });
  }
  if (dateOnly && trimmed === new Date(now).toISOString().slice(0, 10) && ms > now) ms = now;
  if (ms > now && !allowFuture) {
    throw new ConfigError(`--as-of: ${new Date(ms).toISOString()} is in the future (now is ${new Date(now).toISOString()})`, {
      hint: 'give a past time, or add --allow-future if you mean it (metrics then count days that have not happened)',
    });
  }
  return ms;
}

/**
 * A whole-number option (`--days`, `--customers`, …): digits only, within [min, max]. Commander hands
 * the raw text here, so `--days=1.5`, `--days=abc` and `--days=` are refused with the option's name.
 */
export function wholeNumber(option: string, min = 1, max = Number.MAX_SAFE_INTEGER, example?: number): (value: string) => number {
  return (value: string) => {
    const text = value.trim();
    const n = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `of ${min} or more` : `from ${min} to ${max}`;
      throw new ConfigError(`${option}: "${value}" is not a whole number ${range}`, example === undefined ? {} : { hint: `for example ${option}=${example}` });
    }
    return n;
  };
}

export async function createContext(options: GlobalOptions, io: Io): Promise<Context> {
  const credentials = credentialsFromEnv(io.env);
  // Precedence: defaults < config file < environment (CA_WORKSPACE, CA_CONFIG, CA_DATA_DIR) < flags.
  // Names given on the command line or in the environment are relative to the current directory.
  const workspace = resolve(io.cwd, options.workspace ?? (io.env.CA_WORKSPACE || '.'));
  const configFile = options.config ?? (io.env.CA_CONFIG || undefined);
  const dataDir = options.dataDir ?? (io.env.CA_DATA_DIR || undefined);
  const { config, path } = await loadConfig(configFile === undefined ? undefined : resolve(io.cwd, configFile), workspace);
  const verbose = Boolean(options.verbose);
  const quiet = Boolean(options.quiet);
  return {
    io,
    globalOptions: options,
    config,
    configPath: path,
    paths: pathsFor(config, workspace, dataDir === undefined ? undefined : resolve(io.cwd, dataDir)),
    asOf: options.asOf ? parseAsOf(options.asOf, io.now(), Boolean(options.allowFuture)) : io.now(),
    asOfGiven: Boolean(options.asOf),
    lockWaitMs: parseWait(options.wait),
    json: Boolean(options.json),
    verbose,
    quiet,
    log: streamLogger(io.stderr, { verbose, quiet }),
    credentials,
    print: (text) => io.stdout.write(redact(text) + (text.endsWith('\n') ? '' : '\n')),
    printJson: (value) => io.stdout.write(redact(JSON.stringify(value, null, 2)) + '\n'),
  };
}
