/**
 * `ca report html`: one self-contained page (inline CSS, server-drawn SVG, a few lines of script for a
 * tooltip) that works offline and prints. Pure: the caller gathers the data and writes the file.
 */
import { dailyLineChart } from './dailyLineChart.js';
import { displayLabel } from './displayLabel.js';
import { escapeHtml } from './escapeHtml.js';
import { formatCount, formatDateTime, formatMoney, formatShare, formatSignificant } from './formatters.js';
import { groupedBarChart } from './groupedBarChart.js';
import { horizontalBarChart, type BarRow } from './horizontalBarChart.js';
import { kpiTiles } from './kpiTiles.js';
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
  revenueByChannel: { channel: string; revenue: number }[];        // in_store / online / appointment, major units
  revenueByMonthAndChannel: { month: string; channel: string; revenue: number }[]; // 'YYYY-MM'
  segments: { name: string; count: number }[];                    // lifecycle segments
  tiers: { name: string; count: number }[];                       // value tiers
  cohorts: { cohort: string; monthsSince: number; customers: number; active: number; retention: number }[];
  model?: { params?: Record<string, number>; note?: string;
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
  if (model.note !== undefined && model.note !== '') side.push(`<p class="note">${escapeHtml(model.note)}</p>`);
  return `<div class="model"><div>${groupedBarChart(model.holdout ?? [])}</div><div>${side.join('')}</div></div>`;
}

export function renderHtmlReport(data: ReportData): string {
  const series = channelSeries(data);
  const monthlyLegend =
    series.length === 0
      ? ''
      : `<ul class="legend">${series.map((s) => `<li><span class="swatch ${s.colorClass}"></span>${escapeHtml(s.label)}</li>`).join('')}</ul>`;
  const monthly = stackedMonthlyChart(data.revenueByMonthAndChannel, series, data.currency);
  const monthlyBody = monthly.startsWith('<div class="empty"') ? monthly : monthlyLegend + monthly;

  const body = [
    `<header class="top"><div><h1>${escapeHtml(data.title)}</h1>` +
      `<p class="meta">As of <b>${escapeHtml(formatDateTime(data.asOf))}</b> · amounts in <b>${escapeHtml(data.currency)}</b></p>` +
      (data.currencyNote ? `<p class="meta" id="currency-note">${escapeHtml(data.currencyNote)}</p>` : '') +
      '</div>' +
      `<p class="meta">Generated ${escapeHtml(formatDateTime(data.generatedAt))}</p></header>`,
    kpiTiles(data.totals, data.currency),
    card('new-customers', 'New customers per day', 'Customers whose first purchase fell on that day, with the 7-day moving average.', dailyLineChart(data.newCustomersPerDay)),
    '<div class="grid-3">',
    card('revenue-by-channel', 'Revenue by channel', 'Revenue over all history.', revenueByChannelChart(data, series)),
    card(
      'segments',
      'Lifecycle segments',
      'Customers by where they are in their life with the business.',
      countBars('chart-segments', 'Lifecycle segments', data.segments, (name) => segmentClass(name), 'No customers yet.'),
    ),
    card(
      'tiers',
      'Value tiers',
      'Buyers ranked by net revenue.',
      countBars('chart-tiers', 'Value tiers', data.tiers, tierClass, 'No value tiers yet: tiers are given to buyers only.'),
    ),
    '</div>',
    card('revenue-by-month', 'Revenue by month and channel', 'Monthly revenue, stacked by channel.', monthlyBody),
    card('cohorts', 'Cohort retention', 'Each row is the customers whose first purchase fell in that month; each cell, the percent of them who bought N months later (0: the first month itself).', retentionHeatmap(data.cohorts)),
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
