/** The `lightspeed` section of the config: options as data, validated by the config loader. */
import { z } from 'zod';

/**
 * The X-Series API version `ca` reads, pinned here and only here: the wire schemas (`wire.ts`) are
 * written from this version's OpenAPI file. `ca status` prints it.
 */
export const LIGHTSPEED_API_VERSION = '2.0';
export const LIGHTSPEED_API_PATH = `/api/${LIGHTSPEED_API_VERSION}`;

export const settingsSchema = z.object({
  /**
   * Records per request. The spec recommends 200 (no documented maximum for 2.0); a server that refuses
   * a larger value with 400 makes the client fall back to 200 for the rest of the run.
   */
  pageSize: z.number().int().min(1).max(10_000).default(200),
  /** Length of the rate-limit window in seconds (X-Series: 300). */
  rateLimitWindowSeconds: z.number().positive().default(300),
  /** Requests per window left untouched for other users of the same budget. */
  rateLimitReserve: z.number().int().min(0).default(0),
  /** Below this share of the limit remaining, spread the rest of the budget over the rest of the window. */
  slowDownBelow: z.number().min(0).max(1).default(0.2),
  /** Sale `source` values that mean the order was placed online rather than at a till. */
  onlineSources: z.array(z.string()).default(['ECOMMERCE', 'SHOPIFY']),
  /** Ids of default "walk-in" customers to drop, beyond the ones recognised by their WALKIN code. */
  walkInCustomerIds: z.array(z.string()).default([]),
  /**
   * Share of a page's records that may fail their schema (and go to the rejects file) before the page
   * is taken for a changed API shape and the fetch stops (exit 4).
   */
  maxRejectShare: z.number().min(0).max(1).default(0.05),
  /** Per-request timeout in milliseconds. */
  timeoutMs: z.number().int().positive().default(30_000),
  /** Retriable failures in a row before giving up. */
  maxRetries: z.number().int().min(0).default(8),
  /** Longest single wait (Retry-After, pacing) before failing with a rate-limit error, in milliseconds. */
  maxWaitMs: z.number().int().positive().default(600_000),
});

export type LightspeedSettings = z.infer<typeof settingsSchema>;
export type LightspeedSettingsInput = z.input<typeof settingsSchema>;
