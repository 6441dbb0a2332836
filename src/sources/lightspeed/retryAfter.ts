/**
 * X-Series sends `Retry-After` as an RFC 1123 HTTP-date (Lightspeed's other APIs use seconds; both are
 * read). A date is measured against the response's own `Date` header when there is one, so a client
 * clock that is off does not shorten or stretch the wait.
 */

/** Milliseconds to wait, or undefined when the header is missing or unreadable. */
export function lightspeedRetryAfterMs(headers: Record<string, string>, now: number): number | undefined {
  const value = headers['retry-after']?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const until = Date.parse(value);
  if (Number.isNaN(until)) return undefined;
  const serverNow = headers.date ? Date.parse(headers.date) : Number.NaN;
  return Math.max(0, until - (Number.isNaN(serverNow) ? now : serverNow));
}
