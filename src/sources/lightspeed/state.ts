/**
 * What the Lightspeed fetch remembers between runs (`data/cache/lightspeed/state.json`): per stream the
 * last `version` fully stored (the `after` cursor) and dated checkpoints of it, so `--days=N` can go
 * back to a cursor at least N days old; plus what later pages need to know from earlier ones.
 */
import { z } from 'zod';
import { StateError } from '../../io/errors.js';

export const STREAMS = ['outlets', 'registers', 'users', 'customers', 'sales'] as const;
export type StreamName = (typeof STREAMS)[number];

const DAY_MS = 86_400_000;
/** Checkpoints kept per stream: one per day, a bit over a year. */
const MAX_CHECKPOINTS = 400;

const checkpointSchema = z.object({ at: z.number(), version: z.number() });
export type Checkpoint = z.infer<typeof checkpointSchema>;

const streamStateSchema = z.object({
  cursor: z.number().min(0),
  checkpoints: z.array(checkpointSchema).default([]),
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

/**
 * Records that everything up to `version` was stored at time `at`: any change after `at` has a higher
 * version. Keeps the latest checkpoint of each UTC day.
 */
export function addCheckpoint(checkpoints: readonly Checkpoint[], at: number, version: number): Checkpoint[] {
  const day = Math.floor(at / DAY_MS);
  const kept = checkpoints.filter((c) => Math.floor(c.at / DAY_MS) !== day && c.at < at);
  kept.push({ at, version });
  return kept.slice(-MAX_CHECKPOINTS);
}

/** The cursor to re-read from so at least the last `days` days of changes come again (0 = from the start). */
export function lookbackCursor(checkpoints: readonly Checkpoint[], now: number, days: number): number {
  const cutoff = now - days * DAY_MS;
  let best: Checkpoint | undefined;
  for (const checkpoint of checkpoints) {
    if (checkpoint.at <= cutoff && (!best || checkpoint.at > best.at)) best = checkpoint;
  }
  return best?.version ?? 0;
}
