/** customer_analytics_master.meta.json, written by `ca merge`. */
import { readFile } from 'node:fs/promises';

export interface MasterMeta {
  schema_version: number;
  /** What the schema version changed (from version 2). */
  schema_note?: string;
  /** The zone of every time in the CSVs, which are written without one (from version 2). */
  time_zone?: string;
  as_of: string;
  computed_at: string;
  written_at: string;
  row_count: number;
  sources: Record<string, { last_success_at?: string }>;
  model?: unknown;
  /** Per workbook (master, first_time_buyers): written, or the reason it was not (from version 2). */
  workbooks?: Record<string, { file: string; written: boolean; rows: number; reason?: string }>;
  [key: string]: unknown;
}

export async function readMeta(path: string): Promise<MasterMeta | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as MasterMeta;
  } catch {
    return undefined;
  }
}
