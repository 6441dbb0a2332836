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
