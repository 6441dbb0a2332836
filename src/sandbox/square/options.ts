/** Knobs of the Square sandbox. Every default gives a small salon that a test fetches in well under a second. */

export interface SquareSandboxOptions {
  /** Same seed, same options, same `now` -> the same data, on every machine. */
  seed?: number;
  /** Roughly how many customer profiles exist at `now`. */
  customers?: number;
  /** 1-5 locations; with three or more, the third one is INACTIVE (closed part-way through history). */
  locations?: number;
  staff?: number;
  /** Service variations offered (1-9). */
  services?: number;
  /** Appointments booked per day per open location. */
  bookingsPerDay?: number;
  /** Days of history before `now`. */
  historyDays?: number;
  cancellationShare?: number;
  noShowShare?: number;
  /** Share of payments later refunded (fully or in part). */
  refundShare?: number;
  /** Share of appointment payments whose customer id is attached only later (hours to days). */
  lateCustomerShare?: number;
  /** Share of customers whose profile exists months before their first visit. */
  earlyProfileShare?: number;
  /** ISO 4217; JPY is zero-decimal, so its amounts are whole yen. */
  currency?: 'USD' | 'JPY' | 'EUR' | 'GBP' | 'CAD' | 'AUD';
  /** The sandbox clock at start (epoch ms); default the real time, which then keeps running. */
  now?: number;
  /** The only Bearer token accepted. */
  token?: string;
  /**
   * The OAuth scopes of the token. Absent: a personal access token, which has every scope and never
   * expires. Given: an OAuth access token with just these (RetrieveTokenStatus says so; a call without
   * its scope answers 403 INSUFFICIENT_SCOPES; ListBookings without APPOINTMENTS_ALL_READ lists only the
   * bookings this application created).
   */
  scopes?: string[];
  /** The seller account's id, in the token status and on every location. */
  merchantId?: string;
  /** How long a new or changed customer stays invisible to ListCustomers/SearchCustomers. */
  searchLagMs?: number;
  /** How long a new or changed payment or refund stays invisible to ListPayments/ListPaymentRefunds. */
  paymentLagMs?: number;
  /** Real milliseconds a cursor stays valid after it was issued. */
  cursorTtlMs?: number;
  /** Caps every page below the endpoint's own limit (Square's `limit` is advisory), so tests see many pages. */
  maxPageSize?: number;
  /** Requests per second before 429 RATE_LIMITED (no Retry-After); off by default. */
  rateLimitPerSecond?: number;
  port?: number;
  host?: string;
}

export type ResolvedSquareSandboxOptions = Required<Omit<SquareSandboxOptions, 'now' | 'maxPageSize' | 'rateLimitPerSecond' | 'scopes'>> &
  Pick<SquareSandboxOptions, 'now' | 'maxPageSize' | 'rateLimitPerSecond' | 'scopes'>;

export const DEFAULT_SANDBOX_TOKEN = 'square-sandbox-token';

/** Square's OAuth permissions: what a personal access token lists. */
export const ALL_SCOPES: readonly string[] = [
  'APPOINTMENTS_ALL_READ', 'APPOINTMENTS_ALL_WRITE', 'APPOINTMENTS_BUSINESS_SETTINGS_READ', 'APPOINTMENTS_READ',
  'APPOINTMENTS_WRITE', 'BANK_ACCOUNTS_READ', 'CASH_DRAWER_READ', 'CUSTOMERS_READ', 'CUSTOMERS_WRITE',
  'DEVICE_CREDENTIAL_MANAGEMENT', 'DISPUTES_READ', 'DISPUTES_WRITE', 'EMPLOYEES_READ', 'EMPLOYEES_WRITE',
  'GIFTCARDS_READ', 'GIFTCARDS_WRITE', 'INVENTORY_READ', 'INVENTORY_WRITE', 'INVOICES_READ', 'INVOICES_WRITE',
  'ITEMS_READ', 'ITEMS_WRITE', 'LOYALTY_READ', 'LOYALTY_WRITE', 'MERCHANT_PROFILE_READ', 'MERCHANT_PROFILE_WRITE',
  'ONLINE_STORE_SITE_READ', 'ONLINE_STORE_SNIPPETS_READ', 'ONLINE_STORE_SNIPPETS_WRITE', 'ORDERS_READ',
  'ORDERS_WRITE', 'PAYMENTS_READ', 'PAYMENTS_WRITE', 'PAYMENTS_WRITE_ADDITIONAL_RECIPIENTS',
  'PAYMENTS_WRITE_IN_PERSON', 'PAYOUTS_READ', 'RESERVATIONS_READ', 'RESERVATIONS_WRITE', 'SUBSCRIPTIONS_READ',
  'SUBSCRIPTIONS_WRITE', 'TIMECARDS_READ', 'TIMECARDS_SETTINGS_READ', 'TIMECARDS_SETTINGS_WRITE',
  'TIMECARDS_WRITE', 'VENDOR_READ', 'VENDOR_WRITE',
];

export function resolveOptions(options: SquareSandboxOptions = {}): ResolvedSquareSandboxOptions {
  return {
    seed: options.seed ?? 1,
    customers: options.customers ?? 300,
    locations: clamp(options.locations ?? 3, 1, 5),
    staff: Math.max(1, options.staff ?? 6),
    services: clamp(options.services ?? 9, 1, 9),
    bookingsPerDay: Math.max(0, options.bookingsPerDay ?? 6),
    historyDays: Math.max(1, options.historyDays ?? 120),
    cancellationShare: options.cancellationShare ?? 0.12,
    noShowShare: options.noShowShare ?? 0.05,
    refundShare: options.refundShare ?? 0.04,
    lateCustomerShare: options.lateCustomerShare ?? 0.1,
    earlyProfileShare: options.earlyProfileShare ?? 0.2,
    currency: options.currency ?? 'USD',
    now: options.now,
    token: options.token ?? DEFAULT_SANDBOX_TOKEN,
    scopes: options.scopes,
    merchantId: options.merchantId ?? 'MLSANDBOX00001',
    searchLagMs: options.searchLagMs ?? 30_000,
    paymentLagMs: options.paymentLagMs ?? 5_000,
    cursorTtlMs: options.cursorTtlMs ?? 5 * 60_000,
    maxPageSize: options.maxPageSize,
    rateLimitPerSecond: options.rateLimitPerSecond,
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(value)));
}
