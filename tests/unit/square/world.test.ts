import { describe, expect, it } from 'vitest';
import { SquareWorld } from '../../../src/sandbox/square/world.js';
import { asOf } from '../../../src/sandbox/square/timeline.js';

const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);
const DAY = 86_400_000;

function fingerprint(world: SquareWorld, t: number) {
  return {
    customers: world.customers.map((c) => asOf(c, t)).filter(Boolean),
    bookings: world.bookings.map((b) => asOf(b, t)).filter(Boolean),
    payments: world.payments.map((p) => asOf(p, t)).filter(Boolean),
    refunds: world.refunds.map((r) => asOf(r, t)).filter(Boolean),
  };
}

describe('Square sandbox generator', () => {
  it('is deterministic for a seed and clock', () => {
    const a = new SquareWorld({ seed: 7, now: NOW, customers: 80, historyDays: 40 });
    const b = new SquareWorld({ seed: 7, now: NOW, customers: 80, historyDays: 40 });
    expect(fingerprint(a, NOW)).toEqual(fingerprint(b, NOW));
    const c = new SquareWorld({ seed: 8, now: NOW, customers: 80, historyDays: 40 });
    expect(c.bookings[0].id).not.toBe(a.bookings[0].id);
  });

  it('gives the same state however the clock got there', () => {
    const once = new SquareWorld({ seed: 3, now: NOW, customers: 60, historyDays: 30 });
    const steps = new SquareWorld({ seed: 3, now: NOW, customers: 60, historyDays: 30 });
    once.advance(5);
    steps.advance(2);
    steps.advance(0.5);
    steps.advance(2.5);
    expect(once.now()).toBe(NOW + 5 * DAY);
    expect(fingerprint(steps, NOW + 5 * DAY)).toEqual(fingerprint(once, NOW + 5 * DAY));
  });

  it('moving the clock reveals nothing dated before the previous clock', () => {
    const world = new SquareWorld({ seed: 5, now: NOW, customers: 60, historyDays: 30 });
    const before = fingerprint(world, NOW);
    world.advance(4);
    expect(fingerprint(world, NOW)).toEqual(before);
  });

  it('produces every booking status, late customer ids, refunds and merges', () => {
    const world = new SquareWorld({ seed: 1, now: NOW, customers: 400, historyDays: 120 });
    const statuses = new Set(world.bookings.map((b) => asOf(b, NOW + 60 * DAY)?.status));
    expect([...statuses].sort()).toEqual(['ACCEPTED', 'CANCELLED_BY_CUSTOMER', 'CANCELLED_BY_SELLER', 'DECLINED', 'NO_SHOW', 'PENDING']);
    expect(world.payments.some((p) => p.base.customerId === undefined && p.changes.some((c) => c.patch.customerId))).toBe(true);
    expect(world.refunds.length).toBeGreaterThan(0);
    expect(world.customers.some((c) => c.base.creationSource === 'MERGE')).toBe(true);
  });

  it('pays some orders in two parts (one order_id) and gives some tips back with the refund', () => {
    const world = new SquareWorld({ seed: 1, now: NOW, customers: 400, historyDays: 120 });
    const byOrder = new Map<string, typeof world.payments>();
    for (const p of world.payments) byOrder.set(p.base.orderId, [...(byOrder.get(p.base.orderId) ?? []), p]);
    const split = [...byOrder.values()].filter((parts) => parts.length > 1);
    expect(split.length).toBeGreaterThan(0);
    for (const parts of split) {
      expect(parts).toHaveLength(2);
      // The parts add up to the service's price; only the card part carries a tip.
      const price = world.services.find((s) => s.variationId === parts[0].base.serviceVariationId)!.priceMinor;
      expect(parts[0].base.amount + parts[1].base.amount).toBe(price);
      expect(parts[1].base.tip).toBe(0);
      expect(parts.map((p) => p.base.sourceType)).toContain('CASH');
    }
    const tipRefunds = world.refunds.filter((r) => {
      const payment = world.paymentById.get(r.base.paymentId)!.base;
      return r.base.amount > payment.amount;
    });
    expect(tipRefunds.length).toBeGreaterThan(0);
    for (const r of tipRefunds) {
      const payment = world.paymentById.get(r.base.paymentId)!.base;
      expect(r.base.amount).toBeLessThanOrEqual(payment.amount + payment.tip);
    }
  });

  it('creates some profiles months before their first booking', () => {
    const world = new SquareWorld({ seed: 1, now: NOW, customers: 400, historyDays: 200 });
    const firstBooking = new Map<string, number>();
    for (const b of world.bookings) {
      const seen = firstBooking.get(b.base.customerId);
      if (seen === undefined || b.createdAt < seen) firstBooking.set(b.base.customerId, b.createdAt);
    }
    const early = world.customers.filter((c) => {
      const first = firstBooking.get(c.id);
      return first !== undefined && first - c.createdAt >= 30 * DAY;
    });
    expect(early.length).toBeGreaterThan(0);
  });

  it('JPY prices are whole yen, not cents', () => {
    const world = new SquareWorld({ seed: 1, now: NOW, currency: 'JPY', customers: 30, historyDays: 10 });
    // 45 USD-ish haircut -> 45 * 150 = 6750 yen, rounded to 6800.
    expect(world.services.find((s) => s.itemName === 'Haircut' && s.variationName === 'Short hair')?.priceMinor).toBe(6800);
    expect(world.locations.every((l) => l.timezone === 'Asia/Tokyo')).toBe(true);
  });
});
