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
  /** The row as written; absent: looked up in the file when the rejects are written (see `commit`). */
  raw?: string;
}

/** The file's records in line order, for the text of rejects added without it. */
export type RecordTexts = () => AsyncIterable<{ line: number; raw: string }>;

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
      weigh: (reject) => 300 + 2 * (reject.raw?.length ?? 0),
      budget: 16 * 1024 * 1024,
    });
  }

  async add(reject: Reject): Promise<void> {
    this.count++;
    await this.sorter.add(reject);
  }

  /**
   * Writes the file; its path when rows were rejected, else undefined (and no file). `texts` reads the
   * file again for rejects added without their text, walking it beside the rejects (both in line order).
   */
  async commit(texts: RecordTexts): Promise<string | undefined> {
    if (this.count === 0) return undefined;
    const writer = await new AtomicFileWriter(this.path).open();
    let records: AsyncIterator<{ line: number; raw: string }> | undefined;
    try {
      await writer.write(BOM + csvLine(REJECT_COLUMNS));
      for await (const reject of this.sorter.sorted()) {
        let raw = reject.raw;
        if (raw === undefined) {
          records ??= texts()[Symbol.asyncIterator]();
          let next = await records.next();
          while (!next.done && next.value.line < reject.line) next = await records.next();
          if (next.done || next.value.line !== reject.line) throw new Error(`line ${reject.line} is not in the file read again`);
          raw = next.value.raw;
        }
        await writer.write(csvLine([inert(this.file), String(reject.line), inert(reject.field), inert(reject.reason), inert(raw)]));
      }
      await writer.commit();
    } catch (error) {
      await writer.abort();
      throw error;
    } finally {
      await records?.return?.();
      await this.sorter.dispose();
    }
    return this.path;
  }

  async abort(): Promise<void> {
    await this.sorter.dispose();
  }
}
