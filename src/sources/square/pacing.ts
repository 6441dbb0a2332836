/**
 * Square publishes no rate limit, and locations are listed several at once: requests are spaced to at
 * most `requestsPerSecond` (`square.maxRequestsPerSecond`), whatever the concurrency, so 429s stay rare.
 * A 429 halves the pace (down to one request a second) and every answer that is not a 429 takes a tenth
 * of the way back towards the configured pace, so a lower limit than configured costs a few 429s, not a
 * storm of them, and a passing burst of 429s does not slow the rest of the run.
 */
import type { RateLimitPolicy } from '../../io/http.js';

const SLOWEST_MS = 1000;

export class SquarePacing implements RateLimitPolicy {
  private readonly baseMs: number;
  private intervalMs: number;
  private next = 0;

  constructor(
    requestsPerSecond: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.baseMs = this.intervalMs = 1000 / requestsPerSecond;
  }

  async beforeRequest(): Promise<void> {
    // Each caller takes the next free slot before awaiting, so concurrent callers queue in order.
    const now = this.now();
    const slot = Math.max(now, this.next);
    this.next = slot + this.intervalMs;
    if (slot > now) await this.sleep(slot - now);
  }

  observe(status: number): void {
    if (status === 429) this.intervalMs = Math.min(Math.max(SLOWEST_MS, this.baseMs), this.intervalMs * 2);
    else this.intervalMs = Math.max(this.baseMs, this.intervalMs - (this.intervalMs - this.baseMs) / 10);
  }
}
