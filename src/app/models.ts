/**
 * Fills p_alive, expected_orders_12m and predicted_clv_12m: BG/NBD and Gamma-Gamma fitted on every
 * buyer's purchase history as of the as-of time (weeks as the model period, same-day purchases as one,
 * as lifetimes does). Where the data cannot support a fit, the columns stay empty and a warning says why.
 */
import type { Context } from '../cli/context.js';
import type { ComputeResult, TextColumn } from '../core/compute.js';
import {
  bgnbdExpectedPurchasesIfAlive,
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
/** Repeat buyers the spend model is fitted on, at most. */
const GG_SAMPLE = 100_000;

export interface ModelReport {
  period_days: number;
  customers: number;
  repeat_buyers: number;
  bgnbd: { ok: true; params: BgNbdParams; log_likelihood: number } | { ok: false; reason: string };
  /** The spend model of the currency with the most repeat buyers. */
  gamma_gamma?: SpendFit;
  /** With buyers in more than one currency: the spend model of each (amounts are never fitted across currencies). */
  gamma_gamma_by_currency?: Record<string, SpendFit>;
}

type SpendFit = ({ ok: true; params: GammaGammaParams; log_likelihood: number } | { ok: false; reason: string }) & { currency?: string };

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
  // E[purchases | history] = P(alive) × E[purchases | alive]; the second factor depends on (x, T) only,
  // and a million customers share a few thousand (x, T) pairs, so it is computed once per pair.
  const ifAlive = new Map<number, number>();
  for (let k = 0; k < master.rows; k++) {
    if (summary.present[k] !== 1) continue;
    const x = summary.frequency[k];
    const tx = summary.recency[k];
    const T = summary.T[k];
    const alive = bgnbdProbabilityAlive(bg.params, x, tx, T);
    if (alive === undefined) continue;
    pAlive[k] = alive;
    const key = x * 1e7 + T;
    let future = ifAlive.get(key);
    if (future === undefined) {
      future = bgnbdExpectedPurchasesIfAlive(bg.params, horizon, x, T) ?? NaN;
      ifAlive.set(key, future);
    }
    expected[k] = alive * future;
  }

  const warnings: string[] = [];
  // Spend is modelled per currency: amounts in two currencies are never fitted together, and a customer
  // whose money is in several currencies (`currency` lists them) gets no predicted CLV.
  const currency = master.columns.currency as TextColumn;
  const repeatByCurrency = new Map<string, number>();
  for (let k = 0; k < master.rows; k++) {
    const code = currency[k];
    if (summary.present[k] !== 1 || code === undefined || code.includes(';')) continue;
    repeatByCurrency.set(code, (repeatByCurrency.get(code) ?? 0) + (summary.frequency[k] > 0 ? 1 : 0));
  }
  const codes = [...repeatByCurrency.keys()].sort((a, b) => repeatByCurrency.get(b)! - repeatByCurrency.get(a)! || (a < b ? -1 : 1));
  const fits: Record<string, SpendFit> = {};
  for (const code of codes) {
    const label = codes.length > 1 ? ` for ${code}` : '';
    // The spend model's likelihood does not compress (mean spend is continuous): past GG_SAMPLE repeat
    // buyers it is fitted on an even, deterministic sample of them, which pins three parameters just as well.
    const step = Math.max(1, Math.ceil(repeatByCurrency.get(code)! / GG_SAMPLE));
    const include = new Uint8Array(master.rows);
    for (let k = 0, seen = 0; k < master.rows; k++) {
      if (summary.present[k] !== 1 || currency[k] !== code) continue;
      if (summary.frequency[k] === 0 || seen++ % step === 0) include[k] = 1;
    }
    const gg = fitGammaGamma({ frequency: summary.frequency, monetaryValue: summary.monetaryValue, include }, { minRepeatBuyers: settings.minRepeatBuyers });
    if (!gg.ok) {
      fits[code] = { ok: false, reason: gg.reason, currency: code };
      warnings.push(`no spend model${label}: ${gg.reason}; predicted_clv_12m stays empty${label}`);
      continue;
    }
    fits[code] = { ok: true, params: gg.params, log_likelihood: gg.logLikelihood, currency: code };
    const values = predictClv(bg.params, gg.params, summary, {
      periodsPerMonth: perMonth,
      months: settings.horizonMonths,
      monthlyDiscountRate: settings.monthlyDiscountRate,
    });
    for (let k = 0; k < master.rows; k++) {
      const v = values[k];
      // Amounts went in as minor units, so the prediction is in minor units too, as money columns are.
      if (summary.present[k] === 1 && currency[k] === code && v !== undefined) clv[k] = v;
    }
  }
  if (codes.length > 0) report.gamma_gamma = fits[codes[0]];
  if (codes.length > 1) report.gamma_gamma_by_currency = fits;
  return { warnings, report };
}
