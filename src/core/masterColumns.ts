/**
 * The master's contract columns, in order (docs/columns.md defines each). Types drive CSV formatting,
 * `ca check`, and the PostgreSQL column types. New columns go at the end; nothing here is renamed or
 * reordered without a major version.
 */
export type MasterColumnType = 'text' | 'list' | 'phone' | 'timestamp' | 'integer' | 'money' | 'number' | 'boolean';

export interface MasterColumn {
  name: string;
  type: MasterColumnType;
}

const c = (name: string, type: MasterColumnType): MasterColumn => ({ name, type });

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

export const MASTER_COLUMNS: readonly MasterColumn[] = [
  c('customer_id', 'text'),
  c('lightspeed_customer_ids', 'list'),
  c('square_customer_ids', 'list'),
  c('ecom_customer_keys', 'list'),
  c('first_name', 'text'),
  c('last_name', 'text'),
  c('company', 'text'),
  c('email', 'text'),
  c('phone', 'phone'),
  c('email_opt_out', 'boolean'),
  c('customer_since', 'timestamp'),
  c('first_order_at', 'timestamp'),
  c('last_order_at', 'timestamp'),
  c('first_order_channel', 'text'),
  c('first_order_location', 'text'),
  c('first_order_source', 'text'),
  c('orders_count', 'integer'),
  c('in_store_orders', 'integer'),
  c('online_orders', 'integer'),
  c('appointment_orders', 'integer'),
  c('gross_revenue', 'money'),
  c('refunds', 'money'),
  c('net_revenue', 'money'),
  c('avg_order_value', 'money'),
  c('tips_total', 'money'),
  c('currency', 'text'),
  c('orders_last_365d', 'integer'),
  c('revenue_last_365d', 'money'),
  c('days_since_last_order', 'integer'),
  c('avg_days_between_orders', 'number'),
  c('first_booking_at', 'timestamp'),
  c('last_booking_at', 'timestamp'),
  c('next_booking_at', 'timestamp'),
  c('accepted_bookings', 'integer'),
  c('cancelled_by_customer', 'integer'),
  c('cancelled_by_seller', 'integer'),
  c('no_shows', 'integer'),
  c('preferred_staff', 'text'),
  c('preferred_service', 'text'),
  c('distinct_locations', 'integer'),
  c('lifecycle_segment', 'text'),
  c('value_tier', 'text'),
  c('rfm_score', 'text'),
  c('rfm_segment', 'text'),
  c('is_repeat_customer', 'boolean'),
  c('is_first_time_buyer', 'boolean'),
  c('p_alive', 'number'),
  c('expected_orders_12m', 'number'),
  c('predicted_clv_12m', 'money'),
  c('sources', 'list'),
];

export const MASTER_COLUMN_NAMES: readonly string[] = MASTER_COLUMNS.map((column) => column.name);

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

export const DAILY_REPORT_COLUMNS = [
  'date',
  'location',
  'orders',
  'revenue',
  'unique_customers',
  'new_customers',
  'returning_customers',
  'accepted_bookings',
  'cancellations',
  'no_shows',
  // Added by ca: the currency of `revenue` (several, `;`-separated, with `revenue` empty, where a day's
  // purchases at a location were in more than one).
  'currency',
] as const;
