/**
 * Axis ticks from 0 to a round number at or above `max`: steps of 1, 2, 2.5 or 5 times a power of ten,
 * about `target` of them. `max` ≤ 0 (nothing to show) gives [0, 1] so scales never divide by zero.
 */
export function niceTicks(max: number, target = 4): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const raw = max / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const count = Math.ceil(max / step - 1e-9);
  const ticks: number[] = [];
  // Multiply rather than accumulate so 0.1-steps do not drift to 0.30000000000000004.
  for (let i = 0; i <= count; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}
