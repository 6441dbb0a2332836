import { escapeHtml } from './escapeHtml.js';
import { formatMoney, formatMoneyCompact, formatMonth, formatShare } from './formatters.js';
import { monthRange } from './monthRange.js';
import { niceTicks } from './niceTicks.js';
import { emptyState, finite, px, svgOpen } from './svgParts.js';

export interface StackSeries {
  /** The channel as it appears in the data (the lookup key). */
  key: string;
  label: string;
  colorClass: string;
}

const W = 960;
const H = 300;
const M = { left: 60, right: 16, top: 14, bottom: 30 };

/**
 * Revenue per month stacked by channel, months in calendar order with empty months kept. Negative
 * month-channel revenue (refunds above sales) cannot be stacked and draws nothing.
 */
export function stackedMonthlyChart(
  rows: readonly { month: string; channel: string; revenue: number }[],
  series: readonly StackSeries[],
  currency: string,
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
    `(${series.map((s) => s.label).join(', ')}); highest month ${formatMonth(months[best])} with ${formatMoney(max, currency)}.`;

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
    for (const s of series) {
      const v = Math.max(0, value.get(`${m}\u0000${s.key}`) ?? 0);
      if (v <= 0) continue;
      const top = y(stacked + v);
      const height = y(stacked) - top;
      stacked += v;
      const tip = `${formatMonth(m)} · ${s.label}: ${formatMoney(v, currency)} (${formatShare(v, totals[i])} of ${formatMoney(totals[i], currency)})`;
      parts.push(
        `<rect class="mark bar ${s.colorClass}" x="${px(x)}" y="${px(top)}" width="${px(barW)}" height="${px(Math.max(height, 0.5))}">` +
          `<title>${escapeHtml(tip)}</title></rect>`,
      );
    }
  });
  parts.push('</svg>');
  return parts.join('');
}
