/**
 * The rejects file (`file,line,field,reason,raw`) in line order. Rows are rejected out of order (a line
 * that does not fit its order is found when the rows are grouped, after the whole file was read), so
 * rejects are sorted on their way in, on disk once they outgrow memory: a file of bad rows never piles
 * up in memory. The file appears (atomically) only when something was rejected.
 */
import { dirname } from 'node:path';
import { AtomicFileWriter } from '../../io/atomicFile.js';
import { BOM, csvLine, inert } from '../../io/csvFormat.js';
import { ExternalSorter } from '../../io/externalSort.js';

export const REJECT_COLUMNS = ['file', 'line', 'field', 'reason', 'raw'] as const;

export interface Reject {
  line: number;
  field: string;
  reason: string;
  raw: string;
}

export class RejectsWriter {
  private readonly sorter: ExternalSorter<Reject>;
  count = 0;

  constructor(
    readonly path: string,
    private readonly file: string,
  ) {
    this.sorter = new ExternalSorter<Reject>({
      dir: dirname(path),
      compare: (a, b) => a.line - b.line,
      weigh: (reject) => 300 + 2 * reject.raw.length,
      budget: 16 * 1024 * 1024,
    });
  }

  async add(reject: Reject): Promise<void> {
    this.count++;
    await this.sorter.add(reject);
  }

  /** Writes the file; its path when rows were rejected, else undefined (and no file). */
  async commit(): Promise<string | undefined> {
    if (this.count === 0) return undefined;
    const writer = await new AtomicFileWriter(this.path).open();
    try {
      await writer.write(BOM + csvLine(REJECT_COLUMNS));
      for await (const reject of this.sorter.sorted()) {
        await writer.write(
          csvLine([inert(this.file), String(reject.line), inert(reject.field), inert(reject.reason), inert(reject.raw)]),
        );
      }
      await writer.commit();
    } catch (error) {
      await writer.abort();
      throw error;
    } finally {
      await this.sorter.dispose();
    }
    return this.path;
  }

  async abort(): Promise<void> {
    await this.sorter.dispose();
  }
}
