/** File-system errors as one line naming the path and the cause, with exit 11 (the causes a test cannot provoke on every machine). */
import { describe, expect, it } from 'vitest';
import { ExitCode, FileSystemError, fileSystemError } from '../../../src/io/errors.js';

const nodeError = (code: string, path?: string) => Object.assign(new Error(`${code}: raw node message`), { code, path, syscall: 'open' });

describe('fileSystemError', () => {
  it.each([
    ['ENOSPC', '/srv/shop/data/customer_analytics_master.csv', 'no space left on the device (disk full) (ENOSPC)'],
    ['EROFS', '/mnt/ro/data', 'read-only file system (EROFS)'],
    ['EACCES', '/srv/shop/data', 'permission denied (EACCES)'],
    ['ENOTDIR', '/srv/shop/afile/data', 'a part of the path is a file, not a folder (ENOTDIR)'],
  ])('%s names the path and the cause, exit 11', (code, path, cause) => {
    const error = fileSystemError(nodeError(code, path));
    expect(error).toBeInstanceOf(FileSystemError);
    expect(error!.exitCode).toBe(ExitCode.fileSystem);
    expect(error!.exitCode).toBe(11);
    expect(error!.message).toBe(`${path}: ${cause}`);
    expect(error!.message).not.toContain('raw node message');
  });

  it('gives a hint for the causes a user can fix', () => {
    expect(fileSystemError(nodeError('ENOSPC', '/x'))!.hint).toMatch(/free some space/);
    expect(fileSystemError(nodeError('EROFS', '/x'))!.hint).toMatch(/--workspace or --data-dir/);
  });

  it('leaves missing files (ENOENT), network errors and plain errors to the commands', () => {
    expect(fileSystemError(nodeError('ENOENT', '/x'))).toBeUndefined();
    expect(fileSystemError(nodeError('ECONNREFUSED'))).toBeUndefined();
    expect(fileSystemError(new Error('boom'))).toBeUndefined();
    expect(fileSystemError(undefined)).toBeUndefined();
  });
});
