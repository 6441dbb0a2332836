/** Logging to stderr. Data and `--json` go to stdout; everything meant for people watching goes here. */
import { clearProgress } from './progress.js';
import { redact } from './redact.js';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, debug() {} };

export interface StreamLoggerOptions {
  verbose?: boolean;
  quiet?: boolean;
}

/** A logger writing lines to `stream`; every line passes through `redact` so no secret leaks. */
export function streamLogger(stream: NodeJS.WritableStream, options: StreamLoggerOptions = {}): Logger {
  const write = (prefix: string, message: string) => {
    clearProgress(stream);
    stream.write(`${prefix}${redact(message)}\n`);
  };
  return {
    info: (message) => {
      if (!options.quiet) write('', message);
    },
    warn: (message) => write('warning: ', message),
    debug: (message) => {
      if (options.verbose) write('debug: ', message);
    },
  };
}
