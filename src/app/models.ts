/**
 * Fills p_alive, expected_orders_12m and predicted_clv_12m with the configured models: the work is
 * src/core/clv/predictionColumns.ts, next to the models; this reads the settings from the context and,
 * for a large shop, runs the calibration fits of the holdout check side by side on two threads.
 */
import { Worker } from 'node:worker_threads';
import type { Context } from './context.js';
import type { ComputeResult } from '../core/compute.js';
import type { DropOutModelName, PurchaseModelFit } from '../core/clv/index.js';
import type { HoldoutInput } from '../core/clv/holdout.js';
import {
  calibrationFitJobs,
  calibrationHistory,
  fillPredictionsFrom,
  prepareWholeHistoryFit,
  runCalibrationFit,
  wholeHistory,
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
 * Buyers (before the holdout period) from which the calibration fits run on two threads: below it a fit takes well under a second
 * and starting a thread is not worth it. `CA_PARALLEL_FITS=never|always` overrides it.
 */
export const PARALLEL_FITS_FROM_BUYERS = 20_000;

export async function applyModels(result: ComputeResult, ctx: Context, options: ModelRunOptions = {}): Promise<ModelOutcome> {
  const settings = { asOf: ctx.asOf, ...ctx.config.clv };
  const calibration = calibrationHistory(result, settings, options);
  const jobs = calibrationFitJobs(calibration.calibration, settings);
  if (jobs.length > 1 && parallelFits(ctx, buyersIn(calibration.calibration!))) {
    // The first calibration fit goes to a worker thread at once; this thread meanwhile summarizes the
    // whole history, compresses it for its fit, and makes the other calibration fits.
    const [first, ...rest] = jobs;
    ctx.log.debug(`models: the calibration fits of ${jobs.map((j) => j.family).join(' and ')} on two threads`);
    const worker = new Worker(new URL('./modelWorker.js', import.meta.url));
    try {
      const elsewhere = fitOnWorker(worker, first);
      // Awaited below; if this thread fails first, the worker's end must not be an unhandled rejection.
      elsewhere.catch(() => undefined);
      const whole = wholeHistory(result, settings);
      prepareWholeHistoryFit(whole);
      const fits: Partial<Record<DropOutModelName, PurchaseModelFit>> = {};
      for (const job of rest) fits[job.family] = runCalibrationFit(job);
      try {
        fits[first.family] = await elsewhere;
      } catch (error) {
        ctx.log.debug(`models: the fit on the second thread failed (${(error as Error).message}); fitting it on this one`);
        fits[first.family] = runCalibrationFit(first);
      }
      return fillPredictionsFrom(result, settings, { ...whole, ...calibration }, fits);
    } finally {
      // Also when this thread fails first: the worker must not keep the process alive.
      await worker.terminate();
    }
  }
  return fillPredictionsFrom(result, settings, { ...wholeHistory(result, settings), ...calibration });
}

function parallelFits(ctx: Context, buyers: number): boolean {
  const mode = ctx.io.env.CA_PARALLEL_FITS;
  return mode === 'always' || (mode !== 'never' && buyers >= PARALLEL_FITS_FROM_BUYERS);
}

function buyersIn(calibration: HoldoutInput): number {
  let n = 0;
  for (let k = 0; k < calibration.frequency.length; k++) if (calibration.include?.[k] === 1) n++;
  return n;
}

/**
 * One calibration fit on a worker thread. A fit is plain arithmetic on the same data with the same
 * code, so where it runs does not change a digit; the caller fits it itself if the worker fails.
 */
function fitOnWorker(worker: Worker, job: CalibrationFitJob): Promise<PurchaseModelFit> {
  return new Promise<PurchaseModelFit>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the worker exited with code ${code}`)));
    worker.postMessage(job);
  });
}
