import { describe, expect, it } from 'vitest';
import {
  bgnbdConditionalExpectedPurchases,
  bgnbdExpectedPurchases,
  bgnbdExpectedPurchasesIfAlive,
  bgnbdLogLikelihood,
  bgnbdProbabilityAlive,
  bgnbdProbabilityOfPurchases,
  type BgNbdParams,
} from '../../../src/core/clv/bgnbd.js';
import { hyp2f1 } from '../../../src/core/clv/hyp2f1.js';
import { bgnbdVector, readReferenceValues } from '../../fixtures/clv/cdnow.js';

const ref = readReferenceValues();
const docsMle: BgNbdParams = ref.bgnbd_mle_full_precision.lifetimes_docs;
const published: BgNbdParams = ref.bgnbd_published;

describe('BG/NBD log-likelihood (pymc-marketing test_numerically_stable_logp, Hardie note 027)', () => {
  const v = bgnbdVector(ref, 'single-customer log-likelihood (numerical stability)') as {
    params: BgNbdParams;
    cases: { x: number; t_x: number; T: number; loglik: number }[];
  };
  it.each(v.cases)('x=$x t_x=$t_x T=$T → $loglik', ({ x, t_x, T, loglik }) => {
    // numpy decimal=5: |diff| < 1.5e-5
    expect(Math.abs((bgnbdLogLikelihood(v.params, x, t_x, T) as number) - loglik)).toBeLessThan(1.5e-5);
  });

  it('equals the direct formula where that does not overflow', () => {
    // Worked by hand from §1.2 with Γ(r+x)/Γ(r) = r(r+1) for x = 2: L = B(a,b+2)/B(a,b)·Γ(r+2)α^r/(Γ(r)(α+T)^{r+2}) + ...
    const p = { r: 0.5, alpha: 2, a: 1.5, b: 3 };
    const [x, tx, T] = [2, 3, 5];
    // B(a,b+2)/B(a,b) = b(b+1)/((a+b)(a+b+1))
    const betaRatio = (3 * 4) / (4.5 * 5.5);
    const gammaRatio = 0.5 * 1.5;
    const first = betaRatio * gammaRatio * Math.pow(2, 0.5) * Math.pow(2 + T, -2.5);
    // B(a+1,b+1)/B(a,b) = a·b/((a+b)(a+b+1))
    const second = ((1.5 * 3) / (4.5 * 5.5)) * gammaRatio * Math.pow(2, 0.5) * Math.pow(2 + tx, -2.5);
    expect(bgnbdLogLikelihood(p, x, tx, T)).toBeCloseTo(Math.log(first + second), 12);
  });
});

describe('BG/NBD predictions at fixed parameters', () => {
  it('P(X(t) = n) equals R BTYD (lifetimes test_probability_of_n_purchases_up_to_time_same_as_R_BTYD)', () => {
    const v = bgnbdVector(ref, 'P(X(t)=n) pmf') as {
      params: BgNbdParams;
      cases: { t: number; n: number | number[]; expected: number | number[] }[];
    };
    const [c1, c2, c3] = v.cases;
    expect(Math.abs((bgnbdProbabilityOfPurchases(v.params, c1.n as number, c1.t) as number) - (c1.expected as number))).toBeLessThan(1e-4);
    expect(Math.abs((bgnbdProbabilityOfPurchases(v.params, c2.n as number, c2.t) as number) - (c2.expected as number))).toBeLessThan(1e-4);
    (c3.n as number[]).forEach((n, i) => {
      const expected = (c3.expected as number[])[i];
      expect(Math.abs((bgnbdProbabilityOfPurchases(v.params, n, c3.t) as number) - expected)).toBeLessThan(1.5e-5);
    });
  });

  it('the pmf sums to 1 and its mean is E[X(t)]', () => {
    let total = 0;
    let mean = 0;
    for (let n = 0; n < 400; n++) {
      const pn = bgnbdProbabilityOfPurchases(published, n, 30) as number;
      total += pn;
      mean += n * pn;
    }
    expect(total).toBeCloseTo(1, 9);
    expect(mean).toBeCloseTo(bgnbdExpectedPurchases(published, 30) as number, 6);
  });

  it('P(alive) (lifetimes conditional_probability_alive, docs MLE)', () => {
    const v = bgnbdVector(ref, 'P(alive) (recomputed only, lifetimes_docs MLE)') as {
      cases: { x: number; t_x: number; T: number; p_alive: number }[];
    };
    for (const c of v.cases) {
      expect(Math.abs((bgnbdProbabilityAlive(docsMle, c.x, c.t_x, c.T) as number) - c.p_alive)).toBeLessThan(1e-6);
    }
  });

  it('E[Y(1)] of the top-5 customers of the lifetimes Quickstart ranking', () => {
    const v = bgnbdVector(ref, 'E[Y(1)|x,t_x,T] top-5 customers') as {
      cases: { x: number; t_x: number; T: number; expected: number }[];
    };
    for (const c of v.cases) {
      const got = bgnbdConditionalExpectedPurchases(docsMle, 1, c.x, c.t_x, c.T) as number;
      expect(Math.abs(got - c.expected)).toBeLessThan(1e-6);
    }
  });

  it('E[X(t)] equals the paper’s formula evaluated with the raw hypergeometric parameters', () => {
    // eq. 9 without Euler's transform: (a+b−1)/(a−1)·[1 − (α/(α+t))^r 2F1(r, b; a+b−1; t/(α+t))]
    const { r, alpha, a, b } = published;
    for (const t of [0.5, 5, 39, 78, 520]) {
      const direct = ((a + b - 1) / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b, a + b - 1, t / (alpha + t)));
      expect(bgnbdExpectedPurchases(published, t)).toBeCloseTo(direct, 10);
    }
  });

  it('starts at the mean purchase rate r/α and is 0 at t = 0', () => {
    const t = 1e-6;
    expect((bgnbdExpectedPurchases(published, t) as number) / t).toBeCloseTo(published.r / published.alpha, 6);
    expect(bgnbdExpectedPurchases(published, 0)).toBe(0);
    expect(bgnbdConditionalExpectedPurchases(published, 0, 3, 10, 20)).toBe(0);
  });

  it('is continuous through the removable singularity at a = 1', () => {
    const at = (a: number): number => bgnbdConditionalExpectedPurchases({ ...published, a }, 26, 3, 20, 30) as number;
    const left = at(1 - 1e-3);
    const right = at(1 + 1e-3);
    const middle = at(1);
    expect(Number.isFinite(middle)).toBe(true);
    // Second difference f''h²/2 is ~1e-6 at h = 1e-3; a jump or a wrong limit would be far larger.
    expect(Math.abs(middle - (left + right) / 2)).toBeLessThan(5e-6);
    // Just outside the special-cased band the plain formula takes over: no step between the two.
    expect(Math.abs(at(1 + 2e-6) - middle)).toBeLessThan(3e-6);
  });

  it('stays finite for extreme histories and horizons', () => {
    expect(bgnbdConditionalExpectedPurchases(published, 5200, 0, 0, 0)).toBeGreaterThan(0);
    expect(bgnbdConditionalExpectedPurchases(published, 52, 500, 51.9, 52)).toBeGreaterThan(0);
    // A long-silent heavy buyer is almost surely gone.
    expect(bgnbdProbabilityAlive(published, 200, 1, 100)).toBeLessThan(1e-10);
    expect(bgnbdConditionalExpectedPurchases(published, 52, 200, 1, 100)).toBeLessThan(1e-8);
  });

  it('returns undefined, never NaN, for impossible inputs', () => {
    expect(bgnbdConditionalExpectedPurchases(published, 10, 2, 30, 20)).toBeUndefined(); // t_x > T
    expect(bgnbdConditionalExpectedPurchases(published, -1, 2, 3, 20)).toBeUndefined();
    expect(bgnbdConditionalExpectedPurchases(published, 10, 1.5, 3, 20)).toBeUndefined();
    expect(bgnbdProbabilityAlive({ ...published, r: Number.NaN }, 1, 1, 2)).toBeUndefined();
    expect(bgnbdProbabilityAlive(published, 0, 3, 5)).toBeUndefined(); // t_x > 0 without repeat purchases
    expect(bgnbdExpectedPurchases({ ...published, b: 0 }, 3)).toBeUndefined();
    expect(bgnbdLogLikelihood(published, -1, 0, 3)).toBeUndefined();
    expect(bgnbdExpectedPurchasesIfAlive(published, 10, 2, Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(bgnbdProbabilityOfPurchases(published, 2.5, 3)).toBeUndefined();
  });
});
