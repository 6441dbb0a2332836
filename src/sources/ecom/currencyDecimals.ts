/**
 * Minor-unit exponents of ISO 4217 currencies that do not use two decimals (ISO 4217 list one,
 * 2024 edition). Anything not listed has two, which is right for nearly every currency in use.
 */
const NOT_TWO: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/** Number of decimals of the currency's minor unit (JPY 0, EUR 2, KWD 3). */
export function currencyDecimals(code: string): number {
  return NOT_TWO[code.toUpperCase()] ?? 2;
}
