import type { BoxBounds, ObjectiveWithGradient } from './optimize.js';

/**
 * Newton steps from where a quasi-Newton optimizer stopped, to the maximum itself. BFGS stops on a small
 * gradient; on a flat likelihood surface (two parameters that trade off against each other) a small
 * gradient can still be far, in value, from the optimum. Newton's method with the real curvature (central
 * differences of the analytic gradient) closes that gap in a few steps, and its decrement gᵀH⁻¹g says how
 * much is left to gain, which is the convergence test the fits report.
 */
export interface PolishOptions extends BoxBounds {
  /** Stop when a step lowers f by less than this (in f's units). */
  valueTolerance: number;
  maxSteps?: number;
  /** Central-difference step for the Hessian, in x's units. */
  hessianStep?: number;
  /** `converged` when the Newton decrement at the end is below this. Default 1000 × valueTolerance. */
  acceptTolerance?: number;
}

export interface PolishResult {
  x: Float64Array;
  value: number;
  gradient: Float64Array;
  /** Hessian of f at `x` (row-major), by central differences of the gradient. */
  hessian: Float64Array;
  steps: number;
  /** Newton decrement gᵀH⁻¹g / 2: what the quadratic model says is left to gain; Infinity when H is not positive definite. */
  remaining: number;
  /** H positive definite and `remaining` below the accept tolerance. */
  converged: boolean;
}

const MAX_HALVINGS = 40;

/** Hessian of f by central differences of its gradient, symmetrized; undefined where a gradient is not finite. */
export function numericalHessian(fg: ObjectiveWithGradient, x: Float64Array, step: number): Float64Array | undefined {
  const n = x.length;
  const hessian = new Float64Array(n * n);
  const up = new Float64Array(n);
  const down = new Float64Array(n);
  const at = Float64Array.from(x);
  for (let j = 0; j < n; j++) {
    const h = step * Math.max(1, Math.abs(x[j]));
    at[j] = x[j] + h;
    const fu = fg(at, up);
    at[j] = x[j] - h;
    const fd = fg(at, down);
    at[j] = x[j];
    if (!Number.isFinite(fu) || !Number.isFinite(fd)) return undefined;
    for (let i = 0; i < n; i++) hessian[i * n + j] = (up[i] - down[i]) / (2 * h);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (hessian[i * n + j] + hessian[j * n + i]);
      hessian[i * n + j] = v;
      hessian[j * n + i] = v;
    }
  }
  return hessian.every(Number.isFinite) ? hessian : undefined;
}

/** Solves A d = b for symmetric positive definite A (Cholesky); undefined when A is not positive definite. */
export function solvePositiveDefinite(a: Float64Array, b: Float64Array): Float64Array | undefined {
  const n = b.length;
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j];
      for (let k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(sum > 0)) return undefined;
        l[i * n + i] = Math.sqrt(sum);
      } else l[i * n + j] = sum / l[j * n + j];
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= l[i * n + k] * y[k];
    y[i] = sum / l[i * n + i];
  }
  const d = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i];
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i] * d[k];
    d[i] = sum / l[i * n + i];
  }
  return d;
}

/** Coordinates not held at a bound by a gradient pushing outwards. */
function freeCoordinates(x: Float64Array, g: Float64Array, bounds: BoxBounds): number[] {
  const free: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const held = (x[i] <= bounds.lower[i] && g[i] > 0) || (x[i] >= bounds.upper[i] && g[i] < 0);
    if (!held) free.push(i);
  }
  return free;
}

interface NewtonDirection {
  direction: Float64Array;
  /** gᵀH⁻¹g / 2 over the free coordinates. */
  decrement: number;
}

/** The Newton direction over the free coordinates; undefined when H is not positive definite there. */
function newtonDirection(g: Float64Array, hessian: Float64Array, free: number[]): NewtonDirection | undefined {
  const n = g.length;
  const m = free.length;
  const direction = new Float64Array(n);
  if (m === 0) return { direction, decrement: 0 };
  const sub = new Float64Array(m * m);
  const rhs = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    rhs[i] = -g[free[i]];
    for (let j = 0; j < m; j++) sub[i * m + j] = hessian[free[i] * n + free[j]];
  }
  const d = solvePositiveDefinite(sub, rhs);
  if (d === undefined) return undefined;
  let decrement = 0;
  for (let i = 0; i < m; i++) {
    direction[free[i]] = d[i];
    decrement -= 0.5 * g[free[i]] * d[i];
  }
  return { direction, decrement };
}

export function polishNewton(fg: ObjectiveWithGradient, start: ArrayLike<number>, options: PolishOptions): PolishResult {
  const n = start.length;
  const maxSteps = options.maxSteps ?? 30;
  const hessianStep = options.hessianStep ?? 1e-5;
  const acceptTolerance = options.acceptTolerance ?? 1000 * options.valueTolerance;
  let x = Float64Array.from(start);
  let g = new Float64Array(n);
  let f = fg(x, g);
  let gn = new Float64Array(n);
  const xn = new Float64Array(n);
  let steps = 0;
  let lastGain = Infinity;
  for (;;) {
    const hessian = Number.isFinite(f) ? numericalHessian(fg, x, hessianStep) : undefined;
    const newton = hessian === undefined ? undefined : newtonDirection(g, hessian, freeCoordinates(x, g, options));
    const remaining = newton?.decrement ?? Infinity;
    const result = (): PolishResult => ({
      x,
      value: f,
      gradient: g,
      hessian: hessian ?? new Float64Array(n * n).fill(NaN),
      steps,
      remaining,
      converged: remaining < acceptTolerance,
    });
    if (newton === undefined || remaining < options.valueTolerance || lastGain < options.valueTolerance || steps >= maxSteps) {
      return result();
    }
    let t = 1;
    let accepted = false;
    let fn = NaN;
    for (let k = 0; k < MAX_HALVINGS && !accepted; k++, t *= 0.5) {
      for (let i = 0; i < n; i++) {
        xn[i] = Math.min(options.upper[i], Math.max(options.lower[i], x[i] + t * newton.direction[i]));
      }
      fn = fg(xn, gn);
      accepted = Number.isFinite(fn) && fn < f;
    }
    // No lower value along the Newton direction: f no longer resolves what is left.
    if (!accepted) return result();
    steps++;
    lastGain = f - fn;
    x = Float64Array.from(xn);
    [g, gn] = [gn, g];
    f = fn;
  }
}
