/**
 * Files that are either the old version or the whole new one, never half of either: written to a
 * temporary file beside the target, fsynced, then renamed over it.
 */
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { crashPoint } from './crashPoint.js';

/**
 * The last step of every atomic write (text, column files, workbooks, the kept export): the temp file
 * is whole and fsynced; the rename makes it the target. A crash test can stop the process right before.
 */
export async function renameIntoPlace(temp: string, path: string): Promise<void> {
  crashPoint('rename');
  await rename(temp, path);
}

const FLUSH_BYTES = 1 << 20;
/** Writers of this process so far: two writes of one file at once (sources fetched concurrently) never share a temp file. */
let writers = 0;

/** A write through a file handle fails without a path (ENOSPC, EIO); give it the file's, for the message. */
async function onPath<T>(path: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error && typeof error === 'object' && (error as NodeJS.ErrnoException).path === undefined) (error as NodeJS.ErrnoException).path = path;
    throw error;
  }
}

export class AtomicFileWriter {
  private handle?: FileHandle;
  private chunks: string[] = [];
  private pending = 0;
  readonly temp: string;

  constructor(readonly path: string) {
    this.temp = join(dirname(path), `.${basename(path)}.${++writers}.tmp-${process.pid}`);
  }

  async open(): Promise<this> {
    await mkdir(dirname(this.path), { recursive: true });
    this.handle = await open(this.temp, 'w');
    return this;
  }

  async write(text: string): Promise<void> {
    this.chunks.push(text);
    this.pending += text.length;
    if (this.pending >= FLUSH_BYTES) await this.flush();
  }

  /** Writes bytes after whatever text is pending. */
  async writeBytes(bytes: Buffer): Promise<void> {
    await this.flush();
    if (bytes.length > 0) await onPath(this.path, this.handle!.write(bytes));
  }

  private async flush(): Promise<void> {
    if (this.chunks.length === 0) return;
    const text = this.chunks.join('');
    this.chunks = [];
    this.pending = 0;
    await onPath(this.path, this.handle!.write(text));
  }

  async commit(): Promise<void> {
    await this.flush();
    await onPath(this.path, this.handle!.datasync());
    await this.handle!.close();
    await renameIntoPlace(this.temp, this.path);
  }

  async abort(): Promise<void> {
    await this.handle?.close().catch(() => {});
    await unlink(this.temp).catch(() => {});
  }
}

/** Writes the whole text atomically. */
export async function writeFileAtomically(path: string, text: string | Buffer): Promise<void> {
  const writer = await new AtomicFileWriter(path).open();
  try {
    await writer.write(typeof text === 'string' ? text : text.toString('utf8'));
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
