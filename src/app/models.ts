/**
 * Fills p_alive, expected_orders_12m and predicted_clv_12m with the configured models: the work is
 * src/core/clv/predictionColumns.ts, next to the models; this reads the settings from the context and,
 * for a large shop, runs the calibration fits of the holdout check side by side on two threads.
 */
import { Worker } from 'node:worker_threads';
import type { Context } from './context.js';
import type { ComputeResult } from '../core/compute.js';
import type { DropOutModelName, PurchaseModelFit } from '../core/clv/index.js';
import {
  calibrationFitJobs,
  fillPredictionsFrom,
  modelInputs,
  runCalibrationFit,
  type CalibrationFitJob,
  type ModelOutcome,
  type ModelRunOptions,
} from '../core/clv/predictionColumns.js';

export {
  limitSentence,
  modelLabel,
  PERIOD_DAYS,
  type ModelOutcome,
  type ModelReport,
  type ModelRunOptions,
} from '../core/clv/predictionColumns.js';

/**
 * Buyers from which the calibration fits run on two threads: below it a fit takes well under a second
 * and starting a thread is not worth it. `CA_PARALLEL_FITS=never|always` overrides it.
 */
export const PARALLEL_FITS_FROM_BUYERS = 20_000;

export async function applyModels(result: ComputeResult, ctx: Context, options: ModelRunOptions = {}): Promise<ModelOutcome> {
  const settings = { asOf: ctx.asOf, ...ctx.config.clv };
  const inputs = modelInputs(result, settings, options);
  const jobs = calibrationFitJobs(inputs, settings);
  const fits = jobs.length > 1 && parallelFits(ctx, inputs.buyers) ? await fitSideBySide(jobs, ctx) : undefined;
  return fillPredictionsFrom(result, settings, inputs, fits);
}

function parallelFits(ctx: Context, buyers: number): boolean {
  const mode = ctx.io.env.CA_PARALLEL_FITS;
  return mode === 'always' || (mode !== 'never' && buyers >= PARALLEL_FITS_FROM_BUYERS);
}

/**
 * The first job on a worker thread, the others on this one meanwhile. A fit is plain arithmetic on the
 * same data with the same code, so where it runs does not change a digit; if the worker fails, the
 * job is fitted here instead.
 */
async function fitSideBySide(jobs: CalibrationFitJob[], ctx: Context): Promise<Partial<Record<DropOutModelName, PurchaseModelFit>>> {
  const [first, ...rest] = jobs;
  ctx.log.debug(`models: the calibration fits of ${jobs.map((j) => j.family).join(' and ')} on two threads`);
  const worker = new Worker(new URL('./modelWorker.js', import.meta.url));
  const elsewhere = new Promise<PurchaseModelFit>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the worker exited with code ${code}`)));
  });
  worker.postMessage(first);
  const fits: Partial<Record<DropOutModelName, PurchaseModelFit>> = {};
  for (const job of rest) fits[job.family] = runCalibrationFit(job);
  try {
    fits[first.family] = await elsewhere;
  } catch (error) {
    ctx.log.debug(`model fit on a second thread failed (${(error as Error).message}); fitting it on this one`);
    fits[first.family] = runCalibrationFit(first);
  } finally {
    await worker.terminate();
  }
  return fits;
}
