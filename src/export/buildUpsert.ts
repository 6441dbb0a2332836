/**
 * A multi-row, fully parameterized INSERT … ON CONFLICT … DO UPDATE that writes a row only when it
 * actually differs (`IS DISTINCT FROM`, which treats NULLs as equal values), so re-exporting the same
 * data creates no new row versions and leaves `updated_at` alone.
 */
import { ident } from './pgColumns.js';

/** PostgreSQL's limit on parameters in one statement. */
export const MAX_PARAMETERS = 65535;

export interface UpsertSpec {
  table: string;
  /** Columns written from each row, in row order, with the SQL type each parameter is cast to. */
  columns: readonly { name: string; sql: string }[];
  /** The conflict key after `account` (all of them among `columns`). */
  key: readonly string[];
  /** Also clear `removed_at` (and count that as a change) when a row comes back. */
  clearsRemoved?: boolean;
  /** What RETURNING yields for each written row. */
  returning: string;
}

/**
 * `$1` is the account, shared by every row; rows' parameters start at `firstParameter` (later than 2
 * when the caller puts its own parameters first).
 */
export function buildUpsert(spec: UpsertSpec, rowCount: number, firstParameter = 2): string {
  const width = spec.columns.length;
  const rows: string[] = [];
  for (let row = 0; row < rowCount; row++) {
    const base = firstParameter + row * width;
    const cells = spec.columns.map((column, index) => `$${base + index}::${column.sql}`);
    rows.push(`($1, ${cells.join(', ')})`);
  }
  const key = new Set(spec.key);
  const changing = spec.columns.filter((column) => !key.has(column.name)).map((column) => ident(column.name));
  const assignments = changing.map((name) => `${name} = EXCLUDED.${name}`);
  assignments.push('updated_at = now()');
  if (spec.clearsRemoved) assignments.push('removed_at = NULL');
  let differs = `(${changing.map((name) => `t.${name}`).join(', ')}) IS DISTINCT FROM (${changing
    .map((name) => `EXCLUDED.${name}`)
    .join(', ')})`;
  if (spec.clearsRemoved) differs += ' OR t.removed_at IS NOT NULL';
  return (
    `INSERT INTO ${ident(spec.table)} AS t (account, ${spec.columns.map((column) => ident(column.name)).join(', ')}) ` +
    `VALUES ${rows.join(', ')} ` +
    `ON CONFLICT (account, ${spec.key.map(ident).join(', ')}) DO UPDATE SET ${assignments.join(', ')} ` +
    `WHERE ${differs} RETURNING ${spec.returning}`
  );
}

/** The largest batch whose parameters fit in one statement. */
export function maxRowsPerStatement(spec: UpsertSpec, fixedParameters: number): number {
  return Math.floor((MAX_PARAMETERS - fixedParameters) / spec.columns.length);
}
