import { escapeHtml } from './escapeHtml.js';

/** SVG coordinates to 0.1 user units: invisible on screen, and keeps 1,100-point paths small. */
export function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/**
 * The opening of an accessible chart: `role="img"` named by its <title> and described by its <desc>.
 * `id` is one of our own fixed chart keys, never data.
 */
export function svgOpen(id: string, width: number, height: number, title: string, description: string): string {
  return (
    `<svg class="chart" id="${id}" viewBox="0 0 ${width} ${height}" role="img" ` +
    `aria-labelledby="${id}-title ${id}-desc" preserveAspectRatio="xMidYMid meet">` +
    `<title id="${id}-title">${escapeHtml(title)}</title>` +
    `<desc id="${id}-desc">${escapeHtml(description)}</desc>`
  );
}

/** What a chart shows instead of itself when there is nothing to draw. */
export function emptyState(message: string): string {
  return `<div class="empty" role="note"><span class="empty-mark" aria-hidden="true">∅</span>${escapeHtml(message)}</div>`;
}

/** Text that would overflow a label column is shortened; the full text stays in the mark's <title>. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Only finite values are drawn; anything else counts as zero. */
export function finite(value: number): number {
  return Number.isFinite(value) ? value : 0;
}
