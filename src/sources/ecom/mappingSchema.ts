/**
 * The mapping file that tells the importer which column of an e-commerce orders export holds what.
 * Exports differ per shop system and per back-office language, and Lightspeed's own order-export
 * columns are not documented, so nothing about the columns is hard-coded (docs/import-ecom.md).
 */
import { z } from 'zod';
import { isValidTimeZone } from '../../core/localTime.js';

/** One header, or several alternatives tried in order (exports are localised). */
const columnRef = z.union([z.string().trim().min(1), z.array(z.string().trim().min(1)).min(1)]);

export const COLUMN_FIELDS = [
  'order_id',
  'ordered_at',
  'customer_id',
  'email',
  'first_name',
  'last_name',
  'company',
  'phone',
  'mobile',
  'order_total',
  'quantity',
  'unit_price',
  'line_total',
  'status',
  'currency',
  'location',
  'source',
] as const;
export type ColumnField = (typeof COLUMN_FIELDS)[number];

const optionalColumn = columnRef.optional();
const columnsSchema = z.strictObject({
  order_id: columnRef,
  ordered_at: columnRef,
  customer_id: optionalColumn,
  email: optionalColumn,
  first_name: optionalColumn,
  last_name: optionalColumn,
  company: optionalColumn,
  phone: optionalColumn,
  mobile: optionalColumn,
  order_total: optionalColumn,
  quantity: optionalColumn,
  unit_price: optionalColumn,
  line_total: optionalColumn,
  status: optionalColumn,
  currency: optionalColumn,
  location: optionalColumn,
  source: optionalColumn,
});

const currencyCode = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 4217 code')
  .transform((code) => code.toUpperCase());

export const ENCODINGS = ['utf-8', 'windows-1252', 'utf-16le'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export const ecomMappingSchema = z
  .strictObject({
    /** Free text for people (where the mapping comes from, how sure it is). */
    note: z.string().optional(),
    columns: columnsSchema,
    /** `iso`, a date-fns format string, or several tried in order. */
    date_format: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).default('iso'),
    time_zone: z
      .string()
      .refine(isValidTimeZone, { message: 'is not an IANA time zone (e.g. Europe/Amsterdam)' })
      .default('UTC'),
    /** `auto`: a decimal comma when the delimiter is a semicolon, a point otherwise. */
    decimal: z.enum(['.', ',', 'auto']).default('auto'),
    delimiter: z.enum([',', ';', '\t', 'tab']).optional(),
    default_currency: currencyCode.optional(),
    cancelled_statuses: z.array(z.string()).default(['cancelled', 'canceled']),
    /** Orders not yet paid or still on hold: kept, but they are not purchases. */
    open_statuses: z.array(z.string()).default([]),
    line_level: z.union([z.boolean(), z.literal('auto')]).default('auto'),
    encoding: z.enum(ENCODINGS).default('utf-8'),
    /** Location for orders whose row names none (most web shops have one). */
    default_location: z.string().trim().min(1).optional(),
  })
  .superRefine((mapping, ctx) => {
    const c = mapping.columns;
    if (c.quantity !== undefined && c.unit_price === undefined) {
      ctx.addIssue({ code: 'custom', path: ['columns', 'unit_price'], message: 'is needed when columns.quantity is given' });
    }
    if (c.unit_price !== undefined && c.quantity === undefined) {
      ctx.addIssue({ code: 'custom', path: ['columns', 'quantity'], message: 'is needed when columns.unit_price is given' });
    }
    if (c.order_total === undefined && c.line_total === undefined && c.unit_price === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['columns', 'order_total'],
        message: 'is needed (or columns.line_total, or columns.quantity with columns.unit_price)',
      });
    }
  });

export type EcomMapping = z.output<typeof ecomMappingSchema>;
export type EcomMappingInput = z.input<typeof ecomMappingSchema>;
