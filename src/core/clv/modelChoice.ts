import type { HistoryColumns } from './compressPatterns.js';
import { fixedHistory } from './countingFit.js';
import { holdoutComparison, holdoutError, type HoldoutGroup, type HoldoutInput } from './holdout.js';
import {
  AUTO_MODELS,
  fitPurchaseModel,
  MODEL_LABELS,
  type DropOutModelName,
  type PurchaseModel,
  type PurchaseModelFit,
} from './purchaseModel.js';

/**
 * Which purchase model predicts (`clv.model`). `auto`: BG/NBD and MBG/NBD (AUTO_MODELS; Pareto/NBD only by
 * name, see there) are each fitted on the purchases before the calibration end and predict the holdout period; the one whose predictions are closest to what the
 * customers then did (holdoutError: group means by repeat purchases, as `ca report model` shows them) is
 * fitted on the whole history and used. When no model can be fitted on the calibration period (too short a
 * history), the models are fitted on the whole history and compared by BIC, −2 ln L + k ln n: the
 * models have four parameters each, so that is the highest likelihood, and the NBD limit (two) is
 * preferred over a four-parameter model that only reaches the same likelihood.
 */
export type ModelSetting = 'auto' | DropOutModelName;

export interface CandidateReport {
  family: DropOutModelName;
  /** Calibration fit: the model it became (its own or the NBD limit), or why there is none. */
  calibration?: { ok: true; model: string; limit?: string; holdoutError?: number } | { ok: false; reason: string };
  /** Whole-history fit, when one was made (the chosen model; every model under the likelihood rule). */
  full?: { ok: true; model: string; logLikelihood: number; bic: number; limit?: string } | { ok: false; reason: string };
}

export interface HoldoutRow {
  label: string;
  customers: number;
  meanActual: number;
  /** Mean predicted purchases per candidate family (undefined: no calibration fit or no prediction). */
  meanPredicted: Partial<Record<DropOutModelName, number>>;
}

export interface ModelChoice {
  /** The chosen family's fit on the whole history; its `model` fills the prediction columns when ok. */
  fit: PurchaseModelFit;
  rule: 'configured' | 'holdout' | 'likelihood';
  /** For people: why this model. */
  reason: string;
  candidates: CandidateReport[];
  /** The holdout check, when a calibration period was given: actual vs each candidate's predictions. */
  holdout: HoldoutRow[];
}

export interface ChoiceOptions {
  setting: ModelSetting;
  minRepeatBuyers?: number;
  /**
   * Calibration fits made elsewhere (another thread), of exactly these calibration histories and options
   * (`calibrationFamilies` says which families): used instead of fitting them again.
   */
  calibrationFits?: Partial<Record<DropOutModelName, PurchaseModelFit>>;
}

/** The families `chooseModel` fits on the calibration histories with these options (in its order). */
export function calibrationFamilies(setting: ModelSetting): readonly DropOutModelName[] {
  return setting === 'auto' ? AUTO_MODELS : [setting];
}

function parameterCount(fit: PurchaseModelFit): number {
  return fit.ok && fit.model.name === 'nbd' ? 2 : 4;
}

function customersIn(history: HistoryColumns): number {
  const { frequency, include, weight } = history;
  let n = 0;
  for (let i = 0; i < frequency.length; i++) if (include === undefined || include[i] === 1) n += weight === undefined ? 1 : weight[i];
  return n;
}

function fullReport(fit: PurchaseModelFit, n: number): CandidateReport['full'] {
  if (!fit.ok) return { ok: false, reason: fit.reason };
  const bic = -2 * fit.logLikelihood + parameterCount(fit) * Math.log(n);
  return { ok: true, model: MODEL_LABELS[fit.model.name], logLikelihood: fit.logLikelihood, bic, limit: fit.limit };
}

function holdoutRows(perFamily: Map<DropOutModelName, HoldoutGroup[]>): HoldoutRow[] {
  const rows = new Map<string, HoldoutRow>();
  for (const [family, groups] of perFamily) {
    for (const g of groups) {
      let row = rows.get(g.label);
      if (row === undefined) {
        row = { label: g.label, customers: g.customers, meanActual: g.meanActual, meanPredicted: {} };
        rows.set(g.label, row);
      }
      if (g.meanPredicted !== undefined) row.meanPredicted[family] = g.meanPredicted;
    }
  }
  return [...rows.values()];
}

const fmt = (v: number): string => v.toFixed(4);

/**
 * Fit the configured model, or choose one (see ModelSetting). `calibration`: the histories before the
 * calibration end with the holdout purchases; without it there is no holdout check.
 */
export function chooseModel(given: HistoryColumns, calibration: HoldoutInput | undefined, options: ChoiceOptions): ModelChoice {
  // Each history is compressed once for all the fits of it.
  const full = fixedHistory(given);
  const fitOptions = { minRepeatBuyers: options.minRepeatBuyers };
  const families = calibrationFamilies(options.setting);
  const candidates = new Map<DropOutModelName, CandidateReport>(families.map((f) => [f, { family: f }]));
  const groups = new Map<DropOutModelName, HoldoutGroup[]>();
  const errors = new Map<DropOutModelName, number>();
  // The calibration fits: each family's fit of the whole history starts from its own (see fitFull).
  const calibrated = new Map<DropOutModelName, PurchaseModel>();
  let calibrationCustomers = 0;
  if (calibration !== undefined) {
    calibrationCustomers = customersIn(calibration);
    const history = fixedHistory({ frequency: calibration.frequency, recency: calibration.recency, T: calibration.T, include: calibration.include });
    for (const family of families) {
      const fit = options.calibrationFits?.[family] ?? fitPurchaseModel(family, history, fitOptions);
      const report = candidates.get(family)!;
      if (!fit.ok) {
        report.calibration = { ok: false, reason: fit.reason };
        continue;
      }
      calibrated.set(family, fit.model);
      const familyGroups = holdoutComparison(fit.model, calibration);
      const error = holdoutError(familyGroups);
      groups.set(family, familyGroups);
      if (error !== undefined) errors.set(family, error);
      report.calibration = { ok: true, model: MODEL_LABELS[fit.model.name], limit: fit.limit, holdoutError: error };
    }
  }
  const holdout = holdoutRows(groups);
  const n = customersIn(full);
  // The whole history holds the calibration period and a few more months of the same customers: its
  // maximum lies near the calibration fit's, from which a fit needs a fraction of the likelihood evaluations
  // of one from the built-in starting points (those are used when it does not converge there).
  const fitFull = (family: DropOutModelName): PurchaseModelFit => {
    const fit = fitPurchaseModel(family, full, { ...fitOptions, warmStart: calibrated.get(family) });
    candidates.get(family)!.full = fullReport(fit, n);
    return fit;
  };
  const result = (fit: PurchaseModelFit, rule: ModelChoice['rule'], reason: string): ModelChoice => ({
    fit,
    rule,
    reason,
    candidates: [...candidates.values()],
    holdout,
  });

  if (options.setting !== 'auto') {
    return result(fitFull(options.setting), 'configured', `clv.model is "${options.setting}"`);
  }
  // Smallest holdout error first; ties keep the order of AUTO_MODELS.
  const ranked = [...errors.entries()].sort((a, b) => a[1] - b[1]);
  for (const [family, error] of ranked) {
    const fit = fitFull(family);
    if (!fit.ok) continue;
    const others = ranked.filter(([f]) => f !== family).map(([f, e]) => `${MODEL_LABELS[f]} ${fmt(e)}`);
    return result(
      fit,
      'holdout',
      `closest to what ${calibrationCustomers} customers bought in the holdout period: ` +
        `${fmt(error)} purchases per customer off` +
        (others.length > 0 ? ` against ${others.join(', ')}` : ' (the only model that could be fitted on the calibration period)'),
    );
  }
  // No holdout check possible: every model on the whole history, lowest BIC.
  const fits = AUTO_MODELS.map((family) => fitFull(family));
  const scored = fits.flatMap((fit) => {
    const report = candidates.get(fit.family)!.full;
    return fit.ok && report?.ok ? [{ fit, bic: report.bic }] : [];
  });
  const why = calibration === undefined ? 'no holdout period' : 'no model could be fitted on the calibration period';
  if (scored.length === 0) {
    const reasons = fits.map((f) => `${MODEL_LABELS[f.family]}: ${f.ok ? '' : f.reason}`).join('; ');
    return result({ ok: false, family: 'bgnbd', reason: reasons }, 'likelihood', why);
  }
  scored.sort((a, b) => a.bic - b.bic);
  const best = scored[0];
  const others = scored.slice(1).map((s) => `${MODEL_LABELS[s.fit.family]} ${s.bic.toFixed(2)}`);
  return result(
    best.fit,
    'likelihood',
    `${why}; lowest BIC on the whole history: ${best.bic.toFixed(2)}` + (others.length > 0 ? ` against ${others.join(', ')}` : ''),
  );
}
