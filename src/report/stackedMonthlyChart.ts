import { escapeHtml } from './escapeHtml.js';
import { formatMoney, formatMoneyCompact, formatMonth, formatShare } from './formatters.js';
import { monthRange } from './monthRange.js';
import { niceTicks } from './niceTicks.js';
import type { PartialMonth } from './partialMonth.js';
import { emptyState, finite, px, svgOpen } from './svgParts.js';

export interface StackSeries {
  /** The channel as it appears in the data (the lookup key). */
  key: string;
  label: string;
  colorClass: string;
}

const W = 960;
const H = 300;
// The top margin holds the label over a month in progress.
const M = { left: 60, right: 16, top: 26, bottom: 30 };

/**
 * Revenue per month stacked by channel, months in calendar order with empty months kept. Negative
 * month-channel revenue (refunds above sales) cannot be stacked and draws nothing. The month in progress
 * (`partial`, from the data's as-of time) is drawn pale inside a dashed frame and labelled, so that a
 * month with half its days is not read as a collapse.
 */
export function stackedMonthlyChart(
  rows: readonly { month: string; channel: string; revenue: number }[],
  series: readonly StackSeries[],
  currency: string,
  partial?: PartialMonth,
): string {
  const value = new Map<string, number>();
  for (const r of rows) {
    const key = `${r.month}\u0000${r.channel}`;
    value.set(key, (value.get(key) ?? 0) + finite(r.revenue));
  }
  const months = monthRange(rows.map((r) => r.month));
  const totals = months.map((m) => series.reduce((sum, s) => sum + Math.max(0, value.get(`${m}\u0000${s.key}`) ?? 0), 0));
  const max = Math.max(0, ...totals);
  if (months.length === 0 || max <= 0) return emptyState('No revenue recorded yet.');

  const ticks = niceTicks(max);
  const yMax = ticks[ticks.length - 1];
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const base = M.top + plotH;
  const band = plotW / months.length;
  const barW = Math.max(1, band * 0.72);
  const y = (v: number) => base - (v / yMax) * plotH;
  const best = totals.indexOf(max);
  const description =
    `Revenue per month from ${formatMonth(months[0])} to ${formatMonth(months[months.length - 1])}, stacked by channel ` +
    `(${series.map((s) => s.label).join(', ')}); highest month ${formatMonth(months[best])} with ${formatMoney(max, currency)}.` +
    (partial !== undefined && months.includes(partial.month) ? ` ${formatMonth(partial.month)} is partial: the data run to ${partial.through}.` : '');

  const parts = [svgOpen('chart-revenue-by-month', W, H, `Revenue by month and channel (${currency})`, description)];
  parts.push('<g class="grid">');
  for (const t of ticks) parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${px(y(t))}" y2="${px(y(t))}"/>`);
  parts.push('</g><g class="axis-labels">');
  for (const t of ticks) {
    parts.push(`<text x="${M.left - 8}" y="${px(y(t) + 4)}" text-anchor="end">${escapeHtml(formatMoneyCompact(t, currency))}</text>`);
  }
  const step = [1, 2, 3, 6, 12, 24].find((s) => months.length / s <= 12) ?? 60;
  months.forEach((m, i) => {
    if (i % step !== 0) return;
    const label = step >= 12 ? m.slice(0, 4) : formatMonth(m);
    parts.push(`<text x="${px(M.left + band * (i + 0.5))}" y="${H - 8}" text-anchor="middle">${escapeHtml(label)}</text>`);
  });
  parts.push('</g>');
  months.forEach((m, i) => {
    let stacked = 0;
    const x = M.left + band * i + (band - barW) / 2;
    const isPartial = partial !== undefined && m === partial.month;
    parts.push(isPartial ? `<g class="month partial-month" data-month="${escapeHtml(m)}">` : `<g class="month" data-month="${escapeHtml(m)}">`);
    for (const s of series) {
      const v = Math.max(0, value.get(`${m}\u0000${s.key}`) ?? 0);
      if (v <= 0) continue;
      const top = y(stacked + v);
      const height = y(stacked) - top;
      stacked += v;
      const tip =
        `${formatMonth(m)} · ${s.label}: ${formatMoney(v, currency)} (${formatShare(v, totals[i])} of ${formatMoney(totals[i], currency)})` +
        (isPartial ? ` · partial month, to ${partial.through}` : '');
      parts.push(
        `<rect class="mark bar ${s.colorClass}" x="${px(x)}" y="${px(top)}" width="${px(barW)}" height="${px(Math.max(height, 0.5))}">` +
          `<title>${escapeHtml(tip)}</title></rect>`,
      );
    }
    if (isPartial) {
      // The frame spans the plot's height: the slot the month will fill, not a level it fell to.
      parts.push(
        `<rect class="partial-frame" x="${px(x - 1)}" y="${px(M.top)}" width="${px(barW + 2)}" height="${px(plotH)}" rx="2"/>`,
        `<text class="partial-label" x="${px(x + barW + 1)}" y="${px(M.top - 8)}" text-anchor="end">partial month</text>`,
      );
    }
    parts.push('</g>');
  });
  parts.push('</svg>');
  return parts.join('');
}
