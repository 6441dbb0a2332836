/**
 * The one error family of `ca`. Each kind carries its exit code; only the CLI entry turns errors into
 * exits. Messages are one line, for people, and never contain a token.
 */

export const ExitCode = {
  ok: 0,
  /** Something failed that has no more specific code (a bug, an unexpected exception). */
  failure: 1,
  /** Bad command line, config file or environment. */
  config: 2,
  /** The vendor refused the credentials (401/403). */
  auth: 3,
  /** The vendor answered with an error that retrying will not fix. */
  remote: 4,
  /** The network or the vendor kept failing after every retry, or a required wait was too long. */
  network: 5,
  /** An input file cannot be used (missing, unreadable, wrong columns). */
  input: 6,
  /** Another `ca update` holds the lock. */
  locked: 7,
  /** A cache, state or master file is corrupt; nothing was overwritten. */
  state: 8,
  /** `ca check` or `ca status` found a problem. */
  check: 9,
  /** What the command was asked to look at does not exist: an unknown customer, nothing to compute from. */
  notFound: 10,
  /** The file system refused: disk full, read-only, permission denied, a path through a file (names path and cause). */
  fileSystem: 11,
} as const;

export interface CaErrorOptions {
  hint?: string;
  cause?: unknown;
}

export class CaError extends Error {
  readonly exitCode: number = ExitCode.failure;
  readonly hint?: string;

  constructor(message: string, options: CaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

export class ConfigError extends CaError {
  override readonly exitCode = ExitCode.config;
}

export class AuthError extends CaError {
  override readonly exitCode = ExitCode.auth;
  /** The HTTP status (401, 403) and the vendor's error code (`INSUFFICIENT_SCOPES`), when a response said so. */
  readonly status?: number;
  readonly code?: string;

  constructor(message: string, options: CaErrorOptions & { status?: number; code?: string } = {}) {
    super(message, options);
    this.status = options.status;
    this.code = options.code;
  }
}

export class RemoteError extends CaError {
  override readonly exitCode = ExitCode.remote;
  readonly status: number;
  readonly code?: string;
  readonly detail?: string;
  /** The request field the vendor's error names (Square: `field: "cursor"`). */
  readonly field?: string;

  constructor(message: string, status: number, code?: string, detail?: string, options: CaErrorOptions & { field?: string } = {}) {
    super(message, options);
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.field = options.field;
  }
}

export class NetworkError extends CaError {
  override readonly exitCode = ExitCode.network;
}

export class RateLimitError extends CaError {
  override readonly exitCode = ExitCode.network;
}

export class InputError extends CaError {
  override readonly exitCode = ExitCode.input;
}

export class LockedError extends CaError {
  override readonly exitCode = ExitCode.locked;
}

export class StateError extends CaError {
  override readonly exitCode = ExitCode.state;
}

export class CheckFailedError extends CaError {
  override readonly exitCode = ExitCode.check;
}

export class NotFoundError extends CaError {
  override readonly exitCode = ExitCode.notFound;
}

/** What each file-system error code means, for a person. */
const FS_CAUSES: Record<string, string> = {
  ENOSPC: 'no space left on the device (disk full)',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'is a folder, not a file',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error from the device',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many symbolic links',
};

export class FileSystemError extends CaError {
  override readonly exitCode = ExitCode.fileSystem;
  readonly code: string;
  readonly path?: string;

  constructor(code: string, path: string | undefined, options: CaErrorOptions = {}) {
    super(`${path ?? 'a file'}: ${FS_CAUSES[code] ?? 'file system error'} (${code})`, options);
    this.code = code;
    this.path = path;
  }
}

/**
 * A Node system error from the file system (it has a `code` we know and usually a `path`), as the
 * one-line FileSystemError; anything else undefined. ENOENT is not here: a missing file means different
 * things to different commands, which say so themselves.
 */
export function fileSystemError(error: unknown): FileSystemError | undefined {
  const e = error as NodeJS.ErrnoException | undefined;
  if (!e || typeof e !== 'object' || typeof e.code !== 'string' || !(e.code in FS_CAUSES)) return undefined;
  const path = typeof e.path === 'string' ? e.path : undefined;
  const hint =
    e.code === 'ENOSPC' || e.code === 'EDQUOT'
      ? 'free some space (or point --data-dir at a larger disk) and run again'
      : e.code === 'EROFS' || e.code === 'EACCES' || e.code === 'EPERM'
        ? 'run as a user who may write there, or choose another folder with --workspace or --data-dir'
        : undefined;
  return new FileSystemError(e.code, path, { cause: error, hint });
}
