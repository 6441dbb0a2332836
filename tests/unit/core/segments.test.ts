import { describe, expect, it } from 'vitest';
import { inDeclaredOrder } from '../../../src/core/masterColumns.js';
import { currencyDecimals } from '../../../src/core/currency.js';
import {
  lifecycleSegment,
  quantile,
  quintileEdges,
  rfmSegment,
  scoreHigherIsBetter,
  scoreLowerIsBetter,
  valueTier,
  valueTierCutoffs,
} from '../../../src/core/segments.js';

const thresholds = { newDays: 30, activeDays: 90, lostDays: 180 };

describe('lifecycleSegment', () => {
  it.each([
    // orders, days since first, days since last, expected
    [0, NaN, NaN, 'PROSPECT'],
    [1, 0, 0, 'NEW'],
    [3, 30, 2, 'NEW'],
    [3, 31, 2, 'ACTIVE'],
    [2, 400, 90, 'ACTIVE'],
    [2, 400, 91, 'AT_RISK'],
    [5, 800, 180, 'AT_RISK'],
    [5, 800, 181, 'LOST'],
    [1, 45, 45, 'ACTIVE'],
  ])('%i orders, first %s d, last %s d ago -> %s', (orders, first, last, expected) => {
    expect(lifecycleSegment(orders, first, last, thresholds)).toBe(expected);
  });
});

describe('quantile (type 7, as numpy/pandas)', () => {
  it('interpolates between order statistics', () => {
    const sorted = Float64Array.from([1, 2, 3, 4, 10]);
    // position (5-1)*0.2 = 0.8 -> 1 + 0.8*(2-1) = 1.8
    expect(quantile(sorted, 0.2)).toBeCloseTo(1.8, 12);
    // position 3.2 -> 4 + 0.2*6 = 5.2
    expect(quantile(sorted, 0.8)).toBeCloseTo(5.2, 12);
    expect(quantile(sorted, 0)).toBe(1);
    expect(quantile(sorted, 1)).toBe(10);
  });
});

describe('RFM scores', () => {
  it('scores monetary values into quintiles; ties share a score', () => {
    const values = Float64Array.from([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    // edges at 0.2..0.8 over 10 values: positions 1.8, 3.6, 5.4, 7.2 -> 28, 46, 64, 82
    const edges = quintileEdges(values);
    expect(edges.map((e) => Math.round(e * 1e9) / 1e9)).toEqual([28, 46, 64, 82]);
    expect([10, 20, 28, 29, 46, 47, 64, 82, 83, 100].map((v) => scoreHigherIsBetter(v, edges))).toEqual([1, 1, 1, 2, 2, 3, 3, 4, 5, 5]);
  });

  it('gives the most recent fifth a recency score of 5', () => {
    const edges = [5, 20, 60, 200];
    expect([0, 5, 6, 20, 59, 60, 61, 200, 201, 1000].map((d) => scoreLowerIsBetter(d, edges))).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
  });

  it('keeps one-time buyers together when most customers bought once', () => {
    const frequency = Float64Array.from([1, 1, 1, 1, 1, 1, 1, 2, 3, 8]);
    const edges = quintileEdges(frequency);
    // q20..q60 = 1, q80: position 7.2 -> 2 + 0.2*(3-2) = 2.2
    expect(edges[3]).toBeCloseTo(2.2, 12);
    expect(scoreHigherIsBetter(1, edges)).toBe(1);
    expect(scoreHigherIsBetter(2, edges)).toBe(4);
    expect(scoreHigherIsBetter(3, edges)).toBe(5);
  });

  it('maps every RF cell to one of the ten named segments (clv.md §6.2)', () => {
    const grid: string[] = [];
    for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) grid.push(rfmSegment(r, f));
    // rows r=1..5, columns f=1..5, transcribed from the table in clv.md
    expect(grid).toEqual([
      'hibernating', 'hibernating', 'at_risk', 'at_risk', 'cant_lose',
      'hibernating', 'hibernating', 'at_risk', 'at_risk', 'cant_lose',
      'about_to_sleep', 'about_to_sleep', 'need_attention', 'loyal_customers', 'loyal_customers',
      'promising', 'potential_loyalists', 'potential_loyalists', 'loyal_customers', 'loyal_customers',
      'new_customers', 'potential_loyalists', 'potential_loyalists', 'champions', 'champions',
    ]);
  });
});

describe('value tiers', () => {
  it('by share: top 5 % VIP, to 20 % HIGH, to 50 % MEDIUM; ties share the higher tier', () => {
    // 20 buyers with net revenue 100..2000 (minor units)
    const values = Float64Array.from({ length: 20 }, (_, i) => (i + 1) * 100);
    const cut = valueTierCutoffs(values, { method: 'share', vip: 0.05, high: 0.2, medium: 0.5 }, 100);
    // ceil(20*0.05)=1 -> 2000; ceil(20*0.2)=4 -> 1700; ceil(20*0.5)=10 -> 1100
    expect(cut).toEqual([2000, 1700, 1100]);
    expect([2000, 1999, 1700, 1699, 1100, 1099, 100].map((v) => valueTier(v, cut))).toEqual(['VIP', 'HIGH', 'HIGH', 'MEDIUM', 'MEDIUM', 'LOW', 'LOW']);
  });

  it('by amount: thresholds in major units', () => {
    const cut = valueTierCutoffs(new Float64Array(0), { method: 'amount', vip: 1000, high: 500, medium: 100 }, 100);
    expect(cut).toEqual([100000, 50000, 10000]);
    expect(valueTier(99999, cut)).toBe('HIGH');
  });
});

describe('currencyDecimals', () => {
  it.each([
    ['USD', 2],
    ['jpy', 0],
    ['KWD', 3],
    [undefined, 2],
  ])('%s -> %i', (currency, decimals) => expect(currencyDecimals(currency)).toBe(decimals));
});

describe('inDeclaredOrder', () => {
  it.each([
    ['declared names first, in their order, then the rest as they come', ['LOW', 'x', 'VIP', 'HIGH'], ['VIP', 'HIGH', 'MEDIUM', 'LOW'], ['VIP', 'HIGH', 'LOW', 'x']],
    ['a declared name absent from the data is left out', ['MEDIUM'], ['VIP', 'HIGH', 'MEDIUM', 'LOW'], ['MEDIUM']],
    ['each name once', ['LOW', 'LOW', '(empty)', 'VIP'], ['VIP', 'HIGH', 'MEDIUM', 'LOW'], ['VIP', 'LOW', '(empty)']],
    ['nothing in, nothing out', [], ['VIP'], []],
  ])('%s', (_case, names, order, expected) => {
    expect(inDeclaredOrder(names, order)).toEqual(expected);
  });
});
