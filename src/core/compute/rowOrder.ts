/**
 * Row order part: rows in customer_id order, so every run writes the same file for the same customers
 * and writers walk the columns front to back; then each purchase's row for the models.
 */
import type { Prepared } from './prepare.js';
import type { MasterColumnData, TextColumn } from './types.js';

/**
 * Reorders every column by customer_id (in place, one column at a time) and returns the new position of
 * each old row. The key is the id's first 52 bits (13 hex digits after `c_`), the full id breaking ties.
 */
export function sortRowsByCustomerId(columns: Record<string, MasterColumnData>, rows: number): Int32Array {
  const ids = columns.customer_id as TextColumn;
  const keys = new Float64Array(rows);
  const rowOfKey = new Map<number, number>();
  for (let k = 0; k < rows; k++) {
    keys[k] = parseInt(ids[k]!.slice(2, 15), 16);
    rowOfKey.set(keys[k], k);
  }
  let order: Int32Array;
  if (rowOfKey.size === rows) {
    // Distinct keys (all but certainly): a native numeric sort, then back to rows.
    const sorted = Float64Array.from(keys).sort();
    order = new Int32Array(rows);
    for (let i = 0; i < rows; i++) order[i] = rowOfKey.get(sorted[i])!;
  } else {
    order = Int32Array.from({ length: rows }, (_, i) => i);
    order.sort((a, b) => keys[a] - keys[b] || (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
  }
  const position = new Int32Array(rows);
  for (let i = 0; i < rows; i++) position[order[i]] = i;
  // new[i] = old[order[i]]: numbers and flags through one shared scratch array; text in place, cycle by
  // cycle, so no column is ever held twice.
  const numbers = new Float64Array(rows);
  const bytes = new Uint8Array(rows);
  const done = new Uint8Array(rows);
  for (const name of Object.keys(columns)) {
    const column = columns[name];
    if (column instanceof Float64Array) {
      for (let i = 0; i < rows; i++) numbers[i] = column[order[i]];
      column.set(numbers);
    } else if (column instanceof Uint8Array) {
      for (let i = 0; i < rows; i++) bytes[i] = column[order[i]];
      column.set(bytes);
    } else permuteTextInPlace(column, order, done);
  }
  return position;
}

function permuteTextInPlace(column: TextColumn, order: Int32Array, done: Uint8Array): void {
  done.fill(0);
  for (let start = 0; start < column.length; start++) {
    if (done[start]) continue;
    const first = column[start];
    let at = start;
    for (;;) {
      done[at] = 1;
      const from = order[at];
      if (from === start) {
        column[at] = first;
        break;
      }
      column[at] = column[from];
      at = from;
    }
  }
}

/**
 * For the models, per order: the (sorted) row whose purchase it is, or -1. `orderCluster` is done with
 * and becomes that map in place. A purchase of several parts is its first part, with the parts' amounts
 * summed (a copy of the amounts only when there are any).
 */
export function purchasesForModels(p: Prepared, position: Int32Array): { cluster: Int32Array; time: Float64Array; amountMinor: Float64Array } {
  const { orders } = p.input;
  const { isPurchase, leadOf, lead } = p;
  const cluster = p.orderCluster;
  for (let o = 0; o < orders.count; o++) {
    const c = cluster[o];
    cluster[o] = c >= 0 && isPurchase(o) && leadOf(o) === o ? position[c] : -1;
  }
  let amountMinor = orders.amountMinor;
  if (lead !== undefined) {
    amountMinor = Float64Array.from(orders.amountMinor);
    for (let o = 0; o < orders.count; o++) if (isPurchase(o) && lead[o] !== o) amountMinor[lead[o]] += orders.amountMinor[o];
  }
  return { cluster, time: orders.orderedAt, amountMinor };
}
