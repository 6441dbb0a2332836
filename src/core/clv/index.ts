/**
 * Lifetime-value models: BG/NBD, MBG/NBD, Pareto/NBD and their NBD limit, Gamma-Gamma, CLV, the model choice
 * and their inputs. Pure: plain data in, plain data out.
 */
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
export { compressPatterns, DistinctTuples, type HistoryColumns, type PurchasePatterns } from './compressPatterns.js';
export {
  bgnbdConditionalExpectedPurchases,
  bgnbdExpectedPurchases,
  bgnbdExpectedPurchasesIfAlive,
  bgnbdLogLikelihood,
  bgnbdProbabilityAlive,
  bgnbdProbabilityOfPurchases,
  type BgNbdParams,
} from './bgnbd.js';
export {
  bgnbdStandardErrors,
  bgnbdTotalLogLikelihood,
  fitBgNbd,
  fitMbgNbd,
  mbgnbdTotalLogLikelihood,
  type BgNbdFitOptions,
} from './bgnbdFit.js';
export {
  mbgnbdConditionalExpectedPurchases,
  mbgnbdExpectedPurchases,
  mbgnbdExpectedPurchasesIfAlive,
  mbgnbdLogLikelihood,
  mbgnbdProbabilityAlive,
} from './mbgnbd.js';
export {
  fitNbd,
  nbdConditionalExpectedPurchases,
  nbdExpectedPurchases,
  nbdLogLikelihood,
  nbdTotalLogLikelihood,
  type NbdParams,
} from './nbd.js';
export {
  fitParetoNbd,
  paretoNbdConditionalExpectedPurchases,
  paretoNbdExpectedPurchases,
  paretoNbdExpectedPurchasesIfAlive,
  paretoNbdLogLikelihood,
  paretoNbdProbabilityAlive,
  paretoNbdStandardErrors,
  paretoNbdTotalLogLikelihood,
  type ParetoNbdParams,
} from './paretoNbd.js';
export type { CountingFitOptions, CountingFitResult, NoDropOutBoundary } from './countingFit.js';
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
export { holdoutComparison, holdoutError, type HoldoutGroup, type HoldoutInput } from './holdout.js';
export {
  conditionalExpectedPurchases,
  DROP_OUT_MODELS,
  expectedPurchases,
  expectedPurchasesIfAlive,
  fitPurchaseModel,
  logLikelihood,
  MODEL_LABELS,
  predictCustomers,
  probabilityAlive,
  type CustomerPredictions,
  type DropOutModelName,
  type PurchaseModel,
  type PurchaseModelFit,
  type PurchaseModelName,
} from './purchaseModel.js';
export { calibrationFamilies, chooseModel, type CandidateReport, type ChoiceOptions, type HoldoutRow, type ModelChoice, type ModelSetting } from './modelChoice.js';
export {
  simulateBgNbd,
  simulateMbgNbd,
  simulateNbd,
  simulateParetoNbd,
  type SimulateOptions,
  type SimulatedCustomers,
} from './simulate.js';
export { createRandom, type Random } from './random.js';
export { hyp2f1 } from './hyp2f1.js';
export { digamma, lbeta, lgamma } from './specialFunctions.js';
