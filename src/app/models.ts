/**
 * Fills p_alive, expected_orders_12m and predicted_clv_12m with the configured models: the work is
 * src/core/clv/predictionColumns.ts, next to the models; this reads the settings from the context.
 */
import type { Context } from './context.js';
import type { ComputeResult } from '../core/compute.js';
import { fillPredictions, type ModelOutcome, type ModelRunOptions } from '../core/clv/predictionColumns.js';

export {
  limitSentence,
  modelLabel,
  PERIOD_DAYS,
  type ModelOutcome,
  type ModelReport,
  type ModelRunOptions,
} from '../core/clv/predictionColumns.js';

export function applyModels(result: ComputeResult, ctx: Context, options: ModelRunOptions = {}): ModelOutcome {
  return fillPredictions(result, { asOf: ctx.asOf, ...ctx.config.clv }, options);
}
