/** Writing and reading `customer_analytics_master.csv` in the contract's format. */
import { open } from 'node:fs/promises';
import { restoreInert } from '../core/csvSafety.js';
import type { MasterTable, TextColumn } from '../core/compute.js';
import { MASTER_COLUMNS, MASTER_COLUMN_NAMES, SOURCE_LIST_COLUMN } from '../core/masterColumns.js';
import { SOURCES, type SourceName } from '../core/model.js';
import { currencyDecimals } from '../core/currency.js';
import { AtomicFileWriter } from './atomicFile.js';
import { CsvBytes } from './csvBytes.js';
import { csvRecords } from './csvRecords.js';
import { BOM, csvLine } from './csvFormat.js';
import { sheetCellValue } from './typedCells.js';
import type { SheetColumn, SheetSpec, SheetValue } from './workbook.js';
import { StateError } from './errors.js';

/** Bytes gathered before a write to the file. */
const FLUSH_BYTES = 1 << 20;

/**
 * Writes master rows into a CsvBytes buffer, per column type. The columns are looked up once, not per
 * row: this runs for every cell of a million-row master.
 */
export class MasterRowWriter {
  /** Per column: its kind, and its data in the one list of that kind (so every access stays monomorphic). */
  private readonly kinds: number[];
  private readonly slot: number[];
  private readonly texts: TextColumn[] = [];
  private readonly bools: Uint8Array[] = [];
  private readonly numbers: Float64Array[] = [];
  private readonly decimals: number[];
  private readonly currency: TextColumn;

  constructor(table: MasterTable) {
    const kind = { text: 0, list: 0, boolean: 1, timestamp: 2, money: 3, integer: 4, number: 5, phone: 6 } as const;
    this.kinds = MASTER_COLUMNS.map((c) => kind[c.type]);
    this.slot = MASTER_COLUMNS.map((c, i) => {
      const data = table.columns[c.name];
      if (this.kinds[i] === 0 || this.kinds[i] === 6) return this.texts.push(data as TextColumn) - 1;
      if (this.kinds[i] === 1) return this.bools.push(data as Uint8Array) - 1;
      return this.numbers.push(data as Float64Array) - 1;
    });
    this.decimals = MASTER_COLUMNS.map((c) => c.decimals ?? 4);
    this.currency = table.columns.currency as TextColumn;
  }

  /** Row `k` without its line end (user columns may follow). */
  write(out: CsvBytes, k: number): void {
    const moneyDecimals = currencyDecimals(this.currency[k]);
    for (let c = 0; c < this.kinds.length; c++) {
      const kind = this.kinds[c];
      if (kind === 0) {
        out.text(this.texts[this.slot[c]][k]);
      } else if (kind === 6) {
        out.phone(this.texts[this.slot[c]][k]);
      } else if (kind === 1) {
        const v = this.bools[this.slot[c]][k];
        if (v === 1) out.ascii('true');
        else if (v === 0) out.ascii('false');
        else out.empty();
      } else {
        const v = this.numbers[this.slot[c]][k];
        if (v !== v) out.empty(); // NaN
        else if (kind === 2) out.timestamp(v);
        else if (kind === 3) out.money(v, moneyDecimals);
        else if (kind === 4) out.integer(v);
        else out.decimal(v, this.decimals[c]);
      }
    }
  }
}

export interface UserColumns {
  names: string[];
  /** Values per old customer_id, in `names` order. */
  byCustomerId: Map<string, string[]>;
  /** `source:id` of every source record listed on an old row -> that row's customer_id. */
  customerIdBySourceRecord: Map<string, string>;
}

/** Reads the header of a master (undefined when there is no master yet). */
export async function readMasterHeader(path: string): Promise<string[] | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '');
    const end = text.search(/\r?\n/);
    const line = end < 0 ? text : text.slice(0, end);
    return line.split(',').map((h) => h.replace(/^"|"$/g, '').replace(/""/g, '"'));
  } finally {
    await handle.close();
  }
}

/** Columns a user added to an existing master, with their values, so a rewrite keeps them. */
export async function readUserColumns(path: string): Promise<UserColumns | undefined> {
  const header = await readMasterHeader(path);
  if (!header) return undefined;
  const names = header.filter((h) => !MASTER_COLUMN_NAMES.includes(h));
  if (names.length === 0) return { names, byCustomerId: new Map(), customerIdBySourceRecord: new Map() };
  if (!header.includes('customer_id')) {
    throw new StateError(`${path}: has no customer_id column, so the columns you added cannot be kept`, {
      hint: 'restore the customer_id column, or move the file away to start a fresh master',
    });
  }
  const byCustomerId = new Map<string, string[]>();
  const customerIdBySourceRecord = new Map<string, string>();
  // Where each column read is (a name twice: its last column, as a lookup by name has it); only those
  // columns are decoded.
  let idAt = -1;
  let namesAt: number[] = [];
  let listsAt: Array<[SourceName, number]> = [];
  const select = (columns: readonly string[]) => {
    idAt = columns.lastIndexOf('customer_id');
    namesAt = names.map((name) => columns.lastIndexOf(name));
    listsAt = SOURCES.map((source) => [source, columns.lastIndexOf(SOURCE_LIST_COLUMN[source])] as [SourceName, number]).filter(([, at]) => at >= 0);
    const read = new Set([idAt, ...namesAt, ...listsAt.map(([, at]) => at)]);
    return columns.map((_, i) => read.has(i));
  };
  try {
    for await (const fields of csvRecords(path, select)) {
      const id = fields[idAt];
      if (!id) continue;
      byCustomerId.set(id, namesAt.map((at) => (at < 0 ? '' : restoreInert(fields[at]))));
      for (const [source, at] of listsAt) {
        for (const ref of restoreInert(fields[at]).split(';')) {
          if (ref) customerIdBySourceRecord.set(`${source}:${ref}`, id);
        }
      }
    }
  } catch (error) {
    throw new StateError(`${path}: cannot be read to keep the columns you added (${(error as Error).message})`, {
      hint: 'fix the file, or move it away to start a fresh master',
    });
  }
  return { names, byCustomerId, customerIdBySourceRecord };
}

/**
 * The user-added values for master row `k`: those of the same customer_id, else those of the old rows
 * whose source records it now holds (after a merge), the older key's first, filling empty cells.
 */
export function userValuesFor(user: UserColumns, table: MasterTable, k: number): string[] {
  const id = (table.columns.customer_id as TextColumn)[k]!;
  const own = user.byCustomerId.get(id);
  const values = own ? [...own] : new Array<string>(user.names.length).fill('');
  if (values.every((v) => v !== '')) return values;
  for (const source of SOURCES) {
    for (const ref of ((table.columns[SOURCE_LIST_COLUMN[source]] as TextColumn)[k] ?? '').split(';')) {
      if (!ref) continue;
      const oldId = user.customerIdBySourceRecord.get(`${source}:${ref}`);
      const old = oldId && oldId !== id ? user.byCustomerId.get(oldId) : undefined;
      if (!old) continue;
      for (let i = 0; i < values.length; i++) if (values[i] === '') values[i] = old[i];
    }
  }
  return values;
}

export async function writeMaster(path: string, table: MasterTable, user: UserColumns | undefined): Promise<void> {
  const writer = await new AtomicFileWriter(path).open();
  try {
    const extra = user?.names ?? [];
    await writer.write(BOM + csvLine([...MASTER_COLUMN_NAMES, ...extra]));
    const rows = new MasterRowWriter(table);
    const out = new CsvBytes();
    for (let k = 0; k < table.rows; k++) {
      rows.write(out, k);
      if (extra.length > 0) for (const value of userValuesFor(user!, table, k)) out.text(value);
      out.endRow();
      if (out.length >= FLUSH_BYTES) await writer.writeBytes(out.take());
    }
    await writer.writeBytes(out.take());
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/**
 * The master as a typed sheet (src/io/workbook.ts): the same columns as the CSV, your columns after
 * them as text; values as the compute left them, not as the CSV spells them.
 */
export function masterSheet(table: MasterTable, user: UserColumns | undefined): SheetSpec {
  const extra = user?.names ?? [];
  const columns: SheetColumn[] = [
    ...MASTER_COLUMNS.map((c) => ({ name: c.name, type: c.type, decimals: c.decimals })),
    ...extra.map((name) => ({ name, type: 'text' as const })),
  ];
  const data = MASTER_COLUMNS.map((c) => table.columns[c.name]);
  const currency = table.columns.currency as TextColumn;
  return {
    name: 'customers',
    columns,
    rows: table.rows,
    row(k) {
      const code = currency[k] ?? '';
      const moneyDecimals = currencyDecimals(code);
      const values: SheetValue[] = new Array(columns.length);
      for (let c = 0; c < MASTER_COLUMNS.length; c++) {
        values[c] = sheetCellValue(MASTER_COLUMNS[c].type, data[c][k], moneyDecimals, MASTER_COLUMNS[c].decimals);
      }
      if (extra.length > 0) {
        const own = userValuesFor(user!, table, k);
        for (let i = 0; i < extra.length; i++) values[MASTER_COLUMNS.length + i] = own[i] || null;
      }
      return { values, currency: code, moneyDecimals };
    },
  };
}
