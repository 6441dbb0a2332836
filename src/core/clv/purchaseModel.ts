import {
  bgnbdExpectedPurchases,
  bgnbdExpectedPurchasesIfAlive,
  bgnbdLogLikelihood,
  bgnbdProbabilityAlive,
  type BgNbdParams,
} from './bgnbd.js';
import { fitBgNbd, fitMbgNbd } from './bgnbdFit.js';
import type { HistoryColumns } from './compressPatterns.js';
import type { CountingFitOptions, CountingFitResult } from './countingFit.js';
import {
  mbgnbdExpectedPurchases,
  mbgnbdExpectedPurchasesIfAlive,
  mbgnbdLogLikelihood,
  mbgnbdProbabilityAlive,
} from './mbgnbd.js';
import {
  fitNbd,
  nbdConditionalExpectedPurchases,
  nbdExpectedPurchases,
  nbdLogLikelihood,
  type NbdParams,
} from './nbd.js';
import {
  fitParetoNbd,
  paretoNbdExpectedPurchases,
  paretoNbdExpectedPurchasesIfAlive,
  paretoNbdLogLikelihood,
  paretoNbdProbabilityAlive,
  type ParetoNbdParams,
} from './paretoNbd.js';

/**
 * One interface over the purchase models, so that predictions, CLV and the holdout check do not care which
 * model was fitted: BG/NBD, MBG/NBD, Pareto/NBD, or the NBD they all become when the data show no drop-out.
 */
export type PurchaseModel =
  | { name: 'bgnbd'; params: BgNbdParams }
  | { name: 'mbgnbd'; params: BgNbdParams }
  | { name: 'paretonbd'; params: ParetoNbdParams }
  | { name: 'nbd'; params: NbdParams };

export type PurchaseModelName = PurchaseModel['name'];
/** The models a user can ask for (`clv.model`); the NBD only ever comes as their no-drop-out limit. */
export type DropOutModelName = Exclude<PurchaseModelName, 'nbd'>;
export const DROP_OUT_MODELS: readonly DropOutModelName[] = ['bgnbd', 'mbgnbd', 'paretonbd'];
/**
 * The models `clv.model: auto` compares. Pareto/NBD is left out: its likelihood is a hypergeometric
 * series per customer, and fitting it took about 45 s for 2,800 customers where BG/NBD and MBG/NBD take
 * well under a second each, which a nightly update (and a chain of a million customers) cannot pay.
 * It is there when asked for by name (`clv.model: "paretonbd"`).
 */
export const AUTO_MODELS: readonly DropOutModelName[] = ['bgnbd', 'mbgnbd'];

export const MODEL_LABELS: Record<PurchaseModelName, string> = {
  bgnbd: 'BG/NBD',
  mbgnbd: 'MBG/NBD',
  paretonbd: 'Pareto/NBD',
  nbd: 'NBD',
};

interface Formulas<P> {
  logLikelihood(p: P, x: number, tx: number, T: number): number | undefined;
  probabilityAlive(p: P, x: number, tx: number, T: number): number | undefined;
  expectedPurchasesIfAlive(p: P, t: number, x: number, T: number): number | undefined;
  expectedPurchases(p: P, t: number): number | undefined;
}

const FORMULAS: { [K in PurchaseModelName]: Formulas<Extract<PurchaseModel, { name: K }>['params']> } = {
  bgnbd: {
    logLikelihood: bgnbdLogLikelihood,
    probabilityAlive: bgnbdProbabilityAlive,
    expectedPurchasesIfAlive: bgnbdExpectedPurchasesIfAlive,
    expectedPurchases: bgnbdExpectedPurchases,
  },
  mbgnbd: {
    logLikelihood: mbgnbdLogLikelihood,
    probabilityAlive: mbgnbdProbabilityAlive,
    expectedPurchasesIfAlive: mbgnbdExpectedPurchasesIfAlive,
    expectedPurchases: mbgnbdExpectedPurchases,
  },
  paretonbd: {
    logLikelihood: paretoNbdLogLikelihood,
    probabilityAlive: paretoNbdProbabilityAlive,
    expectedPurchasesIfAlive: paretoNbdExpectedPurchasesIfAlive,
    expectedPurchases: paretoNbdExpectedPurchases,
  },
  nbd: {
    logLikelihood: nbdLogLikelihood,
    // Nobody drops out: 1 for every valid history.
    probabilityAlive: (p, x, tx, T) => (nbdLogLikelihood(p, x, tx, T) === undefined ? undefined : 1),
    expectedPurchasesIfAlive: nbdConditionalExpectedPurchases,
    expectedPurchases: nbdExpectedPurchases,
  },
};

function formulas(m: PurchaseModel): Formulas<PurchaseModel['params']> {
  return FORMULAS[m.name] as Formulas<PurchaseModel['params']>;
}

/** P(alive at T | x, t_x, T); 1 for everyone under the NBD. */
export function probabilityAlive(m: PurchaseModel, x: number, tx: number, T: number): number | undefined {
  return formulas(m).probabilityAlive(m.params, x, tx, T);
}

/** Expected purchases in the next t periods of a customer known to be alive; depends on (x, T) only. */
export function expectedPurchasesIfAlive(m: PurchaseModel, t: number, x: number, T: number): number | undefined {
  return formulas(m).expectedPurchasesIfAlive(m.params, t, x, T);
}

/** E[Y(t) | x, t_x, T] = P(alive) × E[purchases in the next t periods | alive]. */
export function conditionalExpectedPurchases(m: PurchaseModel, t: number, x: number, tx: number, T: number): number | undefined {
  const alive = probabilityAlive(m, x, tx, T);
  const ifAlive = alive === undefined ? undefined : expectedPurchasesIfAlive(m, t, x, T);
  return alive === undefined || ifAlive === undefined ? undefined : alive * ifAlive;
}

/** E[X(t)]: expected repeat purchases of a new customer in (0, t]. */
export function expectedPurchases(m: PurchaseModel, t: number): number | undefined {
  return formulas(m).expectedPurchases(m.params, t);
}

/** ln L of one customer's history. */
export function logLikelihood(m: PurchaseModel, x: number, tx: number, T: number): number | undefined {
  return formulas(m).logLikelihood(m.params, x, tx, T);
}

export interface CustomerPredictions {
  /** P(alive) per customer; NaN where the model gives none (or the customer is not included). */
  probabilityAlive: Float64Array;
  /** Expected purchases in the next `t` periods; NaN likewise. */
  expectedPurchases: Float64Array;
}

/**
 * P(alive) and expected purchases in the next t periods for every included customer. E[purchases] =
 * P(alive) × E[purchases | alive], and the second factor depends on (x, T) only: a million customers share a
 * few thousand (x, T) pairs, so it is computed once per pair.
 */
export function predictCustomers(m: PurchaseModel, history: HistoryColumns, t: number): CustomerPredictions {
  const n = history.frequency.length;
  const probability = new Float64Array(n).fill(NaN);
  const expected = new Float64Array(n).fill(NaN);
  const ifAlive = new Map<number, Map<number, number>>();
  for (let k = 0; k < n; k++) {
    if (history.include !== undefined && history.include[k] !== 1) continue;
    const x = history.frequency[k];
    const T = history.T[k];
    const alive = probabilityAlive(m, x, history.recency[k], T);
    if (alive === undefined) continue;
    probability[k] = alive;
    let byT = ifAlive.get(x);
    if (byT === undefined) {
      byT = new Map();
      ifAlive.set(x, byT);
    }
    let future = byT.get(T);
    if (future === undefined) {
      future = expectedPurchasesIfAlive(m, t, x, T) ?? NaN;
      byT.set(T, future);
    }
    expected[k] = alive * future;
  }
  return { probabilityAlive: probability, expectedPurchases: expected };
}

export type PurchaseModelFit =
  | {
      ok: true;
      /** The model asked for. */
      family: DropOutModelName;
      /** What predicts: the family itself, or the NBD when the family's fit ran to its no-drop-out limit. */
      model: PurchaseModel;
      logLikelihood: number;
      iterations: number;
      /** Set when `model` is the NBD limit of `family`: the boundary, e.g. "a → 0: no drop-out in the data". */
      limit?: string;
    }
  | { ok: false; family: DropOutModelName; reason: string };

/** Two log-likelihoods this close are the same maximum (the polished fits are within 1e-4 of theirs). */
const SAME_MAXIMUM = 1e-3;

function fitFamily(name: DropOutModelName, history: HistoryColumns, options: PurchaseFitOptions): CountingFitResult<BgNbdParams | ParetoNbdParams> {
  const { warmStart, ...rest } = options;
  // A warm start only from a fit of the same family (not from its NBD limit: other parameters).
  const warm = warmStart?.name === name ? warmStart.params : undefined;
  if (name === 'bgnbd') return fitBgNbd(history, { ...rest, warmStart: warm as BgNbdParams | undefined });
  if (name === 'mbgnbd') return fitMbgNbd(history, { ...rest, warmStart: warm as BgNbdParams | undefined });
  return fitParetoNbd(history, { ...rest, warmStart: warm as ParetoNbdParams | undefined });
}

export interface PurchaseFitOptions {
  minRepeatBuyers?: number;
  maxIterations?: number;
  /** A fitted model of closely related data, e.g. of the calibration period (see CountingFitOptions). */
  warmStart?: PurchaseModel;
}

/**
 * Fit a model family. When its maximum lies at the no-drop-out boundary (BG/MBG: a → 0; Pareto: s → 0 or
 * β → ∞) and nothing else runs off, the model converges to the NBD there: the NBD is fitted (two parameters,
 * a well-posed maximum) and used if it reaches the likelihood the family reached at the boundary, which
 * says the boundary is the NBD limit and not another degenerate corner. Other boundaries stay a refusal.
 */
export function fitPurchaseModel(
  name: DropOutModelName,
  history: HistoryColumns,
  options: PurchaseFitOptions = {},
): PurchaseModelFit {
  const fit = fitFamily(name, history, options);
  if (fit.ok) {
    const model = { name, params: fit.params } as PurchaseModel;
    return { ok: true, family: name, model, logLikelihood: fit.logLikelihood, iterations: fit.iterations };
  }
  if (!('noDropOut' in fit)) return { ok: false, family: name, reason: fit.reason };
  const nbd = fitNbd(history, { minRepeatBuyers: options.minRepeatBuyers, maxIterations: options.maxIterations });
  if (!nbd.ok) return { ok: false, family: name, reason: `${fit.reason}; its no-drop-out limit, the NBD, cannot be fitted either: ${nbd.reason}` };
  if (nbd.logLikelihood < fit.noDropOut.logLikelihood - SAME_MAXIMUM) {
    return {
      ok: false,
      family: name,
      reason: `${fit.reason}; the NBD (no drop-out) does not reach that likelihood (${nbd.logLikelihood.toFixed(3)} < ${fit.noDropOut.logLikelihood.toFixed(3)})`,
    };
  }
  return {
    ok: true,
    family: name,
    model: { name: 'nbd', params: nbd.params },
    logLikelihood: nbd.logLikelihood,
    iterations: nbd.iterations,
    limit: fit.noDropOut.reason,
  };
}
