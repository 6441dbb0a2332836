/**
 * The sandbox retailer: outlets, registers, staff, customers and sales generated from a seed, with the
 * life of a real store over time — parked sales finished or discarded, laybys and on-account sales paid
 * off, voids, returns against earlier sales, customers edited and deleted. Every change takes the next
 * value of one global `version` counter, as X-Series does, so a changed record re-enters the paging order.
 */
import { Random } from '../random.js';
import { Collection, type WireRecord } from './collection.js';
import { EventQueue } from './eventQueue.js';
import { COMPANIES, CURRENCY_SYMBOLS, FIRST_NAMES, LAST_NAMES, OUTLETS } from './names.js';
import { DAY_MS } from '../../core/localTime.js';
import type { ResolvedSandboxOptions } from './options.js';

export type ResourceName = 'outlets' | 'registers' | 'users' | 'customers' | 'sales';
export const RESOURCES: readonly ResourceName[] = ['outlets', 'registers', 'users', 'customers', 'sales'];

type WorldEvent =
  | { kind: 'customer' }
  | { kind: 'sale' }
  | { kind: 'editCustomer' }
  | { kind: 'deleteCustomer' }
  /** Moves a sale from `from` to `to` (a layby paid off, a parked sale finished, a void). */
  | { kind: 'saleStatus'; id: string; from: string; to: string }
  /** A parked sale discarded. */
  | { kind: 'deleteSale'; id: string }
  | { kind: 'return'; id: string };

/** The newer state + attributes model for each legacy status (spec §1.7). */
const STATUS_MODEL: Record<string, { state: string; attributes: string[] }> = {
  SAVED: { state: 'parked', attributes: [] },
  OPEN: { state: 'pending', attributes: [] },
  CLOSED: { state: 'closed', attributes: [] },
  VOIDED: { state: 'voided', attributes: [] },
  ONACCOUNT: { state: 'pending', attributes: ['onaccount'] },
  ONACCOUNT_CLOSED: { state: 'closed', attributes: ['onaccount'] },
  LAYBY: { state: 'pending', attributes: ['layby'] },
  LAYBY_CLOSED: { state: 'closed', attributes: ['layby'] },
  AWAITING_DISPATCH: { state: 'pending', attributes: ['delivery'] },
  DISPATCHED_CLOSED: { state: 'closed', attributes: ['delivery'] },
  AWAITING_PICKUP: { state: 'pending', attributes: ['pickup'] },
  PICKED_UP_CLOSED: { state: 'closed', attributes: ['pickup'] },
  SERVICE: { state: 'pending', attributes: ['service'] },
  SERVICE_CLOSED: { state: 'closed', attributes: ['service'] },
};

const isClosed = (status: unknown) => typeof status === 'string' && (status === 'CLOSED' || status.endsWith('_CLOSED'));

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** X-Series times: UTC, whole seconds, `+00:00` offset. */
export function wireTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + '+00:00';
}

export function currencyDecimals(code: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
}

interface LineDraft {
  productId: string;
  quantity: number;
  /** Minor units, tax exclusive, per unit. */
  price: number;
  tax: number;
}

export class LightspeedWorld {
  readonly collections: Record<ResourceName, Collection> = {
    outlets: new Collection(),
    registers: new Collection(),
    users: new Collection(),
    customers: new Collection(),
    sales: new Collection(),
  };
  readonly retailer: Record<string, unknown>;
  /** The default customer walk-in sales point at, in the `default-customer` reading. */
  readonly walkInCustomerId?: string;
  /** The sandbox clock; history ends here. */
  now: number;

  private readonly rng: Random;
  private version: number;
  private readonly queue = new EventQueue<WorldEvent>();
  private readonly decimals: number;
  private readonly unit: number;
  private readonly liveCustomers: string[] = [];
  /** When each customer stops buying (epoch ms; Infinity = never). */
  private readonly leavesAt = new Map<string, number>();
  private readonly liveIndex = new Map<string, number>();
  private readonly registersByOutlet = new Map<string, string[]>();
  private readonly invoiceSequence = new Map<string, number>();
  private readonly products: string[];
  private readonly outletIds: string[] = [];
  private readonly userIds: string[] = [];
  private readonly customerGroupId: string;
  /** The generation clock: everything before it has happened. */
  private clock: number;
  private advancing = false;

  constructor(private readonly options: ResolvedSandboxOptions) {
    this.rng = new Random(options.seed);
    this.version = 18_840_000_000 + this.rng.int(0, 999_999);
    this.decimals = currencyDecimals(options.currency);
    this.unit = 10 ** this.decimals;
    this.now = options.now;
    const start = options.now - options.historyDays * DAY_MS;
    const setupAt = start - 730 * DAY_MS;
    this.products = Array.from({ length: 40 }, () => this.uuid());
    this.customerGroupId = this.uuid();

    const outlets = OUTLETS.slice(0, Math.max(1, Math.min(OUTLETS.length, options.outlets)));
    this.retailer = {
      id: this.uuid(),
      name: 'Sandbox Outfitters',
      domain_prefix: 'sandbox',
      timezone: outlets[0].timeZone,
      currency: { code: options.currency, symbol: CURRENCY_SYMBOLS[options.currency] ?? options.currency },
      tax_exclusive: true,
      country: outlets[0].country,
      loyalty: { enabled: true, ratio: 0.01 },
      created_at: wireTime(setupAt),
    };
    for (const outlet of outlets) {
      const id = this.uuid();
      this.put('outlets', {
        id,
        name: outlet.name,
        time_zone: outlet.timeZone,
        currency: options.currency,
        display_prices: 'inclusive',
        physical_city: outlet.city,
        physical_country_id: outlet.country,
        created_at: wireTime(setupAt),
        updated_at: wireTime(setupAt),
        deleted_at: null,
      });
      const registers: string[] = [];
      for (let r = 0; r < Math.max(1, options.registersPerOutlet); r++) {
        const registerId = this.uuid();
        registers.push(registerId);
        this.invoiceSequence.set(registerId, 1000);
        this.put('registers', {
          id: registerId,
          name: `${outlet.name} till ${r + 1}`,
          outlet_id: id,
          invoice_prefix: `${outlet.prefix}${r === 0 ? '' : r + 1}-`,
          invoice_suffix: '',
          invoice_sequence: 1000,
          is_open: true,
          deleted_at: null,
        });
      }
      this.registersByOutlet.set(id, registers);
      this.outletIds.push(id);
    }
    for (let u = 0; u < Math.max(1, options.users); u++) {
      const first = this.rng.pick(FIRST_NAMES);
      const last = this.rng.pick(LAST_NAMES);
      const userId = this.uuid();
      this.userIds.push(userId);
      this.put('users', {
        id: userId,
        username: `${ascii(first)}.${ascii(last)}`.toLowerCase(),
        display_name: `${first} ${last}`,
        email: `${ascii(first)}.${ascii(last)}@sandbox-outfitters.example`.toLowerCase(),
        account_type: u === 0 ? 'admin' : 'cashier',
        enabled: true,
        is_primary_user: u === 0,
        created_at: wireTime(setupAt),
        updated_at: wireTime(setupAt),
        deleted_at: null,
      });
    }
    if (options.walkIn === 'default-customer') {
      const id = this.uuid();
      this.walkInCustomerId = id;
      this.put('customers', {
        id,
        customer_code: 'WALKIN',
        first_name: null,
        last_name: null,
        name: '',
        customer_group_id: this.customerGroupId,
        enable_loyalty: false,
        loyalty_balance: 0,
        balance: 0,
        year_to_date: 0,
        do_not_email: false,
        created_at: wireTime(setupAt),
        updated_at: wireTime(setupAt),
        deleted_at: null,
      });
    }

    // Customers who were already on the books when the generated history starts.
    const earlier = Math.round(options.customers * 0.4);
    const createdAt = Array.from({ length: earlier }, () => setupAt + Math.floor(this.rng.next() * (start - setupAt)));
    createdAt.sort((a, b) => a - b);
    for (const at of createdAt) this.createCustomer(at);
    for (let i = earlier; i < options.customers; i++) {
      this.queue.push(start + Math.floor(this.rng.next() * (this.now - start)), { kind: 'customer' });
    }
    this.clock = start;
    this.generateUntil(this.now);
    this.advancing = true;
  }

  /** A UUID-shaped id from four draws (Random.uuid draws 32 and dominated generation time). */
  private uuid(): string {
    const word = () => {
      const x = Math.floor(this.rng.next() * 0x1_0000_0000);
      return HEX[x >>> 24] + HEX[(x >>> 16) & 255] + HEX[(x >>> 8) & 255] + HEX[x & 255];
    };
    const a = word();
    const b = word();
    const c = word();
    const d = word();
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${'89ab'[parseInt(c[0], 16) & 3]}${c.slice(1, 4)}-${c.slice(4)}${d}`;
  }

  /** Lets `days` more days happen: sales, edits, deletions and new customers; the clock moves on. */
  advance(days: number): void {
    if (!(days > 0)) return;
    this.now += Math.round(days * DAY_MS);
    this.generateUntil(this.now);
  }

  activeRegisterCount(): number {
    let n = 0;
    for (const register of this.collections.registers.byId.values()) if (!register.deleted_at) n++;
    return n;
  }

  maxVersion(): number {
    return this.version;
  }

  /** Creates or edits a record as a back-office user would: a new version, `updated_at` = now. */
  upsert(resource: ResourceName, fields: Partial<WireRecord> & { id?: string }): WireRecord {
    const id = fields.id ?? this.uuid();
    const existing = this.collections[resource].get(id);
    const at = wireTime(this.now);
    const record = this.put(resource, {
      ...(existing ?? { created_at: at, deleted_at: null }),
      ...fields,
      id,
      updated_at: at,
    });
    if (resource === 'customers' && !existing && !record.deleted_at) this.addLive(id);
    return record;
  }

  /** Deletes a record the way X-Series does: a tombstone with `deleted_at`, served only with `deleted=true`. */
  remove(resource: ResourceName, id: string): WireRecord | undefined {
    const existing = this.collections[resource].get(id);
    if (!existing || existing.deleted_at) return existing;
    if (resource === 'customers') this.dropLive(id);
    const at = wireTime(this.now);
    return this.put(resource, { ...existing, deleted_at: at, updated_at: at });
  }

  /** `fields` must be a fresh object (every caller builds one); it becomes the stored record. */
  private put(resource: ResourceName, fields: Omit<WireRecord, 'version'>): WireRecord {
    this.version += this.rng.int(1, 4);
    const record = fields as WireRecord;
    record.version = this.version;
    this.collections[resource].put(record);
    return record;
  }

  private generateUntil(end: number): void {
    const o = this.options;
    while (this.clock < end) {
      const dayStart = Math.floor(this.clock / DAY_MS) * DAY_MS;
      const segmentEnd = Math.min(dayStart + DAY_MS, end);
      const share = (segmentEnd - this.clock) / DAY_MS;
      const at = () => this.clock + Math.floor(this.rng.next() * (segmentEnd - this.clock));
      const weekday = new Date(dayStart).getUTCDay();
      const busy = weekday === 6 ? 1.35 : weekday === 0 ? 0.75 : 0.98;
      const sales = this.count(o.salesPerDay * busy * (0.85 + 0.3 * this.rng.next()) * share);
      for (let i = 0; i < sales; i++) this.queue.push(at(), { kind: 'sale' });
      if (this.advancing) {
        for (let i = this.count(o.newCustomersPerDay * share); i > 0; i--) this.queue.push(at(), { kind: 'customer' });
      }
      for (let i = this.count(o.customerEditsPerDay * share); i > 0; i--) this.queue.push(at(), { kind: 'editCustomer' });
      for (let i = this.count(o.customerDeletesPerDay * share); i > 0; i--) this.queue.push(at(), { kind: 'deleteCustomer' });
      for (let next = this.queue.popBefore(segmentEnd); next; next = this.queue.popBefore(segmentEnd)) {
        this.apply(Math.floor(next.at / 1000) * 1000, next.event);
      }
      this.clock = segmentEnd;
    }
  }

  /** A whole number whose mean is `mean`. */
  private count(mean: number): number {
    const whole = Math.floor(mean);
    return whole + (this.rng.chance(mean - whole) ? 1 : 0);
  }

  private later(at: number, minDays: number, maxDays: number, event: WorldEvent): void {
    this.queue.push(at + Math.floor((minDays + this.rng.next() * (maxDays - minDays)) * DAY_MS), event);
  }

  private apply(at: number, event: WorldEvent): void {
    switch (event.kind) {
      case 'customer':
        this.createCustomer(at);
        return;
      case 'sale':
        this.createSale(at);
        return;
      case 'editCustomer':
        this.editCustomer(at);
        return;
      case 'deleteCustomer': {
        if (this.liveCustomers.length === 0) return;
        const id = this.rng.pick(this.liveCustomers);
        const existing = this.collections.customers.get(id)!;
        this.dropLive(id);
        this.put('customers', { ...existing, deleted_at: wireTime(at), updated_at: wireTime(at) });
        return;
      }
      case 'saleStatus':
        this.changeSaleStatus(at, event.id, event.from, event.to);
        return;
      case 'deleteSale': {
        const sale = this.collections.sales.get(event.id);
        if (!sale || sale.deleted_at || sale.status !== 'SAVED') return;
        this.put('sales', { ...sale, deleted_at: wireTime(at), updated_at: wireTime(at) });
        return;
      }
      case 'return':
        this.createReturn(at, event.id);
        return;
    }
  }

  private addLive(id: string, joinedAt = this.now): void {
    // Customers drift away as real ones do (30 % stay for good, the others for ~8 months on average), so
    // the lifetime-value models see drop-out. Derived from the id: it uses no draws of the shared stream.
    const stays = unitHash(`${id}:stays`) < 0.3;
    this.leavesAt.set(id, stays ? Infinity : joinedAt - Math.log(1 - unitHash(`${id}:span`)) * LOYALTY_MEAN_DAYS * DAY_MS);
    this.liveIndex.set(id, this.liveCustomers.length);
    this.liveCustomers.push(id);
  }

  private dropLive(id: string): void {
    const index = this.liveIndex.get(id);
    if (index === undefined) return;
    const last = this.liveCustomers.pop()!;
    if (last !== id) {
      this.liveCustomers[index] = last;
      this.liveIndex.set(last, index);
    }
    this.liveIndex.delete(id);
  }

  /** Customers created so far, for their phone numbers. */
  private phoneSerial = 0;

  private createCustomer(at: number): void {
    const rng = this.rng;
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const id = this.uuid();
    const hasEmail = rng.chance(0.85);
    const contact = rng.next();
    // Valid NZ numbers, one per customer so that no two people share one: Wellington landline
    // +64 4 2xx xxxx, mobile +64 21 2xx xxxx. Three draws each, as before, so the rest of the generated
    // store is unchanged; the draws no longer choose the digits.
    const serial = ++this.phoneSerial;
    const number = () => {
      rng.int(200, 299);
      rng.int(100, 999);
      rng.int(1000, 9999);
      return `${200 + Math.floor(serial / 10_000)} ${String(serial % 10_000).padStart(4, '0')}`;
    };
    this.put('customers', {
      id,
      customer_code: `${ascii(first)}-${id.slice(0, 4).toUpperCase()}`,
      first_name: first,
      last_name: last,
      name: `${first} ${last}`,
      company_name: rng.chance(0.08) ? rng.pick(COMPANIES) : null,
      email: hasEmail ? `${ascii(first)}.${ascii(last)}${rng.int(1, 999)}@example.org`.toLowerCase() : null,
      phone: contact < 0.35 ? `+64 4 ${number()}` : null,
      mobile: contact > 0.25 ? `+64 21 ${number()}` : null,
      customer_group_id: this.customerGroupId,
      gender: rng.chance(0.5) ? (rng.chance(0.5) ? 'F' : 'M') : null,
      date_of_birth: rng.chance(0.3) ? `${rng.int(1950, 2005)}-0${rng.int(1, 9)}-${rng.int(10, 28)}` : null,
      physical_city: rng.chance(0.5) ? 'Wellington' : null,
      physical_country_id: 'NZ',
      note: '',
      enable_loyalty: rng.chance(0.6),
      loyalty_balance: 0,
      balance: 0,
      year_to_date: 0,
      do_not_email: rng.chance(0.15),
      enable_promotional_sms: rng.chance(0.3),
      created_at: wireTime(at),
      updated_at: wireTime(at),
      deleted_at: null,
    });
    this.addLive(id, at);
  }

  private editCustomer(at: number): void {
    if (this.liveCustomers.length === 0) return;
    const rng = this.rng;
    const existing = this.collections.customers.get(rng.pick(this.liveCustomers))!;
    const change = rng.int(0, 2);
    const patch: Record<string, unknown> =
      change === 0
        ? { email: `${String(existing.first_name ?? 'x').toLowerCase().replace(/[^a-z]/g, '')}.${rng.int(1000, 9999)}@example.net` }
        : change === 1
          ? { mobile: `+64 22 ${rng.int(100, 999)} ${rng.int(1000, 9999)}` }
          : { do_not_email: !existing.do_not_email };
    this.put('customers', { ...existing, ...patch, updated_at: wireTime(at) });
  }

  /** Most sales come from a core of regulars, the rest from anyone on the books. */
  /** A customer still shopping at `at`: regulars (the first fifth) make half the sales. */
  private pickCustomer(at: number): string | undefined {
    const n = this.liveCustomers.length;
    if (n === 0) return undefined;
    const regulars = Math.max(1, Math.floor(n * 0.2));
    let id = '';
    for (let attempt = 0; attempt < 8; attempt++) {
      id = this.liveCustomers[this.rng.chance(0.5) ? this.rng.int(0, regulars - 1) : this.rng.int(0, n - 1)];
      if ((this.leavesAt.get(id) ?? Infinity) > at) return id;
    }
    return id;
  }

  private lines(count: number): LineDraft[] {
    return Array.from({ length: count }, () => {
      const price = Math.round(this.rng.int(5, 150) * this.unit * (this.rng.chance(0.5) ? 1 : 0.9) / 10) * 10 || this.unit;
      return { productId: this.rng.pick(this.products), quantity: this.rng.int(1, 3), price, tax: Math.round(price * 0.15) };
    });
  }

  private money(minor: number): number {
    return minor / this.unit;
  }

  private saleBody(saleId: string, lines: LineDraft[], userId: string): Record<string, unknown> {
    let price = 0;
    let tax = 0;
    const items = lines.map((line, sequence) => {
      price += line.price * line.quantity;
      tax += line.tax * line.quantity;
      return {
        id: childId(saleId, sequence + 1),
        product_id: line.productId,
        quantity: line.quantity,
        price: this.money(line.price),
        price_total: this.money(line.price * line.quantity),
        tax: this.money(line.tax),
        tax_total: this.money(line.tax * line.quantity),
        discount: 0,
        discount_total: 0,
        loyalty_value: 0,
        is_return: line.quantity < 0,
        status: 'CONFIRMED',
        sequence,
        salesperson_id: userId,
      };
    });
    return {
      total_price: this.money(price),
      total_tax: this.money(tax),
      total_price_incl: this.money(price + tax),
      total_loyalty: 0,
      line_items: items,
      taxes: [{ name: 'GST', rate: 0.15, amount: this.money(tax) }],
      totalMinor: price + tax,
    };
  }

  private payment(saleId: string, index: number, at: number, registerId: string, outletId: string, amountMinor: number) {
    return {
      id: childId(saleId, 0x100 + index),
      register_id: registerId,
      outlet_id: outletId,
      retailer_payment_type_id: 'card',
      name: 'Card',
      amount: this.money(amountMinor),
      payment_date: wireTime(at),
    };
  }

  private statusFields(status: string): Record<string, unknown> {
    const model = STATUS_MODEL[status] ?? { state: 'pending', attributes: [] };
    return { status, state: model.state, attributes: model.attributes };
  }

  private nextInvoice(registerId: string): { invoice_number: string; invoice_sequence: number; receipt_number: string } {
    const sequence = (this.invoiceSequence.get(registerId) ?? 1000) + 1;
    this.invoiceSequence.set(registerId, sequence);
    const register = this.collections.registers.get(registerId)!;
    return { invoice_number: `${register.invoice_prefix}${sequence}`, invoice_sequence: sequence, receipt_number: String(sequence) };
  }

  private createSale(at: number): void {
    const o = this.options;
    const rng = this.rng;
    const outletId = rng.pick(this.outletIds);
    const registerId = rng.pick(this.registersByOutlet.get(outletId)!);
    const userId = rng.pick(this.userIds);
    const online = rng.chance(o.onlineShare);
    const customerId = !online && rng.chance(o.walkInShare) ? undefined : this.pickCustomer(at);
    const id = this.uuid();
    const body = this.saleBody(id, this.lines(rng.int(1, 4)), userId);
    const total = body.totalMinor as number;
    delete body.totalMinor;
    const time = wireTime(at);

    let status = 'CLOSED';
    let paid = total;
    const r = rng.next();
    const parkedBelow = o.parkedShare;
    const laybyBelow = parkedBelow + o.laybyShare;
    const onAccountBelow = laybyBelow + o.onAccountShare;
    const voidBelow = onAccountBelow + o.voidShare;
    if (online) {
      if (rng.chance(0.5)) {
        status = 'AWAITING_DISPATCH';
        this.later(at, 1, 4, { kind: 'saleStatus', id, from: status, to: 'DISPATCHED_CLOSED' });
      }
    } else if (r < parkedBelow) {
      status = 'SAVED';
      paid = 0;
      const fate = rng.next();
      if (fate < 0.5) this.later(at, 0, 3, { kind: 'saleStatus', id, from: status, to: 'CLOSED' });
      else if (fate < 0.75) this.later(at, 1, 10, { kind: 'deleteSale', id });
    } else if (r < laybyBelow) {
      // Laybys and on-account sales need a named customer; a walk-in just pays.
      if (customerId) {
        status = 'LAYBY';
        paid = Math.round(total * 0.2);
        if (rng.chance(0.9)) this.later(at, 7, 40, { kind: 'saleStatus', id, from: status, to: 'LAYBY_CLOSED' });
      }
    } else if (r < onAccountBelow) {
      if (customerId) {
        status = 'ONACCOUNT';
        paid = 0;
        this.later(at, 3, 30, { kind: 'saleStatus', id, from: status, to: 'ONACCOUNT_CLOSED' });
      }
    } else if (r < voidBelow) {
      if (rng.chance(0.3)) {
        status = 'VOIDED';
        paid = 0;
      } else this.later(at, 0, 1, { kind: 'saleStatus', id, from: status, to: 'VOIDED' });
    }
    if ((status === 'CLOSED' || status === 'AWAITING_DISPATCH') && rng.chance(o.returnShare)) {
      this.later(at, 1, 20, { kind: 'return', id });
    }

    this.put('sales', {
      id,
      outlet_id: outletId,
      register_id: registerId,
      user_id: userId,
      customer_id: customerId ?? this.walkInCustomerId ?? null,
      ...this.nextInvoice(registerId),
      ...this.statusFields(status),
      source: online ? 'ECOMMERCE' : 'USER',
      source_id: online ? `web-${rng.int(100000, 999999)}` : null,
      sale_date: time,
      created_at: time,
      updated_at: time,
      deleted_at: null,
      note: '',
      short_code: id.replace(/-/g, '').slice(0, 6),
      return_for: null,
      ...body,
      payments: paid > 0 ? [this.payment(id, 0, at, registerId, outletId, paid)] : [],
    });
    if (isClosed(status) && customerId) this.spend(at, customerId, total);
  }

  /** Customers carry `year_to_date`; a purchase changes it, so the customer gets a new version too. */
  private spend(at: number, customerId: string, totalMinor: number): void {
    if (customerId === this.walkInCustomerId) return;
    const customer = this.collections.customers.get(customerId);
    if (!customer || customer.deleted_at) return;
    const ytd = Math.round(Number(customer.year_to_date ?? 0) * this.unit) + totalMinor;
    this.put('customers', { ...customer, year_to_date: this.money(ytd), updated_at: wireTime(at) });
  }

  private changeSaleStatus(at: number, id: string, from: string, to: string): void {
    const sale = this.collections.sales.get(id);
    if (!sale || sale.deleted_at || sale.status !== from) return;
    const total = Math.round(Number(sale.total_price_incl) * this.unit);
    const payments = sale.payments as Array<{ amount: number }>;
    const paid = Math.round(payments.reduce((sum, p) => sum + p.amount, 0) * this.unit);
    const settle = isClosed(to) && total - paid !== 0;
    this.put('sales', {
      ...sale,
      ...this.statusFields(to),
      payments: settle
        ? [...payments, this.payment(id, payments.length, at, String(sale.register_id), String(sale.outlet_id), total - paid)]
        : payments,
      updated_at: wireTime(at),
    });
    const customerId = typeof sale.customer_id === 'string' ? sale.customer_id : undefined;
    if (!customerId) return;
    if (isClosed(to) && !isClosed(from)) this.spend(at, customerId, total);
    if (to === 'VOIDED' && isClosed(from)) this.spend(at, customerId, -total);
  }

  private createReturn(at: number, originalId: string): void {
    const original = this.collections.sales.get(originalId);
    if (!original || original.deleted_at || !isClosed(original.status)) return;
    const rng = this.rng;
    const originalLines = original.line_items as Array<{ product_id: string; quantity: number; price: number; tax: number }>;
    const chosen = originalLines.filter(() => rng.chance(0.6));
    const lines = (chosen.length > 0 ? chosen : originalLines.slice(0, 1)).map((line) => ({
      productId: line.product_id,
      quantity: -line.quantity,
      price: Math.round(line.price * this.unit),
      tax: Math.round(line.tax * this.unit),
    }));
    const outletId = String(original.outlet_id);
    const registerId = rng.pick(this.registersByOutlet.get(outletId) ?? [String(original.register_id)]);
    const userId = rng.pick(this.userIds);
    const id = this.uuid();
    const body = this.saleBody(id, lines, userId);
    const total = body.totalMinor as number;
    delete body.totalMinor;
    this.put('sales', {
      id,
      outlet_id: outletId,
      register_id: registerId,
      user_id: userId,
      customer_id: original.customer_id ?? null,
      ...this.nextInvoice(registerId),
      ...this.statusFields('CLOSED'),
      source: 'USER',
      source_id: null,
      sale_date: wireTime(at),
      created_at: wireTime(at),
      updated_at: wireTime(at),
      deleted_at: null,
      note: 'Return',
      short_code: id.replace(/-/g, '').slice(0, 6),
      return_for: originalId,
      ...body,
      payments: [this.payment(id, 0, at, registerId, outletId, total)],
    });
    this.put('sales', {
      ...original,
      return_ids: [...((original.return_ids as string[] | undefined) ?? []), id],
      updated_at: wireTime(at),
    });
    if (typeof original.customer_id === 'string') this.spend(at, original.customer_id, total);
  }
}

/** Ids of a sale's lines and payments: the sale's id with a counter in its last group, unique and stable. */
function childId(parentId: string, n: number): string {
  return parentId.slice(0, 24) + n.toString(16).padStart(12, '0');
}

function ascii(text: string): string {
  return text.normalize('NFD').replace(/[^A-Za-z]/g, '');
}

/** Mean days a customer who leaves keeps buying. */
const LOYALTY_MEAN_DAYS = 240;

/** A stable number in [0, 1) from a string (FNV-1a), for per-record traits that must not consume the PRNG. */
function unitHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) / 4294967296;
}
