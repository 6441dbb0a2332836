/**
 * Number and date formatting for the report. Fixed to en-US so the same data always renders the same
 * page, whatever the machine's locale. Non-finite numbers render as an em dash rather than "NaN".
 */

const DASH = '—';
const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compactFormat = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const moneyFormats = new Map<string, Intl.NumberFormat | null>();

function moneyFormat(currency: string, compact: boolean): Intl.NumberFormat | null {
  const key = `${currency}|${compact}`;
  let format = moneyFormats.get(key);
  if (format === undefined) {
    try {
      format = new Intl.NumberFormat('en-US', {
        style: 'currency',
        currency,
        ...(compact ? { notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 } : {}),
      });
    } catch {
      // An unknown or malformed code must not break the page: fall back to "1,234.50 XYZ".
      format = null;
    }
    moneyFormats.set(key, format);
  }
  return format;
}

/** Whole counts with thousands separators: 12345 → "12,345". */
export function formatCount(value: number): string {
  return Number.isFinite(value) ? countFormat.format(value) : DASH;
}

/** Short numbers for axis ticks: 12500 → "12.5K". */
export function formatCompact(value: number): string {
  return Number.isFinite(value) ? compactFormat.format(value) : DASH;
}

export function formatDecimal(value: number, digits: number): string {
  if (!Number.isFinite(value)) return DASH;
  return new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/** Major units with the currency's own decimals: (1234.5, "USD") → "$1,234.50", (1234.5, "JPY") → "¥1,235". */
export function formatMoney(value: number, currency: string): string {
  if (!Number.isFinite(value)) return DASH;
  const format = moneyFormat(currency, false);
  return format === null ? `${formatDecimal(value, 2)} ${currency}` : format.format(value);
}

/** Headline money without the minor units: (698220.09, "USD") → "$698,220". */
export function formatMoneyWhole(value: number, currency: string): string {
  if (!Number.isFinite(value)) return DASH;
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(value);
  } catch {
    return `${formatCount(value)} ${currency}`;
  }
}

/** Axis ticks in money: (12500, "USD") → "$12.5K". */
export function formatMoneyCompact(value: number, currency: string): string {
  if (!Number.isFinite(value)) return DASH;
  const format = moneyFormat(currency, true);
  return format === null ? `${formatCompact(value)} ${currency}` : format.format(value);
}

/** A share 0–1 as a percentage: (0.4567, 1) → "45.7%". */
export function formatPercent(share: number, digits = 0): string {
  return Number.isFinite(share) ? `${formatDecimal(share * 100, digits)}%` : DASH;
}

/** `part / whole` as a percentage, or a dash when the whole is zero. */
export function formatShare(part: number, whole: number, digits = 0): string {
  return whole > 0 ? formatPercent(part / whole, digits) : DASH;
}

/** Model parameters and means: four significant digits, no exponent for everyday magnitudes. */
export function formatSignificant(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return DASH;
  if (value !== 0 && (Math.abs(value) >= 1e6 || Math.abs(value) < 1e-4)) return value.toExponential(digits - 1);
  return String(Number(value.toPrecision(digits)));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2025-06" → "Jun 2025"; anything else is returned as given. */
export function formatMonth(month: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (match === null) return month;
  const index = Number(match[2]) - 1;
  return index >= 0 && index < 12 ? `${MONTHS[index]} ${match[1]}` : month;
}

export function shortMonthName(monthIndex: number): string {
  return MONTHS[monthIndex] ?? '';
}

/**
 * An ISO time as people read it, in UTC: "2025-06-30T12:00:00Z" → "30 Jun 2025, 12:00 UTC". Text that is
 * not a time is returned as given (escaped later like any other data).
 */
export function formatDateTime(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  const d = new Date(ms);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${hh}:${mm} UTC`;
}

/** A day as "3 Mar 2025" from epoch ms. */
export function formatDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}
