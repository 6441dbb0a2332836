/**
 * The `ca` entry point: the command table, global options, and the one place where errors become
 * exit codes and one-line messages.
 */
import { Command, CommanderError, Option } from 'commander';
import { CaError, ExitCode, FileSystemError, fileSystemError } from '../io/errors.js';
import { clearProgress } from '../io/progress.js';
import { redact } from '../io/redact.js';
import { createContext, type GlobalOptions, type Io } from '../app/context.js';
import type { Action } from './commands/command.js';
import { COMMANDS } from './commands/index.js';

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('ca')
    .description('Customer analytics from Lightspeed Retail, Lightspeed eCom and Square, as spreadsheet-ready CSV masters.')
    .version('0.1.0')
    .addOption(new Option('--workspace <dir>', "the shop's folder: ca.config.json, data/, archive/, .last_update_timestamp (default: $CA_WORKSPACE, else the current directory)"))
    .addOption(new Option('--data-dir <dir>', 'a data folder that holds all of its shop\'s files, archive and timestamp included (default: $CA_DATA_DIR, else data/ in the workspace)'))
    .addOption(new Option('--as-of <time>', 'compute every time-relative metric as of this ISO 8601 time (default: now); a date alone (2025-06-30) means the end of that UTC day, 23:59:59Z (today: now); a future time needs --allow-future'))
    .addOption(new Option('--allow-future', 'accept an --as-of after the current time'))
    .addOption(new Option('--config <file>', 'config file (default: $CA_CONFIG, else ca.config.json in the workspace if present)'))
    .addOption(new Option('--wait <seconds>', 'a command that writes waits this long for another one holding the workspace to finish, instead of exiting 7 at once'))
    .option('--json', 'print results as JSON on stdout')
    .option('--verbose', 'more detail on stderr, and stack traces on errors')
    .option('--quiet', 'only warnings and errors on stderr')
    .showHelpAfterError('(run with --help for usage)')
    // Every command's --help lists the global options too (--as-of's meaning, --workspace, ...).
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride();

  const wrap =
    (action: Action) =>
    async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const ctx = await createContext(command.optsWithGlobals() as GlobalOptions, io);
      const code = await action(ctx, ...args);
      setExit(typeof code === 'number' ? code : ExitCode.ok);
    };
  for (const register of COMMANDS) register(program, wrap);
  return program;
}

export async function main(argv: string[], io?: Partial<Io>): Promise<number> {
  const fullIo: Io = {
    stdout: io?.stdout ?? process.stdout,
    stderr: io?.stderr ?? process.stderr,
    env: io?.env ?? process.env,
    cwd: io?.cwd ?? process.cwd(),
    now: io?.now ?? Date.now,
  };
  // A closed pipe (`ca stats | head`) is a normal end, not an error.
  // Any other failure to write it (stdout redirected to a full disk) is one line and exit 11.
  fullIo.stdout.on?.('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    const failed = fileSystemError(error);
    process.exitCode = report(failed ? new FileSystemError(failed.code, 'standard output', { cause: error }) : error, fullIo.stderr, argv.includes('--verbose'));
    process.exit();
  });
  // No raw Node stack trace, ever: an error thrown outside the awaited chain (a stream's 'error' event
  // nobody listens to) still ends as one line and an exit code.
  if (!io) {
    const last = (error: unknown) => {
      process.exitCode = report(error, fullIo.stderr, argv.includes('--verbose'));
      process.exit();
    };
    process.once('uncaughtException', last);
    process.once('unhandledRejection', last);
  }
  let exitCode: number = ExitCode.ok;
  const program = buildProgram(fullIo, (code) => (exitCode = code));
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.config;
    }
    return report(error, fullIo.stderr, argv.includes('--verbose'));
  }
}

/** Prints an error as one line (and a hint), the stack only with --verbose; returns its exit code. */
function report(thrown: unknown, stderr: NodeJS.WritableStream, verbose: boolean): number {
  const error = thrown instanceof CaError ? thrown : (fileSystemError(thrown) ?? thrown);
  clearProgress(stderr);
  if (error instanceof CaError) {
    stderr.write(`ca: ${redact(error.message)}\n`);
    if (error.hint) stderr.write(`hint: ${redact(error.hint)}\n`);
    if (verbose && error.stack) stderr.write(redact(error.stack) + '\n');
    return error.exitCode;
  }
  const e = error as Error;
  stderr.write(`ca: unexpected error: ${redact(e?.message ?? String(error))}\n`);
  if (verbose && e?.stack) stderr.write(redact(e.stack) + '\n');
  else stderr.write('hint: run again with --verbose for details\n');
  return ExitCode.failure;
}
