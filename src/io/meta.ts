/** customer_analytics_master.meta.json, written by `ca merge`. */
import { readFile } from 'node:fs/promises';

export interface MasterMeta {
  schema_version: number;
  as_of: string;
  computed_at: string;
  written_at: string;
  row_count: number;
  sources: Record<string, { last_success_at?: string }>;
  model?: unknown;
  [key: string]: unknown;
}

export async function readMeta(path: string): Promise<MasterMeta | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as MasterMeta;
  } catch {
    return undefined;
  }
}
