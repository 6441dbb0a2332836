/**
 * Transactions → per-customer (frequency, recency, T, monetary value), the input of BG/NBD and Gamma-Gamma,
 * following lifetimes' `summary_data_from_transaction_data` (specs/clv.md §4.1):
 * - times are cut into buckets (a day by default); purchases in the same bucket count once, amounts summed;
 * - frequency x = purchase buckets − 1 (repeat purchases); recency t_x = last − first bucket; T = end − first
 *   bucket; both in model periods of `periodDays` days (7 → weeks, as for CDNOW);
 * - monetary value = mean of the repeat buckets' summed amounts (first purchase excluded), 0 when x = 0;
 * - the calibration end is floored to its bucket and that bucket is inside the window (CDNOW: 1997-09-30).
 * With a holdout end, also the number of purchase buckets in (calibration end, holdout end] per customer,
 * as `calibration_and_holdout_data` gives `frequency_holdout`.
 */
import { DAY_MS } from '../localTime.js';

/** Row marker for transactions that are invalid or after the last window. */
const SKIP = -2147483648;

export interface SummaryOptions {
  /** Last instant of the calibration window (epoch ms); the whole bucket containing it is included. */
  calibrationEnd: number;
  /** Model time unit in days: 1 = days (default), 7 = weeks. */
  periodDays?: number;
  /** Purchases within one bucket of this many days count once. Default 1 (a calendar day). */
  bucketDays?: number;
  /** Added to epoch ms before cutting days, so buckets follow the shop's calendar (UTC offset). Default 0. */
  utcOffsetMs?: number;
  /** For bucketDays > 1: an epoch day (days since 1970-01-01) on which a bucket starts. Default 4, a Monday, as pandas weekly periods. */
  bucketAnchorDay?: number;
  /** End of a holdout window (epoch ms, whole bucket included) after the calibration end. */
  holdoutEnd?: number;
  /** Number of customers (indices 0..customerCount−1); default max index + 1. */
  customerCount?: number;
}

export interface SummaryColumns {
  customerCount: number;
  /** 1 when the customer bought inside the calibration window; other customers are all zeros and must be left out of fits. */
  present: Uint8Array;
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  /** Mean repeat-purchase amount, in the amounts' unit (minor units for canonical orders). */
  monetaryValue: Float64Array;
  /** Purchase buckets in the holdout window; only with `holdoutEnd`. */
  holdoutFrequency?: Float64Array;
  /** Holdout window length in periods; only with `holdoutEnd`. */
  holdoutDuration?: number;
  /** Rows ignored because the customer index, time or amount was not a valid number. */
  skippedRows: number;
}

function bucketer(options: SummaryOptions): (t: number) => number {
  const offset = options.utcOffsetMs ?? 0;
  const bucketDays = options.bucketDays ?? 1;
  const anchor = options.bucketAnchorDay ?? 4;
  if (bucketDays === 1) return (t) => Math.floor((t + offset) / DAY_MS);
  return (t) => Math.floor((Math.floor((t + offset) / DAY_MS) - anchor) / bucketDays);
}

function validateOptions(options: SummaryOptions): void {
  const periodDays = options.periodDays ?? 1;
  const bucketDays = options.bucketDays ?? 1;
  if (!Number.isFinite(options.calibrationEnd)) throw new RangeError('calibrationEnd must be epoch milliseconds');
  if (!(periodDays > 0)) throw new RangeError('periodDays must be positive');
  if (!(Number.isInteger(bucketDays) && bucketDays >= 1)) throw new RangeError('bucketDays must be a positive integer');
  if (options.holdoutEnd !== undefined && !(options.holdoutEnd >= options.calibrationEnd)) {
    throw new RangeError('holdoutEnd must not be before calibrationEnd');
  }
}

/**
 * Column form, for millions of rows: `customer[i]` is a customer index (any order), `time[i]` epoch ms,
 * `amount[i]` the amount (optional: monetary values are then 0).
 */
export function summarizeColumns(
  customer: Int32Array,
  time: Float64Array,
  amount: Float64Array | undefined,
  options: SummaryOptions,
): SummaryColumns {
  validateOptions(options);
  const n = customer.length;
  if (time.length !== n || (amount !== undefined && amount.length !== n)) {
    throw new RangeError('customer, time and amount columns must have the same length');
  }
  const bucketOf = bucketer(options);
  const scale = (options.bucketDays ?? 1) / (options.periodDays ?? 1);
  const calibrationEnd = bucketOf(options.calibrationEnd);
  const withHoldout = options.holdoutEnd !== undefined;
  const lastBucket = withHoldout ? bucketOf(options.holdoutEnd as number) : calibrationEnd;

  let customerCount = options.customerCount ?? 0;
  if (options.customerCount === undefined) {
    for (let i = 0; i < n; i++) if (customer[i] + 1 > customerCount) customerCount = customer[i] + 1;
  }

  const rowBucket = new Int32Array(n);
  const counts = new Int32Array(customerCount + 1);
  let skippedRows = 0;
  for (let i = 0; i < n; i++) {
    const c = customer[i];
    const t = time[i];
    if (c < 0 || c >= customerCount || !Number.isFinite(t) || (amount !== undefined && !Number.isFinite(amount[i]))) {
      rowBucket[i] = SKIP;
      skippedRows++;
      continue;
    }
    const b = bucketOf(t);
    if (b > lastBucket) {
      rowBucket[i] = SKIP;
      continue;
    }
    rowBucket[i] = b;
    counts[c + 1]++;
  }
  // Counting sort by customer: O(n), and unsorted input costs the same as sorted.
  const start = counts;
  for (let c = 0; c < customerCount; c++) start[c + 1] += start[c];
  const kept = start[customerCount];
  const groupedBucket = new Int32Array(kept);
  const groupedAmount = new Float64Array(amount === undefined ? 0 : kept);
  const cursor = start.slice(0, customerCount);
  for (let i = 0; i < n; i++) {
    const b = rowBucket[i];
    if (b === SKIP) continue;
    const at = cursor[customer[i]]++;
    groupedBucket[at] = b;
    if (amount !== undefined) groupedAmount[at] = amount[i];
  }

  const present = new Uint8Array(customerCount);
  const frequency = new Float64Array(customerCount);
  const recency = new Float64Array(customerCount);
  const T = new Float64Array(customerCount);
  const monetaryValue = new Float64Array(customerCount);
  const holdoutFrequency = withHoldout ? new Float64Array(customerCount) : undefined;

  for (let c = 0; c < customerCount; c++) {
    const s = start[c];
    const e = start[c + 1];
    if (s === e) continue;
    let first = groupedBucket[s];
    let sorted = true;
    for (let k = s + 1; k < e; k++) {
      const b = groupedBucket[k];
      if (b < groupedBucket[k - 1]) sorted = false;
      if (b < first) first = b;
    }
    if (first > calibrationEnd) continue;
    if (amount !== undefined) {
      let total = 0;
      let firstAmount = 0;
      for (let k = s; k < e; k++) {
        const b = groupedBucket[k];
        if (b > calibrationEnd) continue;
        total += groupedAmount[k];
        if (b === first) firstAmount += groupedAmount[k];
      }
      monetaryValue[c] = total - firstAmount; // divided by the repeat count below
    }
    if (!sorted) groupedBucket.subarray(s, e).sort();
    let calibrationBuckets = 0;
    let holdoutBuckets = 0;
    let last = first;
    let previous = SKIP;
    for (let k = s; k < e; k++) {
      const b = groupedBucket[k];
      if (b === previous) continue;
      previous = b;
      if (b <= calibrationEnd) {
        calibrationBuckets++;
        last = b;
      } else {
        holdoutBuckets++;
      }
    }
    present[c] = 1;
    const x = calibrationBuckets - 1;
    frequency[c] = x;
    recency[c] = (last - first) * scale;
    T[c] = (calibrationEnd - first) * scale;
    monetaryValue[c] = x > 0 ? monetaryValue[c] / x : 0;
    if (holdoutFrequency !== undefined) holdoutFrequency[c] = holdoutBuckets;
  }

  const result: SummaryColumns = { customerCount, present, frequency, recency, T, monetaryValue, skippedRows };
  if (holdoutFrequency !== undefined) {
    result.holdoutFrequency = holdoutFrequency;
    result.holdoutDuration = (lastBucket - calibrationEnd) * scale;
  }
  return result;
}

export interface Transaction {
  customerKey: string;
  /** Epoch ms. */
  time: number;
  amount?: number;
}

export interface SummaryRow {
  customerKey: string;
  frequency: number;
  recency: number;
  T: number;
  monetaryValue: number;
  /** Only with `holdoutEnd`. */
  holdoutFrequency?: number;
}

export interface Summary {
  /** One row per customer with a purchase in the calibration window, in order of first appearance in the input. */
  rows: SummaryRow[];
  holdoutDuration?: number;
  skippedRows: number;
}

/** Object form of {@link summarizeColumns}, for lists of transactions keyed by customer. */
export function summarize(transactions: readonly Transaction[], options: SummaryOptions): Summary {
  const index = new Map<string, number>();
  const keys: string[] = [];
  const n = transactions.length;
  const customer = new Int32Array(n);
  const time = new Float64Array(n);
  const amount = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const tx = transactions[i];
    let c = index.get(tx.customerKey);
    if (c === undefined) {
      c = keys.length;
      index.set(tx.customerKey, c);
      keys.push(tx.customerKey);
    }
    customer[i] = c;
    time[i] = tx.time;
    amount[i] = tx.amount ?? 0;
  }
  const cols = summarizeColumns(customer, time, amount, { ...options, customerCount: keys.length });
  const rows: SummaryRow[] = [];
  for (let c = 0; c < keys.length; c++) {
    if (cols.present[c] !== 1) continue;
    const row: SummaryRow = {
      customerKey: keys[c],
      frequency: cols.frequency[c],
      recency: cols.recency[c],
      T: cols.T[c],
      monetaryValue: cols.monetaryValue[c],
    };
    if (cols.holdoutFrequency !== undefined) row.holdoutFrequency = cols.holdoutFrequency[c];
    rows.push(row);
  }
  const summary: Summary = { rows, skippedRows: cols.skippedRows };
  if (cols.holdoutDuration !== undefined) summary.holdoutDuration = cols.holdoutDuration;
  return summary;
}
