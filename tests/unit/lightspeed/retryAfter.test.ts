import { describe, expect, it } from 'vitest';
import { lightspeedRetryAfterMs } from '../../../src/sources/lightspeed/retryAfter.js';

describe('lightspeedRetryAfterMs', () => {
  const now = Date.UTC(2024, 10, 30, 22, 9, 0); // Sat, 30 Nov 2024 22:09:00 GMT
  const cases: Array<[string, Record<string, string>, number | undefined]> = [
    ['HTTP-date against our clock', { 'retry-after': 'Sat, 30 Nov 2024 22:10:00 GMT' }, 60_000],
    ['HTTP-date against the response Date', { 'retry-after': 'Sat, 30 Nov 2024 22:10:00 GMT', date: 'Sat, 30 Nov 2024 22:09:53 GMT' }, 7_000],
    ['unreadable Date: our clock', { 'retry-after': 'Sat, 30 Nov 2024 22:10:00 GMT', date: 'soon' }, 60_000],
    ['date in the past', { 'retry-after': 'Sat, 30 Nov 2024 22:08:00 GMT' }, 0],
    ['seconds (R-Series style)', { 'retry-after': '12' }, 12_000],
    ['missing', {}, undefined],
    ['garbage', { 'retry-after': 'later' }, undefined],
  ];
  it.each(cases)('%s', (_name, headers, expected) => {
    expect(lightspeedRetryAfterMs(headers, now)).toBe(expected);
  });
});
