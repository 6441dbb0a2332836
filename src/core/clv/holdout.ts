import { bgnbdConditionalExpectedPurchases, type BgNbdParams } from './bgnbd.js';

/**
 * Calibration vs holdout check (lifetimes' `plot_calibration_purchases_vs_holdout_purchases`): customers
 * grouped by their calibration repeat purchases 0, 1, …, `lastGroup`+ with the mean actual and the mean
 * BG/NBD-predicted purchases in the holdout window. A model that fits tracks the actual column closely.
 */
export interface HoldoutGroup {
  /** Calibration repeat purchases; the last group holds this many or more. */
  calibrationPurchases: number;
  /** "0", "1", …, "7+". */
  label: string;
  customers: number;
  meanActual: number;
  /** Mean over the group's customers whose prediction is finite; undefined if none is. */
  meanPredicted: number | undefined;
}

export interface HoldoutInput {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
  /** Purchase periods in the holdout window (no −1: every holdout purchase is a repeat one). */
  holdoutFrequency: ArrayLike<number>;
  /** Holdout length in model periods, one for all or one per customer. */
  holdoutDuration: number | ArrayLike<number>;
  include?: ArrayLike<number>;
}

export function holdoutComparison(
  params: BgNbdParams,
  data: HoldoutInput,
  options: { lastGroup?: number } = {},
): HoldoutGroup[] {
  const lastGroup = options.lastGroup ?? 7;
  const customers = new Float64Array(lastGroup + 1);
  const actual = new Float64Array(lastGroup + 1);
  const predicted = new Float64Array(lastGroup + 1);
  const predictedCount = new Float64Array(lastGroup + 1);
  const n = data.frequency.length;
  for (let i = 0; i < n; i++) {
    if (data.include !== undefined && data.include[i] !== 1) continue;
    const x = data.frequency[i];
    if (!(x >= 0) || !Number.isFinite(x)) continue;
    const group = Math.min(Math.floor(x), lastGroup);
    const duration = typeof data.holdoutDuration === 'number' ? data.holdoutDuration : data.holdoutDuration[i];
    customers[group]++;
    actual[group] += data.holdoutFrequency[i];
    const p = bgnbdConditionalExpectedPurchases(params, duration, x, data.recency[i], data.T[i]);
    if (p !== undefined) {
      predicted[group] += p;
      predictedCount[group]++;
    }
  }
  const rows: HoldoutGroup[] = [];
  for (let g = 0; g <= lastGroup; g++) {
    if (customers[g] === 0) continue;
    rows.push({
      calibrationPurchases: g,
      label: g === lastGroup ? `${g}+` : String(g),
      customers: customers[g],
      meanActual: actual[g] / customers[g],
      meanPredicted: predictedCount[g] > 0 ? predicted[g] / predictedCount[g] : undefined,
    });
  }
  return rows;
}
