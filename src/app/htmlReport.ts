/** `ca report html`: gathers the numbers for the one-page report and writes it. */
import { join } from 'node:path';
import type { Context } from '../cli/context.js';
import { currencyDecimals } from '../core/currency.js';
import { writeFileAtomically } from '../io/atomicFile.js';
import { readComputed } from '../io/computedFile.js';
import { masterRows } from '../io/readMaster.js';
import { renderHtmlReport, type ReportData } from '../report/html.js';
import { modelReportStep } from './modelReport.js';
import { statsStep } from './statsStep.js';

const TOP = 20;

export async function htmlReportStep(ctx: Context, holdoutWeeks: number): Promise<string> {
  const computed = await readComputed(ctx.paths.computed);
  const stats = await statsStep(ctx);
  const scale = 10 ** currencyDecimals(stats.currency);
  const perDay = new Map<string, number>();
  for (const row of computed.summary.daily) perDay.set(row.date, (perDay.get(row.date) ?? 0) + row.newCustomers);
  const byChannel = new Map<string, number>();
  for (const row of computed.summary.revenueByMonthAndChannel) byChannel.set(row.channel, (byChannel.get(row.channel) ?? 0) + row.revenueMinor);

  const top: ReportData['topCustomers'] = [];
  for await (const row of masterRows(ctx.paths.master)) {
    const net = Number(row.net_revenue || 0);
    if (top.length === TOP && net <= top[TOP - 1].netRevenue) continue;
    top.push({
      name: [row.first_name, row.last_name].filter(Boolean).join(' ') || row.company || row.customer_id,
      email: row.email,
      netRevenue: net,
      orders: Number(row.orders_count || 0),
      segment: row.lifecycle_segment,
    });
    top.sort((a, b) => b.netRevenue - a.netRevenue);
    if (top.length > TOP) top.pop();
  }

  const check = await modelReportStep(ctx, holdoutWeeks);
  const fitted = check.fitted;
  // The holdout bars of the model that predicts, when it could be fitted on the calibration period.
  const family = check.holdout.some((row) => row.meanPredicted[fitted.family] !== undefined) ? fitted.family : undefined;
  const data: ReportData = {
    title: 'Customer analytics',
    asOf: stats.as_of,
    currency: stats.currency,
    generatedAt: new Date(ctx.io.now()).toISOString(),
    totals: {
      customers: stats.customers,
      buyers: stats.buyers,
      repeatCustomers: stats.repeat_customers,
      netRevenue: stats.customer_revenue,
      averageLtv: stats.average_ltv,
      newThisMonth: stats.new_this_month,
    },
    newCustomersPerDay: [...perDay.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([date, count]) => ({ date, count })),
    revenueByChannel: [...byChannel.entries()].map(([channel, revenue]) => ({ channel, revenue: revenue / scale })),
    revenueByMonthAndChannel: computed.summary.revenueByMonthAndChannel.map((r) => ({ month: r.month, channel: r.channel, revenue: r.revenueMinor / scale })),
    segments: Object.entries(stats.lifecycle_segment).map(([name, count]) => ({ name, count })),
    // Tiers rank buyers; prospects have none.
    tiers: Object.entries(stats.value_tier).filter(([name]) => name !== '(empty)').map(([name, count]) => ({ name, count })),
    cohorts: computed.summary.cohorts.map((c) => ({
      cohort: c.cohort,
      monthsSince: c.monthsSince,
      customers: c.cohortSize,
      active: c.activeCustomers,
      retention: c.cohortSize ? c.activeCustomers / c.cohortSize : 0,
    })),
    model: {
      params: fitted.params,
      note:
        fitted.model === null
          ? `no purchase model: ${fitted.reason ?? ''}`
          : `${fitted.label}; ${family === undefined ? 'no holdout check possible' : `holdout check fitted to ${check.calibration_end.slice(0, 10)}, ${holdoutWeeks} weeks of holdout`}`,
      holdout:
        family === undefined
          ? []
          : check.holdout.map((g) => ({ purchases: g.label, customers: g.customers, actual: g.meanActual, predicted: g.meanPredicted[family] ?? NaN })),
    },
    topCustomers: top,
  };
  const path = join(ctx.paths.reports, 'report.html');
  await writeFileAtomically(path, renderHtmlReport(data));
  return path;
}
