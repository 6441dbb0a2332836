import { bgnbdExpectedPurchasesIfAlive, type BgNbdParams } from './bgnbd.js';
import { expit, lgamma, logAddExp } from './specialFunctions.js';

/**
 * Modified BG/NBD (Batislam, Denizel & Filiztekin 2007; also Hoppe & Wagner 2007): as BG/NBD, but a
 * customer may also drop out right after the first purchase, so a one-time buyer who has not come back
 * has P(alive) < 1, falling with the time since that purchase. Same parameters as BG/NBD (r, α, a, b);
 * formulas as lifetimes' ModifiedBetaGeoFitter and BTYDplus' mbgcnbd with k = 1.
 */

function valid(p: BgNbdParams, x: number, tx: number, T: number): boolean {
  return (
    [p.r, p.alpha, p.a, p.b].every((v) => v > 0 && Number.isFinite(v)) &&
    Number.isInteger(x) &&
    x >= 0 &&
    tx >= 0 &&
    T >= tx &&
    Number.isFinite(T) &&
    (x > 0 || tx === 0)
  );
}

/** ln of the odds "dropped out" : "alive" given the history (x + 1 chances to drop out, the first included). */
function logOddsDead(p: BgNbdParams, x: number, tx: number, T: number): number {
  return Math.log(p.a) - Math.log(p.b + x) + (p.r + x) * (Math.log(p.alpha + T) - Math.log(p.alpha + tx));
}

/** ln L = A1 + A2 + ln(e^{A3} + e^{A4}) with A2, A4 counting the first purchase as a chance to drop out. */
export function mbgnbdLogLikelihood(p: BgNbdParams, x: number, tx: number, T: number): number | undefined {
  if (!valid(p, x, tx, T)) return undefined;
  const { r, alpha, a, b } = p;
  const a1 = lgamma(r + x) - lgamma(r) + r * Math.log(alpha);
  const a2 = lgamma(a + b) + lgamma(b + x + 1) - lgamma(b) - lgamma(a + b + x + 1);
  const a3 = -(r + x) * Math.log(alpha + T);
  const a4 = Math.log(a) - Math.log(b + x) - (r + x) * Math.log(alpha + tx);
  const v = a1 + a2 + logAddExp(a3, a4);
  return Number.isFinite(v) ? v : undefined;
}

/** P(alive at T | x, t_x, T) = 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^{r+x}); below 1 for one-time buyers too. */
export function mbgnbdProbabilityAlive(p: BgNbdParams, x: number, tx: number, T: number): number | undefined {
  if (!valid(p, x, tx, T)) return undefined;
  const v = expit(-logOddsDead(p, x, tx, T));
  return Number.isFinite(v) ? v : undefined;
}

/**
 * Expected purchases in the next t periods of a customer known to be alive:
 * (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^{r+x} 2F1(r+x, b+x+1; a+b+x; t/(α+T+t))], which is the BG/NBD
 * expression with b + 1 in place of b. Depends on (x, T) only.
 */
export function mbgnbdExpectedPurchasesIfAlive(p: BgNbdParams, t: number, x: number, T: number): number | undefined {
  return bgnbdExpectedPurchasesIfAlive({ ...p, b: p.b + 1 }, t, x, T);
}

/** E[Y(t) | x, t_x, T] = P(alive) × E[purchases | alive] (lifetimes' conditional_expected_number_of_purchases_up_to_time). */
export function mbgnbdConditionalExpectedPurchases(p: BgNbdParams, t: number, x: number, tx: number, T: number): number | undefined {
  const alive = mbgnbdProbabilityAlive(p, x, tx, T);
  if (alive === undefined) return undefined;
  const ifAlive = mbgnbdExpectedPurchasesIfAlive(p, t, x, T);
  return ifAlive === undefined ? undefined : alive * ifAlive;
}

/** E[X(t)] = b/(a−1) · [1 − (α/(α+t))^r 2F1(r, b+1; a+b; t/(α+t))]: a new customer is alive with probability b/(a+b). */
export function mbgnbdExpectedPurchases(p: BgNbdParams, t: number): number | undefined {
  const ifAlive = mbgnbdExpectedPurchasesIfAlive(p, t, 0, 0);
  return ifAlive === undefined ? undefined : (p.b / (p.a + p.b)) * ifAlive;
}
