import type { HistoryColumns } from './compressPatterns.js';
import {
  countingLogLikelihood,
  fitCountingModel,
  type CountingFitOptions,
  type CountingFitResult,
  type CountingModel,
} from './countingFit.js';
import { digamma, lgamma } from './specialFunctions.js';

/**
 * NBD (Ehrenberg 1959): purchases at Poisson rate λ ~ Gamma(r, α) for ever, nobody drops out. It is the
 * limit BG/NBD and MBG/NBD converge to when a → 0, and Pareto/NBD when s → 0 or β → ∞: what the data say
 * when they show no drop-out yet (a young shop, a year of history). Then P(alive) = 1 and
 * E[Y(t) | x, T] = (r + x)/(α + T) · t (the posterior mean rate times t); t_x carries no information.
 */
export interface NbdParams {
  r: number;
  alpha: number;
}

function valid(p: NbdParams, x: number, T: number): boolean {
  return p.r > 0 && p.alpha > 0 && Number.isFinite(p.r) && Number.isFinite(p.alpha) && Number.isInteger(x) && x >= 0 && T >= 0 && Number.isFinite(T);
}

/** ln L = lnΓ(r+x) − lnΓ(r) + r ln α − (r+x) ln(α+T), the density of x purchases at their times in (0, T]. */
export function nbdLogLikelihood(p: NbdParams, x: number, tx: number, T: number): number | undefined {
  if (!valid(p, x, T) || !(tx >= 0 && tx <= T) || (x === 0 && tx !== 0)) return undefined;
  const v = lgamma(p.r + x) - lgamma(p.r) + p.r * Math.log(p.alpha) - (p.r + x) * Math.log(p.alpha + T);
  return Number.isFinite(v) ? v : undefined;
}

/** E[Y(t) | x, T] = (r + x) t / (α + T). */
export function nbdConditionalExpectedPurchases(p: NbdParams, t: number, x: number, T: number): number | undefined {
  if (!valid(p, x, T) || !(t >= 0) || !Number.isFinite(t)) return undefined;
  return ((p.r + x) * t) / (p.alpha + T);
}

/** E[X(t)] = r t / α for a new customer. */
export function nbdExpectedPurchases(p: NbdParams, t: number): number | undefined {
  return nbdConditionalExpectedPurchases(p, t, 0, 0);
}

export const NBD_MODEL: CountingModel<NbdParams> = {
  label: 'NBD',
  names: ['r', 'alpha'],
  timeScaled: [1],
  analyticGradient: true,
  makeEvaluator: (d) => {
    const nx = d.xValues.length;
    const nt = d.tValues.length;
    // The likelihood depends on (x, T) only: Σ over patterns of w·(r+x) ln(α+T) = Σ_T ln(α+T) Σ w·(r+x).
    const weightPerT = new Float64Array(nt);
    const weightedXPerT = new Float64Array(nt);
    for (let n = 0; n < d.weight.length; n++) {
      weightPerT[d.tIndex[n]] += d.weight[n];
      weightedXPerT[d.tIndex[n]] += d.weight[n] * d.xValues[d.xIndex[n]];
    }
    return (p, grad) => {
      const r = p[0];
      const alpha = p[1];
      const lnAlpha = Math.log(alpha);
      const lgR = lgamma(r);
      const psiR = digamma(r);
      let ll = 0;
      let gr = 0;
      let gAlpha = 0;
      for (let i = 0; i < nx; i++) {
        const w = d.weightPerX[i];
        const x = d.xValues[i];
        ll += w * (lgamma(r + x) - lgR + r * lnAlpha);
        gr += w * (digamma(r + x) - psiR + lnAlpha);
        gAlpha += (w * r) / alpha;
      }
      for (let j = 0; j < nt; j++) {
        const lnT = Math.log(alpha + d.tValues[j]);
        const rx = r * weightPerT[j] + weightedXPerT[j];
        ll -= rx * lnT;
        gr -= weightPerT[j] * lnT;
        gAlpha -= rx / (alpha + d.tValues[j]);
      }
      if (grad !== undefined) {
        grad[0] = gr;
        grad[1] = gAlpha;
      }
      return ll;
    };
  },
  starts: (d) => [
    [0.5, 0.5 / d.meanRate],
    [1, 1],
  ],
};

export function fitNbd(history: HistoryColumns, options: CountingFitOptions<NbdParams> = {}): CountingFitResult<NbdParams> {
  return fitCountingModel(NBD_MODEL, history, options);
}

export function nbdTotalLogLikelihood(p: NbdParams, history: HistoryColumns): number | undefined {
  return countingLogLikelihood(NBD_MODEL, p, history);
}
