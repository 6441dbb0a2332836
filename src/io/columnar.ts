/**
 * A small columnar file format for the canonical store, so `ca compute` loads ten million orders as
 * typed arrays in about a second instead of parsing ten million JSON lines.
 *
 * Layout: the magic line, a uint32 (LE) header length, the header as JSON, then one 8-byte-aligned
 * block per column (and one JSON block per dictionary). Readers load only the columns they ask for.
 */
import { open, unlink } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import type { StringIndex } from '../core/stringIndex.js';
import { renameIntoPlace } from './atomicFile.js';
import { StateError } from './errors.js';

/** `text`: a JSON array of strings (null = absent), for columns of mostly distinct values, which a dictionary would not shrink. */
export type ColumnType = 'f64' | 'bool' | 'enum' | 'dict' | 'text';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  /** For `enum`: the allowed values; the code is the index. */
  values?: readonly string[];
}

/** Codes into `dict`; -1 = absent. */
export interface DictColumn {
  codes: Int32Array;
  dict: string[];
}

/** f64: NaN = absent. bool: 0 false, 1 true, 2 absent. enum: index into values, 255 = absent. */
export type ColumnData = Float64Array | Uint8Array | DictColumn | (string | undefined)[];

export interface Columns {
  rows: number;
  data: Record<string, ColumnData>;
}

export const BOOL_ABSENT = 2;
export const ENUM_ABSENT = 255;
/** An enum code, or undefined where the column has none. */
export const enumCode = (code: number): number | undefined => (code === ENUM_ABSENT ? undefined : code);

const MAGIC = Buffer.from('CACOL1\n');

interface HeaderColumn {
  name: string;
  type: ColumnType;
  offset: number;
  length: number;
  dictOffset?: number;
  dictLength?: number;
}

interface Header {
  rows: number;
  columns: HeaderColumn[];
  /** A dictionary column whose values are distinct and in ascending order (row i holds entry i). */
  uniqueSortedBy?: string;
}

const align8 = (n: number) => Math.ceil(n / 8) * 8;

/**
 * Writes columns to `path` atomically (temp file, fsync, rename). `uniqueSortedBy` names a dictionary
 * column the caller wrote with distinct values in ascending order, so it can be read in slices.
 */
export async function writeColumns(
  path: string,
  specs: readonly ColumnSpec[],
  columns: Columns,
  options: { uniqueSortedBy?: string } = {},
): Promise<void> {
  const blocks: Buffer[] = [];
  const headerColumns: HeaderColumn[] = [];
  let offset = 0;
  const push = (buffer: Buffer) => {
    const start = offset;
    blocks.push(buffer);
    const padded = align8(buffer.length);
    if (padded > buffer.length) blocks.push(Buffer.alloc(padded - buffer.length));
    offset += padded;
    return { start, length: buffer.length };
  };
  for (const spec of specs) {
    const data = columns.data[spec.name];
    if (data === undefined) throw new Error(`column ${spec.name} missing`);
    if (spec.type === 'text') {
      const block = push(Buffer.from(JSON.stringify(data)));
      headerColumns.push({ name: spec.name, type: spec.type, offset: block.start, length: block.length });
    } else if (spec.type === 'dict') {
      const dictColumn = data as DictColumn;
      const codes = push(Buffer.from(dictColumn.codes.buffer, dictColumn.codes.byteOffset, dictColumn.codes.byteLength));
      const dict = push(Buffer.from(JSON.stringify(dictColumn.dict)));
      headerColumns.push({
        name: spec.name,
        type: spec.type,
        offset: codes.start,
        length: codes.length,
        dictOffset: dict.start,
        dictLength: dict.length,
      });
    } else {
      const array = data as Float64Array | Uint8Array;
      const block = push(Buffer.from(array.buffer, array.byteOffset, array.byteLength));
      headerColumns.push({ name: spec.name, type: spec.type, offset: block.start, length: block.length });
    }
  }
  const header = Buffer.from(
    JSON.stringify({ rows: columns.rows, columns: headerColumns, uniqueSortedBy: options.uniqueSortedBy } satisfies Header),
  );
  const prefixLength = align8(MAGIC.length + 4 + header.length);
  const prefix = Buffer.alloc(prefixLength);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(header.length, MAGIC.length);
  header.copy(prefix, MAGIC.length + 4);

  const temp = `${path}.tmp-${process.pid}`;
  const handle = await open(temp, 'w');
  try {
    await handle.writev([prefix, ...blocks]);
    await handle.datasync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => {});
    throw error;
  }
  await handle.close();
  await renameIntoPlace(temp, path);
}

interface ColumnFile {
  header: Header;
  /** Reads `length` bytes at `offset` from the start of the blocks into a fresh ArrayBuffer. */
  readBlock(offset: number, length: number): Promise<ArrayBuffer>;
  close(): Promise<void>;
}

async function openColumnFile(path: string): Promise<ColumnFile> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const head = Buffer.alloc(MAGIC.length + 4);
    await handle.read(head, 0, head.length, 0);
    if (!head.subarray(0, MAGIC.length).equals(MAGIC)) throw corrupt(path, 'not a ca column file');
    const headerLength = head.readUInt32LE(MAGIC.length);
    const headerBuffer = Buffer.alloc(headerLength);
    await handle.read(headerBuffer, 0, headerLength, head.length);
    let header: Header;
    try {
      header = JSON.parse(headerBuffer.toString('utf8')) as Header;
    } catch {
      throw corrupt(path, 'header is damaged');
    }
    const base = align8(head.length + headerLength);
    /** Straight into a fresh ArrayBuffer (no second copy: tables run to hundreds of MB). */
    const readBlock = async (offset: number, length: number): Promise<ArrayBuffer> => {
      if (base + offset + length > size) throw corrupt(path, 'file is truncated');
      const buffer = new ArrayBuffer(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(new Uint8Array(buffer, done), 0, length - done, base + offset + done);
        if (bytesRead === 0) throw corrupt(path, 'file is truncated');
        done += bytesRead;
      }
      return buffer;
    };
    return { header, readBlock, close: () => handle.close() };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function readDict(path: string, file: ColumnFile, column: HeaderColumn): Promise<string[]> {
  const text = Buffer.from(await file.readBlock(column.dictOffset ?? 0, column.dictLength ?? 0)).toString('utf8');
  try {
    return JSON.parse(text) as string[];
  } catch {
    throw corrupt(path, `dictionary of ${column.name} is damaged`);
  }
}

/**
 * A column of `rows` absent values: what a file written before `spec` was added to its table holds
 * in that column.
 */
export function absentColumn(spec: ColumnSpec, rows: number): ColumnData {
  if (spec.type === 'f64') return new Float64Array(rows).fill(NaN);
  if (spec.type === 'bool') return new Uint8Array(rows).fill(BOOL_ABSENT);
  if (spec.type === 'enum') return new Uint8Array(rows).fill(ENUM_ABSENT);
  if (spec.type === 'dict') return { codes: new Int32Array(rows).fill(-1), dict: [] };
  return new Array<string | undefined>(rows).fill(undefined);
}

/** Adds the columns of `specs` that `columns` lacks (a file written before they existed), as absent. */
function addAbsentColumns(columns: Columns, specs: readonly ColumnSpec[] | undefined, names?: readonly string[]): Columns {
  for (const spec of specs ?? []) {
    if (names && !names.includes(spec.name)) continue;
    if (!(spec.name in columns.data)) columns.data[spec.name] = absentColumn(spec, columns.rows);
  }
  return columns;
}

/**
 * Reads the named columns (all when `names` is omitted). A damaged file is a StateError naming it.
 * With `specs`, a column of the specs that the file does not have (written before it was added) is
 * read as absent values instead of being an error.
 */
export async function readColumns(path: string, names?: readonly string[], specs?: readonly ColumnSpec[]): Promise<Columns> {
  const file = await openColumnFile(path);
  try {
    const { header, readBlock } = file;
    const data: Record<string, ColumnData> = {};
    for (const column of header.columns) {
      if (names && !names.includes(column.name)) continue;
      const block = await readBlock(column.offset, column.length);
      if (column.type === 'text') {
        try {
          const values = JSON.parse(Buffer.from(block).toString('utf8')) as (string | null)[];
          for (let i = 0; i < values.length; i++) if (values[i] === null) (values as (string | undefined)[])[i] = undefined;
          data[column.name] = values as (string | undefined)[];
        } catch {
          throw corrupt(path, `column ${column.name} is damaged`);
        }
      } else if (column.type === 'f64') data[column.name] = new Float64Array(block);
      else if (column.type === 'dict') data[column.name] = { codes: new Int32Array(block), dict: await readDict(path, file, column) };
      else data[column.name] = new Uint8Array(block);
    }
    const columns = addAbsentColumns({ rows: header.rows, data }, specs, names);
    for (const name of names ?? []) {
      if (!(name in data)) throw corrupt(path, `column ${name} is missing`);
    }
    return columns;
  } finally {
    await file.close();
  }
}

/**
 * Per slot of `wanted`, the row of the file whose value in dictionary column `name` it is (the last such
 * row), or -1. The dictionary (a JSON array of strings) is walked as bytes: an entry of plain ASCII
 * without escapes, as vendor ids are, is looked up without being made a string, so finding the few
 * thousand payments that refunds name among ten million order ids makes no string of the others.
 */
export async function rowsOfDictValues(path: string, name: string, wanted: StringIndex): Promise<Int32Array> {
  const file = await openColumnFile(path);
  try {
    const column = file.header.columns.find((c) => c.name === name);
    if (column?.type !== 'dict') throw corrupt(path, `column ${name} is missing`);
    const codes = new Int32Array(await file.readBlock(column.offset, column.length));
    const bytes = new Uint8Array(await file.readBlock(column.dictOffset ?? 0, column.dictLength ?? 0));
    const damaged = () => corrupt(path, `dictionary of ${name} is damaged`);
    const space = (at: number) => {
      while (at < bytes.length && (bytes[at] === 0x20 || bytes[at] === 0x0a || bytes[at] === 0x0d || bytes[at] === 0x09)) at++;
      return at;
    };
    /** Per dictionary entry, its slot in `wanted` or -1. */
    const slotOfEntry: number[] = [];
    let at = space(0);
    if (bytes[at++] !== 0x5b) throw damaged(); // [
    at = space(at);
    if (bytes[at] === 0x5d) at++; // ]: no entries
    else {
      for (;;) {
        if (bytes[at] !== 0x22) throw damaged(); // "
        const start = at + 1;
        let plain = true;
        let end = start;
        for (; end < bytes.length && bytes[end] !== 0x22; end++) {
          if (bytes[end] === 0x5c) {
            plain = false;
            end++; // the escaped character
          } else if (bytes[end] >= 0x80) plain = false;
        }
        if (end >= bytes.length) throw damaged();
        if (plain) slotOfEntry.push(wanted.findAscii(bytes, start, end));
        else {
          let value: string;
          try {
            value = JSON.parse(Buffer.from(bytes.buffer, start - 1, end + 2 - start).toString('utf8')) as string;
          } catch {
            throw damaged();
          }
          slotOfEntry.push(wanted.find(value));
        }
        at = space(end + 1);
        if (bytes[at] === 0x2c) at = space(at + 1); // ,
        else if (bytes[at] === 0x5d) break; // ]
        else throw damaged();
      }
    }
    const rows = new Int32Array(wanted.size).fill(-1);
    for (let r = 0; r < codes.length; r++) {
      const code = codes[r];
      if (code < 0) continue;
      if (code >= slotOfEntry.length) throw damaged();
      const slot = slotOfEntry[code];
      if (slot >= 0) rows[slot] = r;
    }
    return rows;
  } finally {
    await file.close();
  }
}

/**
 * A table written sorted by a unique dictionary column (`writeColumns(..., { uniqueSortedBy })`), read
 * back in slices of rows, so a table larger than memory can be walked: fixed-width columns are read
 * slice by slice, the unique column's dictionary (as long as the table) is parsed as it goes, and the
 * other dictionaries (a value each, shared by many rows) are loaded whole. Undefined when the file
 * was not written that way.
 */
export async function readSortedSlices(
  path: string,
  sliceRows = 65_536,
  specs?: readonly ColumnSpec[],
): Promise<AsyncGenerator<Columns> | undefined> {
  const file = await openColumnFile(path);
  const key = file.header.uniqueSortedBy;
  if (key === undefined) {
    await file.close();
    return undefined;
  }
  return slices(path, file, key, sliceRows, specs);
}

async function* slices(path: string, file: ColumnFile, key: string, sliceRows: number, specs?: readonly ColumnSpec[]): AsyncGenerator<Columns> {
  try {
    const { header } = file;
    const dicts = new Map<string, string[]>();
    let keys: AsyncGenerator<string> | undefined;
    for (const column of header.columns) {
      if (column.type === 'text') throw corrupt(path, `column ${column.name} cannot be read in slices`);
      if (column.type !== 'dict') continue;
      if (column.name === key) keys = jsonStrings(path, file, column);
      else dicts.set(column.name, await readDict(path, file, column));
    }
    if (!keys) throw corrupt(path, `column ${key} is missing`);
    for (let start = 0; start < header.rows; start += sliceRows) {
      const rows = Math.min(sliceRows, header.rows - start);
      const data: Record<string, ColumnData> = {};
      for (const column of header.columns) {
        const width = column.type === 'f64' ? 8 : column.type === 'dict' ? 4 : 1;
        const block = await file.readBlock(column.offset + start * width, rows * width);
        if (column.type === 'f64') data[column.name] = new Float64Array(block);
        else if (column.type === 'dict') {
          const codes = new Int32Array(block);
          if (column.name !== key) data[column.name] = { codes, dict: dicts.get(column.name)! };
          else {
            // Unique and sorted: row i holds dictionary entry i, so the slice's codes restart at 0.
            const dict: string[] = [];
            for (let i = 0; i < rows; i++) {
              const next = await keys.next();
              if (next.done || codes[i] !== start + i) throw corrupt(path, `column ${key} is not in row order`);
              dict.push(next.value);
              codes[i] = i;
            }
            data[column.name] = { codes, dict };
          }
        } else data[column.name] = new Uint8Array(block);
      }
      yield addAbsentColumns({ rows, data }, specs);
    }
  } finally {
    await file.close();
  }
}

/** The strings of a dictionary block (a JSON array of strings), one at a time, read in 1 MB pieces. */
async function* jsonStrings(path: string, file: ColumnFile, column: HeaderColumn): AsyncGenerator<string> {
  const total = column.dictLength ?? 0;
  const decoder = new StringDecoder('utf8');
  let text = '';
  let at = 0;
  for (let read = 0; read < total || text.length > at; ) {
    let open = text.indexOf('"', at);
    let close = open < 0 ? -1 : closingQuote(text, open + 1);
    if (close < 0) {
      if (read >= total) {
        if (/^[\s,\]]*$/.test(text.slice(at))) return;
        throw corrupt(path, `dictionary of ${column.name} is damaged`);
      }
      const length = Math.min(1 << 20, total - read);
      text = text.slice(open < 0 ? text.length : open) + decoder.write(Buffer.from(await file.readBlock((column.dictOffset ?? 0) + read, length)));
      read += length;
      at = 0;
      continue;
    }
    try {
      yield JSON.parse(text.slice(open, close + 1)) as string;
    } catch {
      throw corrupt(path, `dictionary of ${column.name} is damaged`);
    }
    at = close + 1;
  }
}

/** The index of the quote that ends a JSON string whose text starts at `from`, or -1 if not in `text` yet. */
function closingQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x5c) i++;
    else if (char === 0x22) return i;
  }
  return -1;
}

function corrupt(path: string, why: string): StateError {
  return new StateError(`${path}: ${why}`, {
    hint: 'the cache is damaged; delete that source folder under data/cache and run the fetch with --full',
  });
}

/**
 * Builds columns one record at a time (field name = column name), growing typed arrays as it goes, so
 * a table never has to exist as objects to be written.
 */
export class ColumnsBuilder {
  private rows = 0;
  private capacity = 1024;
  private readonly columns: BuiltColumn[];
  /** The key column's last value: its values must come distinct and ascending (see the constructor). */
  private lastKey = '';
  private readonly translations = new WeakMap<string[], Int32Array>();

  /**
   * `uniqueSortedBy`: a dictionary column whose values the caller adds distinct and in ascending order
   * (a table's id during compaction); it then needs no lookup map, which for ten million ids is most
   * of the work. A value out of order is an error.
   */
  constructor(specs: readonly ColumnSpec[], uniqueSortedBy?: string) {
    this.columns = specs.map((spec) => {
      if (spec.type === 'text') throw new Error(`column ${spec.name}: text columns are not built row by row`);
      const array = spec.type === 'f64' ? new Float64Array(this.capacity) : spec.type === 'dict' ? new Int32Array(this.capacity) : new Uint8Array(this.capacity);
      return {
        spec,
        array,
        index: new Map<string, number>(),
        dict: [],
        enumCodes: new Map((spec.values ?? []).map((v, i) => [v, i])),
        isKey: spec.name === uniqueSortedBy,
      };
    });
  }

  add(record: Record<string, unknown>): void {
    if (this.rows === this.capacity) this.grow();
    const i = this.rows++;
    for (const column of this.columns) {
      const { spec, array } = column;
      const value = record[spec.name];
      if (spec.type === 'f64') array[i] = typeof value === 'number' ? value : NaN;
      else if (spec.type === 'bool') array[i] = value === undefined ? BOOL_ABSENT : value ? 1 : 0;
      else if (spec.type === 'enum') {
        if (value === undefined) array[i] = ENUM_ABSENT;
        else {
          const code = column.enumCodes.get(value as string);
          if (code === undefined) throw new Error(`${spec.name}: value ${String(value)} is not one of ${spec.values?.join(', ')}`);
          array[i] = code;
        }
      } else if (value === undefined || value === null) array[i] = -1;
      else if (column.isKey) this.addKey(column, i, value as string);
      else array[i] = this.codeOf(column, value as string);
    }
  }

  /** Adds row `row` of `from` (columns of the same specs) without building a record. */
  addRow(from: Columns, row: number): void {
    if (this.rows === this.capacity) this.grow();
    const i = this.rows++;
    for (const column of this.columns) {
      const { spec, array } = column;
      const source = from.data[spec.name];
      if (spec.type !== 'dict') {
        array[i] = (source as Float64Array | Uint8Array)[row];
        continue;
      }
      const { codes, dict } = source as DictColumn;
      const code = codes[row];
      if (code < 0) array[i] = -1;
      else if (column.isKey) this.addKey(column, i, dict[code]);
      else {
        // Codes of `dict` translated to this builder's codes once each (-1: not seen yet).
        let codesHere = this.translations.get(dict);
        if (!codesHere) {
          codesHere = new Int32Array(dict.length).fill(-1);
          this.translations.set(dict, codesHere);
        }
        if (codesHere[code] < 0) codesHere[code] = this.codeOf(column, dict[code]);
        array[i] = codesHere[code];
      }
    }
  }

  private addKey(column: BuiltColumn, i: number, value: string): void {
    if (i > 0 && !(this.lastKey < value)) throw new Error(`${column.spec.name}: ${value} is not after ${this.lastKey}`);
    this.lastKey = value;
    column.array[i] = column.dict.length;
    column.dict.push(value);
  }

  private codeOf(column: BuiltColumn, value: string): number {
    let code = column.index.get(value);
    if (code === undefined) {
      code = column.dict.length;
      column.dict.push(value);
      column.index.set(value, code);
    }
    return code;
  }

  private grow(): void {
    this.capacity *= 2;
    for (const column of this.columns) {
      const bigger = new (column.array.constructor as new (length: number) => typeof column.array)(this.capacity);
      bigger.set(column.array);
      column.array = bigger;
    }
  }

  /** The columns built so far (trimmed views of the arrays; the builder is spent afterwards). */
  finish(): Columns {
    const data: Record<string, ColumnData> = {};
    for (const { spec, array, dict, index } of this.columns) {
      const rows = array.subarray(0, this.rows);
      data[spec.name] = spec.type === 'dict' ? { codes: rows as Int32Array, dict } : (rows as Float64Array | Uint8Array);
      index.clear();
    }
    return { rows: this.rows, data };
  }
}

interface BuiltColumn {
  spec: ColumnSpec;
  array: Float64Array | Uint8Array | Int32Array;
  /** dict: value to code. */
  index: Map<string, number>;
  dict: string[];
  /** enum: value to code. */
  enumCodes: Map<string, number>;
  isKey: boolean;
}

/** Turns plain records into columns following `specs`. */
export function recordsToColumns(specs: readonly ColumnSpec[], records: Iterable<Record<string, unknown>>): Columns {
  const builder = new ColumnsBuilder(specs);
  for (const record of records) builder.add(record);
  return builder.finish();
}

/**
 * Values as codes into a dictionary of the distinct ones (undefined and null: -1). With `limit`,
 * undefined once there would be more than `limit` distinct values.
 */
export function encodeDict(values: readonly (string | undefined)[]): DictColumn;
export function encodeDict(values: readonly (string | undefined)[], limit: number): DictColumn | undefined;
export function encodeDict(values: readonly (string | undefined)[], limit = Infinity): DictColumn | undefined {
  const index = new Map<string, number>();
  const dict: string[] = [];
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === undefined || value === null) {
      codes[i] = -1;
      continue;
    }
    let code = index.get(value);
    if (code === undefined) {
      if (dict.length === limit) return undefined;
      code = dict.length;
      dict.push(value);
      index.set(value, code);
    }
    codes[i] = code;
  }
  return { codes, dict };
}

/** Row `i` as a plain record; absent values are left out. */
export function rowToRecord(specs: readonly ColumnSpec[], columns: Columns, i: number): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const spec of specs) {
    const data = columns.data[spec.name];
    if (data === undefined) continue;
    let value: unknown;
    if (spec.type === 'f64') {
      const v = (data as Float64Array)[i];
      value = Number.isNaN(v) ? undefined : v;
    } else if (spec.type === 'bool') {
      const v = (data as Uint8Array)[i];
      value = v === BOOL_ABSENT ? undefined : v === 1;
    } else if (spec.type === 'enum') {
      const v = (data as Uint8Array)[i];
      value = v === ENUM_ABSENT ? undefined : spec.values?.[v];
    } else if (spec.type === 'dict') {
      const column = data as DictColumn;
      const code = column.codes[i];
      value = code < 0 ? undefined : column.dict[code];
    } else value = (data as (string | undefined)[])[i];
    if (value !== undefined) record[spec.name] = value;
  }
  return record;
}
