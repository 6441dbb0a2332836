/** `ca report html`: gathers the numbers for the one-page report and writes it. */
import { join } from 'node:path';
import type { Context } from './context.js';
import { currencyDecimals } from '../core/currency.js';
import { DAY_MS } from '../core/localTime.js';
import { writeFileAtomically } from '../io/atomicFile.js';
import { readComputed, type Computed } from '../io/computedFile.js';
import { readMeta } from '../io/meta.js';
import { masterRows } from '../io/readMaster.js';
import type { HoldoutRow } from '../core/clv/index.js';
import { renderHtmlReport, type ReportData } from '../report/html.js';
import { modelReportStep, type ModelCheck } from './modelReport.js';
import type { ModelReport } from './models.js';
import { statsStep } from './statsStep.js';


const TOP = 20;
/** The master columns the top-customers list and the refunds line read. */
const TOP_COLUMNS = ['customer_id', 'first_name', 'last_name', 'company', 'email', 'orders_count', 'net_revenue', 'refunds', 'currency', 'lifecycle_segment'];

/**
 * Everything on the page is as of the data's as-of time (the last compute's, which the master carries),
 * not the clock's: the month in progress, "new this month" and the model check all follow it.
 */
export async function htmlReportStep(ctx: Context, holdoutWeeks: number): Promise<string> {
  const computed = await readComputed(ctx.paths.computed);
  const asOf = computed.summary.asOf;
  if (ctx.asOfGiven && ctx.asOf !== asOf) {
    ctx.log.warn(
      `the report shows the data as of the last compute (${new Date(asOf).toISOString()}), not --as-of ${new Date(ctx.asOf).toISOString()}: run \`ca compute --as-of …\` and \`ca merge\` first for another date`,
    );
  }
  // The tiles and top customers come from the master, the charts from the compute: one run's, normally.
  const meta = await readMeta(ctx.paths.meta);
  // The meta file writes whole seconds.
  if (meta !== undefined && Date.parse(meta.as_of) !== Math.floor(asOf / 1000) * 1000) {
    ctx.log.warn(
      `the master is as of ${meta.as_of} but the last compute as of ${new Date(asOf).toISOString()}: the tiles and the charts disagree until \`ca merge\` runs`,
    );
  }
  const dataCtx: Context = { ...ctx, asOf, asOfGiven: true };
  const stats = await statsStep(dataCtx);
  const scale = 10 ** currencyDecimals(stats.currency);
  const perDay = new Map<string, number>();
  for (const row of computed.summary.daily) perDay.set(row.date, (perDay.get(row.date) ?? 0) + row.newCustomers);
  // Money tiles, charts and the top list are in one currency (the one of most buyers); the rows of
  // other currencies are left out and the page says so. Old computed files have no row currency.
  const inCurrency = (currency: string | undefined) => currency === undefined || currency === stats.currency;
  const monthly = computed.summary.revenueByMonthAndChannel.filter((r) => inCurrency(r.currency));
  const byChannel = new Map<string, number>();
  // Of the bars, the sales the master has no money figure for: walk-ins and guests, buyers in several
  // currencies (undefined: computed by an older ca, which did not split them).
  let walkInsMinor: number | undefined = 0;
  let severalMinor: number | undefined = 0;
  for (const row of monthly) {
    byChannel.set(row.channel, (byChannel.get(row.channel) ?? 0) + row.revenueMinor);
    walkInsMinor = row.walkInRevenueMinor === undefined || walkInsMinor === undefined ? undefined : walkInsMinor + row.walkInRevenueMinor;
    severalMinor = row.mixedCurrencyRevenueMinor === undefined || severalMinor === undefined ? undefined : severalMinor + row.mixedCurrencyRevenueMinor;
  }
  // Cohort retention counts customers, not money: the cohorts of every currency are added up.
  const cohorts = new Map<string, { cohort: string; monthsSince: number; customers: number; active: number }>();
  for (const c of computed.summary.cohorts) {
    const key = `${c.cohort}/${c.monthsSince}`;
    const cell = cohorts.get(key) ?? { cohort: c.cohort, monthsSince: c.monthsSince, customers: 0, active: 0 };
    cell.customers += c.cohortSize;
    cell.active += c.activeCustomers;
    cohorts.set(key, cell);
  }
  const others = Object.keys(stats.by_currency).filter((c) => c !== stats.currency);
  const currencyNote =
    others.length > 0 || stats.mixed_currency_buyers > 0
      ? `money figures cover buyers in ${stats.currency} only; ${[
          ...others.map((c) => `${stats.by_currency[c].buyers} buyers in ${c || 'no currency'}`),
          ...(stats.mixed_currency_buyers > 0 ? [`${stats.mixed_currency_buyers} in several currencies`] : []),
        ].join(', ')} are left out of them (ca stats lists each currency)`
      : undefined;

  const top: ReportData['topCustomers'] = [];
  // Refunds to the buyers the net revenue tile covers (the same rows as `ca stats`), in minor units.
  let refundsMinor = 0;
  for await (const row of masterRows(ctx.paths.master, TOP_COLUMNS)) {
    if (Number(row.orders_count || 0) > 0 && (row.currency ?? '') === stats.currency) refundsMinor += Math.round(Number(row.refunds || 0) * scale);
    if (row.currency && row.currency !== stats.currency) continue;
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

  const check = await modelCheck(dataCtx, computed.summary, holdoutWeeks);
  const fitted = check.fitted;
  // The holdout bars of the model that predicts, when it could be fitted on the calibration period.
  const family = check.holdout.some((row) => row.meanPredicted[fitted.family] !== undefined) ? fitted.family : undefined;
  const data: ReportData = {
    title: 'Customer analytics',
    asOf: new Date(asOf).toISOString(),
    currency: stats.currency,
    currencyNote,
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
    revenueBridge: {
      refunds: refundsMinor / scale,
      walkIns: walkInsMinor === undefined ? undefined : walkInsMinor / scale,
      severalCurrencies: severalMinor === undefined ? undefined : severalMinor / scale,
    },
    revenueByMonthAndChannel: monthly.map((r) => ({ month: r.month, channel: r.channel, revenue: r.revenueMinor / scale })),
    segments: Object.entries(stats.lifecycle_segment).map(([name, count]) => ({ name, count })),
    // Tiers rank buyers; prospects have none.
    tiers: Object.entries(stats.value_tier).filter(([name]) => name !== '(empty)').map(([name, count]) => ({ name, count })),
    cohorts: [...cohorts.values()].map((c) => ({ ...c, retention: c.customers ? c.active / c.customers : 0 })),
    model: {
      params: fitted.params,
      tolerance: ctx.config.clv.holdoutTolerance,
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

/**
 * The holdout check the last compute ran, when it ran one over these weeks (`clv.model: auto`): the model
 * that filled the master, checked as it was chosen. Otherwise it is run now, as of the data's as-of time.
 */
async function modelCheck(ctx: Context, summary: Computed['summary'], holdoutWeeks: number): Promise<ModelCheck> {
  const fitted = summary.model as ModelReport | undefined;
  if (fitted?.choice?.holdout_weeks === holdoutWeeks && Array.isArray(summary.holdout)) {
    return {
      as_of: new Date(summary.asOf).toISOString(),
      calibration_end: new Date(summary.asOf - holdoutWeeks * 7 * DAY_MS).toISOString(),
      holdout_weeks: holdoutWeeks,
      fitted,
      holdout: summary.holdout as HoldoutRow[],
    };
  }
  return modelReportStep(ctx, holdoutWeeks);
}
