/**
 * X-Series API 2.0 records as they arrive, as zod schemas written from Lightspeed's OpenAPI file for
 * API 2.0 (`Sale`, `Customer`, `Outlet`, `Register`, `User`, `Retailer` and the collection envelope):
 * the fields `ca` reads, with their types and enums; every other field is allowed and ignored. The
 * TypeScript types are inferred from the schemas. A record that does not match is a reject
 * (`../wireCheck.ts`), never a zero, a 1970 date or a completed sale.
 *
 * 2.0 facts that matter: a sale's `total_price` is tax exclusive and `total_tax` is the tax (there is
 * no `total_price_incl` and no `state`); `status` is one of the thirteen listed below. A response in
 * another version's shape (the date-based `2026.01` has `date` for `sale_date` and no `status`) fails.
 */
import { z } from 'zod';
import { isValidTimeZone } from '../../core/localTime.js';

/** A non-empty trimmed string, or undefined. */
export function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Epoch ms from `2017-01-19T16:49:35+00:00`, `…Z`, or the 0.9 form `2016-05-05 23:35:34` (UTC). */
export function time(value: unknown): number | undefined {
  const t = text(value);
  if (!t) return undefined;
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(t) ? `${t.replace(' ', 'T')}Z` : t;
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso)) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A time the schema has already accepted. */
export function timeOf(value: string): number {
  const ms = time(value);
  if (ms === undefined) throw new Error(`not a time: ${value}`);
  return ms;
}

const id = z.string().min(1);
/** The global change counter (int64; today's values fit a double exactly). */
const version = z.number().int().nonnegative();
const timestamp = z.string().refine((v) => time(v) !== undefined, { message: 'not a timestamp' });
const optionalText = z.string().nullish();
const deletedAt = timestamp.nullish();

/** `Sale.status` in the 2.0 file; anything else is not a 2.0 sale. */
export const SALE_STATUSES = [
  'SAVED',
  'CLOSED',
  'ONACCOUNT',
  'LAYBY',
  'ONACCOUNT_CLOSED',
  'LAYBY_CLOSED',
  'AWAITING_DISPATCH',
  'AWAITING_PICKUP',
  'DISPATCHED_CLOSED',
  'PICKED_UP_CLOSED',
  'VOIDED',
  'SERVICE',
  'SERVICE_CLOSED',
] as const;
export type SaleStatus = (typeof SALE_STATUSES)[number];

export const wireSale = z.looseObject({
  id,
  version,
  outlet_id: optionalText,
  register_id: optionalText,
  user_id: optionalText,
  customer_id: optionalText,
  /** `USER`, `SHOPIFY`, `ECOMMERCE`, `QUOTE`, … (free text in the file). */
  source: optionalText,
  status: z.enum(SALE_STATUSES),
  return_for: optionalText,
  /** Tax exclusive, in major units, with more decimals than the currency. */
  total_price: z.number(),
  total_tax: z.number(),
  /** The business time of the sale (UTC). */
  sale_date: timestamp,
  deleted_at: deletedAt,
});
export type WireSale = z.infer<typeof wireSale>;

export const wireCustomer = z.looseObject({
  id,
  version,
  customer_code: optionalText,
  first_name: optionalText,
  last_name: optionalText,
  /** Deprecated full name. */
  name: optionalText,
  company_name: optionalText,
  email: optionalText,
  phone: optionalText,
  mobile: optionalText,
  do_not_email: z.boolean().nullish(),
  created_at: timestamp.nullish(),
  deleted_at: deletedAt,
});
export type WireCustomer = z.infer<typeof wireCustomer>;

export const wireOutlet = z.looseObject({
  id,
  version,
  name: optionalText,
  time_zone: z.string().refine(isValidTimeZone, { message: 'not an IANA time zone' }).nullish(),
  /** The outlet's currency, where it has its own (a three-letter code). */
  currency: optionalText,
  /** Physical address, country code (two letters, `NZ`). */
  physical_country_id: optionalText,
  deleted_at: deletedAt,
});
export type WireOutlet = z.infer<typeof wireOutlet>;

export const wireRegister = z.looseObject({ id, version, outlet_id: optionalText, deleted_at: deletedAt });
export type WireRegister = z.infer<typeof wireRegister>;

export const wireUser = z.looseObject({
  id,
  version,
  display_name: optionalText,
  username: optionalText,
  email: optionalText,
  deleted_at: deletedAt,
});
export type WireUser = z.infer<typeof wireUser>;

export const wireRetailer = z.looseObject({
  id,
  domain_prefix: optionalText,
  currency: z.looseObject({ code: z.string().regex(/^[A-Za-z]{3}$/, { message: 'not an ISO 4217 code' }) }),
  /** Two-letter country code of the retailer. */
  country: optionalText,
  /** Not in the 2.0 file; read where a retailer names its default (walk-in) customer. */
  default_customer_id: optionalText,
});
export type WireRetailer = z.infer<typeof wireRetailer>;

/** `{"data": [...], "version": {"min", "max"}}`; `min`/`max` are null on an empty page. */
export const wireCollection = z.looseObject({
  data: z.array(z.unknown()),
  version: z.looseObject({ min: z.number().int().nullish(), max: z.number().int().nullish() }).nullish(),
});

/** `{"data": {...}}`. */
export const wireSingle = z.looseObject({ data: z.unknown() });

/** Each stream's record schema. */
export const STREAM_SCHEMAS = {
  outlets: wireOutlet,
  registers: wireRegister,
  users: wireUser,
  customers: wireCustomer,
  sales: wireSale,
} as const;
