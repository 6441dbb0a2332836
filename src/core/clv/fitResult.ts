import { polishNewton } from './newton.js';
import { minimizeFromStarts, rescueWithNelderMead, type MinimizeResult, type ObjectiveWithGradient } from './optimize.js';

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

/** Newton polishing stops when a step gains less than this much log-likelihood (in total, not per customer). */
export const POLISH_TOLERANCE = 1e-6;
/** A fit counts as converged when the quadratic model puts the maximum less than this much log-likelihood away. */
export const ACCEPT_TOLERANCE = 1e-4;

export interface LogSpaceFit extends MinimizeResult {
  /** Per parameter: -1 ran off towards 0, 1 towards ∞, 0 inside. */
  atBound: number[];
  /** Newton steps taken after the optimizer stopped (interior solutions only). */
  newtonSteps: number;
}

export interface LogSpaceOptions {
  maxIterations?: number;
  /**
   * Total weight W of the data when the objective is the mean −LL/W: polishing stops when a Newton step
   * gains less than POLISH_TOLERANCE in the total log-likelihood, i.e. POLISH_TOLERANCE / W in the objective.
   */
  totalWeight: number;
}

/**
 * How every model is fitted: log-parameters boxed to ±LOG_LIMIT, BFGS from several starts, ends flagged;
 * an interior solution is then polished with Newton steps (newton.ts), and `converged` means the quadratic
 * model puts the maximum within ACCEPT_TOLERANCE of the fitted log-likelihood.
 */
export function fitInLogSpace(objective: ObjectiveWithGradient, starts: number[][], options: LogSpaceOptions): LogSpaceFit {
  const dimensions = starts[0].length;
  const lower = new Array<number>(dimensions).fill(-LOG_LIMIT);
  const upper = new Array<number>(dimensions).fill(LOG_LIMIT);
  const flag = (x: Float64Array): number[] =>
    Array.from(x, (v) => (v <= -LOG_LIMIT + BOUNDARY_MARGIN ? -1 : v >= LOG_LIMIT - BOUNDARY_MARGIN ? 1 : 0));
  const bfgs = { lower, upper, gradientTolerance: GRADIENT_TOLERANCE, maxIterations: options.maxIterations ?? 500 };
  const polish = (from: MinimizeResult): LogSpaceFit => {
    const atBound = flag(from.x);
    // A solution running off to a bound is not polished: it is refused, or replaced by its limit model.
    if (atBound.some((b) => b !== 0) || !Number.isFinite(from.value)) return { ...from, atBound, newtonSteps: 0 };
    const polished = polishNewton(objective, from.x, {
      lower,
      upper,
      valueTolerance: POLISH_TOLERANCE / options.totalWeight,
      acceptTolerance: ACCEPT_TOLERANCE / options.totalWeight,
    });
    const better = polished.value <= from.value;
    const x = better ? polished.x : from.x;
    return {
      ...from,
      x,
      value: better ? polished.value : from.value,
      projectedGradient: better ? polished.gradient.reduce((m, v) => Math.max(m, Math.abs(v)), 0) : from.projectedGradient,
      converged: polished.converged,
      atBound: flag(x),
      newtonSteps: polished.steps,
    };
  };
  // BFGS from every start, then Newton from the best; only when that fails, the expensive Nelder–Mead rescue.
  const first = minimizeFromStarts(objective, starts, { ...bfgs, rescue: false });
  const fit = polish(first);
  if (fit.converged || fit.atBound.some((b) => b !== 0) || !Number.isFinite(fit.value)) return fit;
  const rescued = polish(rescueWithNelderMead(objective, first, bfgs));
  return rescued.value <= fit.value || rescued.converged ? rescued : fit;
}
