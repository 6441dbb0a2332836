/** `ca compute`: store -> resolved customers, metrics, segments, reports -> data/cache/computed/. */
import type { Context } from './context.js';
import { compute, type ComputeSettings } from '../core/compute.js';
import { writeComputed, type Computed } from '../io/computedFile.js';
import { NotFoundError } from '../io/errors.js';
import { count, progress, type Progress } from '../io/progress.js';
import { loadComputeInput } from '../io/loadComputeInput.js';
import { collectGarbage } from '../io/memory.js';
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
async function loadAndCompute(
  ctx: Context,
  settings: ComputeSettings,
  line: Progress,
): Promise<{ result: ReturnType<typeof compute>; loaded: number }> {
  line.phase('reading the cache');
  const input = await loadComputeInput(new Store(ctx.paths.cache));
  const loaded = Date.now();
  if (input.customers.count === 0 && input.orders.count === 0 && input.bookings.count === 0) {
    // A 0-customer master would look like a shop that lost every customer; say there is nothing yet.
    throw new NotFoundError(`nothing to compute: no customers, orders or bookings in ${ctx.paths.cache}`, {
      hint: 'fetch or import first: `ca update` (with a token or ecom.file set), `ca fetch lightspeed|square` or `ca import ecom FILE`; `ca demo` tries it all on sandbox data',
    });
  }
  line.phase(`resolving customers and computing metrics (${count(input.customers.count)} customer records, ${count(input.orders.count)} orders)`);
  return { result: compute(input, settings), loaded };
}

export async function computeStep(ctx: Context): Promise<Computed> {
  const line = progress(ctx.io.stderr, 'compute', ctx);
  try {
    return await computeWithProgress(ctx, line);
  } finally {
    line.done();
  }
}

async function computeWithProgress(ctx: Context, line: Progress): Promise<Computed> {
  const started = Date.now();
  const settings = computeSettings(ctx);
  const { result, loaded } = await loadAndCompute(ctx, settings, line);
  const computedAt = Date.now();
  // The input is let go here; freed now, it is not still waiting while the models allocate.
  collectGarbage();
  line.phase(`fitting the purchase models (${count(result.master.rows)} customers)`);
  const model = await applyModels(result, ctx);
  const modelled = Date.now();
  line.done();
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
  line.phase('writing data/cache/computed/');
  await writeComputed(ctx.paths.computed, computed);
  ctx.log.debug(
    `compute: load ${loaded - started} ms, metrics ${computedAt - loaded} ms, models ${modelled - computedAt} ms, write ${Date.now() - modelled} ms`,
  );
  return computed;
}
