/**
 * Segments part: lifecycle, value tier and RFM for every customer, after the pass (they need the whole
 * population: quintiles, tier cut-offs), from the order metrics' columns.
 */
import { currencyDecimals } from '../currency.js';
import {
  lifecycleSegment,
  quintileEdges,
  rfmSegment,
  scoreHigherIsBetter,
  scoreLowerIsBetter,
  valueTier,
  valueTierCutoffs,
} from '../segments.js';
import { DAY_MS } from './shared.js';
import type { ComputeSettings, MasterColumnData, TextColumn } from './types.js';

export const SEGMENT_COLUMNS = ['lifecycle_segment', 'value_tier', 'rfm_score', 'rfm_segment'] as const;

/** `111` … `555`, made once: a million buyers share 125 strings instead of holding one each. */
const RFM_SCORES: string[] = [];
for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) for (let m = 1; m <= 5; m++) RFM_SCORES[r * 36 + f * 6 + m] = `${r}${f}${m}`;

export function fillSegments(columns: Record<string, MasterColumnData>, rows: number, settings: ComputeSettings): void {
  const asOf = settings.asOf;
  const count = columns.orders_count as Float64Array;
  const first = columns.first_order_at as Float64Array;
  const daysSinceLast = columns.days_since_last_order as Float64Array;
  const net = columns.net_revenue as Float64Array;
  const currency = columns.currency as TextColumn;
  const lifecycle = columns.lifecycle_segment as TextColumn;
  const tier = columns.value_tier as TextColumn;
  const rfmScore = columns.rfm_score as TextColumn;
  const rfmSeg = columns.rfm_segment as TextColumn;

  let buyers = 0;
  for (let k = 0; k < rows; k++) if (count[k] > 0) buyers++;
  const recency = new Float64Array(buyers);
  const frequency = new Float64Array(buyers);
  // Money is compared within one currency only: value tiers and the monetary score rank each
  // currency's buyers apart. A customer whose money is in several currencies has neither.
  const buyersByCurrency = new Map<string, number[]>();
  let j = 0;
  for (let k = 0; k < rows; k++) {
    const daysSinceFirst = count[k] > 0 ? Math.floor((asOf - first[k]) / DAY_MS) : NaN;
    lifecycle[k] = lifecycleSegment(count[k], daysSinceFirst, daysSinceLast[k], settings.lifecycle);
    if (count[k] > 0) {
      recency[j] = daysSinceLast[k];
      frequency[j++] = count[k];
      if (Number.isNaN(net[k])) continue;
      const code = currency[k] ?? '';
      const members = buyersByCurrency.get(code);
      if (members) members.push(k);
      else buyersByCurrency.set(code, [k]);
    }
  }
  const mScore = new Uint8Array(rows);
  for (const [code, members] of buyersByCurrency) {
    const monetary = Float64Array.from(members, (k) => net[k]);
    const cutoffs = valueTierCutoffs(monetary, settings.valueTiers, 10 ** currencyDecimals(code || undefined));
    const mEdges = quintileEdges(monetary);
    for (const k of members) {
      tier[k] = valueTier(net[k], cutoffs);
      mScore[k] = scoreHigherIsBetter(net[k], mEdges);
    }
  }
  const rEdges = quintileEdges(recency);
  const fEdges = quintileEdges(frequency);
  for (let k = 0; k < rows; k++) {
    if (count[k] === 0) continue;
    const r = scoreLowerIsBetter(daysSinceLast[k], rEdges);
    const f = scoreHigherIsBetter(count[k], fEdges);
    if (mScore[k] > 0) rfmScore[k] = RFM_SCORES[r * 36 + f * 6 + mScore[k]];
    rfmSeg[k] = rfmSegment(r, f);
  }
}
