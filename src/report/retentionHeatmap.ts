import { escapeHtml } from './escapeHtml.js';
import { formatCount, formatMonth, formatPercent } from './formatters.js';
import { addMonths, partialNote, type PartialMonth } from './partialMonth.js';
import { emptyState, finite } from './svgParts.js';

export interface CohortCell {
  cohort: string;
  monthsSince: number;
  customers: number;
  active: number;
  /** Share 0–1 of the cohort still buying that month. */
  retention: number;
}

/**
 * Cohort × months-since table, each cell shaded by its retention (the CSS maps `--r` to the colour's
 * opacity, so it follows the colour scheme and prints). The shade is the square root of the retention:
 * typical retention after the first month sits between 5 and 40 %, and a linear shade would make those
 * cells look alike. Cohorts without a cell for a month get a blank. Cells of the month in progress
 * (`partial`) get a dashed outline and say so: their customers have not had the whole month to buy.
 */
export function retentionHeatmap(cells: readonly CohortCell[], partial?: PartialMonth): string {
  const valid = cells.filter((c) => Number.isInteger(c.monthsSince) && c.monthsSince >= 0);
  if (valid.length === 0) return emptyState('No cohorts yet: cohorts start with the first purchases.');
  const cohorts = [...new Set(valid.map((c) => c.cohort))].sort();
  const maxMonths = Math.max(...valid.map((c) => c.monthsSince));
  const byKey = new Map(valid.map((c) => [`${c.cohort}\u0000${c.monthsSince}`, c]));
  const sizes = new Map<string, number>();
  for (const c of valid) sizes.set(c.cohort, Math.max(sizes.get(c.cohort) ?? 0, finite(c.customers)));

  const head = ['<th scope="col" class="cohort">Cohort</th><th scope="col" class="num">Customers</th>'];
  for (let m = 0; m <= maxMonths; m++) head.push(`<th scope="col" title="${m} months since first purchase">${m}</th>`);
  const group =
    '<tr class="group"><td colspan="2"></td>' +
    `<th scope="colgroup" colspan="${maxMonths + 1}">Months since first purchase · % of the cohort who bought</th></tr>`;
  const body: string[] = [];
  let partialCells = 0;
  for (const cohort of cohorts) {
    const row = [`<th scope="row" class="cohort">${escapeHtml(formatMonth(cohort))}</th>`, `<td class="num">${formatCount(sizes.get(cohort) ?? 0)}</td>`];
    for (let m = 0; m <= maxMonths; m++) {
      const c = byKey.get(`${cohort}\u0000${m}`);
      if (c === undefined) {
        row.push('<td class="hm-none"></td>');
        continue;
      }
      const r = Math.min(1, Math.max(0, finite(c.retention)));
      const tip = `${formatMonth(cohort)} cohort, month ${m}: ${formatCount(c.active)} of ${formatCount(c.customers)} customers bought (${formatPercent(r, 1)})`;
      const shade = Math.round(Math.sqrt(r) * 1000) / 1000;
      const inProgress = partial !== undefined && addMonths(cohort, m) === partial.month;
      if (inProgress) partialCells++;
      const classes = `hm${shade >= 0.62 ? ' hm-strong' : ''}${inProgress ? ' hm-partial' : ''}`;
      const title = inProgress ? `${tip} · partial month, to ${partial.through}` : tip;
      row.push(`<td class="${classes}" style="--r:${shade}" title="${escapeHtml(title)}">${Math.round(r * 100)}</td>`);
    }
    body.push(`<tr>${row.join('')}</tr>`);
  }
  return (
    '<div class="table-scroll"><table class="heatmap">' +
    `<caption class="sr-only">Retention by acquisition month (rows) and months since the first purchase (columns)</caption>` +
    `<thead>${group}<tr>${head.join('')}</tr></thead><tbody>${body.join('')}</tbody></table></div>` +
    '<div class="scale" aria-hidden="true"><span>0%</span><span class="scale-bar"></span><span>100%</span>' +
    '<span class="scale-note">square-root shading: 25% is half-way</span></div>' +
    (partial !== undefined && partialCells > 0
      ? `<p class="note partial-note" id="cohorts-partial"><span class="swatch swatch-partial" aria-hidden="true"></span>${escapeHtml(
          partialNote(partial, 'its cells (dashed) count the customers who bought so far'),
        )}</p>`
      : '')
  );
}
