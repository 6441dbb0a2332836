/**
 * `ca report model`: which purchase model predicts and why, its parameters, and the calibration/holdout
 * check: every candidate model is fitted again on the purchases before (as-of − holdout) and its predicted
 * purchases in the holdout are compared with what the customers actually did, grouped by their number of
 * repeat purchases in calibration. Under `clv.model: auto` this is the check that chose the model.
 */
import { NotFoundError } from '../io/errors.js';
import type { Context } from './context.js';
import { MODEL_LABELS, type DropOutModelName, type HoldoutRow } from '../core/clv/index.js';
import { compute } from '../core/compute.js';
import { loadComputeInput } from '../io/loadComputeInput.js';
import { Store } from '../io/store.js';
import { computeSettings } from './computeStep.js';
import { applyModels, limitSentence, type ModelReport } from './models.js';
import { DAY_MS } from '../core/localTime.js';


export interface ModelCheck {
  as_of: string;
  calibration_end: string;
  holdout_weeks: number;
  fitted: ModelReport;
  /** Per group of calibration repeat purchases: customers, mean actual and each candidate's mean predicted. */
  holdout: HoldoutRow[];
}

export async function modelReportStep(ctx: Context, holdoutWeeks: number): Promise<ModelCheck> {
  const input = await loadComputeInput(new Store(ctx.paths.cache, { readOnly: true }));
  if (input.customers.count === 0 && input.orders.count === 0 && input.bookings.count === 0) {
    throw new NotFoundError(`no customers, orders or bookings in ${ctx.paths.cache} to fit a model on`, { hint: 'fetch or import first (`ca update`); `ca demo` tries it on sandbox data' });
  }
  const result = compute(input, computeSettings(ctx));
  const outcome = await applyModels(result, ctx, { holdoutWeeks });
  return {
    as_of: new Date(ctx.asOf).toISOString(),
    calibration_end: new Date(ctx.asOf - holdoutWeeks * 7 * DAY_MS).toISOString(),
    holdout_weeks: holdoutWeeks,
    fitted: outcome.report,
    holdout: outcome.holdout,
  };
}

const RULES: Record<ModelReport['choice']['rule'], string> = {
  configured: 'configured by clv.model',
  holdout: 'chosen by the holdout check below (clv.model "auto")',
  likelihood: 'chosen by likelihood (clv.model "auto", BIC)',
};

function formatParams(params: Record<string, number>): string {
  return Object.entries(params)
    .map(([name, v]) => `${name} ${v.toPrecision(5)}`)
    .join(', ');
}

export function formatModelCheck(check: ModelCheck): string {
  const f = check.fitted;
  const lines: string[] = [];
  const population = `period ${f.period_days} days, ${f.customers} buyers, ${f.repeat_buyers} repeat`;
  if (f.model !== null && f.params !== undefined) {
    lines.push(`purchase model: ${f.label} (${population}): ${formatParams(f.params)}`);
  } else lines.push(`purchase model: none (${population}): ${f.reason ?? 'no data'}`);
  lines.push(`  ${RULES[f.choice.rule]}: ${f.choice.reason}`);
  if (f.limit !== undefined) lines.push(`  ${limitSentence(f.family, f.limit)}`);
  // One spend model per currency (amounts are never fitted across currencies).
  for (const fit of f.gamma_gamma_by_currency ? Object.values(f.gamma_gamma_by_currency) : f.gamma_gamma ? [f.gamma_gamma] : []) {
    const unit = fit.currency ? `${fit.currency} minor units` : 'minor units';
    if (fit.ok) lines.push(`Gamma-Gamma (${unit}): p ${fit.params.p.toFixed(4)}, q ${fit.params.q.toFixed(4)}, gamma ${fit.params.gamma.toFixed(2)}`);
    else lines.push(`Gamma-Gamma (${unit}): not fitted: ${fit.reason}`);
  }

  lines.push(`holdout check: calibration to ${check.calibration_end}, ${check.holdout_weeks} weeks of holdout to ${check.as_of}`);
  const families: DropOutModelName[] = [];
  for (const c of f.choice.candidates) {
    const label = MODEL_LABELS[c.family];
    if (c.calibration === undefined) continue;
    if (!c.calibration.ok) {
      lines.push(`  ${label}: not fitted on the calibration period: ${c.calibration.reason}`);
      continue;
    }
    families.push(c.family);
    const became = c.calibration.limit !== undefined ? ` → NBD (${c.calibration.limit})` : '';
    const error = c.calibration.holdoutError === undefined ? '-' : c.calibration.holdoutError.toFixed(4);
    lines.push(`  ${label}${became}: ${error} purchases per customer off (group means, weighted by customers)`);
  }
  if (families.length === 0) {
    lines.push('  no model could be fitted on the calibration period');
    return lines.join('\n');
  }
  const width = 12;
  lines.push(
    '  repeat purchases in calibration   customers   actual (mean)' + families.map((fam) => MODEL_LABELS[fam].padStart(width)).join(''),
  );
  for (const row of check.holdout) {
    const predicted = families.map((fam) => {
      const v = row.meanPredicted[fam];
      return (v === undefined ? '-' : v.toFixed(3)).padStart(width);
    });
    lines.push(`  ${row.label.padStart(31)}   ${String(row.customers).padStart(9)}   ${row.meanActual.toFixed(3).padStart(13)}${predicted.join('')}`);
  }
  return lines.join('\n');
}
