/**
 * The model check in words: whether the purchase model's predictions for the holdout period came within
 * a tolerance of what the customers actually did, over all of them and per group of customers.
 */
import { formatCount, formatDecimal, formatPercent } from './formatters.js';

/** Default tolerance: predicted and actual may differ by 20 % of the actual (`clv.holdoutTolerance`). */
export const DEFAULT_TOLERANCE = 0.2;
/** Groups smaller than this are too noisy to judge one by one (they still count in the total). */
export const MIN_GROUP_CUSTOMERS = 30;
/** A difference below this many purchases per customer is never called off (groups near zero). */
export const MIN_DIFFERENCE = 0.05;

export interface VerdictRow {
  purchases: string;
  customers: number;
  actual: number;
  predicted: number;
}

export interface ModelVerdict {
  ok: boolean;
  text: string;
}

function signed(share: number): string {
  return `${share >= 0 ? '+' : '−'}${formatPercent(Math.abs(share))}`;
}

export function modelVerdict(rows: readonly VerdictRow[], tolerance = DEFAULT_TOLERANCE): ModelVerdict | undefined {
  const judged = rows.filter((r) => Number.isFinite(r.predicted) && Number.isFinite(r.actual) && r.customers > 0);
  if (judged.length === 0) return undefined;
  let predicted = 0;
  let actual = 0;
  let customers = 0;
  for (const r of judged) {
    predicted += r.customers * r.predicted;
    actual += r.customers * r.actual;
    customers += r.customers;
  }
  const limit = formatPercent(tolerance);
  const overallDiff = predicted - actual;
  // Over everyone the share is what counts; with no actual purchases at all, more than MIN_DIFFERENCE each.
  const overallOff = actual > 0 ? Math.abs(overallDiff) > tolerance * actual : predicted / customers > MIN_DIFFERENCE;
  const overall =
    `the model predicted ${formatCount(predicted)} purchases in the holdout period and ${formatCount(actual)} happened` +
    (actual > 0 ? ` (${signed(overallDiff / actual)})` : '');
  const groupsOff = judged.filter(
    (r) => r.customers >= MIN_GROUP_CUSTOMERS && Math.abs(r.predicted - r.actual) > Math.max(tolerance * r.actual, MIN_DIFFERENCE),
  );
  if (!overallOff && groupsOff.length === 0) {
    return {
      ok: true,
      text: `Predicted and actual agree within ${limit}: ${overall}, and no group of ${MIN_GROUP_CUSTOMERS} or more customers is off by more than ${limit}.`,
    };
  }
  const parts: string[] = [];
  if (overallOff) parts.push(overall);
  for (const r of groupsOff) {
    const share = r.actual > 0 ? ` (${signed((r.predicted - r.actual) / r.actual)})` : '';
    parts.push(
      `customers with ${r.purchases} repeat purchases (${formatCount(r.customers)}): ${formatDecimal(r.predicted, 2)} predicted against ${formatDecimal(r.actual, 2)} actual per customer${share}`,
    );
  }
  const direction = overallOff ? (overallDiff > 0 ? 'likely too high' : 'likely too low') : 'off for some customers';
  return {
    ok: false,
    text:
      `Predicted and actual differ by more than ${limit}: ${parts.join('; ')}. ` +
      `The forecasts in the master (expected_orders_12m, predicted_clv_12m) are ${direction}; “ca report model” compares every candidate model.`,
  };
}
