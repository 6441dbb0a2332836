/** X-Series money is a JSON decimal in major units; canonical records hold integer minor units. */

/** Digits after the decimal point of an ISO 4217 currency (JPY 0, NZD 2, KWD 3); 2 when unknown. */
export function currencyDecimals(code: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * Major units to minor units, half away from zero. Binary noise (86.96 × 100 = 8695.999…) is cut at
 * six decimals first, so values that are exact in decimal convert exactly.
 */
export function toMinorUnits(major: number, decimals: number): number {
  const scaled = Number((Math.abs(major) * 10 ** decimals).toFixed(6));
  const minor = Math.round(scaled);
  return major < 0 && minor !== 0 ? -minor : minor;
}
