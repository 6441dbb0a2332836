/** Lifetime-value models: BG/NBD, Gamma-Gamma, CLV and their inputs. Pure: plain data in, plain data out. */
export type { FitResult } from './fitResult.js';
export {
  summarize,
  summarizeColumns,
  type Summary,
  type SummaryColumns,
  type SummaryOptions,
  type SummaryRow,
  type Transaction,
} from './rfmSummary.js';
export { compressPatterns, type HistoryColumns, type PurchasePatterns } from './compressPatterns.js';
export {
  bgnbdConditionalExpectedPurchases,
  bgnbdExpectedPurchases,
  bgnbdExpectedPurchasesIfAlive,
  bgnbdLogLikelihood,
  bgnbdProbabilityAlive,
  bgnbdProbabilityOfPurchases,
  type BgNbdParams,
} from './bgnbd.js';
export { bgnbdStandardErrors, bgnbdTotalLogLikelihood, fitBgNbd, type BgNbdFitOptions } from './bgnbdFit.js';
export {
  fitGammaGamma,
  frequencySpendCorrelation,
  gammaGammaExpectedSpend,
  gammaGammaLogLikelihood,
  type GammaGammaFitOptions,
  type GammaGammaParams,
  type SpendColumns,
} from './gammaGamma.js';
export { customerLifetimeValue, periodsPerMonth, predictClv, type ClvInput, type ClvOptions } from './clv.js';
export { holdoutComparison, type HoldoutGroup, type HoldoutInput } from './holdout.js';
export { simulateBgNbd, type SimulateOptions, type SimulatedCustomers } from './simulate.js';
export { createRandom, type Random } from './random.js';
export { hyp2f1 } from './hyp2f1.js';
export { digamma, lgamma } from './specialFunctions.js';
