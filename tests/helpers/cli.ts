/**
 * Runs the real `ca` binary (bin/ca -> dist/) in a throwaway folder and reads what it wrote, the way a
 * user or cron does. `npm test` builds dist first (pretest). `runMain` runs the same entry point
 * in-process, for contract tests where nothing about the process itself is under test.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const CA = join(REPO, 'bin', 'ca');

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /**
   * Kill the process (SIGKILL) as soon as this returns true; polled every 20 ms. Only for a process
   * that cannot move past the condition meanwhile (held at a gate); to die at a point of its own,
   * a run sets CA_TEST_CRASH_AT (src/io/crashPoint.ts). Nothing here kills after a time.
   */
  killWhen?: () => boolean | Promise<boolean>;
  /** Sees stderr as it comes (all of it so far), to act on what the process says while it runs. */
  onStderr?: (stderrSoFar: string) => void;
  input?: string;
}

/** Environment without the caller's vendor tokens, so a developer's real credentials never reach a test. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(LIGHTSPEED|EXPO_PUBLIC_LIGHTSPEED|SQUARE|DATABASE_URL|CA_)/.test(key)) continue;
    env[key] = value;
  }
  env.NO_COLOR = '1';
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) env[key] = value;
  return env;
}

export function runCa(args: string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CA, ...args], { cwd: options.cwd, env: cleanEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      options.onStderr?.(stderr);
    });
    child.stdin.end(options.input ?? '');
    const poll = options.killWhen
      ? setInterval(async () => {
          if (await options.killWhen!()) child.kill('SIGKILL');
        }, 20)
      : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (poll) clearInterval(poll);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

/**
 * `main(argv, io)` of src/cli/main.ts in this process: the same command table, options, messages and
 * exit codes as the binary, without starting Node (most of a short command's cost). For help, usage
 * and config errors; anything about signals, locks held by other processes, the environment of a real
 * process or files the binary reads as installed stays with `runCa`.
 */
export async function runMain(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): Promise<Omit<RunResult, 'signal'>> {
  const { main } = await import('../../src/cli/main.js');
  let stdout = '';
  let stderr = '';
  // Written to synchronously, so all of it is here when main returns.
  const sink = (append: (text: string) => void) =>
    ({
      write(chunk: string | Uint8Array) {
        append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return true;
      },
    }) as unknown as NodeJS.WritableStream;
  const code = await main(['node', CA, ...args], {
    stdout: sink((text) => (stdout += text)),
    stderr: sink((text) => (stderr += text)),
    env: cleanEnv(options.env),
    cwd: options.cwd,
  });
  return { code, stdout, stderr };
}

export async function tempDir(prefix = 'ca-e2e-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Reads a CSV that `ca` wrote: checks the BOM and CRLF, returns the rows as objects. */
export async function readCsv(path: string): Promise<Record<string, string>[]> {
  const text = await readFile(path, 'utf8');
  if (!text.startsWith('\uFEFF')) throw new Error(`${path} has no byte-order mark`);
  if (text.length > 1 && !text.includes('\r\n')) throw new Error(`${path} does not use CRLF`);
  return parse(text, { bom: true, columns: true }) as Record<string, string>[];
}
