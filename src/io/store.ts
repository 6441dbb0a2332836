/**
 * The canonical store: what every source brought back, normalized, under `data/cache/<source>/`.
 *
 * Per table: an append-only log (`<table>.log`, one JSON record a line, fsynced before `append`
 * resolves) and a compacted columnar base (`<table>.col`). A record's key is its id within the
 * source; the highest `version` wins, and on equal versions the later write wins, so re-reading a page
 * is harmless. Sync state (`state.json`), names for ids (`dimensions.json`) and the tables that have a
 * base (`tables.json`) are replaced atomically.
 *
 * Only writers, holding the workspace lock, change the store. A reader (`{ readOnly: true }`: `ca check`,
 * `ca customer`, `ca report model`, …) folds the log into what it reads in memory and writes nothing,
 * not even a sort's spill files, which go to the system's temp folder.
 */
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  DimensionEntry,
  DimensionKind,
  SourceName,
  TableName,
  TableRecord,
} from '../core/model.js';
import { writeFileAtomically } from './atomicFile.js';
import { crashPoint } from './crashPoint.js';
import {
  ColumnsBuilder,
  readColumns,
  readSortedSlices,
  rowsOfDictValues,
  rowToRecord,
  writeColumns,
  type Columns,
  type DictColumn,
} from './columnar.js';
import type { StringIndex } from '../core/stringIndex.js';
import { StateError } from './errors.js';
import { serialized } from './serialize.js';
import { byString, ExternalSorter } from './externalSort.js';
import { TABLE_SPECS } from './tableSpecs.js';

export const TABLES: readonly TableName[] = ['customers', 'orders', 'bookings'];

/** A record from the log (or a base row it replaced), or a base row no log record touches. */
type Entry = { record: Record<string, unknown> } | { columns: Columns; rows: number[] };

/** Records whose `column` holds one of `values`. */
export interface Where {
  column: string;
  values: ReadonlySet<string>;
}

type Dimensions = Partial<Record<DimensionKind, DimensionEntry[]>>;

export class Store {
  /** Ids known per source/table, loaded on the first append, to tell added from updated. */
  private readonly knownIds = new Map<string, Set<string>>();
  /** Loads of `knownIds` under way, so concurrent first appends share one. */
  private readonly knownLoads = new Map<string, Promise<Set<string>>>();
  /** Logs whose torn tail (from a crash mid-write) was already cut in this process. */
  private readonly repairedLogs = new Set<string>();
  private readonly bases = new Map<SourceName, Set<TableName>>();
  /** A reader's tables with their log folded in, built once so every read of a table sees the same rows. */
  private readonly folded = new Map<string, Columns>();
  readonly readOnly: boolean;

  constructor(
    readonly cacheDir: string,
    options: { readOnly?: boolean } = {},
  ) {
    this.readOnly = options.readOnly === true;
  }

  /** Throws on a write through a reader's store: a programming error, never a user's. */
  private writable(what: string): void {
    if (this.readOnly) throw new Error(`Store.${what}: this store was opened read-only`);
  }

  sourceDir(source: SourceName): string {
    return join(this.cacheDir, source);
  }

  private basePath(source: SourceName, table: TableName): string {
    return join(this.sourceDir(source), `${table}.col`);
  }

  private logPath(source: SourceName, table: TableName): string {
    return join(this.sourceDir(source), `${table}.log`);
  }

  async append<T extends TableName>(
    source: SourceName,
    table: T,
    records: readonly TableRecord[T][],
  ): Promise<{ added: number; updated: number }> {
    const known = records.length === 0 ? new Set<string>() : await this.known(source, table);
    let added = 0;
    for (const record of records) {
      if (known.has(record.id)) continue;
      added++;
      known.add(record.id);
    }
    await this.appendUncounted(source, table, records);
    return { added, updated: records.length - added };
  }

  /** `append` without telling added from updated, which needs every id of the table in memory. */
  async appendUncounted<T extends TableName>(source: SourceName, table: T, records: readonly TableRecord[T][]): Promise<void> {
    if (records.length === 0) return;
    this.writable('append');
    const path = this.logPath(source, table);
    // Appends to one log from concurrent tasks go one after the other (the torn-tail repair included).
    await serialized(path, () => this.appendLines(source, table, path, records));
  }

  private async appendLines<T extends TableName>(source: SourceName, table: T, path: string, records: readonly TableRecord[T][]): Promise<void> {
    await mkdir(this.sourceDir(source), { recursive: true });
    await this.repairTornTail(path);
    const known = this.knownIds.get(`${source}/${table}`);
    const lines: string[] = [];
    for (const record of records) {
      const { source: _omit, ...stored } = record as TableRecord[T] & { source: SourceName };
      lines.push(JSON.stringify(stored));
      known?.add(record.id);
    }
    const handle = await open(path, 'a');
    try {
      await handle.write(lines.join('\n') + '\n');
      await handle.datasync();
    } finally {
      await handle.close();
    }
    crashPoint('append');
  }

  /** A crash can leave half a line at the end of a log; cut it before appending after it. */
  private async repairTornTail(path: string): Promise<void> {
    if (this.repairedLogs.has(path)) return;
    this.repairedLogs.add(path);
    const handle = await open(path, 'r+').catch(() => undefined);
    if (!handle) return;
    try {
      // Back from the end only as far as the last line break: logs run to gigabytes.
      let end = (await handle.stat()).size;
      const chunk = Buffer.alloc(64 * 1024);
      let first = true;
      while (end > 0) {
        const start = Math.max(0, end - chunk.length);
        await handle.read(chunk, 0, end - start, start);
        const view = chunk.subarray(0, end - start);
        if (first && view[view.length - 1] === 0x0a) return;
        first = false;
        const newline = view.lastIndexOf(0x0a);
        if (newline >= 0) {
          await handle.truncate(start + newline + 1);
          return;
        }
        end = start;
      }
      await handle.truncate(0);
    } finally {
      await handle.close();
    }
  }

  private async known(source: SourceName, table: TableName): Promise<Set<string>> {
    const key = `${source}/${table}`;
    const set = this.knownIds.get(key);
    if (set) return set;
    let load = this.knownLoads.get(key);
    if (!load) {
      load = (async () => {
        const ids = new Set<string>();
        const base = await this.readBase(source, table, ['id']);
        if (base) for (const id of (base.data.id as DictColumn).dict) ids.add(id);
        for await (const record of this.readLog(source, table)) ids.add(record.id as string);
        this.knownIds.set(key, ids);
        return ids;
      })();
      this.knownLoads.set(key, load);
      void load.finally(() => this.knownLoads.delete(key)).catch(() => {});
    }
    return load;
  }

  private async readBase(source: SourceName, table: TableName, names?: string[]): Promise<Columns | undefined> {
    let columns: Columns;
    try {
      columns = await readColumns(this.basePath(source, table), names, TABLE_SPECS[table]);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      // Reading on without a base the cache once had would quietly drop its records from the master.
      if ((await this.basesWritten(source)).has(table)) {
        throw new StateError(`${this.basePath(source, table)}: missing (the cache held this table; its records would be lost)`, {
          hint: `restore it, or delete ${this.sourceDir(source)} and fetch again with --full`,
        });
      }
      return undefined;
    }
    await this.noteBase(source, table);
    return columns;
  }

  /**
   * The base in id order, a slice of rows at a time. A base written by `compact` is sorted and read in
   * slices; an older one (or one written by other tools) is read whole and its rows put in id order.
   */
  private async *baseInIdOrder(source: SourceName, table: TableName): AsyncGenerator<{ columns: Columns; order: Iterable<number> }> {
    let slices: AsyncGenerator<Columns> | undefined;
    try {
      slices = await readSortedSlices(this.basePath(source, table), undefined, TABLE_SPECS[table]);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (slices) {
      await this.noteBase(source, table);
      for await (const columns of slices) yield { columns, order: rowNumbers(columns.rows) };
      return;
    }
    const base = await this.readBase(source, table);
    if (base) yield { columns: base, order: rowsById(base.data.id as DictColumn, base.rows) };
  }

  /** The tables whose base was written (`tables.json`), so a base removed by hand is told from one never written. */
  private async basesWritten(source: SourceName): Promise<Set<TableName>> {
    let tables = this.bases.get(source);
    if (!tables) {
      tables = new Set(await this.readJson<TableName[]>(join(this.sourceDir(source), 'tables.json')));
      this.bases.set(source, tables);
    }
    return tables;
  }

  private async noteBase(source: SourceName, table: TableName): Promise<void> {
    const tables = await this.basesWritten(source);
    if (tables.has(table)) return;
    tables.add(table);
    // A reader notes it for itself; the next writer records it.
    if (this.readOnly) return;
    const path = join(this.sourceDir(source), 'tables.json');
    const text = JSON.stringify([...tables]) + '\n';
    await serialized(path, () => writeFileAtomically(path, text));
  }

  /**
   * The log's records in write order, read through one open file no further than its size when opened.
   * Bytes after the last line break are never a record: half a line a crash left, or one a fetch is
   * writing right now (readers take no lock). A damaged line before it is an error. Compaction removes a
   * log it has folded into the base (which readers read after the log), so a reader holding the old log
   * still reads all of it.
   */
  private async *readLog(source: SourceName, table: TableName): AsyncGenerator<Record<string, unknown>> {
    const path = this.logPath(source, table);
    const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (!handle) return;
    try {
      const size = (await handle.stat()).size;
      if (size === 0) return;
      let rest: Buffer = Buffer.alloc(0);
      let number = 0;
      for await (const chunk of handle.createReadStream({ start: 0, end: size - 1, highWaterMark: 256 * 1024, autoClose: false })) {
        const bytes = rest.length > 0 ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
        let from = 0;
        for (let newline = bytes.indexOf(0x0a, from); newline >= 0; newline = bytes.indexOf(0x0a, from)) {
          number++;
          if (newline > from) yield this.parseLogLine(path, source, bytes.toString('utf8', from, newline), number);
          from = newline + 1;
        }
        rest = bytes.subarray(from);
      }
    } finally {
      await handle.close();
    }
  }

  private parseLogLine(path: string, source: SourceName, line: string, number: number): Record<string, unknown> {
    try {
      const record = JSON.parse(line) as Record<string, unknown>;
      if (typeof record.id !== 'string' || typeof record.version !== 'number') throw new Error('no id/version');
      return record;
    } catch {
      throw new StateError(`${path}:${number}: damaged record in the cache log`, {
        hint: `delete ${this.sourceDir(source)} and fetch again with --full`,
      });
    }
  }

  /** Newest version per id, base and log together, in a stable order (by id). */
  async readAll<T extends TableName>(source: SourceName, table: T): Promise<TableRecord[T][]> {
    const out: TableRecord[T][] = [];
    for await (const record of this.records(source, table)) out.push({ source, ...record } as unknown as TableRecord[T]);
    return out;
  }

  /**
   * Newest version per id, base and log together, one at a time in id order (UTF-16 code units). The
   * base is read in slices and a large log is sorted on disk, so the table never has to fit in memory.
   * On equal versions the later write wins (the log is later than the base). `where` keeps only the
   * records whose `column` (a dictionary column) holds one of `values`.
   */
  async *records(source: SourceName, table: TableName, where?: Where): AsyncGenerator<Record<string, unknown>> {
    for await (const entry of this.entries(source, table, where)) {
      if ('record' in entry) yield entry.record;
      else for (const row of entry.rows) yield rowToRecord(TABLE_SPECS[table], entry.columns, row);
    }
  }

  /**
   * What `records` yields, with the base rows no log record touches handed over as row numbers of the
   * base, a run at a time (an await per row would cost more than the rows).
   */
  private async *entries(source: SourceName, table: TableName, where?: Where): AsyncGenerator<Entry> {
    const wanted = (record: Record<string, unknown>) => !where || where.values.has(record[where.column] as string);
    const wantedCodes = new WeakMap<string[], Set<number>>();
    const log = new ExternalSorter<Record<string, unknown>>({
      dir: this.readOnly ? tmpdir() : this.sourceDir(source),
      compare: (a, b) => byString(a.id as string, b.id as string),
      // A parsed record of ten-odd fields: about 600 bytes of heap.
      weigh: () => 600,
      budget: 32 * 1024 * 1024,
    });
    try {
      for await (const record of this.readLog(source, table)) await log.add(record);
      const fromLog = log.sorted();
      let next = await fromLog.next();
      const newest = async (current: Record<string, unknown>) => {
        while (!next.done && next.value.id === current.id) {
          if ((next.value.version as number) >= (current.version as number)) current = next.value;
          next = await fromLog.next();
        }
        return current;
      };
      for await (const { columns, order } of this.baseInIdOrder(source, table)) {
        const ids = columns.data.id as DictColumn;
        const skip = where && unwantedRows(columns, where, wantedCodes);
        let rows: number[] = [];
        for (const row of order) {
          const id = ids.dict[ids.codes[row]];
          if (next.done || (next.value.id as string) > id) {
            // The log has no other version: the row stands (and one the filter rules out is not read).
            if (!skip?.(row)) rows.push(row);
            continue;
          }
          if (rows.length > 0) yield { columns, rows };
          rows = [];
          while (!next.done && (next.value.id as string) < id) {
            const record = await newest(next.value);
            if (wanted(record)) yield { record };
          }
          if (next.done || next.value.id !== id) {
            if (!skip?.(row)) rows.push(row);
            continue;
          }
          const record = await newest(rowToRecord(TABLE_SPECS[table], columns, row));
          if (wanted(record)) yield { record };
        }
        if (rows.length > 0) yield { columns, rows };
      }
      while (!next.done) {
        const record = await newest(next.value);
        if (wanted(record)) yield { record };
      }
    } finally {
      await log.dispose();
    }
  }

  /**
   * Folds the log into the base. Safe to repeat and safe to interrupt: the base is replaced atomically
   * before the log is emptied, and replaying a log over a base that already holds it changes nothing.
   */
  async compact(source: SourceName): Promise<void> {
    this.writable('compact');
    for (const table of TABLES) {
      const log = this.logPath(source, table);
      if ((await this.logSize(source, table)) <= 0) continue;
      await writeColumns(this.basePath(source, table), TABLE_SPECS[table], await this.fold(source, table), { uniqueSortedBy: 'id' });
      await this.noteBase(source, table);
      crashPoint('compact');
      // Removed, not cut: a reader that opened it reads on from its open file, then the new base.
      await rm(log, { force: true });
    }
  }

  /** Base and log together as columns in id order, newest version per id. */
  private async fold(source: SourceName, table: TableName): Promise<Columns> {
    const columns = new ColumnsBuilder(TABLE_SPECS[table], 'id');
    for await (const entry of this.entries(source, table)) {
      if ('record' in entry) columns.add(entry.record);
      else for (const row of entry.rows) columns.addRow(entry.columns, row);
    }
    return columns.finish();
  }

  private logSize(source: SourceName, table: TableName): Promise<number> {
    return stat(this.logPath(source, table)).then((s) => s.size, () => 0);
  }

  /**
   * The columns of a table for compute and checks, the log included: a writer compacts first; a reader
   * folds the log in memory once (later calls for the same table see the same rows) and writes nothing.
   */
  async loadColumns(source: SourceName, table: TableName, names: string[]): Promise<Columns | undefined> {
    const whole = await this.withLog(source, table);
    if (!whole) return this.readBase(source, table, names);
    return { rows: whole.rows, data: Object.fromEntries(names.map((name) => [name, whole.data[name]])) };
  }

  /**
   * Per slot of `ids`, the row (as `loadColumns` numbers them) of the record of `table` with that id, or
   * -1. From a base on disk, without making a string of every id (`rowsOfDictValues`).
   */
  async rowsOfIds(source: SourceName, table: TableName, ids: StringIndex): Promise<Int32Array> {
    const whole = await this.withLog(source, table);
    if (whole) {
      const column = whole.data.id as DictColumn;
      const rows = new Int32Array(ids.size).fill(-1);
      for (let r = 0; r < whole.rows; r++) {
        const slot = column.codes[r] >= 0 ? ids.find(column.dict[column.codes[r]]) : -1;
        if (slot >= 0) rows[slot] = r;
      }
      return rows;
    }
    try {
      return await rowsOfDictValues(this.basePath(source, table), 'id', ids);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      // No base: no rows, or (readBase says so) a base the cache lost.
      await this.readBase(source, table, ['id']);
      return new Int32Array(ids.size).fill(-1);
    }
  }

  /** A reader's table with its log folded in (undefined when the base is the whole table), after a writer's compaction. */
  private async withLog(source: SourceName, table: TableName): Promise<Columns | undefined> {
    const key = `${source}/${table}`;
    let whole = this.folded.get(key);
    if (!whole && (await this.logSize(source, table)) > 0) {
      if (!this.readOnly) await this.compact(source);
      else this.folded.set(key, (whole = await this.fold(source, table)));
    }
    return whole;
  }

  async reset(source: SourceName): Promise<void> {
    this.writable('reset');
    await rm(this.sourceDir(source), { recursive: true, force: true });
    this.bases.delete(source);
    for (const table of TABLES) this.knownIds.delete(`${source}/${table}`);
  }

  async readState<S>(source: SourceName): Promise<S | undefined> {
    return this.readJson<S>(join(this.sourceDir(source), 'state.json'));
  }

  async writeState(source: SourceName, state: unknown): Promise<void> {
    this.writable('writeState');
    const path = join(this.sourceDir(source), 'state.json');
    // Serialized when the state is taken, so the last call's state is the one left on disk.
    const text = JSON.stringify(state, null, 2) + '\n';
    await serialized(path, async () => {
      await mkdir(this.sourceDir(source), { recursive: true });
      await writeFileAtomically(path, text);
      crashPoint('checkpoint');
    });
  }

  async putDimensions(source: SourceName, kind: DimensionKind, entries: readonly DimensionEntry[]): Promise<void> {
    this.writable('putDimensions');
    const path = join(this.sourceDir(source), 'dimensions.json');
    // A read-modify-write: concurrent calls (Square's locations at once) go one after the other.
    await serialized(path, async () => {
      const current = (await this.readJson<Dimensions>(path)) ?? {};
      const byId = new Map((current[kind] ?? []).map((e) => [e.id, e]));
      for (const entry of entries) byId.set(entry.id, entry);
      current[kind] = [...byId.values()];
      await mkdir(this.sourceDir(source), { recursive: true });
      await writeFileAtomically(path, JSON.stringify(current, null, 2) + '\n');
    });
  }

  async readDimensions(source: SourceName, kind: DimensionKind): Promise<DimensionEntry[]> {
    const all = await this.readJson<Dimensions>(join(this.sourceDir(source), 'dimensions.json'));
    return all?.[kind] ?? [];
  }

  /** Whether this source has anything in the cache at all. */
  async exists(source: SourceName): Promise<boolean> {
    return stat(this.sourceDir(source)).then(() => true, () => false);
  }

  /** A JSON file of the cache, or undefined when it does not exist; damaged JSON is a StateError (exit 8). */
  async readJson<T>(path: string): Promise<T | undefined> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new StateError(`${path}: not valid JSON (damaged or edited by hand)`, {
        hint: 'restore it from a backup, or delete the source folder under data/cache and fetch with --full',
      });
    }
  }
}

/**
 * Whether a row of `columns` fails `where`, from the dictionary codes alone (no record is built).
 * Slices share their dictionaries, so the wanted codes are found once per dictionary (`known`).
 */
function unwantedRows(columns: Columns, where: Where, known: WeakMap<string[], Set<number>>): (row: number) => boolean {
  const { codes, dict } = columns.data[where.column] as DictColumn;
  let wantedCodes = known.get(dict);
  if (!wantedCodes) {
    wantedCodes = new Set<number>();
    for (let code = 0; code < dict.length; code++) if (where.values.has(dict[code])) wantedCodes.add(code);
    known.set(dict, wantedCodes);
  }
  const found = wantedCodes;
  return (row) => !found.has(codes[row]);
}

function* rowNumbers(rows: number): Generator<number> {
  for (let i = 0; i < rows; i++) yield i;
}

/** Row numbers of a base in id order: bases are written sorted, so this is nearly always 0..n-1. */
function rowsById({ codes, dict }: DictColumn, rows: number): Int32Array {
  const order = new Int32Array(rows);
  let sorted = true;
  for (let i = 0; i < rows; i++) {
    order[i] = i;
    if (i > 0 && sorted) sorted = dict[codes[i - 1]] < dict[codes[i]];
  }
  if (!sorted) order.sort((a, b) => byString(dict[codes[a]], dict[codes[b]]));
  return order;
}
