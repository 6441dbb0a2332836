/** ISO 4217 minor units, and conversion of decimal major amounts to exact integer minor units. */

/**
 * Currencies whose minor unit is not two decimals (ISO 4217 list one, 2024 edition). Anything not
 * listed has two, which is right for nearly every currency in use.
 */
const NOT_TWO: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/** Number of decimals of the currency's minor unit (JPY 0, EUR 2, KWD 3); 2 when unknown or absent. */
export function currencyDecimals(code: string | undefined): number {
  return code ? (NOT_TWO[code.toUpperCase()] ?? 2) : 2;
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
