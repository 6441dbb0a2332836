/**
 * `ca report html`: one self-contained page (inline CSS, server-drawn SVG, a few lines of script for a
 * tooltip) that works offline and prints. Pure: the caller gathers the data and writes the file.
 */
import { inDeclaredOrder, LIFECYCLE_SEGMENTS, VALUE_TIERS } from '../core/masterColumns.js';
import { currencyDecimals } from '../core/currency.js';
import { dailyLineChart } from './dailyLineChart.js';
import { displayLabel } from './displayLabel.js';
import { escapeHtml } from './escapeHtml.js';
import { formatCount, formatDateTime, formatMoney, formatShare, formatSignificant } from './formatters.js';
import { groupedBarChart } from './groupedBarChart.js';
import { horizontalBarChart, type BarRow } from './horizontalBarChart.js';
import { kpiTiles } from './kpiTiles.js';
import { modelVerdict } from './modelVerdict.js';
import { partialMonthOf, partialNote, type PartialMonth } from './partialMonth.js';
import { categoryClass, segmentClass, tierClass } from './palette.js';
import { REPORT_STYLES } from './reportStyles.js';
import { retentionHeatmap } from './retentionHeatmap.js';
import { stackedMonthlyChart, type StackSeries } from './stackedMonthlyChart.js';
import { TOOLTIP_SCRIPT } from './tooltipScript.js';
import { topCustomersTable } from './topCustomersTable.js';
import { emptyState, finite } from './svgParts.js';

export interface ReportData {
  title: string;                 // e.g. "Customer analytics"
  asOf: string;                  // ISO time
  currency: string;              // ISO 4217, for labels
  currencyNote?: string;         // when the shop sells in more than one currency: what the money figures leave out
  generatedAt: string;           // ISO time
  totals: { customers: number; buyers: number; repeatCustomers: number; netRevenue: number; averageLtv: number; newThisMonth: number };
  newCustomersPerDay: { date: string; count: number }[];          // all days, chronological
  revenueByChannel: { channel: string; revenue: number }[];        // in_store / online / appointment, major units: every sale, before refunds
  /**
   * How the channel bars come to the net revenue tile: bars = tile + refunds + walkIns + severalCurrencies.
   * Absent (or a part undefined): not known, and the page says the difference is not split.
   */
  revenueBridge?: {
    refunds: number;             // returns and refunds to the buyers in the tile
    walkIns?: number;            // sales with no customer: walk-ins and guest checkouts
    severalCurrencies?: number;  // this currency's sales of buyers who bought in several (in no money figure)
  };
  revenueByMonthAndChannel: { month: string; channel: string; revenue: number }[]; // 'YYYY-MM'
  segments: { name: string; count: number }[];                    // lifecycle segments (drawn in lifecycle order)
  tiers: { name: string; count: number }[];                       // value tiers (drawn VIP, High, Medium, Low)
  cohorts: { cohort: string; monthsSince: number; customers: number; active: number; retention: number }[];
  model?: { params?: Record<string, number>; note?: string;
            /** Share of the actual by which predicted may differ before the page says so (default 0.2). */
            tolerance?: number;
            holdout?: { purchases: string; customers: number; actual: number; predicted: number }[] };
  topCustomers: { name: string; email: string; netRevenue: number; orders: number; segment: string }[]; // up to 20
}

/** Channels in one order and colour for both revenue charts: the by-channel list first, then any others. */
function channelSeries(data: ReportData): StackSeries[] {
  const keys: string[] = [];
  for (const r of data.revenueByChannel) if (!keys.includes(r.channel)) keys.push(r.channel);
  for (const r of data.revenueByMonthAndChannel) if (!keys.includes(r.channel)) keys.push(r.channel);
  return keys.map((key, i) => ({ key, label: displayLabel(key), colorClass: categoryClass(i) }));
}

/**
 * Rows in a fixed order (VIP, High, Medium, Low; or the lifecycle's), known names missing from the data
 * shown as 0 so the order is visible; names the order does not know follow in the order given.
 */
export function inOrder(rows: readonly { name: string; count: number }[], order: readonly string[]): { name: string; count: number }[] {
  if (rows.length === 0) return [];
  const count = new Map<string, number>();
  for (const r of rows) count.set(r.name, (count.get(r.name) ?? 0) + r.count);
  return inDeclaredOrder([...order, ...count.keys()], order).map((name) => ({ name, count: count.get(name) ?? 0 }));
}

function card(id: string, title: string, subtitle: string, body: string): string {
  return (
    `<section class="card" id="${id}" aria-labelledby="${id}-h"><div class="card-head"><h2 id="${id}-h">${escapeHtml(title)}</h2></div>` +
    `<p class="sub">${escapeHtml(subtitle)}</p>${body}</section>`
  );
}

function countBars(
  id: string,
  title: string,
  rows: readonly { name: string; count: number }[],
  colorClass: (name: string, index: number) => string,
  emptyMessage: string,
): string {
  const total = rows.reduce((sum, r) => sum + Math.max(0, finite(r.count)), 0);
  const bars: BarRow[] = rows.map((r, i) => {
    const label = displayLabel(r.name);
    const share = formatShare(r.count, total);
    return {
      label,
      value: r.count,
      valueText: `${formatCount(r.count)} · ${share}`,
      colorClass: colorClass(r.name, i),
      tooltip: `${label}: ${formatCount(r.count)} customers (${share})`,
    };
  });
  const summary = rows.map((r) => `${displayLabel(r.name)} ${formatCount(r.count)}`).join(', ');
  return horizontalBarChart({ id, title, description: `Customers per group: ${summary}.`, rows: bars, emptyMessage });
}

function revenueByChannelChart(data: ReportData, series: readonly StackSeries[]): string {
  const total = data.revenueByChannel.reduce((sum, r) => sum + Math.max(0, finite(r.revenue)), 0);
  const rows: BarRow[] = data.revenueByChannel.map((r) => {
    const s = series.find((x) => x.key === r.channel);
    const label = displayLabel(r.channel);
    const money = formatMoney(r.revenue, data.currency);
    return {
      label,
      value: r.revenue,
      valueText: `${money}`,
      colorClass: s?.colorClass ?? categoryClass(0),
      tooltip: `${label}: ${money} (${formatShare(Math.max(0, r.revenue), total)} of revenue)`,
    };
  });
  const summary = data.revenueByChannel.map((r) => `${displayLabel(r.channel)} ${formatMoney(r.revenue, data.currency)}`).join(', ');
  return horizontalBarChart({
    id: 'chart-revenue-by-channel',
    title: `Revenue by channel (${data.currency})`,
    description: `Revenue per channel: ${summary}.`,
    rows,
    emptyMessage: 'No revenue recorded yet.',
  });
}

/**
 * Under the channel bars: how their total (every sale before refunds, walk-ins and guests included) comes
 * to the net revenue tile (customers' sales minus refunds). What the figures given cannot name is shown
 * as "not explained", never hidden.
 */
function revenueBridgeTable(data: ReportData): string {
  const bars = data.revenueByChannel.reduce((sum, r) => sum + finite(r.revenue), 0);
  if (data.revenueByChannel.length === 0 && data.totals.netRevenue === 0) return '';
  const half = 0.5 / 10 ** currencyDecimals(data.currency);
  const rows: { key: string; label: string; amount: number; warn?: boolean }[] = [
    { key: 'net-revenue', label: 'Net revenue of customers (the tile)', amount: data.totals.netRevenue },
  ];
  const bridge = data.revenueBridge;
  let named = data.totals.netRevenue;
  let split = true;
  if (bridge !== undefined) {
    rows.push({ key: 'refunds', label: 'Returns and refunds to them', amount: bridge.refunds });
    named += bridge.refunds;
    if (bridge.walkIns !== undefined) {
      rows.push({ key: 'walk-ins', label: 'Walk-in and guest sales (no customer)', amount: bridge.walkIns });
      named += bridge.walkIns;
    } else split = false;
    if (bridge.severalCurrencies === undefined) split = false;
    else if (Math.abs(bridge.severalCurrencies) >= half) {
      rows.push({ key: 'several-currencies', label: 'Sales of buyers in several currencies', amount: bridge.severalCurrencies });
      named += bridge.severalCurrencies;
    }
  } else split = false;
  const rest = bars - named;
  if (Math.abs(rest) >= half) {
    rows.push(
      split
        ? { key: 'not-explained', label: 'Not explained (please report it)', amount: rest, warn: true }
        : { key: 'not-split', label: 'Refunds, walk-in and guest sales, not split (run ca compute again)', amount: rest },
    );
  }
  const body = rows
    .map(
      (r) =>
        `<tr data-part="${r.key}"${r.warn ? ' class="warn"' : ''}><th scope="row">${r.key === 'net-revenue' ? '' : '+ '}${escapeHtml(r.label)}</th>` +
        `<td class="num" data-amount="${finite(r.amount)}">${escapeHtml(formatMoney(r.amount, data.currency))}</td></tr>`,
    )
    .join('');
  return (
    '<table class="bridge" id="revenue-bridge"><caption>From the bars to the net revenue tile</caption><tbody>' +
    body +
    `</tbody><tfoot><tr data-part="bars"><th scope="row">= All sales in the bars</th><td class="num" data-amount="${bars}">${escapeHtml(formatMoney(bars, data.currency))}</td></tr></tfoot></table>`
  );
}

function modelSection(model: ReportData['model']): string {
  if (model === undefined) {
    return emptyState('No model fitted: predictions need enough repeat buyers.');
  }
  const params = Object.entries(model.params ?? {});
  const side: string[] = [];
  if (params.length > 0) {
    side.push(
      '<table class="params"><caption class="sr-only">Fitted model parameters</caption>' +
        '<thead><tr><th scope="col">Parameter</th><th scope="col" class="num">Value</th></tr></thead><tbody>' +
        params.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td class="num">${formatSignificant(v)}</td></tr>`).join('') +
        '</tbody></table>',
    );
  } else {
    side.push('<p class="note">No fitted parameters.</p>');
  }
  const verdict = modelVerdict(model.holdout ?? [], model.tolerance);
  if (verdict !== undefined) {
    side.unshift(`<p class="verdict ${verdict.ok ? 'verdict-ok' : 'verdict-off'}" id="model-verdict" role="${verdict.ok ? 'note' : 'alert'}">${escapeHtml(verdict.text)}</p>`);
  }
  if (model.note !== undefined && model.note !== '') side.push(`<p class="note">${escapeHtml(model.note)}</p>`);
  return `<div class="model"><div>${groupedBarChart(model.holdout ?? [])}</div><div>${side.join('')}</div></div>`;
}

export function renderHtmlReport(data: ReportData): string {
  const series = channelSeries(data);
  const monthlyLegend =
    series.length === 0
      ? ''
      : `<ul class="legend">${series.map((s) => `<li><span class="swatch ${s.colorClass}"></span>${escapeHtml(s.label)}</li>`).join('')}</ul>`;
  const partial: PartialMonth | undefined = partialMonthOf(data.asOf);
  const monthly = stackedMonthlyChart(data.revenueByMonthAndChannel, series, data.currency, partial);
  const monthlyPartial =
    partial !== undefined && data.revenueByMonthAndChannel.some((r) => r.month === partial.month)
      ? `<p class="note partial-note" id="revenue-partial"><span class="swatch swatch-partial" aria-hidden="true"></span>${escapeHtml(
          partialNote(partial, 'its column (pale, dashed) holds the sales so far'),
        )}</p>`
      : '';
  const monthlyBody = monthly.startsWith('<div class="empty"') ? monthly : monthlyLegend + monthly + monthlyPartial;

  const body = [
    `<header class="top"><div><h1>${escapeHtml(data.title)}</h1>` +
      `<p class="meta">As of <b>${escapeHtml(formatDateTime(data.asOf))}</b> · amounts in <b>${escapeHtml(data.currency)}</b></p>` +
      (data.currencyNote ? `<p class="meta" id="currency-note">${escapeHtml(data.currencyNote)}</p>` : '') +
      '</div>' +
      `<p class="meta">Generated ${escapeHtml(formatDateTime(data.generatedAt))}</p></header>`,
    kpiTiles(data.totals, data.currency),
    card('new-customers', 'New customers per day', 'Customers whose first purchase fell on that day, with the 7-day moving average.', dailyLineChart(data.newCustomersPerDay)),
    '<div class="grid-3">',
    card(
      'revenue-by-channel',
      'Revenue by channel',
      'Every sale over all history, before refunds, walk-ins and guests included.',
      revenueByChannelChart(data, series) + revenueBridgeTable(data),
    ),
    card(
      'segments',
      'Lifecycle segments',
      'Customers by where they are in their life with the business.',
      countBars('chart-segments', 'Lifecycle segments', inOrder(data.segments, LIFECYCLE_SEGMENTS), (name) => segmentClass(name), 'No customers yet.'),
    ),
    card(
      'tiers',
      'Value tiers',
      'Buyers ranked by net revenue.',
      countBars('chart-tiers', 'Value tiers', inOrder(data.tiers, VALUE_TIERS), tierClass, 'No value tiers yet: tiers are given to buyers only.'),
    ),
    '</div>',
    card('revenue-by-month', 'Revenue by month and channel', 'Monthly revenue, stacked by channel.', monthlyBody),
    card('cohorts', 'Cohort retention', 'Each row is the customers whose first purchase fell in that month; each cell, the percent of them who bought N months later (0: the first month itself).', retentionHeatmap(data.cohorts, partial)),
    card('model', 'Purchase model check', 'Mean purchases in the holdout period, actual vs predicted, by repeat purchases in the calibration period.', modelSection(data.model)),
    card('top-customers', 'Top customers', 'Highest net revenue.', topCustomersTable(data.topCustomers, data.currency)),
    `<footer>${escapeHtml(data.title)} · ${escapeHtml(formatCount(data.totals.customers))} customers · generated by ca</footer>`,
  ].join('\n');

  return (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    '<meta name="color-scheme" content="light dark">\n' +
    // An empty icon keeps the browser from asking for /favicon.ico, which does not exist offline.
    '<link rel="icon" href="data:,">\n' +
    `<title>${escapeHtml(data.title)} · ${escapeHtml(formatDateTime(data.asOf))}</title>\n` +
    `<style>${REPORT_STYLES}</style>\n</head>\n<body>\n<main>\n${body}\n</main>\n` +
    '<div id="tip" role="tooltip" hidden></div>\n' +
    `<script>${TOOLTIP_SCRIPT}</script>\n</body>\n</html>\n`
  );
}
