/**
 * The master's contract columns, in order, declared once: name, type, decimals, the part of compute
 * that fills it and its one-line definition. From this list come the CSV and workbook writers, `ca
 * check`, the PostgreSQL columns and the column table of docs/metrics.md (`npm run docs:columns`
 * writes it; a test holds the two equal). New columns go at the end; nothing here is renamed or
 * reordered without a major version.
 */
import { SOURCES, type SourceName } from './model.js';

export type MasterColumnType = 'text' | 'list' | 'phone' | 'timestamp' | 'integer' | 'money' | 'number' | 'boolean';

/** The part of compute that fills a column (src/core/compute.ts; predictions: src/core/clv/). */
export type MasterPart = 'identity' | 'contact' | 'orders' | 'bookings' | 'segments' | 'predictions';

export interface MasterColumn {
  name: string;
  type: MasterColumnType;
  /** For `number`: decimals written (fixed). Money has its currency's decimals. */
  decimals?: number;
  part: MasterPart;
  /** One line, Markdown, as docs/metrics.md shows it. */
  definition: string;
}

const c = (name: string, type: MasterColumnType, part: MasterPart, definition: string, decimals?: number): MasterColumn =>
  decimals === undefined ? { name, type, part, definition } : { name, type, part, definition, decimals };

/**
 * Version 2 (issue 16) changed how cells are written, not which columns there are: times without the
 * `Z` (still UTC), phones in international format with spaces, numbers with a fixed count of decimals,
 * cells holding `;` or a tab quoted. MASTER_SCHEMA_NOTE says so in the meta file.
 */
export const MASTER_SCHEMA_VERSION = 2;
export const MASTER_SCHEMA_NOTE =
  '2: times in UTC written without the Z (2025-06-02T19:47:31), phones in international format with spaces, ' +
  'numbers with a fixed count of decimals, cells holding ; or a tab quoted, so spreadsheets read them right; ' +
  '1: times with Z, phones in E.164';

/** Per source: the master column that lists the source's customer records merged into a row. */
export const SOURCE_LIST_COLUMN = {
  lightspeed: 'lightspeed_customer_ids',
  square: 'square_customer_ids',
  ecom: 'ecom_customer_keys',
} as const satisfies Record<SourceName, string>;

const CONTACT_RULE = 'over the records in source order, newest first ([Identity](#identity))';

export const MASTER_COLUMNS: readonly MasterColumn[] = [
  c('customer_id', 'text', 'identity', '`c_` and 16 hex digits of SHA-256 over `source:id` of the customer\'s **oldest** source record (earliest creation time; ties by source order lightspeed, square, ecom, then id). The same source records give the same key in every run; when two customers merge, the key of the older one survives.'),
  c(SOURCE_LIST_COLUMN.lightspeed, 'list', 'identity', 'the Lightspeed Retail customer ids merged into this row, sorted, `;`-separated'),
  c(SOURCE_LIST_COLUMN.square, 'list', 'identity', 'the Square customer ids merged into this row, sorted, `;`-separated'),
  c(SOURCE_LIST_COLUMN.ecom, 'list', 'identity', 'the eCom customer keys merged into this row, sorted, `;`-separated'),
  c('first_name', 'text', 'contact', `the first non-empty first name ${CONTACT_RULE}`),
  c('last_name', 'text', 'contact', `the first non-empty last name ${CONTACT_RULE}`),
  c('company', 'text', 'contact', `the first non-empty company ${CONTACT_RULE}`),
  c('email', 'text', 'contact', `the first non-empty e-mail address ${CONTACT_RULE}, lower-cased`),
  c('phone', 'phone', 'contact', `the first usable phone ${CONTACT_RULE}: the phone field or, where it is empty, the mobile, in E.164 (\`+14155550123\`, written \`+1 415 555 0123\`, see [below](#opening-the-master-in-a-spreadsheet)); a number that cannot be read as a valid number (see **Phones**) is kept as written, and only when no record of the customer has a usable one`),
  c('email_opt_out', 'boolean', 'contact', '`true` when any source record says the customer does not want marketing e-mail (Lightspeed `do_not_email`, Square `preferences.email_unsubscribed`)'),
  c('customer_since', 'timestamp', 'contact', 'earliest creation time of any of its source records (for eCom customers, their earliest order)'),
  c('first_order_at', 'timestamp', 'orders', 'time of the first purchase'),
  c('last_order_at', 'timestamp', 'orders', 'time of the last purchase'),
  c('first_order_channel', 'text', 'orders', '`in_store` (Lightspeed Retail), `online` (eCom, and Lightspeed sales whose `source` is an online shop), `appointment` (Square)'),
  c('first_order_location', 'text', 'orders', 'the outlet or location name of the first purchase'),
  c('first_order_source', 'text', 'orders', 'the campaign, referrer or shop link of the first purchase, where the source records one (eCom mapping field `source`)'),
  c('orders_count', 'integer', 'orders', 'number of purchases (payments of one order are one purchase)'),
  c('in_store_orders', 'integer', 'orders', '`orders_count` in the `in_store` channel'),
  c('online_orders', 'integer', 'orders', '`orders_count` in the `online` channel'),
  c('appointment_orders', 'integer', 'orders', '`orders_count` in the `appointment` channel'),
  c('gross_revenue', 'money', 'orders', 'sum of the purchases\' amounts'),
  c('refunds', 'money', 'orders', 'money given back: returns and refunds (as positive amounts), without the part of a refund that gave back a tip'),
  c('net_revenue', 'money', 'orders', '`gross_revenue - refunds` = historical lifetime value'),
  c('avg_order_value', 'money', 'orders', '`net_revenue / orders_count` (empty without purchases)'),
  c('tips_total', 'money', 'orders', 'tips on the customer\'s Square payments, minus tips given back by refunds'),
  c('currency', 'text', 'orders', 'ISO 4217 code of the customer\'s money (purchases, returns, refunds). A customer whose money is in more than one currency has every money column empty, and `currency` lists them all, sorted: `AUD;NZD` ([Currencies](#currencies))'),
  c('orders_last_365d', 'integer', 'orders', 'purchases in the 365 days before the as-of time'),
  c('revenue_last_365d', 'money', 'orders', 'purchases in those 365 days minus returns and refunds dated in them'),
  c('days_since_last_order', 'integer', 'orders', 'whole days from `last_order_at` to the as-of time'),
  c('avg_days_between_orders', 'number', 'orders', '`(last_order_at - first_order_at) / (orders_count - 1)` in days, one decimal; empty below two purchases', 1),
  c('first_booking_at', 'timestamp', 'bookings', 'start of the first `ACCEPTED` appointment that started before the as-of time'),
  c('last_booking_at', 'timestamp', 'bookings', 'start of the last `ACCEPTED` appointment that started before the as-of time'),
  c('next_booking_at', 'timestamp', 'bookings', 'start of the next `ACCEPTED` appointment after the as-of time'),
  c('accepted_bookings', 'integer', 'bookings', '`ACCEPTED` appointments that started before the as-of time'),
  c('cancelled_by_customer', 'integer', 'bookings', 'appointments with status `CANCELLED_BY_CUSTOMER`, whenever booked'),
  c('cancelled_by_seller', 'integer', 'bookings', 'appointments with status `CANCELLED_BY_SELLER`, whenever booked'),
  c('no_shows', 'integer', 'bookings', 'appointments with status `NO_SHOW`, whenever booked'),
  c('preferred_staff', 'text', 'bookings', 'the team member of most past `ACCEPTED` appointments; without appointments, the sales person of most in-store purchases; ties go to the most recent'),
  c('preferred_service', 'text', 'bookings', 'the service of most past `ACCEPTED` appointments'),
  c('distinct_locations', 'integer', 'bookings', 'locations where the customer bought or had a past `ACCEPTED` appointment'),
  c('lifecycle_segment', 'text', 'segments', '`PROSPECT`, `NEW`, `ACTIVE`, `AT_RISK` or `LOST`, by days since the first and last purchase ([Segments](#segments))'),
  c('value_tier', 'text', 'segments', '`VIP`, `HIGH`, `MEDIUM` or `LOW` by `net_revenue` among the buyers in the same currency; empty for prospects ([Segments](#segments))'),
  c('rfm_score', 'text', 'segments', 'three digits 1–5 for recency, frequency and monetary value; empty for prospects ([Segments](#segments))'),
  c('rfm_segment', 'text', 'segments', 'the segment of the recency and frequency scores, such as `champions` ([Segments](#segments))'),
  c('is_repeat_customer', 'boolean', 'orders', 'more than one purchase'),
  c('is_first_time_buyer', 'boolean', 'orders', 'exactly one purchase'),
  c('p_alive', 'number', 'predictions', 'probability that the customer is still a customer (the purchase model: BG/NBD, MBG/NBD, Pareto/NBD or their NBD limit)', 4),
  c('expected_orders_12m', 'number', 'predictions', 'expected purchases in the next `clv.horizonMonths` (12) months (the purchase model)', 4),
  c('predicted_clv_12m', 'money', 'predictions', 'expected spend over that horizon: expected purchases per month × expected average spend (Gamma-Gamma), discounted monthly at `clv.monthlyDiscountRate` (1 %); the spend model is fitted per currency on that currency\'s buyers, and the column is empty for a customer whose money is in more than one currency'),
  c('sources', 'list', 'identity', `where this customer was seen, in the order \`${SOURCES.join(';')}\``),
];

export const MASTER_COLUMN_NAMES: readonly string[] = MASTER_COLUMNS.map((column) => column.name);

/** The master columns as the table docs/metrics.md shows them. */
export function masterColumnsMarkdown(): string {
  const rows = MASTER_COLUMNS.map((column) => `| \`${column.name}\` | ${column.type} | ${column.definition.replace(/\|/g, '\\|')} |`);
  return ['| column | type | meaning |', '| --- | --- | --- |', ...rows].join('\n') + '\n';
}

/**
 * `names` with those of `order` first, in that order (VIP, HIGH, MEDIUM, LOW; the lifecycle's), then the
 * others as they come, each once: how the report, `ca stats` and `ca check` list tiers and segments.
 */
export function inDeclaredOrder(names: Iterable<string>, order: readonly string[]): string[] {
  const present = new Set(names);
  return [...order.filter((name) => present.has(name)), ...[...present].filter((name) => !order.includes(name))];
}

export const LIFECYCLE_SEGMENTS = ['PROSPECT', 'NEW', 'ACTIVE', 'AT_RISK', 'LOST'] as const;
export const VALUE_TIERS = ['VIP', 'HIGH', 'MEDIUM', 'LOW'] as const;
export const RFM_SEGMENTS = [
  'champions',
  'loyal_customers',
  'potential_loyalists',
  'new_customers',
  'promising',
  'need_attention',
  'about_to_sleep',
  'cant_lose',
  'at_risk',
  'hibernating',
] as const;

/** The reports' columns, with the types the PostgreSQL export gives them. */
export type ReportColumnType = MasterColumnType | 'date';

export const DAILY_REPORT_COLUMNS = [
  { name: 'date', type: 'date' },
  { name: 'location', type: 'text' },
  { name: 'orders', type: 'integer' },
  { name: 'revenue', type: 'money' },
  { name: 'unique_customers', type: 'integer' },
  { name: 'new_customers', type: 'integer' },
  { name: 'returning_customers', type: 'integer' },
  { name: 'accepted_bookings', type: 'integer' },
  { name: 'cancellations', type: 'integer' },
  { name: 'no_shows', type: 'integer' },
  // Added by ca: the currency of `revenue` (several, `;`-separated, with `revenue` empty, where a day's
  // purchases at a location were in more than one).
  { name: 'currency', type: 'text' },
] as const satisfies readonly { name: string; type: ReportColumnType }[];

export const COHORT_REPORT_COLUMNS = ['cohort', 'months_since', 'cohort_customers', 'active_customers', 'retention', 'revenue', 'currency'] as const;

/** first_time_buyers.csv and its workbook sheet. */
export const FIRST_TIME_BUYER_COLUMNS = [
  { name: 'customer_id', type: 'text' },
  { name: 'first_name', type: 'text' },
  { name: 'last_name', type: 'text' },
  { name: 'email', type: 'text' },
  { name: 'phone', type: 'phone' },
  { name: 'first_order_at', type: 'timestamp' },
  { name: 'first_order_channel', type: 'text' },
  { name: 'first_order_location', type: 'text' },
  { name: 'first_order_amount', type: 'money' },
  { name: 'has_returned', type: 'boolean' },
  { name: 'second_order_at', type: 'timestamp' },
  { name: 'source', type: 'text' },
] as const satisfies readonly { name: string; type: MasterColumnType }[];
