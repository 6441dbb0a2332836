/**
 * The X-Series request budget: `perRegister × registers + base` requests per window. The spec leaves
 * fixed vs sliding open, so both are here.
 */
export type RateDecision = { allowed: true; limit: number; remaining: number } | { allowed: false; limit: number; retryAt: number };

export class SandboxRateLimiter {
  private windowStart = -Infinity;
  private used = 0;
  /** Sliding mode: times of the requests inside the last window, oldest first. */
  private readonly log: number[] = [];
  private head = 0;

  constructor(
    private readonly windowMs: number,
    private readonly mode: 'fixed' | 'sliding',
    private readonly clock: () => number,
  ) {}

  take(limit: number): RateDecision {
    const now = this.clock();
    if (this.mode === 'fixed') {
      if (now >= this.windowStart + this.windowMs) {
        this.windowStart = now;
        this.used = 0;
      }
      if (this.used >= limit) return { allowed: false, limit, retryAt: this.windowStart + this.windowMs };
      this.used++;
      return { allowed: true, limit, remaining: limit - this.used };
    }
    while (this.head < this.log.length && this.log[this.head] <= now - this.windowMs) this.head++;
    if (this.head > 4096) {
      this.log.splice(0, this.head);
      this.head = 0;
    }
    const inWindow = this.log.length - this.head;
    if (inWindow >= limit) return { allowed: false, limit, retryAt: this.log[this.head + inWindow - limit] + this.windowMs };
    this.log.push(now);
    return { allowed: true, limit, remaining: limit - inWindow - 1 };
  }
}

/** RFC 1123 date, rounded up to the whole second so a client waiting until it is never early. */
export function httpDate(ms: number): string {
  return new Date(Math.ceil(ms / 1000) * 1000).toUTCString();
}
