import { describe, expect, it } from 'vitest';
import { LightspeedRateLimitPolicy } from '../../../src/sources/lightspeed/rateLimitPolicy.js';

const WINDOW = 300_000;
const LIMIT = 350; // one register: 300 × 1 + 50

class FakeTime {
  t = 1_700_000_000_000;
  now = () => this.t;
  sleep = async (ms: number) => {
    this.t += ms;
  };
}

/** An independent model of the server's budget, fixed window from the first request, or a sliding log. */
class ServerModel {
  private start = -Infinity;
  private used = 0;
  private log: number[] = [];
  constructor(
    private readonly mode: 'fixed' | 'sliding',
    private readonly limit: number,
  ) {}
  /** Pretend other traffic already used `used` requests, the window having begun at `start`. */
  preload(start: number, used: number): void {
    this.start = start;
    this.used = used;
    this.log = Array.from({ length: used }, () => start);
  }
  take(t: number): { ok: true; remaining: number } | { ok: false; retryAt: number } {
    if (this.mode === 'fixed') {
      if (t >= this.start + WINDOW) {
        this.start = t;
        this.used = 0;
      }
      if (this.used >= this.limit) return { ok: false, retryAt: this.start + WINDOW };
      this.used++;
      return { ok: true, remaining: this.limit - this.used };
    }
    this.log = this.log.filter((x) => x > t - WINDOW);
    if (this.log.length >= this.limit) return { ok: false, retryAt: this.log[this.log.length - this.limit] + WINDOW };
    this.log.push(t);
    return { ok: true, remaining: this.limit - this.log.length };
  }
}

/** Sends `count` requests through the policy the way HttpClient does (a 429 waits Retry-After, then retries). */
async function run(policy: LightspeedRateLimitPolicy, time: FakeTime, server: ServerModel, count: number) {
  const started = time.t;
  let rejected = 0;
  for (let sent = 0; sent < count; ) {
    await policy.beforeRequest();
    time.t += 20; // request on the way
    const answer = server.take(time.t);
    time.t += 30; // response on the way back
    if (answer.ok) {
      policy.observe(200, { 'x-ratelimit-limit': String(LIMIT), 'x-ratelimit-remaining': String(answer.remaining) });
      sent++;
    } else {
      rejected++;
      const retryAt = Math.ceil(answer.retryAt / 1000) * 1000;
      const headers = { 'retry-after': new Date(retryAt).toUTCString(), 'x-ratelimit-limit': String(LIMIT), 'x-ratelimit-remaining': '0' };
      policy.observe(429, headers);
      time.t = Math.max(time.t, retryAt);
    }
  }
  return { rejected, elapsed: time.t - started };
}

function policyFor(time: FakeTime) {
  return new LightspeedRateLimitPolicy({ windowMs: WINDOW, now: time.now, sleep: time.sleep });
}

describe('LightspeedRateLimitPolicy against a fixed window', () => {
  it('a backfill of three windows and a bit meets no 429 and takes the three windows the limit imposes, within 10%', async () => {
    const time = new FakeTime();
    const result = await run(policyFor(time), time, new ServerModel('fixed', LIMIT), 3 * LIMIT + 10);
    expect(result.rejected).toBe(0);
    // 3 × 350 requests fill three windows; the last 10 go in the fourth, so 3 windows is the floor.
    expect(result.elapsed).toBeGreaterThanOrEqual(3 * WINDOW);
    expect(result.elapsed).toBeLessThanOrEqual(1.1 * 3 * WINDOW);
  });

  it('a run smaller than the budget goes at full speed', async () => {
    const time = new FakeTime();
    const result = await run(policyFor(time), time, new ServerModel('fixed', LIMIT), 200);
    expect(result.rejected).toBe(0);
    expect(result.elapsed).toBe(200 * 50);
  });

  it('starting in a window someone else mostly used: slows down, no 429, speeds up after the reset', async () => {
    const time = new FakeTime();
    const server = new ServerModel('fixed', LIMIT);
    server.preload(time.t - 200_000, 300); // 50 left, window resets in 100 s
    const result = await run(policyFor(time), time, server, 400);
    expect(result.rejected).toBe(0);
    // 50 requests in the old window, 350 in the next: done once the next window has filled.
    expect(result.elapsed).toBeLessThanOrEqual(100_000 + 1.1 * WINDOW);
  });
});

describe('LightspeedRateLimitPolicy against a sliding window', () => {
  it('a long backfill meets no 429 and keeps at least 75% of the allowed rate', async () => {
    const time = new FakeTime();
    const count = 4 * LIMIT;
    const result = await run(policyFor(time), time, new ServerModel('sliding', LIMIT), count);
    expect(result.rejected).toBe(0);
    expect(result.elapsed).toBeLessThanOrEqual(((count / LIMIT) * WINDOW) / 0.75);
  });
});

describe('LightspeedRateLimitPolicy.delay', () => {
  const headers = (remaining: number) => ({ 'x-ratelimit-limit': '350', 'x-ratelimit-remaining': String(remaining) });
  const cases: Array<[string, Array<[number, number, Record<string, string>]>, number, number]> = [
    ['nothing known yet', [], 0, 0],
    ['plenty left', [[0, 200, headers(300)]], 1000, 0],
    ['just above a fifth of 350 (70)', [[0, 200, headers(71)]], 1000, 0],
    // 70 left, window anchored at t=0 ends at 300 000: 299 000 ms left / 70 = 4271.43 ms each
    ['a fifth left: spread over the rest of the window', [[0, 200, headers(70)]], 1000, 299_000 / 70],
    ['nothing left: wait for the window end (+10 ms)', [[0, 200, headers(0)]], 100_000, 200_010],
    ['window over: what we knew is stale', [[0, 200, headers(0)]], 300_001, 0],
    ['no rate headers: no pacing', [[0, 200, {}]], 1000, 0],
    [
      '429 with an HTTP-date: blocked until then',
      [[0, 429, { 'retry-after': 'Thu, 01 Jan 1970 00:01:40 GMT', date: 'Thu, 01 Jan 1970 00:00:00 GMT' }]],
      40_000,
      60_000,
    ],
    [
      'remaining went up: a new window started at that response',
      [
        [0, 200, headers(0)],
        [250_000, 200, headers(40)],
      ],
      250_000,
      300_000 / 40,
    ],
  ];
  it.each(cases)('%s', (_name, observations, at, expected) => {
    let t = 0;
    const policy = new LightspeedRateLimitPolicy({ windowMs: WINDOW, now: () => t, sleep: async () => {} });
    for (const [when, status, h] of observations) {
      t = when;
      policy.observe(status, h);
    }
    expect(policy.delay(at)).toBeCloseTo(expected, 6);
  });

  it('keeps a reserve for other users of the budget', () => {
    let t = 0;
    const policy = new LightspeedRateLimitPolicy({ windowMs: WINDOW, reserve: 5, now: () => t, sleep: async () => {} });
    policy.observe(200, headers(5));
    t = 1000;
    expect(policy.delay(t)).toBe(299_000 + 10);
  });
});
