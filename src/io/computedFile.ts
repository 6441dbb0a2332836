/**
 * What `ca compute` hands to `ca merge`: the master rows as a column file plus the reports as JSON,
 * under data/cache/computed/.
 */
import { mkdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChannelMonthRow, CohortRow, CurrencySummary, DailyRow, FirstTimeBuyer, MasterTable, TextColumn } from '../core/compute.js';
import { MASTER_COLUMNS } from '../core/masterColumns.js';
import { readColumns, writeColumns, type ColumnData, type ColumnSpec } from './columnar.js';
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

export async function writeComputed(dir: string, computed: Computed): Promise<void> {
  await mkdir(dir, { recursive: true });
  // The previous summary goes first: beside a new column file it would describe other rows (a run
  // killed between the two writes would leave merge a mix of two computes).
  await unlink(join(dir, 'computed.json')).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  const data: Record<string, ColumnData> = {};
  for (const spec of SPECS) {
    const column = computed.master.columns[spec.name];
    data[spec.name] = column;
  }
  await writeColumns(join(dir, 'master.col'), SPECS, { rows: computed.master.rows, data });
  // Written last: its presence says the column file beside it is complete and matches.
  await writeFileAtomically(join(dir, 'computed.json'), JSON.stringify(computed.summary));
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
    columns[spec.name] = file.data[spec.name] as TextColumn | Float64Array | Uint8Array;
  }
  return { master: { rows: file.rows, columns }, summary };
}
