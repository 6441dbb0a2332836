/**
 * What the Lightspeed X-Series sandbox can be asked to generate and how it reads the parts of the API
 * that the spec leaves NOT CONFIRMED (each such reading is a switch, so the client is tested on all).
 * By default every record has the shape of Lightspeed's API 2.0 OpenAPI file; other shapes (the
 * undocumented `total_price_incl`, the newer `state`, the date-based `2026.01` sale) only when asked.
 */

export interface LightspeedSandboxOptions {
  port?: number;
  /** Same seed, same data, on every machine. */
  seed?: number;
  /** The personal token the sandbox accepts as `Authorization: Bearer <token>`. */
  token?: string;
  /** The sandbox's clock (epoch ms); history ends here. Default: the real time at start. */
  now?: number;
  /** Days of history generated before `now`. */
  historyDays?: number;
  /** Customers generated over the initial history (40 % exist before it starts). */
  customers?: number;
  /** New customers per day during `advance` (default: the history's rate). */
  newCustomersPerDay?: number;
  outlets?: number;
  registersPerOutlet?: number;
  users?: number;
  /** Mean sales per day over all outlets. */
  salesPerDay?: number;
  /** Share of in-store sales without a customer. */
  walkInShare?: number;
  /** Share of sales made by the e-commerce channel (`source: ECOMMERCE`). */
  onlineShare?: number;
  parkedShare?: number;
  laybyShare?: number;
  onAccountShare?: number;
  voidShare?: number;
  /** Share of completed sales that are later (partly) returned. */
  returnShare?: number;
  /** Customers edited per day (contact details, opt-outs). */
  customerEditsPerDay?: number;
  /** Customers deleted per day. */
  customerDeletesPerDay?: number;
  /** ISO 4217; money on the wire is in its major unit. */
  currency?: string;

  /** NOT CONFIRMED readings. */
  /** Walk-in sales: `none` = no customer_id; `default-customer` = the id of a WALKIN customer record. */
  walkIn?: 'none' | 'default-customer';
  /** Null fields: left out of the JSON (`omit`) or sent as `null`. */
  nullFields?: 'omit' | 'null';
  /** Whether `/sales` honours `deleted=true` (tombstones of deleted sales) or ignores it, as the 2.0 file (which lists no `deleted` there) says. */
  salesDeleted?: 'honoured' | 'ignored';
  /** Whether sales carry the newer `state` next to `status` (not in the 2.0 file). */
  saleState?: boolean;
  /** Whether sales carry the undocumented `total_price_incl` (not in the 2.0 file). */
  totalPriceIncl?: boolean;
  /**
   * The shape `/api/2.0/sales` answers in: `2.0`, or the date-based `2026.01` (`date` instead of
   * `sale_date`, no `status`), as a version at its end of life may be answered by another version.
   */
  salesShape?: '2.0' | '2026.01';
  /** OAuth scopes the token has (`sales:read`, `users:read`, …); a read without its scope answers 403. Default: all. */
  scopes?: string[];
  /** `page_size` used when the request gives none. */
  defaultPageSize?: number;
  /** Largest `page_size` served. */
  maxPageSize?: number;
  /** A larger `page_size` is cut to the maximum (`clamp`) or refused with 400 (`reject`). */
  overMaxPageSize?: 'clamp' | 'reject';

  /** Rate limit: `perRegister × registers + base` requests per window. */
  rateLimit?: {
    windowMs?: number;
    perRegister?: number;
    base?: number;
    /** `fixed`: the window starts with the first request after the last one ended; `sliding`: a log of the last window. */
    mode?: 'fixed' | 'sliding';
    enabled?: boolean;
  };
  /** Wall clock for the rate limiter (tests may drive it). */
  clock?: () => number;
}

export type ResolvedSandboxOptions = Required<Omit<LightspeedSandboxOptions, 'rateLimit' | 'port' | 'newCustomersPerDay' | 'scopes'>> & {
  newCustomersPerDay: number;
  /** Undefined: every scope. */
  scopes?: readonly string[];
  rateLimit: Required<NonNullable<LightspeedSandboxOptions['rateLimit']>>;
};

export function resolveSandboxOptions(options: LightspeedSandboxOptions = {}): ResolvedSandboxOptions {
  const historyDays = options.historyDays ?? 365;
  const customers = options.customers ?? 2_000;
  return {
    seed: options.seed ?? 1,
    token: options.token ?? 'sandbox-lightspeed-token',
    now: Math.floor((options.now ?? Date.now()) / 1000) * 1000,
    historyDays,
    customers,
    newCustomersPerDay: options.newCustomersPerDay ?? (customers * 0.6) / Math.max(1, historyDays),
    outlets: options.outlets ?? 3,
    registersPerOutlet: options.registersPerOutlet ?? 1,
    users: options.users ?? 6,
    salesPerDay: options.salesPerDay ?? 60,
    walkInShare: options.walkInShare ?? 0.3,
    onlineShare: options.onlineShare ?? 0.05,
    parkedShare: options.parkedShare ?? 0.03,
    laybyShare: options.laybyShare ?? 0.02,
    onAccountShare: options.onAccountShare ?? 0.02,
    voidShare: options.voidShare ?? 0.02,
    returnShare: options.returnShare ?? 0.04,
    customerEditsPerDay: options.customerEditsPerDay ?? 2,
    customerDeletesPerDay: options.customerDeletesPerDay ?? 0.3,
    currency: options.currency ?? 'NZD',
    walkIn: options.walkIn ?? 'none',
    nullFields: options.nullFields ?? 'omit',
    salesDeleted: options.salesDeleted ?? 'ignored',
    saleState: options.saleState ?? false,
    totalPriceIncl: options.totalPriceIncl ?? false,
    salesShape: options.salesShape ?? '2.0',
    scopes: options.scopes,
    defaultPageSize: options.defaultPageSize ?? 100,
    maxPageSize: options.maxPageSize ?? 200,
    overMaxPageSize: options.overMaxPageSize ?? 'clamp',
    rateLimit: {
      windowMs: options.rateLimit?.windowMs ?? 300_000,
      perRegister: options.rateLimit?.perRegister ?? 300,
      base: options.rateLimit?.base ?? 50,
      mode: options.rateLimit?.mode ?? 'fixed',
      enabled: options.rateLimit?.enabled ?? true,
    },
    clock: options.clock ?? Date.now,
  };
}
