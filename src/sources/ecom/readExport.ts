/**
 * Streams the kept copy of an export through csv-parse, row by row, into an OrderGrouper; rows that
 * cannot be read go to the rejects (rows that cannot join their order are found when grouping).
 */
import { createReadStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { InputError } from '../../io/errors.js';
import type { Logger } from '../../io/log.js';
import { makeDateParser } from './dateParser.js';
import type { DecimalSeparator } from './decimal.js';
import type { KeptCopy } from './keptCopy.js';
import type { EcomMapping, Encoding } from './mappingSchema.js';
import type { OrderGrouper } from './orderGrouper.js';
import { isRowProblem, readRow, type RowContext } from './readRow.js';
import { RecordLines } from './recordLines.js';
import type { RejectsWriter } from './rejectsWriter.js';
import { resolveColumns, type ResolvedColumns } from './resolveColumns.js';
import { sniffDelimiter, type Delimiter } from './sniffDelimiter.js';
import { strayQuoteField } from './strayQuote.js';
import { chunkDecoder, decodeWindows1252 } from './textEncoding.js';

export interface ReadResult {
  rowsRead: number;
  delimiter: Delimiter;
  decimal: DecimalSeparator;
}

function headText(copy: KeptCopy): string {
  if (copy.encoding === 'windows-1252') return decodeWindows1252(copy.head);
  if (copy.encoding === 'utf-16le') return new TextDecoder('utf-16le').decode(copy.head);
  return copy.head.toString('utf8');
}

/** Re-encodes a non-UTF-8 file as UTF-8 on its way to the CSV parser. */
function decodingStream(encoding: Exclude<Encoding, 'utf-8'>): Transform {
  const decoder = chunkDecoder(encoding);
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      callback(null, Buffer.from(decoder.write(chunk), 'utf8'));
    },
    flush(callback) {
      const rest = decoder.end();
      if (rest) this.push(Buffer.from(rest, 'utf8'));
      callback();
    },
  });
}

/** The records of the kept copy with their text (blank lines and line break cut) and first line. */
export async function* exportRecords(copy: KeptCopy, delimiter: Delimiter): AsyncGenerator<{ record: string[]; raw: string; line: number }> {
  const parser = parse({
    bom: true,
    delimiter,
    // Line numbers come from each record's raw text (RecordLines), not from `info: true`: its
    // `info.lines` counts a CRLF inside a quoted field twice. The raw text also feeds the rejects file.
    raw: true,
    // A quote inside an unquoted field (`Dirk "DJ" Jansen`) is read as text here and the row rejected
    // (strayQuoteField); only a quoted field that is never closed, swallowing the rest of the file,
    // stops the parser.
    relax_quotes: true,
    // Rows with a wrong number of fields are rejected one by one instead of stopping the file.
    relax_column_count: true,
    skip_empty_lines: true,
  });
  const streams: (Readable | Transform)[] = [createReadStream(copy.temp)];
  if (copy.encoding !== 'utf-8') streams.push(decodingStream(copy.encoding));
  const done = pipeline([...streams, parser]);
  // Leaving the loop early (a missing column, or all raw text found) ends the pipeline with an error
  // nobody needs to see.
  done.catch(() => {});
  const lines = new RecordLines();
  for await (const { record, raw } of parser as AsyncIterable<{ record: string[]; raw: string }>) {
    yield { record, raw: RecordLines.content(raw), line: lines.next(raw) };
  }
  await done;
}

export async function readExport(
  copy: KeptCopy,
  options: { file: string; mapping: EcomMapping; log: Logger; onRows?: (rowsRead: number) => void },
  grouper: OrderGrouper,
  rejects: RejectsWriter,
): Promise<ReadResult> {
  const { file, mapping, log } = options;
  const delimiter: Delimiter =
    mapping.delimiter === undefined ? sniffDelimiter(headText(copy)) : mapping.delimiter === 'tab' ? '\t' : mapping.delimiter;
  const decimal: DecimalSeparator = mapping.decimal === 'auto' ? (delimiter === ';' ? ',' : '.') : mapping.decimal;
  const formats = typeof mapping.date_format === 'string' ? [mapping.date_format] : mapping.date_format;
  let columns: ResolvedColumns | undefined;
  let context: RowContext | undefined;
  let width = 0;
  let header: string[] = [];
  let lastLine = 0;
  let rowsRead = 0;
  try {
    for await (const { record, raw, line } of exportRecords(copy, delimiter)) {
      lastLine = line;
      if (!columns) {
        columns = resolveColumns(record, mapping, file, log);
        context = { columns, decimal, parseDate: makeDateParser(formats, mapping.time_zone), dateFormats: formats.join(' or ') };
        width = record.length;
        header = record;
        continue;
      }
      // Spreadsheets leave rows of bare delimiters below the data; they are no rows.
      if (record.every((cell) => cell.trim() === '')) continue;
      rowsRead++;
      options.onRows?.(rowsRead);
      const reject = (field: string, reason: string) => rejects.add({ line, field, reason, raw });
      const stray = strayQuoteField(raw, delimiter);
      if (stray >= 0) {
        await reject(header[stray] ?? 'row', `a quote in a field not enclosed in quotes (${record[stray] ?? ''}); enclose the field in double quotes and double the quotes inside`);
        continue;
      }
      if (record.length !== width) {
        await reject('row', `the row has ${record.length} fields, the header has ${width}`);
        continue;
      }
      const row = readRow(record, context!);
      if (isRowProblem(row)) {
        await reject(row.field, row.reason);
        continue;
      }
      await grouper.add(row, line);
    }
  } catch (error) {
    if (error instanceof CsvError) {
      // A quote opened and never closed swallows the rest of the file: no reliable way to find rows.
      const where =
        error.code === 'CSV_QUOTE_NOT_CLOSED'
          ? `${file}: a quote opened after line ${lastLine} is never closed, so the rest of the file would be one field (${error.message})`
          : `${file}:${error.lines}: ${error.message}`;
      throw new InputError(where, {
        hint: 'a field holding the delimiter, a quote or a line break must be enclosed in double quotes, with inner quotes doubled ("")',
        cause: error,
      });
    }
    throw error;
  }
  if (!columns) throw new InputError(`${file}: the file is empty (no header row)`);
  return { rowsRead, delimiter, decimal };
}
