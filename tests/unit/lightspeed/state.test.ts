import { describe, expect, it } from 'vitest';
import { StateError } from '../../../src/io/errors.js';
import { addCheckpoint, lookbackCursor, parseState, type Checkpoint } from '../../../src/sources/lightspeed/state.js';
import { apiBaseUrl } from '../../../src/sources/lightspeed/fetchLightspeed.js';

const day = (n: number, hour = 0) => Date.UTC(2025, 0, n, hour);

describe('lookbackCursor', () => {
  const checkpoints: Checkpoint[] = [
    { at: day(1, 3), version: 100 },
    { at: day(2, 3), version: 250 },
    { at: day(5, 3), version: 900 },
    { at: day(6, 3), version: 1200 },
  ];
  const cases: Array<[string, number, number, number]> = [
    ['1 day back from day 7 03:00: the day-6 checkpoint is exactly 1 day old', day(7, 3), 1, 1200],
    ['1 day back from day 7 02:00: day 6 03:00 is too recent, day 5 qualifies', day(7, 2), 1, 900],
    ['3 days back from day 7: day 2 (days 3-4 have no run)', day(7, 3), 3, 250],
    ['6 days back from day 7: day 1', day(7, 3), 6, 100],
    ['further back than any checkpoint: from the start', day(7, 3), 30, 0],
    ['0 days: the newest checkpoint', day(7, 3), 0, 1200],
  ];
  it.each(cases)('%s', (_name, now, days, expected) => {
    expect(lookbackCursor(checkpoints, now, days)).toBe(expected);
  });
});

describe('addCheckpoint', () => {
  it('keeps the latest checkpoint of each UTC day, in order', () => {
    let list: Checkpoint[] = [];
    list = addCheckpoint(list, day(1, 3), 10);
    list = addCheckpoint(list, day(1, 20), 20);
    list = addCheckpoint(list, day(2, 1), 30);
    expect(list).toEqual([
      { at: day(1, 20), version: 20 },
      { at: day(2, 1), version: 30 },
    ]);
  });

  it('keeps at most 400', () => {
    let list: Checkpoint[] = [];
    for (let i = 0; i < 450; i++) list = addCheckpoint(list, day(1) + i * 86_400_000, i);
    expect(list).toHaveLength(400);
    expect(list[0].version).toBe(50);
    expect(list[399].version).toBe(449);
  });
});

describe('parseState', () => {
  it('no file yet: an empty state', () => {
    expect(parseState(undefined)).toEqual({ format: 1, outletCurrencies: {}, walkInCustomerIds: [], activeRegisters: [], streams: {} });
  });
  it('fills defaults of an older minimal file', () => {
    expect(parseState({ format: 1, streams: { sales: { cursor: 5 } } }).streams.sales).toEqual({ cursor: 5, checkpoints: [] });
  });
  it.each([[{ format: 2 }], [{ format: 1, streams: { sales: { cursor: 'x' } } }], [[]], ['text']])('rejects %j', (raw) => {
    expect(() => parseState(raw)).toThrow(StateError);
  });
});

describe('apiBaseUrl', () => {
  it.each([
    ['https://shop.retail.lightspeed.app', 'https://shop.retail.lightspeed.app/api/2.0'],
    ['https://shop.retail.lightspeed.app/', 'https://shop.retail.lightspeed.app/api/2.0'],
    ['https://shop.retail.lightspeed.app/api/2.0/', 'https://shop.retail.lightspeed.app/api/2.0'],
    ['http://127.0.0.1:4567', 'http://127.0.0.1:4567/api/2.0'],
    ['http://proxy.local/lightspeed', 'http://proxy.local/lightspeed/api/2.0'],
  ])('%s -> %s', (base, expected) => {
    expect(apiBaseUrl(base, '/api/2.0')).toBe(expected);
  });
});
