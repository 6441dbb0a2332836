/**
 * The canonical store: what every source brought back, normalized, under `data/cache/<source>/`.
 *
 * Per table: an append-only log (`<table>.log`, one JSON record a line, fsynced before `append`
 * resolves) and a compacted columnar base (`<table>.col`). A record's key is its id within the
 * source; the highest `version` wins, and on equal versions the later write wins, so re-reading a page
 * is harmless. Sync state (`state.json`), names for ids (`dimensions.json`) and the tables that have a
 * base (`tables.json`) are replaced atomically.
 */
import { mkdir, open, readFile, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  DimensionEntry,
  DimensionKind,
  SourceName,
  TableName,
  TableRecord,
} from '../core/model.js';
import { writeFileAtomically } from './atomicFile.js';
import { columnsToRecords, readColumns, recordsToColumns, writeColumns, type Columns } from './columnar.js';
import { StateError } from './errors.js';
import { TABLE_SPECS } from './tableSpecs.js';

export const TABLES: readonly TableName[] = ['customers', 'orders', 'bookings'];

type Dimensions = Partial<Record<DimensionKind, DimensionEntry[]>>;

export class Store {
  /** Ids known per source/table, loaded on the first append, to tell added from updated. */
  private readonly knownIds = new Map<string, Set<string>>();
  /** Logs whose torn tail (from a crash mid-write) was already cut in this process. */
  private readonly repairedLogs = new Set<string>();
  private readonly bases = new Map<SourceName, Set<TableName>>();

  constructor(readonly cacheDir: string) {}

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
    if (records.length === 0) return { added: 0, updated: 0 };
    await mkdir(this.sourceDir(source), { recursive: true });
    const path = this.logPath(source, table);
    await this.repairTornTail(path);
    const known = await this.known(source, table);
    let added = 0;
    let updated = 0;
    const lines: string[] = [];
    for (const record of records) {
      const { source: _omit, ...stored } = record as TableRecord[T] & { source: SourceName };
      lines.push(JSON.stringify(stored));
      if (known.has(record.id)) updated++;
      else {
        added++;
        known.add(record.id);
      }
    }
    const handle = await open(path, 'a');
    try {
      await handle.write(lines.join('\n') + '\n');
      await handle.datasync();
    } finally {
      await handle.close();
    }
    return { added, updated };
  }

  /** A crash can leave half a line at the end of a log; cut it before appending after it. */
  private async repairTornTail(path: string): Promise<void> {
    if (this.repairedLogs.has(path)) return;
    this.repairedLogs.add(path);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      return;
    }
    if (size === 0) return;
    const text = await readFile(path);
    if (text[text.length - 1] === 0x0a) return;
    const lastNewline = text.lastIndexOf(0x0a);
    await truncate(path, lastNewline + 1);
  }

  private async known(source: SourceName, table: TableName): Promise<Set<string>> {
    const key = `${source}/${table}`;
    let set = this.knownIds.get(key);
    if (!set) {
      set = new Set<string>();
      const base = await this.readBase(source, table, ['id']);
      if (base) {
        const ids = base.data.id as { codes: Int32Array; dict: string[] };
        for (const id of ids.dict) set.add(id);
      }
      for (const record of await this.readLog(source, table)) set.add(record.id as string);
      this.knownIds.set(key, set);
    }
    return set;
  }

  private async readBase(source: SourceName, table: TableName, names?: string[]): Promise<Columns | undefined> {
    let columns: Columns;
    try {
      columns = await readColumns(this.basePath(source, table), names);
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
    await writeFileAtomically(join(this.sourceDir(source), 'tables.json'), JSON.stringify([...tables]) + '\n');
  }

  /** The log's records in write order. A torn last line is ignored; a damaged line elsewhere is an error. */
  private async readLog(source: SourceName, table: TableName): Promise<Record<string, unknown>[]> {
    const path = this.logPath(source, table);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const lines = text.split('\n');
    // The part after the last newline is empty, or a line torn by a crash: never read.
    const complete = lines.length - 1;
    const out: Record<string, unknown>[] = [];
    for (let i = 0; i < complete; i++) {
      const line = lines[i];
      if (line === '') continue;
      try {
        const record = JSON.parse(line) as Record<string, unknown>;
        if (typeof record.id !== 'string' || typeof record.version !== 'number') throw new Error('no id/version');
        out.push(record);
      } catch {
        throw new StateError(`${path}:${i + 1}: damaged record in the cache log`, {
          hint: `delete ${this.sourceDir(source)} and fetch again with --full`,
        });
      }
    }
    return out;
  }

  /** Newest version per id, base and log together, in a stable order (by id). */
  async readAll<T extends TableName>(source: SourceName, table: T): Promise<TableRecord[T][]> {
    const merged = await this.merged(source, table);
    return merged.map((record) => ({ source, ...record }) as unknown as TableRecord[T]);
  }

  private async merged(source: SourceName, table: TableName): Promise<Record<string, unknown>[]> {
    const byId = new Map<string, Record<string, unknown>>();
    const base = await this.readBase(source, table);
    if (base) {
      for (const record of columnsToRecords<Record<string, unknown>>(TABLE_SPECS[table], base)) {
        byId.set(record.id as string, record);
      }
    }
    for (const record of await this.readLog(source, table)) {
      const current = byId.get(record.id as string);
      if (!current || (record.version as number) >= (current.version as number)) byId.set(record.id as string, record);
    }
    return [...byId.values()].sort((a, b) => ((a.id as string) < (b.id as string) ? -1 : a.id === b.id ? 0 : 1));
  }

  /**
   * Folds the log into the base. Safe to repeat and safe to interrupt: the base is replaced atomically
   * before the log is emptied, and replaying a log over a base that already holds it changes nothing.
   */
  async compact(source: SourceName): Promise<void> {
    for (const table of TABLES) {
      const log = this.logPath(source, table);
      const size = await stat(log).then((s) => s.size, () => -1);
      if (size <= 0) continue;
      const records = await this.merged(source, table);
      await writeColumns(this.basePath(source, table), TABLE_SPECS[table], recordsToColumns(TABLE_SPECS[table], records));
      await this.noteBase(source, table);
      await truncate(log, 0);
    }
  }

  /** Loads the compacted columns of a table for compute (compacting first if the log holds records). */
  async loadColumns(source: SourceName, table: TableName, names: string[]): Promise<Columns | undefined> {
    const size = await stat(this.logPath(source, table)).then((s) => s.size, () => 0);
    if (size > 0) await this.compact(source);
    return this.readBase(source, table, names);
  }

  async reset(source: SourceName): Promise<void> {
    await rm(this.sourceDir(source), { recursive: true, force: true });
    this.bases.delete(source);
    for (const table of TABLES) this.knownIds.delete(`${source}/${table}`);
  }

  async readState<S>(source: SourceName): Promise<S | undefined> {
    return this.readJson<S>(join(this.sourceDir(source), 'state.json'));
  }

  async writeState(source: SourceName, state: unknown): Promise<void> {
    await mkdir(this.sourceDir(source), { recursive: true });
    await writeFileAtomically(join(this.sourceDir(source), 'state.json'), JSON.stringify(state, null, 2) + '\n');
  }

  async putDimensions(source: SourceName, kind: DimensionKind, entries: readonly DimensionEntry[]): Promise<void> {
    const path = join(this.sourceDir(source), 'dimensions.json');
    const current = (await this.readJson<Dimensions>(path)) ?? {};
    const byId = new Map((current[kind] ?? []).map((e) => [e.id, e]));
    for (const entry of entries) byId.set(entry.id, entry);
    current[kind] = [...byId.values()];
    await mkdir(this.sourceDir(source), { recursive: true });
    await writeFileAtomically(path, JSON.stringify(current, null, 2) + '\n');
  }

  async readDimensions(source: SourceName, kind: DimensionKind): Promise<DimensionEntry[]> {
    const all = await this.readJson<Dimensions>(join(this.sourceDir(source), 'dimensions.json'));
    return all?.[kind] ?? [];
  }

  /** Whether this source has anything in the cache at all. */
  async exists(source: SourceName): Promise<boolean> {
    return stat(this.sourceDir(source)).then(() => true, () => false);
  }

  private async readJson<T>(path: string): Promise<T | undefined> {
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
