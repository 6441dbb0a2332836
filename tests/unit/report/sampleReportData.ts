/**
 * A full-size report as the pipeline would hand it over: 1,100 days, three channels, 36 monthly
 * cohorts, a fitted model and 20 top customers, including hostile names. Deterministic (no clock, fixed
 * pseudo-random sequence) so tests and screenshots are stable.
 */
import type { ReportData } from '../../../src/report/html.js';
import { DAY_MS } from '../../../src/core/localTime.js';

function sequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

export const HOSTILE_NAME = '<script>alert(1)</script>';

export function sampleReportData(days = 1100): ReportData {
  const random = sequence(42);
  const last = Date.UTC(2025, 5, 30);
  const newCustomersPerDay: ReportData['newCustomersPerDay'] = [];
  for (let i = days - 1; i >= 0; i--) {
    const t = last - i * DAY_MS;
    const weekday = new Date(t).getUTCDay();
    const trend = 3 + (6 * (days - i)) / days;
    const weekend = weekday === 6 ? 1.8 : weekday === 0 ? 0.6 : 1;
    newCustomersPerDay.push({ date: new Date(t).toISOString().slice(0, 10), count: Math.round(trend * weekend * (0.5 + random())) });
  }
  const revenueByMonthAndChannel: ReportData['revenueByMonthAndChannel'] = [];
  const cohorts: ReportData['cohorts'] = [];
  const months: string[] = [];
  for (let m = 0; m < 36; m++) {
    const year = 2022 + Math.floor((6 + m) / 12);
    months.push(`${year}-${String(((6 + m) % 12) + 1).padStart(2, '0')}`);
  }
  months.forEach((month, m) => {
    const season = month.endsWith('-12') ? 1.6 : month.endsWith('-11') ? 1.25 : 1;
    revenueByMonthAndChannel.push(
      { month, channel: 'in_store', revenue: Math.round((9000 + 120 * m) * season * (0.85 + 0.3 * random()) * 100) / 100 },
      { month, channel: 'online', revenue: Math.round((2500 + 160 * m) * season * (0.85 + 0.3 * random()) * 100) / 100 },
      { month, channel: 'appointment', revenue: Math.round((1800 + 40 * m) * (0.85 + 0.3 * random()) * 100) / 100 },
    );
    const size = 40 + Math.round(60 * random()) + m * 2;
    for (let since = 0; since < 36 - m; since++) {
      const retention = since === 0 ? 1 : Math.min(1, 0.32 * Math.exp(-since / 9) + 0.06 + 0.05 * (random() - 0.5));
      const active = Math.round(size * retention);
      cohorts.push({ cohort: month, monthsSince: since, customers: size, active, retention: active / size });
    }
  });
  const names = [
    HOSTILE_NAME, 'Anne Smith', `O'Brien & "Sons"`, 'Zoë Müller', 'Dana Lee', 'Marcus Chen', 'Priya Natarajan',
    'Tom Hughes', 'Lucía Fernández', 'Kenji Watanabe', 'Grace Okafor', 'Ben Carter', 'Ava Rossi', 'Noah Schmidt',
    'Mia Johansson', 'Leo Dubois', 'Ella Novak', 'Sam Patel', 'Ivy Nguyen', '',
  ];
  const segments = ['ACTIVE', 'ACTIVE', 'NEW', 'AT_RISK', 'ACTIVE', 'LOST'];
  const topCustomers = names.map((name, i) => ({
    name,
    email: i === 0 ? 'x"><img src=x onerror=alert(2)>@example.com' : `${name.split(' ')[0].toLowerCase() || 'guest'}${i}@example.com`,
    netRevenue: Math.round((9876.54 - i * 311.7) * 100) / 100,
    orders: 48 - 2 * i,
    segment: segments[i % segments.length],
  }));
  return {
    title: 'Customer analytics',
    asOf: '2025-06-30T12:00:00Z',
    currency: 'USD',
    generatedAt: '2025-06-30T12:04:31Z',
    // The channel bars add up to 698,220.09 = 651,234.56 net revenue + 12,345.67 refunds + 34,639.86 walk-ins.
    totals: { customers: 2601, buyers: 1781, repeatCustomers: 702, netRevenue: 651234.56, averageLtv: 365.66, newThisMonth: 96 },
    newCustomersPerDay,
    revenueByChannel: [
      { channel: 'in_store', revenue: 412345.67 },
      { channel: 'online', revenue: 198220.1 },
      { channel: 'appointment', revenue: 87654.32 },
    ],
    revenueBridge: { refunds: 12345.67, walkIns: 34639.86, severalCurrencies: 0 },
    revenueByMonthAndChannel,
    segments: [
      { name: 'PROSPECT', count: 820 },
      { name: 'NEW', count: 96 },
      { name: 'ACTIVE', count: 412 },
      { name: 'AT_RISK', count: 233 },
      { name: 'LOST', count: 1040 },
    ],
    tiers: [
      { name: 'VIP', count: 90 },
      { name: 'HIGH', count: 270 },
      { name: 'MEDIUM', count: 538 },
      { name: 'LOW', count: 883 },
    ],
    cohorts,
    model: {
      params: { r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259 },
      note: 'BG/NBD fitted on purchases up to 2024-12-31; holdout 2025-01-01 to 2025-06-30.',
      holdout: [
        { purchases: '0', customers: 1079, actual: 0.11, predicted: 0.13 },
        { purchases: '1', customers: 321, actual: 0.42, predicted: 0.39 },
        { purchases: '2', customers: 150, actual: 0.71, predicted: 0.68 },
        { purchases: '3', customers: 88, actual: 1.02, predicted: 0.97 },
        { purchases: '4', customers: 51, actual: 1.25, predicted: 1.31 },
        { purchases: '5', customers: 36, actual: 1.62, predicted: 1.58 },
        { purchases: '6', customers: 22, actual: 1.9, predicted: 1.84 },
        { purchases: '7+', customers: 34, actual: 2.6, predicted: 2.41 },
      ],
    },
    topCustomers,
  };
}
