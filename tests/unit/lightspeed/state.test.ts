import { describe, expect, it } from 'vitest';
import { StateError } from '../../../src/io/errors.js';
import { parseState } from '../../../src/sources/lightspeed/state.js';
import { apiBaseUrl } from '../../../src/sources/lightspeed/fetchLightspeed.js';

describe('parseState', () => {
  it('no file yet: an empty state', () => {
    expect(parseState(undefined)).toEqual({ format: 1, outletCurrencies: {}, walkInCustomerIds: [], activeRegisters: [], streams: {} });
  });
  it('fills defaults of an older minimal file', () => {
    expect(parseState({ format: 1, streams: { sales: { cursor: 5 } } }).streams.sales).toEqual({ cursor: 5 });
  });
  it("drops an older version's look-back checkpoints and keeps the cursor", () => {
    const older = { format: 1, streams: { sales: { cursor: 900, checkpoints: [{ at: Date.UTC(2025, 0, 5), version: 250 }] } } };
    expect(parseState(older).streams.sales).toEqual({ cursor: 900 });
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
