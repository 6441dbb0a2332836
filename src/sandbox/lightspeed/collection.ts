/**
 * One X-Series resource as the server keeps it: the current record per id plus a log of
 * (version, id) in version order, which is how `after`/`before` paging reads it. An edit appends a new
 * log entry; the older entry of the same id goes stale and is skipped.
 */

export interface WireRecord {
  id: string;
  version: number;
  deleted_at?: string | null;
  [field: string]: unknown;
}

export interface PageQuery {
  after: number;
  before?: number;
  pageSize: number;
  includeDeleted: boolean;
}

export class Collection {
  readonly byId = new Map<string, WireRecord>();
  private readonly versions: number[] = [];
  private readonly ids: string[] = [];

  /** Stores a new version of a record; versions must arrive in increasing order (one global counter). */
  put(record: WireRecord): void {
    const last = this.versions[this.versions.length - 1];
    if (last !== undefined && record.version <= last) throw new Error(`version ${record.version} is not after ${last}`);
    this.byId.set(record.id, record);
    this.versions.push(record.version);
    this.ids.push(record.id);
  }

  get(id: string): WireRecord | undefined {
    return this.byId.get(id);
  }

  get maxVersion(): number {
    let max = 0;
    for (const record of this.byId.values()) if (record.version > max) max = record.version;
    return max;
  }

  page(query: PageQuery): WireRecord[] {
    const out: WireRecord[] = [];
    for (let i = upperBound(this.versions, query.after); i < this.versions.length && out.length < query.pageSize; i++) {
      const version = this.versions[i];
      if (query.before !== undefined && version >= query.before) break;
      const record = this.byId.get(this.ids[i]);
      if (!record || record.version !== version) continue;
      if (!query.includeDeleted && record.deleted_at) continue;
      out.push(record);
    }
    return out;
  }

  all(): WireRecord[] {
    return [...this.byId.values()];
  }
}

/** Index of the first element greater than `value` in an ascending array. */
function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
