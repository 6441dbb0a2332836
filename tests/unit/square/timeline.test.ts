import { describe, expect, it } from 'vitest';
import { addChange, asOf, newTimeline, stamp, updatedAtAsOf } from '../../../src/sandbox/square/timeline.js';

describe('sandbox timelines', () => {
  it.each([
    ['ms keeps milliseconds', 'ms', 1234567, true, 1234567],
    ['s drops them', 's', 1234567, true, 1234000],
    ['mixed keeps them on creation', 'mixed', 1234567, true, 1234567],
    ['mixed drops them on updates', 'mixed', 1234567, false, 1234000],
  ] as const)('stamp: %s', (_name, style, at, creation, expected) => {
    expect(stamp(style, at, creation)).toBe(expected);
  });

  it('shows each record as of a time, with changes inserted in time order', () => {
    const t = newTimeline('b1', 1000, 'ms', { status: 'ACCEPTED', note: 'a' });
    addChange(t, 5000, { status: 'NO_SHOW' });
    addChange(t, 3000, { note: 'b' });
    expect(asOf(t, 999)).toBeUndefined();
    expect(asOf(t, 1000)).toEqual({ status: 'ACCEPTED', note: 'a', id: 'b1', createdAt: 1000, updatedAt: 1000, version: 1, style: 'ms' });
    expect(asOf(t, 4000)).toEqual({ status: 'ACCEPTED', note: 'b', id: 'b1', createdAt: 1000, updatedAt: 3000, version: 2, style: 'ms' });
    expect(asOf(t, 5000)).toEqual({ status: 'NO_SHOW', note: 'b', id: 'b1', createdAt: 1000, updatedAt: 5000, version: 3, style: 'ms' });
    expect(updatedAtAsOf(t, 4999)).toBe(3000);
    expect(updatedAtAsOf(t, 0)).toBeUndefined();
  });

  it('never dates a change before the record exists', () => {
    const t = newTimeline('c1', 10_000, 's', { v: 1 });
    expect(addChange(t, 2_000, { v: 2 })).toBe(10_000);
  });
});
