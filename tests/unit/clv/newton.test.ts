import { describe, expect, it } from 'vitest';
import { numericalHessian, polishNewton, solvePositiveDefinite } from '../../../src/core/clv/newton.js';

const wide = { lower: [-10, -10], upper: [10, 10] };

/** f = (x−1)² + 10 (y+2)² + x y: a tilted bowl; ∇f = 0: y = 2 − 2x, 20(4 − 2x) + x = 0, so x = 80/39, y = −82/39. */
function bowl(p: Float64Array, g: Float64Array): number {
  const [x, y] = [p[0], p[1]];
  g[0] = 2 * (x - 1) + y;
  g[1] = 20 * (y + 2) + x;
  return (x - 1) ** 2 + 10 * (y + 2) ** 2 + x * y;
}

describe('Newton polishing', () => {
  it('solves a symmetric positive definite system, and refuses an indefinite one', () => {
    // [[4, 2], [2, 3]] d = [2, 1] → d = [0.5, 0]
    expect(Array.from(solvePositiveDefinite(Float64Array.of(4, 2, 2, 3), Float64Array.of(2, 1)) as Float64Array)).toEqual([0.5, 0]);
    expect(solvePositiveDefinite(Float64Array.of(1, 2, 2, 1), Float64Array.of(1, 1))).toBeUndefined();
  });

  it('takes the Hessian from central differences of the gradient', () => {
    const h = numericalHessian(bowl, Float64Array.of(0.3, 0.7), 1e-5) as Float64Array;
    [2, 1, 1, 20].forEach((v, i) => expect(h[i]).toBeCloseTo(v, 8));
  });

  it('lands on a quadratic’s minimum in one step and reports nothing left to gain', () => {
    const r = polishNewton(bowl, [5, 5], { ...wide, valueTolerance: 1e-12 });
    expect(r.x[0]).toBeCloseTo(80 / 39, 8);
    expect(r.x[1]).toBeCloseTo(-82 / 39, 8);
    expect(r.steps).toBe(1);
    expect(r.converged).toBe(true);
    expect(r.remaining).toBeLessThan(1e-12);
  });

  it('climbs out of a flat valley where a gradient test would already stop (Rosenbrock near its minimum)', () => {
    const rosenbrock = (p: Float64Array, g: Float64Array): number => {
      const [a, b] = [p[0], p[1]];
      g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
      g[1] = 200 * (b - a * a);
      return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
    };
    // Along the valley floor b = a², 5 % from the minimum: small gradient, value 2.5e-3 above the minimum.
    const r = polishNewton(rosenbrock, [0.95, 0.9025], { ...wide, valueTolerance: 1e-14 });
    expect(r.converged).toBe(true);
    expect(r.value).toBeLessThan(1e-12);
  });

  it('does not claim convergence where the curvature is not positive (a saddle)', () => {
    const saddle = (p: Float64Array, g: Float64Array): number => {
      g[0] = 2 * p[0];
      g[1] = -2 * p[1];
      return p[0] ** 2 - p[1] ** 2;
    };
    const r = polishNewton(saddle, [1, 0.5], { ...wide, valueTolerance: 1e-12 });
    expect(r.converged).toBe(false);
    expect(r.remaining).toBe(Infinity);
  });

  it('keeps a coordinate held at a bound and solves for the others', () => {
    // The bowl’s minimum has x = 80/39 > 1; with x ≤ 1 the constrained minimum is x = 1, y = −2 − 1/20.
    const r = polishNewton(bowl, [1, 0], { lower: [-10, -10], upper: [1, 10], valueTolerance: 1e-12 });
    expect(r.x[0]).toBe(1);
    expect(r.x[1]).toBeCloseTo(-2.05, 10);
    expect(r.converged).toBe(true);
  });
});
