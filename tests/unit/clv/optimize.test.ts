import { describe, expect, it } from 'vitest';
import { minimizeBfgs, minimizeFromStarts, minimizeNelderMead } from '../../../src/core/clv/optimize.js';

/** Rosenbrock's valley: minimum 0 at (1, 1), a classic trap for poor optimizers. */
function rosenbrock(x: Float64Array, g: Float64Array): number {
  const [a, b] = [x[0], x[1]];
  g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
  g[1] = 200 * (b - a * a);
  return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
}

const wide = { lower: [-10, -10], upper: [10, 10] };

describe('minimizeBfgs', () => {
  it.each([
    [[-1.2, 1]],
    [[5, -7]],
    [[-9, 9]],
  ])('finds the Rosenbrock minimum from %j', (start) => {
    const r = minimizeBfgs(rosenbrock, start, wide);
    expect(r.converged).toBe(true);
    expect(Math.abs(r.x[0] - 1)).toBeLessThan(1e-6);
    expect(Math.abs(r.x[1] - 1)).toBeLessThan(1e-6);
  });

  it('stops on a bound when the unconstrained minimum is outside the box', () => {
    // f = (x−3)² + (y+1)²; box [0,2]×[0,2] → minimum at (2, 0)
    const f = (x: Float64Array, g: Float64Array): number => {
      g[0] = 2 * (x[0] - 3);
      g[1] = 2 * (x[1] + 1);
      return (x[0] - 3) ** 2 + (x[1] + 1) ** 2;
    };
    const r = minimizeBfgs(f, [0.5, 1.5], { lower: [0, 0], upper: [2, 2] });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBe(2);
    expect(r.x[1]).toBe(0);
    expect(r.projectedGradient).toBe(0);
  });

  it('backs off from regions where the objective is not finite', () => {
    // ln-barrier: f = x − ln x is infinite for x ≤ 0 (NaN), minimum at x = 1
    const f = (x: Float64Array, g: Float64Array): number => {
      g[0] = 1 - 1 / x[0];
      return x[0] - Math.log(x[0]);
    };
    const r = minimizeBfgs(f, [30], { lower: [-100], upper: [100] });
    expect(r.converged).toBe(true);
    expect(Math.abs(r.x[0] - 1)).toBeLessThan(1e-8);
  });
});

describe('minimizeNelderMead', () => {
  it('finds the Rosenbrock minimum without gradients', () => {
    const scratch = new Float64Array(2);
    const r = minimizeNelderMead((x) => rosenbrock(x, scratch), [-1.2, 1], { ...wide, valueTolerance: 1e-16 });
    expect(Math.abs(r.x[0] - 1)).toBeLessThan(1e-4);
    expect(Math.abs(r.x[1] - 1)).toBeLessThan(1e-4);
  });
});

describe('minimizeFromStarts', () => {
  it('keeps the best of several starts', () => {
    // Two wells: f = (x² − 1)² + 0.1·x has its global minimum near x = −1.
    const f = (x: Float64Array, g: Float64Array): number => {
      g[0] = 4 * x[0] * (x[0] * x[0] - 1) + 0.1;
      return (x[0] * x[0] - 1) ** 2 + 0.1 * x[0];
    };
    const r = minimizeFromStarts(f, [[2], [-2]], { lower: [-5], upper: [5] });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeLessThan(-0.9);
  });
});
