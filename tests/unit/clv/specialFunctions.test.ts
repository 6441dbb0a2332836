import { describe, expect, it } from 'vitest';
import { hyp2f1 } from '../../../src/core/clv/hyp2f1.js';
import { digamma, lgamma, lgammaSigned, reciprocalGamma } from '../../../src/core/clv/specialFunctions.js';

const EULER_GAMMA = 0.5772156649015329;

function relErr(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
}

describe('lgamma', () => {
  it.each([
    // [x, ln Γ(x)] from closed forms: Γ(1/2) = √π, Γ(1/4) = 3.6256099082219083119, Γ(3) = 2
    [0.5, 0.5 * Math.log(Math.PI)],
    [0.25, Math.log(3.6256099082219083119)],
    [1, 0],
    [2, 0],
    [3, Math.LN2],
    [1.5, Math.log(Math.sqrt(Math.PI) / 2)],
    [10.5, Math.log((Math.sqrt(Math.PI) * 654729075) / 1024)], // Γ(n+1/2) = (2n−1)!! √π / 2^n, n = 10
  ])('lgamma(%d)', (x, expected) => {
    expect(Math.abs(lgamma(x) - expected)).toBeLessThan(1e-14 * Math.max(1, Math.abs(expected)));
  });

  it('matches ln((n−1)!) for n = 1..60, summed independently', () => {
    let logFactorial = 0;
    for (let n = 1; n <= 60; n++) {
      if (n > 1) logFactorial += Math.log(n - 1);
      expect(Math.abs(lgamma(n) - logFactorial)).toBeLessThan(2e-14 * Math.max(1, logFactorial));
    }
  });

  it('is −ln x − γx near 0 and Stirling-accurate for large x', () => {
    expect(relErr(lgamma(1e-8), -Math.log(1e-8) - EULER_GAMMA * 1e-8)).toBeLessThan(1e-15);
    // ln(99!) = 359.13420536957539878
    expect(relErr(lgamma(100), 359.13420536957539878)).toBeLessThan(1e-15);
  });

  it('reflects to negative arguments with the sign of Γ', () => {
    // Γ(−1/2) = −2√π, Γ(−3/2) = 4√π/3
    expect(lgammaSigned(-0.5).sign).toBe(-1);
    expect(relErr(lgammaSigned(-0.5).value, Math.log(2 * Math.sqrt(Math.PI)))).toBeLessThan(1e-14);
    expect(lgammaSigned(-1.5).sign).toBe(1);
    expect(relErr(lgammaSigned(-1.5).value, Math.log((4 * Math.sqrt(Math.PI)) / 3))).toBeLessThan(1e-14);
    expect(reciprocalGamma(-2)).toBe(0);
    expect(reciprocalGamma(0)).toBe(0);
  });
});

describe('digamma', () => {
  it.each([
    [1, -EULER_GAMMA],
    [0.5, -EULER_GAMMA - 2 * Math.LN2],
    [0.25, -EULER_GAMMA - Math.PI / 2 - 3 * Math.LN2],
  ])('digamma(%d)', (x, expected) => {
    expect(Math.abs(digamma(x) - expected)).toBeLessThan(1e-14);
  });

  it('is H(n−1) − γ at integers', () => {
    let harmonic = 0;
    for (let n = 1; n <= 50; n++) {
      if (n > 1) harmonic += 1 / (n - 1);
      expect(Math.abs(digamma(n) - (harmonic - EULER_GAMMA))).toBeLessThan(1e-14);
    }
  });

  it('is the derivative of lgamma', () => {
    for (const x of [0.03, 0.7, 3.3, 11.9, 250]) {
      const h = 1e-5 * x;
      const numeric = (lgamma(x + h) - lgamma(x - h)) / (2 * h);
      expect(relErr(digamma(x), numeric)).toBeLessThan(1e-7);
    }
  });
});

describe('hyp2f1', () => {
  it.each([0.1, 0.5, 0.9, 0.99, 0.999, 1 - 1e-7])('2F1(1,1;2;z) = −ln(1−z)/z at z = %d', (z) => {
    // c − a − b = 0: the integer case, no connection formula
    expect(relErr(hyp2f1(1, 1, 2, z), -Math.log1p(-z) / z)).toBeLessThan(1e-9);
  });

  it.each([0.3, 0.9, 0.99, 0.99999])('2F1(1/2,1/2;3/2;x²) = asin(x)/x at x = %d', (x) => {
    // c − a − b = 1/2: the connection formula near 1
    expect(relErr(hyp2f1(0.5, 0.5, 1.5, x * x), Math.asin(x) / x)).toBeLessThan(1e-12);
  });

  it.each([0.5, 0.95, 0.999999])('2F1(a,b;b;z) = (1−z)^−a at z = %d', (z) => {
    expect(relErr(hyp2f1(0.3, 2.2, 2.2, z), Math.pow(1 - z, -0.3))).toBeLessThan(1e-12);
    expect(relErr(hyp2f1(3.7, 0.6, 0.6, z), Math.pow(1 - z, -3.7))).toBeLessThan(1e-10);
  });

  it('terminates for a negative integer parameter', () => {
    // 2F1(−2,3;4;z) = 1 − 2·3z/4 + 3·4z²/(4·5); at z = 0.95: 1 − 1.425 + 0.5415
    expect(relErr(hyp2f1(-2, 3, 4, 0.95), 0.1165)).toBeLessThan(1e-13);
  });

  it('handles z < 0 and z = 1', () => {
    expect(relErr(hyp2f1(1, 1, 2, -1), Math.LN2)).toBeLessThan(1e-14);
    // Gauss: 2F1(1/2,1/2;3/2;1) = Γ(3/2)Γ(1/2)/(Γ(1)Γ(1)) = π/2 (= asin(1)/1)
    expect(relErr(hyp2f1(0.5, 0.5, 1.5, 1), Math.PI / 2)).toBeLessThan(1e-14);
  });

  it('rejects what is undefined', () => {
    expect(hyp2f1(1, 1, -2, 0.5)).toBeNaN();
    expect(hyp2f1(1, 1, 2, 1.5)).toBeNaN();
    expect(hyp2f1(1, 1, 2, 1)).toBeNaN();
  });

  it('agrees with the term-by-term series for BG/NBD-sized parameters', () => {
    // r + x, b + x; a + b + x − 1 for x = 30 (terms grow a lot before they shrink at z = 0.6)
    const [a, b, c, z] = [30.243, 32.426, 32.219, 0.6];
    let term = 1;
    let sum = 1;
    for (let k = 0; k < 5000; k++) {
      term *= (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
      sum += term;
    }
    expect(relErr(hyp2f1(a, b, c, z), sum)).toBeLessThan(1e-12);
  });
});
