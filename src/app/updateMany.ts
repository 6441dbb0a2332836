/**
 * `ca update --workspaces GLOB` / `--workspaces-file LIST`: one `ca update` per workspace, at most
 * `--parallel` at a time, each a child process of this same binary (`ca --workspace DIR update`), so
 * one shop's crash, memory or open files never reach another. Each child takes its own workspace's
 * lock and writes its own run log, exactly as a `ca update` run by hand would.
 *
 * Credentials are per workspace: a child gets this command's environment without any vendor variable
 * (LIGHTSPEED_*, SQUARE_*, EXPO_PUBLIC_LIGHTSPEED_*) nor CA_WORKSPACE / CA_DATA_DIR / CA_CONFIG, plus the
 * variables of the workspace's own `ca.env` (the file docs/scheduling.md has each shop keep). A token
 * in the calling environment never reaches any shop: a shop without `ca.env` has no token.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { createInterface } from 'node:readline';
import type { Context } from './context.js';
import { ConfigError, ExitCode } from '../io/errors.js';
import { forEachConcurrently } from '../io/concurrently.js';
import { redact, registerSecret } from '../io/redact.js';
import { API_SOURCES, apiSource } from '../sources/registry.js';
import { ownBin } from '../packageRoot.js';

/** A workspace's own credentials, beside its ca.config.json. */
export const ENV_FILE = 'ca.env';

/** Every API source's variables (by their prefixes, src/sources/registry.ts) and the workspace's own. */
const STRIPPED = new RegExp(
  `^(${[...API_SOURCES.flatMap((s) => apiSource(s).credentials.prefixes), 'CA_WORKSPACE$', 'CA_DATA_DIR$', 'CA_CONFIG$'].join('|')})`,
);

export interface ManyOptions {
  /** `--workspaces`: a glob of folders, relative to the current directory. */
  glob?: string;
  /** `--workspaces-file`: one folder a line, relative to the list's folder. */
  listFile?: string;
  parallel: number;
  /** Arguments each child's `ca update` gets (`--days=14`, `--full`). */
  updateArgs: string[];
  /** Global options each child gets (`--as-of`, `--wait`, `--verbose`, `--quiet`). */
  globalArgs: string[];
}

export interface WorkspaceOutcome {
  workspace: string;
  /** As listed in the table: relative to the current directory when inside it. */
  name: string;
  outcome: 'success' | 'failed';
  exit_code: number | null;
  customers: number | null;
  duration_ms: number;
  error: string | null;
}

/** The folders a glob names: `*`, `?` and `[...]` within a path segment (no `**`); hidden folders only when named. */
export async function expandGlob(pattern: string, cwd: string): Promise<string[]> {
  const absolute = isAbsolute(pattern);
  const segments = pattern.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  let current = [absolute ? sep : cwd];
  for (const segment of segments) {
    const next: string[] = [];
    if (!/[*?[]/.test(segment)) {
      for (const dir of current) next.push(join(dir, segment));
    } else {
      const matcher = segmentMatcher(segment);
      for (const dir of current) {
        const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
        for (const entry of entries) {
          if (entry.name.startsWith('.') && !segment.startsWith('.')) continue;
          if (matcher.test(entry.name)) next.push(join(dir, entry.name));
        }
      }
    }
    current = next;
  }
  const dirs: string[] = [];
  for (const path of current) if (await stat(path).then((s) => s.isDirectory(), () => false)) dirs.push(resolve(path));
  return dirs.sort();
}

function segmentMatcher(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end < 0) source += '\\[';
      else {
        const body = segment.slice(i + 1, end);
        source += `[${body.startsWith('!') ? '^' + body.slice(1) : body}]`;
        i = end;
      }
    } else source += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** The folders of a list file: one a line, `#` comments and blank lines ignored, relative to the list's folder. */
export async function readWorkspaceList(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`--workspaces-file: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => resolve(dirname(file), line));
}

/**
 * A workspace's `ca.env`: `NAME=value` lines, as a shell sources them with `set -a` (values in single
 * quotes taken literally, in double quotes with \" \\ \$ escapes, bare values trimmed; `export ` allowed;
 * `#` comments). Anything else is an error naming the line, never a guess.
 */
export function parseEnvFile(text: string, origin: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) throw new ConfigError(`${origin}:${index + 1}: not a NAME=value line`, { hint: "one NAME='value' a line, e.g. SQUARE_ACCESS_TOKEN='EAAA...'" });
    const [, name, rest] = match;
    let value: string;
    const single = /^'([^']*)'\s*(?:#.*)?$/.exec(rest);
    const double = /^"((?:[^"\\]|\\.)*)"\s*(?:#.*)?$/.exec(rest);
    if (single) value = single[1];
    else if (double) value = double[1].replace(/\\(["\\$`])/g, '$1');
    else if (/^[^'"\s]*\s*(?:#.*)?$/.test(rest)) value = rest.replace(/\s*#.*$/, '').trim();
    else throw new ConfigError(`${origin}:${index + 1}: ${name}'s value needs quotes (it holds spaces or quotes)`, { hint: `write ${name}='...'` });
    out[name] = value;
  });
  return out;
}

/** The environment of one workspace's child: this one without vendor or workspace variables, plus its ca.env. */
export async function workspaceEnv(workspace: string, base: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) if (value !== undefined && !STRIPPED.test(key)) env[key] = value;
  const file = join(workspace, ENV_FILE);
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new ConfigError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  if (text !== undefined) {
    const own = parseEnvFile(text, file);
    for (const [key, value] of Object.entries(own)) {
      // Masked in whatever this process prints of the child's output.
      if (/TOKEN|SECRET|PASSWORD|KEY/i.test(key)) registerSecret(value);
      env[key] = value;
    }
  }
  return env;
}

export async function workspacesOf(ctx: Context, options: ManyOptions): Promise<string[]> {
  const found: string[] = [];
  if (options.glob !== undefined) {
    const dirs = await expandGlob(options.glob, ctx.io.cwd);
    if (dirs.length === 0) throw new ConfigError(`--workspaces: "${options.glob}" matches no folder (from ${ctx.io.cwd})`, { hint: "quote the pattern so the shell leaves it to ca: --workspaces 'shops/*'" });
    found.push(...dirs);
  }
  if (options.listFile !== undefined) {
    const dirs = await readWorkspaceList(resolve(ctx.io.cwd, options.listFile));
    if (dirs.length === 0) throw new ConfigError(`--workspaces-file: ${options.listFile} lists no folder`);
    for (const dir of dirs) {
      if (!(await stat(dir).then((s) => s.isDirectory(), () => false))) {
        throw new ConfigError(`--workspaces-file: ${dir} is not a folder`, { hint: 'create it (with its ca.env) or take it off the list' });
      }
    }
    found.push(...dirs);
  }
  return [...new Set(found)];
}

/** Runs `ca update` in every workspace, `parallel` at a time, and returns one outcome each, in list order. */
export async function updateMany(ctx: Context, options: ManyOptions): Promise<WorkspaceOutcome[]> {
  const workspaces = await workspacesOf(ctx, options);
  const outcomes = new Map<string, WorkspaceOutcome>();
  ctx.log.info(`updating ${workspaces.length} workspace(s), ${options.parallel} at a time`);
  await forEachConcurrently(workspaces, options.parallel, async (workspace) => {
    const outcome = await runOne(ctx, workspace, options);
    outcomes.set(workspace, outcome);
    const how = outcome.outcome === 'success' ? `${outcome.customers} customers` : `exit ${outcome.exit_code ?? 'signal'}: ${outcome.error}`;
    ctx.log.info(`[${outcome.name}] ${outcome.outcome} in ${(outcome.duration_ms / 1000).toFixed(1)} s (${how})`);
  });
  return workspaces.map((w) => outcomes.get(w)!);
}

async function runOne(ctx: Context, workspace: string, options: ManyOptions): Promise<WorkspaceOutcome> {
  const rel = relative(ctx.io.cwd, workspace);
  const name = rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? workspace : rel;
  const started = Date.now();
  const base = { workspace, name, customers: null, error: null } as const;
  let env: Record<string, string>;
  try {
    env = await workspaceEnv(workspace, ctx.io.env);
  } catch (error) {
    return { ...base, outcome: 'failed', exit_code: ExitCode.config, duration_ms: Date.now() - started, error: (error as Error).message };
  }
  const args = [ownBin(), ...options.globalArgs, '--workspace', workspace, '--json', 'update', ...options.updateArgs];
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, args, { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let lastError: string | null = null;
    child.stdout.on('data', (chunk) => (stdout += chunk));
    // The child's log, line by line, under the workspace's name (never half a line of two shops).
    const lines = createInterface({ input: child.stderr, crlfDelay: Infinity });
    lines.on('line', (line) => {
      const text = redact(line);
      if (text.startsWith('ca: ')) lastError = text.slice(4);
      ctx.io.stderr.write(`[${name}] ${text}\n`);
    });
    const finish = (code: number | null, signal: NodeJS.Signals | null, spawnError?: Error) => {
      let customers: number | null = null;
      if (code === 0) {
        try {
          customers = (JSON.parse(stdout) as { merge?: { rows?: number } }).merge?.rows ?? null;
        } catch {
          customers = null;
        }
      }
      const ok = code === 0;
      resolvePromise({
        ...base,
        outcome: ok ? 'success' : 'failed',
        exit_code: code,
        customers,
        duration_ms: Date.now() - started,
        error: ok ? null : spawnError ? spawnError.message : (lastError ?? (signal ? `killed by ${signal}` : `exit ${code}`)),
      });
    };
    child.on('error', (error) => finish(null, null, error));
    // After the child's streams have ended, so every stderr line has been read.
    child.on('close', (code, signal) => finish(code, signal));
  });
}

/** The summary table: workspace, outcome, customers, duration (and the error of a failed one). */
export function formatSummary(outcomes: readonly WorkspaceOutcome[]): string {
  const rows = [
    ['workspace', 'outcome', 'customers', 'duration', 'error'],
    ...outcomes.map((o) => [o.name, o.outcome, o.customers === null ? '-' : String(o.customers), `${(o.duration_ms / 1000).toFixed(1)} s`, o.error ?? '']),
  ];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c].length)));
  const failed = outcomes.filter((o) => o.outcome === 'failed').length;
  const lines = rows.map((r) =>
    [r[0].padEnd(widths[0]), r[1].padEnd(widths[1]), r[2].padStart(widths[2]), r[3].padStart(widths[3]), r[4]].join('  ').trimEnd(),
  );
  lines.push(`${outcomes.length} workspace(s): ${outcomes.length - failed} succeeded, ${failed} failed`);
  return lines.join('\n') + '\n';
}

/** 0 when every workspace succeeded, else the exit code of the first failed one in the table (1 if it had none). */
export function exitCodeOf(outcomes: readonly WorkspaceOutcome[]): number {
  const failed = outcomes.find((o) => o.outcome === 'failed');
  if (!failed) return ExitCode.ok;
  return failed.exit_code && failed.exit_code > 0 ? failed.exit_code : ExitCode.failure;
}
