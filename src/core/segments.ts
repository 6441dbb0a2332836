/**
 * Segment rules (docs/segments.md explains them to users). All pure; thresholds come from config.
 */

export interface LifecycleThresholds {
  /** First purchase at most this many days before the as-of time: NEW. */
  newDays: number;
  /** Last purchase at most this many days ago: ACTIVE. */
  activeDays: number;
  /** Last purchase at most this many days ago: AT_RISK; older: LOST. */
  lostDays: number;
}

export type LifecycleSegment = 'PROSPECT' | 'NEW' | 'ACTIVE' | 'AT_RISK' | 'LOST';

export function lifecycleSegment(
  ordersCount: number,
  daysSinceFirstOrder: number,
  daysSinceLastOrder: number,
  t: LifecycleThresholds,
): LifecycleSegment {
  if (ordersCount === 0) return 'PROSPECT';
  if (daysSinceFirstOrder <= t.newDays) return 'NEW';
  if (daysSinceLastOrder <= t.activeDays) return 'ACTIVE';
  if (daysSinceLastOrder <= t.lostDays) return 'AT_RISK';
  return 'LOST';
}

export type ValueTier = 'VIP' | 'HIGH' | 'MEDIUM' | 'LOW';

/**
 * `share`: VIP = the top `vip` share of buyers by net revenue, HIGH = down to the top `high` share,
 * MEDIUM = down to the top `medium` share, LOW = the rest; customers tied at a boundary share the higher
 * tier. `amount`: net revenue (major units) at least `vip` / `high` / `medium`.
 */
export interface ValueTierRules {
  method: 'share' | 'amount';
  vip: number;
  high: number;
  medium: number;
}

/** The net-revenue cut-offs (same unit as the values) for VIP, HIGH and MEDIUM. */
export function valueTierCutoffs(buyerValues: Float64Array, rules: ValueTierRules, minorPerMajor: number): [number, number, number] {
  if (rules.method === 'amount') {
    return [rules.vip * minorPerMajor, rules.high * minorPerMajor, rules.medium * minorPerMajor];
  }
  const sorted = Float64Array.from(buyerValues).sort().reverse();
  const n = sorted.length;
  const cut = (share: number) => (n === 0 ? Infinity : sorted[Math.min(n - 1, Math.max(0, Math.ceil(n * share) - 1))]);
  return [cut(rules.vip), cut(rules.high), cut(rules.medium)];
}

export function valueTier(value: number, cutoffs: [number, number, number]): ValueTier {
  if (value >= cutoffs[0]) return 'VIP';
  if (value >= cutoffs[1]) return 'HIGH';
  if (value >= cutoffs[2]) return 'MEDIUM';
  return 'LOW';
}

/** Quantile with linear interpolation between order statistics (numpy/pandas default, "type 7"). */
export function quantile(sortedAscending: Float64Array, q: number): number {
  const n = sortedAscending.length;
  if (n === 0) return NaN;
  // Rounded so that 9 * 0.6 is 5.4, not 5.3999…: a value equal to an edge must fall on its lower side.
  const position = Math.round((n - 1) * q * 1e9) / 1e9;
  const lower = Math.floor(position);
  const upper = Math.min(n - 1, lower + 1);
  return sortedAscending[lower] + (sortedAscending[upper] - sortedAscending[lower]) * (position - lower);
}

/** The 20/40/60/80 % quantiles of the values. */
export function quintileEdges(values: Float64Array): number[] {
  const sorted = Float64Array.from(values).sort();
  return [0.2, 0.4, 0.6, 0.8].map((q) => quantile(sorted, q));
}

/** 1 + the number of quintile edges the value lies above: 1 (lowest fifth) … 5 (highest fifth). Ties share a score. */
export function scoreHigherIsBetter(value: number, edges: number[]): number {
  let score = 1;
  for (const edge of edges) if (value > edge) score++;
  return score;
}

/** For recency in days: the most recent fifth scores 5. */
export function scoreLowerIsBetter(value: number, edges: number[]): number {
  return 6 - scoreHigherIsBetter(value, edges);
}

/** The RF grid of clv.md §6.2; the ten cells cover all 25 combinations. */
export function rfmSegment(r: number, f: number): string {
  if (r === 5 && f >= 4) return 'champions';
  if (r >= 3 && r <= 4 && f >= 4) return 'loyal_customers';
  if (r >= 4 && f >= 2 && f <= 3) return 'potential_loyalists';
  if (r === 5 && f === 1) return 'new_customers';
  if (r === 4 && f === 1) return 'promising';
  if (r === 3 && f === 3) return 'need_attention';
  if (r === 3 && f <= 2) return 'about_to_sleep';
  if (r <= 2 && f === 5) return 'cant_lose';
  if (r <= 2 && f >= 3) return 'at_risk';
  return 'hibernating';
}
