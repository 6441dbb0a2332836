/**
 * A maximiser for the tests that shares nothing with src/core/clv/optimize.ts or newton.ts: textbook
 * Nelder–Mead (reflection 1, expansion 2, contraction ½, shrink ½), restarted from its best point with a
 * fresh simplex until a restart gains less than `tolerance`. Slow and sure: what the fitters' maxima are
 * checked against.
 */
export interface Maximum {
  x: number[];
  value: number;
  evaluations: number;
}

function nelderMead(f: (x: number[]) => number, start: number[], step: number, tolerance: number, budget: number): Maximum {
  const n = start.length;
  // Minimise −f; non-finite values count as −∞ for f.
  const g = (x: number[]): number => {
    const v = f(x);
    return Number.isFinite(v) ? -v : Infinity;
  };
  let points = [start.slice()];
  for (let i = 0; i < n; i++) {
    const p = start.slice();
    p[i] += step;
    points.push(p);
  }
  let values = points.map(g);
  let evaluations = points.length;
  const combine = (a: number[], b: number[], t: number): number[] => a.map((v, i) => v + t * (b[i] - v));
  while (evaluations < budget) {
    const order = values.map((_, i) => i).sort((i, j) => values[i] - values[j]);
    points = order.map((i) => points[i]);
    values = order.map((i) => values[i]);
    if (values[n] - values[0] <= tolerance) break;
    const centroid = new Array<number>(n).fill(0);
    for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) centroid[i] += points[k][i] / n;
    const reflected = combine(centroid, points[n], -1);
    const fr = g(reflected);
    evaluations++;
    if (fr < values[0]) {
      const expanded = combine(centroid, points[n], -2);
      const fe = g(expanded);
      evaluations++;
      [points[n], values[n]] = fe < fr ? [expanded, fe] : [reflected, fr];
    } else if (fr < values[n - 1]) {
      [points[n], values[n]] = [reflected, fr];
    } else {
      const contracted = combine(centroid, fr < values[n] ? reflected : points[n], 0.5);
      const fc = g(contracted);
      evaluations++;
      if (fc < Math.min(fr, values[n])) [points[n], values[n]] = [contracted, fc];
      else {
        for (let k = 1; k <= n; k++) {
          points[k] = combine(points[0], points[k], 0.5);
          values[k] = g(points[k]);
          evaluations++;
        }
      }
    }
  }
  const best = values.indexOf(Math.min(...values));
  return { x: points[best], value: -values[best], evaluations };
}

/** Maximum of f near `start`: Nelder–Mead restarts until one gains less than `tolerance`. */
export function independentMaximum(f: (x: number[]) => number, start: number[], tolerance = 1e-7): Maximum {
  let best: Maximum = { x: start, value: f(start), evaluations: 1 };
  let evaluations = 1;
  for (let restart = 0, step = 0.2; restart < 30; restart++, step = Math.max(step / 2, 1e-3)) {
    const next = nelderMead(f, best.x, step, tolerance / 10, 20_000);
    evaluations += next.evaluations;
    const gain = next.value - best.value;
    if (gain > 0) best = next;
    if (gain < tolerance && restart > 1) break;
  }
  return { ...best, evaluations };
}
