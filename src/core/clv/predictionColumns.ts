/**
 * Prediction part of compute: fills p_alive, expected_orders_12m and predicted_clv_12m after the pass,
 * with a purchase model (chosen or configured by `clv.model`, docs/models.md) and Gamma-Gamma fitted on
 * every buyer's purchase history as of the as-of time (weeks as the model period, same-day purchases as
 * one, as lifetimes does). Where the data cannot support a fit, the columns stay empty and a warning
 * says why.
 */
import { DAY_MS } from '../localTime.js';
import { fixedHistory, prepareCounting } from './countingFit.js';
import type { ComputeResult, TextColumn } from '../compute/types.js';
import {
  calibrationFamilies,
  chooseModel,
  fitGammaGamma,
  fitPurchaseModel,
  MODEL_LABELS,
  periodsPerMonth,
  predictClv,
  predictCustomers,
  summarizeColumns,
  type CandidateReport,
  type DropOutModelName,
  type GammaGammaParams,
  type HistoryColumns,
  type HoldoutInput,
  type HoldoutRow,
  type ModelChoice,
  type ModelSetting,
  type PurchaseModelFit,
  type PurchaseModelName,
} from './index.js';

/** The master columns this part fills. */
export const PREDICTION_COLUMNS = ['p_alive', 'expected_orders_12m', 'predicted_clv_12m'] as const;

/** `clv` of ca.config.json, and the as-of time. */
export interface PredictionSettings {
  asOf: number;
  model: ModelSetting;
  holdoutWeeks: number;
  minRepeatBuyers: number;
  horizonMonths: number;
  monthlyDiscountRate: number;
}

/** The model's time unit, in days. */
export const PERIOD_DAYS = 7;
/** Repeat buyers the spend model is fitted on, at most. */
const GG_SAMPLE = 100_000;

export interface ModelReport {
  period_days: number;
  customers: number;
  repeat_buyers: number;
  /** `clv.model`. */
  setting: ModelSetting;
  /** The model family chosen or configured (`model` is its NBD limit when the data show no drop-out). */
  family: DropOutModelName;
  /** The model behind p_alive and expected_orders_12m; null when none could be fitted. */
  model: PurchaseModelName | null;
  /** For people: "MBG/NBD", or "NBD (limit of BG/NBD)". */
  label: string;
  params?: Record<string, number>;
  log_likelihood?: number;
  /** Set when the model is the NBD limit: the boundary the chosen model ran to, in words. */
  limit?: string;
  /** Why there is no model, when `model` is null. */
  reason?: string;
  choice: {
    rule: ModelChoice['rule'];
    reason: string;
    /** The holdout period of the check, when one was run. */
    holdout_weeks?: number;
    candidates: CandidateReport[];
  };
  /** The spend model of the currency with the most repeat buyers. */
  gamma_gamma?: SpendFit;
  /** With buyers in more than one currency: the spend model of each (amounts are never fitted across currencies). */
  gamma_gamma_by_currency?: Record<string, SpendFit>;
}

type SpendFit = ({ ok: true; params: GammaGammaParams; log_likelihood: number } | { ok: false; reason: string }) & { currency?: string };

export interface ModelOutcome {
  warnings: string[];
  /** Lines for people watching `ca compute`: which model and why. */
  notes: string[];
  report: ModelReport;
  /** The holdout check (actual vs each candidate's predictions), when one was run. */
  holdout: HoldoutRow[];
}

export interface ModelRunOptions {
  /** Run the holdout check over this many weeks even when `clv.model` names one model (`ca report model`). */
  holdoutWeeks?: number;
}

export function modelLabel(fit: PurchaseModelFit): string {
  if (!fit.ok) return MODEL_LABELS[fit.family];
  return fit.model.name === 'nbd' ? `NBD (limit of ${MODEL_LABELS[fit.family]})` : MODEL_LABELS[fit.model.name];
}

/** The NBD limit for people: which boundary, and what it means for the columns. */
export function limitSentence(family: DropOutModelName, limit: string): string {
  return `${MODEL_LABELS[family]} ran to ${limit}; it converges to the NBD there: p_alive is 1 for every buyer, expected purchases (r + x)/(α + T) per week`;
}

const RULE_WORDS: Record<ModelChoice['rule'], string> = {
  configured: 'configured',
  holdout: 'chosen by the holdout check',
  likelihood: 'chosen by likelihood (BIC)',
};

/**
 * What the models are fitted on: every buyer's history as of the as-of time and, for a holdout check,
 * as of its calibration end with the purchases after it. Made before the fits, so that the calibration
 * fits can run elsewhere (src/app/models.ts fits them side by side on two threads).
 */
export interface ModelInputs extends WholeHistory, CalibrationHistory {}

export interface WholeHistory {
  summary: ReturnType<typeof summarizeColumns>;
  /** Marked fixed (countingFit.ts): every fit of it shares one compression. */
  history: HistoryColumns;
  buyers: number;
  repeatBuyers: number;
}

export interface CalibrationHistory {
  calibration: HoldoutInput | undefined;
  holdoutWeeks: number | undefined;
}

export function wholeHistory(result: Pick<ComputeResult, 'master' | 'purchases'>, settings: PredictionSettings): WholeHistory {
  const { master, purchases } = result;
  const summary = summarizeColumns(purchases.cluster, purchases.time, purchases.amountMinor, {
    calibrationEnd: settings.asOf,
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
  const history = fixedHistory({ frequency: summary.frequency, recency: summary.recency, T: summary.T, include: summary.present });
  return { summary, history, buyers, repeatBuyers };
}

export function calibrationHistory(
  result: Pick<ComputeResult, 'master' | 'purchases'>,
  settings: PredictionSettings,
  options: ModelRunOptions = {},
): CalibrationHistory {
  const { master, purchases } = result;
  const holdoutWeeks = options.holdoutWeeks ?? (settings.model === 'auto' ? settings.holdoutWeeks : undefined);
  if (holdoutWeeks === undefined) return { calibration: undefined, holdoutWeeks };
  const calibrated = summarizeColumns(purchases.cluster, purchases.time, undefined, {
    calibrationEnd: settings.asOf - holdoutWeeks * 7 * DAY_MS,
    holdoutEnd: settings.asOf,
    periodDays: PERIOD_DAYS,
    customerCount: master.rows,
  });
  const calibration = {
    frequency: calibrated.frequency,
    recency: calibrated.recency,
    T: calibrated.T,
    holdoutFrequency: calibrated.holdoutFrequency!,
    holdoutDuration: calibrated.holdoutDuration!,
    include: calibrated.present,
  };
  return { calibration, holdoutWeeks };
}

/** One calibration fit as `chooseModel` makes it: the same history and options give the same fit on any thread. */
export interface CalibrationFitJob {
  family: DropOutModelName;
  history: HistoryColumns;
  options: { minRepeatBuyers: number };
}

/** The calibration fits `chooseModel` will make for this calibration history (none without one). */
export function calibrationFitJobs(calibration: HoldoutInput | undefined, settings: PredictionSettings): CalibrationFitJob[] {
  if (calibration === undefined) return [];
  const history = { frequency: calibration.frequency, recency: calibration.recency, T: calibration.T, include: calibration.include };
  return calibrationFamilies(settings.model).map((family) => ({ family, history, options: { minRepeatBuyers: settings.minRepeatBuyers } }));
}

/** Compresses the whole history now (while a calibration fit runs elsewhere) for the fit of it later. */
export function prepareWholeHistoryFit(whole: WholeHistory): void {
  prepareCounting(whole.history);
}

export function runCalibrationFit(job: CalibrationFitJob): PurchaseModelFit {
  return fitPurchaseModel(job.family, job.history, job.options);
}

/**
 * Fits (or takes `calibrationFits`, made by `runCalibrationFit` of `calibrationFitJobs`) and fills the
 * prediction columns.
 */
export function fillPredictionsFrom(
  result: Pick<ComputeResult, 'master' | 'purchases'>,
  settings: PredictionSettings,
  inputs: ModelInputs,
  calibrationFits?: Partial<Record<DropOutModelName, PurchaseModelFit>>,
): ModelOutcome {
  const { master } = result;
  const { summary, history, calibration, holdoutWeeks, buyers, repeatBuyers } = inputs;
  const choice = chooseModel(history, calibration, { setting: settings.model, minRepeatBuyers: settings.minRepeatBuyers, calibrationFits });
  const fit = choice.fit;
  const report: ModelReport = {
    period_days: PERIOD_DAYS,
    customers: buyers,
    repeat_buyers: repeatBuyers,
    setting: settings.model,
    family: fit.family,
    model: fit.ok ? fit.model.name : null,
    label: modelLabel(fit),
    choice: { rule: choice.rule, reason: choice.reason, holdout_weeks: holdoutWeeks, candidates: choice.candidates },
  };
  const outcome: ModelOutcome = { warnings: [], notes: [], report, holdout: choice.holdout };
  if (!fit.ok) {
    report.reason = fit.reason;
    outcome.warnings.push(`no purchase model: ${fit.reason}; p_alive, expected_orders_12m and predicted_clv_12m stay empty`);
    return outcome;
  }
  const model = fit.model;
  report.params = { ...model.params };
  report.log_likelihood = fit.logLikelihood;
  report.limit = fit.limit;
  outcome.notes.push(`purchase model: ${report.label}, ${RULE_WORDS[choice.rule]} (${choice.reason})`);
  if (fit.limit !== undefined) outcome.notes.push(`purchase model: ${limitSentence(fit.family, fit.limit)}`);

  const pAlive = master.columns.p_alive as Float64Array;
  const expected = master.columns.expected_orders_12m as Float64Array;
  const clv = master.columns.predicted_clv_12m as Float64Array;
  const perMonth = periodsPerMonth(PERIOD_DAYS);
  // NaN where there is no prediction: an empty cell, as the columns start out.
  const predictions = predictCustomers(model, history, settings.horizonMonths * perMonth);
  pAlive.set(predictions.probabilityAlive);
  expected.set(predictions.expectedPurchases);

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
      outcome.warnings.push(`no spend model${label}: ${gg.reason}; predicted_clv_12m stays empty${label}`);
      continue;
    }
    fits[code] = { ok: true, params: gg.params, log_likelihood: gg.logLikelihood, currency: code };
    const values = predictClv(model, gg.params, summary, {
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
  return outcome;
}
