import { escapeHtml } from './escapeHtml.js';
import { formatCount, formatDecimal, formatSignificant } from './formatters.js';
import { niceTicks } from './niceTicks.js';
import { emptyState, px, svgOpen, truncate } from './svgParts.js';

export interface HoldoutRow {
  purchases: string;
  customers: number;
  actual: number;
  predicted: number;
}

const W = 640;
const H = 300;
const M = { left: 52, right: 12, top: 18, bottom: 58 };

/**
 * Calibration check: for each group of customers by repeat purchases in the calibration window, the
 * mean actual and the mean model-predicted purchases in the holdout window, side by side.
 */
export function groupedBarChart(rows: readonly HoldoutRow[]): string {
  const max = Math.max(0, ...rows.flatMap((r) => [r.actual, r.predicted].filter(Number.isFinite)));
  if (rows.length === 0 || max <= 0) return emptyState('No holdout comparison: the model was not checked against a holdout period.');
  const ticks = niceTicks(max);
  const yMax = ticks[ticks.length - 1];
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const base = M.top + plotH;
  const band = plotW / rows.length;
  const barW = Math.min(36, band * 0.36);
  const y = (v: number) => base - (Math.max(0, v) / yMax) * plotH;
  const showValues = rows.length <= 12;
  const description =
    `Mean purchases in the holdout period, actual against predicted, for ${rows.length} groups of customers by ` +
    `repeat purchases in the calibration period.`;

  const parts = [svgOpen('chart-holdout', W, H, 'Predicted vs actual purchases in the holdout period', description)];
  parts.push('<g class="grid">');
  for (const t of ticks) parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${px(y(t))}" y2="${px(y(t))}"/>`);
  parts.push('</g><g class="axis-labels">');
  for (const t of ticks) parts.push(`<text x="${M.left - 8}" y="${px(y(t) + 4)}" text-anchor="end">${formatSignificant(t, 3)}</text>`);
  parts.push(
    `<text class="axis-title" x="${px(M.left + plotW / 2)}" y="${H - 6}" text-anchor="middle">Repeat purchases in the calibration period</text>`,
    `<text class="axis-title" transform="translate(14 ${px(M.top + plotH / 2)}) rotate(-90)" text-anchor="middle">Mean purchases in holdout</text>`,
  );
  rows.forEach((r, i) => {
    const center = M.left + band * (i + 0.5);
    parts.push(
      `<text x="${px(center)}" y="${px(base + 16)}" text-anchor="middle">${escapeHtml(truncate(r.purchases, 8))}</text>`,
      `<text class="sub-label" x="${px(center)}" y="${px(base + 30)}" text-anchor="middle">n=${formatCount(r.customers)}</text>`,
    );
  });
  parts.push('</g>');
  rows.forEach((r, i) => {
    const center = M.left + band * (i + 0.5);
    const bars: [string, string, number][] = [
      ['actual', 'Actual', r.actual],
      ['predicted', 'Predicted', r.predicted],
    ];
    bars.forEach(([cls, name, v], k) => {
      if (!Number.isFinite(v)) return;
      const x = k === 0 ? center - barW - 1 : center + 1;
      const top = y(v);
      const tip = `${r.purchases} calibration purchases (${formatCount(r.customers)} customers) · ${name}: ${formatDecimal(v, 2)}`;
      parts.push(
        `<rect class="mark bar s-${cls}" x="${px(x)}" y="${px(top)}" width="${px(barW)}" height="${px(Math.max(base - top, 0.5))}" rx="2">` +
          `<title>${escapeHtml(tip)}</title></rect>`,
      );
      if (showValues) {
        parts.push(`<text class="bar-top" x="${px(x + barW / 2)}" y="${px(top - 4)}" text-anchor="middle">${formatDecimal(v, 2)}</text>`);
      }
    });
  });
  parts.push('</svg>');
  const legend =
    '<ul class="legend"><li><span class="swatch s-actual"></span>Actual</li>' +
    '<li><span class="swatch s-predicted"></span>Predicted by the model</li></ul>';
  return legend + parts.join('');
}
