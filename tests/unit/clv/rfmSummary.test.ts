import { describe, expect, it } from 'vitest';
import { summarize, summarizeColumns, type Transaction } from '../../../src/core/clv/rfmSummary.js';
import { readReferenceValues } from '../../fixtures/clv/cdnow.js';

const DAY = 86_400_000;
const utc = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);

describe('summarize: lifetimes summary_data_from_transaction_data fixture', () => {
  const fixture = readReferenceValues().lifetimes_summary_fixture;
  const transactions: Transaction[] = fixture.transactions.map(([id, date, amount]) => ({
    customerKey: String(id),
    // Times inside the day must not matter: purchases are cut into calendar days.
    time: utc(date) + 13 * 3_600_000,
    amount,
  }));

  it('daily, with monetary values', () => {
    const { rows } = summarize(transactions, { calibrationEnd: utc(fixture.observation_period_end) });
    const got = rows.map((r) => [Number(r.customerKey), r.frequency, r.recency, r.T, r.monetaryValue]);
    expect(got).toEqual(fixture.expected_daily_with_monetary);
  });

  it('weekly periods (Monday-start weeks, as pandas "W")', () => {
    const { rows } = summarize(transactions, {
      calibrationEnd: utc(fixture.observation_period_end),
      bucketDays: 7,
      periodDays: 7,
    });
    const got = rows.map((r) => [Number(r.customerKey), r.frequency, r.recency, r.T]);
    expect(got).toEqual(fixture.expected_weekly_no_monetary);
  });
});

describe('summarizeColumns', () => {
  // Worked by hand, days: customer 0 buys on days 0, 0, 3, 10 (amounts 5, 7, 2, 4) and day 12 (after the end);
  // customer 1 only after the end; customer 2 once on day 9. Calibration ends on day 10 (inclusive), holdout on 14.
  const base = utc('2024-03-01');
  const rows: [number, number, number][] = [
    [0, 10, 4],
    [2, 9, 100],
    [0, 0, 5],
    [1, 12, 50],
    [0, 3, 2],
    [0, 0, 7],
    [0, 12, 1],
    [0, 13, 1],
  ];
  const customer = Int32Array.from(rows.map((r) => r[0]));
  const time = Float64Array.from(rows.map((r) => base + r[1] * DAY + 3_600_000));
  const amount = Float64Array.from(rows.map((r) => r[2]));
  const options = { calibrationEnd: base + 10 * DAY + 5 * 3_600_000, holdoutEnd: base + 14 * DAY };

  it('merges same-day purchases, excludes the first from frequency and mean, floors the end to its day', () => {
    const s = summarizeColumns(customer, time, amount, options);
    expect(s.customerCount).toBe(3);
    expect(Array.from(s.present)).toEqual([1, 0, 1]);
    // customer 0: purchase days {0, 3, 10} → x = 2, t_x = 10, T = 10, mean of repeat days (2 + 4)/2 = 3
    expect([s.frequency[0], s.recency[0], s.T[0], s.monetaryValue[0]]).toEqual([2, 10, 10, 3]);
    // customer 2: one purchase on day 9 → x = 0, t_x = 0, T = 1, monetary 0
    expect([s.frequency[2], s.recency[2], s.T[2], s.monetaryValue[2]]).toEqual([0, 0, 1, 0]);
    // holdout (day 10, day 14]: customer 0 bought on days 12 and 13 → 2; window 4 days
    expect(Array.from(s.holdoutFrequency ?? [])).toEqual([2, 0, 0]);
    expect(s.holdoutDuration).toBe(4);
  });

  it('gives the same result whatever the row order', () => {
    const order = [7, 3, 5, 1, 0, 6, 2, 4];
    const s1 = summarizeColumns(customer, time, amount, options);
    const s2 = summarizeColumns(
      Int32Array.from(order, (i) => customer[i]),
      Float64Array.from(order, (i) => time[i]),
      Float64Array.from(order, (i) => amount[i]),
      options,
    );
    expect(s2).toEqual(s1);
  });

  it('uses periodDays as the time unit', () => {
    const s = summarizeColumns(customer, time, amount, { ...options, periodDays: 7 });
    expect(s.recency[0]).toBeCloseTo(10 / 7, 14);
    expect(s.T[2]).toBeCloseTo(1 / 7, 14);
  });

  it('cuts days in the shop’s time zone', () => {
    // 23:30 UTC on day 0 and 00:30 UTC on day 1: two days in UTC, one day at UTC+2.
    const c = Int32Array.of(0, 0);
    const t = Float64Array.of(base + DAY - 1_800_000, base + DAY + 1_800_000);
    const end = base + 5 * DAY;
    expect(summarizeColumns(c, t, undefined, { calibrationEnd: end }).frequency[0]).toBe(1);
    expect(summarizeColumns(c, t, undefined, { calibrationEnd: end, utcOffsetMs: 2 * 3_600_000 }).frequency[0]).toBe(0);
  });

  it('skips and counts rows it cannot read instead of throwing', () => {
    const c = Int32Array.of(0, -1, 0, 0);
    const t = Float64Array.of(base, base, Number.NaN, base + DAY);
    const a = Float64Array.of(1, 1, 1, Number.POSITIVE_INFINITY);
    const s = summarizeColumns(c, t, a, { calibrationEnd: base + 2 * DAY });
    expect(s.skippedRows).toBe(3);
    expect(s.frequency[0]).toBe(0);
    expect(s.T[0]).toBe(2);
  });
});
