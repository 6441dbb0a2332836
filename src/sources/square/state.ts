/**
 * What a Square fetch remembers between runs (data/cache/square/state.json). Every bookmark is a time
 * up to which records are safely in the store; none passes the time its run started. Cursors are never
 * kept: they expire within minutes.
 */
import { StateError } from '../../io/errors.js';

export interface BookingsLocationState {
  /** Bookings starting before this were read when they could no longer change (rescan window passed). */
  settledThrough?: number;
  /** A pass over [from, future) in progress: windows before `next` are done, all read at or after `startedAt`. */
  pass?: { from: number; next: number; startedAt: number };
}

export interface SquareState {
  schema: 1;
  /** Earliest customer creation or payment seen: where bookings backfill starts. */
  earliest?: number;
  customers?: { through: number; reconciledAt?: number };
  /** Per location: payments updated up to `through` are stored. */
  payments: Record<string, { through: number }>;
  refunds?: { through: number };
  bookings: Record<string, BookingsLocationState>;
  /** Start time of the last run that finished every stream. */
  lastCompletedAt?: number;
}

export function emptyState(): SquareState {
  return { schema: 1, payments: {}, bookings: {} };
}

export function checkState(value: unknown, where: string): SquareState {
  if (value === undefined) return emptyState();
  const state = value as Partial<SquareState>;
  if (!state || typeof state !== 'object' || state.schema !== 1 || typeof state.payments !== 'object' || typeof state.bookings !== 'object') {
    throw new StateError(`${where}: not a Square sync state this version understands`, {
      hint: 'run `ca fetch square --full` to start over',
    });
  }
  return state as SquareState;
}
