import { describe, expect, it } from 'vitest';
import { renderHtmlReport, type ReportData } from '../../../src/report/html.js';
import { HOSTILE_NAME, sampleReportData } from './sampleReportData.js';

const count = (text: string, pattern: RegExp): number => (text.match(pattern) ?? []).length;

/** The markup of one chart, by its fixed id. */
function svgById(html: string, id: string): string {
  const match = new RegExp(`<svg[^>]*\\bid="${id}"[\\s\\S]*?</svg>`).exec(html);
  if (match === null) throw new Error(`no svg #${id}`);
  return match[0];
}

const EMPTY: ReportData = {
  title: 'Empty shop',
  asOf: '2025-06-30T12:00:00Z',
  currency: 'EUR',
  generatedAt: '2025-06-30T12:01:00Z',
  totals: { customers: 0, buyers: 0, repeatCustomers: 0, netRevenue: 0, averageLtv: 0, newThisMonth: 0 },
  newCustomersPerDay: [],
  revenueByChannel: [],
  revenueByMonthAndChannel: [],
  segments: [],
  tiers: [],
  cohorts: [],
  topCustomers: [],
};

/** Small enough to work every expected number out by hand. */
const SMALL: ReportData = {
  ...EMPTY,
  title: `Tom & Jerry's <shop>`,
  currency: 'USD',
  totals: { customers: 2601, buyers: 1781, repeatCustomers: 702, netRevenue: 698220.09, averageLtv: 392.04, newThisMonth: 96 },
  newCustomersPerDay: Array.from({ length: 10 }, (_, i) => ({ date: `2025-06-${String(i + 1).padStart(2, '0')}`, count: i })),
  revenueByChannel: [
    { channel: 'in_store', revenue: 412345.67 },
    { channel: 'on"line', revenue: 1500 },
  ],
  revenueByMonthAndChannel: [
    { month: '2025-01', channel: 'in_store', revenue: 100 },
    { month: '2025-01', channel: 'on"line', revenue: 50 },
    { month: '2025-03', channel: 'in_store', revenue: 80 },
    { month: '2025-03', channel: 'on"line', revenue: 0 },
  ],
  segments: [
    { name: 'PROSPECT', count: 820 },
    { name: 'NEW', count: 96 },
    { name: 'ACTIVE', count: 412 },
    { name: 'AT_RISK', count: 233 },
    { name: 'x" onmouseover="alert(3)', count: 1040 },
  ],
  tiers: [
    { name: 'VIP', count: 90 },
    { name: 'LOW', count: 883 },
  ],
  cohorts: [
    { cohort: '2024-01', monthsSince: 0, customers: 100, active: 100, retention: 1 },
    { cohort: '2024-01', monthsSince: 1, customers: 100, active: 50, retention: 0.5 },
    { cohort: '2024-01', monthsSince: 2, customers: 100, active: 25, retention: 0.25 },
    { cohort: '2024-02', monthsSince: 0, customers: 40, active: 40, retention: 1 },
    { cohort: '2024-02', monthsSince: 1, customers: 40, active: 4, retention: 0.1 },
    { cohort: '2024-03" onmouseover="alert(4)', monthsSince: 0, customers: 7, active: 7, retention: 1 },
  ],
  model: {
    params: { r: 0.24263, '<k>': 4.41358 },
    note: 'fit & check',
    holdout: [
      { purchases: '0', customers: 1079, actual: 0.11, predicted: 0.13 },
      { purchases: '1', customers: 321, actual: 0.42, predicted: 0.39 },
      { purchases: '<i>2+</i>', customers: 12, actual: 1.5, predicted: Number.NaN },
    ],
  },
  topCustomers: [
    { name: HOSTILE_NAME, email: `a"b'c@x.com`, netRevenue: 9876.54, orders: 48, segment: '<b>NEW</b>' },
    { name: '', email: 'anon@example.com', netRevenue: 10, orders: 1, segment: 'ACTIVE' },
  ],
};

describe('renderHtmlReport: escaping', () => {
  const html = renderHtmlReport(SMALL);

  it('shows a hostile customer name as text', () => {
    expect(html).toContain('<td class="name">&lt;script&gt;alert(1)&lt;/script&gt;</td>');
    expect(html).not.toContain(HOSTILE_NAME);
    // Only the page's own tooltip script.
    expect(count(html, /<script/g)).toBe(1);
  });

  it.each([
    ['document title', `<title>Tom &amp; Jerry&#39;s &lt;shop&gt; · 30 Jun 2025, 12:00 UTC</title>`],
    ['heading', '<h1>Tom &amp; Jerry&#39;s &lt;shop&gt;</h1>'],
    ['e-mail with quotes', '<td class="email">a&quot;b&#39;c@x.com</td>'],
    ['segment badge', '<span class="badge seg-other">&lt;b&gt;NEW&lt;/b&gt;</span>'],
    ['channel in the legend', '<li><span class="swatch c1"></span>on&quot;line</li>'],
    ['holdout label', '&lt;i&gt;2+&lt;/i&gt;'],
    ['parameter name', '<th scope="row">&lt;k&gt;</th>'],
    ['model note', '<p class="note">fit &amp; check</p>'],
    // Inside an attribute: the quote that would end it is escaped.
    ['cohort in a title attribute', 'title="2024-03&quot; onmouseover=&quot;alert(4) cohort, month 0: 7 of 7 customers bought (100.0%)"'],
  ])('%s', (_, fragment) => {
    expect(html).toContain(fragment);
  });

  it('never lets data open a tag or an attribute', () => {
    expect(html).not.toContain('onmouseover="');
    expect(html).not.toContain('<b>NEW');
    expect(html).not.toContain('<i>2+');
    expect(html).not.toContain('<k>');
    expect(html).not.toContain('<shop>');
  });
});

describe('renderHtmlReport: chart marks match the data', () => {
  const html = renderHtmlReport(SMALL);

  it('one heatmap cell per cohort row, blanks for the rest of the grid', () => {
    // 3 cohorts × months 0..2 = 9 slots; 6 have data.
    expect(count(html, /<td class="hm[ "]/g)).toBe(6);
    expect(count(html, /<td class="hm-none"/g)).toBe(3);
    // √1 = 1, √0.5 = 0.707 and the two other M0 cells are ≥ 0.62 → white text; √0.25 = 0.5, √0.1 = 0.316 are not.
    expect(count(html, /class="hm hm-strong"/g)).toBe(4);
    expect(html).toContain('style="--r:0.707"');
    expect(html).toContain('style="--r:0.316"');
    // Cell text is the retention in whole percent.
    expect(html).toContain('>50</td>');
    expect(html).toContain('>10</td>');
  });

  it('one stacked bar segment per month and channel with revenue', () => {
    // Jan: in store + online; Feb: nothing (empty slot); Mar: in store only (online is 0).
    expect(count(svgById(html, 'chart-revenue-by-month'), /<rect class="mark bar/g)).toBe(3);
  });

  it('one bar per segment, tier and channel', () => {
    expect(count(svgById(html, 'chart-segments'), /<rect class="mark bar/g)).toBe(5);
    expect(count(svgById(html, 'chart-tiers'), /<rect class="mark bar/g)).toBe(2);
    expect(count(svgById(html, 'chart-revenue-by-channel'), /<rect class="mark bar/g)).toBe(2);
  });

  it('two bars per holdout group, none for a prediction that is not a number', () => {
    const svg = svgById(html, 'chart-holdout');
    expect(count(svg, /class="mark bar s-actual"/g)).toBe(3);
    expect(count(svg, /class="mark bar s-predicted"/g)).toBe(2);
  });

  it('draws the daily series point by point, with the 7-day average', () => {
    const svg = svgById(html, 'chart-new-customers');
    expect(svg).toContain('data-series="0,1,2,3,4,5,6,7,8,9"');
    // (0+…+6)/7 = 3, then 4, 5, 6.
    expect(svg).toContain('data-avg=",,,,,,3,4,5,6"');
    const daily = /class="mark line-daily" d="([^"]+)"/.exec(svg)?.[1] ?? '';
    expect(count(daily, /[ML]/g)).toBe(10);
    // Ticks for max 9 go to 10; the plot is 236 high with its base at y 250 and spans x 48…944.
    expect(daily.startsWith('M48 250L')).toBe(true);
    expect(daily.endsWith('L944 37.6')).toBe(true);
    const average = /class="mark line-avg" d="([^"]+)"/.exec(svg)?.[1] ?? '';
    expect(count(average, /[ML]/g)).toBe(4);
  });

  it('lists every top customer, a missing name marked as such', () => {
    expect(count(html, /<tr><td class="num rank">/g)).toBe(2);
    expect(html).toContain('<span class="muted">(no name)</span>');
  });
});

describe('renderHtmlReport: numbers', () => {
  const html = renderHtmlReport(SMALL);
  it.each([
    ['customers tile', '<div class="kpi-value">2,601</div>'],
    ['buyers share', '68% of customers'],
    ['repeat share', '39% of buyers'],
    ['net revenue without cents', '<div class="kpi-value">$698,220</div>'],
    ['exact net revenue in the tooltip', 'title="Net revenue: $698,220.09"'],
    ['average LTV with cents', '<div class="kpi-value">$392.04</div>'],
    ['channel revenue', '>$412,345.67</text>'],
    ['segment count and share', '>820 · 32%</text>'],
    ['top customer revenue', '<td class="num">$9,876.54</td>'],
    ['model parameter', '<td class="num">0.2426</td>'],
    ['holdout group size', '>n=1,079</text>'],
    ['as-of time', 'As of <b>30 Jun 2025, 12:00 UTC</b>'],
  ])('%s', (_, fragment) => {
    expect(html).toContain(fragment);
  });
});

describe('renderHtmlReport: empty data', () => {
  const html = renderHtmlReport(EMPTY);

  it('draws no chart and says so for every section', () => {
    expect(count(html, /<svg class="chart"/g)).toBe(0);
    // new customers, channel, segments, tiers, months, cohorts, model, top customers
    expect(count(html, /<div class="empty" role="note">/g)).toBe(8);
    expect(html).toContain('No model fitted');
    expect(html).toContain('No buyers yet.');
  });

  it('shows zeros and no shares of nothing', () => {
    expect(html).toContain('<div class="kpi-value">€0.00</div>');
    expect(html).toContain('no customers yet');
    expect(html).not.toContain('NaN');
    expect(html).not.toContain('Infinity');
  });

  it.each<[string, Partial<ReportData>, string]>([
    ['days with no new customer', { newCustomersPerDay: [{ date: '2025-06-01', count: 0 }] }, 'No new customers in this period.'],
    ['a model without a holdout', { model: { params: { r: 1 } } }, 'No holdout comparison'],
    ['revenue that is all refunds', { revenueByChannel: [{ channel: 'online', revenue: -5 }] }, 'No revenue recorded yet.'],
  ])('%s', (_, patch, message) => {
    expect(renderHtmlReport({ ...EMPTY, ...patch })).toContain(message);
  });
});

describe('renderHtmlReport: the full-size page', () => {
  const data = sampleReportData(1100);
  const html = renderHtmlReport(data);

  it('stays small for 1,100 days', () => {
    expect(Buffer.byteLength(html)).toBeLessThan(300_000);
  });

  it('is self-contained: nothing is fetched', () => {
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<link[^>]+rel="stylesheet"/);
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/@import|url\(/);
  });

  it('has one heatmap cell per cohort row and one stacked segment per month and channel', () => {
    expect(count(html, /<td class="hm[ "]/g)).toBe(data.cohorts.length);
    expect(count(svgById(html, 'chart-revenue-by-month'), /<rect class="mark bar/g)).toBe(36 * 3);
  });

  it('renders the same page for the same data', () => {
    expect(renderHtmlReport(sampleReportData(1100))).toBe(html);
  });
});

/** The bar labels of a horizontal bar chart, top to bottom. */
const barLabels = (html: string, id: string): string[] =>
  [...svgById(html, id).matchAll(/<text class="bar-label"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('renderHtmlReport: tiers and segments in their own order', () => {
  it('lists value tiers VIP, High, Medium, Low whatever order they come in, an empty tier as 0', () => {
    const html = renderHtmlReport({
      ...SMALL,
      tiers: [
        { name: 'HIGH', count: 270 },
        { name: 'LOW', count: 883 },
        { name: 'VIP', count: 90 },
      ],
    });
    expect(barLabels(html, 'chart-tiers')).toEqual(['VIP', 'High', 'Medium', 'Low']);
    expect(svgById(html, 'chart-tiers')).toContain('>0 · 0%</text>');
    expect(svgById(html, 'chart-tiers')).toMatch(/<desc[^>]*>Customers per group: VIP 90, High 270, Medium 0, Low 883\.<\/desc>/);
  });

  it('lists lifecycle segments from prospect to lost, unknown names after', () => {
    const html = renderHtmlReport({ ...SMALL, segments: [...SMALL.segments].reverse() });
    expect(barLabels(html, 'chart-segments')).toEqual(['Prospect', 'New', 'Active', 'At risk', 'Lost', 'x&quot; onmouseo…']);
  });
});

describe('renderHtmlReport: the month in progress', () => {
  const monthGroups = (html: string) => [...svgById(html, 'chart-revenue-by-month').matchAll(/<g class="month( partial-month)?" data-month="([^"]+)">/g)].map((m) => [m[2], Boolean(m[1])]);

  it('marks the as-of month partial in the monthly chart and says so under it', () => {
    const html = renderHtmlReport({ ...SMALL, asOf: '2025-03-14T09:30:00Z' });
    expect(monthGroups(html)).toEqual([
      ['2025-01', false],
      ['2025-02', false],
      ['2025-03', true],
    ]);
    expect(svgById(html, 'chart-revenue-by-month')).toContain('>partial month</text>');
    expect(html).toContain('Mar 2025 is the month in progress: the data run to 14 Mar 2025, 09:30 UTC');
  });

  it('marks nothing when the as-of time is the last second of the month, or in a month with no revenue', () => {
    for (const asOf of ['2025-03-31T23:59:59Z', '2025-04-02T00:00:00Z']) {
      const html = renderHtmlReport({ ...SMALL, asOf });
      expect(monthGroups(html).every(([, partial]) => !partial), asOf).toBe(true);
      expect(html).not.toContain('id="revenue-partial"');
    }
  });

  it('outlines the cohort cells that fall in the as-of month', () => {
    // 2024-01 month 2 and 2024-02 month 1 are March 2024; the hostile cohort label is no month.
    const html = renderHtmlReport({ ...SMALL, asOf: '2024-03-10T00:00:00Z' });
    const partial = [...html.matchAll(/<td class="hm[^"]* hm-partial"[^>]*title="([^"]*)"/g)].map((m) => m[1]);
    expect(partial).toEqual([
      'Jan 2024 cohort, month 2: 25 of 100 customers bought (25.0%) · partial month, to 10 Mar 2024, 00:00 UTC',
      'Feb 2024 cohort, month 1: 4 of 40 customers bought (10.0%) · partial month, to 10 Mar 2024, 00:00 UTC',
    ]);
    expect(html).toContain('id="cohorts-partial"');
    expect(renderHtmlReport({ ...SMALL, asOf: '2024-03-31T23:59:59Z' })).not.toMatch(/<td class="[^"]*hm-partial/);
  });
});

describe('renderHtmlReport: the net revenue tile and the channel bars', () => {
  // Bars: 412,345.67 + 1,500.00 = 413,845.67.
  const parts = (html: string) =>
    Object.fromEntries([...html.matchAll(/<tr data-part="([a-z-]+)"[^>]*>.*?data-amount="([^"]+)"/g)].map((m) => [m[1], Number(m[2])]));

  it('names every part between them when the figures add up', () => {
    const html = renderHtmlReport({
      ...SMALL,
      totals: { ...SMALL.totals, netRevenue: 400_000 },
      revenueBridge: { refunds: 10_000.5, walkIns: 3845.17, severalCurrencies: 0 },
    });
    expect(parts(html)).toEqual({ 'net-revenue': 400_000, refunds: 10_000.5, 'walk-ins': 3845.17, bars: 413_845.67 });
    expect(html).toContain('Walk-in and guest sales (no customer)');
    expect(html).not.toContain('Not explained');
  });

  it('shows what it cannot name as "not explained", and an unsplit difference as such', () => {
    const off = renderHtmlReport({ ...SMALL, totals: { ...SMALL.totals, netRevenue: 400_000 }, revenueBridge: { refunds: 10_000, walkIns: 3000, severalCurrencies: 0 } });
    expect(parts(off)['not-explained']).toBeCloseTo(845.67, 6);
    expect(off).toContain('<tr data-part="not-explained" class="warn">');
    const unsplit = renderHtmlReport({ ...SMALL, totals: { ...SMALL.totals, netRevenue: 400_000 } });
    expect(parts(unsplit)['not-split']).toBeCloseTo(13_845.67, 6);
  });

  it('names the sales of buyers in several currencies', () => {
    const html = renderHtmlReport({
      ...SMALL,
      totals: { ...SMALL.totals, netRevenue: 400_000 },
      revenueBridge: { refunds: 10_000, walkIns: 3000, severalCurrencies: 845.67 },
    });
    expect(parts(html)['several-currencies']).toBe(845.67);
    expect(html).not.toContain('data-part="not-explained"');
  });
});

describe('renderHtmlReport: the model check in words', () => {
  const verdict = (html: string) => /<p class="verdict ([a-z-]+)" id="model-verdict"[^>]*>([^<]*)<\/p>/.exec(html);

  it('says the model agrees when every sizeable group is within the tolerance', () => {
    // 1079 × 0.13 + 321 × 0.39 = 265.46 predicted, 1079 × 0.11 + 321 × 0.42 = 253.51 actual (+5%).
    const [, cls, text] = verdict(renderHtmlReport(SMALL))!;
    expect(cls).toBe('verdict-ok');
    expect(text).toBe(
      'Predicted and actual agree within 20%: the model predicted 265 purchases in the holdout period and 254 happened (+5%), and no group of 30 or more customers is off by more than 20%.',
    );
  });

  it('says in words where predicted and actual differ by more than the tolerance', () => {
    const model = { ...SMALL.model!, holdout: [{ purchases: '0', customers: 1000, actual: 0.1, predicted: 0.3 }, { purchases: '1', customers: 10, actual: 0.5, predicted: 2 }] };
    const [, cls, text] = verdict(renderHtmlReport({ ...SMALL, model }))!;
    expect(cls).toBe('verdict-off');
    // The group of 10 is too small to be judged alone; it counts in the total (305 against 105).
    expect(text).toBe(
      'Predicted and actual differ by more than 20%: the model predicted 320 purchases in the holdout period and 105 happened (+205%); ' +
        'customers with 0 repeat purchases (1,000): 0.30 predicted against 0.10 actual per customer (+200%). ' +
        'The forecasts in the master (expected_orders_12m, predicted_clv_12m) are likely too high; “ca report model” compares every candidate model.',
    );
    // A wider tolerance (clv.holdoutTolerance) lets the same figures pass.
    expect(verdict(renderHtmlReport({ ...SMALL, model: { ...model, tolerance: 3 } }))![1]).toBe('verdict-ok');
  });
});
