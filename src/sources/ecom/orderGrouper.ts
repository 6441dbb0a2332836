/**
 * Rows into orders. A row is an order, or one line of an order (several rows with one order id).
 * Lines are usually adjacent, but an id that comes back later is the same order, so the rows are
 * sorted by order id (on disk when they outgrow memory, keeping file order within an order) and each
 * order is built from its rows in line order, then let go: memory does not grow with the file.
 * The customers' contact details are gathered the same way, sorted by customer id.
 */
import type { OrderRecord } from '../../core/model.js';
import { formatMoney } from '../../io/csvFormat.js';
import { byString, ExternalSorter } from '../../io/externalSort.js';
import { currencyDecimals } from '../../core/currency.js';
import { toMinorUnits, type Decimal } from './decimal.js';
import { CONTACT_FIELDS, type Contact, type ContactField, type EcomRow, type RowProblem } from './readRow.js';
import type { Reject } from './rejectsWriter.js';

export interface GroupingSettings {
  /** false: each row is a whole order and a repeated id is rejected; true/auto: repeated ids are lines. */
  lineLevel: boolean | 'auto';
  defaultCurrency?: string;
  defaultLocation?: string;
  /** Lower-cased status values. */
  cancelledStatuses: ReadonlySet<string>;
  openStatuses: ReadonlySet<string>;
}

interface OrderState {
  firstLine: number;
  orderedAt: number;
  customerId?: string;
  currency: string;
  status?: string;
  location?: string;
  campaign?: string;
  /** The order total as the export gives it (tax and shipping included); wins over the sum of lines. */
  totalMinor?: number;
  totalLine?: number;
  linesMinor: number;
}

/** What the file says about one customer: each contact field from the latest order that has it. */
export interface CustomerFacts {
  id: string;
  firstOrderAt: number;
  contact: Contact;
  /** When each contact field was seen (the time of its order). */
  seenAt: Partial<Record<ContactField, number>>;
}

export interface GroupCounts {
  ordersTaken: number;
  linesGrouped: number;
  guestOrders: number;
  cancelledOrders: number;
  returns: number;
  customers: number;
}

/**
 * Bytes of rows and of contact notes held before a sort spills them to disk. Both sorts are alive at
 * once (notes pile up while the rows are read back), and V8 keeps about as much again as garbage.
 */
const ROWS_BUDGET = 32 * 1024 * 1024;
const NOTES_BUDGET = 16 * 1024 * 1024;

/**
 * A row waiting for the sort: its line and what was read from it. Not its text: the few rows that
 * turn out not to fit their order get it back from the file when the rejects are written.
 */
interface PendingRow {
  row: EcomRow;
  line: number;
}

/** What one row says about its order's customer. */
interface ContactNote {
  id: string;
  /** The order's time. */
  at: number;
  line: number;
  contact: Contact;
}

export class OrderGrouper {
  private readonly rows: ExternalSorter<PendingRow>;
  private readonly notes: ExternalSorter<ContactNote>;
  private readonly tally: GroupCounts = { ordersTaken: 0, linesGrouped: 0, guestOrders: 0, cancelledOrders: 0, returns: 0, customers: 0 };
  private readonly locationNames = new Set<string>();

  /**
   * `tempDir`: where rows that do not fit in memory wait for the sort (the data folder); `budget`:
   * bytes of rows held before they go there (the sorter's default unless a test wants spills).
   */
  constructor(
    private readonly settings: GroupingSettings,
    tempDir: string,
    budget?: number,
  ) {
    this.rows = new ExternalSorter<PendingRow>({
      dir: tempDir,
      budget: budget ?? ROWS_BUDGET,
      compare: (a, b) => byString(a.row.orderId, b.row.orderId),
      weigh: () => 600,
      encode: encodeRow,
      decode: decodeRow,
    });
    this.notes = new ExternalSorter<ContactNote>({
      dir: tempDir,
      compare: (a, b) => byString(a.id, b.id),
      weigh: () => 300,
      budget: budget ?? NOTES_BUDGET,
    });
  }

  /** Takes a row that read well; whether it fits its order is known once all rows are in (`orders`). */
  add(row: EcomRow, line: number): Promise<void> {
    return this.rows.add({ row, line });
  }

  /**
   * The orders, in id order, each built from its rows in line order. A row that cannot join its
   * order goes to `reject` (the order is then left as it was). Call once, after the last `add`.
   */
  async *orders(version: number, reject: (reject: Reject) => Promise<void>): AsyncGenerator<OrderRecord> {
    let current: OrderState | undefined;
    let currentId = '';
    for await (const { row, line } of this.rows.sorted()) {
      if (current && row.orderId !== currentId) {
        yield this.finish(currentId, current, version);
        current = undefined;
      }
      const state = current ? this.merge(current, row, line) : this.start(row, line);
      if ('reason' in state) {
        await reject({ line, field: state.field, reason: state.reason });
        continue;
      }
      if (current) this.tally.linesGrouped++;
      current = state;
      currentId = row.orderId;
      if (state.customerId !== undefined) {
        await this.notes.add({ id: state.customerId, at: state.orderedAt, line, contact: row.contact });
      }
    }
    if (current) yield this.finish(currentId, current, version);
  }

  /** What the file says about each customer, in id order. Call after `orders` is done. */
  async *customers(): AsyncGenerator<CustomerFacts> {
    let facts: CustomerFacts | undefined;
    /** Per contact field, the line its value came from: on equal times the later row wins. */
    let lines: Partial<Record<ContactField, number>> = {};
    for await (const note of this.notes.sorted()) {
      if (facts && facts.id !== note.id) {
        yield facts;
        facts = undefined;
      }
      if (!facts) {
        facts = { id: note.id, firstOrderAt: note.at, contact: {}, seenAt: {} };
        lines = {};
        this.tally.customers++;
      }
      facts.firstOrderAt = Math.min(facts.firstOrderAt, note.at);
      for (const field of CONTACT_FIELDS) {
        const value = note.contact[field];
        if (value === undefined) continue;
        const seen = facts.seenAt[field];
        if (seen === undefined || note.at > seen || (note.at === seen && note.line > lines[field]!)) {
          facts.contact[field] = value;
          facts.seenAt[field] = note.at;
          lines[field] = note.line;
        }
      }
    }
    if (facts) yield facts;
  }

  private start(row: EcomRow, line: number): OrderState | RowProblem {
    if (row.orderedAt === undefined) return { field: 'ordered_at', reason: `order ${row.orderId} has no order date` };
    const currency = row.currency ?? this.settings.defaultCurrency;
    if (currency === undefined) {
      return { field: 'currency', reason: 'the currency is empty and the mapping sets no default_currency' };
    }
    if (row.orderTotal === undefined && row.lineAmount === undefined) {
      return { field: 'order_total', reason: `order ${row.orderId} has no total (the order total and the line amount are empty)` };
    }
    const decimals = currencyDecimals(currency);
    const totalMinor = row.orderTotal && toMinorUnits(row.orderTotal, decimals);
    return {
      firstLine: line,
      orderedAt: row.orderedAt,
      customerId: row.customerId,
      currency,
      status: row.status,
      location: row.location,
      campaign: row.campaign,
      totalMinor,
      totalLine: totalMinor === undefined ? undefined : line,
      linesMinor: row.lineAmount ? toMinorUnits(row.lineAmount, decimals) : 0,
    };
  }

  private merge(state: OrderState, row: EcomRow, line: number): OrderState | RowProblem {
    const sameOrder = `order ${row.orderId} (first on line ${state.firstLine})`;
    if (this.settings.lineLevel === false) {
      return {
        field: 'order_id',
        reason: `${sameOrder} appears again; the mapping says one row per order ("line_level": false)`,
      };
    }
    if (row.currency !== undefined && row.currency !== state.currency) {
      return { field: 'currency', reason: `currency ${row.currency} differs from ${state.currency} of ${sameOrder}` };
    }
    if (row.customerId !== undefined && state.customerId !== undefined && row.customerId !== state.customerId) {
      return { field: 'customer_id', reason: `customer ${row.customerId} differs from ${state.customerId} of ${sameOrder}` };
    }
    const decimals = currencyDecimals(state.currency);
    const totalMinor = row.orderTotal && toMinorUnits(row.orderTotal, decimals);
    if (totalMinor !== undefined && state.totalMinor !== undefined && totalMinor !== state.totalMinor) {
      return {
        field: 'order_total',
        reason: `order total ${formatMoney(totalMinor, decimals)} differs from ${formatMoney(state.totalMinor, decimals)} on line ${state.totalLine} of the same order ${row.orderId}`,
      };
    }
    if (totalMinor === undefined && row.lineAmount === undefined && state.totalMinor === undefined) {
      return { field: 'order_total', reason: `line of ${sameOrder} has no amount and the order has no total` };
    }
    if (state.totalMinor === undefined && totalMinor !== undefined) {
      state.totalMinor = totalMinor;
      state.totalLine = line;
    }
    if (row.lineAmount) state.linesMinor += toMinorUnits(row.lineAmount, decimals);
    state.customerId ??= row.customerId;
    state.status ??= row.status;
    state.location ??= row.location;
    state.campaign ??= row.campaign;
    return state;
  }

  private statusOf(state: OrderState): OrderRecord['status'] {
    const status = state.status?.toLowerCase();
    if (status !== undefined && this.settings.cancelledStatuses.has(status)) return 'cancelled';
    if (status !== undefined && this.settings.openStatuses.has(status)) return 'open';
    return 'completed';
  }

  private finish(id: string, state: OrderState, version: number): OrderRecord {
    const amountMinor = state.totalMinor ?? state.linesMinor;
    const record: OrderRecord = {
      source: 'ecom',
      id,
      version,
      kind: amountMinor < 0 ? 'return' : 'sale',
      status: this.statusOf(state),
      channel: 'online',
      orderedAt: state.orderedAt,
      amountMinor,
      currency: state.currency,
    };
    if (state.customerId !== undefined) record.customerId = state.customerId;
    const location = state.location ?? this.settings.defaultLocation;
    if (location !== undefined) {
      record.locationId = location;
      this.locationNames.add(location);
    }
    if (state.campaign !== undefined) record.campaign = state.campaign;
    this.tally.ordersTaken++;
    if (state.customerId === undefined) this.tally.guestOrders++;
    if (record.status === 'cancelled') this.tally.cancelledOrders++;
    if (amountMinor < 0) this.tally.returns++;
    return record;
  }

  /** Complete once `orders` and `customers` have been read. */
  counts(): GroupCounts {
    return { ...this.tally };
  }

  /** Location names used, for the source's location dimension (complete once `orders` has been read). */
  locations(): Set<string> {
    return this.locationNames;
  }

  async dispose(): Promise<void> {
    await Promise.all([this.rows.dispose(), this.notes.dispose()]);
  }
}

/** Rows go to disk as JSON arrays; decimals as `units/scale` (JSON has no bigint). */
function encodeRow({ row, line }: PendingRow): string {
  const decimal = (value: Decimal | undefined) => (value === undefined ? null : `${value.units}/${value.scale}`);
  return JSON.stringify([
    line,
    row.orderId,
    row.orderedAt ?? null,
    row.customerId ?? null,
    row.contact,
    row.currency ?? null,
    decimal(row.orderTotal),
    decimal(row.lineAmount),
    row.status ?? null,
    row.location ?? null,
    row.campaign ?? null,
  ]);
}

function decodeRow(text: string): PendingRow {
  const [line, orderId, orderedAt, customerId, contact, currency, orderTotal, lineAmount, status, location, campaign] =
    JSON.parse(text) as [number, string, number | null, string | null, Contact, ...(string | null)[]];
  const decimal = (value: string | null): Decimal | undefined => {
    if (value === null) return undefined;
    const slash = value.indexOf('/');
    return { units: BigInt(value.slice(0, slash)), scale: Number(value.slice(slash + 1)) };
  };
  const row: EcomRow = { orderId, contact };
  if (orderedAt !== null) row.orderedAt = orderedAt;
  if (customerId !== null) row.customerId = customerId;
  if (currency !== null) row.currency = currency;
  if (orderTotal !== null) row.orderTotal = decimal(orderTotal);
  if (lineAmount !== null) row.lineAmount = decimal(lineAmount);
  if (status !== null) row.status = status;
  if (location !== null) row.location = location;
  if (campaign !== null) row.campaign = campaign;
  return { row, line };
}
