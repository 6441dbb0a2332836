/**
 * Square publishes no rate limit, and locations are listed several at once: requests are spaced to at
 * most `requestsPerSecond` (`square.maxRequestsPerSecond`), whatever the concurrency, so 429s stay rare.
 * A 429 halves the pace for the rest of the run (down to one request a second), so a lower limit than
 * configured costs a few 429s, not a storm of them.
 */
import type { RateLimitPolicy } from '../../io/http.js';

export class SquarePacing implements RateLimitPolicy {
  private intervalMs: number;
  private next = 0;

  constructor(
    requestsPerSecond: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.intervalMs = 1000 / requestsPerSecond;
  }

  async beforeRequest(): Promise<void> {
    // Each caller takes the next free slot before awaiting, so concurrent callers queue in order.
    const now = this.now();
    const slot = Math.max(now, this.next);
    this.next = slot + this.intervalMs;
    if (slot > now) await this.sleep(slot - now);
  }

  observe(status: number): void {
    if (status === 429) this.intervalMs = Math.min(1000, this.intervalMs * 2);
  }
}
