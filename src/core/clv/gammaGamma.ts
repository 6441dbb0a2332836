import { fitInLogSpace, type FitResult } from './fitResult.js';
import { digamma, lgamma } from './specialFunctions.js';

/**
 * Gamma-Gamma spend model (Fader, Hardie & Lee 2005b; Hardie note 025; specs/clv.md §2): a customer's
 * transaction values are Gamma(p, ν), ν ~ Gamma(q, γ) across customers. Fitted on repeat buyers with
 * x = repeat purchases and z̄ = their mean value (first purchase excluded), in the caller's money unit.
 */
export interface GammaGammaParams {
  p: number;
  q: number;
  /** γ, the rate of ν's distribution (lifetimes calls it v). */
  gamma: number;
}

export interface SpendColumns {
  frequency: ArrayLike<number>;
  monetaryValue: ArrayLike<number>;
  weight?: ArrayLike<number>;
  include?: ArrayLike<number>;
}

export interface GammaGammaFitOptions {
  /** Fewer repeat buyers with a positive mean spend than this → ok:false. Default 20. */
  minRepeatBuyers?: number;
  /** Constrain q > 1 so the population mean spend pγ/(q−1) exists (lifetimes' q_constraint). */
  qAboveOne?: boolean;
  start?: GammaGammaParams;
  onlyStart?: boolean;
  maxIterations?: number;
}

/**
 * A line search that can no longer improve the mean log-likelihood in floating point stops short of
 * fitInLogSpace's gradient tolerance on large data (hundreds of thousands of customers); a gradient
 * this small there is a maximum for every practical purpose.
 */
const STALLED_GRADIENT_TOLERANCE = 1e-5;
const NAMES = ['p', 'q', 'gamma'] as const;

function validParams(g: GammaGammaParams): boolean {
  return g.p > 0 && g.q > 0 && g.gamma > 0 && [g.p, g.q, g.gamma].every(Number.isFinite);
}

/** ln f(z̄ | x) for one repeat buyer (x ≥ 1, z̄ > 0). */
export function gammaGammaLogLikelihood(g: GammaGammaParams, x: number, meanSpend: number): number | undefined {
  if (!validParams(g) || !(Number.isInteger(x) && x >= 1) || !(meanSpend > 0) || !Number.isFinite(meanSpend)) {
    return undefined;
  }
  const px = g.p * x;
  const v =
    lgamma(px + g.q) -
    lgamma(px) -
    lgamma(g.q) +
    g.q * Math.log(g.gamma) +
    (px - 1) * Math.log(meanSpend) +
    px * Math.log(x) -
    (px + g.q) * Math.log(g.gamma + x * meanSpend);
  return Number.isFinite(v) ? v : undefined;
}

/**
 * E[M | z̄, x] = p(γ + x z̄)/(px + q − 1), the posterior mean spend per transaction (note 025 eq. 5). For x = 0 it
 * is the population mean pγ/(q − 1). undefined when that does not exist (q ≤ 1) or the inputs are invalid.
 */
export function gammaGammaExpectedSpend(g: GammaGammaParams, x: number, meanSpend: number): number | undefined {
  if (!validParams(g) || !(Number.isInteger(x) && x >= 0) || !Number.isFinite(meanSpend)) return undefined;
  const spend = x === 0 ? 0 : meanSpend;
  if (spend < 0) return undefined;
  const denominator = g.p * x + g.q - 1;
  if (!(denominator > 0)) return undefined;
  const v = (g.p * (g.gamma + x * spend)) / denominator;
  return Number.isFinite(v) ? v : undefined;
}

/** Pearson correlation of frequency and mean spend over repeat buyers; the model assumes it is near 0. */
export function frequencySpendCorrelation(data: SpendColumns): number | undefined {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < data.frequency.length; i++) {
    if (data.include !== undefined && data.include[i] !== 1) continue;
    const x = data.frequency[i];
    const y = data.monetaryValue[i];
    if (!(x >= 1 && y > 0 && Number.isFinite(y))) continue;
    const w = data.weight === undefined ? 1 : data.weight[i];
    n += w;
    sx += w * x;
    sy += w * y;
    sxx += w * x * x;
    syy += w * y * y;
    sxy += w * x * y;
  }
  if (n < 2) return undefined;
  const cov = sxy - (sx * sy) / n;
  const vx = sxx - (sx * sx) / n;
  const vy = syy - (sy * sy) / n;
  if (!(vx > 0 && vy > 0)) return undefined;
  return cov / Math.sqrt(vx * vy);
}

export function fitGammaGamma(
  data: SpendColumns,
  options: GammaGammaFitOptions = {},
): FitResult<GammaGammaParams> {
  const n = data.frequency.length;
  if (data.monetaryValue.length !== n || (data.weight !== undefined && data.weight.length !== n)) {
    return { ok: false, reason: 'invalid data: frequency, monetary value and weight differ in length' };
  }
  // Repeat buyers with a positive mean spend only (lifetimes and CLVTools drop the rest).
  const xs: number[] = [];
  const zs: number[] = [];
  const ws: number[] = [];
  let weightSum = 0;
  let spendSum = 0;
  for (let i = 0; i < n; i++) {
    if (data.include !== undefined && data.include[i] !== 1) continue;
    const x = data.frequency[i];
    const z = data.monetaryValue[i];
    const w = data.weight === undefined ? 1 : data.weight[i];
    if (!(Number.isFinite(w) && w >= 0)) return { ok: false, reason: `invalid data: weight ${w}` };
    if (!(Number.isInteger(x) && x >= 0)) return { ok: false, reason: `invalid data: frequency ${x}` };
    if (x === 0 || !(z > 0) || !Number.isFinite(z) || w === 0) continue;
    xs.push(x);
    zs.push(z);
    ws.push(w);
    weightSum += w;
    spendSum += w * z;
  }
  const minRepeat = options.minRepeatBuyers ?? 20;
  if (weightSum < minRepeat) {
    return {
      ok: false,
      reason: `only ${weightSum} repeat buyer(s) with a positive average spend; the spend model needs at least ${minRepeat}`,
    };
  }
  if (zs.every((z) => z === zs[0])) {
    return { ok: false, reason: 'all repeat buyers have the same average spend; the spend model cannot be identified' };
  }

  // Money rescaled so the mean spend is 1; γ scales with it and ln L shifts by a constant.
  const scale = weightSum / spendSum;
  const m = xs.length;
  const lnZ = new Float64Array(m);
  const scaledZ = new Float64Array(m);
  const xIndex = new Int32Array(m);
  const xValueIds = new Map<number, number>();
  const xValues: number[] = [];
  const weightPerX: number[] = [];
  for (let i = 0; i < m; i++) {
    scaledZ[i] = zs[i] * scale;
    lnZ[i] = Math.log(scaledZ[i]);
    let id = xValueIds.get(xs[i]);
    if (id === undefined) {
      id = xValues.length;
      xValueIds.set(xs[i], id);
      xValues.push(xs[i]);
      weightPerX.push(0);
    }
    xIndex[i] = id;
    weightPerX[id] += ws[i];
  }
  const nx = xValues.length;
  /** x(ψ(px+q) − ψ(px) + ln x): the per-x part of ∂ ln f/∂p. */
  const constPerX = new Float64Array(nx);
  const weight = Float64Array.from(ws);
  const qOffset = options.qAboveOne ? 1 : 0;

  // Log-likelihood (scaled money) and gradient with respect to (p, q, γ).
  const evaluate = (p: number, q: number, gamma: number, grad: Float64Array): number => {
    const lgQ = lgamma(q);
    const psiQ = digamma(q);
    const lnGamma = Math.log(gamma);
    let ll = 0;
    let gp = 0;
    let gq = 0;
    let gg = 0;
    for (let k = 0; k < nx; k++) {
      const x = xValues[k];
      const w = weightPerX[k];
      const px = p * x;
      const psiPxQ = digamma(px + q);
      constPerX[k] = x * (psiPxQ - digamma(px) + Math.log(x));
      ll += w * (lgamma(px + q) - lgamma(px) - lgQ + q * lnGamma + px * Math.log(x));
      gq += w * (psiPxQ - psiQ + lnGamma);
      gg += (w * q) / gamma;
    }
    for (let i = 0; i < m; i++) {
      const k = xIndex[i];
      const x = xValues[k];
      const w = weight[i];
      const px = p * x;
      const lnDen = Math.log(gamma + x * scaledZ[i]);
      ll += w * ((px - 1) * lnZ[i] - (px + q) * lnDen);
      gp += w * (x * (lnZ[i] - lnDen));
      gq -= w * lnDen;
      gg -= (w * (px + q)) / (gamma + x * scaledZ[i]);
    }
    for (let k = 0; k < nx; k++) gp += weightPerX[k] * constPerX[k];
    grad[0] = gp;
    grad[1] = gq;
    grad[2] = gg;
    return ll;
  };

  const grad = new Float64Array(3);
  const W = weightSum;
  const objective = (theta: Float64Array, g: Float64Array): number => {
    const p = Math.exp(theta[0]);
    const eq = Math.exp(theta[1]);
    const q = qOffset + eq;
    const gamma = Math.exp(theta[2]);
    const ll = evaluate(p, q, gamma, grad);
    g[0] = (-grad[0] * p) / W;
    g[1] = (-grad[1] * eq) / W;
    g[2] = (-grad[2] * gamma) / W;
    return -ll / W;
  };
  const toTheta = (g: GammaGammaParams): number[] => [
    Math.log(g.p),
    Math.log(g.q - qOffset),
    Math.log(g.gamma * scale),
  ];
  const starts: number[][] = [];
  if (options.start !== undefined) starts.push(toTheta(options.start));
  if (!options.onlyStart || options.start === undefined) {
    // Population mean spend pγ/(q−1) = 1 in scaled money, and a flat start.
    starts.push([Math.log(2), Math.log(3 - qOffset), Math.log(1)]);
    starts.push([0, qOffset === 1 ? 0 : Math.log(2), 0]);
  }
  if (starts.some((st) => !st.every(Number.isFinite))) return { ok: false, reason: 'invalid starting point' };
  const result = fitInLogSpace(objective, starts, { maxIterations: options.maxIterations, totalWeight: W });
  if (!Number.isFinite(result.value)) {
    return { ok: false, reason: 'the spend likelihood is not finite anywhere the optimizer looked' };
  }
  const atBound = result.atBound.flatMap((end, i) =>
    end === 0 ? [] : [`${NAMES[i]} → ${end > 0 ? '∞' : i === 1 && qOffset ? 1 : 0}`],
  );
  if (atBound.length > 0) {
    return {
      ok: false,
      reason: `boundary solution (${atBound.join(', ')}): the spend data cannot pin down the model`,
    };
  }
  if (!result.converged && !(result.projectedGradient < STALLED_GRADIENT_TOLERANCE)) {
    return {
      ok: false,
      reason: `the optimizer did not converge after ${result.iterations} iterations (gradient ${result.projectedGradient.toExponential(2)})`,
    };
  }
  const params: GammaGammaParams = {
    p: Math.exp(result.x[0]),
    q: qOffset + Math.exp(result.x[1]),
    gamma: Math.exp(result.x[2]) / scale,
  };
  // Density of z̄ scales as 1/scale: ln f(z̄) = ln f'(z̄·scale) + ln(scale).
  const logLikelihood = -result.value * W + W * Math.log(scale);
  if (!Number.isFinite(logLikelihood)) return { ok: false, reason: 'the fitted spend likelihood is not finite' };
  return { ok: true, params, logLikelihood, iterations: result.iterations, converged: true };
}
