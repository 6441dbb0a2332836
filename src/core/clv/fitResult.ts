import { minimizeFromStarts, type MinimizeResult, type ObjectiveWithGradient } from './optimize.js';

/**
 * Outcome of a model fit. Data that cannot support a fit is an expected situation for small shops, so it is
 * a value (`ok: false` with a sentence for people), never an exception or NaN parameters.
 */
export type FitResult<P> =
  | {
      ok: true;
      params: P;
      /** Log-likelihood of the data at `params`, in the caller's time and money units. */
      logLikelihood: number;
      /** Optimizer iterations, summed over all starts. */
      iterations: number;
      converged: boolean;
    }
  | { ok: false; reason: string };

/** Parameters live in [e^-LOG_LIMIT, e^LOG_LIMIT] (after scaling); reaching an end means the data cannot pin them. */
const LOG_LIMIT = 13.8;
const GRADIENT_TOLERANCE = 1e-9;
/**
 * Within this (log scale) of a limit counts as a boundary solution: parameters running off to 0 or ∞ creep
 * there slowly over a flat likelihood, and may stop short of the limit itself.
 */
const BOUNDARY_MARGIN = 1;

export interface LogSpaceFit extends MinimizeResult {
  /** Per parameter: -1 ran off towards 0, 1 towards ∞, 0 inside. */
  atBound: number[];
}

/** How both models are fitted: log-parameters boxed to ±LOG_LIMIT, from several starts, ends flagged. */
export function fitInLogSpace(objective: ObjectiveWithGradient, starts: number[][], maxIterations = 500): LogSpaceFit {
  const dimensions = starts[0].length;
  const lower = new Array<number>(dimensions).fill(-LOG_LIMIT);
  const upper = new Array<number>(dimensions).fill(LOG_LIMIT);
  const result = minimizeFromStarts(objective, starts, { lower, upper, gradientTolerance: GRADIENT_TOLERANCE, maxIterations });
  const atBound = Array.from(result.x, (x) => (x <= -LOG_LIMIT + BOUNDARY_MARGIN ? -1 : x >= LOG_LIMIT - BOUNDARY_MARGIN ? 1 : 0));
  return { ...result, atBound };
}
