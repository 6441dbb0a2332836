const MONTH = /^(\d{4})-(\d{2})$/;

function monthNumber(month: string): number | undefined {
  const match = MONTH.exec(month);
  if (match === null) return undefined;
  const m = Number(match[2]);
  return m >= 1 && m <= 12 ? Number(match[1]) * 12 + (m - 1) : undefined;
}

/** Every 'YYYY-MM' from the earliest to the latest valid one given, so a quiet month still gets a slot. */
export function monthRange(months: Iterable<string>): string[] {
  let min = Infinity;
  let max = -Infinity;
  for (const month of months) {
    const n = monthNumber(month);
    if (n === undefined) continue;
    min = Math.min(min, n);
    max = Math.max(max, n);
  }
  const out: string[] = [];
  for (let n = min; n <= max; n++) out.push(`${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`);
  return out;
}
