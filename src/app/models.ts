/**
 * Fills p_alive, expected_orders_12m and predicted_clv_12m: BG/NBD and Gamma-Gamma fitted on every
 * buyer's purchase history as of the as-of time (weeks as the model period, same-day purchases as one,
 * as lifetimes does). Where the data cannot support a fit, the columns stay empty and a warning says why.
 */
import type { Context } from '../cli/context.js';
import type { ComputeResult } from '../core/compute.js';
import {
  bgnbdConditionalExpectedPurchases,
  bgnbdProbabilityAlive,
  fitBgNbd,
  fitGammaGamma,
  periodsPerMonth,
  predictClv,
  summarizeColumns,
  type BgNbdParams,
  type GammaGammaParams,
} from '../core/clv/index.js';

/** The model's time unit, in days. */
export const PERIOD_DAYS = 7;

export interface ModelReport {
  period_days: number;
  customers: number;
  repeat_buyers: number;
  bgnbd: { ok: true; params: BgNbdParams; log_likelihood: number } | { ok: false; reason: string };
  gamma_gamma?: { ok: true; params: GammaGammaParams; log_likelihood: number } | { ok: false; reason: string };
}

export interface ModelOutcome {
  warnings: string[];
  report?: ModelReport;
}

export function applyModels(result: ComputeResult, ctx: Context): ModelOutcome {
  const { master, purchases } = result;
  const settings = ctx.config.clv;
  const summary = summarizeColumns(purchases.cluster, purchases.time, purchases.amountMinor, {
    calibrationEnd: ctx.asOf,
    periodDays: PERIOD_DAYS,
    customerCount: master.rows,
  });
  let buyers = 0;
  let repeatBuyers = 0;
  for (let k = 0; k < master.rows; k++) {
    if (summary.present[k] !== 1) continue;
    buyers++;
    if (summary.frequency[k] > 0) repeatBuyers++;
  }
  const report: ModelReport = { period_days: PERIOD_DAYS, customers: buyers, repeat_buyers: repeatBuyers, bgnbd: { ok: false, reason: '' } };
  const history = { frequency: summary.frequency, recency: summary.recency, T: summary.T, include: summary.present };
  const bg = fitBgNbd(history, { minRepeatBuyers: settings.minRepeatBuyers });
  if (!bg.ok) {
    report.bgnbd = { ok: false, reason: bg.reason };
    return { warnings: [`no purchase model: ${bg.reason}; p_alive, expected_orders_12m and predicted_clv_12m stay empty`], report };
  }
  report.bgnbd = { ok: true, params: bg.params, log_likelihood: bg.logLikelihood };

  const pAlive = master.columns.p_alive as Float64Array;
  const expected = master.columns.expected_orders_12m as Float64Array;
  const clv = master.columns.predicted_clv_12m as Float64Array;
  const perMonth = periodsPerMonth(PERIOD_DAYS);
  const horizon = settings.horizonMonths * perMonth;
  for (let k = 0; k < master.rows; k++) {
    if (summary.present[k] !== 1) continue;
    const x = summary.frequency[k];
    const tx = summary.recency[k];
    const T = summary.T[k];
    pAlive[k] = bgnbdProbabilityAlive(bg.params, x, tx, T) ?? NaN;
    expected[k] = bgnbdConditionalExpectedPurchases(bg.params, horizon, x, tx, T) ?? NaN;
  }

  const warnings: string[] = [];
  const gg = fitGammaGamma({ frequency: summary.frequency, monetaryValue: summary.monetaryValue, include: summary.present }, { minRepeatBuyers: settings.minRepeatBuyers });
  if (!gg.ok) {
    report.gamma_gamma = { ok: false, reason: gg.reason };
    warnings.push(`no spend model: ${gg.reason}; predicted_clv_12m stays empty`);
    return { warnings, report };
  }
  report.gamma_gamma = { ok: true, params: gg.params, log_likelihood: gg.logLikelihood };
  const values = predictClv(bg.params, gg.params, summary, {
    periodsPerMonth: perMonth,
    months: settings.horizonMonths,
    monthlyDiscountRate: settings.monthlyDiscountRate,
  });
  for (let k = 0; k < master.rows; k++) {
    const v = values[k];
    // Amounts went in as minor units, so the prediction is in minor units too, as money columns are.
    if (summary.present[k] === 1 && v !== undefined) clv[k] = v;
  }
  return { warnings, report };
}
