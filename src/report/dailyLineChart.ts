import { formatCount, formatDay, shortMonthName } from './formatters.js';
import { movingAverage } from './movingAverage.js';
import { niceTicks } from './niceTicks.js';
import { emptyState, finite, px, svgOpen } from './svgParts.js';
import { DAY_MS } from '../core/localTime.js';

/** Guards the dense day array against a stray far-away date in the data. */
const MAX_DAYS = 10_000;
const W = 960;
const H = 280;
const M = { left: 48, right: 16, top: 14, bottom: 30 };

export interface DailySeries {
  /** Epoch ms (UTC midnight) of the first day. */
  start: number;
  counts: number[];
}

/** Days sorted, same-day rows summed and missing days filled with zero, so x is proportional to time. */
export function denseDailySeries(days: readonly { date: string; count: number }[]): DailySeries | undefined {
  const byDay = new Map<number, number>();
  for (const { date, count } of days) {
    const ms = Date.parse(date);
    if (!Number.isFinite(ms)) continue;
    const day = Math.floor(ms / DAY_MS) * DAY_MS;
    byDay.set(day, (byDay.get(day) ?? 0) + finite(count));
  }
  if (byDay.size === 0) return undefined;
  const keys = [...byDay.keys()];
  const last = Math.max(...keys);
  const start = Math.max(Math.min(...keys), last - (MAX_DAYS - 1) * DAY_MS);
  const counts: number[] = [];
  for (let day = start; day <= last; day += DAY_MS) counts.push(byDay.get(day) ?? 0);
  return { start, counts };
}

interface XTick {
  index: number;
  label: string;
}

/** Weekly ticks for short spans; otherwise month starts every 1, 2, 3, 6 or 12 months, at most ~10 labels. */
function xTicks(start: number, n: number): XTick[] {
  const ticks: XTick[] = [];
  if (n <= 62) {
    const every = n <= 14 ? 2 : 7;
    for (let i = 0; i < n; i += every) {
      const d = new Date(start + i * DAY_MS);
      ticks.push({ index: i, label: `${d.getUTCDate()} ${shortMonthName(d.getUTCMonth())}` });
    }
    return ticks;
  }
  const months = n / 30.44;
  const step = [1, 2, 3, 6, 12, 24].find((s) => months / s <= 10) ?? 60;
  for (let i = 0; i < n; i++) {
    const d = new Date(start + i * DAY_MS);
    if (d.getUTCDate() !== 1) continue;
    const month = d.getUTCMonth();
    if (step >= 12 ? month !== 0 || d.getUTCFullYear() % (step / 12) !== 0 : month % step !== 0) continue;
    ticks.push({ index: i, label: step >= 12 ? String(d.getUTCFullYear()) : `${shortMonthName(month)} ${d.getUTCFullYear()}` });
  }
  return ticks;
}

/**
 * New customers per day as an area with a thin daily line and a bold 7-day trailing average. The
 * series travels in data-* attributes (numbers only) for the hover read-out in the tooltip script.
 */
export function dailyLineChart(days: readonly { date: string; count: number }[]): string {
  const series = denseDailySeries(days);
  const total = series === undefined ? 0 : series.counts.reduce((a, b) => a + b, 0);
  if (series === undefined || total <= 0) return emptyState('No new customers in this period.');

  const { start, counts } = series;
  const n = counts.length;
  const average = movingAverage(counts, 7);
  const peak = Math.max(...counts);
  const peakIndex = counts.indexOf(peak);
  const ticks = niceTicks(peak);
  const yMax = ticks[ticks.length - 1];
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const base = M.top + plotH;
  const x = (i: number) => (n === 1 ? M.left + plotW / 2 : M.left + (i * plotW) / (n - 1));
  const y = (v: number) => base - (Math.max(0, v) / yMax) * plotH;

  let line = '';
  for (let i = 0; i < n; i++) line += `${i === 0 ? 'M' : 'L'}${px(x(i))} ${px(y(counts[i]))}`;
  const area = `M${px(x(0))} ${px(base)}L${line.slice(1)}L${px(x(n - 1))} ${px(base)}Z`;
  let avgPath = '';
  for (let i = 0; i < n; i++) {
    const v = average[i];
    if (v !== undefined) avgPath += `${avgPath === '' ? 'M' : 'L'}${px(x(i))} ${px(y(v))}`;
  }

  const description =
    `${formatCount(n)} days from ${formatDay(start)} to ${formatDay(start + (n - 1) * DAY_MS)}: ` +
    `${formatCount(total)} new customers, at most ${formatCount(peak)} on ${formatDay(start + peakIndex * DAY_MS)}. ` +
    `The bold line is the 7-day moving average.`;

  const parts: string[] = [];
  parts.push(
    svgOpen('chart-new-customers', W, H, 'New customers per day', description).replace(
      '<svg ',
      `<svg data-start="${start}" data-x0="${px(x(0))}" data-x1="${px(x(n - 1))}" data-base="${px(base)}" ` +
        `data-plot-h="${px(plotH)}" data-y-max="${yMax}" data-series="${counts.join(',')}" ` +
        `data-avg="${average.map((v) => (v === undefined ? '' : String(Math.round(v * 10) / 10))).join(',')}" `,
    ),
  );
  parts.push('<g class="grid">');
  for (const t of ticks) {
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${px(y(t))}" y2="${px(y(t))}"/>`);
  }
  parts.push('</g><g class="axis-labels">');
  for (const t of ticks) {
    parts.push(`<text x="${M.left - 8}" y="${px(y(t) + 4)}" text-anchor="end">${formatCount(t)}</text>`);
  }
  for (const t of xTicks(start, n)) {
    parts.push(`<text x="${px(x(t.index))}" y="${H - 8}" text-anchor="middle">${t.label}</text>`);
  }
  parts.push('</g>');
  parts.push(`<path class="mark area" d="${area}"/>`);
  parts.push(`<path class="mark line-daily" d="${line}"/>`);
  if (avgPath !== '') parts.push(`<path class="mark line-avg" d="${avgPath}"/>`);
  parts.push(
    `<g class="hover" aria-hidden="true"><line class="crosshair" x1="0" x2="0" y1="${M.top}" y2="${px(base)}"/>` +
      `<circle class="dot" r="4" cx="0" cy="0"/></g>`,
  );
  parts.push(`<rect class="hit" x="${M.left}" y="${M.top}" width="${plotW}" height="${plotH}"/>`);
  parts.push('</svg>');
  const legend =
    '<ul class="legend"><li><span class="swatch swatch-daily"></span>New customers per day</li>' +
    '<li><span class="swatch swatch-avg"></span>7-day average</li></ul>';
  return legend + parts.join('');
}
