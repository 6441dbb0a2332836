/** Square fetch settings (the `square` section of the config), with the defaults a salon needs. */
import { z } from 'zod';

const isoDate = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), { message: 'expected an ISO 8601 date, e.g. 2019-01-01' });

export const settingsSchema = z.object({
  /** Pinned so version-gated parameters (updated_at filters on payments and refunds) are honoured. */
  squareVersion: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
    .refine((v) => v >= '2025-02-20', { message: 'needs 2025-02-20 or newer (updated_at filters on refunds)' })
    .default('2025-08-20'),
  /** Records asked for per page (Square's maximum for these endpoints is 100). */
  pageSize: z.number().int().min(1).max(100).default(100),
  /** Windows on updated_at end this many seconds before now: search and listings lag behind writes. */
  safetyMarginSeconds: z.number().int().min(0).default(120),
  /** Width of the customers' updated_at windows. */
  customerWindowDays: z.number().int().min(1).max(366).default(30),
  /** Width of the bookings' start_at windows; Square allows at most 31 days. */
  bookingWindowDays: z.number().int().min(1).max(31).default(31),
  /** Every run re-reads bookings that started up to this many days ago (late cancellations, no-shows). */
  bookingsRescanPastDays: z.number().int().min(0).default(90),
  /** ... and those starting up to this many days ahead. */
  bookingsFutureDays: z.number().int().min(0).default(62),
  /**
   * Locations whose payments, and then whose bookings, are listed at the same time. Square does not
   * publish its limits; a few requests at once stay well within them, and a 429 is waited out and retried.
   */
  locationConcurrency: z.number().int().min(1).max(16).default(4),
  /** Requests per second at most, whatever the concurrency (halved by a 429, recovering a tenth of the way per later answer). */
  maxRequestsPerSecond: z.number().min(0.1).max(100).default(10),
  /** Oldest activity to fetch; default: from the oldest customer or payment Square returns. */
  historyStart: isoDate.optional(),
  /** Days between full customer listings that find deleted and merged profiles (0: every run). */
  customerReconcileDays: z.number().int().min(0).default(7),
  /**
   * Without the APPOINTMENTS_ALL_READ scope Square lists only the bookings this app created, silently;
   * the fetch stops then (exit 3) unless this says that is what you want.
   */
  acceptAppOnlyBookings: z.boolean().default(false),
  /**
   * Share of a page's records that may fail their schema (and go to the rejects file) before the page
   * is taken for a changed API shape and the fetch stops (exit 4).
   */
  maxRejectShare: z.number().min(0).max(1).default(0.05),
});

export type SquareSettings = z.output<typeof settingsSchema>;
export type SquareSettingsInput = z.input<typeof settingsSchema>;
