import { escapeHtml } from './escapeHtml.js';
import { emptyState, finite, px, svgOpen, truncate } from './svgParts.js';

export interface BarRow {
  label: string;
  value: number;
  /** Shown right of the bar, e.g. "1,234 · 45%". */
  valueText: string;
  /** One of our fixed colour classes (never data). */
  colorClass: string;
  /** Full text of the mark's tooltip. */
  tooltip: string;
}

export interface BarChartSpec {
  id: string;
  title: string;
  description: string;
  rows: readonly BarRow[];
  emptyMessage: string;
}

const W = 340;
const ROW_H = 30;
const BAR_H = 18;
const LABEL_W = 84;
const VALUE_W = 104;
const PAD = 8;

/** One bar per category, longest = widest; a faint track shows the full scale. Zero and negative values draw no bar. */
export function horizontalBarChart(spec: BarChartSpec): string {
  const max = Math.max(0, ...spec.rows.map((r) => finite(r.value)));
  if (spec.rows.length === 0 || max <= 0) return emptyState(spec.emptyMessage);
  const plotX = LABEL_W + PAD;
  const plotW = W - plotX - VALUE_W;
  const height = spec.rows.length * ROW_H + PAD;
  const parts = [svgOpen(spec.id, W, height, spec.title, spec.description)];
  spec.rows.forEach((row, i) => {
    const top = PAD / 2 + i * ROW_H + (ROW_H - BAR_H) / 2;
    const mid = top + BAR_H / 2;
    const width = (Math.max(0, finite(row.value)) / max) * plotW;
    parts.push(
      `<text class="bar-label" x="${LABEL_W}" y="${px(mid + 4)}" text-anchor="end">${escapeHtml(truncate(row.label, 12))}</text>`,
      `<rect class="track" x="${plotX}" y="${px(top)}" width="${px(plotW)}" height="${BAR_H}" rx="4"/>`,
      // A row of zero (a tier no buyer is in) keeps its label and value but draws no mark.
      row.value > 0
        ? `<rect class="mark bar ${row.colorClass}" x="${plotX}" y="${px(top)}" width="${px(Math.max(width, 2))}" height="${BAR_H}" rx="4">` +
            `<title>${escapeHtml(row.tooltip)}</title></rect>`
        : '',
      `<text class="bar-value" x="${px(plotX + plotW + PAD)}" y="${px(mid + 4)}">${escapeHtml(row.valueText)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
