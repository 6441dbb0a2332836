/** `ca compute`: store -> resolved customers, metrics, segments, reports -> data/cache/computed/. */
import type { Context } from '../cli/context.js';
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

/**
 * The input lives only in here: once compute is done, what the models read of the orders stays
 * reachable through the result, and the rest (hundreds of MB at ten million orders) can be freed
 * before the models and the write.
 */
async function loadAndCompute(ctx: Context, settings: ComputeSettings): Promise<{ result: ReturnType<typeof compute>; loaded: number }> {
  const input = await loadComputeInput(new Store(ctx.paths.cache));
  const loaded = Date.now();
  return { result: compute(input, settings), loaded };
}

export async function computeStep(ctx: Context): Promise<Computed> {
  const started = Date.now();
  const settings = computeSettings(ctx);
  const { result, loaded } = await loadAndCompute(ctx, settings);
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
      settings: { ...settings, clv: ctx.config.clv },
    },
  };
  await writeComputed(ctx.paths.computed, computed);
  ctx.log.debug(
    `compute: load ${loaded - started} ms, metrics ${computedAt - loaded} ms, models ${modelled - computedAt} ms, write ${Date.now() - modelled} ms`,
  );
  return computed;
}
