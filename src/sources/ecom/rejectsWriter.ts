/**
 * The rejects file (`file,line,field,reason,raw`), written as rows are rejected so that a file of
 * bad rows does not pile up in memory; it appears (atomically) only when something was rejected.
 */
import { AtomicFileWriter } from '../../io/atomicFile.js';
import { BOM, csvLine, inert } from '../../io/csvFormat.js';

export const REJECT_COLUMNS = ['file', 'line', 'field', 'reason', 'raw'] as const;

export interface Reject {
  line: number;
  field: string;
  reason: string;
  raw: string;
}

export class RejectsWriter {
  private writer?: AtomicFileWriter;
  count = 0;

  constructor(
    readonly path: string,
    private readonly file: string,
  ) {}

  async add(reject: Reject): Promise<void> {
    if (!this.writer) {
      this.writer = await new AtomicFileWriter(this.path).open();
      await this.writer.write(BOM + csvLine(REJECT_COLUMNS));
    }
    this.count++;
    await this.writer.write(
      csvLine([inert(this.file), String(reject.line), inert(reject.field), inert(reject.reason), inert(reject.raw)]),
    );
  }

  /** The path when rows were rejected, else undefined (and no file). */
  async commit(): Promise<string | undefined> {
    if (!this.writer) return undefined;
    await this.writer.commit();
    return this.path;
  }

  async abort(): Promise<void> {
    await this.writer?.abort();
  }
}
