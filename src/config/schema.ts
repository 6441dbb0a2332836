/**
 * `ca.config.json`: every key, its type and default, in one place. Unknown keys are errors (a typo
 * must not silently fall back to a default). docs/config.md lists the same keys for people.
 */
import { z } from 'zod';
import { isPhoneRegion } from '../core/contact.js';
import { SOURCES, type SourceName } from '../core/model.js';
import { API_SOURCES, type ApiSource } from '../sources/registry.js';

const positive = z.number().positive();
const share = z.number().min(0).max(1);
/** One key per name, each with the schema `make` gives. */
function perName<N extends string, T extends z.ZodType>(names: readonly N[], make: () => T): Record<N, T> {
  return Object.fromEntries(names.map((name) => [name, make()])) as Record<N, T>;
}

/**
 * Source settings: a section per API source (`lightspeed`, `square`), which the source's own settings
 * schema checks when it is fetched (src/sources/registry.ts; see docs/config.md).
 */
const sourceSections = perName<ApiSource, z.ZodDefault<z.ZodRecord<z.ZodString, z.ZodUnknown>>>(API_SOURCES, () =>
  z.record(z.string(), z.unknown()).default({}),
);

/** Default of workbook.maxRows: exceljs writes about 13,000 master rows a second (docs/config.md). */
export const WORKBOOK_MAX_ROWS = 200_000;

export const configSchema = z
  .object({
    /** Working folder for data, cache, reports and rejects. */
    dataDir: z.string().default('data'),
    /** Where previous masters go before an overwrite. */
    archiveDir: z.string().default('archive'),
    /** Written by a successful `ca update`. */
    timestampFile: z.string().default('.last_update_timestamp'),
    /**
     * ISO 3166-1 alpha-2 region for phone numbers written without a country code, where the source's
     * own locations do not say (docs/metrics.md, "Phones"). No default.
     */
    defaultRegion: z
      .string()
      .transform((code) => code.toUpperCase())
      .refine(isPhoneRegion, 'defaultRegion must be an ISO 3166-1 alpha-2 country code with a phone numbering plan, e.g. "US", "NL"')
      .optional(),
    lifecycle: z
      .object({
        newDays: positive.default(30),
        activeDays: positive.default(90),
        lostDays: positive.default(180),
      })
      .strict()
      .default({ newDays: 30, activeDays: 90, lostDays: 180 })
      .refine((t) => t.activeDays <= t.lostDays, 'lifecycle.activeDays must not exceed lifecycle.lostDays'),
    valueTiers: z
      .object({
        method: z.enum(['share', 'amount']).default('share'),
        vip: z.number().nonnegative().default(0.05),
        high: z.number().nonnegative().default(0.2),
        medium: z.number().nonnegative().default(0.5),
      })
      .strict()
      .default({ method: 'share', vip: 0.05, high: 0.2, medium: 0.5 })
      .refine(
        (t) => (t.method === 'share' ? t.vip <= t.high && t.high <= t.medium && t.medium <= 1 : t.vip >= t.high && t.high >= t.medium),
        'valueTiers: shares must grow vip <= high <= medium <= 1; amounts must shrink vip >= high >= medium',
      ),
    identity: z
      .object({ maxRecordsPerIdentifier: z.number().int().min(2).default(20) })
      .strict()
      .default({ maxRecordsPerIdentifier: 20 }),
    /** Window of first_time_buyers.csv (days before the as-of time). */
    firstTimeBuyerDays: positive.default(30),
    archive: z.object({ keep: z.number().int().min(0).default(30) }).strict().default({ keep: 30 }),
    clv: z
      .object({
        horizonMonths: z.number().int().min(1).max(120).default(12),
        /** Monthly discount rate for predicted CLV (0.01 = 1 % a month). */
        monthlyDiscountRate: share.default(0.01),
        /** Fewer repeat buyers than this: no model fit, prediction columns stay empty. */
        minRepeatBuyers: z.number().int().min(1).default(20),
        /** Purchase model: `auto` chooses by the holdout check (docs/models.md), or one model. */
        model: z.enum(['auto', 'bgnbd', 'mbgnbd', 'paretonbd']).default('auto'),
        /** Holdout period (weeks) of the `auto` choice and of `ca report model`. */
        holdoutWeeks: z.number().int().min(1).max(520).default(26),
        /** The report says in words when predicted and actual holdout purchases differ by more than this share. */
        holdoutTolerance: z.number().gt(0).max(10).default(0.2),
      })
      .strict()
      .default({ horizonMonths: 12, monthlyDiscountRate: 0.01, minRepeatBuyers: 20, model: 'auto', holdoutWeeks: 26, holdoutTolerance: 0.2 }),
    ecom: z
      .object({
        /** Preset name (`lightspeed-ecom`, `generic`) or path to a mapping JSON. */
        mapping: z.string().default('lightspeed-ecom'),
        /** An export that `ca update` imports when it is newer than the last import. */
        file: z.string().optional(),
      })
      .strict()
      .default({ mapping: 'lightspeed-ecom' }),
    /** Source settings; each source validates its own keys (see docs/config.md). */
    ...sourceSections,
    /**
     * customer_analytics_master.xlsx and first_time_buyers.xlsx are written when they have at most this
     * many rows (0: never); a sheet holds 1,048,575 below its header.
     */
    workbook: z
      .object({ maxRows: z.number().int().min(0).max(1_048_575).default(WORKBOOK_MAX_ROWS) })
      .strict()
      .default({ maxRows: WORKBOOK_MAX_ROWS }),
    status: z
      .object({
        /** `ca status` is stale when the last successful update, or a source's last fetch, is older. */
        maxAgeHours: positive.default(36),
        /** Per source, a limit other than maxAgeHours (e.g. an e-commerce export that changes weekly). */
        sourceMaxAgeHours: z.object(perName<SourceName, typeof positive>(SOURCES, () => positive)).partial().strict().default({}),
      })
      .strict()
      .default({ maxAgeHours: 36, sourceMaxAgeHours: {} }),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
