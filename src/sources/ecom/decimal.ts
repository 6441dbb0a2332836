/**
 * Exact decimal numbers from export cells (`1.234,50`, `(12.00)`, `€ -3,99`), so money never goes
 * through binary floating point before it is in integer minor units.
 */

/** value = units / 10^scale */
export interface Decimal {
  units: bigint;
  scale: number;
}

export type DecimalSeparator = '.' | ',';

const CURRENCY_PREFIX = /^(?:[A-Za-z]{3}|[$€£¥₩₹])\s*/;
const CURRENCY_SUFFIX = /\s*(?:[A-Za-z]{3}|[$€£¥₩₹])$/;
// Thousands separators besides the other of `.`/`,`: spaces (plain, no-break, narrow) and Swiss apostrophes.
const GROUPING_EXTRA = " \u00a0\u202f'\u2019";

const patterns = new Map<DecimalSeparator, RegExp>();
function bodyPattern(decimal: DecimalSeparator): RegExp {
  let pattern = patterns.get(decimal);
  if (!pattern) {
    const group = `[${decimal === '.' ? ',' : '.'}${GROUPING_EXTRA}]`;
    const point = decimal === '.' ? '\\.' : ',';
    pattern = new RegExp(`^(\\d{1,3}(?:${group}\\d{3})+|\\d+)?(?:${point}(\\d+))?$`);
    patterns.set(decimal, pattern);
  }
  return pattern;
}

function takeSign(text: string): { negative: boolean; rest: string; signed: boolean } {
  const first = text[0];
  if (first === '-' || first === '\u2212') return { negative: true, rest: text.slice(1).trimStart(), signed: true };
  if (first === '+') return { negative: false, rest: text.slice(1).trimStart(), signed: true };
  const last = text[text.length - 1];
  if (last === '-') return { negative: true, rest: text.slice(0, -1).trimEnd(), signed: true };
  return { negative: false, rest: text, signed: false };
}

/** The exact value of `text`, or undefined when it is not a number written with `decimal`. */
export function parseDecimal(text: string, decimal: DecimalSeparator): Decimal | undefined {
  let rest = text.trim();
  let negative = false;
  if (rest.startsWith('(') && rest.endsWith(')')) {
    negative = true;
    rest = rest.slice(1, -1).trim();
  }
  let sign = takeSign(rest);
  rest = sign.rest;
  const beforeSymbol = rest;
  rest = rest.replace(CURRENCY_PREFIX, '').replace(CURRENCY_SUFFIX, '');
  if (!sign.signed && rest !== beforeSymbol) {
    sign = takeSign(rest);
    rest = sign.rest;
  }
  if (sign.negative) {
    if (negative) return undefined;
    negative = true;
  }
  const match = bodyPattern(decimal).exec(rest);
  if (!match || (match[1] === undefined && match[2] === undefined)) return undefined;
  const whole = (match[1] ?? '').replace(/\D/g, '');
  const fraction = match[2] ?? '';
  const units = BigInt((whole || '0') + fraction);
  return { units: negative ? -units : units, scale: fraction.length };
}

export function multiply(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** Integer minor units with `decimals` decimals, rounding half away from zero. */
export function toMinorUnits(value: Decimal, decimals: number): number {
  if (value.scale <= decimals) return Number(value.units * 10n ** BigInt(decimals - value.scale));
  const divisor = 10n ** BigInt(value.scale - decimals);
  const magnitude = value.units < 0n ? -value.units : value.units;
  let quotient = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) quotient += 1n;
  return Number(value.units < 0n ? -quotient : quotient);
}
