/**
 * The PostgreSQL side of our columns: their SQL types and quoted names. Identifiers only ever come
 * from these fixed lists (never from a file or a user), and are still checked before use.
 */
import { DAILY_REPORT_COLUMNS, MASTER_COLUMNS } from '../core/masterColumns.js';
import type { CellType } from './pgCell.js';

export interface PgColumn {
  name: string;
  type: CellType;
}

const SQL_TYPES: Record<CellType, string> = {
  text: 'text',
  list: 'text[]',
  phone: 'text',
  timestamp: 'timestamptz',
  date: 'date',
  integer: 'integer',
  // numeric keeps the decimal exactly as written: money never passes through a float.
  money: 'numeric',
  number: 'numeric',
  boolean: 'boolean',
};

/** How `format_type()` spells each SQL type, to compare an existing table with what we expect. */
const FORMATTED_TYPES: Record<string, string> = {
  text: 'text',
  'text[]': 'text[]',
  timestamptz: 'timestamp with time zone',
  date: 'date',
  integer: 'integer',
  numeric: 'numeric',
  boolean: 'boolean',
  jsonb: 'jsonb',
};

export function sqlType(type: CellType): string {
  return SQL_TYPES[type];
}

export function formattedSqlType(sql: string): string {
  return FORMATTED_TYPES[sql] ?? sql;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

export function ident(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`refusing to use ${JSON.stringify(name)} as an SQL identifier`);
  return `"${name}"`;
}

export const CUSTOMER_TABLE = 'customer_analytics';
export const DAILY_TABLE = 'customer_analytics_daily';
export const RUNS_TABLE = 'customer_analytics_runs';
export const DAILY_VIEW = 'analytics_daily_by_location';
export const MIGRATIONS_TABLE = 'ca_schema_migrations';

export const CUSTOMER_COLUMNS: readonly PgColumn[] = MASTER_COLUMNS;

export const DAILY_COLUMNS: readonly PgColumn[] = DAILY_REPORT_COLUMNS;

/** Run-log fields as stored; `counts` and the whole line stay JSON. */
export const RUN_COLUMNS: readonly { name: string; sql: string }[] = [
  { name: 'run_id', sql: 'text' },
  { name: 'command', sql: 'text' },
  { name: 'started_at', sql: 'timestamptz' },
  { name: 'ended_at', sql: 'timestamptz' },
  { name: 'outcome', sql: 'text' },
  { name: 'error', sql: 'text' },
  { name: 'counts', sql: 'jsonb' },
  { name: 'record', sql: 'jsonb' },
];
