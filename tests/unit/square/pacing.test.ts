/** Square's request pacing: concurrent callers get evenly spaced slots; a 429 halves the pace. */
import { describe, expect, it } from 'vitest';
import { SquarePacing } from '../../../src/sources/square/pacing.js';

function clock() {
  let now = 1_000;
  const slept: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      slept.push(ms);
    },
    advance: (ms: number) => (now += ms),
    slept,
  };
}

describe('SquarePacing', () => {
  it('spaces concurrent requests to the configured rate, in the order they asked', async () => {
    const c = clock();
    const pacing = new SquarePacing(10, c.now, c.sleep);
    await Promise.all([pacing.beforeRequest(), pacing.beforeRequest(), pacing.beforeRequest(), pacing.beforeRequest()]);
    expect(c.slept).toEqual([100, 200, 300]);
  });

  it('does not wait when requests come slower than the rate', async () => {
    const c = clock();
    const pacing = new SquarePacing(10, c.now, c.sleep);
    for (let i = 0; i < 3; i++) {
      await pacing.beforeRequest();
      c.advance(150);
    }
    expect(c.slept).toEqual([]);
  });

  it('halves the pace after a 429, down to one request a second, and comes back a tenth of the way per answer', async () => {
    const c = clock();
    const pacing = new SquarePacing(10, c.now, c.sleep);
    await pacing.beforeRequest();
    pacing.observe(429);
    await pacing.beforeRequest();
    await pacing.beforeRequest();
    expect(c.slept).toEqual([100, 300]);
    for (let i = 0; i < 10; i++) pacing.observe(429);
    c.advance(10_000);
    await pacing.beforeRequest();
    await pacing.beforeRequest();
    expect(c.slept.at(-1)).toBe(1000);
    // 1000 ms -> 910 ms after one good answer; close to the configured 100 ms after many.
    pacing.observe(200);
    c.advance(10_000);
    await pacing.beforeRequest();
    await pacing.beforeRequest();
    expect(c.slept.at(-1)).toBe(910);
    for (let i = 0; i < 100; i++) pacing.observe(200);
    c.advance(10_000);
    await pacing.beforeRequest();
    await pacing.beforeRequest();
    expect(c.slept.at(-1)).toBeLessThan(101);
    expect(c.slept.at(-1)).toBeGreaterThanOrEqual(100);
  });
});
