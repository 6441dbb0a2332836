/** Shared set-up for the Square integration tests: a temp store, a fetch against a sandbox, the truth. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../src/io/log.js';
import { Store } from '../../../src/io/store.js';
import type { SquareSandbox } from '../../../src/sandbox/square/index.js';
import { asOf } from '../../../src/sandbox/square/timeline.js';
import type { SquareWorld } from '../../../src/sandbox/square/world.js';
import { fetchSquare, type FetchOptions } from '../../../src/sources/square/index.js';

/** A fixed sandbox clock: 2025-06-15T12:00:00Z. */
export const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);
export const DAY = 86_400_000;
/** The fetcher's default safety margin. */
export const MARGIN_MS = 120_000;

const dirs: string[] = [];

export async function tempStore(): Promise<Store> {
  const dir = await mkdtemp(join(tmpdir(), 'ca-square-'));
  dirs.push(dir);
  return new Store(dir);
}

export async function removeTempStores(): Promise<void> {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

export function fetchFrom(sandbox: SquareSandbox, store: Store, overrides: Partial<FetchOptions> = {}) {
  return fetchSquare({
    store,
    baseUrl: sandbox.url,
    token: sandbox.token,
    full: false,
    now: () => sandbox.control.now(),
    sleep: async () => {},
    log: silentLogger,
    ...overrides,
  });
}

export async function storeContents(store: Store) {
  return {
    customers: await store.readAll('square', 'customers'),
    orders: await store.readAll('square', 'orders'),
    bookings: await store.readAll('square', 'bookings'),
    locations: sortById(await store.readDimensions('square', 'locations')),
    staff: sortById(await store.readDimensions('square', 'staff')),
    services: sortById(await store.readDimensions('square', 'services')),
  };
}

function sortById<T extends { id: string }>(list: T[]): T[] {
  return [...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * What a fetch at `t` must have brought back, read from the sandbox's own records (not through the
 * fetcher's normalization): every booking as of `t`; payments, refunds and listed customers as the
 * (lagging) listings show them, where their last change is at least the safety margin old.
 */
export function truth(world: SquareWorld, t: number, marginMs = MARGIN_MS) {
  const through = t - marginMs;
  const bookings = new Map<string, { status: string; startAt: number; customerId: string; locationId: string }>();
  for (const timeline of world.bookings) {
    const b = asOf(timeline, t);
    if (b) bookings.set(b.id, { status: b.status, startAt: b.startAt, customerId: b.customerId, locationId: b.locationId });
  }
  const paymentView = t - world.options.paymentLagMs;
  const payments = new Map<string, { status: string; amount: number; tip: number; customerId?: string; locationId: string; createdAt: number; style: string }>();
  for (const timeline of world.payments) {
    const p = asOf(timeline, paymentView);
    if (p && p.updatedAt <= through) {
      payments.set(p.id, { status: p.status, amount: p.amount, tip: p.tip, customerId: p.customerId, locationId: p.locationId, createdAt: p.createdAt, style: p.style });
    }
  }
  const refunds = new Map<string, { status: string; amount: number; paymentId: string }>();
  for (const timeline of world.refunds) {
    const r = asOf(timeline, paymentView);
    if (r && r.updatedAt <= through) refunds.set(r.id, { status: r.status, amount: r.amount, paymentId: r.paymentId });
  }
  const customers = new Map<string, { email?: string }>();
  for (const timeline of world.customers) {
    const c = asOf(timeline, t - world.options.searchLagMs);
    if (c && !c.deleted && c.updatedAt <= through && (c.givenName || c.familyName || c.company || c.email || c.phone)) {
      customers.set(c.id, { email: c.email });
    }
  }
  return { bookings, payments, refunds, customers };
}

export const PAYMENT_STATUS: Record<string, string> = {
  COMPLETED: 'completed',
  APPROVED: 'open',
  PENDING: 'open',
  CANCELED: 'cancelled',
  FAILED: 'cancelled',
};

/** The store holds every booking exactly as the sandbox has it, and every settled payment, refund and listed customer. */
export async function expectStoreMatchesSandbox(store: Store, world: SquareWorld, t: number): Promise<void> {
  const { expect } = await import('vitest');
  const expected = truth(world, t);
  const contents = await storeContents(store);

  const bookings = new Map(contents.bookings.map((b) => [b.id, { status: b.status, startAt: b.startAt, customerId: b.customerId, locationId: b.locationId }]));
  expect(bookings).toEqual(expected.bookings);

  const sales = new Map(contents.orders.filter((o) => o.kind === 'sale').map((o) => [o.id, o]));
  for (const [id, p] of expected.payments) {
    const sale = sales.get(id);
    expect(sale, `payment ${id}`).toBeDefined();
    expect({ status: sale!.status, amount: sale!.amountMinor, tip: sale!.tipsMinor ?? 0, customerId: sale!.customerId, locationId: sale!.locationId, orderedAt: sale!.orderedAt }).toEqual({
      status: PAYMENT_STATUS[p.status],
      amount: p.amount,
      tip: p.tip,
      customerId: p.customerId,
      locationId: p.locationId,
      orderedAt: p.createdAt,
    });
  }

  const refunds = new Map(contents.orders.filter((o) => o.kind === 'refund').map((o) => [o.id, o]));
  for (const [id, r] of expected.refunds) {
    const refund = refunds.get(id);
    expect(refund, `refund ${id}`).toBeDefined();
    expect({ amount: refund!.amountMinor, refOrderId: refund!.refOrderId, status: refund!.status }).toEqual({
      amount: -r.amount,
      refOrderId: r.paymentId,
      status: r.status === 'COMPLETED' ? 'completed' : r.status === 'PENDING' ? 'open' : 'cancelled',
    });
  }

  const customers = new Map(contents.customers.map((c) => [c.id, c]));
  for (const [id, c] of expected.customers) {
    const stored = customers.get(id);
    expect(stored, `customer ${id}`).toBeDefined();
    expect({ email: stored!.email, deleted: stored!.deleted ?? false }).toEqual({ email: c.email, deleted: false });
  }
}
