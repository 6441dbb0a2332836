/** What every API source's fetch takes and returns; `ca fetch` and `ca update` call them through this. */
import type { Dispatcher } from 'undici';
import type { SourceName } from '../core/model.js';
import type { Logger } from '../io/log.js';
import type { Store } from '../io/store.js';

export interface FetchOptions<Settings> {
  store: Store;
  /** The vendor's base URL, or a sandbox/proxy URL. */
  baseUrl: string;
  /** Goes into the Authorization header only. */
  token: string;
  /** Start over: drop the source's cached tables and state (after the credentials are checked). */
  full: boolean;
  /**
   * Re-read at least the changes of the last N days (`ca update --days=N`), where a source reads by time
   * (Square). A version-cursor source (Lightspeed) sees every change through its cursor and ignores it.
   */
  lookbackDays?: number;
  dispatcher?: Dispatcher;
  now: () => number;
  sleep?: (ms: number) => Promise<void>;
  log: Logger;
  /** Where records that fail their wire schema are listed; default: `rejects/` beside the cache folder. */
  rejectsDir?: string;
  /** Called after each saved bookmark (src/sources/syncLoop.ts) with the number of records read since the one before. */
  progress?: (event: { stream: string; records: number }) => void;
  settings?: Settings;
}

export interface StreamCounts {
  added: number;
  updated: number;
  deleted: number;
}

export interface FetchSummary {
  source: SourceName;
  streams: Record<string, StreamCounts>;
  requests: number;
  rateLimited: number;
  retries: number;
  /** Records that failed their wire schema and were set aside (listed in `rejectsFile`). */
  rejected: number;
  rejectsFile?: string;
}
