/**
 * One Square fetch: the API, the store, the sync state and the tallies every stream shares. The paged
 * streams run through the sync loop (`syncRun`, src/sources/syncLoop.ts); what runs outside it (the
 * customer lookups, the reconciliation) appends, then `checkpoint`s, which reports progress and only
 * then saves the state, so a fetch killed between the two re-reads that page next time.
 */
import type { DimensionEntry, DimensionKind, TableName, TableRecord } from '../../core/model.js';
import type { Logger } from '../../io/log.js';
import type { Store } from '../../io/store.js';
import type { SquareSettings } from './settings.js';
import type { SquareApi } from './squareApi.js';
import type { SquareState } from './state.js';

import type { StreamCounts } from '../fetchTypes.js';
import { addCounts, type SyncRun } from '../syncLoop.js';
import { DAY_MS } from '../../core/localTime.js';

export type StreamTally = StreamCounts;

export class SquareRun {
  readonly streams: Record<string, StreamTally> = {};
  /** The token may not read the catalog: services keep their ids as names (said once). */
  catalogForbidden = false;
  /** Customer lookups under way, by id (see `resolveUnknownCustomers`). */
  readonly customerLookups = new Map<string, Promise<void>>();
  /** Promises, so concurrent streams (locations listed at once) share one load. */
  private customers?: Promise<Map<string, { version: number; deleted: boolean }>>;
  private services?: Promise<Set<string>>;

  constructor(
    readonly api: SquareApi,
    readonly store: Store,
    readonly state: SquareState,
    readonly settings: SquareSettings,
    /** The run's "now": no bookmark passes it. */
    readonly startedAt: number,
    readonly log: Logger,
    readonly lookbackDays: number | undefined,
    private readonly progress?: (event: { stream: string; records: number }) => void,
  ) {}

  /** Updated-at windows end here, so records still invisible to search are left for the next run. */
  get safeEnd(): number {
    return this.startedAt - this.settings.safetyMarginSeconds * 1000;
  }

  /** `from`, moved back to cover `ca update --days=N` when that reaches further. */
  withLookback(from: number): number {
    return this.lookbackDays === undefined ? from : Math.min(from, this.startedAt - this.lookbackDays * DAY_MS);
  }

  tally(stream: string): StreamTally {
    return (this.streams[stream] ??= { added: 0, updated: 0, deleted: 0 });
  }

  async append<T extends TableName>(stream: string, table: T, records: TableRecord[T][]): Promise<void> {
    if (records.length > 0) addCounts(this.tally(stream), await this.appendRecords(table, records));
  }

  /** Appends (nothing for an empty page) and says what it stored; stored customers become known ones. */
  async appendRecords<T extends TableName>(table: T, records: TableRecord[T][]): Promise<StreamTally> {
    const stored: StreamTally = { added: 0, updated: 0, deleted: 0 };
    if (records.length === 0) return stored;
    const result = await this.store.append('square', table, records);
    stored.added = result.added;
    stored.updated = result.updated;
    if (table === 'customers') {
      const known = await this.knownCustomers();
      for (const record of records as TableRecord['customers'][]) {
        known.set(record.id, { version: record.version, deleted: record.deleted === true });
        if (record.deleted) stored.deleted++;
      }
    }
    return stored;
  }

  /** What the sync loop (src/sources/syncLoop.ts) needs to run `stream` in this fetch. */
  syncRun(stream: string): SyncRun {
    return {
      check: this.api.check,
      // A stream is in the summary once it stored something, as with `append`.
      tally: (stored, records) => {
        if (records > 0) addCounts(this.tally(stream), stored);
      },
      saveState: () => this.store.writeState('square', this.state),
      progress: this.progress,
    };
  }

  /** Reports the records `stream` just stored (an increment, as every fetcher does), then saves the state. */
  async checkpoint(stream: string, records: number): Promise<void> {
    this.progress?.({ stream, records });
    await this.store.writeState('square', this.state);
  }

  /** Customer ids in the store, with their version and whether they are tombstones. */
  async knownCustomers(): Promise<Map<string, { version: number; deleted: boolean }>> {
    this.customers ??= this.store
      .readAll('square', 'customers')
      .then((stored) => new Map(stored.map((c) => [c.id, { version: c.version, deleted: c.deleted === true }])));
    return this.customers;
  }

  async knownServices(): Promise<Set<string>> {
    this.services ??= this.store.readDimensions('square', 'services').then((entries) => new Set(entries.map((e) => e.id)));
    return this.services;
  }

  async putDimensions(kind: DimensionKind, entries: DimensionEntry[]): Promise<void> {
    const before = new Set((await this.store.readDimensions('square', kind)).map((e) => e.id));
    await this.store.putDimensions('square', kind, entries);
    const tally = this.tally(kind);
    for (const entry of entries) {
      if (before.has(entry.id)) tally.updated++;
      else tally.added++;
    }
  }
}
