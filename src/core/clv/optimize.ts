/**
 * Small box-bounded minimizers for the model fits: BFGS with analytic gradients (fast, used first) and
 * Nelder–Mead (derivative-free, rescues starts where BFGS stalls). Both treat a non-finite objective as
 * "step too far" rather than an error, because likelihoods overflow far from the optimum.
 */

/** Returns f(x) and writes ∇f(x) into `gradient`. */
export type ObjectiveWithGradient = (x: Float64Array, gradient: Float64Array) => number;

export interface BoxBounds {
  lower: ArrayLike<number>;
  upper: ArrayLike<number>;
}

export interface MinimizeOptions extends BoxBounds {
  /** Stop when the largest projected-gradient component is below this. */
  gradientTolerance?: number;
  /** Also stop when the quasi-Newton step H·g is below this in every coordinate (ill-conditioned valleys). */
  stepTolerance?: number;
  maxIterations?: number;
}

export interface MinimizeResult {
  x: Float64Array;
  value: number;
  /** Largest component of the gradient projected on the box (0 for components pushing into a bound). */
  projectedGradient: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

const ARMIJO = 1e-4;
const MAX_BACKTRACKS = 60;
/** Largest first step in any coordinate; parameters are optimized on a log scale, so 2 is a factor e². */
const MAX_STEP = 2;
/** Relative change of f below which it no longer resolves progress (a few ulps of a sum of many terms). */
const F_NOISE = 1e-13;

function clampInto(x: Float64Array, bounds: BoxBounds): void {
  for (let i = 0; i < x.length; i++) {
    if (x[i] < bounds.lower[i]) x[i] = bounds.lower[i];
    else if (x[i] > bounds.upper[i]) x[i] = bounds.upper[i];
  }
}

function projectedGradientNorm(x: Float64Array, g: Float64Array, bounds: BoxBounds): number {
  let norm = 0;
  for (let i = 0; i < x.length; i++) {
    const blocked = (x[i] <= bounds.lower[i] && g[i] > 0) || (x[i] >= bounds.upper[i] && g[i] < 0);
    if (!blocked) norm = Math.max(norm, Math.abs(g[i]));
  }
  return norm;
}

/** Largest free coordinate of H·g: how far the quadratic model puts the optimum. */
function quasiNewtonStep(H: Float64Array, g: Float64Array, x: Float64Array, bounds: BoxBounds): number {
  const n = g.length;
  let largest = 0;
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let j = 0; j < n; j++) v += H[i * n + j] * g[j];
    const blocked = (x[i] <= bounds.lower[i] && v > 0) || (x[i] >= bounds.upper[i] && v < 0);
    if (!blocked) largest = Math.max(largest, Math.abs(v));
  }
  return largest;
}

function dot(u: Float64Array, v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i] * v[i];
  return s;
}

export function minimizeBfgs(
  fg: ObjectiveWithGradient,
  start: ArrayLike<number>,
  options: MinimizeOptions,
): MinimizeResult {
  const n = start.length;
  const gtol = options.gradientTolerance ?? 1e-9;
  const maxIterations = options.maxIterations ?? 500;
  const xtol = options.stepTolerance ?? 1e-10;
  let x = Float64Array.from(start);
  clampInto(x, options);
  let g = new Float64Array(n);
  let f = fg(x, g);
  let evaluations = 1;
  if (!Number.isFinite(f) || !g.every(Number.isFinite)) {
    return { x, value: f, projectedGradient: Infinity, iterations: 0, evaluations, converged: false };
  }
  // Inverse Hessian approximation, row-major.
  const H = new Float64Array(n * n);
  const resetH = (scale: number): void => {
    H.fill(0);
    for (let i = 0; i < n; i++) H[i * n + i] = scale;
  };
  resetH(1);
  let freshH = true;
  const d = new Float64Array(n);
  const xn = new Float64Array(n);
  let gn = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const Hy = new Float64Array(n);
  let iterations = 0;
  let pg = projectedGradientNorm(x, g, options);
  let flatSteps = 0;
  let newtonStep = Infinity;

  while (iterations < maxIterations && pg >= gtol && newtonStep >= xtol) {
    iterations++;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v -= H[i * n + j] * g[j];
      const blocked =
        (x[i] <= options.lower[i] && v < 0) || (x[i] >= options.upper[i] && v > 0);
      d[i] = blocked ? 0 : v;
    }
    if (dot(d, g) >= 0) {
      resetH(1);
      freshH = true;
      for (let i = 0; i < n; i++) {
        const blocked =
          (x[i] <= options.lower[i] && g[i] > 0) || (x[i] >= options.upper[i] && g[i] < 0);
        d[i] = blocked ? 0 : -g[i];
      }
    }
    let largest = 0;
    for (let i = 0; i < n; i++) largest = Math.max(largest, Math.abs(d[i]));
    if (largest === 0) break;
    let t = largest > MAX_STEP ? MAX_STEP / largest : 1;
    let accepted = false;
    let fn = NaN;
    for (let k = 0; k < MAX_BACKTRACKS; k++) {
      for (let i = 0; i < n; i++) xn[i] = x[i] + t * d[i];
      clampInto(xn, options);
      let decrease = 0;
      for (let i = 0; i < n; i++) decrease += g[i] * (xn[i] - x[i]);
      fn = fg(xn, gn);
      evaluations++;
      if (Number.isFinite(fn) && gn.every(Number.isFinite)) {
        if (fn <= f + ARMIJO * decrease) {
          accepted = true;
          break;
        }
        // Approximate Wolfe (Hager & Zhang): near the optimum f stops resolving the decrease, so accept a
        // step on f's noise level when the slope along it shows a 1-D minimum was approached.
        let slope = 0;
        for (let i = 0; i < n; i++) slope += gn[i] * (xn[i] - x[i]);
        if (fn <= f + F_NOISE * Math.abs(f) && slope >= 0.9 * decrease && slope <= -0.8 * decrease) {
          accepted = true;
          break;
        }
      }
      t *= 0.5;
    }
    if (!accepted) {
      if (freshH) break;
      // A stale curvature model can point nowhere useful; retry once along the gradient.
      resetH(1);
      freshH = true;
      continue;
    }
    for (let i = 0; i < n; i++) {
      s[i] = xn[i] - x[i];
      y[i] = gn[i] - g[i];
    }
    const sy = dot(s, y);
    const yy = dot(y, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * yy)) {
      if (freshH) resetH(sy / yy);
      freshH = false;
      // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ
      const rho = 1 / sy;
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += H[i * n + j] * y[j];
        Hy[i] = v;
      }
      const yHy = dot(y, Hy);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          H[i * n + j] += -rho * (Hy[i] * s[j] + s[i] * Hy[j]) + (rho * rho * yHy + rho) * s[i] * s[j];
        }
      }
    }
    flatSteps = Math.abs(f - fn) <= 1e-16 * Math.max(1, Math.abs(f)) ? flatSteps + 1 : 0;
    x.set(xn);
    const swap = g;
    g = gn;
    gn = swap;
    f = fn;
    pg = projectedGradientNorm(x, g, options);
    newtonStep = freshH ? Infinity : quasiNewtonStep(H, g, x, options);
    if (flatSteps >= 3) break;
  }
  x = Float64Array.from(x);
  const converged = pg < gtol || newtonStep < xtol;
  return { x, value: f, projectedGradient: pg, iterations, evaluations, converged };
}

export interface NelderMeadOptions extends BoxBounds {
  /** Initial simplex edge in each coordinate. */
  initialStep?: number;
  maxEvaluations?: number;
  /** Stop when the simplex's values differ by less than this. */
  valueTolerance?: number;
}

export interface NelderMeadResult {
  x: Float64Array;
  value: number;
  evaluations: number;
}

/**
 * Nelder–Mead with restarts: a collapsed simplex is rebuilt around its best vertex until a restart no longer
 * improves the value, which guards against the classic premature stall.
 */
export function minimizeNelderMead(
  f: (x: Float64Array) => number,
  start: ArrayLike<number>,
  options: NelderMeadOptions,
): NelderMeadResult {
  const n = start.length;
  const maxEvaluations = options.maxEvaluations ?? 20_000;
  const ftol = options.valueTolerance ?? 1e-12;
  let evaluations = 0;
  const evaluate = (x: Float64Array): number => {
    clampInto(x, options);
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  let best = Float64Array.from(start);
  let bestValue = evaluate(best);
  let step = options.initialStep ?? 0.5;
  for (let restart = 0; restart < 20 && evaluations < maxEvaluations; restart++) {
    const simplex: Float64Array[] = [Float64Array.from(best)];
    const values: number[] = [bestValue];
    for (let i = 0; i < n; i++) {
      const v = Float64Array.from(best);
      v[i] += v[i] + step > options.upper[i] ? -step : step;
      simplex.push(v);
      values.push(evaluate(v));
    }
    const centroid = new Float64Array(n);
    const trial = (from: Float64Array, coefficient: number): Float64Array => {
      const p = new Float64Array(n);
      for (let i = 0; i < n; i++) p[i] = centroid[i] + coefficient * (from[i] - centroid[i]);
      return p;
    };
    while (evaluations < maxEvaluations) {
      const order = values.map((_, i) => i).sort((i, j) => values[i] - values[j]);
      const sortedS = order.map((i) => simplex[i]);
      const sortedV = order.map((i) => values[i]);
      for (let i = 0; i <= n; i++) {
        simplex[i] = sortedS[i];
        values[i] = sortedV[i];
      }
      if (Math.abs(values[n] - values[0]) <= ftol * Math.max(1, Math.abs(values[0]))) break;
      centroid.fill(0);
      for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) centroid[i] += simplex[k][i] / n;
      const worst = simplex[n];
      const reflected = trial(worst, -1);
      const fr = evaluate(reflected);
      if (fr < values[0]) {
        const expanded = trial(worst, -2);
        const fe = evaluate(expanded);
        if (fe < fr) {
          simplex[n] = expanded;
          values[n] = fe;
        } else {
          simplex[n] = reflected;
          values[n] = fr;
        }
      } else if (fr < values[n - 1]) {
        simplex[n] = reflected;
        values[n] = fr;
      } else {
        const inside = fr >= values[n];
        const contracted = trial(inside ? worst : reflected, 0.5);
        const fc = evaluate(contracted);
        if (fc < Math.min(fr, values[n])) {
          simplex[n] = contracted;
          values[n] = fc;
        } else {
          for (let k = 1; k <= n; k++) {
            for (let i = 0; i < n; i++) simplex[k][i] = simplex[0][i] + 0.5 * (simplex[k][i] - simplex[0][i]);
            values[k] = evaluate(simplex[k]);
          }
        }
      }
    }
    let bi = 0;
    for (let k = 1; k <= n; k++) if (values[k] < values[bi]) bi = k;
    const improved = bestValue - values[bi] > ftol * Math.max(1, Math.abs(bestValue));
    if (values[bi] <= bestValue) {
      best = Float64Array.from(simplex[bi]);
      bestValue = values[bi];
    }
    if (!improved && restart > 0) break;
    step = Math.max(step * 0.5, 1e-3);
  }
  return { x: best, value: bestValue, evaluations };
}

export interface MultiStartOptions extends MinimizeOptions {
  /** Rescue a best result that did not converge with Nelder–Mead and BFGS again (default true). */
  rescue?: boolean;
}

/** Nelder–Mead from where BFGS stalled, then BFGS again: for starts where the quasi-Newton model misleads. */
export function rescueWithNelderMead(fg: ObjectiveWithGradient, best: MinimizeResult, options: MinimizeOptions): MinimizeResult {
  const scratch = new Float64Array(best.x.length);
  const nm = minimizeNelderMead((x) => fg(x, scratch), best.x, { ...options, initialStep: 0.3 });
  const polished = minimizeBfgs(fg, nm.x, options);
  const evaluations = best.evaluations + nm.evaluations + polished.evaluations;
  const iterations = best.iterations + polished.iterations;
  const better = polished.value <= best.value || polished.converged ? polished : best;
  return { ...better, iterations, evaluations };
}

export function minimizeFromStarts(
  fg: ObjectiveWithGradient,
  starts: ArrayLike<number>[],
  options: MultiStartOptions,
): MinimizeResult {
  let best: MinimizeResult | undefined;
  let evaluations = 0;
  let iterations = 0;
  for (const start of starts) {
    const r = minimizeBfgs(fg, start, options);
    evaluations += r.evaluations;
    iterations += r.iterations;
    const better = Number.isFinite(r.value) && !(best !== undefined && r.value >= best.value);
    if (best === undefined || better) best = r;
  }
  if (best === undefined) throw new Error('minimizeFromStarts needs at least one start');
  const all = { ...best, iterations, evaluations };
  return !best.converged && options.rescue !== false ? rescueWithNelderMead(fg, all, options) : all;
}
