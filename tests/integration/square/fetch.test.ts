/** fetchSquare over real HTTP against the Square sandbox: backfill, incremental runs, amounts, times. */
import { afterAll, describe, expect, it } from 'vitest';
import { startSquareSandbox, type SquareSandbox } from '../../../src/sandbox/square/index.js';
import { asOf } from '../../../src/sandbox/square/timeline.js';
import { DAY, MARGIN_MS, NOW, expectStoreMatchesSandbox, fetchFrom, removeTempStores, storeContents, tempStore } from './helpers.js';

const sandboxes: SquareSandbox[] = [];
async function sandbox(options: Parameters<typeof startSquareSandbox>[0] = {}): Promise<SquareSandbox> {
  const sb = await startSquareSandbox({ now: NOW, ...options });
  sandboxes.push(sb);
  return sb;
}

afterAll(async () => {
  await Promise.all(sandboxes.map((sb) => sb.close()));
  await removeTempStores();
});

describe('fetchSquare', () => {
  it('backfills everything the sandbox holds, from every location, over many small pages', async () => {
    const sb = await sandbox({ maxPageSize: 20 });
    const store = await tempStore();
    const summary = await fetchFrom(sb, store);
    await expectStoreMatchesSandbox(store, sb.control.world, NOW);

    const contents = await storeContents(store);
    const world = sb.control.world;
    // Payments are listed per location; the INACTIVE one has history too.
    const paymentLocations = new Set(contents.orders.filter((o) => o.kind === 'sale').map((o) => o.locationId));
    expect(paymentLocations).toEqual(new Set(world.locations.map((l) => l.id)));
    expect(world.locations.some((l) => l.status === 'INACTIVE')).toBe(true);
    expect(contents.locations.map((l) => [l.name, l.timeZone]).sort()).toEqual([
      ['Downtown', 'America/Los_Angeles'],
      ['Old Town', 'America/Chicago'],
      ['Riverside', 'America/New_York'],
    ]);
    expect(contents.staff.map((s) => s.id).sort()).toEqual(world.staff.map((s) => s.id).sort());
    const named = new Set(contents.services.map((s) => s.id));
    for (const b of contents.bookings) expect(named.has(b.serviceId!), `service ${b.serviceId}`).toBe(true);
    expect(contents.services.find((s) => s.name === 'Perm')).toBeDefined(); // deleted from the catalog
    expect(summary.streams.bookings.added).toBe(contents.bookings.length);
    expect(summary.rateLimited).toBe(0);
  });

  it('stores whole-second and fractional timestamps as the same instants the sandbox meant', async () => {
    const sb = await sandbox();
    const store = await tempStore();
    await fetchFrom(sb, store);
    const world = sb.control.world;
    const { orders, customers } = await storeContents(store);
    const styles = new Set<string>();
    for (const sale of orders.filter((o) => o.kind === 'sale')) {
      const timeline = world.paymentById.get(sale.id)!;
      expect(sale.orderedAt).toBe(timeline.createdAt);
      styles.add(timeline.style);
    }
    expect([...styles].sort()).toEqual(['mixed', 'ms', 's']);
    for (const c of customers.filter((x) => !x.deleted)) expect(c.createdAt).toBe(world.customerById.get(c.id)!.createdAt);
  });

  it('an incremental run after time passes brings new bookings, late cancellations and no-shows, and late customer ids', async () => {
    const sb = await sandbox({ lateCustomerShare: 0.5 });
    const world = sb.control.world;
    const store = await tempStore();
    await fetchFrom(sb, store);
    const later = NOW + 3 * DAY;

    // A payment already listed without its customer, which Square attaches after this first run.
    const late = world.payments.find((p) => {
      const attach = p.changes.find((c) => c.patch.customerId);
      return p.base.customerId === undefined && attach && p.createdAt <= NOW - MARGIN_MS - 10_000 && attach.at > NOW && attach.at < later - MARGIN_MS;
    });
    // A booking accepted at the first run and cancelled or marked no-show before the second.
    const changed = world.bookings.find((b) => {
      const then = asOf(b, NOW)?.status;
      const now = asOf(b, later)?.status;
      return then === 'ACCEPTED' && (now === 'NO_SHOW' || now === 'CANCELLED_BY_CUSTOMER' || now === 'CANCELLED_BY_SELLER');
    });
    expect(late, 'a payment whose customer arrives later').toBeDefined();
    expect(changed, 'a booking that changes later').toBeDefined();
    const before = await storeContents(store);
    expect(before.orders.find((o) => o.id === late!.id)?.customerId).toBeUndefined();
    expect(before.bookings.find((b) => b.id === changed!.id)?.status).toBe('ACCEPTED');

    sb.control.advance(3);
    const summary = await fetchFrom(sb, store);
    const after = await storeContents(store);
    expect(after.orders.find((o) => o.id === late!.id)?.customerId).toBe(late!.changes.find((c) => c.patch.customerId)!.patch.customerId);
    expect(after.bookings.find((b) => b.id === changed!.id)?.status).toBe(asOf(changed!, later)!.status);
    expect(summary.streams.bookings.added).toBeGreaterThan(0);
    expect(summary.streams.payments.added).toBeGreaterThan(0);
    expect(summary.streams.customers.added).toBeGreaterThan(0);
    await expectStoreMatchesSandbox(store, world, later);
  });

  it('brings JPY amounts as whole yen', async () => {
    const sb = await sandbox({ currency: 'JPY', customers: 60, historyDays: 30 });
    const store = await tempStore();
    await fetchFrom(sb, store);
    await expectStoreMatchesSandbox(store, sb.control.world, NOW);
    const sales = (await storeContents(store)).orders.filter((o) => o.kind === 'sale');
    expect(sales.length).toBeGreaterThan(0);
    // The sandbox's yen prices (its USD list x 150, rounded to 100 yen), worked out by hand.
    const prices = new Set([6800, 9800, 12800, 21000, 33000, 6000, 8300, 3800, 24000]);
    // Payments of one order (split tender) share purchaseId and add up to the price.
    const byPurchase = new Map<string, number>();
    for (const sale of sales) {
      expect(sale.currency).toBe('JPY');
      byPurchase.set(sale.purchaseId ?? sale.id, (byPurchase.get(sale.purchaseId ?? sale.id) ?? 0) + sale.amountMinor);
    }
    for (const amount of byPurchase.values()) expect(prices.has(amount), `amount ${amount}`).toBe(true);
  });

  it('copes with an account where every listing is {}', async () => {
    const sb = await sandbox({ customers: 0, bookingsPerDay: 0 });
    const store = await tempStore();
    const summary = await fetchFrom(sb, store);
    const contents = await storeContents(store);
    expect([contents.customers.length, contents.orders.length, contents.bookings.length]).toEqual([0, 0, 0]);
    expect(contents.locations).toHaveLength(3);
    expect(summary.streams.customers).toBeUndefined();
    const state = await store.readState<{ customers?: { through: number } }>('square');
    expect(state?.customers?.through).toBe(NOW - MARGIN_MS);
  });

  it('--full starts over and ends where a fresh fetch does', async () => {
    const sb = await sandbox({ customers: 80, historyDays: 40 });
    const reused = await tempStore();
    await fetchFrom(sb, reused);
    sb.control.advance(2);
    await fetchFrom(sb, reused, { full: true });
    const fresh = await tempStore();
    await fetchFrom(sb, fresh);
    expect(await storeContents(reused)).toEqual(await storeContents(fresh));
  });
});
