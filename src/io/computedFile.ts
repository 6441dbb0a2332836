/**
 * What `ca compute` hands to `ca merge`: the master rows as a column file plus the reports as JSON,
 * under data/cache/computed/.
 */
import { mkdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChannelMonthRow, CohortRow, CurrencySummary, DailyRow, FirstTimeBuyer, MasterTable, TextColumn } from '../core/compute.js';
import { MASTER_COLUMNS } from '../core/masterColumns.js';
import { encodeDict, readColumns, writeColumns, type ColumnData, type ColumnSpec, type DictColumn } from './columnar.js';
import { writeFileAtomically } from './atomicFile.js';
import { StateError } from './errors.js';

export interface ComputedSummary {
  asOf: number;
  computedAt: number;
  counts: Record<string, number>;
  warnings: string[];
  firstTimeBuyers: FirstTimeBuyer[];
  daily: DailyRow[];
  cohorts: CohortRow[];
  revenueByMonthAndChannel: ChannelMonthRow[];
  /** Absent in what an older `ca compute` wrote. */
  currencies?: CurrencySummary;
  model?: unknown;
  /** The holdout check the model choice ran (`model.choice.holdout_weeks`), for the report; absent in older files or when none ran. */
  holdout?: unknown[];
  settings: unknown;
}

export interface Computed {
  master: MasterTable;
  summary: ComputedSummary;
}

const SPECS: ColumnSpec[] = MASTER_COLUMNS.map((c) => ({
  name: c.name,
  type: c.type === 'text' || c.type === 'list' || c.type === 'phone' ? 'text' : c.type === 'boolean' ? 'bool' : 'f64',
}));

/** Text columns with at most this many distinct values are written as a dictionary. */
const DICTIONARY_LIMIT = 4096;

export async function writeComputed(dir: string, computed: Computed): Promise<void> {
  await mkdir(dir, { recursive: true });
  // The previous summary goes first: beside a new column file it would describe other rows (a run
  // killed between the two writes would leave merge a mix of two computes).
  await unlink(join(dir, 'computed.json')).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  const data: Record<string, ColumnData> = {};
  const specs: ColumnSpec[] = [];
  for (const spec of SPECS) {
    const column = computed.master.columns[spec.name];
    // A text column of few distinct values (segments, channels, locations, currencies) as codes into a
    // dictionary: merge then reads a few strings and an array of codes instead of a million JSON strings.
    // Ids, names and e-mails, with more distinct values than DICTIONARY_LIMIT, stay JSON text.
    const dictionary = spec.type === 'text' ? encodeDict(column as TextColumn, DICTIONARY_LIMIT) : undefined;
    specs.push(dictionary ? { name: spec.name, type: 'dict' } : spec);
    data[spec.name] = dictionary ?? column;
  }
  await writeColumns(join(dir, 'master.col'), specs, { rows: computed.master.rows, data });
  // Written last: its presence says the column file beside it is complete and matches.
  await writeFileAtomically(join(dir, 'computed.json'), JSON.stringify(computed.summary));
}

function isDictColumn(column: ColumnData | undefined): column is DictColumn {
  return column !== undefined && !Array.isArray(column) && !ArrayBuffer.isView(column);
}

/** A dictionary column back as the text column compute made. */
function fromDictionary(column: DictColumn): TextColumn {
  const { codes, dict } = column;
  const text: TextColumn = new Array(codes.length);
  for (let k = 0; k < codes.length; k++) text[k] = codes[k] < 0 ? undefined : dict[codes[k]];
  return text;
}

/** Amounts left empty (NaN: currencies that met) are written to JSON as null; they read back as NaN. */
const EMPTY_MONEY_FIELDS = new Set(['revenueMinor', 'firstOrderAmountMinor']);
function reviveEmptyMoney(key: string, value: unknown): unknown {
  return value === null && EMPTY_MONEY_FIELDS.has(key) ? NaN : value;
}

export async function readComputed(dir: string): Promise<Computed> {
  let summary: ComputedSummary;
  try {
    summary = JSON.parse(await readFile(join(dir, 'computed.json'), 'utf8'), reviveEmptyMoney) as ComputedSummary;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new StateError('nothing computed yet', { hint: 'run `ca compute` first (or `ca update`)' });
    }
    throw new StateError(`${join(dir, 'computed.json')}: damaged (${(error as Error).message})`, { hint: 'run `ca compute` again' });
  }
  const file = await readColumns(join(dir, 'master.col'));
  const columns: MasterTable['columns'] = {};
  for (const spec of SPECS) {
    const column = file.data[spec.name];
    // Text columns come as JSON text or, when they have few values, as a dictionary (writeComputed).
    columns[spec.name] = isDictColumn(column) ? fromDictionary(column) : (column as TextColumn | Float64Array | Uint8Array);
  }
  return { master: { rows: file.rows, columns }, summary };
}
