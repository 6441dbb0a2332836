/**
 * `ca check`: sanity checks on the master and the cache, each reported as passed or failed. The
 * store-side checks do not reuse compute: they map orders to master rows through the source ids the
 * master lists, so a stale or hand-edited master is caught.
 */
import { readFile } from 'node:fs/promises';
import type { Context } from './context.js';
import { LIFECYCLE_SEGMENTS, MASTER_COLUMN_NAMES, MASTER_COLUMNS, RFM_SEGMENTS, SOURCE_LIST_COLUMN, VALUE_TIERS } from '../core/masterColumns.js';
import { currencyDecimals } from '../core/currency.js';
import { ORDER_KIND, ORDER_STATUS, SOURCES } from '../core/model.js';
import { countedOrderStatus } from '../core/recordRules.js';
import { enumCode, type DictColumn } from '../io/columnar.js';
import { CsvSyntaxError } from '../io/csvRecords.js';
import { checkedMasterRows, masterOpenError } from '../io/readMaster.js';
import { openToOthers } from '../io/privacy.js';
import { Store } from '../io/store.js';
import { join } from 'node:path';

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

export interface CheckReport {
  ok: boolean;
  checks: CheckResult[];
  /** What is not wrong but needs a reader's attention (buyers in several currencies). */
  warnings: string[];
  distribution: Record<string, Record<string, number>>;
}

const MAX_EXAMPLES = 3;

/** Failures of one check: how many, and the first few to show. */
class Problems {
  count = 0;
  readonly examples: string[] = [];

  /** `text` is only built for the examples shown (a bad master can fail a check on every row). */
  add(text: () => string): void {
    if (this.count++ < MAX_EXAMPLES) this.examples.push(text());
  }
}

/**
 * What the store-side checks need of each master row, kept in arrays rather than as row objects: a
 * million-row master read whole as objects takes gigabytes.
 */
interface MasterIndex {
  ids: string[];
  ordersCount: number[];
  firstOrderAt: string[];
  /** `source \0 source id` to the master row that lists it. */
  rowOf: Map<string, number>;
}

const MONEY_COLUMNS = MASTER_COLUMNS.filter((c) => c.type === 'money').map((c) => c.name);

export async function checkStep(ctx: Context): Promise<CheckReport> {
  const checks: CheckResult[] = [];
  const distribution: Record<string, Record<string, number>> = { lifecycle_segment: {}, value_tier: {}, rfm_segment: {} };
  const add = (name: string, problems: Problems, okDetail: string) =>
    checks.push({
      name,
      ok: problems.count === 0,
      detail:
        problems.count === 0
          ? okDetail
          : problems.examples.join('; ') + (problems.count > MAX_EXAMPLES ? `; and ${problems.count - MAX_EXAMPLES} more` : ''),
    });

  const warnings: string[] = [];
  const exposed = await openToOthers([
    join(ctx.paths.workspace, 'ca.env'),
    ...(ctx.configPath ? [ctx.configPath] : []),
    ctx.paths.timestamp,
    ctx.paths.dataDir,
    ctx.paths.archive,
  ]);
  if (exposed.count > 0) {
    warnings.push(
      `the workspace is readable by others: ${exposed.count} file(s) or folder(s) give group or other users access, e.g. ${exposed.examples.join(', ')}; ` +
        `they hold customers' names, e-mails and phones (run \`chmod -R go= ${ctx.paths.dataDir}${ctx.paths.archive.startsWith(ctx.paths.dataDir) ? '' : ` ${ctx.paths.archive}`}\` and the same for ca.env, ca.config.json and .last_update_timestamp)`,
    );
  }

  const master: MasterIndex = { ids: [], ordersCount: [], firstOrderAt: [], rowOf: new Map() };
  const seen = new Set<string>();
  const duplicates = new Problems();
  const orderProblems = new Problems();
  const aovProblems = new Problems();
  const segmentProblems = new Problems();
  const currencyProblems = new Problems();
  const buyersByCurrency = new Map<string, number>();
  const legal: Record<string, readonly string[]> = { lifecycle_segment: LIFECYCLE_SEGMENTS, value_tier: VALUE_TIERS, rfm_segment: RFM_SEGMENTS };
  const checkRow = (row: Record<string, string>, line: number) => {
    const id = row.customer_id;
    if (!id || seen.has(id)) duplicates.add(() => `line ${line}: customer_id ${id || '(empty)'} ${id ? 'repeats' : 'is empty'}`);
    seen.add(id);
    if (row.first_order_at && row.last_order_at && row.first_order_at > row.last_order_at) {
      orderProblems.add(() => `line ${line} (${id}): first_order_at ${row.first_order_at} is after last_order_at ${row.last_order_at}`);
    }
    const count = Number(row.orders_count);
    // Money columns hold one currency: a row whose `currency` names several has them empty, and an
    // amount other than zero needs its currency named (a prospect's 0.00 is nothing in any currency).
    const currency = row.currency ?? '';
    const mixed = currency.includes(';');
    const money = MONEY_COLUMNS.filter((name) => (mixed ? row[name] : row[name] && Number(row[name]) !== 0));
    if (money.length > 0 && (mixed || !currency)) {
      currencyProblems.add(() => `line ${line} (${id}): ${money[0]} ${row[money[0]]} but currency is ${currency ? `"${currency}" (several)` : 'empty'}`);
    }
    if (count > 0) buyersByCurrency.set(currency, (buyersByCurrency.get(currency) ?? 0) + 1);
    if (count > 0 && !mixed) {
      const decimals = currencyDecimals(row.currency);
      const expected = Number(row.net_revenue) / count;
      const tolerance = 10 ** -decimals;
      if (!(Math.abs(Number(row.avg_order_value) - expected) <= tolerance)) {
        aovProblems.add(() => `line ${line} (${id}): avg_order_value ${row.avg_order_value} but net_revenue / orders_count = ${expected.toFixed(decimals)}`);
      }
    }
    for (const [column, values] of Object.entries(legal)) {
      const value = row[column] ?? '';
      distribution[column][value || '(empty)'] = (distribution[column][value || '(empty)'] ?? 0) + 1;
      if (value && !values.includes(value)) segmentProblems.add(() => `line ${line} (${id}): ${column} "${value}" is not one of ${values.join(', ')}`);
    }
    if (row.lifecycle_segment === 'PROSPECT' && count > 0) segmentProblems.add(() => `line ${line} (${id}): PROSPECT with ${count} orders`);

    const index = master.ids.length;
    master.ids.push(id);
    master.ordersCount.push(count);
    master.firstOrderAt.push(row.first_order_at ?? '');
    for (const source of SOURCES) {
      for (const sourceId of (row[SOURCE_LIST_COLUMN[source]] ?? '').split(';')) {
        if (sourceId) master.rowOf.set(`${source}\u0000${sourceId}`, index);
      }
    }
  };

  let header: readonly string[] = [];
  try {
    let line = 1;
    for await (const row of checkedMasterRows(ctx.paths.master, (h) => (header = h))) checkRow(row, ++line);
    add('master parses', new Problems(), `${master.ids.length} rows in ${ctx.paths.master}`);
  } catch (error) {
    // No master (or one the file system will not give) is not a failed check: there is nothing to check.
    if (!(error instanceof CsvSyntaxError)) throw masterOpenError(ctx.paths.master, error);
    const failed = new Problems();
    failed.add(() => `${ctx.paths.master}: ${(error as Error).message}`);
    add('master parses', failed, '');
    for (const warning of warnings) ctx.log.warn(warning);
    return { ok: false, checks, distribution, warnings };
  }

  const missing = MASTER_COLUMN_NAMES.filter((name, i) => header[i] !== name);
  const headerProblems = new Problems();
  if (missing.length) headerProblems.add(() => `expected ${MASTER_COLUMN_NAMES.length} contract columns in order; first difference at ${missing[0]}`);
  add('header matches the contract', headerProblems, `${MASTER_COLUMN_NAMES.length} contract columns in order${header.length > MASTER_COLUMN_NAMES.length ? ` + ${header.length - MASTER_COLUMN_NAMES.length} of yours` : ''}`);
  add('customer_id unique', duplicates, `${seen.size} distinct keys`);
  add('first_order_at <= last_order_at', orderProblems, 'holds on every row');
  add('avg_order_value = net_revenue / orders_count', aovProblems, 'holds on every row with orders');
  add('segment values legal', segmentProblems, 'all lifecycle, tier and RFM values are legal');
  const currencyGroups = [...buyersByCurrency].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  add('money columns in one named currency', currencyProblems, `buyers by currency: ${currencyGroups.map(([c, n]) => `${c || '(none)'} ${n}`).join(', ') || 'none'}`);
  if (buyersByCurrency.size > 1) {
    warnings.push(
      `the master has buyers in ${buyersByCurrency.size} currency groups (${currencyGroups.map(([c]) => c).join(', ')}): money columns are per customer in their own currency; do not add them across rows without grouping by currency`,
    );
  }
  for (const warning of warnings) ctx.log.warn(warning);

  await checkAgainstStore(ctx, master, add);
  return { ok: checks.every((c) => c.ok), checks, distribution, warnings };
}

/** Every customer with orders in the store is in the master and vice versa; first_order_at matches. */
async function checkAgainstStore(ctx: Context, master: MasterIndex, add: (name: string, problems: Problems, okDetail: string) => void) {
  let asOf = Infinity;
  try {
    const meta = JSON.parse(await readFile(ctx.paths.meta, 'utf8')) as { as_of?: string };
    if (meta.as_of) asOf = Date.parse(meta.as_of);
  } catch {
    // Without meta, every order counts.
  }
  const rows = master.ids.length;
  const store = new Store(ctx.paths.cache, { readOnly: true });
  const earliest = new Float64Array(rows).fill(Infinity);
  const notInMaster = new Problems();
  let ordersSeen = 0;
  for (const source of SOURCES) {
    if (!(await store.exists(source))) continue;
    const orders = await store.loadColumns(source, 'orders', ['customerId', 'kind', 'status', 'orderedAt', 'deleted', 'purchaseId']);
    if (!orders) continue;
    const customer = orders.data.customerId as DictColumn;
    const kind = orders.data.kind as Uint8Array;
    const status = orders.data.status as Uint8Array;
    const at = orders.data.orderedAt as Float64Array;
    const deleted = orders.data.deleted as Uint8Array;
    const rowByCode = customer.dict.map((id) => master.rowOf.get(`${source}\u0000${id}`) ?? -1);
    const reported = new Uint8Array(customer.dict.length);
    const counts = (o: number) =>
      kind[o] === ORDER_KIND.sale && countedOrderStatus(enumCode(status[o]), deleted[o] === 1) === ORDER_STATUS.completed && at[o] <= asOf;
    // Payments of one order are one purchase, dated by the earliest of them (whoever it names).
    const purchase = orders.data.purchaseId as DictColumn;
    const purchaseAt = new Float64Array(purchase.dict.length).fill(Infinity);
    for (let o = 0; o < orders.rows; o++) {
      const p = purchase.codes[o];
      if (p >= 0 && counts(o) && at[o] < purchaseAt[p]) purchaseAt[p] = at[o];
    }
    for (let o = 0; o < orders.rows; o++) {
      const c = customer.codes[o];
      if (c < 0 || !counts(o)) continue;
      ordersSeen++;
      const r = rowByCode[c];
      const when = purchase.codes[o] >= 0 ? purchaseAt[purchase.codes[o]] : at[o];
      if (r >= 0) {
        if (when < earliest[r]) earliest[r] = when;
      } else if (!reported[c]) {
        reported[c] = 1;
        notInMaster.add(() => `${source} customer ${customer.dict[c]} has orders but is not in the master`);
      }
    }
  }
  const noOrders = new Problems();
  const firstMismatch = new Problems();
  for (let i = 0; i < rows; i++) {
    const count = master.ordersCount[i];
    if (count > 0 && earliest[i] === Infinity) noOrders.add(() => `${master.ids[i]} has orders_count ${count} but no orders in the cache`);
    if (earliest[i] !== Infinity) {
      const expected = new Date(earliest[i]).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const written = master.firstOrderAt[i];
      if (written !== expected) firstMismatch.add(() => `${master.ids[i]}: first_order_at ${written || '(empty)'} but the earliest order in the cache is ${expected}`);
    }
  }
  add('customers with orders in the cache are in the master', notInMaster, `${ordersSeen} orders map to master rows`);
  add('master customers with orders have them in the cache', noOrders, 'every buyer in the master has orders in the cache');
  add('first_order_at = earliest order in the cache', firstMismatch, 'matches for every buyer');
}
