/** Cuts [from, to) into consecutive windows of at most `maxMs`; the last one ends exactly at `to`. */
export function timeWindows(from: number, to: number, maxMs: number): Array<[number, number]> {
  if (!(maxMs > 0)) throw new Error('timeWindows: the window width must be positive');
  const out: Array<[number, number]> = [];
  for (let start = from; start < to; start += maxMs) out.push([start, Math.min(to, start + maxMs)]);
  return out;
}
