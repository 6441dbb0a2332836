/** A Lightspeed fetch against the sandbox over real HTTP: first run, incremental runs, look-back, --full, readings. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../../src/io/store.js';
import { startLightspeedSandbox, type LightspeedSandbox, type WireRecord } from '../../../src/sandbox/lightspeed/index.js';
import {
  cursors,
  fetchFrom,
  isClosedStatus,
  maxVersion,
  NOW,
  pagesFor,
  removeTempDirs,
  storeContents,
  tempDir,
  type StateFile,
} from './helpers.js';

const DATA = { customers: 400, salesPerDay: 25, historyDays: 90, now: NOW, seed: 3, rateLimit: { enabled: false } };
/** The sales `GET /sales` serves: 2.0 lists no `deleted` there, so discarded parked sales just stop being listed. */
const served = (sales: WireRecord[]) => sales.filter((s) => !s.deleted_at);
const total = (s: WireRecord) => Number(s.total_price) + Number(s.total_tax);

afterAll(removeTempDirs);

describe('first fetch, then incremental ones', () => {
  let sandbox: LightspeedSandbox;
  let store: Store;
  const hand: Record<string, WireRecord> = {};

  beforeAll(async () => {
    sandbox = await startLightspeedSandbox(DATA);
    store = new Store(await tempDir());
    const outlet = sandbox.control.records('outlets')[0];
    const register = sandbox.control.records('registers').find((r) => r.outlet_id === outlet.id)!;
    const user = sandbox.control.records('users')[0];
    const saleFields = { outlet_id: outlet.id, register_id: register.id, user_id: user.id, line_items: [], payments: [], attributes: [] };
    hand.popup = sandbox.control.upsert('outlets', { id: 'hand-outlet-popup', name: 'Pop-up', time_zone: 'Pacific/Auckland' });
    hand.mira = sandbox.control.upsert('customers', {
      id: 'hand-customer-mira',
      customer_code: 'Mira-7QX2',
      first_name: 'Mira',
      last_name: 'Okafor',
      email: 'mira@example.org',
      phone: null,
      mobile: '+64 21 555 0101',
      do_not_email: true,
      created_at: '2023-02-01T03:14:15+00:00',
    });
    hand.gone = sandbox.control.upsert('customers', { id: 'hand-customer-gone', first_name: 'Gone', created_at: '2024-01-01T00:00:00+00:00' });
    hand.gone = sandbox.control.remove('customers', 'hand-customer-gone')!;
    hand.layby = sandbox.control.upsert('sales', {
      ...saleFields,
      id: 'hand-sale-layby',
      customer_id: 'hand-customer-mira',
      status: 'LAYBY_CLOSED',
      attributes: ['layby'],
      source: 'USER',
      sale_date: '2024-11-30T22:04:10+00:00',
      total_price: 86.96,
      total_tax: 13.04,
    });
    hand.return = sandbox.control.upsert('sales', {
      ...saleFields,
      id: 'hand-sale-return',
      customer_id: 'hand-customer-mira',
      status: 'CLOSED',
      source: 'USER',
      return_for: 'hand-sale-layby',
      sale_date: '2024-12-02T01:00:00+00:00',
      total_price: -43.48,
      total_tax: -6.52,
    });
    hand.web = sandbox.control.upsert('sales', {
      ...saleFields,
      id: 'hand-sale-web',
      customer_id: null,
      status: 'AWAITING_PICKUP',
      source: 'ECOMMERCE',
      sale_date: '2024-12-03T09:30:00+00:00',
      total_price: 17.39,
      total_tax: 2.61,
    });
  });
  afterAll(() => sandbox.close());

  it('the first fetch brings back exactly the generated truth', async () => {
    const customers = sandbox.control.records('customers');
    const sales = served(sandbox.control.records('sales'));
    const outlets = sandbox.control.records('outlets');
    const users = sandbox.control.records('users');
    const registers = sandbox.control.records('registers');

    const summary = await fetchFrom(sandbox, store);

    expect(summary.streams.customers).toEqual({ added: customers.length, updated: 0, deleted: customers.filter((c) => c.deleted_at).length });
    expect(summary.streams.sales).toEqual({ added: sales.length, updated: 0, deleted: 0 });
    expect(summary.streams.outlets).toEqual({ added: outlets.length, updated: 0, deleted: 0 });
    expect(summary.rejected).toBe(0);
    // retailer + one read per stream, each ending with an empty page
    const lengths = [outlets, registers, users, customers, sales].map((r) => r.length);
    expect(summary.requests).toBe(1 + lengths.reduce((sum, n) => sum + pagesFor(n), 0));
    expect(summary.rateLimited).toBe(0);
    expect(summary.retries).toBe(0);

    const contents = await storeContents(store);
    expect(contents.customers.map((c) => [c.id, c.version, c.deleted ?? false])).toEqual(
      customers.map((c) => [c.id, c.version, Boolean(c.deleted_at)]).sort(),
    );
    expect(contents.orders.map((o) => [o.id, o.version, o.deleted ?? false])).toEqual(sales.map((s) => [s.id, s.version, false]).sort());
    // The amount is total_price (tax exclusive) + total_tax, in cents.
    const cents = new Map(sales.map((s) => [s.id, Math.round(total(s) * 100)]));
    expect(contents.orders.every((o) => o.amountMinor === cents.get(o.id))).toBe(true);
    expect(contents.orders.filter((o) => o.status === 'completed')).toHaveLength(sales.filter((s) => isClosedStatus(s.status)).length);
    expect(contents.orders.filter((o) => o.status === 'voided')).toHaveLength(sales.filter((s) => s.status === 'VOIDED').length);
    expect(contents.orders.filter((o) => !o.customerId)).toHaveLength(sales.filter((s) => !s.customer_id).length);
    expect(contents.orders.filter((o) => o.kind === 'return')).toHaveLength(sales.filter((s) => total(s) < 0).length);
    expect(contents.orders.filter((o) => o.channel === 'online')).toHaveLength(sales.filter((s) => s.source === 'ECOMMERCE').length);
    // Each outlet's country is its physical_country_id, else the retailer's country.
    expect(contents.locations.map((l) => [l.name, l.timeZone, l.country]).sort()).toEqual([
      ['Auckland Ponsonby', 'Pacific/Auckland', 'NZ'],
      ['Pop-up', 'Pacific/Auckland', 'NZ'],
      ['Sydney Surry Hills', 'Australia/Sydney', 'AU'],
      ['Wellington Central', 'Pacific/Auckland', 'NZ'],
    ]);
    expect(contents.staff.map((s) => s.name).sort()).toEqual(users.map((u) => String(u.display_name)).sort());

    const state = await store.readState<StateFile>('lightspeed');
    expect(cursors(state)).toEqual({
      outlets: maxVersion(outlets),
      registers: maxVersion(registers),
      users: maxVersion(users),
      customers: maxVersion(customers),
      sales: maxVersion(sales),
    });
    expect(state?.currency).toBe('NZD');
    expect(state?.activeRegisters).toHaveLength(3);
  });

  it('hand-made records arrive as worked out by hand', async () => {
    const { customers, orders } = await storeContents(store);
    const outletId = sandbox.control.records('outlets')[0].id;
    const userId = sandbox.control.records('users')[0].id;
    expect(customers.find((c) => c.id === 'hand-customer-mira')).toEqual({
      source: 'lightspeed',
      id: 'hand-customer-mira',
      version: hand.mira.version,
      createdAt: Date.UTC(2023, 1, 1, 3, 14, 15),
      firstName: 'Mira',
      lastName: 'Okafor',
      email: 'mira@example.org',
      mobile: '+64 21 555 0101',
      emailOptOut: true,
    });
    expect(customers.find((c) => c.id === 'hand-customer-gone')).toMatchObject({ deleted: true, firstName: 'Gone', version: hand.gone.version });
    expect(orders.find((o) => o.id === 'hand-sale-layby')).toEqual({
      source: 'lightspeed',
      id: 'hand-sale-layby',
      version: hand.layby.version,
      kind: 'sale',
      status: 'completed',
      channel: 'in_store',
      customerId: 'hand-customer-mira',
      orderedAt: Date.UTC(2024, 10, 30, 22, 4, 10),
      amountMinor: 10000,
      currency: 'NZD',
      locationId: outletId,
      staffId: userId,
    });
    expect(orders.find((o) => o.id === 'hand-sale-return')).toMatchObject({
      kind: 'return',
      status: 'completed',
      amountMinor: -5000,
      refOrderId: 'hand-sale-layby',
      orderedAt: Date.UTC(2024, 11, 2, 1, 0, 0),
    });
    const web = orders.find((o) => o.id === 'hand-sale-web')!;
    expect(web).toMatchObject({ kind: 'sale', status: 'open', channel: 'online', amountMinor: 2000 });
    expect(web).not.toHaveProperty('customerId');
  });

  it('after the store moves on, an incremental fetch reads only what changed, in about changed/page-size requests', async () => {
    const before = cursors(await store.readState<StateFile>('lightspeed'));
    sandbox.control.advance(10);
    sandbox.control.upsert('customers', { id: 'hand-customer-mira', email: 'mira@okafor.example' });
    sandbox.control.upsert('sales', { id: 'hand-sale-web', status: 'VOIDED' });
    const changed = (resource: 'outlets' | 'registers' | 'users' | 'customers' | 'sales') =>
      sandbox.control.records(resource).filter((r) => r.version > before[resource]);
    const customers = changed('customers');
    const sales = served(changed('sales'));
    expect(customers.length).toBeGreaterThan(0);
    expect(sales.length).toBeGreaterThan(200); // more than one page

    const summary = await fetchFrom(sandbox, store);

    const newCustomers = customers.filter((c) => Date.parse(String(c.created_at)) > NOW).length;
    expect(summary.streams.customers).toEqual({
      added: newCustomers,
      updated: customers.length - newCustomers,
      deleted: customers.filter((c) => c.deleted_at).length,
    });
    expect(summary.streams.sales.added + summary.streams.sales.updated).toBe(sales.length);
    expect(summary.streams.sales.deleted).toBe(0);
    // The retailer (the store check), outlets, registers and users with nothing new, then the changes.
    expect(summary.requests).toBe(4 + pagesFor(customers.length) + pagesFor(sales.length));

    const contents = await storeContents(store);
    expect(contents.customers.find((c) => c.id === 'hand-customer-mira')?.email).toBe('mira@okafor.example');
    // A voided sale arrives as VOIDED (2.0 has no tombstones for sales).
    const web = contents.orders.find((o) => o.id === 'hand-sale-web')!;
    expect(web.status).toBe('voided');
    expect(web).not.toHaveProperty('deleted');
    const stored = new Map(contents.orders.map((o) => [o.id, o.version]));
    for (const sale of served(sandbox.control.records('sales'))) expect(stored.get(sale.id), sale.id).toBe(sale.version);
  });

  it('with nothing new, a fetch costs the retailer (the store check) and one request per stream', async () => {
    const summary = await fetchFrom(sandbox, store);
    expect(summary.requests).toBe(6);
    expect(Object.values(summary.streams).every((s) => s.added === 0 && s.updated === 0)).toBe(true);
  });

  it('--full drops the cache and reads everything again', async () => {
    await store.append('lightspeed', 'customers', [{ source: 'lightspeed', id: 'not-in-lightspeed', version: 1 }]);
    const summary = await fetchFrom(sandbox, new Store(store.cacheDir), { full: true });
    const truth = sandbox.control.records('customers');
    expect(summary.streams.customers).toMatchObject({ added: truth.length, updated: 0 });
    const contents = await storeContents(new Store(store.cacheDir));
    expect(contents.customers.map((c) => c.id)).toEqual(truth.map((c) => c.id).sort());
  });
});

describe('a look-back (ca update --days=N) on version cursors', () => {
  it('restarts no stream: with nothing changed one empty page each, after changes only what changed', async () => {
    const sandbox = await startLightspeedSandbox(DATA);
    try {
      const store = new Store(await tempDir());
      await fetchFrom(sandbox, store);
      const streams = ['outlets', 'registers', 'users', 'customers', 'sales'] as const;

      // Nothing changed: one closing page per stream, however far back the look-back reaches.
      const unchanged = await fetchFrom(sandbox, store, { lookbackDays: 14 });
      expect(unchanged.requests).toBe(1 + streams.length);
      expect(unchanged.streams.sales).toEqual({ added: 0, updated: 0, deleted: 0 });

      const before = cursors(await store.readState<StateFile>('lightspeed'));
      sandbox.control.advance(3);
      // GET /sales lists no deleted sales (2.0 takes no `deleted` there).
      const listed = (s: (typeof streams)[number]) => (s === 'sales' ? served(sandbox.control.records(s)) : sandbox.control.records(s));
      const changed = streams.map((s) => listed(s).filter((r) => r.version > before[s]).length);
      const summary = await fetchFrom(sandbox, store, { lookbackDays: 14 });
      // The retailer (the token and store check), then each stream's pages and its closing page.
      expect(summary.requests).toBe(1 + changed.reduce((n, k) => n + pagesFor(k), 0));
      expect(summary.streams.sales.added + summary.streams.sales.updated).toBe(changed[4]);
      expect(cursors(await store.readState<StateFile>('lightspeed')).sales).toBe(maxVersion(listed('sales')));
    } finally {
      await sandbox.close();
    }
  });
});

describe('readings the spec leaves open', () => {
  let reference: Awaited<ReturnType<typeof storeContents>>;
  beforeAll(async () => {
    const sandbox = await startLightspeedSandbox(DATA);
    const store = new Store(await tempDir());
    await fetchFrom(sandbox, store);
    reference = await storeContents(store);
    await sandbox.close();
  });

  it.each([
    ['nulls sent as null, a stray state and total_price_incl, page_size above 200 refused', { nullFields: 'null', saleState: true, totalPriceIncl: true, overMaxPageSize: 'reject' }, 1000],
    ['page_size up to 1000 served', { maxPageSize: 1000 }, 1000],
    ['page_size 1000 silently cut to 200', { maxPageSize: 200, overMaxPageSize: 'clamp' }, 1000],
  ] as const)('%s: same store', async (_name, readings, pageSize) => {
    const sandbox = await startLightspeedSandbox({ ...DATA, ...readings });
    try {
      const store = new Store(await tempDir());
      await fetchFrom(sandbox, store, { settings: { pageSize } });
      expect(await storeContents(store)).toEqual(reference);
    } finally {
      await sandbox.close();
    }
  });

  it('a server that would serve sales tombstones with deleted=true: the client does not ask (2.0 lists no deleted on /sales), same store', async () => {
    const sandbox = await startLightspeedSandbox({ ...DATA, salesDeleted: 'honoured' });
    try {
      const store = new Store(await tempDir());
      await fetchFrom(sandbox, store);
      const contents = await storeContents(store);
      expect(sandbox.control.records('sales').some((s) => s.deleted_at)).toBe(true);
      expect(contents.orders.some((o) => o.deleted)).toBe(false);
      expect(contents).toEqual(reference);
    } finally {
      await sandbox.close();
    }
  });

  it('walk-ins as a default WALKIN customer: dropped from customers and from sales', async () => {
    const sandbox = await startLightspeedSandbox({ ...DATA, walkIn: 'default-customer' });
    try {
      const store = new Store(await tempDir());
      await fetchFrom(sandbox, store);
      sandbox.control.advance(2);
      await fetchFrom(sandbox, new Store(store.cacheDir));
      const walkIn = sandbox.control.walkInCustomerId()!;
      const contents = await storeContents(new Store(store.cacheDir));
      const sales = served(sandbox.control.records('sales'));
      expect(sales.filter((s) => s.customer_id === walkIn).length).toBeGreaterThan(0);
      expect(contents.customers.some((c) => c.id === walkIn)).toBe(false);
      expect(contents.customers).toHaveLength(sandbox.control.records('customers').length - 1);
      expect(contents.orders.some((o) => o.customerId === walkIn)).toBe(false);
      expect(contents.orders.filter((o) => !o.customerId)).toHaveLength(sales.filter((s) => s.customer_id === walkIn).length);
    } finally {
      await sandbox.close();
    }
  });
});
