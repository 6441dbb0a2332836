/** `ca stats`: the shop owner's dashboard, from the master. */
import type { Context } from './context.js';
import { currencyDecimals } from '../core/currency.js';
import { civilFromDays, DAY_MS } from '../core/localTime.js';
import { inDeclaredOrder, LIFECYCLE_SEGMENTS, VALUE_TIERS } from '../core/masterColumns.js';
import { readMeta } from '../io/meta.js';
import { masterRows } from '../io/readMaster.js';

interface Group {
  customers: number;
  buyers: number;
  repeat: number;
  /** In `Stats.currency`. */
  netRevenue: number;
}

/** Buyers and their net revenue per currency (a group's money is summed per currency, never across). */
type Money = Map<string, { buyers: number; revenue: number }>;

interface CurrencyFigures {
  buyers: number;
  customer_revenue: number;
  average_ltv: number;
}

export interface Stats {
  as_of: string;
  customers: number;
  buyers: number;
  repeat_customers: number;
  repeat_share: number;
  new_this_month: number;
  /** Money figures are in `currency`, the currency of most buyers, over the buyers whose money is in it. */
  average_ltv: number;
  customer_revenue: number;
  currency: string;
  /** Every currency apart (more than one only in a shop that sells in several). */
  by_currency: Record<string, CurrencyFigures>;
  /** Buyers whose money is in more than one currency: in no money figure. */
  mixed_currency_buyers: number;
  warnings: string[];
  by_source: Record<string, Group>;
  by_first_channel: Record<string, Group>;
  by_first_touch: Record<string, Group & { repeat_share: number; average_ltv: number }>;
  lifecycle_segment: Record<string, number>;
  value_tier: Record<string, number>;
  rfm_segment: Record<string, number>;
}


/** The master columns the dashboard reads (the others are not converted). */
const STATS_COLUMNS = [
  'orders_count',
  'net_revenue',
  'currency',
  'first_order_at',
  'sources',
  'first_order_channel',
  'first_order_source',
  'lifecycle_segment',
  'value_tier',
  'rfm_segment',
] as const;

export async function statsStep(ctx: Context): Promise<Stats> {
  // "This month" is the month of the master's own as-of time, unless --as-of says otherwise.
  const meta = ctx.asOfGiven ? undefined : await readMeta(ctx.paths.meta);
  const asOf = meta ? Date.parse(meta.as_of) : ctx.asOf;
  const [year, month] = civilFromDays(Math.floor(asOf / DAY_MS));
  const monthPrefix = `${year}-${String(month).padStart(2, '0')}`;
  type Counted = Omit<Group, 'netRevenue'> & { money: Money };
  const empty = (): Counted => ({ customers: 0, buyers: 0, repeat: 0, money: new Map() });
  const bySource: Record<string, Counted> = {};
  const byChannel: Record<string, Counted> = {};
  const byTouch: Record<string, Counted> = {};
  const all = empty();
  const segments: Record<string, Record<string, number>> = { lifecycle_segment: {}, value_tier: {}, rfm_segment: {} };
  let mixedBuyers = 0;
  let newThisMonth = 0;
  const add = (g: Counted, isBuyer: boolean, isRepeat: boolean, currency: string | undefined, net: number) => {
    g.customers++;
    if (isBuyer) g.buyers++;
    if (isRepeat) g.repeat++;
    if (!isBuyer || currency === undefined) return;
    const m = g.money.get(currency) ?? { buyers: 0, revenue: 0 };
    m.buyers++;
    m.revenue += net;
    g.money.set(currency, m);
  };
  for await (const row of masterRows(ctx.paths.master, STATS_COLUMNS)) {
    const count = Number(row.orders_count || 0);
    const net = Number(row.net_revenue || 0);
    const isBuyer = count > 0;
    const isRepeat = count > 1;
    // A customer who bought in several currencies has empty money columns and `currency` naming them.
    const mixed = (row.currency ?? '').includes(';');
    if (isBuyer && mixed) mixedBuyers++;
    const currency = mixed ? undefined : row.currency || '';
    add(all, isBuyer, isRepeat, currency, net);
    if (row.first_order_at?.startsWith(monthPrefix)) newThisMonth++;
    for (const source of (row.sources || '').split(';').filter(Boolean)) add((bySource[source] ??= empty()), isBuyer, isRepeat, currency, net);
    if (isBuyer) {
      add((byChannel[row.first_order_channel || '(unknown)'] ??= empty()), true, isRepeat, currency, net);
      add((byTouch[row.first_order_source || '(none)'] ??= empty()), true, isRepeat, currency, net);
    }
    for (const column of Object.keys(segments)) {
      const value = row[column] || '(empty)';
      segments[column][value] = (segments[column][value] ?? 0) + 1;
    }
  }
  const round = (n: number) => Math.round(n * 100) / 100;
  // The money figures are in the currency of most buyers; the others are listed apart, never added in.
  const byCurrency = [...all.money.entries()].sort((a, b) => b[1].buyers - a[1].buyers || (a[0] < b[0] ? -1 : 1));
  const currency = byCurrency[0]?.[0] ?? '';
  const inMain = (g: Counted) => g.money.get(currency) ?? { buyers: 0, revenue: 0 };
  const group = (g: Counted): Group => ({ customers: g.customers, buyers: g.buyers, repeat: g.repeat, netRevenue: round(inMain(g).revenue) });
  const finish = (groups: Record<string, Counted>) => Object.fromEntries(Object.entries(groups).map(([k, g]) => [k, group(g)]));
  const warnings: string[] = [];
  if (byCurrency.length > 1 || mixedBuyers > 0) {
    warnings.push(
      `the master has buyers in ${byCurrency.length} currencies (${byCurrency.map(([c, m]) => `${c || '(none)'} ${m.buyers}`).join(', ')})` +
        (mixedBuyers > 0 ? ` and ${mixedBuyers} who bought in more than one` : '') +
        `: money figures are in ${currency} over its buyers only; by_currency lists every currency apart`,
    );
  }
  for (const warning of warnings) ctx.log.warn(warning);
  return {
    as_of: new Date(asOf).toISOString(),
    customers: all.customers,
    buyers: all.buyers,
    repeat_customers: all.repeat,
    repeat_share: all.buyers ? round(all.repeat / all.buyers) : 0,
    new_this_month: newThisMonth,
    average_ltv: inMain(all).buyers ? round(inMain(all).revenue / inMain(all).buyers) : 0,
    customer_revenue: round(inMain(all).revenue),
    currency,
    by_currency: Object.fromEntries(
      byCurrency.map(([c, m]) => [c, { buyers: m.buyers, customer_revenue: round(m.revenue), average_ltv: round(m.revenue / m.buyers) }]),
    ),
    mixed_currency_buyers: mixedBuyers,
    warnings,
    by_source: finish(bySource),
    by_first_channel: finish(byChannel),
    by_first_touch: Object.fromEntries(
      Object.entries(byTouch)
        .sort((a, b) => b[1].customers - a[1].customers)
        .map(([k, g]) => {
          const money = inMain(g);
          return [k, { ...group(g), repeat_share: g.buyers ? round(g.repeat / g.buyers) : 0, average_ltv: money.buyers ? round(money.revenue / money.buyers) : 0 }];
        }),
    ),
    lifecycle_segment: inOrder(segments.lifecycle_segment, LIFECYCLE_SEGMENTS),
    value_tier: inOrder(segments.value_tier, VALUE_TIERS),
    rfm_segment: segments.rfm_segment,
  };
}

/** `counts` with its keys in the declared order (`inDeclaredOrder`). */
export function inOrder(counts: Record<string, number>, order: readonly string[]): Record<string, number> {
  return Object.fromEntries(inDeclaredOrder(Object.keys(counts), order).map((key) => [key, counts[key]]));
}

/** The dashboard as text for a terminal. */
export function formatStats(s: Stats): string {
  const pct = (n: number) => `${Math.round(n * 100)} %`;
  const money = (n: number, currency = s.currency) => `${n.toFixed(currencyDecimals(currency))} ${currency}`.trim();
  const table = (title: string, groups: Record<string, { customers: number; buyers: number; repeat: number; netRevenue: number }>) =>
    [`${title}`, ...Object.entries(groups).map(([k, g]) => `  ${k.padEnd(22)} ${String(g.customers).padStart(8)} customers  ${String(g.buyers).padStart(8)} buyers  repeat ${pct(g.buyers ? g.repeat / g.buyers : 0).padStart(5)}  revenue ${money(g.netRevenue)}`)].join('\n');
  // Lifecycle and tiers keep their own order (VIP first, not the largest); RFM segments go by size.
  const counts = (title: string, c: Record<string, number>, bySize = false) =>
    `${title}: ${Object.entries(c).sort((a, b) => (bySize ? b[1] - a[1] : 0)).map(([k, n]) => `${k} ${n}`).join(', ')}`;
  return [
    `customers ${s.customers}, buyers ${s.buyers}, repeat ${s.repeat_customers} (${pct(s.repeat_share)}), new this month ${s.new_this_month}`,
    `customer revenue ${money(s.customer_revenue)}, average LTV ${money(s.average_ltv)}   (as of ${s.as_of})`,
    ...Object.entries(s.by_currency)
      .filter(([c]) => c !== s.currency)
      .map(([c, m]) => `  also in ${c || '(no currency)'}: customer revenue ${money(m.customer_revenue, c)}, average LTV ${money(m.average_ltv, c)} (${m.buyers} buyers; not in the figures above)`),
    ...(s.mixed_currency_buyers > 0 ? [`  ${s.mixed_currency_buyers} buyers bought in more than one currency: in no money figure`] : []),
    table('by data source', s.by_source),
    table('by first channel', s.by_first_channel),
    table('by first-touch source', s.by_first_touch),
    counts('lifecycle', s.lifecycle_segment),
    counts('value tier', s.value_tier),
    counts('RFM', s.rfm_segment, true),
  ].join('\n');
}
