/**
 * What the Lightspeed fetch remembers between runs (`data/cache/lightspeed/state.json`): per stream the
 * last `version` fully stored (the `after` cursor), plus what later pages need to know from earlier ones.
 * `version` is global and grows with every change, deletions included, so the cursor alone finds every
 * change since the last run: no time look-back is needed or kept.
 */
import { z } from 'zod';
import { StateError } from '../../io/errors.js';

export const STREAMS = ['outlets', 'registers', 'users', 'customers', 'sales'] as const;
export type StreamName = (typeof STREAMS)[number];

/** Older versions also kept dated `checkpoints` of the cursor for a look-back; they are dropped on read. */
const streamStateSchema = z.object({
  cursor: z.number().min(0),
});
export type StreamState = z.infer<typeof streamStateSchema>;

const stateSchema = z.object({
  format: z.literal(1),
  currency: z.string().optional(),
  /** The retailer's two-letter country: outlets without their own country are in it. */
  country: z.string().optional(),
  outletCurrencies: z.record(z.string(), z.string()).default({}),
  walkInCustomerIds: z.array(z.string()).default([]),
  activeRegisters: z.array(z.string()).default([]),
  streams: z.record(z.string(), streamStateSchema).default({}),
});
export type LightspeedState = z.infer<typeof stateSchema>;

export function emptyState(): LightspeedState {
  return { format: 1, outletCurrencies: {}, walkInCustomerIds: [], activeRegisters: [], streams: {} };
}

/** Validates a state read from disk; undefined (no state yet) gives an empty one. */
export function parseState(raw: unknown, path = 'data/cache/lightspeed/state.json'): LightspeedState {
  if (raw === undefined) return emptyState();
  const parsed = stateSchema.safeParse(raw);
  if (!parsed.success) {
    throw new StateError(`${path}: not a Lightspeed sync state (${parsed.error.issues[0]?.message ?? 'invalid'})`, {
      hint: 'delete it and fetch with --full',
    });
  }
  return parsed.data;
}
