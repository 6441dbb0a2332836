/**
 * Builds a ComputeInput in memory from readable rows (no store on disk), for unit tests of compute's
 * parts. Customers, orders and bookings name each other by id; times are ISO strings (UTC).
 */
import { SOURCE_CODES, REF_MISSING, REF_NONE, type ComputeInput, type Location } from '../../src/core/computeInput.js';
import { BOOKING_STATUSES, type SourceName } from '../../src/core/model.js';
import { CHANNELS, ORDER_KINDS, ORDER_STATUSES } from '../../src/io/tableSpecs.js';

export interface MemCustomer {
  id: string;
  source?: SourceName;
  createdAt?: string;
  firstName?: string;
  lastName?: string;
  company?: string;
  email?: string;
  phone?: string;
  mobile?: string;
  emailOptOut?: boolean;
  deleted?: boolean;
}

export interface MemOrder {
  /** Defaults to o<index>. */
  id?: string;
  source?: SourceName;
  /** A customer's id; none: a walk-in. */
  customer?: string;
  kind?: (typeof ORDER_KINDS)[number];
  status?: (typeof ORDER_STATUSES)[number];
  channel?: (typeof CHANNELS)[number];
  at: string;
  amount: number;
  tips?: number;
  currency?: string;
  /** A location's name. */
  location?: string;
  staff?: string;
  campaign?: string;
  /** Parts of one purchase (split tender) share a name. */
  purchase?: string;
  /** For refunds: the id of the order refunded ('missing': one not in the store). */
  refunds?: string;
}

export interface MemBooking {
  customer?: string;
  at: string;
  status: (typeof BOOKING_STATUSES)[number];
  location?: string;
  staff?: string;
  service?: string;
}

export interface MemShop {
  customers?: MemCustomer[];
  orders?: MemOrder[];
  bookings?: MemBooking[];
  locations?: Location[];
}

const ms = (iso: string | undefined) => (iso === undefined ? NaN : Date.parse(iso));

export function memoryInput(shop: MemShop): ComputeInput {
  const customers = shop.customers ?? [];
  const orders = shop.orders ?? [];
  const bookings = shop.bookings ?? [];
  const locations = shop.locations ?? [];
  const customerIndex = new Map(customers.map((c, i) => [c.id, i]));
  const orderIndex = new Map(orders.map((o, i) => [o.id ?? `o${i}`, i]));
  const staff: string[] = [];
  const services: string[] = [];
  const currencies: string[] = [];
  const campaigns: string[] = [];
  const purchaseGroups: string[] = [];
  const indexIn = (list: string[], value: string | undefined) => {
    if (value === undefined) return -1;
    const i = list.indexOf(value);
    return i >= 0 ? i : list.push(value) - 1;
  };
  const customerOf = (id: string | undefined) => {
    if (id === undefined) return -1;
    const i = customerIndex.get(id);
    if (i === undefined) throw new Error(`no customer ${id}`);
    return i;
  };
  const locationOf = (name: string | undefined) => {
    if (name === undefined) return -1;
    const i = locations.findIndex((l) => l.name === name);
    if (i < 0) throw new Error(`no location ${name}`);
    return i;
  };
  const source = (s: SourceName | undefined) => SOURCE_CODES.indexOf(s ?? 'lightspeed');
  return {
    customers: {
      count: customers.length,
      source: Uint8Array.from(customers, (c) => source(c.source)),
      id: customers.map((c) => c.id),
      createdAt: Float64Array.from(customers, (c) => ms(c.createdAt)),
      firstName: customers.map((c) => c.firstName),
      lastName: customers.map((c) => c.lastName),
      company: customers.map((c) => c.company),
      email: customers.map((c) => c.email),
      phone: customers.map((c) => c.phone),
      mobile: customers.map((c) => c.mobile),
      emailOptOut: Uint8Array.from(customers, (c) => (c.emailOptOut === undefined ? 2 : c.emailOptOut ? 1 : 0)),
      deleted: Uint8Array.from(customers, (c) => (c.deleted ? 1 : 0)),
      mergedInto: new Int32Array(customers.length).fill(-1),
    },
    orders: {
      count: orders.length,
      source: Uint8Array.from(orders, (o) => source(o.source)),
      customer: Int32Array.from(orders, (o) => customerOf(o.customer)),
      kind: Uint8Array.from(orders, (o) => ORDER_KINDS.indexOf(o.kind ?? 'sale')),
      status: Uint8Array.from(orders, (o) => ORDER_STATUSES.indexOf(o.status ?? 'completed')),
      channel: Uint8Array.from(orders, (o) => CHANNELS.indexOf(o.channel ?? 'in_store')),
      orderedAt: Float64Array.from(orders, (o) => ms(o.at)),
      amountMinor: Float64Array.from(orders, (o) => o.amount),
      tipsMinor: Float64Array.from(orders, (o) => o.tips ?? 0),
      currency: Int32Array.from(orders, (o) => indexIn(currencies, o.currency ?? 'USD')),
      currencies,
      location: Int32Array.from(orders, (o) => locationOf(o.location)),
      staff: Int32Array.from(orders, (o) => indexIn(staff, o.staff)),
      campaign: Int32Array.from(orders, (o) => indexIn(campaigns, o.campaign)),
      campaigns,
      purchase: Int32Array.from(orders, (o) => indexIn(purchaseGroups, o.purchase)),
      purchases: purchaseGroups.length, // after `purchase` numbered the groups
      refOrder: Int32Array.from(orders, (o) =>
        o.refunds === undefined ? REF_NONE : o.refunds === 'missing' ? REF_MISSING : (orderIndex.get(o.refunds) ?? REF_MISSING),
      ),
    },
    bookings: {
      count: bookings.length,
      customer: Int32Array.from(bookings, (b) => customerOf(b.customer)),
      startAt: Float64Array.from(bookings, (b) => ms(b.at)),
      status: Uint8Array.from(bookings, (b) => BOOKING_STATUSES.indexOf(b.status)),
      location: Int32Array.from(bookings, (b) => locationOf(b.location)),
      staff: Int32Array.from(bookings, (b) => indexIn(staff, b.staff)),
      service: Int32Array.from(bookings, (b) => indexIn(services, b.service)),
    },
    locations,
    staff,
    services,
    sourceCountries: SOURCE_CODES.map(() => []),
  };
}
