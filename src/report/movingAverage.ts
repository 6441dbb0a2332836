/**
 * Trailing moving average: entry i is the mean of values i−window+1 … i. The first window−1 entries
 * have no full window and are undefined, as with pandas' `rolling(window).mean()`.
 */
export function movingAverage(values: readonly number[], window: number): (number | undefined)[] {
  const out: (number | undefined)[] = new Array(values.length).fill(undefined);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    if (i >= window) sum -= values[i - window];
    if (i >= window - 1) out[i] = sum / window;
  }
  return out;
}
