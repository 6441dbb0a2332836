/**
 * `ca report model`: the fitted parameters and a calibration/holdout check. The model is fitted again on
 * the purchases before (as-of − holdout) and its predicted purchases in the holdout are compared with
 * what the customers actually did, grouped by their number of repeat purchases in calibration.
 */
import type { Context } from '../cli/context.js';
import { fitBgNbd, holdoutComparison, summarizeColumns, type HoldoutGroup } from '../core/clv/index.js';
import { compute } from '../core/compute.js';
import { loadComputeInput } from '../io/loadComputeInput.js';
import { Store } from '../io/store.js';
import { computeSettings } from './computeStep.js';
import { applyModels, PERIOD_DAYS, type ModelReport } from './models.js';

const DAY = 86_400_000;

export interface ModelCheck {
  as_of: string;
  calibration_end: string;
  holdout_weeks: number;
  fitted: ModelReport | undefined;
  calibration: { ok: true; params: Record<string, number> } | { ok: false; reason: string };
  holdout: HoldoutGroup[];
}

export async function modelReportStep(ctx: Context, holdoutWeeks: number): Promise<ModelCheck> {
  const input = await loadComputeInput(new Store(ctx.paths.cache));
  const result = compute(input, computeSettings(ctx));
  const fitted = applyModels(result, ctx).report;
  const calibrationEnd = ctx.asOf - holdoutWeeks * 7 * DAY;
  const summary = summarizeColumns(result.purchases.cluster, result.purchases.time, result.purchases.amountMinor, {
    calibrationEnd,
    holdoutEnd: ctx.asOf,
    periodDays: PERIOD_DAYS,
    customerCount: result.master.rows,
  });
  const base = {
    as_of: new Date(ctx.asOf).toISOString(),
    calibration_end: new Date(calibrationEnd).toISOString(),
    holdout_weeks: holdoutWeeks,
    fitted,
  };
  const fit = fitBgNbd({ frequency: summary.frequency, recency: summary.recency, T: summary.T, include: summary.present }, { minRepeatBuyers: ctx.config.clv.minRepeatBuyers });
  if (!fit.ok) return { ...base, calibration: { ok: false, reason: fit.reason }, holdout: [] };
  const holdout = holdoutComparison(fit.params, {
    frequency: summary.frequency,
    recency: summary.recency,
    T: summary.T,
    holdoutFrequency: summary.holdoutFrequency!,
    holdoutDuration: summary.holdoutDuration!,
    include: summary.present,
  });
  return { ...base, calibration: { ok: true, params: { ...fit.params } }, holdout };
}

export function formatModelCheck(check: ModelCheck): string {
  const lines: string[] = [];
  const f = check.fitted;
  if (f?.bgnbd.ok) {
    const p = f.bgnbd.params;
    lines.push(`BG/NBD (period ${f.period_days} days, ${f.customers} buyers, ${f.repeat_buyers} repeat): r ${p.r.toFixed(4)}, alpha ${p.alpha.toFixed(4)}, a ${p.a.toFixed(4)}, b ${p.b.toFixed(4)}`);
  } else lines.push(`BG/NBD: not fitted: ${f?.bgnbd.ok === false ? f.bgnbd.reason : 'no data'}`);
  // One spend model per currency (amounts are never fitted across currencies).
  for (const fit of f?.gamma_gamma_by_currency ? Object.values(f.gamma_gamma_by_currency) : f?.gamma_gamma ? [f.gamma_gamma] : []) {
    const unit = fit.currency ? `${fit.currency} minor units` : 'minor units';
    if (fit.ok) lines.push(`Gamma-Gamma (${unit}): p ${fit.params.p.toFixed(4)}, q ${fit.params.q.toFixed(4)}, gamma ${fit.params.gamma.toFixed(2)}`);
    else lines.push(`Gamma-Gamma (${unit}): not fitted: ${fit.reason}`);
  }
  lines.push(`holdout check: calibration to ${check.calibration_end}, ${check.holdout_weeks} weeks of holdout to ${check.as_of}`);
  if (!check.calibration.ok) lines.push(`  not possible: ${check.calibration.reason}`);
  else {
    lines.push('  repeat purchases in calibration   customers   actual (mean)   predicted (mean)');
    for (const g of check.holdout) {
      lines.push(`  ${g.label.padStart(32)}   ${String(g.customers).padStart(9)}   ${g.meanActual.toFixed(3).padStart(13)}   ${(g.meanPredicted === undefined ? '-' : g.meanPredicted.toFixed(3)).padStart(16)}`);
    }
  }
  return lines.join('\n');
}
