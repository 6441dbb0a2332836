/**
 * X-Series API 2.0 records as they arrive, and tolerant readers for their fields: null and absent
 * fields are the same thing, numbers may come as strings, times may come in the 0.9 format.
 */

export interface WireRecord {
  id: string;
  version: number;
  deleted_at?: string | null;
  [field: string]: unknown;
}

export interface WireCustomer extends WireRecord {
  customer_code?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  name?: string | null;
  company_name?: string | null;
  email?: string | null;
  phone?: string | null;
  mobile?: string | null;
  do_not_email?: boolean | string | number | null;
  created_at?: string | null;
}

export interface WireSale extends WireRecord {
  outlet_id?: string | null;
  register_id?: string | null;
  user_id?: string | null;
  customer_id?: string | null;
  status?: string | null;
  state?: string | null;
  source?: string | null;
  sale_date?: string | null;
  created_at?: string | null;
  total_price?: number | string | null;
  total_tax?: number | string | null;
  total_price_incl?: number | string | null;
  return_for?: string | null;
}

export interface WirePage<T> {
  data?: T[];
  version?: { min?: number | null; max?: number | null } | null;
}

/** A non-empty trimmed string, or undefined. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

export function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === '1' || value === 'true') return true;
  if (value === 0 || value === '0' || value === 'false') return false;
  return undefined;
}

export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** Epoch ms from `2017-01-19T16:49:35+00:00`, `…Z`, or the 0.9 form `2016-05-05 23:35:34` (UTC). */
export function time(value: unknown): number | undefined {
  const t = text(value);
  if (!t) return undefined;
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(t) ? `${t.replace(' ', 'T')}Z` : t;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}
