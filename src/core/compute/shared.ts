/** Small tools the parts of compute share: grouping, local days, month indexes, scratch sorting, modes. */
import { civilFromDays, DAY_MS, LocalCalendar } from '../localTime.js';
import { MASTER_COLUMNS } from '../masterColumns.js';
import type { MasterColumnData, TextColumn } from './types.js';

export { DAY_MS };

/** Groups item indexes by a key in 0..keys-1 (counting sort); `start[k]..start[k+1]` index `order`. */
export function groupBy(keyOf: Int32Array, keys: number): { start: Int32Array; order: Int32Array } {
  const start = new Int32Array(keys + 1);
  for (let i = 0; i < keyOf.length; i++) if (keyOf[i] >= 0) start[keyOf[i] + 1]++;
  for (let k = 0; k < keys; k++) start[k + 1] += start[k];
  const fill = start.slice(0, keys);
  const order = new Int32Array(start[keys]);
  for (let i = 0; i < keyOf.length; i++) {
    const k = keyOf[i];
    if (k >= 0) order[fill[k]++] = i;
  }
  return { start, order };
}

/**
 * Local day numbers per location, with the UTC offset of each location and UTC day kept in an array
 * (ten million orders fall on a few thousand days); days with a DST change ask the calendar each time.
 */
export class LocalDays {
  private readonly tables: Float64Array[] = [];
  private base = 0;

  constructor(
    private readonly calendar: LocalCalendar,
    private readonly locations: readonly { timeZone?: string }[],
  ) {}

  of(location: number, ms: number): number {
    const zone = location >= 0 ? this.locations[location].timeZone : undefined;
    if (!zone) return Math.floor(ms / DAY_MS);
    const utcDay = Math.floor(ms / DAY_MS);
    let table = this.tables[location];
    if (table === undefined) {
      this.base = this.base || utcDay - 6_000;
      table = this.tables[location] = new Float64Array(8_192).fill(NaN); // about 16 years back, 6 ahead
    }
    const slot = utcDay - this.base;
    if (slot < 0 || slot >= table.length) return this.calendar.dayNumber(zone, ms);
    let offset = table[slot];
    if (offset !== offset) {
      const start = this.calendar.offset(zone, utcDay * DAY_MS);
      const end = this.calendar.offset(zone, (utcDay + 1) * DAY_MS - 1000);
      offset = table[slot] = start === end ? start : Infinity;
    }
    if (offset === Infinity) return this.calendar.dayNumber(zone, ms);
    return Math.floor((ms + offset) / DAY_MS);
  }
}

/** Sorts the first `n` entries in place (insertion sort for the usual handful; native sort past that). */
export function sortPrefix<T extends Float64Array | Int32Array>(values: T, n: number): T {
  if (n > 32) {
    values.subarray(0, n).sort();
    return values;
  }
  for (let i = 1; i < n; i++) {
    const v = values[i];
    let j = i - 1;
    while (j >= 0 && values[j] > v) {
      values[j + 1] = values[j];
      j--;
    }
    values[j + 1] = v;
  }
  return values;
}

/** Most frequent value (ties: the one seen last, i.e. most recently when visited in time order). */
export class ModeCounter {
  private values: number[] = [];
  private counts: number[] = [];
  private lastSeen: number[] = [];

  reset(): void {
    this.values.length = 0;
    this.counts.length = 0;
    this.lastSeen.length = 0;
  }

  add(value: number, when: number): void {
    if (value < 0) return;
    const i = this.values.indexOf(value);
    if (i >= 0) {
      this.counts[i]++;
      this.lastSeen[i] = Math.max(this.lastSeen[i], when);
    } else {
      this.values.push(value);
      this.counts.push(1);
      this.lastSeen.push(when);
    }
  }

  get size(): number {
    return this.values.length;
  }

  mode(): number {
    let best = -1;
    for (let i = 0; i < this.values.length; i++) {
      if (best < 0 || this.counts[i] > this.counts[best] || (this.counts[i] === this.counts[best] && this.lastSeen[i] > this.lastSeen[best])) best = i;
    }
    return best < 0 ? -1 : this.values[best];
  }
}

/** year * 12 + month - 1 of a UTC time. */
export const monthIndex = (ms: number): number => {
  const [year, month] = civilFromDays(Math.floor(ms / DAY_MS));
  return year * 12 + month - 1;
};
export const monthLabel = (index: number): string => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;

/**
 * Every master column, empty, in the contract's order: text, list and phone columns as strings; booleans
 * as bytes (2 = empty); every other type as numbers (NaN = empty).
 */
export function emptyMasterColumns(rows: number): Record<string, MasterColumnData> {
  const columns: Record<string, MasterColumnData> = {};
  for (const { name, type } of MASTER_COLUMNS) {
    if (type === 'text' || type === 'list' || type === 'phone') columns[name] = new Array<string | undefined>(rows) as TextColumn;
    else if (type === 'boolean') columns[name] = new Uint8Array(rows).fill(2);
    else columns[name] = new Float64Array(rows).fill(NaN);
  }
  return columns;
}
