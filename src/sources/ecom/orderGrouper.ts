/**
 * Rows into orders. A row is an order, or one line of an order (several rows with one order id).
 * Lines are usually adjacent, but an id that comes back later is the same order and is merged, so
 * every order stays in a map until the end of the file (a few small fields each, no row text).
 */
import type { OrderRecord } from '../../core/model.js';
import { formatMoney } from '../../io/csvFormat.js';
import { currencyDecimals } from '../../core/currency.js';
import { toMinorUnits } from './decimal.js';
import { CONTACT_FIELDS, type Contact, type ContactField, type EcomRow, type RowProblem } from './readRow.js';

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

export class OrderGrouper {
  private readonly orders = new Map<string, OrderState>();
  private readonly customers = new Map<string, CustomerFacts>();
  /** Rows folded into an order that an earlier row started. */
  private linesGrouped = 0;
  /**
   * One copy of each repeated value (status, currency, customer id...): every parsed cell is a new
   * string, and millions of orders holding their own "completed" would be most of the memory used.
   */
  private readonly shared = new Map<string, string>();

  private intern<T extends string | undefined>(value: T): T {
    if (value === undefined) return value;
    const known = this.shared.get(value);
    if (known !== undefined) return known as T;
    if (this.shared.size < 1_000_000) this.shared.set(value, value);
    return value;
  }

  constructor(private readonly settings: GroupingSettings) {}

  /** Folds the row in, or says why it cannot be (the order is then left as it was). */
  add(row: EcomRow, line: number): RowProblem | undefined {
    const existing = this.orders.get(row.orderId);
    const state = existing ? this.merge(existing, row, line) : this.start(row, line);
    if ('reason' in state) return state;
    if (existing) this.linesGrouped++;
    else this.orders.set(row.orderId, state);
    if (state.customerId !== undefined) this.noteCustomer(state.customerId, state.orderedAt, row.contact);
    return undefined;
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
      customerId: this.intern(row.customerId),
      currency: this.intern(currency),
      status: this.intern(row.status),
      location: this.intern(row.location),
      campaign: this.intern(row.campaign),
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
    state.customerId ??= this.intern(row.customerId);
    state.status ??= this.intern(row.status);
    state.location ??= this.intern(row.location);
    state.campaign ??= this.intern(row.campaign);
    return state;
  }

  private noteCustomer(id: string, orderedAt: number, contact: Contact): void {
    let facts = this.customers.get(id);
    if (!facts) {
      facts = { id, firstOrderAt: orderedAt, contact: {}, seenAt: {} };
      this.customers.set(id, facts);
    }
    facts.firstOrderAt = Math.min(facts.firstOrderAt, orderedAt);
    for (const field of CONTACT_FIELDS) {
      const value = contact[field];
      if (value === undefined) continue;
      // Equal times: the later row wins, as a later row in an export is the later state.
      if (facts.seenAt[field] === undefined || orderedAt >= facts.seenAt[field]) {
        facts.contact[field] = value;
        facts.seenAt[field] = orderedAt;
      }
    }
  }

  private statusOf(state: OrderState): OrderRecord['status'] {
    const status = state.status?.toLowerCase();
    if (status !== undefined && this.settings.cancelledStatuses.has(status)) return 'cancelled';
    if (status !== undefined && this.settings.openStatuses.has(status)) return 'open';
    return 'completed';
  }

  /** The canonical orders, in the order their ids first appeared. */
  *records(version: number): Generator<OrderRecord> {
    for (const [id, state] of this.orders) {
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
      if (location !== undefined) record.locationId = location;
      if (state.campaign !== undefined) record.campaign = state.campaign;
      yield record;
    }
  }

  customerFacts(): IterableIterator<CustomerFacts> {
    return this.customers.values();
  }

  counts(): GroupCounts {
    let guestOrders = 0;
    let cancelledOrders = 0;
    let returns = 0;
    for (const state of this.orders.values()) {
      if (state.customerId === undefined) guestOrders++;
      if (this.statusOf(state) === 'cancelled') cancelledOrders++;
      if ((state.totalMinor ?? state.linesMinor) < 0) returns++;
    }
    return {
      ordersTaken: this.orders.size,
      linesGrouped: this.linesGrouped,
      guestOrders,
      cancelledOrders,
      returns,
      customers: this.customers.size,
    };
  }

  /** Location names used, for the source's location dimension. */
  locations(): Set<string> {
    const names = new Set<string>();
    for (const state of this.orders.values()) {
      const location = state.location ?? this.settings.defaultLocation;
      if (location !== undefined) names.add(location);
    }
    return names;
  }
}
