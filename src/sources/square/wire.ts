/**
 * Square's objects as they arrive, as zod schemas written from Square's OpenAPI file (release
 * 2025-08-20): `Customer`, `Payment`, `PaymentRefund`, `Booking`, `Location`, `TeamMember`,
 * `CatalogObject`, the list envelopes and RetrieveTokenStatus. Only the fields `ca` reads are
 * described, with their types and enums; every other field is allowed and ignored. The TypeScript
 * types are inferred from the schemas. A record that does not match is a reject (`../wireCheck.ts`).
 *
 * Money is `{amount, currency}` in the currency's smallest unit. A payment's `amount_money` excludes
 * the tip (`tip_money`); `total_money` = amount + tip; a refund's `amount_money` may reach the
 * payment's `total_money`, so a refund can give back a tip. Several payments may share one `order_id`
 * (split tender).
 */
import { z } from 'zod';
import { BOOKING_STATUSES } from '../../core/model.js';
import { isValidTimeZone } from '../../core/localTime.js';
import { parseSquareTime } from './squareTime.js';

const id = z.string().min(1);
const optionalText = z.string().nullish();
/** RFC 3339, with or without fractional seconds. */
const timestamp = z.string().refine((v) => parseSquareTime(v) !== undefined, { message: 'not an RFC 3339 timestamp' });

export const squareMoney = z.looseObject({
  amount: z.number().int(),
  currency: z.string().regex(/^[A-Z]{3}$/, { message: 'not an ISO 4217 code' }),
});
export type SquareMoney = z.infer<typeof squareMoney>;

export const squareCustomer = z.looseObject({
  id,
  created_at: timestamp,
  updated_at: timestamp.optional(),
  given_name: optionalText,
  family_name: optionalText,
  company_name: optionalText,
  email_address: optionalText,
  phone_number: optionalText,
  preferences: z.looseObject({ email_unsubscribed: z.boolean().nullish() }).nullish(),
  version: z.number().int().optional(),
});
export type SquareCustomer = z.infer<typeof squareCustomer>;

export const PAYMENT_STATUSES = ['APPROVED', 'PENDING', 'COMPLETED', 'CANCELED', 'FAILED'] as const;

export const squarePayment = z.looseObject({
  id,
  created_at: timestamp,
  updated_at: timestamp.optional(),
  /** Excludes the tip. */
  amount_money: squareMoney,
  tip_money: squareMoney.nullish(),
  /** amount + tip. */
  total_money: squareMoney.optional(),
  refunded_money: squareMoney.nullish(),
  status: z.enum(PAYMENT_STATUSES),
  location_id: optionalText,
  /** Payments sharing it are one purchase paid in parts (split tender). */
  order_id: optionalText,
  customer_id: optionalText,
  team_member_id: optionalText,
});
export type SquarePayment = z.infer<typeof squarePayment>;

export const REFUND_STATUSES = ['PENDING', 'COMPLETED', 'REJECTED', 'FAILED'] as const;

export const squareRefund = z.looseObject({
  id,
  status: z.enum(REFUND_STATUSES),
  /** Whole, as given back: it may include (part of) the payment's tip. */
  amount_money: squareMoney,
  payment_id: optionalText,
  order_id: optionalText,
  location_id: optionalText,
  created_at: timestamp,
  updated_at: timestamp.optional(),
});
export type SquareRefund = z.infer<typeof squareRefund>;

export const squareAppointmentSegment = z.looseObject({
  team_member_id: z.string(),
  service_variation_id: optionalText,
});

export const squareBooking = z.looseObject({
  id,
  version: z.number().int().optional(),
  status: z.enum(BOOKING_STATUSES),
  created_at: timestamp.optional(),
  updated_at: timestamp.optional(),
  start_at: timestamp,
  location_id: optionalText,
  customer_id: optionalText,
  appointment_segments: z.array(squareAppointmentSegment).nullish(),
});
export type SquareBooking = z.infer<typeof squareBooking>;

export const squareLocation = z.looseObject({
  id,
  name: optionalText,
  timezone: z.string().refine(isValidTimeZone, { message: 'not an IANA time zone' }).nullish(),
  status: z.enum(['ACTIVE', 'INACTIVE']).nullish(),
  /** ISO 3166-1 alpha-2. */
  country: z.string().regex(/^[A-Z]{2}$/, { message: 'not an ISO 3166 country code' }).nullish(),
  currency: optionalText,
  merchant_id: optionalText,
  business_name: optionalText,
});
export type SquareLocation = z.infer<typeof squareLocation>;

export const squareTeamMember = z.looseObject({ id, given_name: optionalText, family_name: optionalText });
export type SquareTeamMember = z.infer<typeof squareTeamMember>;

export const CATALOG_OBJECT_TYPES = [
  'ITEM',
  'IMAGE',
  'CATEGORY',
  'ITEM_VARIATION',
  'TAX',
  'DISCOUNT',
  'MODIFIER_LIST',
  'MODIFIER',
  'PRICING_RULE',
  'PRODUCT_SET',
  'TIME_PERIOD',
  'MEASUREMENT_UNIT',
  'SUBSCRIPTION_PLAN_VARIATION',
  'ITEM_OPTION',
  'ITEM_OPTION_VAL',
  'CUSTOM_ATTRIBUTE_DEFINITION',
  'QUICK_AMOUNTS_SETTINGS',
  'SUBSCRIPTION_PLAN',
  'AVAILABILITY_PERIOD',
] as const;

export const squareCatalogObject = z.looseObject({
  type: z.enum(CATALOG_OBJECT_TYPES),
  id,
  is_deleted: z.boolean().nullish(),
  item_data: z.looseObject({ name: optionalText }).nullish(),
  item_variation_data: z.looseObject({ item_id: optionalText, name: optionalText }).nullish(),
});
export type SquareCatalogObject = z.infer<typeof squareCatalogObject>;

export const squareError = z.looseObject({
  category: z.string(),
  code: z.string(),
  detail: z.string().optional(),
  field: z.string().optional(),
});
export type SquareErrorItem = z.infer<typeof squareError>;

/** A list answer: `{<key>: [...], cursor?}`; `{}` when there is nothing (no list, no cursor). */
export function squareList<K extends string>(key: K) {
  return z.looseObject({
    [key]: z.array(z.unknown()).optional(),
    cursor: z.string().nullish(),
    errors: z.array(squareError).optional(),
  } as { [P in K]: z.ZodOptional<z.ZodArray<z.ZodUnknown>> } & {
    cursor: z.ZodOptional<z.ZodNullable<z.ZodString>>;
    errors: z.ZodOptional<z.ZodArray<typeof squareError>>;
  });
}

/** BulkRetrieveCustomers: per requested id, the customer or the errors. */
export const squareBulkCustomers = z.looseObject({
  responses: z.record(z.string(), z.looseObject({ customer: z.unknown().optional(), errors: z.array(squareError).optional() })).optional(),
});

/** RetrieveCustomer. */
export const squareRetrievedCustomer = z.looseObject({ customer: z.unknown() });

/**
 * RetrieveTokenStatus (`POST /oauth2/token/status`): an OAuth access token lists the scopes it was
 * granted and when it expires; a personal access token lists every scope and never expires.
 */
export const squareTokenStatus = z.looseObject({
  scopes: z.array(z.string()).optional(),
  expires_at: z.string().optional(),
  client_id: z.string().optional(),
  merchant_id: z.string().optional(),
});
export type SquareTokenStatus = z.infer<typeof squareTokenStatus>;
