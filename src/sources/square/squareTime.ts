/**
 * Square's RFC 3339 times come with and without fractional seconds, sometimes both in one record;
 * compare them as instants, never as strings ("…31Z" sorts after "…31.402Z").
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/** Epoch ms, or undefined when absent or not RFC 3339. Digits past milliseconds are dropped. */
export function parseSquareTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = RFC3339.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, oh, om] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  const ms = fraction ? Number(fraction.slice(0, 3).padEnd(3, '0')) : 0;
  const local = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s), ms);
  const offset = zulu ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
  return local - offset;
}

/** UTC with a `Z`: no `+` that a query string could turn into a space. */
export function formatSquareTime(ms: number): string {
  return new Date(ms).toISOString();
}
