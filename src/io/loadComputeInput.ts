/**
 * Builds the compute input from the store: every source's compacted tables, concatenated, with ids
 * turned into indexes (customer records, locations, staff, services) once per distinct value.
 */
import {
  CONTACT_FIELDS,
  REF_MISSING,
  REF_NONE,
  SOURCE_CODES,
  type BookingRecords,
  type ComputeInput,
  type CustomerRecords,
  type Location,
  type OrderRecords,
} from '../core/computeInput.js';
import { ORDER_KIND, type DimensionEntry, type SourceName } from '../core/model.js';
import { countedBookingStatus, countedOrderStatus, orderChannel, orderTips, refundCustomer } from '../core/recordRules.js';
import { StringIndex } from '../core/stringIndex.js';
import { BOOL_ABSENT, enumCode, type Columns, type DictColumn } from './columnar.js';
import type { Store } from './store.js';
import { TABLE_SPECS } from './tableSpecs.js';

const KIND_REFUND = ORDER_KIND.refund;

/** The columns compute reads; order ids are loaded only where refunds must be matched to their payment. */
const COLUMNS = {
  customers: TABLE_SPECS.customers.map((c) => c.name),
  orders: ['kind', 'status', 'channel', 'customerId', 'orderedAt', 'amountMinor', 'tipsMinor', 'currency', 'locationId', 'staffId', 'campaign', 'deleted', 'purchaseId'],
  bookings: ['customerId', 'startAt', 'status', 'locationId', 'staffId', 'serviceId', 'deleted'],
};

class Interner {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  intern(key: string, make: () => string = () => key): number {
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(make());
      this.index.set(key, i);
    }
    return i;
  }
}

export async function loadComputeInput(store: Store, sources: readonly SourceName[] = SOURCE_CODES): Promise<ComputeInput> {
  // Orders and bookings are read one source at a time, later, so only one source's raw columns are in
  // memory beside the combined arrays; here only their row counts.
  const loaded: { code: number; source: SourceName; customers?: Columns; orderRows: number; bookingRows: number }[] = [];
  for (const source of sources) {
    if (!(await store.exists(source))) continue;
    loaded.push({
      code: SOURCE_CODES.indexOf(source),
      source,
      customers: await store.loadColumns(source, 'customers', COLUMNS.customers),
      orderRows: (await store.loadColumns(source, 'orders', []))?.rows ?? 0,
      bookingRows: (await store.loadColumns(source, 'bookings', []))?.rows ?? 0,
    });
  }

  // Locations, staff and services, named through each source's dimensions.
  const locationInterner = new Interner();
  const locations: Location[] = [];
  const staff = new Interner();
  const services = new Interner();
  const dims = new Map<string, Map<string, DimensionEntry>>();
  const sourceCountries: string[][] = SOURCE_CODES.map(() => []);
  for (const { code, source } of loaded) {
    for (const kind of ['locations', 'staff', 'services'] as const) {
      dims.set(`${source}/${kind}`, new Map((await store.readDimensions(source, kind)).map((e) => [e.id, e])));
    }
    const countries = new Set<string>();
    for (const entry of dims.get(`${source}/locations`)!.values()) if (entry.country) countries.add(entry.country.toUpperCase());
    sourceCountries[code] = [...countries].sort();
  }
  const locationIndex = (source: SourceName, id: string) =>
    locationInterner.intern(`${source}\u0000${id}`, () => {
      const entry = dims.get(`${source}/locations`)?.get(id);
      locations.push({ name: entry?.name ?? id, timeZone: entry?.timeZone, country: entry?.country?.toUpperCase() });
      return id;
    });
  const named = (interner: Interner, kind: 'staff' | 'services') => (source: SourceName, id: string) =>
    interner.intern(`${source}\u0000${id}`, () => dims.get(`${source}/${kind}`)?.get(id)?.name ?? id);
  const staffIndex = named(staff, 'staff');
  const serviceIndex = named(services, 'services');

  // Customer records. Orders may name customers whose profile never arrived: they get a bare record.
  const customers = emptyCustomers();
  /** Per source code: its ids (src/core/stringIndex.ts), and the record of each id's slot. */
  const ids = SOURCE_CODES.map(() => new StringIndex());
  const recordOfSlot = SOURCE_CODES.map((): number[] => []);
  const sourceCodes: number[] = [];
  const created: number[] = [];
  const optOut: number[] = [];
  const deleted: number[] = [];
  const merged: number[] = [];
  /** The record of `id` in source `code` (the last one of that id), or -1. */
  const recordOf = (code: number, id: string): number => {
    const slot = ids[code].find(id);
    return slot < 0 ? -1 : recordOfSlot[code][slot];
  };
  const addCustomer = (code: number, id: string): number => {
    const i = customers.id.length;
    customers.id.push(id);
    sourceCodes.push(code);
    created.push(NaN);
    optOut.push(BOOL_ABSENT);
    deleted.push(0);
    merged.push(-1);
    for (const field of CONTACT_FIELDS) customers[field].push(undefined);
    recordOfSlot[code][ids[code].add(id)] = i;
    return i;
  };
  const mergedTargets: { record: number; code: number; target: string }[] = [];
  for (const { code, customers: table } of loaded) {
    if (!table) continue;
    const id = table.data.id as DictColumn;
    const createdAt = table.data.createdAt as Float64Array;
    const emailOptOut = table.data.emailOptOut as Uint8Array;
    const del = table.data.deleted as Uint8Array;
    const mergedInto = table.data.mergedInto as DictColumn;
    const index = ids[code];
    const records = recordOfSlot[code];
    const base = customers.id.length;
    // A column at a time: each loop reads one column and writes one array.
    for (let r = 0; r < table.rows; r++) {
      const key = id.dict[id.codes[r]];
      customers.id.push(key);
      records[index.add(key)] = base + r;
    }
    for (let r = 0; r < table.rows; r++) {
      sourceCodes.push(code);
      created.push(createdAt[r]);
      optOut.push(emailOptOut[r]);
      deleted.push(del[r] === 1 ? 1 : 0);
      merged.push(-1);
    }
    for (const field of CONTACT_FIELDS) {
      const column = table.data[field] as DictColumn;
      const values = customers[field];
      for (let r = 0; r < table.rows; r++) {
        const c = column.codes[r];
        values.push(c >= 0 ? column.dict[c] : undefined);
      }
    }
    for (let r = 0; r < table.rows; r++) {
      const m = mergedInto.codes[r];
      if (m >= 0) mergedTargets.push({ record: base + r, code, target: mergedInto.dict[m] });
    }
  }
  for (const entry of loaded) entry.customers = undefined; // the strings live on in the records
  for (const { record, code, target } of mergedTargets) {
    merged[record] = recordOf(code, target);
  }
  const customerOf = (code: number, dict: string[]): Int32Array => {
    const out = new Int32Array(dict.length);
    for (let d = 0; d < dict.length; d++) {
      const record = recordOf(code, dict[d]);
      out[d] = record >= 0 ? record : addCustomer(code, dict[d]);
    }
    return out;
  };

  // Orders.
  const orderTables = loaded.filter((l) => l.orderRows > 0);
  const orderCount = orderTables.reduce((n, l) => n + l.orderRows, 0);
  const currencies = new Interner();
  const campaigns = new Interner();
  // Purchase groups: a source's purchaseId dictionary already holds each id once, so a group is that
  // dictionary code plus the number of groups of the sources before.
  let purchases = 0;
  const orders: OrderRecords = {
    count: orderCount,
    source: new Uint8Array(orderCount),
    customer: new Int32Array(orderCount),
    kind: new Uint8Array(orderCount),
    status: new Uint8Array(orderCount),
    channel: new Uint8Array(orderCount),
    orderedAt: new Float64Array(orderCount),
    amountMinor: new Float64Array(orderCount),
    tipsMinor: new Float64Array(orderCount),
    currency: new Int32Array(orderCount),
    currencies: currencies.values,
    location: new Int32Array(orderCount),
    staff: new Int32Array(orderCount),
    campaign: new Int32Array(orderCount),
    campaigns: campaigns.values,
    purchase: new Int32Array(orderCount),
    purchases: 0,
    refOrder: new Int32Array(orderCount).fill(REF_NONE),
  };
  let offset = 0;
  for (const { code, source } of orderTables) {
    const t = (await store.loadColumns(source, 'orders', COLUMNS.orders))!;
    const n = t.rows;
    const customerColumn = t.data.customerId as DictColumn;
    const customerByCode = customerOf(code, customerColumn.dict);
    const translate = (column: DictColumn, map: (value: string) => number) => {
      const byCode = column.dict.map(map);
      return (r: number) => (column.codes[r] >= 0 ? byCode[column.codes[r]] : -1);
    };
    const loc = translate(t.data.locationId as DictColumn, (id) => locationIndex(source, id));
    const stf = translate(t.data.staffId as DictColumn, (id) => staffIndex(source, id));
    const cur = translate(t.data.currency as DictColumn, (c) => currencies.intern(c.toUpperCase()));
    const cmp = translate(t.data.campaign as DictColumn, (c) => campaigns.intern(c));
    const purchaseColumn = t.data.purchaseId as DictColumn;
    const purchaseBase = purchases;
    purchases += purchaseColumn.dict.length;
    const kind = t.data.kind as Uint8Array;
    const status = t.data.status as Uint8Array;
    const channel = t.data.channel as Uint8Array;
    const del = t.data.deleted as Uint8Array;
    orders.orderedAt.set(t.data.orderedAt as Float64Array, offset);
    orders.amountMinor.set(t.data.amountMinor as Float64Array, offset);
    const tips = t.data.tipsMinor as Float64Array;
    let hasRefunds = false;
    for (let r = 0; r < n; r++) {
      const o = offset + r;
      orders.source[o] = code;
      const c = customerColumn.codes[r];
      orders.customer[o] = c >= 0 ? customerByCode[c] : -1;
      orders.kind[o] = kind[r];
      orders.status[o] = countedOrderStatus(enumCode(status[r]), del[r] === 1);
      orders.channel[o] = orderChannel(enumCode(channel[r]));
      orders.tipsMinor[o] = orderTips(tips[r]);
      orders.currency[o] = cur(r);
      orders.location[o] = loc(r);
      orders.staff[o] = stf(r);
      orders.campaign[o] = cmp(r);
      orders.purchase[o] = purchaseColumn.codes[r] >= 0 ? purchaseBase + purchaseColumn.codes[r] : -1;
      if (kind[r] === KIND_REFUND) hasRefunds = true;
    }
    if (hasRefunds) {
      const refs = await store.loadColumns(source, 'orders', ['refOrderId']);
      if (refs) await resolveRefunds(refs, orders, offset, (ids) => store.rowsOfIds(source, 'orders', ids));
    }
    offset += n;
  }

  // Bookings.
  const bookingTables = loaded.filter((l) => l.bookingRows > 0);
  const bookingCount = bookingTables.reduce((n, l) => n + l.bookingRows, 0);
  const bookings: BookingRecords = {
    count: bookingCount,
    customer: new Int32Array(bookingCount),
    startAt: new Float64Array(bookingCount),
    status: new Uint8Array(bookingCount),
    location: new Int32Array(bookingCount),
    staff: new Int32Array(bookingCount),
    service: new Int32Array(bookingCount),
  };
  offset = 0;
  for (const { code, source } of bookingTables) {
    const t = (await store.loadColumns(source, 'bookings', COLUMNS.bookings))!;
    const customerColumn = t.data.customerId as DictColumn;
    const customerByCode = customerOf(code, customerColumn.dict);
    const locations_ = (t.data.locationId as DictColumn).dict.map((id) => locationIndex(source, id));
    const staff_ = (t.data.staffId as DictColumn).dict.map((id) => staffIndex(source, id));
    const services_ = (t.data.serviceId as DictColumn).dict.map((id) => serviceIndex(source, id));
    const at = (column: DictColumn, values: number[], r: number) => (column.codes[r] >= 0 ? values[column.codes[r]] : -1);
    const status = t.data.status as Uint8Array;
    const del = t.data.deleted as Uint8Array;
    bookings.startAt.set(t.data.startAt as Float64Array, offset);
    for (let r = 0; r < t.rows; r++) {
      const b = offset + r;
      const c = customerColumn.codes[r];
      bookings.customer[b] = c >= 0 ? customerByCode[c] : -1;
      bookings.status[b] = countedBookingStatus(enumCode(status[r]), del[r] === 1);
      bookings.location[b] = at(t.data.locationId as DictColumn, locations_, r);
      bookings.staff[b] = at(t.data.staffId as DictColumn, staff_, r);
      bookings.service[b] = at(t.data.serviceId as DictColumn, services_, r);
    }
    offset += t.rows;
  }

  customers.count = customers.id.length;
  customers.source = Uint8Array.from(sourceCodes);
  customers.createdAt = Float64Array.from(created);
  customers.emailOptOut = Uint8Array.from(optOut);
  customers.deleted = Uint8Array.from(deleted);
  customers.mergedInto = Int32Array.from(merged);
  orders.purchases = purchases;
  return { customers, orders, bookings, locations, staff: staff.values, services: services.values, sourceCountries };
}

/**
 * Links each refund of one source's orders (rows from `offset`) to the order it refunds, and to its
 * customer (src/core/recordRules.ts). Only the ids refunds name are looked for (`rowsOf`): a map of
 * every order id would hold millions, and making a string of each cost seconds at ten million orders.
 */
async function resolveRefunds(
  refs: Columns,
  orders: OrderRecords,
  offset: number,
  rowsOf: (ids: StringIndex) => Promise<Int32Array>,
): Promise<void> {
  const ref = refs.data.refOrderId as DictColumn;
  const named = new StringIndex();
  /** Per entry of ref's dictionary that a refund names: its slot in `named`. */
  const slotOfEntry = new Int32Array(ref.dict.length).fill(-1);
  for (let r = 0; r < refs.rows; r++) {
    const entry = ref.codes[r];
    if (orders.kind[offset + r] === KIND_REFUND && entry >= 0 && slotOfEntry[entry] < 0) slotOfEntry[entry] = named.add(ref.dict[entry]);
  }
  if (named.size === 0) return;
  const rowOf = await rowsOf(named);
  for (let r = 0; r < refs.rows; r++) {
    const o = offset + r;
    if (orders.kind[o] !== KIND_REFUND || ref.codes[r] < 0) continue;
    const target = rowOf[slotOfEntry[ref.codes[r]]];
    if (target < 0) {
      orders.refOrder[o] = REF_MISSING;
      continue;
    }
    orders.refOrder[o] = offset + target;
    orders.customer[o] = refundCustomer(orders.customer[o], orders.customer[offset + target]);
  }
}

function emptyCustomers(): CustomerRecords {
  return {
    count: 0,
    source: new Uint8Array(0),
    id: [],
    createdAt: new Float64Array(0),
    firstName: [],
    lastName: [],
    company: [],
    email: [],
    phone: [],
    mobile: [],
    emailOptOut: new Uint8Array(0),
    deleted: new Uint8Array(0),
    mergedInto: new Int32Array(0),
  };
}
