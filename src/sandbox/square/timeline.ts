/**
 * Every sandbox record is a timeline: a base and dated patches. The server shows each record as of
 * its clock, so moving the clock reveals later cancellations, late customer ids and refunds that the
 * generator already decided on, and a state "as of t" never depends on how far ahead was generated.
 */

/** How a record prints its times: always with milliseconds, never, or created with and updated without. */
export type StampStyle = 'ms' | 's' | 'mixed';

export interface Change<T> {
  at: number;
  patch: Partial<T>;
}

export interface Timeline<T> {
  id: string;
  createdAt: number;
  style: StampStyle;
  base: T;
  /** Sorted by `at`. */
  changes: Change<T>[];
}

export type Snapshot<T> = T & { id: string; createdAt: number; updatedAt: number; version: number; style: StampStyle };

export function newTimeline<T>(id: string, createdAt: number, style: StampStyle, base: T): Timeline<T> {
  return { id, createdAt: stamp(style, createdAt, true), style, base, changes: [] };
}

/** Whole-second styles must hold whole-second values, or the printed time would not be the real one. */
export function stamp(style: StampStyle, at: number, creation: boolean): number {
  const whole = style === 's' || (style === 'mixed' && !creation);
  return whole ? Math.floor(at / 1000) * 1000 : at;
}

export function addChange<T>(timeline: Timeline<T>, at: number, patch: Partial<T>): number {
  const when = Math.max(timeline.createdAt, stamp(timeline.style, at, false));
  let index = timeline.changes.length;
  while (index > 0 && timeline.changes[index - 1].at > when) index--;
  timeline.changes.splice(index, 0, { at: when, patch });
  return when;
}

/** Time of the last change visible at `t`, or undefined when the record does not exist yet. */
export function updatedAtAsOf<T>(timeline: Timeline<T>, t: number): number | undefined {
  if (timeline.createdAt > t) return undefined;
  let updated = timeline.createdAt;
  for (const change of timeline.changes) {
    if (change.at > t) break;
    updated = change.at;
  }
  return updated;
}

export function asOf<T>(timeline: Timeline<T>, t: number): Snapshot<T> | undefined {
  if (timeline.createdAt > t) return undefined;
  let state: T = { ...timeline.base };
  let updatedAt = timeline.createdAt;
  let version = 1;
  for (const change of timeline.changes) {
    if (change.at > t) break;
    state = { ...state, ...change.patch };
    updatedAt = change.at;
    version++;
  }
  return { ...state, id: timeline.id, createdAt: timeline.createdAt, updatedAt, version, style: timeline.style };
}
