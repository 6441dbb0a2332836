/**
 * The Square sandbox's data and clock. Days are generated in order, each from its own seeded stream,
 * and a day's events all happen inside that day (their follow-ups may lie in the future). A day is
 * generated the first time the clock is read inside it, so nothing ever appears in a past that a client
 * could already have looked at, and the state as of any time is the same however the clock got there.
 */
import { Random } from '../random.js';
import type {
  BookingFields,
  BookingStatus,
  BookingTimeline,
  CustomerFields,
  CustomerTimeline,
  LocationDef,
  PaymentFields,
  PaymentTimeline,
  RefundFields,
  RefundTimeline,
  ServiceDef,
  StaffDef,
} from './entities.js';
import { resolveOptions, type ResolvedSquareSandboxOptions, type SquareSandboxOptions } from './options.js';
import {
  COMPANIES,
  FAMILY_NAMES,
  GIVEN_NAMES,
  JP_LOCATIONS,
  REFUND_REASONS,
  SERVICES,
  US_LOCATIONS,
  priceMinor,
} from './presets.js';
import { addChange, asOf, newTimeline, type Snapshot, type StampStyle } from './timeline.js';
import { DAY_MS } from '../../core/localTime.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** Bookings are made at most this far ahead. */
const MAX_LEAD_DAYS = 45;

const UPPER = 'ABCDEFGHJKMNPQRSTVWXYZ0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';
const MIXED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export class SquareWorld {
  readonly options: ResolvedSquareSandboxOptions;
  readonly locations: LocationDef[] = [];
  readonly staff: StaffDef[] = [];
  readonly services: ServiceDef[] = [];
  readonly customers: CustomerTimeline[] = [];
  readonly customerById = new Map<string, CustomerTimeline>();
  readonly bookings: BookingTimeline[] = [];
  readonly payments: PaymentTimeline[] = [];
  readonly paymentById = new Map<string, PaymentTimeline>();
  readonly refunds: RefundTimeline[] = [];
  /** First instant of generated history. */
  readonly historyStart: number;

  private readonly startClock: number;
  private readonly realClock: boolean;
  private offsetMs = 0;
  private nextDay: number;
  /** Customers bookings may pick from; merged or deleted ones are dropped lazily. */
  private pool: CustomerTimeline[] = [];
  private readonly waiting = new Map<number, CustomerTimeline[]>();
  private readonly eligibleAt = new Map<string, number>();
  private readonly goneAt = new Map<string, number>();
  private touches = 0;
  private readonly rates: {
    newCustomerChance: number;
    signupsPerDay: number;
    updatesPerDay: number;
    mergesPerDay: number;
    deletesPerDay: number;
    walkInsPerDay: number;
  };

  constructor(options: SquareSandboxOptions = {}) {
    this.options = resolveOptions(options);
    const o = this.options;
    this.realClock = o.now === undefined;
    this.startClock = o.now ?? Date.now();
    const firstDay = Math.floor(this.startClock / DAY_MS) - o.historyDays;
    this.nextDay = firstDay;
    this.historyStart = firstDay * DAY_MS;

    const bookingsOverHistory = Math.max(1, o.historyDays * o.locations * o.bookingsPerDay);
    this.rates = {
      newCustomerChance: Math.min(1, Math.max(0.02, ((1 - o.earlyProfileShare) * o.customers) / bookingsOverHistory)),
      signupsPerDay: (o.earlyProfileShare * o.customers) / o.historyDays,
      updatesPerDay: (0.05 * o.customers) / 30,
      mergesPerDay: (0.01 * o.customers) / o.historyDays,
      deletesPerDay: (0.005 * o.customers) / o.historyDays,
      walkInsPerDay: o.bookingsPerDay * 0.1,
    };
    this.setUp(new Random(o.seed));
    this.now();
  }

  /** The sandbox clock; reading it generates every day up to it. */
  now(): number {
    const t = (this.realClock ? Date.now() : this.startClock) + this.offsetMs;
    const day = Math.floor(t / DAY_MS);
    while (this.nextDay <= day) this.generateDay(this.nextDay++);
    return t;
  }

  /** Moves the clock forward; the days passed bring new records and the changes already planned. */
  advance(days: number): number {
    if (!(days >= 0)) throw new Error('advance: days must be a non-negative number');
    this.offsetMs += Math.round(days * DAY_MS);
    return this.now();
  }

  /** A profile change `agoMs` before now: inside the search lag, so search does not show it yet. */
  touchCustomer(id?: string, agoMs = 10_000): { id: string; email: string; updatedAt: number } {
    const now = this.now();
    const at = now - agoMs;
    const target = id
      ? this.customerById.get(id)
      : this.customers.find((c) => {
          const s = asOf(c, at);
          return s !== undefined && !s.deleted && s.email !== undefined && s.createdAt < at;
        });
    if (!target) throw new Error(`touchCustomer: no such customer ${id ?? '(any listed)'}`);
    const current = asOf(target, at);
    if (!current || current.deleted) throw new Error(`touchCustomer: ${target.id} does not exist at that time`);
    this.touches++;
    const email = `touched${this.touches}.${target.id.slice(0, 6).toLowerCase()}@example.com`;
    const updatedAt = addChange(target, at, { email });
    return { id: target.id, email, updatedAt };
  }

  /** The living profile an id leads to: itself, or the survivor of the merges it went through. */
  resolveCustomer(id: string, t: number): Snapshot<CustomerFields> | undefined {
    let timeline = this.customerById.get(id);
    for (let hops = 0; timeline && hops < 10; hops++) {
      const state = asOf(timeline, t);
      if (!state) return undefined;
      if (!state.deleted) return state;
      timeline = state.mergedInto ? this.customerById.get(state.mergedInto) : undefined;
    }
    return undefined;
  }

  private setUp(rng: Random): void {
    const o = this.options;
    const span = o.historyDays * DAY_MS;
    const presets = o.currency === 'JPY' ? JP_LOCATIONS : US_LOCATIONS;
    for (let i = 0; i < o.locations; i++) {
      const preset = presets[i];
      const closes = i === 2;
      this.locations.push({
        id: `L${id(rng, 12, UPPER)}`,
        name: preset.name,
        timezone: preset.timezone,
        utcOffsetHours: preset.utcOffsetHours,
        status: closes ? 'INACTIVE' : 'ACTIVE',
        createdAt: this.historyStart - 2 * 365 * DAY_MS + i * 30 * DAY_MS,
        closedAt: closes ? this.historyStart + Math.round(span * 0.6) : undefined,
      });
    }
    for (let i = 0; i < o.staff; i++) {
      const isOwner = i === 0;
      const leaves = o.staff >= 3 && i === o.staff - 1;
      const given = GIVEN_NAMES[(i * 7 + 3) % GIVEN_NAMES.length];
      const family = FAMILY_NAMES[(i * 11 + 5) % FAMILY_NAMES.length];
      this.staff.push({
        id: `TM${id(rng, 14, MIXED)}`,
        givenName: given,
        familyName: family,
        email: `${given}.${family}@salon.example.com`.toLowerCase(),
        status: leaves ? 'INACTIVE' : 'ACTIVE',
        isOwner,
        locationIds: isOwner ? this.locations.map((l) => l.id) : [this.locations[i % this.locations.length].id],
        createdAt: this.historyStart - 400 * DAY_MS,
        leftAt: leaves ? this.historyStart + Math.round(span * 0.5) : undefined,
      });
    }
    const itemIds = new Map<string, string>();
    for (let i = 0; i < o.services; i++) {
      const preset = SERVICES[i];
      if (!itemIds.has(preset.item)) itemIds.set(preset.item, id(rng, 24, UPPER));
      const retired = preset.item === 'Perm';
      this.services.push({
        itemId: itemIds.get(preset.item)!,
        itemName: preset.item,
        variationId: id(rng, 24, UPPER),
        variationName: preset.variation,
        version: this.historyStart - 200 * DAY_MS + i * 1_234_567,
        durationMinutes: preset.minutes,
        priceMinor: priceMinor(preset.price, o.currency),
        isDeleted: retired,
        retiredAt: retired ? this.historyStart + Math.round(span * 0.4) : undefined,
      });
    }
  }

  private generateDay(day: number): void {
    const rng = new Random(daySeed(this.options.seed, day));
    const dayStart = day * DAY_MS;
    const arrivals = this.waiting.get(day);
    if (arrivals) {
      this.pool.push(...arrivals);
      this.waiting.delete(day);
    }
    const r = this.rates;
    for (let i = count(rng, r.signupsPerDay); i > 0; i--) this.signUp(rng, dayStart + rng.int(0, DAY_MS - 1));
    for (let i = count(rng, r.updatesPerDay); i > 0; i--) this.updateProfile(rng, dayStart + rng.int(0, DAY_MS - 1));
    for (let i = count(rng, r.mergesPerDay); i > 0; i--) this.merge(rng, dayStart + rng.int(0, DAY_MS - 1));
    for (let i = count(rng, r.deletesPerDay); i > 0; i--) this.remove(rng, dayStart + rng.int(0, DAY_MS - 1));
    for (const location of this.locations) {
      if (location.closedAt !== undefined && dayStart >= location.closedAt) continue;
      const booked = Math.round(this.options.bookingsPerDay * (0.6 + 0.8 * rng.next()));
      for (let i = 0; i < booked; i++) this.book(rng, location, dayStart);
      for (let i = count(rng, r.walkInsPerDay); i > 0; i--) this.walkIn(rng, location, dayStart);
    }
  }

  private style(rng: Random): StampStyle {
    const roll = rng.next();
    return roll < 0.4 ? 'ms' : roll < 0.75 ? 's' : 'mixed';
  }

  private createCustomer(rng: Random, at: number, source: string, listed: boolean): CustomerTimeline {
    const base: CustomerFields = { emailUnsubscribed: false, creationSource: source, deleted: false };
    if (listed) {
      const given = rng.pick(GIVEN_NAMES);
      const family = rng.pick(FAMILY_NAMES);
      base.givenName = given;
      base.familyName = family;
      if (rng.chance(0.85)) base.email = `${given}.${family}${rng.int(1, 9999)}@example.com`.toLowerCase();
      if (rng.chance(0.8)) base.phone = this.phone(rng);
      if (rng.chance(0.05)) base.company = rng.pick(COMPANIES);
      base.emailUnsubscribed = rng.chance(0.08);
    }
    const timeline = newTimeline(id(rng, 26, UPPER), at, this.style(rng), base);
    this.customers.push(timeline);
    this.customerById.set(timeline.id, timeline);
    return timeline;
  }

  private phone(rng: Random): string {
    const last = String(rng.int(100, 199)).padStart(4, '0');
    if (this.options.currency === 'JPY') {
      const mid = String(rng.int(1000, 9999));
      return rng.chance(0.7) ? `+8190${mid}${last}` : `090-${mid}-${last}`;
    }
    const area = rng.pick(['503', '212', '415', '312', '617']);
    return rng.chance(0.7) ? `+1${area}555${last}` : `(${area}) 555-${last}`;
  }

  /** Bookable right away, or months later for the share whose profile predates their first visit. */
  private enterPool(customer: CustomerTimeline, from: number): void {
    this.eligibleAt.set(customer.id, from);
    const day = Math.floor(from / DAY_MS);
    if (day < this.nextDay) this.pool.push(customer);
    else {
      const list = this.waiting.get(day) ?? [];
      list.push(customer);
      this.waiting.set(day, list);
    }
  }

  private signUp(rng: Random, at: number): void {
    const customer = this.createCustomer(rng, at, rng.pick(['DIRECTORY', 'MARKETING', 'IMPORT', 'EMAIL_COLLECTION']), true);
    this.enterPool(customer, customer.createdAt + rng.int(30, 180) * DAY_MS);
  }

  /** A living, bookable customer at `at`, or undefined after a few misses. */
  private pickExisting(rng: Random, at: number): CustomerTimeline | undefined {
    for (let tries = 0; tries < 6 && this.pool.length > 0; tries++) {
      const index = rng.int(0, this.pool.length - 1);
      const candidate = this.pool[index];
      const gone = this.goneAt.get(candidate.id);
      if (gone !== undefined && gone <= at) {
        this.pool[index] = this.pool[this.pool.length - 1];
        this.pool.pop();
        continue;
      }
      if (gone !== undefined) continue;
      if ((this.eligibleAt.get(candidate.id) ?? candidate.createdAt) > at || candidate.createdAt > at) continue;
      return candidate;
    }
    return undefined;
  }

  private bookingCustomer(rng: Random, at: number): CustomerTimeline {
    const existing = rng.chance(this.rates.newCustomerChance) ? undefined : this.pickExisting(rng, at);
    if (existing) return existing;
    const created = this.createCustomer(rng, at, 'APPOINTMENTS', true);
    this.enterPool(created, created.createdAt);
    return created;
  }

  private updateProfile(rng: Random, at: number): void {
    const customer = this.pickExisting(rng, at);
    if (!customer) return;
    const state = asOf(customer, at);
    if (!state || state.email === undefined) return;
    const roll = rng.next();
    const patch: Partial<CustomerFields> =
      roll < 0.4
        ? { email: `${state.givenName ?? 'x'}.${state.familyName ?? 'y'}${rng.int(1, 9999)}@example.org`.toLowerCase() }
        : roll < 0.7
          ? { phone: this.phone(rng) }
          : roll < 0.9
            ? { emailUnsubscribed: !state.emailUnsubscribed }
            : { company: rng.pick(COMPANIES) };
    addChange(customer, at, patch);
  }

  /** Square merges into a new profile and deletes the originals; old bookings keep the old ids. */
  private merge(rng: Random, at: number): void {
    const a = this.pickExisting(rng, at);
    const b = this.pickExisting(rng, at);
    if (!a || !b || a === b) return;
    const sa = asOf(a, at);
    const sb = asOf(b, at);
    if (!sa || !sb) return;
    const survivor = newTimeline<CustomerFields>(id(rng, 26, UPPER), at, this.style(rng), {
      givenName: sa.givenName,
      familyName: sa.familyName,
      company: sa.company ?? sb.company,
      email: sa.email ?? sb.email,
      phone: sa.phone ?? sb.phone,
      emailUnsubscribed: sa.emailUnsubscribed || sb.emailUnsubscribed,
      creationSource: 'MERGE',
      deleted: false,
    });
    this.customers.push(survivor);
    this.customerById.set(survivor.id, survivor);
    for (const original of [a, b]) {
      this.goneAt.set(original.id, addChange(original, at, { deleted: true, mergedInto: survivor.id }));
    }
    this.enterPool(survivor, survivor.createdAt);
  }

  private remove(rng: Random, at: number): void {
    const customer = this.pickExisting(rng, at);
    if (customer) this.goneAt.set(customer.id, addChange(customer, at, { deleted: true }));
  }

  /** A time of day in the location's local hours [from, to), as UTC inside the same UTC day. */
  private localTime(rng: Random, location: LocationDef, dayStart: number, from: number, to: number): number {
    const localMinutes = rng.int(from * 2, to * 2 - 1) * 30;
    const utcMinutes = (((localMinutes - location.utcOffsetHours * 60) % 1440) + 1440) % 1440;
    return dayStart + utcMinutes * MINUTE_MS;
  }

  private book(rng: Random, location: LocationDef, dayStart: number): void {
    const o = this.options;
    const createdAt = this.localTime(rng, location, dayStart, 7, 22) + rng.int(0, 29 * MINUTE_MS);
    const lead = rng.chance(0.15) ? 0 : Math.min(MAX_LEAD_DAYS, 1 + Math.floor(rng.exponential(8)));
    let startAt = this.localTime(rng, location, dayStart + lead * DAY_MS, 9, 18);
    if (startAt < createdAt + 30 * MINUTE_MS) startAt += DAY_MS;
    if (location.closedAt !== undefined && startAt >= location.closedAt) return;
    const staff = this.staff.filter(
      (s) => s.locationIds.includes(location.id) && (s.leftAt === undefined || startAt < s.leftAt),
    );
    const services = this.services.filter((s) => s.retiredAt === undefined || startAt < s.retiredAt);
    if (staff.length === 0 || services.length === 0) return;
    const member = rng.pick(staff);
    const service = rng.pick(services);
    const customer = this.bookingCustomer(rng, createdAt);

    const base: BookingFields = {
      status: 'ACCEPTED',
      startAt,
      locationId: location.id,
      customerId: customer.id,
      staffId: member.id,
      serviceVariationId: service.variationId,
      serviceVariationVersion: service.version,
      durationMinutes: service.durationMinutes,
    };
    const booking = newTimeline(id(rng, 14, LOWER), createdAt, this.style(rng), base);
    this.bookings.push(booking);
    const set = (at: number, status: BookingStatus) => addChange(booking, at, { status });
    const beforeStart = (ms: number) => Math.min(booking.createdAt + ms, startAt - MINUTE_MS);

    let roll = rng.next();
    if ((roll -= o.cancellationShare) < 0) {
      set(booking.createdAt + rng.next() * (startAt - booking.createdAt), rng.chance(0.75) ? 'CANCELLED_BY_CUSTOMER' : 'CANCELLED_BY_SELLER');
    } else if ((roll -= o.noShowShare) < 0) {
      set(startAt + rng.int(30 * MINUTE_MS, 2 * DAY_MS), 'NO_SHOW');
    } else if ((roll -= 0.02) < 0) {
      booking.base.status = 'PENDING';
      set(beforeStart(rng.int(1, 12) * HOUR_MS), 'DECLINED');
    } else if ((roll -= 0.01) < 0) {
      booking.base.status = 'PENDING';
    } else {
      if (rng.chance(0.1)) {
        booking.base.status = 'PENDING';
        set(beforeStart(rng.int(1, 24) * HOUR_MS), 'ACCEPTED');
      }
      if (rng.chance(0.9)) {
        const paidAt = startAt + service.durationMinutes * MINUTE_MS + rng.int(0, 15 * MINUTE_MS);
        const staffId = rng.chance(0.85) ? member.id : undefined;
        this.pay(rng, paidAt, location, customer.id, staffId, service, rng.chance(o.lateCustomerShare));
      }
    }
  }

  /** A payment without an appointment: anonymous, an instant profile made from the card, or a regular. */
  private walkIn(rng: Random, location: LocationDef, dayStart: number): void {
    const at = this.localTime(rng, location, dayStart, 9, 19) + rng.int(0, 29 * MINUTE_MS);
    const services = this.services.filter((s) => s.retiredAt === undefined || at < s.retiredAt);
    if (services.length === 0) return;
    const roll = rng.next();
    let customerId: string | undefined;
    if (roll < 0.3) customerId = this.createCustomer(rng, at, 'INSTANT_PROFILE', false).id;
    else if (roll < 0.6) customerId = this.pickExisting(rng, at)?.id;
    const staff = this.staff.filter((s) => s.locationIds.includes(location.id) && (s.leftAt === undefined || at < s.leftAt));
    const staffId = staff.length > 0 && rng.chance(0.5) ? rng.pick(staff).id : undefined;
    this.pay(rng, at, location, customerId, staffId, rng.pick(services), false);
  }

  private pay(
    rng: Random,
    at: number,
    location: LocationDef,
    customerId: string | undefined,
    staffId: string | undefined,
    service: ServiceDef,
    lateCustomer: boolean,
  ): void {
    const o = this.options;
    const tipUnit = o.currency === 'JPY' ? 100 : 1;
    const tip = rng.chance(0.7) ? Math.round((service.priceMinor * (0.1 + 0.15 * rng.next())) / tipUnit) * tipUnit : 0;
    const base: PaymentFields = {
      amount: service.priceMinor,
      tip,
      currency: o.currency,
      status: 'COMPLETED',
      sourceType: rng.chance(0.85) ? 'CARD' : 'CASH',
      locationId: location.id,
      orderId: id(rng, 29, MIXED),
      customerId: lateCustomer ? undefined : customerId,
      staffId,
      serviceVariationId: service.variationId,
      refundIds: [],
      refunded: 0,
    };
    const payment = newTimeline(id(rng, 29, MIXED), at, this.style(rng), base);
    this.payments.push(payment);
    this.paymentById.set(payment.id, payment);
    if (lateCustomer && customerId) addChange(payment, at + rng.int(HOUR_MS, 2 * DAY_MS), { customerId });

    const roll = rng.next();
    let completedAt = payment.createdAt;
    if (roll < 0.04) {
      payment.base.status = 'FAILED';
      return;
    }
    if (roll < 0.14) {
      payment.base.status = 'APPROVED';
      completedAt = addChange(payment, at + rng.int(HOUR_MS, 36 * HOUR_MS), { status: 'COMPLETED' });
    } else if (traitOf(payment.id, 'split') < SPLIT_TENDER_SHARE) this.splitTender(payment, customerId);
    if (rng.chance(o.refundShare)) this.refund(rng, payment, completedAt + rng.int(1, 14) * DAY_MS + rng.int(0, DAY_MS));
  }

  /**
   * Split tender: the order is paid in two parts, the card part (with the tip) and the rest in cash,
   * two payments with one `order_id`. Derived from the payment's id: it draws nothing from the stream.
   */
  private splitTender(card: PaymentTimeline, customerId: string | undefined): void {
    const total = card.base.amount;
    // Whole hundreds of yen, whole cents elsewhere.
    const unit = this.options.currency === 'JPY' ? 100 : 1;
    const cardPart = Math.round((total * (40 + Math.floor(traitOf(card.id, 'part') * 40))) / 100 / unit) * unit;
    card.base.amount = cardPart;
    const cash = newTimeline<PaymentFields>(`${card.id.slice(0, 26)}CSH`, card.createdAt + 30_000, card.style, {
      ...card.base,
      amount: total - cardPart,
      tip: 0,
      sourceType: 'CASH',
      customerId,
      refundIds: [],
      refunded: 0,
    });
    this.payments.push(cash);
    this.paymentById.set(cash.id, cash);
  }

  private refund(rng: Random, payment: PaymentTimeline, at: number): void {
    const full = rng.chance(0.6);
    // Some full refunds give the tip back too: more than the payment's amount, at most its total.
    const withTip = full && payment.base.tip > 0 && traitOf(payment.id, 'tip-refund') < 0.5;
    const amount = withTip ? payment.base.amount + payment.base.tip : full ? payment.base.amount : Math.round(payment.base.amount / 2);
    const refund = newTimeline<RefundFields>(`${payment.id}_${id(rng, 13, MIXED)}`, at, this.style(rng), {
      status: 'PENDING',
      amount,
      currency: payment.base.currency,
      paymentId: payment.id,
      orderId: payment.base.orderId,
      locationId: payment.base.locationId,
      reason: rng.pick(REFUND_REASONS),
    });
    this.refunds.push(refund);
    addChange(payment, refund.createdAt, { refundIds: [refund.id] });
    const settledAt = refund.createdAt + rng.int(10 * MINUTE_MS, 2 * HOUR_MS);
    const roll = rng.next();
    if (roll < 0.9) {
      addChange(refund, settledAt, { status: 'COMPLETED' });
      addChange(payment, settledAt, { refunded: amount });
    } else {
      addChange(refund, settledAt, { status: roll < 0.95 ? 'FAILED' : 'REJECTED' });
    }
  }
}

function id(rng: Random, length: number, alphabet: string): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(rng.next() * alphabet.length)];
  return out;
}

/** Whole events for a rate: its integer part always, its fraction by chance. */
function count(rng: Random, mean: number): number {
  const whole = Math.floor(mean);
  return whole + (rng.chance(mean - whole) ? 1 : 0);
}

/** Share of completed payments that are one part of a split-tender order. */
const SPLIT_TENDER_SHARE = 0.05;

/** A stable number in [0, 1) from a record's id and a trait name (FNV-1a): traits that draw nothing. */
function traitOf(id: string, trait: string): number {
  let hash = 0x811c9dc5;
  const text = `${id}:${trait}`;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0) / 4294967296;
}

function daySeed(seed: number, day: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (day >>> 0), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
