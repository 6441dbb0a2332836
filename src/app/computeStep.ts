/** `ca compute`: store -> resolved customers, metrics, segments, reports -> data/cache/computed/. */
import type { Context } from './context.js';
import { compute, type ComputeSettings } from '../core/compute.js';
import { writeComputed, type Computed } from '../io/computedFile.js';
import { loadComputeInput } from '../io/loadComputeInput.js';
import { Store } from '../io/store.js';
import { applyModels } from './models.js';

export function computeSettings(ctx: Context): ComputeSettings {
  const { config } = ctx;
  return {
    asOf: ctx.asOf,
    defaultRegion: config.defaultRegion,
    maxRecordsPerIdentifier: config.identity.maxRecordsPerIdentifier,
    lifecycle: config.lifecycle,
    valueTiers: config.valueTiers,
    firstTimeBuyerDays: config.firstTimeBuyerDays,
  };
}

export async function computeStep(ctx: Context): Promise<Computed> {
  const started = Date.now();
  const input = await loadComputeInput(new Store(ctx.paths.cache));
  const loaded = Date.now();
  const settings = computeSettings(ctx);
  const result = compute(input, settings);
  const computedAt = Date.now();
  const model = applyModels(result, ctx);
  const modelled = Date.now();
  for (const warning of [...result.warnings, ...model.warnings]) ctx.log.warn(warning);
  for (const note of model.notes) ctx.log.info(note);
  const computed: Computed = {
    master: result.master,
    summary: {
      asOf: ctx.asOf,
      computedAt: ctx.io.now(),
      counts: result.counts,
      warnings: [...result.warnings, ...model.warnings],
      firstTimeBuyers: result.firstTimeBuyers,
      daily: result.daily,
      cohorts: result.cohorts,
      revenueByMonthAndChannel: result.revenueByMonthAndChannel,
      currencies: result.currencies,
      model: model.report,
      holdout: model.holdout,
      settings: { ...settings, clv: ctx.config.clv },
    },
  };
  await writeComputed(ctx.paths.computed, computed);
  ctx.log.debug(
    `compute: load ${loaded - started} ms, metrics ${computedAt - loaded} ms, models ${modelled - computedAt} ms, write ${Date.now() - modelled} ms`,
  );
  return computed;
}
