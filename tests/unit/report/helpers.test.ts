import { describe, expect, it } from 'vitest';
import { denseDailySeries } from '../../../src/report/dailyLineChart.js';
import { displayLabel } from '../../../src/report/displayLabel.js';
import { escapeHtml } from '../../../src/report/escapeHtml.js';
import { monthRange } from '../../../src/report/monthRange.js';
import { movingAverage } from '../../../src/report/movingAverage.js';
import { niceTicks } from '../../../src/report/niceTicks.js';

describe('escapeHtml', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['Tom & Jerry', 'Tom &amp; Jerry'],
    [`O'Brien "Sons"`, 'O&#39;Brien &quot;Sons&quot;'],
    ['x" onmouseover="alert(3)', 'x&quot; onmouseover=&quot;alert(3)'],
    ['&amp;', '&amp;amp;'],
    ['Zoë Müller', 'Zoë Müller'],
    ['', ''],
  ])('%j -> %j', (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });
});

describe('niceTicks', () => {
  it.each([
    // max 27, about 4 ticks: raw step 6.75 rounds up to 10.
    [27, [0, 10, 20, 30]],
    // raw step 0.25 is itself a nice step.
    [1, [0, 0.25, 0.5, 0.75, 1]],
    [40000, [0, 10000, 20000, 30000, 40000]],
    // raw step 0.075 rounds up to 0.1; no 0.30000000000000004.
    [0.3, [0, 0.1, 0.2, 0.3]],
    // raw step 2.25 rounds up to 2.5; 9 needs four steps.
    [9, [0, 2.5, 5, 7.5, 10]],
    [0, [0, 1]],
    [-5, [0, 1]],
    [Number.NaN, [0, 1]],
  ])('max %d -> %j', (max, expected) => {
    expect(niceTicks(max)).toEqual(expected);
  });
});

describe('movingAverage', () => {
  it.each([
    // (1..7)/7 = 4, (2..8)/7 = 5
    [[1, 2, 3, 4, 5, 6, 7, 8], 7, [undefined, undefined, undefined, undefined, undefined, undefined, 4, 5]],
    // day 7: (0+0+7+0+0+0+0)/7 = 1; day 8: (0+7+0+0+0+0+0)/7 = 1; day 9: (7+0+0+0+0+0+14)/7 = 3
    [[0, 0, 7, 0, 0, 0, 0, 0, 14], 7, [undefined, undefined, undefined, undefined, undefined, undefined, 1, 1, 3]],
    [[3, 5], 7, [undefined, undefined]],
    [[2, 4, 6], 2, [undefined, 3, 5]],
    [[], 7, []],
  ])('%j window %d', (values, window, expected) => {
    expect(movingAverage(values, window)).toEqual(expected);
  });
});

describe('monthRange', () => {
  it.each([
    [['2024-11', '2025-02', 'bad', '2024-12'], ['2024-11', '2024-12', '2025-01', '2025-02']],
    [['2025-06'], ['2025-06']],
    [['2025-13', '2025-00', ''], []],
    [[], []],
  ])('%j', (months, expected) => {
    expect(monthRange(months)).toEqual(expected);
  });
});

describe('denseDailySeries', () => {
  it('sums same-day rows and fills missing days with zero', () => {
    expect(
      denseDailySeries([
        { date: '2025-01-01', count: 2 },
        { date: '2025-01-03', count: 4 },
        { date: '2025-01-03', count: 1 },
      ]),
    ).toEqual({ start: Date.UTC(2025, 0, 1), counts: [2, 0, 5] });
  });
  it('sorts days given out of order and ignores unreadable dates', () => {
    expect(
      denseDailySeries([
        { date: '2025-03-02', count: 1 },
        { date: 'yesterday', count: 9 },
        { date: '2025-03-01', count: 3 },
      ]),
    ).toEqual({ start: Date.UTC(2025, 2, 1), counts: [3, 1] });
  });
  it('has nothing to draw without a readable day', () => {
    expect(denseDailySeries([])).toBeUndefined();
    expect(denseDailySeries([{ date: '', count: 1 }])).toBeUndefined();
  });
});

describe('displayLabel', () => {
  it.each([
    ['in_store', 'In store'],
    ['AT_RISK', 'At risk'],
    ['VIP', 'VIP'],
    ['wholesale', 'wholesale'],
    ['constructor', 'constructor'],
  ])('%s -> %s', (name, expected) => {
    expect(displayLabel(name)).toBe(expected);
  });
});
