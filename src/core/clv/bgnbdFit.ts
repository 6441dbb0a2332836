import type { BgNbdParams } from './bgnbd.js';
import type { HistoryColumns } from './compressPatterns.js';
import {
  countingLogLikelihood,
  countingStandardErrors,
  fitCountingModel,
  type CountingData,
  type CountingEvaluator,
  type CountingFitOptions,
  type CountingFitResult,
  type CountingModel,
} from './countingFit.js';
import { digamma, lgamma } from './specialFunctions.js';

/**
 * Maximum-likelihood fits of BG/NBD and of the modified BG/NBD (MBG/NBD, Batislam, Denizel & Filiztekin
 * 2007), which differ only in when a customer may drop out: after each repeat purchase (BG), or also right
 * after the first one (MBG). With δ = 0 (BG) or 1 (MBG) the per-customer likelihood is
 *   ln L = A1 + A2 + ln(e^{A3} + [x + δ > 0] e^{A4}),
 *   A1 = lnΓ(r+x) − lnΓ(r) + r ln α,  A2 = lnΓ(a+b) + lnΓ(b+x+δ) − lnΓ(b) − lnΓ(a+b+x+δ),
 *   A3 = −(r+x) ln(α+T),  A4 = ln a − ln(b+x−1+δ) − (r+x) ln(α+t_x)
 * (lifetimes' BetaGeoFitter and ModifiedBetaGeoFitter). The likelihood and its analytic gradient are
 * evaluated per distinct x, T and t_x value, so a pattern costs one exp and one log1p per evaluation.
 */

export type BgNbdFitOptions = CountingFitOptions<BgNbdParams>;

function betaGeometricEvaluator(d: CountingData, delta: 0 | 1): CountingEvaluator {
  const nx = d.xValues.length;
  const nt = d.tValues.length;
  const ntx = d.txValues.length;
  const c4 = new Float64Array(nx); // ln a − ln(b + x − 1 + δ), −∞ when the customer cannot have dropped out
  const dc4b = new Float64Array(nx);
  const lnT = new Float64Array(nt);
  const invT = new Float64Array(nt);
  const lnTx = new Float64Array(ntx);
  const invTx = new Float64Array(ntx);
  return (p, grad) => {
    const r = p[0];
    const alpha = p[1];
    const a = p[2];
    const b = p[3];
    const lnAlpha = Math.log(alpha);
    const lgR = lgamma(r);
    const psiR = digamma(r);
    const lgAB = lgamma(a + b);
    const lgB = lgamma(b);
    const psiAB = digamma(a + b);
    const psiB = digamma(b);
    const lnA = Math.log(a);
    let ll = 0;
    let gr = 0;
    let gAlpha = 0;
    let ga = 0;
    let gb = 0;
    for (let i = 0; i < nx; i++) {
      const x = d.xValues[i];
      const w = d.weightPerX[i];
      const k = x + delta;
      ll += w * (lgamma(r + x) - lgR + r * lnAlpha);
      if (k > 0) {
        ll += w * (lgAB + lgamma(b + k) - lgB - lgamma(a + b + k));
        c4[i] = lnA - Math.log(b + k - 1);
        dc4b[i] = -1 / (b + k - 1);
      } else {
        c4[i] = -Infinity;
        dc4b[i] = 0;
      }
      if (grad !== undefined) {
        gr += w * (digamma(r + x) - psiR + lnAlpha);
        gAlpha += (w * r) / alpha;
        if (k > 0) {
          const psiABK = digamma(a + b + k);
          ga += w * (psiAB - psiABK);
          gb += w * (psiAB + digamma(b + k) - psiB - psiABK);
        }
      }
    }
    for (let j = 0; j < nt; j++) {
      const s = alpha + d.tValues[j];
      lnT[j] = Math.log(s);
      invT[j] = 1 / s;
    }
    for (let k = 0; k < ntx; k++) {
      const s = alpha + d.txValues[k];
      lnTx[k] = Math.log(s);
      invTx[k] = 1 / s;
    }
    const m = d.weight.length;
    for (let n = 0; n < m; n++) {
      const i = d.xIndex[n];
      const j = d.tIndex[n];
      const k = d.txIndex[n];
      const w = d.weight[n];
      const rx = r + d.xValues[i];
      const a3 = -rx * lnT[j];
      const a4 = c4[i] - rx * lnTx[k];
      // log-sum-exp; w3, w4 are the shares of the two terms in the likelihood.
      let w3: number;
      let top: number;
      let e: number;
      if (a3 >= a4) {
        e = Math.exp(a4 - a3);
        top = a3;
        w3 = 1 / (1 + e);
      } else {
        e = Math.exp(a3 - a4);
        top = a4;
        w3 = e / (1 + e);
      }
      ll += w * (top + Math.log1p(e));
      if (grad !== undefined) {
        const w4 = 1 - w3;
        gr -= w * (w3 * lnT[j] + w4 * lnTx[k]);
        gAlpha -= w * rx * (w3 * invT[j] + w4 * invTx[k]);
        ga += (w * w4) / a;
        gb += w * w4 * dc4b[i];
      }
    }
    if (grad !== undefined) {
      grad[0] = gr;
      grad[1] = gAlpha;
      grad[2] = ga;
      grad[3] = gb;
    }
    return ll;
  };
}

function betaGeometricModel(label: string, delta: 0 | 1): CountingModel<BgNbdParams> {
  return {
    label,
    names: ['r', 'alpha', 'a', 'b'],
    timeScaled: [1],
    analyticGradient: true,
    makeEvaluator: (d) => betaGeometricEvaluator(d, delta),
    // Mean purchase rate r/α matched to the data, and a flat start like lifetimes' (all ones).
    starts: (d) => [
      [0.5, 0.5 / d.meanRate, 0.8, 2.5],
      [1, 1, 1, 1],
    ],
    // a → 0 whatever b does: the drop-out probability's distribution collapses onto 0 (b is then not identified).
    noDropOut: (atBound) => atBound[0] === 0 && atBound[1] === 0 && atBound[2] === -1,
  };
}

export const BGNBD_MODEL = betaGeometricModel('BG/NBD', 0);
export const MBGNBD_MODEL = betaGeometricModel('MBG/NBD', 1);

/** Fit BG/NBD (Fader, Hardie & Lee 2005a). */
export function fitBgNbd(history: HistoryColumns, options: BgNbdFitOptions = {}): CountingFitResult<BgNbdParams> {
  return fitCountingModel(BGNBD_MODEL, history, options);
}

/** Fit the modified BG/NBD (Batislam et al. 2007; lifetimes' ModifiedBetaGeoFitter, BTYDplus' mbgnbd). */
export function fitMbgNbd(history: HistoryColumns, options: BgNbdFitOptions = {}): CountingFitResult<BgNbdParams> {
  return fitCountingModel(MBGNBD_MODEL, history, options);
}

/** Total BG/NBD log-likelihood Σ w·ln L over the given customers or patterns, in their own time unit. */
export function bgnbdTotalLogLikelihood(p: BgNbdParams, history: HistoryColumns): number | undefined {
  return countingLogLikelihood(BGNBD_MODEL, p, history);
}

/** Total MBG/NBD log-likelihood. */
export function mbgnbdTotalLogLikelihood(p: BgNbdParams, history: HistoryColumns): number | undefined {
  return countingLogLikelihood(MBGNBD_MODEL, p, history);
}

/** Standard errors of fitted BG/NBD parameters (lifetimes' `summary` "se(coef)"). */
export function bgnbdStandardErrors(p: BgNbdParams, history: HistoryColumns): BgNbdParams | undefined {
  return countingStandardErrors(BGNBD_MODEL, p, history);
}
