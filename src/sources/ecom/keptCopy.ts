/**
 * The export is copied byte for byte beside its final place before anything is read from it, so what
 * is imported is exactly what is kept, even if the original changes meanwhile. The copy replaces
 * data/ecom_orders_export.csv only after a successful import; a failed one leaves the old copy.
 */
import { mkdir, open, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { renameIntoPlace } from '../../io/atomicFile.js';
import { FileSystemError, InputError } from '../../io/errors.js';
import type { Encoding } from './mappingSchema.js';
import { encodingFromBom, Utf8Checker } from './textEncoding.js';

/** Enough of the start of the file to see its header line. */
const HEAD_BYTES = 64 * 1024;

export class KeptCopy {
  constructor(
    readonly temp: string,
    readonly target: string,
    /** The encoding the file is read with (a byte-order mark overrides the mapping). */
    readonly encoding: Encoding,
    /** The first bytes of the file. */
    readonly head: Buffer,
  ) {}

  async commit(): Promise<void> {
    await renameIntoPlace(this.temp, this.target);
  }

  async abort(): Promise<void> {
    await unlink(this.temp).catch(() => {});
  }
}

/** An Excel workbook given for a CSV: .xlsx (a zip: `PK\x03\x04`) or the old binary .xls (OLE2). */
function workbookKind(chunk: Buffer): string | undefined {
  if (chunk.length >= 4 && chunk.readUInt32BE(0) === 0x504b0304) return 'an Excel workbook (.xlsx, a zip archive)';
  if (chunk.length >= 8 && chunk.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return 'an Excel 97-2003 workbook (.xls)';
  return undefined;
}

function notUtf8(file: string, line: number, offset: number, byte: number | undefined): InputError {
  const at = byte === undefined ? `a character cut off at byte ${offset}` : `byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} at offset ${offset}`;
  return new InputError(`${file}:${line}: the file is not UTF-8 (${at}); it is probably Windows-1252 from Excel`, {
    hint: `save it as "CSV UTF-8" in the spreadsheet, or convert it (iconv -f WINDOWS-1252 -t UTF-8 "${file}" > orders-utf8.csv), or set "encoding": "windows-1252" in the mapping`,
  });
}

export async function copyForImport(file: string, target: string, declared: Encoding): Promise<KeptCopy> {
  let input: FileHandle;
  try {
    input = await open(file, 'r');
  } catch (error) {
    throw new InputError(`${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      hint: 'check the path of the export',
      cause: error,
    });
  }
  await mkdir(dirname(target), { recursive: true });
  const temp = join(dirname(target), `.${basename(target)}.import-${process.pid}`);
  let output: FileHandle | undefined;
  try {
    output = await open(temp, 'w');
    let head = Buffer.alloc(0);
    let encoding: Encoding | undefined;
    let checker: Utf8Checker | undefined;
    try {
      for await (const chunk of input.createReadStream({ autoClose: false }) as AsyncIterable<Buffer>) {
        if (encoding === undefined) {
          const workbook = workbookKind(chunk);
          if (workbook) {
            throw new InputError(`${file}: the file is ${workbook}, not a CSV file`, {
              hint: 'open it in the spreadsheet and save or export it as "CSV UTF-8 (comma delimited)", then import that file',
            });
          }
          const bom = encodingFromBom(chunk);
          if (bom === 'utf-16be') {
            throw new InputError(`${file}: the file is UTF-16 big-endian`, {
              hint: `convert it to UTF-8 (iconv -f UTF-16BE -t UTF-8 "${file}" > orders-utf8.csv)`,
            });
          }
          const utf8Bom = chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;
          encoding = bom ?? (utf8Bom ? 'utf-8' : declared);
          if (encoding === 'utf-8') checker = new Utf8Checker();
        }
        if (head.length < HEAD_BYTES) head = Buffer.concat([head, chunk.subarray(0, HEAD_BYTES - head.length)]);
        const problem = checker?.push(chunk);
        if (problem) throw notUtf8(file, problem.line, problem.offset, problem.byte);
        try {
          await output.write(chunk);
        } catch (error) {
          // Writing our copy failed (disk full, read-only): a file-system error about our path, not the export.
          const code = (error as NodeJS.ErrnoException).code;
          throw code ? new FileSystemError(code, temp, { cause: error }) : error;
        }
      }
    } catch (error) {
      if (error instanceof InputError || error instanceof FileSystemError) throw error;
      throw new InputError(`${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, {
        cause: error,
      });
    }
    const cut = checker?.end();
    if (cut) throw notUtf8(file, cut.line, cut.offset, undefined);
    await output.datasync();
    await output.close();
    output = undefined;
    return new KeptCopy(temp, target, encoding ?? declared, head);
  } catch (error) {
    await output?.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw error;
  } finally {
    await input.close().catch(() => {});
  }
}
