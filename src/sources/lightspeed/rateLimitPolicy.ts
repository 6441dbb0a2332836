/**
 * Pacing for the X-Series budget of `300 × registers + 50` requests per 5-minute window.
 *
 * Every response says the limit and what is left (`X-RateLimit-Limit`, `X-RateLimit-Remaining`) but not
 * when the window resets, so the window start is estimated: it is taken as the moment a response first
 * shows a fresh budget (the first response, or one where `remaining` went up), which is never earlier
 * than the server's own start, so the estimated end is never early. Requests go out at full speed while
 * the budget is comfortable; below `slowDownBelow` of the limit, the rest of the budget is spread evenly
 * over the rest of the window (the spec's "slow down when remaining is low"); with nothing left, the
 * next request waits for the window to end. A 429's `Retry-After` (an HTTP-date) blocks until that
 * moment. Whatever the window algorithm (fixed or sliding), a long backfill uses the whole budget of
 * each window and rarely meets a 429.
 */
import type { RateLimitPolicy } from '../../io/http.js';
import { lightspeedRetryAfterMs } from './retryAfter.js';

/** Added to a wait for a window to end: timers may fire a millisecond early, and a 429 costs far more. */
const END_OF_WINDOW_MARGIN_MS = 10;

export interface PacingOptions {
  windowMs: number;
  /** Requests per window left for others. */
  reserve?: number;
  /** Share of the limit below which requests are spread out. */
  slowDownBelow?: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export class LightspeedRateLimitPolicy implements RateLimitPolicy {
  /** Waits this policy asked for, and their total (for summaries and the bench). */
  readonly waits = { count: 0, totalMs: 0 };
  private limit?: number;
  private remaining?: number;
  private windowStart?: number;
  private blockedUntil = 0;
  private readonly reserve: number;
  private readonly slowDownBelow: number;

  constructor(private readonly options: PacingOptions) {
    this.reserve = options.reserve ?? 0;
    this.slowDownBelow = options.slowDownBelow ?? 0.2;
  }

  /** The documented budget for this many registers, used until a response states the limit. */
  setRegisterCount(registers: number): void {
    if (this.limit === undefined && registers > 0) this.limit = 300 * registers + 50;
  }

  get budget(): { limit?: number; remaining?: number } {
    return { limit: this.limit, remaining: this.remaining };
  }

  async beforeRequest(): Promise<void> {
    const wait = this.delay(this.options.now());
    if (wait > 0) {
      this.waits.count++;
      this.waits.totalMs += wait;
      await this.options.sleep(wait);
    }
  }

  /** How long the next request should wait, given what the responses so far said. */
  delay(now: number): number {
    if (this.blockedUntil > now) return this.blockedUntil - now;
    if (this.remaining === undefined || this.limit === undefined || this.windowStart === undefined) return 0;
    const left = this.windowStart + this.options.windowMs - now;
    // What we know is from a window that has ended.
    if (left <= 0) return 0;
    const usable = this.remaining - this.reserve;
    if (usable <= 0) return left + END_OF_WINDOW_MARGIN_MS;
    if (this.remaining > this.limit * this.slowDownBelow) return 0;
    return left / usable;
  }

  observe(status: number, headers: Record<string, string>): void {
    const now = this.options.now();
    const limit = wholeNumber(headers['x-ratelimit-limit']);
    const remaining = wholeNumber(headers['x-ratelimit-remaining']);
    if (limit !== undefined) this.limit = limit;
    if (status === 429) {
      const wait = lightspeedRetryAfterMs(headers, now);
      if (wait !== undefined) this.blockedUntil = Math.max(this.blockedUntil, now + wait);
      // The next window starts when the block ends; its first response anchors it.
      this.remaining = undefined;
      this.windowStart = undefined;
      return;
    }
    if (remaining === undefined) return;
    const fresh =
      this.windowStart === undefined ||
      now >= this.windowStart + this.options.windowMs ||
      (this.remaining !== undefined && remaining > this.remaining);
    if (fresh) this.windowStart = now;
    this.remaining = remaining;
  }
}

function wholeNumber(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value);
}
