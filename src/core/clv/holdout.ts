import { conditionalExpectedPurchases, expectedPurchasesIfAlive, probabilityAlive, type PurchaseModel } from './purchaseModel.js';

/**
 * Calibration vs holdout check (lifetimes' `plot_calibration_purchases_vs_holdout_purchases`): customers
 * grouped by their calibration repeat purchases 0, 1, …, `lastGroup`+ with the mean actual and the mean
 * predicted purchases in the holdout window. A model that fits tracks the actual column closely.
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
  model: PurchaseModel,
  data: HoldoutInput,
  options: { lastGroup?: number } = {},
): HoldoutGroup[] {
  const lastGroup = options.lastGroup ?? 7;
  const customers = new Float64Array(lastGroup + 1);
  const actual = new Float64Array(lastGroup + 1);
  const predicted = new Float64Array(lastGroup + 1);
  const predictedCount = new Float64Array(lastGroup + 1);
  const n = data.frequency.length;
  // With one holdout length for all, E[purchases | alive] depends on (x, T) only: computed once per pair
  // (a million customers share a few thousand), as conditionalExpectedPurchases multiplies it.
  const ifAliveByXT = new Map<number, Map<number, number | undefined>>();
  const expected = (x: number, tx: number, T: number): number | undefined => {
    const alive = probabilityAlive(model, x, tx, T);
    if (alive === undefined) return undefined;
    let byT = ifAliveByXT.get(x);
    if (byT === undefined) {
      byT = new Map();
      ifAliveByXT.set(x, byT);
    }
    let ifAlive = byT.get(T);
    if (ifAlive === undefined && !byT.has(T)) {
      ifAlive = expectedPurchasesIfAlive(model, data.holdoutDuration as number, x, T);
      byT.set(T, ifAlive);
    }
    return ifAlive === undefined ? undefined : alive * ifAlive;
  };
  for (let i = 0; i < n; i++) {
    if (data.include !== undefined && data.include[i] !== 1) continue;
    const x = data.frequency[i];
    if (!(x >= 0) || !Number.isFinite(x)) continue;
    const group = Math.min(Math.floor(x), lastGroup);
    const duration = typeof data.holdoutDuration === 'number' ? data.holdoutDuration : data.holdoutDuration[i];
    customers[group]++;
    actual[group] += data.holdoutFrequency[i];
    const p = typeof data.holdoutDuration === 'number' ? expected(x, data.recency[i], data.T[i]) : conditionalExpectedPurchases(model, duration, x, data.recency[i], data.T[i]);
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

/**
 * How far a model's holdout predictions are from what happened, as one number: Σ over the groups of
 * |customers × (mean predicted − mean actual)| / customers, i.e. the purchases the model gets wrong per
 * customer once each group's errors have netted out. Group means, not single customers: one customer's
 * purchases are mostly Poisson noise that no model predicts, a group's mean is what the check shows.
 * undefined when a group has no prediction.
 */
export function holdoutError(groups: HoldoutGroup[]): number | undefined {
  let customers = 0;
  let error = 0;
  for (const g of groups) {
    if (g.meanPredicted === undefined) return undefined;
    customers += g.customers;
    error += g.customers * Math.abs(g.meanPredicted - g.meanActual);
  }
  return customers > 0 ? error / customers : undefined;
}
