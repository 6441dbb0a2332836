/** `ca stats`: the shop owner's dashboard, from the master. */
import type { Context } from '../cli/context.js';
import { civilFromDays } from '../core/localTime.js';
import { readMeta } from '../io/meta.js';
import { masterRows } from '../io/readMaster.js';

interface Group {
  customers: number;
  buyers: number;
  repeat: number;
  netRevenue: number;
}

export interface Stats {
  as_of: string;
  customers: number;
  buyers: number;
  repeat_customers: number;
  repeat_share: number;
  new_this_month: number;
  average_ltv: number;
  customer_revenue: number;
  currency: string;
  by_source: Record<string, Group>;
  by_first_channel: Record<string, Group>;
  by_first_touch: Record<string, Group & { repeat_share: number; average_ltv: number }>;
  lifecycle_segment: Record<string, number>;
  value_tier: Record<string, number>;
  rfm_segment: Record<string, number>;
}

const DAY = 86_400_000;

export async function statsStep(ctx: Context): Promise<Stats> {
  // "This month" is the month of the master's own as-of time, unless --as-of says otherwise.
  const meta = ctx.asOfGiven ? undefined : await readMeta(ctx.paths.meta);
  const asOf = meta ? Date.parse(meta.as_of) : ctx.asOf;
  const [year, month] = civilFromDays(Math.floor(asOf / DAY));
  const monthPrefix = `${year}-${String(month).padStart(2, '0')}`;
  const empty = (): Group => ({ customers: 0, buyers: 0, repeat: 0, netRevenue: 0 });
  const bySource: Record<string, Group> = {};
  const byChannel: Record<string, Group> = {};
  const byTouch: Record<string, Group> = {};
  const segments: Record<string, Record<string, number>> = { lifecycle_segment: {}, value_tier: {}, rfm_segment: {} };
  const currencies: Record<string, number> = {};
  let customers = 0;
  let buyers = 0;
  let repeat = 0;
  let newThisMonth = 0;
  let revenue = 0;
  const add = (groups: Record<string, Group>, key: string, isBuyer: boolean, isRepeat: boolean, net: number) => {
    const g = (groups[key] ??= empty());
    g.customers++;
    if (isBuyer) g.buyers++;
    if (isRepeat) g.repeat++;
    g.netRevenue += net;
  };
  for await (const row of masterRows(ctx.paths.master)) {
    customers++;
    const count = Number(row.orders_count || 0);
    const net = Number(row.net_revenue || 0);
    const isBuyer = count > 0;
    const isRepeat = count > 1;
    if (isBuyer) buyers++;
    if (isRepeat) repeat++;
    revenue += net;
    if (row.first_order_at?.startsWith(monthPrefix)) newThisMonth++;
    if (row.currency) currencies[row.currency] = (currencies[row.currency] ?? 0) + 1;
    for (const source of (row.sources || '').split(';').filter(Boolean)) add(bySource, source, isBuyer, isRepeat, net);
    if (isBuyer) {
      add(byChannel, row.first_order_channel || '(unknown)', true, isRepeat, net);
      add(byTouch, row.first_order_source || '(none)', true, isRepeat, net);
    }
    for (const column of Object.keys(segments)) {
      const value = row[column] || '(empty)';
      segments[column][value] = (segments[column][value] ?? 0) + 1;
    }
  }
  const round = (n: number) => Math.round(n * 100) / 100;
  const finish = (groups: Record<string, Group>) =>
    Object.fromEntries(Object.entries(groups).map(([k, g]) => [k, { ...g, netRevenue: round(g.netRevenue) }]));
  return {
    as_of: new Date(asOf).toISOString(),
    customers,
    buyers,
    repeat_customers: repeat,
    repeat_share: buyers ? round(repeat / buyers) : 0,
    new_this_month: newThisMonth,
    average_ltv: buyers ? round(revenue / buyers) : 0,
    customer_revenue: round(revenue),
    currency: Object.entries(currencies).sort((a, b) => b[1] - a[1])[0]?.[0] ?? '',
    by_source: finish(bySource),
    by_first_channel: finish(byChannel),
    by_first_touch: Object.fromEntries(
      Object.entries(byTouch)
        .sort((a, b) => b[1].customers - a[1].customers)
        .map(([k, g]) => [k, { ...g, netRevenue: round(g.netRevenue), repeat_share: g.buyers ? round(g.repeat / g.buyers) : 0, average_ltv: g.buyers ? round(g.netRevenue / g.buyers) : 0 }]),
    ),
    lifecycle_segment: segments.lifecycle_segment,
    value_tier: segments.value_tier,
    rfm_segment: segments.rfm_segment,
  };
}

/** The dashboard as text for a terminal. */
export function formatStats(s: Stats): string {
  const pct = (n: number) => `${Math.round(n * 100)} %`;
  const money = (n: number) => `${n.toFixed(2)} ${s.currency}`.trim();
  const table = (title: string, groups: Record<string, { customers: number; buyers: number; repeat: number; netRevenue: number }>) =>
    [`${title}`, ...Object.entries(groups).map(([k, g]) => `  ${k.padEnd(22)} ${String(g.customers).padStart(8)} customers  ${String(g.buyers).padStart(8)} buyers  repeat ${pct(g.buyers ? g.repeat / g.buyers : 0).padStart(5)}  revenue ${money(g.netRevenue)}`)].join('\n');
  const counts = (title: string, c: Record<string, number>) => `${title}: ${Object.entries(c).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`;
  return [
    `customers ${s.customers}, buyers ${s.buyers}, repeat ${s.repeat_customers} (${pct(s.repeat_share)}), new this month ${s.new_this_month}`,
    `customer revenue ${money(s.customer_revenue)}, average LTV ${money(s.average_ltv)}   (as of ${s.as_of})`,
    table('by data source', s.by_source),
    table('by first channel', s.by_first_channel),
    table('by first-touch source', s.by_first_touch),
    counts('lifecycle', s.lifecycle_segment),
    counts('value tier', s.value_tier),
    counts('RFM', s.rfm_segment),
  ].join('\n');
}
